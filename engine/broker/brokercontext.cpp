// Topic creation and deletion rules, partition log lookup, and storage errors as Kafka error codes.
#include "engine/broker/brokercontext.h"

#include "engine/broker/brokermetrics.h"
#include "engine/broker/dynamicbrokerconfigs.h"
#include "engine/broker/internaltopics.h"
#include "engine/cluster/metadatastore.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/coordinator/produceridmanager.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/storage/logmanager.h"
#include "engine/storage/partitionlog.h"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace partita::broker {

using protocol::ErrorCode;

namespace {
constexpr size_t kMaxTopicNameLength = 249;

// A file that cannot be applied does not stop the broker: it says so, keeps the file aside for the operator
// and runs on server.properties, which is what a broker without dynamic configs does.
std::unique_ptr<DynamicBrokerConfigs> loadDynamicConfigs(const BrokerConfig& config) {
    auto dynamic =
        std::make_unique<DynamicBrokerConfigs>(config.logDir + "/" + std::string(DynamicBrokerConfigs::kFileName));
    if (Status st = dynamic->load(); !st) {
        const std::string aside = dynamic->path() + ".corrupt";
        std::error_code ec;
        std::filesystem::rename(dynamic->path(), aside, ec);
        spdlog::error("{}; the broker starts without dynamic broker configs{}", st.error().message,
                      ec ? "" : " (the file was moved to " + aside + ")");
    }
    return dynamic;
}
}  // namespace

namespace {
ApiError tooManyPartitions(int64_t count) {
    return apiError(ErrorCode::InvalidPartitions, "Number of partitions " + std::to_string(count) +
                                                      " is over the limit of " +
                                                      std::to_string(kMaxPartitionsPerRequest) + " per request.");
}
}  // namespace

ApiError apiError(ErrorCode code, std::string message) {
    return {protocol::code(code), std::move(message)};
}

ApiError storageError(const Error& error) {
    switch (error.kind) {
        case ErrorKind::Corrupt:
        case ErrorKind::Malformed:
        case ErrorKind::Truncated:
            return apiError(ErrorCode::CorruptMessage, error.message);
        case ErrorKind::TooLarge:
            return apiError(ErrorCode::MessageTooLarge, error.message);
        case ErrorKind::InvalidArgument:
            return apiError(ErrorCode::InvalidTimestamp, error.message);
        case ErrorKind::Unsupported:
            return apiError(ErrorCode::InvalidRecord, error.message);
        case ErrorKind::OutOfRange:
            return apiError(ErrorCode::OffsetOutOfRange, error.message);
        case ErrorKind::Io:
            return apiError(ErrorCode::KafkaStorageError, error.message);
        case ErrorKind::OutOfOrderSequence:
            return apiError(ErrorCode::OutOfOrderSequenceNumber, error.message);
        case ErrorKind::StaleProducerEpoch:
            return apiError(ErrorCode::InvalidProducerEpoch, error.message);
        case ErrorKind::Network:
        case ErrorKind::Timeout:
        case ErrorKind::Cancelled:
        case ErrorKind::Authentication:
        case ErrorKind::Broker:
            break;  // client-side kinds; storage never returns them
    }
    return apiError(ErrorCode::UnknownServerError, error.message);
}

BrokerContext::BrokerContext(BrokerConfig config, cluster::MetadataStore& metadata, storage::LogManager& logs,
                             const storage::Clock& clock)
    : m_config(std::move(config)),
      m_dynamic(loadDynamicConfigs(m_config)),
      m_metadata(metadata),
      m_logs(logs),
      m_clock(clock),
      m_fetchSessions(size_t(std::max(0, m_config.maxIncrementalFetchSessionCacheSlots))),
      m_offsetsTopic(makeCoordinatorTopic(*this, coordinator::kOffsetsTopic)),
      m_groups(
          std::make_unique<coordinator::GroupCoordinator>(groupCoordinatorConfig(m_config), *m_offsetsTopic, clock)),
      m_producerIds(std::make_unique<coordinator::ProducerIdManager>(
          [&metadata](int32_t count) { return metadata.allocateProducerIds(count); })),
      m_transactionTopic(makeCoordinatorTopic(*this, coordinator::kTransactionStateTopic)),
      m_transactionMarkers(makeTransactionMarkers(*this)),
      m_transactions(std::make_unique<coordinator::TransactionCoordinator>(
          transactionCoordinatorConfig(m_config), *m_transactionTopic, *m_transactionMarkers, *m_producerIds, clock)),
      m_metrics(std::make_unique<BrokerMetrics>(*this)) {
    // Logs recovered before the broker existed were opened with server.properties alone.
    applyDynamicConfigs();
}

