// Lookups and appends on the .index file.
#include "engine/storage/offsetindex.h"

#include "engine/protocol/records/byteorder.h"

namespace partita::storage {

using protocol::records::loadBe32;
using protocol::records::storeBe32;

Result<std::unique_ptr<OffsetIndex>> OffsetIndex::open(const std::string& path, int64_t baseOffset, bool writable,
                                                       int32_t maxIndexBytes, bool preallocate) {
    std::unique_ptr<OffsetIndex> index(new OffsetIndex(path, baseOffset, kEntrySize));
    if (Status st = index->MappedIndex::open(writable, maxIndexBytes, preallocate); !st) return st.error();
    return index;
}

OffsetPosition OffsetIndex::entry(size_t slot) const {
    const uint8_t* p = entryAt(slot);
    return {baseOffset() + int64_t(loadBe32(p)), loadBe32(p + 4)};
}

long OffsetIndex::slotFor(int64_t target) const {
    long lo = 0, hi = long(entries()) - 1, found = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (entry(size_t(mid)).offset <= target) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

OffsetPosition OffsetIndex::lookup(int64_t target) const {
    long slot = slotFor(target);
    return slot < 0 ? OffsetPosition{baseOffset(), 0} : entry(size_t(slot));
}

uint32_t OffsetIndex::lastPositionAtOrBelow(uint64_t position) const {
    long lo = 0, hi = long(entries()) - 1;
    uint32_t found = 0;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        uint32_t p = entry(size_t(mid)).position;
        if (p <= position) {
            found = p;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

bool OffsetIndex::append(int64_t offset, uint32_t position) {
    if (isFull()) return false;
    uint8_t* p = appendSlot();
    storeBe32(p, uint32_t(offset - baseOffset()));
    storeBe32(p + 4, position);
    publishAppend();
    return true;
}

void OffsetIndex::truncateTo(int64_t offset) {
    truncateToEntries(size_t(slotFor(offset - 1) + 1));
}

OffsetPosition OffsetIndex::lastEntry() const {
    size_t n = entries();
    return n == 0 ? OffsetPosition{baseOffset(), 0} : entry(n - 1);
}

bool OffsetIndex::isSane() const {
    size_t n = entries();
    for (size_t i = 0; i < n; ++i) {
        OffsetPosition e = entry(i);
        if (e.offset < baseOffset()) return false;
        if (i > 0) {
            OffsetPosition prev = entry(i - 1);
            if (e.offset <= prev.offset || e.position <= prev.position) return false;
        }
    }
    return true;
}

}  // namespace partita::storage
