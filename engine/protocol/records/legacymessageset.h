// LegacyMessageSet: decoding and encoding of magic-0 and magic-1 message sets, wrappers included.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/recordconstants.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace partita::protocol::records {

// One message as a reader sees it: compressed wrappers are unwrapped, so offsets are absolute
// and, under a LogAppendTime wrapper, the timestamp is the wrapper's.
struct LegacyMessage {
    int64_t offset = 0;
    int8_t magic = kMagicV0;
    int8_t attributes = 0;             // of the message itself (an inner message has codec 0)
    int64_t timestamp = kNoTimestamp;  // magic 0 has none
    TimestampType timestampType = TimestampType::CreateTime;
    std::optional<Bytes> key;
    std::optional<Bytes> value;
};

struct LegacyMessageInput {
    int64_t timestamp = kNoTimestamp;  // ignored for magic 0
    OptionalBytesView key;
    OptionalBytesView value;
};

struct LegacyEncodeOptions {
    int8_t magic = kMagicV1;
    CompressionType compression = CompressionType::None;  // zstd is not allowed in legacy sets
    std::optional<int> level;
    int64_t baseOffset = 0;  // offset of the first message; a wrapper takes the last one's
    // Magic 1 only: stamps logAppendTime on the messages (or on the wrapper) and sets bit 3.
    TimestampType timestampType = TimestampType::CreateTime;
    int64_t logAppendTime = kNoTimestamp;
};

class LegacyMessageSet {
public:
    // Every message of a legacy set, in order. Each message's CRC-32 is checked. An incomplete
    // trailing entry ends the set silently (as in a Fetch response); a magic-2 batch in the set
    // is Unsupported. Decompressed wrapper values are limited to maxUncompressed bytes each.
    static Result<std::vector<LegacyMessage>> decode(const Bytes& set, size_t maxUncompressed);

    // Appends the messages of one complete entry (Offset | Size | Message, as RecordSetReader
    // yields it): the message itself, or the inner messages of a compressed wrapper.
    static Status decodeEntry(const Bytes& entry, size_t maxUncompressed, std::vector<LegacyMessage>& out);

    // Encodes messages as a plain set, or as one compressed wrapper holding them. LZ4 with
    // magic 0 gets the old broken header checksum Kafka expects there.
    static Result<std::vector<uint8_t>> encode(std::span<const LegacyMessageInput> messages,
                                               const LegacyEncodeOptions& options);
};

}  // namespace partita::protocol::records
