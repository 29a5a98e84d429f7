// LatencySummary: count, sum and quantiles over the most recent observations (a Prometheus summary).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace partita::metrics {

// Observations go into a ring of the last kWindow values with one atomic increment and two stores,
// so recording never takes a lock; quantiles are computed from a copy of the ring at scrape time
// (like the reservoir behind Kafka's Yammer histograms, which the JMX exporter reads as
// 50thPercentile, 99thPercentile, ...). A value torn by a concurrent write only skews one sample.
class LatencySummary {
public:
    static constexpr size_t kWindow = 1024;

    void observe(double value);
    uint64_t count() const { return m_count.load(std::memory_order_relaxed); }
    double sum() const;
    // The q-quantiles (0 <= q <= 1) of the window, in the order asked; 0 for an empty window.
    std::vector<double> quantiles(const std::vector<double>& qs) const;

private:
    std::array<std::atomic<double>, kWindow> m_ring{};
    std::atomic<uint64_t> m_count{0};
    std::atomic<uint64_t> m_sumMicros{0};  // the sum in millionths, so it can be one atomic add
};

}  // namespace partita::metrics