BrokerContext::~BrokerContext() = default;

storage::LogConfig BrokerContext::topicLogConfig(const std::string& topic) {
    std::map<std::string, std::string> overrides;
    if (auto info = m_metadata.topic(topic)) overrides = info->configs;
    auto config = storage::makeLogConfig(overrides, effectiveValues());
    if (!config) {
        // Stored overrides were validated when set; a broker default changed since may not fit.
        spdlog::warn("topic {}: {}; using the broker defaults", topic, config.error().message);
        return defaultLogConfig();
    }
    return *config;
}

storage::LogConfig BrokerContext::defaultLogConfig() const {
    // Dynamic changes are checked against server.properties before they are stored, so this holds.
    auto config = storage::makeLogConfig({}, effectiveValues());
    return config ? *config : m_config.defaultLogConfig;
}

std::map<std::string, std::string> BrokerContext::effectiveValues() const {
    return m_dynamic->effective(m_config.values);
}

void BrokerContext::applyDynamicConfigs() {
    for (const cluster::TopicInfo& info : m_metadata.topics()) {
        std::optional<storage::LogConfig> config;
        for (size_t p = 0; p < info.partitions.size(); ++p) {
            auto log = m_logs.getLog(info.name, int32_t(p));
            if (!log) continue;
            if (!config) config = topicLogConfig(info.name);
            log->updateConfig(*config);
        }
    }
}

ApiError BrokerContext::leaderLog(const std::string& topic, int32_t partition,
                                  std::shared_ptr<storage::PartitionLog>& log) {
    auto info = m_metadata.topic(topic);
    if (!info || partition < 0 || size_t(partition) >= info->partitions.size()) {
        return apiError(ErrorCode::UnknownTopicOrPartition,
                        "This server does not host this topic-partition: " + topic + "-" + std::to_string(partition));
    }
    if (info->partitions[size_t(partition)].leader != m_config.nodeId) {
        return apiError(ErrorCode::NotLeaderOrFollower,
                        "This server is not the leader for " + topic + "-" + std::to_string(partition));
    }
    if ((log = m_logs.getLog(topic, partition))) return {};
    auto created = m_logs.getOrCreateLog(topic, partition, topicLogConfig(topic));
    if (!created) return storageError(created.error());
    log = *created;
    return {};
}

bool BrokerContext::hasPartition(const std::string& topic, int32_t partition) {
    auto count = m_metadata.partitionCount(topic);
    return count && partition >= 0 && partition < *count;
}

ApiError BrokerContext::validateTopicName(const std::string& name) {
    if (name.empty()) return apiError(ErrorCode::InvalidTopicException, "Topic name is illegal, it can't be empty");
    if (name == "." || name == "..") {
        return apiError(ErrorCode::InvalidTopicException, "Topic name cannot be \".\" or \"..\"");
    }
    if (name.size() > kMaxTopicNameLength) {
        return apiError(ErrorCode::InvalidTopicException, "Topic name " + name + " is longer than the maximum of " +
                                                              std::to_string(kMaxTopicNameLength) + " characters");
    }
    for (char c : name) {
        bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                     c == '_' || c == '-';
        if (!legal) {
            return apiError(ErrorCode::InvalidTopicException,
                            "Topic name " + name +
                                " is illegal, it contains a character other than ASCII alphanumerics, "
                                "'.', '_' and '-'");
        }
    }
    return {};
}

ApiError BrokerContext::checkTopicConfigs(const std::map<std::string, std::string>& configs) {
    for (const auto& [key, value] : configs) {
        if (Status st = storage::validateTopicConfig(key, value); !st) {
            return apiError(ErrorCode::InvalidConfig, st.error().message);
        }
    }
    auto merged = storage::makeLogConfig(configs, effectiveValues());
    if (!merged) return apiError(ErrorCode::InvalidConfig, merged.error().message);
    return {};
}

