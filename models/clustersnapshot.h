// ClusterSnapshot: an immutable picture of one cluster (brokers, topics, partitions, log dir
// sizes, groups) built on an engine thread and handed to the GUI thread's models.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace partita::models {

struct BrokerInfo {
    int id = -1;
    QString host;
    int port = 0;
    QString rack;
    bool controller = false;
    // Whether this broker answered a request of its own in the last refresh; the cluster's
    // metadata keeps listing a broker whose process is gone, so that alone cannot tell.
    bool reachable = true;
    QString unreachableReason;
    int partitionsLed = 0;
    qint64 logDirBytes = -1;  // -1: unknown (the broker could not be asked, or lacks DescribeLogDirs)
    // The fullest log dir's used share of its disk, 0..1 (-1: unknown; DescribeLogDirs v4+ says).
    double diskUsedRatio = -1;
    friend bool operator==(const BrokerInfo&, const BrokerInfo&) = default;
};

struct PartitionInfo {
    int partition = 0;
    int leader = -1;  // -1: offline
    QList<int> replicas;
    QList<int> isr;
    QList<int> offlineReplicas;
    qint64 size = -1;  // bytes of the leader's replica (-1: unknown)
    QString error;     // the broker's error for this partition, if any
    // Log start and end offsets (the high watermark); -1: unknown (ListOffsets failed or the
    // partition has no leader to ask).
    qint64 startOffset = -1;
    qint64 endOffset = -1;
    // -1 when either offset is unknown. Counts offsets, not records: compaction and transaction
    // markers make it an upper bound, as in every Kafka tool.
    qint64 messageCount() const {
        return startOffset >= 0 && endOffset >= 0 ? std::max<qint64>(0, endOffset - startOffset) : -1;
    }
    bool offline() const { return leader < 0; }
    bool underReplicated() const { return isr.size() < replicas.size(); }
    friend bool operator==(const PartitionInfo&, const PartitionInfo&) = default;
};

struct TopicInfo {
    QString name;
    bool internal = false;
    QString error;                          // the topic could not be described
    std::vector<PartitionInfo> partitions;  // sorted by partition
    int replicationFactor() const {
        int rf = 0;
        for (const auto& p : partitions) rf = std::max(rf, int(p.replicas.size()));
        return rf;
    }
    int underReplicatedCount() const {
        return int(std::count_if(partitions.begin(), partitions.end(),
                                 [](const PartitionInfo& p) { return p.underReplicated(); }));
    }
    int offlineCount() const {
        return int(
            std::count_if(partitions.begin(), partitions.end(), [](const PartitionInfo& p) { return p.offline(); }));
    }
    // The sum over the partitions whose offsets are known; -1 when none is.
    qint64 messageCount() const {
        qint64 total = -1;
        for (const auto& p : partitions)
            if (const qint64 n = p.messageCount(); n >= 0) total = std::max<qint64>(total, 0) + n;
        return total;
    }
    // -1 when no partition's size is known.
    qint64 size() const {
        qint64 total = -1;
        for (const auto& p : partitions)
            if (p.size >= 0) total = std::max<qint64>(total, 0) + p.size;
        return total;
    }
};

struct GroupInfo {
    QString groupId;
    QString protocolType;
    QString state;
    int coordinatorId = -1;
    friend bool operator==(const GroupInfo&, const GroupInfo&) = default;
};

struct ClusterSnapshot {
    quint64 sequence = 0;  // counts the session's snapshots, so a consumer can skip ones it has seen
    QDateTime takenAt;
    QString clusterId;
    int controllerId = -1;
    std::vector<BrokerInfo> brokers;  // sorted by id
    std::vector<TopicInfo> topics;    // sorted by name, internal ones included
    std::vector<GroupInfo> groups;    // sorted by group id
    // Parts of the refresh that failed without making the cluster unreachable (log dirs of a
    // broker that is down, groups of a broker that did not answer, ...).
    QStringList warnings;

    const TopicInfo* findTopic(const QString& name) const {
        auto it = std::lower_bound(topics.begin(), topics.end(), name,
                                   [](const TopicInfo& t, const QString& n) { return t.name < n; });
        return it != topics.end() && it->name == name ? &*it : nullptr;
    }
};

}  // namespace partita::models

Q_DECLARE_METATYPE(partita::models::ClusterSnapshot)
