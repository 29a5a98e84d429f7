// Group: one classic consumer group as the coordinator keeps it (members, generation, committed offsets).
#pragma once

#include "engine/coordinator/completion.h"
#include "engine/protocol/bytes.h"

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace partita::coordinator {

// The classic protocol's states, named as Kafka names them in DescribeGroups and ListGroups.
enum class GroupState { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead };
std::string_view groupStateName(GroupState state);
// ListGroups' states filter: Kafka matches the names case-insensitively.
std::optional<GroupState> parseGroupState(std::string_view name);

struct TopicPartition {
    std::string topic;
    int32_t partition = 0;
    friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};

struct CommittedOffset {
    int64_t offset = -1;
    int32_t leaderEpoch = -1;
    std::string metadata;
    int64_t commitTimestampMs = 0;
    std::optional<int64_t> expireTimestampMs;  // only commits that asked for a retention time
};

// What a JoinGroup gets back once the join phase completes (or at once, for an error).
struct JoinedMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    Bytes metadata;
};
struct JoinResult {
    int16_t errorCode = 0;
    int32_t generationId = -1;
    std::optional<std::string> protocolType;
    std::optional<std::string> protocolName;
    std::string leaderId;
    std::string memberId;
    bool skipAssignment = false;
    std::vector<JoinedMember> members;  // only the leader's answer lists them
};
struct SyncResult {
    int16_t errorCode = 0;
    std::optional<std::string> protocolType;
    std::optional<std::string> protocolName;
    Bytes assignment;
};

struct MemberProtocol {
    std::string name;
    Bytes metadata;
};

struct Member {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string clientHost;
    int32_t rebalanceTimeoutMs = 0;
    int32_t sessionTimeoutMs = 0;
    std::vector<MemberProtocol> protocols;  // in the member's order of preference
    Bytes assignment;
    // Set while a JoinGroup / SyncGroup of this member waits for the rebalance.
    std::shared_ptr<Completion<JoinResult>> awaitingJoin;
    std::shared_ptr<Completion<SyncResult>> awaitingSync;
    int64_t heartbeatDeadlineMs = 0;
    // Joined in this rebalance and not yet answered: kept alive while it waits.
    bool isNew = false;

    const MemberProtocol* protocol(std::string_view name) const;
    // Same protocol names and metadata in the same order (a rejoin that changes nothing).
    bool sameProtocols(const std::vector<MemberProtocol>& other) const;
};

// Plain data guarded by the coordinator's lock; the rules of the protocol live in GroupCoordinator.
class Group {
public:
    Group(std::string id, int64_t nowMs) : m_id(std::move(id)), m_stateTimestampMs(nowMs) {}

    const std::string& id() const { return m_id; }
    GroupState state() const { return m_state; }
    // When the group entered its current state (offsets of an empty group expire from there).
    int64_t stateTimestampMs() const { return m_stateTimestampMs; }
    void transitionTo(GroupState state, int64_t nowMs);
    bool is(GroupState state) const { return m_state == state; }

    int32_t generationId = 0;
    std::optional<std::string> protocolType;  // set by the first member, kept while the group lives
    std::optional<std::string> protocolName;  // chosen for the current generation
    std::optional<std::string> leaderId;
    std::map<std::string, Member> members;              // by member id
    std::map<std::string, std::string> staticMembers;   // group.instance.id -> member id
    std::map<std::string, int64_t> pendingMembers;      // ids handed out with MEMBER_ID_REQUIRED -> deadline
    std::map<TopicPartition, CommittedOffset> offsets;  // committed offsets
    // Offsets committed inside transactions (TxnOffsetCommit), by producer id, until the
    // transaction's marker makes them committed or drops them.
    std::map<int64_t, std::map<TopicPartition, CommittedOffset>> pendingTxnOffsets;
    std::set<std::string> subscribedTopics;  // consumer protocol: what the members subscribe to

    // Join phase of a rebalance: completes when every member has rejoined or at this deadline.
    int64_t joinDeadlineMs = 0;
    // group.initial.rebalance.delay.ms for a group that was empty: the join phase waits this long,
    // and again each time another member arrives, up to the rebalance timeout.
    bool initialDelayActive = false;
    int64_t initialDelayRemainingMs = 0;
    int32_t initialDelayStepMs = 0;
    bool newMemberJoinedDuringDelay = false;

    bool has(const std::string& memberId) const { return members.count(memberId) != 0; }
    Member* member(const std::string& memberId);
    bool isLeader(const std::string& memberId) const { return leaderId == memberId; }
    std::optional<std::string> staticMemberId(const std::string& instanceId) const;

    // The first member of an empty group sets its protocol type.
    void addMember(Member member, const std::string& type);
    // Removes the member (and its static id); a new leader is picked if it led.
    void removeMember(const std::string& memberId);
    // Hands a static member's slot to a new member id; returns the old member as it was.
    Member replaceStaticMember(const std::string& instanceId, const std::string& newMemberId);

    // An empty group takes any type with at least one protocol; otherwise the type must match
    // and one protocol must be supported by every member (the new one included).
    bool supportsProtocols(const std::string& protocolType, const std::vector<MemberProtocol>& protocols) const;
    // Of the protocols every member supports, each member votes for its first; most votes wins
    // (ties go to the leader's preference).
    std::string selectProtocol() const;
    int32_t maxRebalanceTimeoutMs() const;
    size_t awaitingJoinCount() const;
    bool allMembersJoined() const { return awaitingJoinCount() == members.size() && pendingMembers.empty(); }
    // For protocol type "consumer": the topics in the members' subscriptions of the chosen protocol.
    void updateSubscribedTopics();

private:
    std::string m_id;
    GroupState m_state = GroupState::Empty;
    int64_t m_stateTimestampMs;
};

}  // namespace partita::coordinator
