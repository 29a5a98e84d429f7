// MetricsRegistry: named metric families (counters, gauges, summaries, scrape-time collectors) and their exposition.
#pragma once

#include "engine/metrics/counter.h"
#include "engine/metrics/latencysummary.h"
#include "engine/metrics/prometheustext.h"

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace partita::metrics {

enum class MetricType { Counter, Gauge, Summary, Untyped };

// Hot paths keep the Counter& / Gauge& / LatencySummary& they got once (references stay valid for the
// registry's life) and update it with atomics only. Lookups by labels (a topic's counter) take a
// shared lock that writers of new series only take exclusively. A collector runs at scrape time and
// emits samples computed then (partition counts, log sizes), so nothing is kept up to date for them.
class MetricsRegistry {
public:
    using Collector = std::function<void(std::vector<PrometheusSample>& out)>;

    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    // The series `name{labels}`, created on first use. A name keeps the type and help of its first use.
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    LatencySummary& summary(const std::string& name, const std::string& help, const Labels& labels = {});
    // A family whose samples `collect` produces at each scrape; samples may be named name, name_count, ...
    void addCollector(const std::string& name, const std::string& help, MetricType type, Collector collect);

    // The quantiles every summary reports, labelled as the JMX exporter does: 50thPercentile -> "0.50".
    static const std::vector<std::pair<double, std::string>>& summaryQuantiles();

    // Every family in name order, HELP and TYPE lines first (text format 0.0.4).
    std::string exposition() const;

private:
    struct Family;
    Family& family(const std::string& name, const std::string& help, MetricType type);

    mutable std::shared_mutex m_mutex;
    std::map<std::string, std::unique_ptr<Family>> m_families;
};

}  // namespace partita::metrics
