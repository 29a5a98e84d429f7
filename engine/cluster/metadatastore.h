// MetadataStore: the cluster metadata a broker serves (cluster id, brokers, topics, partitions, topic configs),
// persisted.
#pragma once

#include "engine/protocol/result.h"
#include "engine/protocol/uuid.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace partita::cluster {

struct BrokerEndpoint {
    std::string listener;  // "PLAINTEXT"
    std::string securityProtocol;
    std::string host;
    int32_t port = 0;
};

struct BrokerInfo {
    int32_t nodeId = 0;
    std::vector<BrokerEndpoint> endpoints;
    std::optional<std::string> rack;
};

// A broker as clients reach it through one listener.
struct AdvertisedBroker {
    int32_t nodeId = 0;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
};

struct PartitionInfo {
    int32_t partition = 0;
    int32_t leader = -1;
    int32_t leaderEpoch = 0;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    std::vector<int32_t> offlineReplicas;
};

struct TopicInfo {
    std::string name;
    Uuid id;
    std::vector<PartitionInfo> partitions;
    std::map<std::string, std::string> configs;  // the topic's overrides only
    bool internal = false;
};

// The one source of what the broker says about the cluster: handlers never invent broker ids,
// endpoints or leaders. One node today; the replication issue turns this into the controller's
// replicated log. Changes are written to one JSON file atomically before they are visible.
class MetadataStore {
public:
    static Result<std::unique_ptr<MetadataStore>> open(const std::string& path, std::string clusterId,
                                                       int32_t controllerId);

    const std::string& clusterId() const { return m_clusterId; }
    int32_t controllerId() const { return m_controllerId; }

    void registerBroker(BrokerInfo broker);
    std::vector<BrokerInfo> brokers() const;
    std::optional<BrokerInfo> broker(int32_t nodeId) const;
    // Every broker's endpoint on `listener`: Metadata and DescribeCluster describe the cluster by the
    // listener a request came in on, so a client keeps using the network it reached us through.
    std::vector<AdvertisedBroker> brokersOn(const std::string& listener) const;

    std::optional<TopicInfo> topic(const std::string& name) const;
    std::optional<TopicInfo> topicById(const Uuid& id) const;
    // How many partitions a topic has (nullopt: no such topic), without copying its description:
    // an offset commit checks every partition it names.
    std::optional<int32_t> partitionCount(const std::string& name) const;
    std::vector<TopicInfo> topics() const;

    // `assignment[p]` is partition p's replica list, leader first.
    Result<TopicInfo> createTopic(const std::string& name, const std::vector<std::vector<int32_t>>& assignment,
                                  const std::map<std::string, std::string>& configs);
    Status deleteTopic(const std::string& name);
    // Appends partitions with these replica lists.
    Status addPartitions(const std::string& name, const std::vector<std::vector<int32_t>>& assignment);
    Status setTopicConfigs(const std::string& name, const std::map<std::string, std::string>& configs);
    // Reserves `count` producer ids and returns the first: ids are never handed out twice, across
    // restarts too (Kafka's controller hands out blocks the same way).
    Result<int64_t> allocateProducerIds(int32_t count);

private:
    MetadataStore(std::string path, std::string clusterId, int32_t controllerId)
        : m_path(std::move(path)), m_clusterId(std::move(clusterId)), m_controllerId(controllerId) {}
    Status load();
    Status replayChangeLog();
    // Writes the whole state as a new snapshot and empties the change log.
    Status persistLocked();
    // Records a created topic: one line appended to the change log, which is cheap however many
    // topics there are (a snapshot is O(topics), and 10,000 creates made it quadratic); once the log
    // has grown as large as the snapshot, a new snapshot replaces both.
    Status recordCreatedLocked(const TopicInfo& topic);
    std::string changeLogPath() const { return m_path + ".log"; }

    const std::string m_path;
    const std::string m_clusterId;
    const int32_t m_controllerId;
    mutable std::mutex m_mutex;
    std::map<int32_t, BrokerInfo> m_brokers;
    std::map<std::string, TopicInfo> m_topics;
    int64_t m_nextProducerId = 0;
    // Numbers the changes: the snapshot says up to which one it holds, so the lines of a change log
    // it already includes (a crash between writing it and emptying the log) are not applied twice.
    uint64_t m_sequence = 0;
    uint64_t m_snapshotBytes = 0;
    uint64_t m_changeLogBytes = 0;
};

}  // namespace partita::cluster
