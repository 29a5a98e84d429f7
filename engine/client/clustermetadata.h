// ClusterMetadata: an immutable snapshot of what a Metadata response said about a cluster.
#pragma once

#include "engine/protocol/uuid.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace partita::protocol {
class MetadataResponse;
}

namespace partita::client {

struct BrokerInfo {
    int32_t nodeId = -1;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
};

struct PartitionInfo {
    int32_t partition = 0;
    int16_t errorCode = 0;  // LEADER_NOT_AVAILABLE while an election runs, ...
    int32_t leader = -1;    // -1: no leader (offline)
    int32_t leaderEpoch = -1;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    std::vector<int32_t> offlineReplicas;
};

struct TopicInfo {
    std::string name;
    Uuid topicId;
    int16_t errorCode = 0;  // UNKNOWN_TOPIC_OR_PARTITION, TOPIC_AUTHORIZATION_FAILED, ...
    bool internal = false;
    std::vector<PartitionInfo> partitions;  // sorted by partition
};

struct ClusterMetadata {
    std::string clusterId;
    int32_t controllerId = -1;
    std::vector<BrokerInfo> brokers;  // sorted by node id
    std::map<std::string, TopicInfo> topics;
    bool hasAllTopics = false;  // the response listed every topic (not only the ones asked for)
    std::chrono::steady_clock::time_point fetchedAt{};

    const BrokerInfo* broker(int32_t nodeId) const;
    const TopicInfo* topic(const std::string& name) const;
    const PartitionInfo* partition(const std::string& topic, int32_t partition) const;

    // A snapshot from a response. `previous` keeps topics the response did not mention (a
    // response for some topics must not forget the others).
    static ClusterMetadata fromResponse(const protocol::MetadataResponse& response, bool allTopics,
                                        const ClusterMetadata* previous);
};

}  // namespace partita::client
