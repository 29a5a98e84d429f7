// BrokerMetrics: what partitad measures, under the names the JMX exporter gives Kafka's MBeans.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace partita::metrics {
class Counter;
class LatencySummary;
class MetricsRegistry;
}  // namespace partita::metrics

namespace partita::broker {

class BrokerContext;

// Request counts, latencies and per-topic traffic are updated with atomics on the request path (a
// topic's counters are found under a shared lock); partition and log gauges are computed from the
// metadata and the logs when /metrics is scraped. Names follow the usual JMX exporter rules for
// Kafka (lowercased, `PerSec` meters as `_total` counters, percentiles as `quantile` labels), so
// dashboards and alert rules written for Kafka work unchanged.
class BrokerMetrics {
public:
    static constexpr int kMaxApiKey = 128;
    static constexpr int kMaxApiVersion = 32;

    explicit BrokerMetrics(BrokerContext& context);
    ~BrokerMetrics();

    metrics::MetricsRegistry& registry() { return *m_registry; }

    // One request answered: kafka.network:type=RequestMetrics for its API and version. `queueMs` is
    // the time between the frame being read and the handler starting.
    void requestCompleted(int16_t apiKey, int16_t apiVersion, double totalMs, double queueMs, bool counted);
    // Requests read and not yet answered (RequestChannel's queue); long-polling fetches are not
    // counted, as Kafka parks them in purgatory outside the queue.
    void requestStarted() { m_inFlight.fetch_add(1, std::memory_order_relaxed); }
    void requestFinished() { m_inFlight.fetch_sub(1, std::memory_order_relaxed); }
    // Time a handler worked (not waited), for the idle ratios.
    void addBusyTime(std::chrono::nanoseconds busy) {
        m_busyNs.fetch_add(uint64_t(busy.count()), std::memory_order_relaxed);
    }

    // BrokerTopicMetrics, per topic and over all topics.
    void produced(const std::string& topic, uint64_t records, uint64_t bytes);
    void produceFailed(const std::string& topic);
    void fetched(const std::string& topic, uint64_t bytes);
    void fetchFailed(const std::string& topic);
    // Its per-topic series go, as Kafka removes a deleted topic's BrokerTopicMetrics.
    void topicDeleted(const std::string& topic);

private:
    struct TopicCounters;
    struct ApiCounters;
    // Shared: a deleted topic's counters may still be in a request's hands.
    std::shared_ptr<TopicCounters> topic(const std::string& name);
    // Failures name topics clients made up too: those count in the total only, so a client cannot
    // grow the per-topic map without bound.
    std::shared_ptr<TopicCounters> knownTopic(const std::string& name);
    void registerGauges();
    double idleRatio();

    BrokerContext& m_context;
    std::unique_ptr<metrics::MetricsRegistry> m_registry;
    std::unique_ptr<TopicCounters> m_allTopics;
    std::shared_mutex m_topicsMutex;
    std::map<std::string, std::shared_ptr<TopicCounters>> m_topics;
    std::array<std::unique_ptr<ApiCounters>, kMaxApiKey> m_apis;
    std::atomic<int64_t> m_inFlight{0};
    std::atomic<uint64_t> m_busyNs{0};
    std::chrono::steady_clock::time_point m_idleSince;
    uint64_t m_idleBusyNs = 0;
    double m_lastIdle = 1.0;
    std::mutex m_idleMutex;
};

}  // namespace partita::broker
