// Plain result and request structs of the Admin client's consumer group operations.
#pragma once

#include "engine/client/adminsecuritytypes.h"
#include "engine/client/admintypes.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace partita::client {

struct ListGroupsOptions {
    std::vector<std::string> states;  // e.g. "Stable", "Empty" (needs ListGroups v4; empty: all)
    std::vector<std::string> types;   // "classic", "consumer" (needs ListGroups v5; empty: all)
    // Kafka's listConsumerGroups shows groups of protocol type "consumer" and "" (groups that only
    // commit offsets); true also lists Connect workers' and other groups.
    bool includeAllProtocolTypes = false;
};

struct GroupListing {
    std::string groupId;
    std::string protocolType;  // "consumer", "connect", "" (offsets only)
    std::string state;         // ListGroups v4+ ("Stable", "Empty", ...), else ""
    std::string type;          // ListGroups v5+ ("classic", "consumer"), else ""
    int32_t coordinatorId = -1;
};

struct GroupListings {
    std::vector<GroupListing> groups;  // sorted by group id
    // Brokers that could not be asked: their groups are missing from the list.
    std::vector<Error> brokerErrors;
};

struct GroupMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string host;
    // Decoded from the consumer protocol's subscription and assignment (empty for other
    // protocol types or bytes that do not decode).
    std::vector<std::string> subscribedTopics;
    std::vector<TopicPartition> assignment;
};

struct DescribeGroupsOptions {
    bool includeAuthorizedOperations = false;  // answered by brokers with DescribeGroups v3+ (Kafka 2.3+)
};

struct ConsumerGroupDescription {
    std::string groupId;
    Status status;
    std::string state;  // "Stable", "Empty", "Dead", "PreparingRebalance", ...
    std::string protocolType;
    std::string protocol;  // the assignor ("range", "roundrobin", ...) while the group has members
    std::vector<GroupMember> members;
    int32_t coordinatorId = -1;
    std::optional<std::vector<AclOperation>> authorizedOperations;
};

struct CommittedOffset {
    TopicPartition partition;
    Status status;
    int64_t offset = -1;  // -1: no committed offset
    int32_t leaderEpoch = -1;
    std::string metadata;
};

struct OffsetAndMetadata {
    int64_t offset = 0;
    int32_t leaderEpoch = -1;
    std::string metadata;
};

struct PartitionLag {
    TopicPartition partition;
    std::optional<int64_t> committedOffset;  // none: the group never committed here
    std::optional<int64_t> logEndOffset;     // none: the end offset could not be read (see status)
    std::optional<int64_t> lag;              // logEnd - committed when both are known
    Status status;                           // why logEndOffset or committedOffset is missing
    // The member the partition is assigned to ("" when none).
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string host;
};

// What kafka-consumer-groups.sh --describe shows: per partition the committed offset, the log
// end offset (read_uncommitted latest) and the lag, plus the owner of each partition.
struct ConsumerGroupLag {
    std::string groupId;
    std::string state;
    int32_t coordinatorId = -1;
    std::vector<PartitionLag> partitions;  // sorted by topic, partition
    std::vector<GroupMember> members;
    int64_t totalLag = 0;              // the sum of the known lags
    int32_t partitionsWithoutLag = 0;  // partitions whose lag is unknown
};

}  // namespace partita::client
