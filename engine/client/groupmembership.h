// GroupMembership: one member's side of Kafka's classic group protocol (JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup) with the group coordinator, including the leader's assignment.
#pragma once

#include "engine/client/assignor.h"
#include "engine/client/clientconfig.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace partita::client {

class KafkaClient;

// The settings of a group member, under Kafka's consumer property names.
struct GroupMembershipConfig {
    std::string groupId;                         // group.id (required)
    std::optional<std::string> groupInstanceId;  // group.instance.id: static membership (KIP-345)
    int32_t sessionTimeoutMs = 45000;            // session.timeout.ms
    int32_t rebalanceTimeoutMs = 300000;         // max.poll.interval.ms
    int32_t heartbeatIntervalMs = 3000;          // heartbeat.interval.ms
    int32_t retryBackoffMs = 100;                // retry.backoff.ms
    bool allowAutoCreateTopics = true;           // allow.auto.create.topics (the leader's metadata)
    std::optional<std::string> rackId;           // client.rack
    // partition.assignment.strategy, in order of preference.
    std::vector<std::shared_ptr<const PartitionAssignor>> assignors;

    // InvalidArgument naming the key for a missing group.id, bad numbers or unknown assignors.
    static Result<GroupMembershipConfig> fromClientConfig(const ClientConfig& config);
};

// The member's place in the group, as the last JoinGroup answered it.
struct GroupGeneration {
    int32_t generationId = -1;
    std::string memberId;
    std::string protocolName;  // the assignor the coordinator chose
    std::string leaderId;
    bool isLeader() const { return !memberId.empty() && memberId == leaderId; }
};

// Drives the membership on the client's engine threads (serialized: at most one callback runs at
// a time). Rebalances follow the eager protocol, or the cooperative one (KIP-429) when every
// configured assignor supports it. Retriable failures (coordinator moved or loading, lost
// connections, timeouts) are retried after retry.backoff.ms; fatal ones stop the membership and
// reach onFatalError.
class GroupMembership {
public:
    struct Callbacks {
        // Partitions this member gives up: all of them before it rejoins (eager), the ones its new
        // assignment lacks (cooperative), all of them on leave(). `lost`: the coordinator no longer
        // knows this member, so the partitions may already be someone else's (do not commit them).
        // The rebalance waits until `done` is called (it may be called on any thread).
        std::function<void(const PartitionsByTopic& partitions, bool lost, std::function<void()> done)>
            onPartitionsRevoked;
        // Partitions added to this member's assignment (assignment() has all of them).
        std::function<void(const PartitionsByTopic& added, const GroupGeneration& generation)> onPartitionsAssigned;
        // The member cannot go on (FENCED_INSTANCE_ID, GROUP_AUTHORIZATION_FAILED, ...) and has
        // stopped; its partitions were revoked as lost first.
        std::function<void(const Error& error)> onFatalError;
    };

    GroupMembership(std::shared_ptr<KafkaClient> client, GroupMembershipConfig config, Callbacks callbacks);
    // Stops without leaving the group (call leave() first for that): the coordinator drops the
    // member after session.timeout.ms.
    ~GroupMembership();
    GroupMembership(const GroupMembership&) = delete;
    GroupMembership& operator=(const GroupMembership&) = delete;

    // Joins with these topics, or rejoins when they differ from the current subscription.
    void subscribe(std::vector<std::string> topics);
    // Asks for a rebalance (e.g. a commit was refused with REBALANCE_IN_PROGRESS).
    void requestRejoin();
    // Revokes the partitions (onPartitionsRevoked), sends LeaveGroup (not for static members, which
    // keep their slot until the session times out, as in Kafka) and stops.
    void leave(std::function<void(Status)> done);
    // Stops at once without leaving (no more requests or callbacks); the coordinator drops the
    // member after session.timeout.ms. The destructor does this.
    void stop();

    GroupGeneration generation() const;
    PartitionsByTopic assignment() const;
    std::vector<std::string> subscription() const;
    RebalanceProtocol rebalanceProtocol() const;
    // Joined and synced with no rebalance under way.
    bool isStable() const;

private:
    class Impl;
    std::shared_ptr<Impl> m_impl;
};

}  // namespace partita::client
