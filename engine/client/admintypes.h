// Plain result and request structs of the Admin client: cluster, topics, configs, offsets, log dirs,
// leader elections and reassignments.
#pragma once

#include "engine/protocol/result.h"
#include "engine/protocol/uuid.h"

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace partita::client {

struct TopicPartition {
    std::string topic;
    int32_t partition = 0;
    friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
    friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
};
// "orders-3", the way Kafka prints a partition.
std::string formatPartition(const TopicPartition& tp);

// One item of a batch operation (a topic, a group, a user) and whether it succeeded there. Errors
// name the item and Kafka's error, e.g. "orders: TOPIC_ALREADY_EXISTS: Topic 'orders' already exists.".
struct ItemStatus {
    std::string name;
    Status status;
};

struct PartitionStatus {
    TopicPartition partition;
    Status status;
};

// The first failed item of a batch, or success: for callers that treat a batch as all-or-nothing.
template <class T>
Status firstFailure(const std::vector<T>& items) {
    for (const T& item : items)
        if (!item.status.ok()) return item.status;
    return Status::success();
}

// ---- cluster

struct BrokerDescription {
    int32_t id = -1;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
    bool isController = false;
};

struct ClusterDescription {
    std::string clusterId;
    int32_t controllerId = -1;               // -1 when the broker did not say
    std::vector<BrokerDescription> brokers;  // sorted by id
};

// ---- topics

struct TopicListing {
    std::string name;
    Uuid topicId;
    bool internal = false;
    int32_t partitionCount = 0;
};

struct PartitionDescription {
    int32_t partition = 0;
    int32_t leader = -1;  // -1: offline
    int32_t leaderEpoch = -1;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    std::vector<int32_t> offlineReplicas;
    Status status;  // LEADER_NOT_AVAILABLE while an election runs, ...
};

struct TopicDescription {
    std::string name;
    Status status;  // UNKNOWN_TOPIC_OR_PARTITION, TOPIC_AUTHORIZATION_FAILED, ...
    Uuid topicId;
    bool internal = false;
    std::vector<PartitionDescription> partitions;  // sorted by partition
};

struct NewTopic {
    std::string name;
    int32_t numPartitions = -1;      // -1: the broker's num.partitions (brokers of Kafka 2.4+)
    int16_t replicationFactor = -1;  // -1: the broker's default.replication.factor
    // partition -> broker ids; when given, numPartitions and replicationFactor are ignored.
    std::map<int32_t, std::vector<int32_t>> replicaAssignment;
    std::map<std::string, std::string> configs;
};

struct CreateTopicsOptions {
    bool validateOnly = false;  // the broker checks the request and creates nothing
};

struct CreatedTopic {
    std::string name;
    Status status;
    Uuid topicId;  // zero before CreateTopics v7
    int32_t numPartitions = -1;
    int16_t replicationFactor = -1;
};

struct NewPartitions {
    std::string topic;
    int32_t totalCount = 0;  // the new number of partitions, not the number added
    // Broker ids of each new partition (optional; empty lets the broker place them).
    std::vector<std::vector<int32_t>> assignments;
};

// ---- configs

// Kafka's ConfigResource.Type codes.
enum class ConfigResourceType : int8_t {
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
    ClientMetrics = 16,
    Group = 32,
};
const char* configResourceTypeName(ConfigResourceType type);

struct ConfigResource {
    ConfigResourceType type = ConfigResourceType::Topic;
    std::string name;  // a topic name, or a broker id ("" for the cluster-wide broker default)

    static ConfigResource topic(std::string name) { return {ConfigResourceType::Topic, std::move(name)}; }
    static ConfigResource broker(int32_t id) { return {ConfigResourceType::Broker, std::to_string(id)}; }
    friend auto operator<=>(const ConfigResource&, const ConfigResource&) = default;
    friend bool operator==(const ConfigResource&, const ConfigResource&) = default;
};

// DescribeConfigs' configSource codes, with Kafka's names (ConfigEntry.ConfigSource).
enum class ConfigSource : int8_t {
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
    DynamicBrokerLoggerConfig = 6,
    ClientMetricsConfig = 7,
    GroupConfig = 8,
};
const char* configSourceName(ConfigSource source);  // "DYNAMIC_TOPIC_CONFIG", ...

enum class ConfigType : int8_t {
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
};
const char* configTypeName(ConfigType type);  // "BOOLEAN", ...

struct ConfigSynonym {
    std::string name;
    std::optional<std::string> value;
    ConfigSource source = ConfigSource::Unknown;
};

struct ConfigEntry {
    std::string name;
    std::optional<std::string> value;  // null for sensitive values
    ConfigSource source = ConfigSource::Unknown;
    bool isDefault = false;
    bool readOnly = false;
    bool sensitive = false;
    std::vector<ConfigSynonym> synonyms;       // with DescribeConfigsOptions::includeSynonyms
    ConfigType type = ConfigType::Unknown;     // DescribeConfigs v3+
    std::optional<std::string> documentation;  // with includeDocumentation (v3+)
};

struct DescribeConfigsOptions {
    std::vector<std::string> configNames;  // only these entries (empty: all)
    bool includeSynonyms = false;          // brokers with DescribeConfigs v1+ (Kafka 1.1+)
    bool includeDocumentation = false;     // brokers with DescribeConfigs v3+ (Kafka 2.6+)
};

struct ResourceConfig {
    ConfigResource resource;
    Status status;
    std::vector<ConfigEntry> entries;  // in the broker's order
};

struct ResourceStatus {
    ConfigResource resource;
    Status status;
};

// The legacy AlterConfigs replaces the resource's whole dynamic config with `configs`.
struct ConfigReplacement {
    ConfigResource resource;
    std::map<std::string, std::string> configs;
};

enum class ConfigOpType : int8_t { Set = 0, Delete = 1, Append = 2, Subtract = 3 };
const char* configOpTypeName(ConfigOpType op);

struct ConfigOp {
    std::string name;
    ConfigOpType op = ConfigOpType::Set;
    std::optional<std::string> value;  // unused for Delete
};

struct ConfigChanges {
    ConfigResource resource;
    std::vector<ConfigOp> ops;
};

// ---- offsets and records

// ListOffsets' special timestamps; any other value >= 0 asks for the first offset whose
// timestamp is at or after that many milliseconds since the epoch.
struct OffsetSpec {
    static constexpr int64_t kLatest = -1;
    static constexpr int64_t kEarliest = -2;
    static constexpr int64_t kMaxTimestamp = -3;  // needs ListOffsets v7 (Kafka 3.0+)
};

enum class IsolationLevel : int8_t { ReadUncommitted = 0, ReadCommitted = 1 };

struct ListedOffset {
    TopicPartition partition;
    Status status;
    int64_t offset = -1;  // -1: no such offset (e.g. a timestamp after the last record)
    int64_t timestamp = -1;
    int32_t leaderEpoch = -1;
};

struct DeletedRecords {
    TopicPartition partition;
    Status status;
    int64_t lowWatermark = -1;  // the partition's new earliest offset
};

// ---- log dirs

struct LogDirPartition {
    TopicPartition partition;
    int64_t size = 0;
    int64_t offsetLag = 0;
    bool isFuture = false;  // a replica being moved to this dir
};

struct LogDirDescription {
    std::string path;
    Status status;
    std::vector<LogDirPartition> partitions;
    std::optional<int64_t> totalBytes;   // DescribeLogDirs v4+
    std::optional<int64_t> usableBytes;  // DescribeLogDirs v4+
};

struct BrokerLogDirs {
    int32_t brokerId = -1;
    Status status;  // the broker could not be asked (down, ...)
    std::vector<LogDirDescription> dirs;
};

// ---- leader elections and reassignments

enum class ElectionType : int8_t { Preferred = 0, Unclean = 1 };

struct PartitionReassignment {
    TopicPartition partition;
    std::vector<int32_t> replicas;
    std::vector<int32_t> addingReplicas;
    std::vector<int32_t> removingReplicas;
};

}  // namespace partita::client
