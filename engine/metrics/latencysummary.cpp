// Recording into the ring and reading quantiles out of a sorted copy.
#include "engine/metrics/latencysummary.h"

#include <algorithm>
#include <cmath>

namespace partita::metrics {

void LatencySummary::observe(double value) {
    if (!std::isfinite(value) || value < 0) value = 0;
    uint64_t slot = m_count.fetch_add(1, std::memory_order_relaxed);
    m_ring[slot % kWindow].store(value, std::memory_order_relaxed);
    m_sumMicros.fetch_add(uint64_t(std::llround(value * 1e6)), std::memory_order_relaxed);
}

double LatencySummary::sum() const {
    return double(m_sumMicros.load(std::memory_order_relaxed)) / 1e6;
}

std::vector<double> LatencySummary::quantiles(const std::vector<double>& qs) const {
    size_t filled = size_t(std::min<uint64_t>(count(), kWindow));
    std::vector<double> window(filled);
    for (size_t i = 0; i < filled; ++i) window[i] = m_ring[i].load(std::memory_order_relaxed);
    std::sort(window.begin(), window.end());
    std::vector<double> out;
    out.reserve(qs.size());
    for (double q : qs) {
        if (window.empty()) {
            out.push_back(0);
            continue;
        }
        // Nearest rank, as Dropwizard's snapshot does.
        double rank = std::clamp(q, 0.0, 1.0) * double(window.size() - 1);
        out.push_back(window[size_t(std::llround(rank))]);
    }
    return out;
}

}  // namespace partita::metrics
