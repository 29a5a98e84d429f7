// Constants and small value types shared by every record format (magic 0, 1 and 2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace partita::protocol::records {

// Nullable bytes as the encoders take them: nullopt is null (length -1 on the wire), which is
// not the same as an empty value (a tombstone is a null value, not an empty one).
using OptionalBytesView = std::optional<std::span<const uint8_t>>;

enum class TimestampType : int8_t { CreateTime = 0, LogAppendTime = 1 };

inline constexpr int8_t kMagicV0 = 0;
inline constexpr int8_t kMagicV1 = 1;
inline constexpr int8_t kMagicV2 = 2;

inline constexpr int64_t kNoTimestamp = -1;
inline constexpr int64_t kNoProducerId = -1;
inline constexpr int16_t kNoProducerEpoch = -1;
inline constexpr int32_t kNoSequence = -1;
inline constexpr int32_t kNoPartitionLeaderEpoch = -1;

// Offset and timestamp arithmetic on values read from the wire wraps like Java's long does,
// instead of being undefined behaviour when a hostile batch puts them near the limits.
inline int64_t wrappingAdd(int64_t a, int64_t b) {
    return int64_t(uint64_t(a) + uint64_t(b));
}
inline int64_t wrappingSub(int64_t a, int64_t b) {
    return int64_t(uint64_t(a) - uint64_t(b));
}

// Every format starts with Offset int64 + Length int32, and the byte at 16 is the magic.
inline constexpr size_t kLogOverhead = 12;
inline constexpr size_t kMagicOffset = 16;

}  // namespace partita::protocol::records
