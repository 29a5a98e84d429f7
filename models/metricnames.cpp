// The metric catalogue: every metric name with its subject kind, unit and human title.
#include "models/metricnames.h"

#include <QtGlobal>

namespace partita::models {

const std::vector<MetricInfo>& metricCatalogue() {
    using namespace metrics;
    // Titles are marked for translation here and translated where shown (context "MetricNames").
    static const std::vector<MetricInfo> catalogue = {
        {brokersUp, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Brokers up")},
        {brokersTotal, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Brokers")},
        {activeControllerCount, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Active controllers")},
        {underReplicatedPartitions, "cluster", "count",
         QT_TRANSLATE_NOOP("MetricNames", "Under-replicated partitions")},
        {offlinePartitions, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Offline partitions")},
        {underMinIsrPartitions, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Under min ISR partitions")},
        {partitionsTotal, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Partitions")},
        {topicsTotal, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Topics")},
        {groupsTotal, "cluster", "count", QT_TRANSLATE_NOOP("MetricNames", "Consumer groups")},

        {brokerUp, "broker", "count", QT_TRANSLATE_NOOP("MetricNames", "Broker up")},
        {brokerLogDirBytes, "broker", "bytes", QT_TRANSLATE_NOOP("MetricNames", "Log dir size")},
        {brokerDiskUsedRatio, "broker", "ratio", QT_TRANSLATE_NOOP("MetricNames", "Disk used")},
        {brokerPartitionsLed, "broker", "count", QT_TRANSLATE_NOOP("MetricNames", "Partitions led")},
        {requestQueueSize, "broker", "count", QT_TRANSLATE_NOOP("MetricNames", "Request queue size")},
        {networkProcessorIdleRatio, "broker", "ratio", QT_TRANSLATE_NOOP("MetricNames", "Network processor idle")},
        {requestHandlerIdleRatio, "broker", "ratio", QT_TRANSLATE_NOOP("MetricNames", "Request handler idle")},
        {bytesInPerSec, "broker", "bytes/s", QT_TRANSLATE_NOOP("MetricNames", "Bytes in")},
        {bytesOutPerSec, "broker", "bytes/s", QT_TRANSLATE_NOOP("MetricNames", "Bytes out")},
        {produceRequestMs, "broker", "ms", QT_TRANSLATE_NOOP("MetricNames", "Produce request time")},
        {fetchRequestMs, "broker", "ms", QT_TRANSLATE_NOOP("MetricNames", "Fetch request time")},
        {produceThrottleMs, "broker", "ms", QT_TRANSLATE_NOOP("MetricNames", "Produce throttle time")},
        {failedRequestsPerSec, "broker", "/s", QT_TRANSLATE_NOOP("MetricNames", "Failed requests")},
        {produceErrorRatio, "broker", "ratio", QT_TRANSLATE_NOOP("MetricNames", "Produce error ratio")},

        {topicEndOffsets, "topic", "messages", QT_TRANSLATE_NOOP("MetricNames", "End offsets")},
        {topicMessages, "topic", "messages", QT_TRANSLATE_NOOP("MetricNames", "Messages")},
        {topicMessagesInPerSec, "topic", "/s", QT_TRANSLATE_NOOP("MetricNames", "Messages in")},
        {topicBytes, "topic", "bytes", QT_TRANSLATE_NOOP("MetricNames", "Size")},
        {topicBytesInPerSec, "topic", "bytes/s", QT_TRANSLATE_NOOP("MetricNames", "Bytes in")},
        {topicUnderReplicatedPartitions, "topic", "count",
         QT_TRANSLATE_NOOP("MetricNames", "Under-replicated partitions")},

        {groupLag, "group", "messages", QT_TRANSLATE_NOOP("MetricNames", "Consumer lag")},
        {groupLagSeconds, "group", "s", QT_TRANSLATE_NOOP("MetricNames", "Consumer lag (time)")},
        {groupConsumePerSec, "group", "/s", QT_TRANSLATE_NOOP("MetricNames", "Consumed")},
        {groupMembers, "group", "count", QT_TRANSLATE_NOOP("MetricNames", "Members")},
        {groupState, "group", "state", QT_TRANSLATE_NOOP("MetricNames", "State")},
        {groupGeneration, "group", "count", QT_TRANSLATE_NOOP("MetricNames", "Generation")},
        {groupRebalancesPerHour, "group", "/h", QT_TRANSLATE_NOOP("MetricNames", "Rebalances")},
        {groupLagStatus, "group", "status", QT_TRANSLATE_NOOP("MetricNames", "Lag status")},

        {groupTopicLag, "group-topic", "messages", QT_TRANSLATE_NOOP("MetricNames", "Consumer lag per topic")},
    };
    return catalogue;
}

const MetricInfo* metricInfo(const QString& name) {
    for (const MetricInfo& info : metricCatalogue())
        if (name == QLatin1String(info.name)) return &info;
    return nullptr;
}

}  // namespace partita::models
