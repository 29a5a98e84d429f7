// LogConfig: the topic-level configs (Kafka's names, types, defaults and validation) a partition log obeys.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace partita::storage {

inline constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// The values a log reads on its hot paths, already parsed and validated. Field defaults are
// Kafka's topic defaults (those of the broker's log.* settings).
struct LogConfig {
    // cleanup.policy: a list of "delete" and/or "compact".
    bool deleteEnabled = true;
    bool compactEnabled = false;

    std::string compressionType = "producer";  // compression.type
    int32_t compressionGzipLevel = -1;         // compression.gzip.level
    int32_t compressionLz4Level = 9;           // compression.lz4.level
    int32_t compressionZstdLevel = 3;          // compression.zstd.level
    int64_t deleteRetentionMs = 86400000;      // delete.retention.ms
    int64_t fileDeleteDelayMs = 60000;         // file.delete.delay.ms
    int64_t flushMessages = kInt64Max;         // flush.messages
    int64_t flushMs = kInt64Max;               // flush.ms
    int32_t indexIntervalBytes = 4096;         // index.interval.bytes
    int64_t maxCompactionLagMs = kInt64Max;    // max.compaction.lag.ms
    int32_t maxMessageBytes = 1048588;         // max.message.bytes
    bool messageDownconversionEnable = true;   // message.downconversion.enable
    bool logAppendTime = false;                // message.timestamp.type = LogAppendTime
    // The effective limits: while before/after keep their default, Kafka still applies the deprecated
    // message.timestamp.difference.max.ms in their place (see makeLogConfig).
    int64_t messageTimestampBeforeMaxMs = kInt64Max;  // message.timestamp.before.max.ms
    int64_t messageTimestampAfterMaxMs = kInt64Max;   // message.timestamp.after.max.ms
    double minCleanableDirtyRatio = 0.5;              // min.cleanable.dirty.ratio
    int64_t minCompactionLagMs = 0;                   // min.compaction.lag.ms
    int32_t minInsyncReplicas = 1;                    // min.insync.replicas
    bool preallocate = false;                         // preallocate
    int64_t retentionBytes = -1;                      // retention.bytes (-1: no limit)
    int64_t retentionMs = 604800000;                  // retention.ms (-1: no limit)
    int32_t segmentBytes = 1073741824;                // segment.bytes
    int32_t segmentIndexBytes = 10485760;             // segment.index.bytes
    int64_t segmentJitterMs = 0;                      // segment.jitter.ms
    int64_t segmentMs = 604800000;                    // segment.ms
    bool uncleanLeaderElectionEnable = false;         // unclean.leader.election.enable

    // Configs the log does not act on (tiered storage, throttling, legacy formats); kept so that they
    // validate, describe and round-trip as on Kafka.
    int64_t localRetentionBytes = -2;                               // local.retention.bytes (-2: retention.bytes)
    int64_t localRetentionMs = -2;                                  // local.retention.ms (-2: retention.ms)
    bool remoteStorageEnable = false;                               // remote.storage.enable
    std::string messageFormatVersion = "3.0-IV1";                   // message.format.version (ignored since 3.0)
    int64_t messageTimestampDifferenceMaxMs = kInt64Max;            // message.timestamp.difference.max.ms (deprecated)
    std::vector<std::string> leaderReplicationThrottledReplicas;    // "*" or "partition:broker" entries
    std::vector<std::string> followerReplicationThrottledReplicas;  // "*" or "partition:broker" entries

    bool operator==(const LogConfig&) const = default;
};

enum class ConfigType { Boolean, String, Int, Long, Double, List, Password, Class };

const char* configTypeName(ConfigType type);

// One topic-level config as Kafka defines it. `brokerName` is the server.properties key that
// supplies the default for every topic (e.g. log.retention.ms for retention.ms); empty if none.
struct TopicConfigDef {
    std::string_view name;
    ConfigType type;
    std::string_view defaultValue;  // as Kafka prints it; empty string for an empty list
    std::string_view brokerName;
    std::string_view validValues;  // the rule as Kafka lists it ("Valid Values"): "[0,...]", "[compact, delete]"
};

// Every topic-level config Kafka 3.7+ accepts, in Kafka's alphabetical order.
std::span<const TopicConfigDef> topicConfigDefs();
const TopicConfigDef* findTopicConfig(std::string_view name);

// Checks one value against its definition: unknown name, wrong type, or out-of-range value is
// an InvalidArgument error whose message names the key, the value and the rule.
Status validateTopicConfig(std::string_view name, std::string_view value);

// The effective config of a topic: Kafka's defaults, then broker-level defaults (server.properties
// names such as log.retention.hours), then the topic's overrides. Fails on the first bad value, and on
// the rules Kafka checks across configs when a topic is created (min.compaction.lag.ms not above
// max.compaction.lag.ms; remote.storage.enable needs remote.log.storage.system.enable=true on the
// broker, no compaction and local retention within retention).
Result<LogConfig> makeLogConfig(const std::map<std::string, std::string>& topicOverrides,
                                const std::map<std::string, std::string>& brokerConfig = {});

// The value of one topic config in `config`, formatted as Kafka's DescribeConfigs prints it.
std::optional<std::string> topicConfigValue(const LogConfig& config, std::string_view name);

}  // namespace partita::storage
