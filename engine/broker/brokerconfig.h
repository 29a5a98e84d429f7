// BrokerConfig: partitad's server.properties as Kafka's broker reads it (names, types, defaults, checks).
#pragma once

#include "engine/protocol/result.h"
#include "engine/storage/logconfig.h"
#include "engine/storage/logmanager.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace partita::broker {

// One endpoint of `listeners` or `advertised.listeners`: NAME://host:port. The name is upper-cased as Kafka
// normalises it; an empty host in `listeners` means every interface.
struct Listener {
    std::string name;
    std::string securityProtocol;  // PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
    std::string host;
    uint16_t port = 0;

    bool operator==(const Listener&) const = default;
};

// The parsed configuration; `values` keeps every key exactly as given, the typed fields what partitad acts on.
struct BrokerConfig {
    int32_t nodeId = -1;                    // node.id, or broker.id (Kafka treats them as synonyms)
    std::vector<std::string> processRoles;  // process.roles; empty: a standalone node (Kafka would need ZooKeeper)
    std::vector<Listener> listeners;
    // advertised.listeners, or else the listeners that are not controller listeners, an empty or wildcard host
    // replaced by this machine's host name (localhost when it has none).
    std::vector<Listener> advertisedListeners;
    std::vector<std::string> controllerListenerNames;       // controller.listener.names
    std::map<int32_t, std::string> controllerQuorumVoters;  // controller.quorum.voters: id -> "host:port"
    std::string interBrokerListenerName;                    // inter.broker.listener.name or the protocol's name
    std::string logDir;                // the first of log.dirs, else log.dir, else /tmp/kraft-combined-logs
    std::vector<std::string> logDirs;  // every entry of log.dirs (partitad stores in the first)
    std::string brokerRack;            // broker.rack; empty when unset
    // prometheus.listener (partitad's own key): "http://host:port" where /metrics is served; empty: not served.
    std::string prometheusListener;

    int numNetworkThreads = 3;
    int numIoThreads = 8;
    int backgroundThreads = 10;
    int queuedMaxRequests = 500;
    int32_t requestTimeoutMs = 30000;
    bool autoCreateTopicsEnable = true;
    bool deleteTopicEnable = true;
    int32_t numPartitions = 1;
    int16_t defaultReplicationFactor = 1;
    int32_t messageMaxBytes = 1048588;
    int32_t socketRequestMaxBytes = 104857600;
    int32_t socketSendBufferBytes = 102400;     // -1: the OS default
    int32_t socketReceiveBufferBytes = 102400;  // -1: the OS default
    int32_t socketListenBacklogSize = 50;
    int64_t connectionsMaxIdleMs = 600000;
    int32_t maxConnections = 2147483647;
    int32_t maxConnectionsPerIp = 2147483647;
    int32_t fetchMaxBytes = 57671680;
    int32_t maxIncrementalFetchSessionCacheSlots = 1000;
    int32_t replicaFetchMaxBytes = 1048576;
    int64_t replicaLagTimeMaxMs = 30000;
    std::vector<std::string> saslEnabledMechanisms{"GSSAPI"};

    // Group coordinator and __consumer_offsets.
    int32_t groupInitialRebalanceDelayMs = 3000;
    int32_t groupMinSessionTimeoutMs = 6000;
    int32_t groupMaxSessionTimeoutMs = 1800000;
    int32_t groupMaxSize = 2147483647;
    int16_t offsetsTopicReplicationFactor = 3;
    int32_t offsetsTopicNumPartitions = 50;
    int32_t offsetsTopicSegmentBytes = 104857600;
    int32_t offsetsRetentionMinutes = 10080;
    int64_t offsetsRetentionCheckIntervalMs = 600000;
    int32_t offsetCommitTimeoutMs = 5000;
    int32_t offsetMetadataMaxBytes = 4096;

    // Transaction coordinator, __transaction_state and producer ids.
    int16_t transactionStateLogReplicationFactor = 3;
    int32_t transactionStateLogNumPartitions = 50;
    int32_t transactionStateLogMinIsr = 2;
    int32_t transactionStateLogSegmentBytes = 104857600;
    int32_t transactionMaxTimeoutMs = 900000;
    bool transactionPartitionVerificationEnable = true;
    int32_t transactionalIdExpirationMs = 604800000;
    int32_t transactionAbortTimedOutTransactionCleanupIntervalMs = 10000;
    int32_t transactionRemoveExpiredTransactionCleanupIntervalMs = 3600000;
    int32_t producerIdExpirationMs = 86400000;

    std::map<std::string, std::string> values;   // every key as given, after --override
    storage::LogConfig defaultLogConfig;         // topic defaults: storage::makeLogConfig({}, values)
    storage::LogManagerConfig logManagerConfig;  // dataDir = logDir, plus the log.* scheduler/cleaner settings
};

// The key of partitad's Prometheus endpoint, e.g. prometheus.listener=http://127.0.0.1:7071 (not a Kafka config).
inline constexpr std::string_view kPrometheusListener = "prometheus.listener";

// One broker config as Kafka 3.7 defines it (plus the 3.8 compression levels the topic configs already have).
struct BrokerConfigDef {
    std::string_view name;
    storage::ConfigType type;
    std::string_view defaultValue;  // as Kafka prints it; meaningless when !hasDefault
    std::string_view validValues;   // Kafka's rule text ("[1,...]", "[broker, controller]"); empty if none
    bool sensitive;                 // PASSWORD: never printed, never logged
    enum class Update { ReadOnly, PerBroker, ClusterWide } update;  // Kafka's dynamic update mode
    bool hasDefault;  // false where Kafka's default is null (DescribeConfigs then shows no value)
    bool isShort;     // Kafka's SHORT: stored as Int here since storage::ConfigType has no Short
};

// Every broker config, sorted by name.
std::span<const BrokerConfigDef> brokerConfigDefs();
const BrokerConfigDef* findBrokerConfig(std::string_view name);

// Reads the properties file, applies the `--override key=value` strings (later wins) and builds the config.
Result<BrokerConfig> loadBrokerConfig(const std::string& propertiesPath, const std::vector<std::string>& overrides);

// Validates every key and value, then the rules Kafka checks across keys. Besides the table's keys it accepts
// listener-scoped keys ("listener.name.<listener>.<key>" and "listener.name.<listener>.<mechanism>.sasl.*"),
// config provider declarations ("config.providers...", not resolved) and remote-storage plugin keys under the
// rsm/rlmm prefixes; any other key is an error where Kafka would only warn, so typos surface.
Result<BrokerConfig> makeBrokerConfig(std::map<std::string, std::string> properties);

// One key and value on their own (for AlterConfigs): unknown key, type and rule; errors are InvalidArgument and
// name key, value and rule.
Status validateBrokerConfigValue(std::string_view name, std::string_view value);

// Whether storage::makeLogConfig reads the key: a topic without an override follows it (log.retention.ms, ...).
bool feedsTopicDefaults(std::string_view name);

// The value DescribeConfigs shows: the given value normalised as Kafka prints it, else the default. nullopt for
// an unknown name, a sensitive config, or a default of null.
std::optional<std::string> brokerConfigValue(const BrokerConfig& config, std::string_view name);

}  // namespace partita::broker
