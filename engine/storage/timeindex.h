// TimeIndex: the sparse .timeindex file, max timestamp so far -> relative offset, as Kafka lays it out.
#pragma once

#include "engine/storage/mappedindex.h"

#include <memory>
#include <optional>

namespace partita::storage {

struct TimestampOffset {
    int64_t timestamp;
    int64_t offset;
};

// Entries of 12 bytes, big-endian: int64 timestamp, int32 relative offset. An entry (T, O) says
// every record at or below offset O has a timestamp <= T; timestamps strictly increase.
class TimeIndex final : public MappedIndex {
public:
    static constexpr size_t kEntrySize = 12;

    static Result<std::unique_ptr<TimeIndex>> open(const std::string& path, int64_t baseOffset, bool writable,
                                                   int32_t maxIndexBytes, bool preallocate);

    // The last entry whose timestamp is < target (records up to its offset are all too early),
    // or nothing: then the search starts at the segment's first batch.
    std::optional<TimestampOffset> lastEntryBefore(int64_t targetTimestamp) const;
    // Appends when timestamp is above the last entry's; false if the index is full.
    bool maybeAppend(int64_t timestamp, int64_t offset);
    // Removes every entry whose offset is >= offset.
    void truncateTo(int64_t offset);
    TimestampOffset entry(size_t slot) const;
    std::optional<TimestampOffset> lastEntry() const;
    bool isSane() const;

private:
    using MappedIndex::MappedIndex;
};

}  // namespace partita::storage
