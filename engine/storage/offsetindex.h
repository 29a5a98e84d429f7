// OffsetIndex: the sparse .index file, relative offset -> file position, as Kafka lays it out.
#pragma once

#include "engine/storage/mappedindex.h"

#include <memory>

namespace partita::storage {

struct OffsetPosition {
    int64_t offset;
    uint32_t position;
};

// Entries of 8 bytes, big-endian: int32 offset relative to the segment's base, int32 position in
// the .log. An entry names the last offset of a batch and where that batch starts.
class OffsetIndex final : public MappedIndex {
public:
    static constexpr size_t kEntrySize = 8;

    static Result<std::unique_ptr<OffsetIndex>> open(const std::string& path, int64_t baseOffset, bool writable,
                                                     int32_t maxIndexBytes, bool preallocate);

    // The entry with the largest offset <= target, or {baseOffset, 0} when there is none:
    // the position to start scanning from for `target`.
    OffsetPosition lookup(int64_t target) const;
    // The largest entry position that is <= position (0 when none): every batch before it is whole.
    uint32_t lastPositionAtOrBelow(uint64_t position) const;
    // Appends; offsets must increase. False if the index is full.
    bool append(int64_t offset, uint32_t position);
    // Removes every entry whose offset is >= offset.
    void truncateTo(int64_t offset);
    OffsetPosition entry(size_t slot) const;
    // The last entry, or {baseOffset, 0}.
    OffsetPosition lastEntry() const;
    // Entries strictly increasing and within the segment; false means rebuild the index.
    bool isSane() const;

private:
    using MappedIndex::MappedIndex;
    // The slot of the largest entry with offset <= target, or -1.
    long slotFor(int64_t target) const;
};

}  // namespace partita::storage
