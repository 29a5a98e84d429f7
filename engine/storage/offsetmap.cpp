// OffsetMap: digest table with linear probing under a fixed memory budget.
#include "engine/storage/offsetmap.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

namespace partita::storage {

OffsetMap::OffsetMap(size_t memoryBytes) : m_budgetSlots(std::max<size_t>(memoryBytes / kSlotBytes, 16)) {}

OffsetMap::~OffsetMap() = default;

void OffsetMap::reset(uint64_t expectedKeys) {
    // Room for every expected key below the load factor, plus slack so that probing stays short.
    uint64_t wanted = uint64_t(double(expectedKeys) / kLoadFactor) + 16;
    size_t slots = size_t(std::min<uint64_t>(wanted, m_budgetSlots));
    if (slots > m_capacity) {
        m_table.reset();  // release first: the old and the new table never coexist
        m_table.reset(new Slot[slots]);
        m_capacity = slots;
    }
    m_slots = slots;
    std::memset(static_cast<void*>(m_table.get()), 0, m_slots * sizeof(Slot));
    m_entries = 0;
    m_latestOffset = -1;
}

OffsetMap::Slot* OffsetMap::find(uint64_t lo, uint64_t hi) const {
    // The table always keeps free slots (full at kLoadFactor), so the probe ends.
    size_t i = size_t(hi % m_slots);
    for (;;) {
        Slot* slot = &m_table[i];
        if (slot->offsetPlusOne == 0 || (slot->lo == lo && slot->hi == hi)) return slot;
        if (++i == m_slots) i = 0;
    }
}

void OffsetMap::put(std::span<const uint8_t> key, int64_t offset) {
    if (m_slots == 0) return;
    XXH128_hash_t digest = XXH3_128bits(key.data(), key.size());
    Slot* slot = find(digest.low64, digest.high64);
    if (slot->offsetPlusOne == 0) {
        if (m_entries + 1 >= m_slots) return;  // never fill the last slot; callers check canHold()
        slot->lo = digest.low64;
        slot->hi = digest.high64;
        ++m_entries;
    }
    slot->offsetPlusOne = offset + 1;
    m_latestOffset = std::max(m_latestOffset, offset);
}

int64_t OffsetMap::get(std::span<const uint8_t> key) const {
    if (m_slots == 0) return -1;
    XXH128_hash_t digest = XXH3_128bits(key.data(), key.size());
    const Slot* slot = find(digest.low64, digest.high64);
    return slot->offsetPlusOne - 1;
}

}  // namespace partita::storage
