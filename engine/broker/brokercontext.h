// BrokerContext: what every handler shares: configuration, cluster metadata, the logs, waiting fetches.
#pragma once

#include "engine/broker/brokerconfig.h"
#include "engine/broker/datawaiters.h"
#include "engine/broker/fetchsessions.h"
#include "engine/protocol/result.h"
#include "engine/storage/logconfig.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace partita::protocol {
enum class ErrorCode : int16_t;
}

namespace partita::cluster {
class MetadataStore;
struct TopicInfo;
}  // namespace partita::cluster

namespace partita::coordinator {
class GroupCoordinator;
class CoordinatorTopic;
class ProducerIdManager;
class TransactionCoordinator;
class TransactionMarkers;
}  // namespace partita::coordinator

namespace partita::storage {
class Clock;
class LogManager;
class PartitionLog;
}  // namespace partita::storage

namespace partita::broker {

class BrokerMetrics;
class DynamicBrokerConfigs;

// A Kafka error code with the message the response carries (code 0: success).
struct ApiError {
    int16_t code = 0;
    std::string message;
    bool ok() const { return code == 0; }
};

// The most partitions one request may create (KRaft's controller refuses larger batches too): a
// bogus count must not make the broker allocate or create millions of anything.
inline constexpr int32_t kMaxPartitionsPerRequest = 10000;

// How far the broker decompresses one batch (validating a produce, recompressing, down-converting a
// fetch): a compression ratio of 64 over max.message.bytes, beyond which a batch is a bomb, not data.
inline size_t decompressionLimit(const storage::LogConfig& config) {
    return size_t(std::max(config.maxMessageBytes, 1)) * 64;
}

// An ApiError for a Kafka error code.
ApiError apiError(protocol::ErrorCode code, std::string message);

class BrokerContext {
public:
    BrokerContext(BrokerConfig config, cluster::MetadataStore& metadata, storage::LogManager& logs,
                  const storage::Clock& clock);
    ~BrokerContext();

    const BrokerConfig& config() const { return m_config; }
    int32_t nodeId() const { return m_config.nodeId; }
    cluster::MetadataStore& metadata() { return m_metadata; }
    storage::LogManager& logs() { return m_logs; }
    const storage::Clock& clock() const { return m_clock; }
    DataWaiters& waiters() { return m_waiters; }
    FetchSessions& fetchSessions() { return m_fetchSessions; }
    coordinator::GroupCoordinator& groups() { return *m_groups; }
    coordinator::ProducerIdManager& producerIds() { return *m_producerIds; }
    coordinator::TransactionCoordinator& transactions() { return *m_transactions; }
    coordinator::TransactionMarkers& transactionMarkers() { return *m_transactionMarkers; }
    // What /metrics serves (prometheus.listener); the handlers count into it.
    BrokerMetrics& metrics() { return *m_metrics; }

    // The topic's effective log config: Kafka defaults, broker log.* settings (dynamic ones included), topic
    // overrides.
    storage::LogConfig topicLogConfig(const std::string& topic);
    // What a topic without overrides gets now.
    storage::LogConfig defaultLogConfig() const;
    // The broker settings in force: server.properties overlaid with the dynamic defaults, then this broker's
    // dynamic configs.
    std::map<std::string, std::string> effectiveValues() const;
    DynamicBrokerConfigs& dynamicConfigs() { return *m_dynamic; }
    const DynamicBrokerConfigs& dynamicConfigs() const { return *m_dynamic; }
    // After a dynamic broker config changed: every open log gets its topic's new effective config.
    void applyDynamicConfigs();
    // This broker's log of a partition the metadata says it hosts, created on first use.
    // UNKNOWN_TOPIC_OR_PARTITION if the metadata has no such partition, NOT_LEADER_OR_FOLLOWER if
    // another broker leads it.
    ApiError leaderLog(const std::string& topic, int32_t partition, std::shared_ptr<storage::PartitionLog>& log);
    // Whether the metadata has this partition (offset commits and deletes name partitions).
    bool hasPartition(const std::string& topic, int32_t partition);

    // Kafka's topic name rule: 1-249 of [a-zA-Z0-9._-], not "." or "..".
    static ApiError validateTopicName(const std::string& name);
    // CreateTopics and auto-creation. numPartitions / replicationFactor of -1 take the broker's
    // defaults; a non-empty assignment takes precedence. validateOnly checks everything and
    // creates nothing.
    ApiError createTopic(const std::string& name, int32_t numPartitions, int16_t replicationFactor,
                         const std::vector<std::vector<int32_t>>& assignment,
                         const std::map<std::string, std::string>& configs, bool validateOnly);
    ApiError deleteTopic(const std::string& name);
    // __consumer_offsets and __transaction_state are created the first time a coordinator is looked
    // up, with the offsets.topic.* / transaction.state.log.* settings (internaltopics.cpp).
    ApiError ensureInternalTopic(const std::string& name);

private:
    ApiError checkTopicConfigs(const std::map<std::string, std::string>& configs);

    const BrokerConfig m_config;
    std::unique_ptr<DynamicBrokerConfigs> m_dynamic;  // loaded from the data directory at construction
    cluster::MetadataStore& m_metadata;
    storage::LogManager& m_logs;
    const storage::Clock& m_clock;
    DataWaiters m_waiters;
    FetchSessions m_fetchSessions;
    std::unique_ptr<coordinator::CoordinatorTopic> m_offsetsTopic;
    std::unique_ptr<coordinator::GroupCoordinator> m_groups;
    std::unique_ptr<coordinator::ProducerIdManager> m_producerIds;
    std::unique_ptr<coordinator::CoordinatorTopic> m_transactionTopic;
    std::unique_ptr<coordinator::TransactionMarkers> m_transactionMarkers;
    std::unique_ptr<coordinator::TransactionCoordinator> m_transactions;
    std::unique_ptr<BrokerMetrics> m_metrics;
};

// Kafka's error code for a storage failure (CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, ...).
ApiError storageError(const Error& error);

}  // namespace partita::broker
