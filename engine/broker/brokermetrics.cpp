// Kafka's broker metrics for partitad: request and topic counters on the hot path, gauges computed at scrape time.
#include "engine/broker/brokermetrics.h"

#include "engine/broker/brokercontext.h"
#include "engine/cluster/metadatastore.h"
#include "engine/metrics/metricsregistry.h"
#include "engine/protocol/apiregistry.h"
#include "engine/storage/logmanager.h"
#include "engine/storage/partitionlog.h"

#include <algorithm>

namespace partita::broker {

using metrics::Labels;
using metrics::MetricType;
using metrics::PrometheusSample;

struct BrokerMetrics::TopicCounters {
    metrics::Counter bytesIn, bytesOut, messagesIn, failedProduce, failedFetch, totalProduce, totalFetch;
};

struct BrokerMetrics::ApiCounters {
    std::array<metrics::Counter, kMaxApiVersion> requests;  // per version
    metrics::LatencySummary totalTimeMs;
    metrics::LatencySummary queueTimeMs;
};

namespace {

std::string apiName(int key) {
    const protocol::ApiInfo* info = protocol::findApi(int16_t(key));
    return info ? info->name : "Api" + std::to_string(key);
}

void summarySamples(std::vector<PrometheusSample>& out, const std::string& name, const Labels& labels,
                    const metrics::LatencySummary& summary) {
    std::vector<double> qs;
    for (const auto& [q, text] : metrics::MetricsRegistry::summaryQuantiles()) qs.push_back(q);
    std::vector<double> values = summary.quantiles(qs);
    for (size_t i = 0; i < values.size(); ++i) {
        Labels withQuantile = labels;
        withQuantile.emplace_back("quantile", metrics::MetricsRegistry::summaryQuantiles()[i].second);
        out.push_back({name, std::move(withQuantile), values[i], {}});
    }
    out.push_back({name + "_count", labels, double(summary.count()), {}});
    out.push_back({name + "_sum", labels, summary.sum(), {}});
}

}  // namespace

BrokerMetrics::BrokerMetrics(BrokerContext& context)
    : m_context(context),
      m_registry(std::make_unique<metrics::MetricsRegistry>()),
      m_allTopics(std::make_unique<TopicCounters>()),
      m_idleSince(std::chrono::steady_clock::now()) {
    // Every API partitad may serve gets its counters now, so the request path never allocates them.
    for (const protocol::ApiInfo& api : protocol::allApis())
        if (api.key >= 0 && api.key < kMaxApiKey) m_apis[size_t(api.key)] = std::make_unique<ApiCounters>();
    registerGauges();
}

BrokerMetrics::~BrokerMetrics() = default;

std::shared_ptr<BrokerMetrics::TopicCounters> BrokerMetrics::topic(const std::string& name) {
    {
        std::shared_lock lock(m_topicsMutex);
        auto it = m_topics.find(name);
        if (it != m_topics.end()) return it->second;
    }
    std::unique_lock lock(m_topicsMutex);
    auto& slot = m_topics[name];
    if (!slot) slot = std::make_shared<TopicCounters>();
    return slot;
}

std::shared_ptr<BrokerMetrics::TopicCounters> BrokerMetrics::knownTopic(const std::string& name) {
    {
        std::shared_lock lock(m_topicsMutex);
        auto it = m_topics.find(name);
        if (it != m_topics.end()) return it->second;
    }
    if (!m_context.metadata().partitionCount(name)) return nullptr;
    return topic(name);
}

void BrokerMetrics::topicDeleted(const std::string& name) {
    std::unique_lock lock(m_topicsMutex);
    m_topics.erase(name);
}

void BrokerMetrics::requestCompleted(int16_t apiKey, int16_t apiVersion, double totalMs, double queueMs, bool counted) {
    if (apiKey < 0 || apiKey >= kMaxApiKey || !m_apis[size_t(apiKey)]) return;
    ApiCounters& api = *m_apis[size_t(apiKey)];
    if (counted && apiVersion >= 0 && apiVersion < kMaxApiVersion) api.requests[size_t(apiVersion)].inc();
    api.totalTimeMs.observe(totalMs);
    api.queueTimeMs.observe(queueMs);
}

void BrokerMetrics::produced(const std::string& name, uint64_t records, uint64_t bytes) {
    auto t = topic(name);
    for (TopicCounters* c : {t.get(), m_allTopics.get()}) {
        c->totalProduce.inc();
        c->messagesIn.inc(records);
        c->bytesIn.inc(bytes);
    }
}

void BrokerMetrics::produceFailed(const std::string& name) {
    auto t = knownTopic(name);
    for (TopicCounters* c : {t.get(), m_allTopics.get()}) {
        if (!c) continue;
        c->totalProduce.inc();
        c->failedProduce.inc();
    }
}

void BrokerMetrics::fetched(const std::string& name, uint64_t bytes) {
    auto t = topic(name);
    for (TopicCounters* c : {t.get(), m_allTopics.get()}) {
        c->totalFetch.inc();
        c->bytesOut.inc(bytes);
    }
}

void BrokerMetrics::fetchFailed(const std::string& name) {
    auto t = knownTopic(name);
    for (TopicCounters* c : {t.get(), m_allTopics.get()}) {
        if (!c) continue;
        c->totalFetch.inc();
        c->failedFetch.inc();
    }
}

// The share of the last scrape interval the handler threads did not spend handling requests.
double BrokerMetrics::idleRatio() {
    std::lock_guard lock(m_idleMutex);
    auto now = std::chrono::steady_clock::now();
    auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(now - m_idleSince).count();
    // Too short an interval says nothing: keep the previous figure (two scrapers in a row).
    if (elapsed < 100'000'000) return m_lastIdle;
    uint64_t busy = m_busyNs.load(std::memory_order_relaxed);
    double threads = std::max(1, m_context.config().numNetworkThreads);
    double ratio = 1.0 - double(busy - m_idleBusyNs) / (double(elapsed) * threads);
    m_lastIdle = std::clamp(ratio, 0.0, 1.0);
    m_idleSince = now;
    m_idleBusyNs = busy;
    return m_lastIdle;
}

void BrokerMetrics::registerGauges() {
    metrics::MetricsRegistry& r = *m_registry;

    // kafka.server:type=BrokerTopicMetrics: one series over all topics and one per topic.
    using Field = metrics::Counter TopicCounters::*;
    struct TopicMetric {
        const char* name;
        const char* help;
        Field field;
    };
    static const TopicMetric kTopicMetrics[] = {
        {"kafka_server_brokertopicmetrics_bytesin_total", "Bytes appended by producers", &TopicCounters::bytesIn},
        {"kafka_server_brokertopicmetrics_bytesout_total", "Bytes sent to consumers", &TopicCounters::bytesOut},
        {"kafka_server_brokertopicmetrics_messagesin_total", "Records appended by producers",
         &TopicCounters::messagesIn},
        {"kafka_server_brokertopicmetrics_failedproducerequests_total", "Produce requests (per partition) that failed",
         &TopicCounters::failedProduce},
        {"kafka_server_brokertopicmetrics_failedfetchrequests_total", "Fetch requests (per partition) that failed",
         &TopicCounters::failedFetch},
        {"kafka_server_brokertopicmetrics_totalproducerequests_total", "Produce requests (per partition)",
         &TopicCounters::totalProduce},
        {"kafka_server_brokertopicmetrics_totalfetchrequests_total", "Fetch requests (per partition)",
         &TopicCounters::totalFetch},
    };
    for (const TopicMetric& metric : kTopicMetrics) {
        r.addCollector(metric.name, metric.help, MetricType::Counter,
                       [this, name = std::string(metric.name), field = metric.field](auto& out) {
                           out.push_back({name, {}, double((m_allTopics.get()->*field).value()), {}});
                           std::shared_lock lock(m_topicsMutex);
                           for (const auto& [topicName, counters] : m_topics)
                               out.push_back({name, {{"topic", topicName}}, double(((*counters).*field).value()), {}});
                       });
    }

    // kafka.network:type=RequestMetrics, for the APIs that have been asked for.
    r.addCollector("kafka_network_requestmetrics_requests_total", "Requests answered, per API and version",
                   MetricType::Counter, [this](auto& out) {
                       for (int key = 0; key < kMaxApiKey; ++key) {
                           if (!m_apis[size_t(key)]) continue;
                           for (int v = 0; v < kMaxApiVersion; ++v) {
                               uint64_t n = m_apis[size_t(key)]->requests[size_t(v)].value();
                               if (n == 0) continue;
                               out.push_back({"kafka_network_requestmetrics_requests_total",
                                              {{"request", apiName(key)}, {"version", std::to_string(v)}},
                                              double(n),
                                              {}});
                           }
                       }
                   });
    for (bool total : {true, false}) {
        std::string name =
            total ? "kafka_network_requestmetrics_totaltimems" : "kafka_network_requestmetrics_requestqueuetimems";
        r.addCollector(
            name,
            total ? "Time from a request being read to its response being ready, in ms"
                  : "Time a request waited before its handler started, in ms",
            MetricType::Summary, [this, name, total](auto& out) {
                for (int key = 0; key < kMaxApiKey; ++key) {
                    const ApiCounters* api = m_apis[size_t(key)].get();
                    if (!api || api->totalTimeMs.count() == 0) continue;
                    summarySamples(out, name, {{"request", apiName(key)}}, total ? api->totalTimeMs : api->queueTimeMs);
                }
            });
    }
    r.addCollector("kafka_network_requestchannel_requestqueuesize", "Requests read and not yet answered",
                   MetricType::Gauge, [this](auto& out) {
                       out.push_back({"kafka_network_requestchannel_requestqueuesize",
                                      {},
                                      double(std::max<int64_t>(0, m_inFlight.load())),
                                      {}});
                   });
    r.addCollector("kafka_network_requestchannel_responsequeuesize",
                   "Responses waiting to be sent (partitad sends them at once)", MetricType::Gauge, [](auto& out) {
                       out.push_back({"kafka_network_requestchannel_responsequeuesize", {}, 0, {}});
                   });
    // Both spellings: the common exporter rules end these in `_percent`, older ones keep `percent`.
    for (const char* name : {"kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent",
                             "kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent",
                             "kafka_network_socketserver_networkprocessoravgidle_percent",
                             "kafka_network_socketserver_networkprocessoravgidlepercent"}) {
        r.addCollector(name, "Share of time the broker threads were idle (0..1) since the last scrape",
                       MetricType::Gauge, [this, n = std::string(name)](auto& out) {
                           out.push_back({n, {}, idleRatio(), {}});
                       });
    }
    // Quotas: partitad does not throttle, so every client's throttle time is 0.
    for (const char* name : {"kafka_server_produce_throttle_time", "kafka_server_fetch_throttle_time",
                             "kafka_server_request_throttle_time"}) {
        r.addCollector(name, "Throttle time in ms (partitad applies no quotas)", MetricType::Gauge,
                       [n = std::string(name)](auto& out) {
                           out.push_back({n, {}, 0, {}});
                       });
    }

    // kafka.server:type=ReplicaManager and kafka.controller:type=KafkaController, from the metadata.
    struct PartitionCounts {
        double partitions = 0, leaders = 0, underReplicated = 0, underMinIsr = 0, offline = 0, total = 0, topics = 0;
    };
    auto counts = [this](std::vector<PrometheusSample>* perPartition) {
        PartitionCounts c;
        const int32_t self = m_context.nodeId();
        for (const auto& t : m_context.metadata().topics()) {
            ++c.topics;
            int32_t minIsr = 0;
            for (const auto& p : t.partitions) {
                ++c.total;
                if (p.leader < 0) ++c.offline;
                if (std::find(p.replicas.begin(), p.replicas.end(), self) != p.replicas.end()) ++c.partitions;
                if (p.leader != self) continue;
                ++c.leaders;
                if (p.isr.size() < p.replicas.size()) ++c.underReplicated;
                if (minIsr == 0) minIsr = m_context.topicLogConfig(t.name).minInsyncReplicas;
                bool under = int64_t(p.isr.size()) < minIsr;
                if (under) ++c.underMinIsr;
                if (perPartition)
                    perPartition->push_back({"kafka_cluster_partition_underminisr",
                                             {{"topic", t.name}, {"partition", std::to_string(p.partition)}},
                                             under ? 1.0 : 0.0,
                                             {}});
            }
        }
        return c;
    };
    struct CountMetric {
        const char* name;
        const char* help;
        double PartitionCounts::*field;
        bool controllerOnly;
    };
    static const CountMetric kCounts[] = {
        {"kafka_server_replicamanager_partitioncount", "Partitions with a replica on this broker",
         &PartitionCounts::partitions, false},
        {"kafka_server_replicamanager_leadercount", "Partitions this broker leads", &PartitionCounts::leaders, false},
        {"kafka_server_replicamanager_underreplicatedpartitions", "Led partitions whose ISR is short of the replicas",
         &PartitionCounts::underReplicated, false},
        {"kafka_server_replicamanager_underminisrpartitioncount",
         "Led partitions whose ISR is under min.insync.replicas", &PartitionCounts::underMinIsr, false},
        {"kafka_controller_kafkacontroller_offlinepartitionscount",
         "Partitions without a leader (active controller only)", &PartitionCounts::offline, true},
        {"kafka_controller_kafkacontroller_globalpartitioncount", "Partitions in the cluster (active controller only)",
         &PartitionCounts::total, true},
        {"kafka_controller_kafkacontroller_globaltopiccount", "Topics in the cluster (active controller only)",
         &PartitionCounts::topics, true},
    };
    for (const CountMetric& metric : kCounts) {
        r.addCollector(metric.name, metric.help, MetricType::Gauge, [this, metric, counts](auto& out) {
            bool active = m_context.metadata().controllerId() == m_context.nodeId();
            double value = metric.controllerOnly && !active ? 0.0 : counts(nullptr).*metric.field;
            out.push_back({metric.name, {}, value, {}});
        });
    }
    r.addCollector("kafka_cluster_partition_underminisr", "1 when a led partition's ISR is under min.insync.replicas",
                   MetricType::Gauge, [counts](auto& out) { counts(&out); });
    r.addCollector("kafka_controller_kafkacontroller_activecontrollercount", "1 on the active controller",
                   MetricType::Gauge, [this](auto& out) {
                       out.push_back({"kafka_controller_kafkacontroller_activecontrollercount",
                                      {},
                                      m_context.metadata().controllerId() == m_context.nodeId() ? 1.0 : 0.0,
                                      {}});
                   });

    // kafka.log:type=Log, per partition log on this broker.
    r.addCollector("kafka_log_log_size", "Bytes of the partition's log on disk", MetricType::Gauge, [this](auto& out) {
        for (const auto& log : m_context.logs().logs())
            out.push_back({"kafka_log_log_size",
                           {{"topic", log->topic()}, {"partition", std::to_string(log->partition())}},
                           double(log->sizeInBytes()),
                           {}});
    });
    r.addCollector("kafka_log_log_logendoffset", "The partition's log end offset", MetricType::Gauge,
                   [this](auto& out) {
                       for (const auto& log : m_context.logs().logs())
                           out.push_back({"kafka_log_log_logendoffset",
                                          {{"topic", log->topic()}, {"partition", std::to_string(log->partition())}},
                                          double(log->logEndOffset()),
                                          {}});
                   });
    r.addCollector("kafka_log_log_logstartoffset", "The partition's log start offset", MetricType::Gauge,
                   [this](auto& out) {
                       for (const auto& log : m_context.logs().logs())
                           out.push_back({"kafka_log_log_logstartoffset",
                                          {{"topic", log->topic()}, {"partition", std::to_string(log->partition())}},
                                          double(log->logStartOffset()),
                                          {}});
                   });
}

}  // namespace partita::broker
