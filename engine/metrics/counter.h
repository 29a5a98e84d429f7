// Counter and Gauge: the lock-free values a hot path updates (relaxed atomics, read at scrape time).
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>

namespace partita::metrics {

// Only goes up; Prometheus names it with a `_total` suffix.
class Counter {
public:
    void inc(uint64_t by = 1) { m_value.fetch_add(by, std::memory_order_relaxed); }
    uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> m_value{0};
};

// A value that goes up and down; doubles are kept as their bit pattern so set() is one store.
class Gauge {
public:
    void set(double value) { m_bits.store(std::bit_cast<uint64_t>(value), std::memory_order_relaxed); }
    void add(double delta) {
        uint64_t old = m_bits.load(std::memory_order_relaxed);
        while (!m_bits.compare_exchange_weak(old, std::bit_cast<uint64_t>(std::bit_cast<double>(old) + delta),
                                             std::memory_order_relaxed)) {
        }
    }
    double value() const { return std::bit_cast<double>(m_bits.load(std::memory_order_relaxed)); }

private:
    std::atomic<uint64_t> m_bits{std::bit_cast<uint64_t>(0.0)};
};

}  // namespace partita::metrics
