// Lookups and appends on the .timeindex file.
#include "engine/storage/timeindex.h"

#include "engine/protocol/records/byteorder.h"

namespace partita::storage {

using protocol::records::loadBe32;
using protocol::records::loadBeI64;
using protocol::records::storeBe32;
using protocol::records::storeBe64;

Result<std::unique_ptr<TimeIndex>> TimeIndex::open(const std::string& path, int64_t baseOffset, bool writable,
                                                   int32_t maxIndexBytes, bool preallocate) {
    std::unique_ptr<TimeIndex> index(new TimeIndex(path, baseOffset, kEntrySize));
    if (Status st = index->MappedIndex::open(writable, maxIndexBytes, preallocate); !st) return st.error();
    return index;
}

TimestampOffset TimeIndex::entry(size_t slot) const {
    const uint8_t* p = entryAt(slot);
    return {loadBeI64(p), baseOffset() + int64_t(loadBe32(p + 8))};
}

std::optional<TimestampOffset> TimeIndex::lastEntryBefore(int64_t targetTimestamp) const {
    long lo = 0, hi = long(entries()) - 1, found = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (entry(size_t(mid)).timestamp < targetTimestamp) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (found < 0) return std::nullopt;
    return entry(size_t(found));
}

bool TimeIndex::maybeAppend(int64_t timestamp, int64_t offset) {
    std::optional<TimestampOffset> last = lastEntry();
    if (last && (timestamp <= last->timestamp || offset <= last->offset)) return true;
    if (isFull()) return false;
    uint8_t* p = appendSlot();
    storeBe64(p, uint64_t(timestamp));
    storeBe32(p + 8, uint32_t(offset - baseOffset()));
    publishAppend();
    return true;
}

void TimeIndex::truncateTo(int64_t offset) {
    size_t keep = entries();
    while (keep > 0 && entry(keep - 1).offset >= offset) --keep;
    truncateToEntries(keep);
}

std::optional<TimestampOffset> TimeIndex::lastEntry() const {
    size_t n = entries();
    if (n == 0) return std::nullopt;
    return entry(n - 1);
}

bool TimeIndex::isSane() const {
    size_t n = entries();
    for (size_t i = 0; i < n; ++i) {
        TimestampOffset e = entry(i);
        if (e.offset < baseOffset()) return false;
        if (i > 0) {
            TimestampOffset prev = entry(i - 1);
            if (e.timestamp <= prev.timestamp || e.offset <= prev.offset) return false;
        }
    }
    return true;
}

}  // namespace partita::storage
