// RefreshJob: describeCluster (+ a per-broker ApiVersions probe), listTopics + describeTopics,
// ListOffsets (earliest and latest of every led partition), describeLogDirs and listConsumerGroups
// joined into one ClusterSnapshot.
#include "models/refreshjob.h"

#include "engine/client/kafkaclient.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>

namespace partita::models {

namespace {

QString fromStd(const std::string& s) {
    return QString::fromStdString(s);
}

QList<int> toList(const std::vector<int32_t>& ids) {
    return QList<int>(ids.begin(), ids.end());
}

}  // namespace

void RefreshJob::start(client::Admin admin, Done done) {
    std::make_shared<RefreshJob>(std::move(admin), std::move(done))->run();
}

RefreshJob::RefreshJob(client::Admin admin, Done done) : m_admin(std::move(admin)), m_done(std::move(done)) {}

// Each call counts itself in with begin() before it starts and out with finish() when its
// callback ran; the job holds one count of its own while it starts them, so a callback that
// runs at once cannot complete the job early.
void RefreshJob::begin() {
    std::lock_guard lock(m_mutex);
    ++m_pending;
}

void RefreshJob::finish() {
    {
        std::lock_guard lock(m_mutex);
        if (--m_pending > 0) return;
    }
    if (m_fatal) return m_done(*m_fatal);
    m_done(build());
}

void RefreshJob::run() {
    auto self = shared_from_this();
    begin();

    begin();
    m_admin.describeCluster([self](Result<client::ClusterDescription> result) {
        if (!result.ok()) {
            std::lock_guard lock(self->m_mutex);
            self->m_fatal = result.error();
        } else {
            // The metadata keeps listing a broker whose process is gone; asking each broker
            // directly is what tells a user which ones are really there.
            auto client = self->m_admin.client();
            for (const auto& broker : result.value().brokers) {
                self->begin();
                const int32_t id = broker.id;
                client->apiVersions(id, [self, id](Result<std::vector<client::KafkaClient::ApiRange>> probe) {
                    if (!probe.ok()) {
                        std::lock_guard lock(self->m_mutex);
                        self->m_unreachable.emplace_back(id, fromStd(probe.error().message));
                    }
                    self->finish();
                });
            }
            std::lock_guard lock(self->m_mutex);
            self->m_cluster = std::move(result.value());
        }
        self->finish();
    });

    begin();
    m_admin.listTopics(true, [self](Result<std::vector<client::TopicListing>> listed) {
        if (!listed.ok()) {
            {
                std::lock_guard lock(self->m_mutex);
                self->m_fatal = listed.error();
            }
            return self->finish();
        }
        std::vector<std::string> names;
        for (const auto& t : listed.value()) names.push_back(t.name);
        if (!names.empty()) {
            self->begin();
            self->m_admin.describeTopics(std::move(names),
                                         [self](Result<std::vector<client::TopicDescription>> described) {
                                             if (described.ok()) self->listOffsets(described.value());
                                             {
                                                 std::lock_guard lock(self->m_mutex);
                                                 if (described.ok())
                                                     self->m_topics = std::move(described.value());
                                                 else
                                                     self->m_fatal = described.error();
                                             }
                                             self->finish();
                                         });
        }
        self->finish();
    });

    begin();
    m_admin.describeLogDirs({}, [self](Result<std::vector<client::BrokerLogDirs>> dirs) {
        {
            std::lock_guard lock(self->m_mutex);
            if (dirs.ok())
                self->m_logDirs = std::move(dirs.value());
            else
                self->m_warnings << QCoreApplication::translate("partita::models::RefreshJob", "Log dir sizes: %1")
                                        .arg(fromStd(dirs.error().message));
        }
        self->finish();
    });

    begin();
    client::ListGroupsOptions groupOptions;
    groupOptions.includeAllProtocolTypes = true;
    m_admin.listConsumerGroups(groupOptions, [self](Result<client::GroupListings> groups) {
        {
            std::lock_guard lock(self->m_mutex);
            if (groups.ok()) {
                self->m_groups = std::move(groups.value().groups);
                for (const auto& e : groups.value().brokerErrors)
                    self->m_warnings << QCoreApplication::translate("partita::models::RefreshJob", "Groups: %1")
                                            .arg(fromStd(e.message));
            } else {
                self->m_warnings << QCoreApplication::translate("partita::models::RefreshJob", "Groups: %1")
                                        .arg(fromStd(groups.error().message));
            }
        }
        self->finish();
    });

    finish();
}

void RefreshJob::listOffsets(const std::vector<client::TopicDescription>& topics) {
    // Partitions without a leader are not asked: their request could only time out, and it
    // would hold the whole refresh back until it did.
    std::map<client::TopicPartition, int64_t> earliest;
    for (const auto& t : topics) {
        if (!t.status.ok()) continue;
        for (const auto& p : t.partitions)
            if (p.leader >= 0)
                earliest.emplace(client::TopicPartition{t.name, p.partition}, client::OffsetSpec::kEarliest);
    }
    if (earliest.empty()) return;
    std::map<client::TopicPartition, int64_t> latest = earliest;
    for (auto& [partition, spec] : latest) spec = client::OffsetSpec::kLatest;

    // The client batches each call into one request per leader; both run in parallel.
    auto self = shared_from_this();
    begin();
    m_admin.listOffsets(std::move(earliest), client::IsolationLevel::ReadUncommitted,
                        [self](Result<std::vector<client::ListedOffset>> listed) {
                            self->takeOffsets(std::move(listed), self->m_startOffsets);
                            self->finish();
                        });
    begin();
    m_admin.listOffsets(std::move(latest), client::IsolationLevel::ReadUncommitted,
                        [self](Result<std::vector<client::ListedOffset>> listed) {
                            self->takeOffsets(std::move(listed), self->m_endOffsets);
                            self->finish();
                        });
}

void RefreshJob::takeOffsets(Result<std::vector<client::ListedOffset>> listed,
                             std::map<client::TopicPartition, int64_t>& into) {
    std::lock_guard lock(m_mutex);
    if (!listed.ok()) {
        m_warnings << QCoreApplication::translate("partita::models::RefreshJob", "Offsets: %1")
                          .arg(fromStd(listed.error().message));
        return;
    }
    int failed = 0;
    QString firstError;
    for (auto& l : listed.value()) {
        if (!l.status.ok()) {
            if (failed++ == 0) firstError = fromStd(l.status.error().message);
            continue;
        }
        if (l.offset >= 0) into.emplace_hint(into.end(), std::move(l.partition), l.offset);
    }
    // One line for all of them: a broker that is down would otherwise flood the warnings.
    if (failed > 0)
        m_warnings << QCoreApplication::translate("partita::models::RefreshJob", "Offsets of %n partition(s): %1",
                                                  nullptr, failed)
                          .arg(firstError);
}

// Runs once, after every callback: nothing else touches the members any more.
ClusterSnapshot RefreshJob::build() {
    ClusterSnapshot snapshot;
    snapshot.takenAt = QDateTime::currentDateTimeUtc();
    snapshot.warnings = m_warnings;
    if (m_cluster) {
        snapshot.clusterId = fromStd(m_cluster->clusterId);
        snapshot.controllerId = m_cluster->controllerId;
    }

    // Sizes: per broker every replica it holds; per partition the leader's replica (what a
    // user means by "how big is it"), else the largest replica any broker reported.
    std::map<int32_t, qint64> brokerBytes;
    std::map<int32_t, double> brokerDiskUsed;                                  // the fullest dir's used share
    std::map<client::TopicPartition, std::map<int32_t, qint64>> replicaBytes;  // partition -> broker -> bytes
    for (const auto& broker : m_logDirs) {
        if (!broker.status.ok()) {
            snapshot.warnings << QCoreApplication::translate("partita::models::RefreshJob", "Broker %1: %2")
                                     .arg(broker.brokerId)
                                     .arg(fromStd(broker.status.error().message));
            continue;
        }
        qint64& total = brokerBytes[broker.brokerId];
        for (const auto& dir : broker.dirs) {
            if (!dir.status.ok()) continue;
            if (dir.totalBytes && dir.usableBytes && *dir.totalBytes > 0) {
                const double used = 1.0 - double(*dir.usableBytes) / double(*dir.totalBytes);
                auto [it, added] = brokerDiskUsed.emplace(broker.brokerId, used);
                if (!added) it->second = std::max(it->second, used);
            }
            for (const auto& p : dir.partitions) {
                if (p.isFuture) continue;
                total += p.size;
                replicaBytes[p.partition][broker.brokerId] = p.size;
            }
        }
    }

    std::map<int32_t, int> led;
    for (const auto& t : m_topics) {
        TopicInfo topic;
        topic.name = fromStd(t.name);
        topic.internal = t.internal;
        if (!t.status.ok()) topic.error = fromStd(t.status.error().message);
        for (const auto& p : t.partitions) {
            PartitionInfo partition;
            partition.partition = p.partition;
            partition.leader = p.leader;
            partition.replicas = toList(p.replicas);
            partition.isr = toList(p.isr);
            partition.offlineReplicas = toList(p.offlineReplicas);
            if (!p.status.ok()) partition.error = fromStd(p.status.error().message);
            if (p.leader >= 0) ++led[p.leader];
            const client::TopicPartition key{t.name, p.partition};
            if (auto start = m_startOffsets.find(key); start != m_startOffsets.end())
                partition.startOffset = start->second;
            if (auto end = m_endOffsets.find(key); end != m_endOffsets.end()) partition.endOffset = end->second;
            auto sizes = replicaBytes.find({t.name, p.partition});
            if (sizes != replicaBytes.end()) {
                auto leaderSize = sizes->second.find(p.leader);
                if (leaderSize != sizes->second.end()) {
                    partition.size = leaderSize->second;
                } else {
                    for (const auto& [broker, bytes] : sizes->second) partition.size = std::max(partition.size, bytes);
                }
            }
            topic.partitions.push_back(std::move(partition));
        }
        std::sort(topic.partitions.begin(), topic.partitions.end(),
                  [](const PartitionInfo& a, const PartitionInfo& b) { return a.partition < b.partition; });
        snapshot.topics.push_back(std::move(topic));
    }
    std::sort(snapshot.topics.begin(), snapshot.topics.end(),
              [](const TopicInfo& a, const TopicInfo& b) { return a.name < b.name; });

    if (m_cluster) {
        for (const auto& b : m_cluster->brokers) {
            BrokerInfo broker;
            broker.id = b.id;
            broker.host = fromStd(b.host);
            broker.port = b.port;
            broker.rack = b.rack ? fromStd(*b.rack) : QString();
            broker.controller = b.id == m_cluster->controllerId;
            broker.partitionsLed = led[b.id];
            auto bytes = brokerBytes.find(b.id);
            if (bytes != brokerBytes.end()) broker.logDirBytes = bytes->second;
            if (auto used = brokerDiskUsed.find(b.id); used != brokerDiskUsed.end())
                broker.diskUsedRatio = std::clamp(used->second, 0.0, 1.0);
            for (const auto& [id, why] : m_unreachable) {
                if (id != b.id) continue;
                broker.reachable = false;
                broker.unreachableReason = why;
            }
            snapshot.brokers.push_back(std::move(broker));
        }
        std::sort(snapshot.brokers.begin(), snapshot.brokers.end(),
                  [](const BrokerInfo& a, const BrokerInfo& b) { return a.id < b.id; });
    }

    for (const auto& g : m_groups)
        snapshot.groups.push_back({fromStd(g.groupId), fromStd(g.protocolType), fromStd(g.state), g.coordinatorId});
    std::sort(snapshot.groups.begin(), snapshot.groups.end(),
              [](const GroupInfo& a, const GroupInfo& b) { return a.groupId < b.groupId; });
    return snapshot;
}

}  // namespace partita::models
