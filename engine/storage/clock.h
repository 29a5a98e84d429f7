// Clock: wall-clock milliseconds for storage policies, replaceable in tests that step time.
#pragma once

#include <atomic>
#include <cstdint>

namespace partita::storage {

// Segment rolling, retention, flush and compaction lags are all wall-clock rules; tests drive
// them with a ManualClock instead of sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    virtual int64_t nowMs() const = 0;
};

// The system's real-time clock (milliseconds since the epoch, as record timestamps).
const Clock& systemClock();

class ManualClock final : public Clock {
public:
    explicit ManualClock(int64_t startMs) : m_nowMs(startMs) {}
    int64_t nowMs() const override { return m_nowMs.load(std::memory_order_relaxed); }
    void advance(int64_t ms) { m_nowMs.fetch_add(ms, std::memory_order_relaxed); }
    void set(int64_t ms) { m_nowMs.store(ms, std::memory_order_relaxed); }

private:
    std::atomic<int64_t> m_nowMs;
};

}  // namespace partita::storage
