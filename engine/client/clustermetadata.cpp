// Building and reading ClusterMetadata snapshots.
#include "engine/client/clustermetadata.h"

#include "engine/protocol/messages/metadata.h"

#include <algorithm>

namespace partita::client {

const BrokerInfo* ClusterMetadata::broker(int32_t nodeId) const {
    auto it = std::lower_bound(brokers.begin(), brokers.end(), nodeId,
                               [](const BrokerInfo& b, int32_t id) { return b.nodeId < id; });
    return it != brokers.end() && it->nodeId == nodeId ? &*it : nullptr;
}

const TopicInfo* ClusterMetadata::topic(const std::string& name) const {
    auto it = topics.find(name);
    return it == topics.end() ? nullptr : &it->second;
}

const PartitionInfo* ClusterMetadata::partition(const std::string& topicName, int32_t partitionIndex) const {
    const TopicInfo* t = topic(topicName);
    if (t == nullptr) return nullptr;
    auto it = std::lower_bound(t->partitions.begin(), t->partitions.end(), partitionIndex,
                               [](const PartitionInfo& p, int32_t index) { return p.partition < index; });
    return it != t->partitions.end() && it->partition == partitionIndex ? &*it : nullptr;
}

ClusterMetadata ClusterMetadata::fromResponse(const protocol::MetadataResponse& response, bool allTopics,
                                              const ClusterMetadata* previous) {
    ClusterMetadata result;
    result.clusterId = response.clusterId.value_or("");
    result.controllerId = response.controllerId;
    for (const auto& b : response.brokers) result.brokers.push_back({b.nodeId, b.host, b.port, b.rack});
    std::sort(result.brokers.begin(), result.brokers.end(),
              [](const BrokerInfo& a, const BrokerInfo& b) { return a.nodeId < b.nodeId; });
    // A partial answer keeps what an earlier one knew about other topics; a full one replaces all.
    if (previous != nullptr && !allTopics) result.topics = previous->topics;
    result.hasAllTopics = allTopics || (previous != nullptr && previous->hasAllTopics);
    for (const auto& t : response.topics) {
        TopicInfo topic;
        topic.name = t.name.value_or("");
        topic.topicId = t.topicId;
        topic.errorCode = t.errorCode;
        topic.internal = t.isInternal;
        for (const auto& p : t.partitions) {
            topic.partitions.push_back({p.partitionIndex, p.errorCode, p.leaderId, p.leaderEpoch, p.replicaNodes,
                                        p.isrNodes, p.offlineReplicas});
        }
        std::sort(topic.partitions.begin(), topic.partitions.end(),
                  [](const PartitionInfo& a, const PartitionInfo& b) { return a.partition < b.partition; });
        result.topics[topic.name] = std::move(topic);
    }
    result.fetchedAt = std::chrono::steady_clock::now();
    return result;
}

}  // namespace partita::client
