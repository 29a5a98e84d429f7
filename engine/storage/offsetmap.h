// OffsetMap: the cleaner's fixed-budget table from key digests to the latest offset of each key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace partita::storage {

// Kafka's SkimpyOffsetMap idea: keys are never stored, only a 128-bit digest (XXH3), so a fixed
// memory budget holds a known number of keys whatever their size. Two keys sharing a digest
// would merge; at 128 bits that is not a practical concern. Open addressing with linear probing
// (24-byte slots, so probes stay within a cache line or two); full at kLoadFactor.
// Not thread-safe: one cleaning round owns it.
class OffsetMap {
public:
    static constexpr double kLoadFactor = 0.9;
    static constexpr size_t kSlotBytes = 24;

    // Up to memoryBytes of slots; nothing is allocated until reset().
    explicit OffsetMap(size_t memoryBytes);
    ~OffsetMap();
    OffsetMap(const OffsetMap&) = delete;
    OffsetMap& operator=(const OffsetMap&) = delete;

    // Empties the map and sizes it for about expectedKeys keys (never above the budget), so a
    // small log does not pay for the whole budget. Reuses the allocation when it is big enough.
    void reset(uint64_t expectedKeys);

    // Records `offset` as the latest offset of `key`; offsets must grow (the log is scanned forward).
    void put(std::span<const uint8_t> key, int64_t offset);
    // The latest offset put for `key`, or -1.
    int64_t get(std::span<const uint8_t> key) const;

    size_t size() const { return m_entries; }
    size_t slotCount() const { return m_slots; }
    // How many keys fit before the map counts as full.
    size_t maxEntries() const { return size_t(double(m_slots) * kLoadFactor); }
    bool canHold(size_t moreKeys) const { return m_entries + moreKeys <= maxEntries(); }
    // The highest offset put since reset(), or -1.
    int64_t latestOffset() const { return m_latestOffset; }
    double utilization() const { return m_slots == 0 ? 0.0 : double(m_entries) / double(m_slots); }
    size_t budgetBytes() const { return m_budgetSlots * kSlotBytes; }
    size_t allocatedBytes() const { return m_capacity * kSlotBytes; }

private:
    struct Slot {
        uint64_t lo;
        uint64_t hi;
        int64_t offsetPlusOne;  // 0 marks an empty slot, so a zeroed table is empty
    };
    static_assert(sizeof(Slot) == kSlotBytes);

    Slot* find(uint64_t lo, uint64_t hi) const;

    size_t m_budgetSlots;
    std::unique_ptr<Slot[]> m_table;
    size_t m_capacity = 0;  // slots allocated
    size_t m_slots = 0;     // slots in use this round (<= m_capacity)
    size_t m_entries = 0;
    int64_t m_latestOffset = -1;
};

}  // namespace partita::storage