ApiError BrokerContext::createTopic(const std::string& name, int32_t numPartitions, int16_t replicationFactor,
                                    const std::vector<std::vector<int32_t>>& assignment,
                                    const std::map<std::string, std::string>& configs, bool validateOnly) {
    if (ApiError e = validateTopicName(name); !e.ok()) return e;
    if (m_metadata.topic(name)) {
        return apiError(ErrorCode::TopicAlreadyExists, "Topic '" + name + "' already exists.");
    }
    std::vector<int32_t> brokerIds;
    for (const auto& broker : m_metadata.brokers()) brokerIds.push_back(broker.nodeId);
    std::vector<std::vector<int32_t>> replicas = assignment;
    if (replicas.empty()) {
        int32_t partitions = numPartitions == -1 ? m_config.numPartitions : numPartitions;
        int16_t factor = replicationFactor == -1 ? m_config.defaultReplicationFactor : replicationFactor;
        if (partitions <= 0)
            return apiError(ErrorCode::InvalidPartitions, "Number of partitions must be larger than 0.");
        if (factor <= 0) {
            return apiError(ErrorCode::InvalidReplicationFactor, "Replication factor must be larger than 0.");
        }
        if (partitions > kMaxPartitionsPerRequest) {
            return tooManyPartitions(partitions);
        }
        if (size_t(factor) > brokerIds.size()) {
            return apiError(ErrorCode::InvalidReplicationFactor,
                            "Unable to replicate the partition " + std::to_string(factor) +
                                " time(s): The target replication factor of " + std::to_string(factor) +
                                " cannot be reached because only " + std::to_string(brokerIds.size()) +
                                " broker(s) are registered.");
        }
        // Round-robin over the brokers, each partition starting one further, as Kafka spreads leaders.
        for (int32_t p = 0; p < partitions; ++p) {
            std::vector<int32_t> list;
            for (int16_t r = 0; r < factor; ++r) list.push_back(brokerIds[size_t(p + r) % brokerIds.size()]);
            replicas.push_back(std::move(list));
        }
    } else {
        if (numPartitions != -1 || replicationFactor != -1) {
            return apiError(
                ErrorCode::InvalidRequest,
                "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used "
                "at the same time.");
        }
        if (replicas.size() > size_t(kMaxPartitionsPerRequest)) {
            return tooManyPartitions(int64_t(replicas.size()));
        }
        for (const auto& list : replicas) {
            if (list.empty() || list.size() != replicas.front().size()) {
                return apiError(ErrorCode::InvalidReplicaAssignment,
                                "All partitions should have the same number of replicas, and at least one");
            }
            for (int32_t id : list) {
                if (std::find(brokerIds.begin(), brokerIds.end(), id) == brokerIds.end()) {
                    return apiError(
                        ErrorCode::InvalidReplicaAssignment,
                        "Replica assignment refers to broker " + std::to_string(id) + " which does not exist");
                }
                if (std::count(list.begin(), list.end(), id) > 1) {
                    return apiError(ErrorCode::InvalidReplicaAssignment,
                                    "Replica assignment lists broker " + std::to_string(id) + " twice");
                }
            }
        }
    }
    if (ApiError e = checkTopicConfigs(configs); !e.ok()) return e;
    if (validateOnly) return {};
    auto created = m_metadata.createTopic(name, replicas, configs);
    if (!created) {
        // Another request created it between the check above and now.
        if (m_metadata.topic(name))
            return apiError(ErrorCode::TopicAlreadyExists, "Topic '" + name + "' already exists.");
        return apiError(ErrorCode::UnknownServerError, created.error().message);
    }
    spdlog::info("created topic {} with {} partitions", name, replicas.size());
    return {};
}

ApiError BrokerContext::deleteTopic(const std::string& name) {
    auto info = m_metadata.topic(name);
    if (!info) return apiError(ErrorCode::UnknownTopicOrPartition, "This server does not host this topic: " + name);
    if (!m_config.deleteTopicEnable) {
        return apiError(ErrorCode::TopicDeletionDisabled, "Topic deletion is disabled (delete.topic.enable=false)");
    }
    if (Status st = m_metadata.deleteTopic(name); !st)
        return apiError(ErrorCode::UnknownServerError, st.error().message);
    for (size_t p = 0; p < info->partitions.size(); ++p) {
        if (m_logs.getLog(name, int32_t(p))) {
            if (Status st = m_logs.deleteLog(name, int32_t(p)); !st) spdlog::error("{}", st.error().message);
        }
    }
    m_metrics->topicDeleted(name);
    spdlog::info("deleted topic {}", name);
    return {};
}

}  // namespace partita::broker
