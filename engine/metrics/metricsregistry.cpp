// Families of series keyed by labels, created on first use, written out in the text format at scrape time.
#include "engine/metrics/metricsregistry.h"

#include <mutex>

namespace partita::metrics {

struct MetricsRegistry::Family {
    std::string help;
    MetricType type = MetricType::Untyped;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<LatencySummary>> summaries;
    std::vector<Collector> collectors;
};

namespace {

const char* typeName(MetricType type) {
    switch (type) {
        case MetricType::Counter:
            return "counter";
        case MetricType::Gauge:
            return "gauge";
        case MetricType::Summary:
            return "summary";
        case MetricType::Untyped:
            break;
    }
    return "untyped";
}

// Finds the series under a shared lock; only a new one takes the lock exclusively.
template <class T>
T& series(std::shared_mutex& mutex, std::map<Labels, std::unique_ptr<T>>& map, const Labels& labels) {
    {
        std::shared_lock lock(mutex);
        auto it = map.find(labels);
        if (it != map.end()) return *it->second;
    }
    std::unique_lock lock(mutex);
    auto& slot = map[labels];
    if (!slot) slot = std::make_unique<T>();
    return *slot;
}

void line(std::string& out, const std::string& name, const Labels& labels, double value) {
    out += formatSeries(name, labels);
    out += ' ';
    out += formatValue(value);
    out += '\n';
}

}  // namespace

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, const std::string& help, MetricType type) {
    {
        std::shared_lock lock(m_mutex);
        auto it = m_families.find(name);
        if (it != m_families.end()) return *it->second;
    }
    std::unique_lock lock(m_mutex);
    auto& slot = m_families[name];
    if (!slot) {
        slot = std::make_unique<Family>();
        slot->help = help;
        slot->type = type;
    }
    return *slot;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help, const Labels& labels) {
    return series(m_mutex, family(name, help, MetricType::Counter).counters, labels);
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
    return series(m_mutex, family(name, help, MetricType::Gauge).gauges, labels);
}

LatencySummary& MetricsRegistry::summary(const std::string& name, const std::string& help, const Labels& labels) {
    return series(m_mutex, family(name, help, MetricType::Summary).summaries, labels);
}

void MetricsRegistry::addCollector(const std::string& name, const std::string& help, MetricType type,
                                   Collector collect) {
    Family& f = family(name, help, type);
    std::unique_lock lock(m_mutex);
    f.collectors.push_back(std::move(collect));
}

const std::vector<std::pair<double, std::string>>& MetricsRegistry::summaryQuantiles() {
    static const std::vector<std::pair<double, std::string>> quantiles{
        {0.50, "0.50"}, {0.75, "0.75"}, {0.95, "0.95"}, {0.98, "0.98"}, {0.99, "0.99"}, {0.999, "0.999"}};
    return quantiles;
}

std::string MetricsRegistry::exposition() const {
    std::vector<double> qs;
    for (const auto& [q, text] : summaryQuantiles()) qs.push_back(q);
    std::string out;
    // Collectors run under the shared lock: they must not create series in this registry.
    std::shared_lock lock(m_mutex);
    for (const auto& [name, f] : m_families) {
        out += "# HELP " + name + ' ' + escapeHelp(f->help) + '\n';
        out += "# TYPE " + name + ' ' + typeName(f->type) + '\n';
        for (const auto& [labels, c] : f->counters) line(out, name, labels, double(c->value()));
        for (const auto& [labels, g] : f->gauges) line(out, name, labels, g->value());
        for (const auto& [labels, s] : f->summaries) {
            std::vector<double> values = s->quantiles(qs);
            for (size_t i = 0; i < values.size(); ++i) {
                Labels withQuantile = labels;
                withQuantile.emplace_back("quantile", summaryQuantiles()[i].second);
                line(out, name, withQuantile, values[i]);
            }
            line(out, name + "_count", labels, double(s->count()));
            line(out, name + "_sum", labels, s->sum());
        }
        std::vector<PrometheusSample> samples;
        for (const auto& collect : f->collectors) collect(samples);
        for (const auto& sample : samples) line(out, sample.name, sample.labels, sample.value);
    }
    return out;
}

}  // namespace partita::metrics
