// Metric names (the metric part of a SeriesKey) and their catalogue: subject kind, unit, title.
#pragma once

#include <QString>

#include <vector>

namespace partita::models::metrics {

// cluster-wide (subject "")
inline constexpr const char* brokersUp = "brokers_up";
inline constexpr const char* brokersTotal = "brokers_total";
inline constexpr const char* activeControllerCount = "active_controller_count";
inline constexpr const char* underReplicatedPartitions = "under_replicated_partitions";
inline constexpr const char* offlinePartitions = "offline_partitions";
inline constexpr const char* underMinIsrPartitions = "under_min_isr_partitions";
inline constexpr const char* partitionsTotal = "partitions_total";
inline constexpr const char* topicsTotal = "topics_total";
inline constexpr const char* groupsTotal = "groups_total";

// broker:N (Prometheus ones also under endpoint:<host:port> when the broker id is unknown)
inline constexpr const char* brokerUp = "broker_up";
inline constexpr const char* brokerLogDirBytes = "broker_log_dir_bytes";
inline constexpr const char* brokerDiskUsedRatio = "broker_disk_used_ratio";
inline constexpr const char* brokerPartitionsLed = "broker_partitions_led";
inline constexpr const char* requestQueueSize = "request_queue_size";
inline constexpr const char* networkProcessorIdleRatio = "network_processor_idle_ratio";
inline constexpr const char* requestHandlerIdleRatio = "request_handler_idle_ratio";
inline constexpr const char* bytesInPerSec = "bytes_in_per_sec";
inline constexpr const char* bytesOutPerSec = "bytes_out_per_sec";
inline constexpr const char* produceRequestMs = "produce_request_ms";
inline constexpr const char* fetchRequestMs = "fetch_request_ms";
inline constexpr const char* produceThrottleMs = "produce_throttle_ms";
inline constexpr const char* failedRequestsPerSec = "failed_requests_per_sec";
inline constexpr const char* produceErrorRatio = "produce_error_ratio";

// topic:T
inline constexpr const char* topicEndOffsets = "topic_end_offsets";
inline constexpr const char* topicMessages = "topic_messages";
inline constexpr const char* topicMessagesInPerSec = "topic_messages_in_per_sec";
inline constexpr const char* topicBytes = "topic_bytes";
inline constexpr const char* topicBytesInPerSec = "topic_bytes_in_per_sec";
inline constexpr const char* topicUnderReplicatedPartitions = "topic_under_replicated_partitions";

// group:G
inline constexpr const char* groupLag = "group_lag";
inline constexpr const char* groupLagSeconds = "group_lag_seconds";
inline constexpr const char* groupConsumePerSec = "group_consume_per_sec";
inline constexpr const char* groupMembers = "group_members";
// 0 Unknown 1 Empty 2 Stable 3 PreparingRebalance 4 CompletingRebalance 5 Dead
inline constexpr const char* groupState = "group_state";
inline constexpr const char* groupGeneration = "group_generation";
inline constexpr const char* groupRebalancesPerHour = "group_rebalances_per_hour";
inline constexpr const char* groupLagStatus = "group_lag_status";  // LagStatus as a number

// group:G|topic:T
inline constexpr const char* groupTopicLag = "group_topic_lag";

}  // namespace partita::models::metrics

namespace partita::models {

struct MetricInfo {
    const char* name;
    const char* subjectKind;  // "cluster", "broker", "topic", "group", "group-topic"
    const char* unit;   // "messages", "s", "ms", "bytes", "bytes/s", "/s", "ratio", "count", "state", "status", "/h"
    const char* title;  // human title, untranslated (translate with QCoreApplication::translate("MetricNames", title))
};

// Every name above, in the order listed.
const std::vector<MetricInfo>& metricCatalogue();
// The entry for `name`, or nullptr.
const MetricInfo* metricInfo(const QString& name);

}  // namespace partita::models
