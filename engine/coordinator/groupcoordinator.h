// GroupCoordinator: the classic consumer-group protocol and committed offsets in __consumer_offsets.
#pragma once

#include "engine/coordinator/coordinatortopic.h"
#include "engine/coordinator/group.h"
#include "engine/coordinator/periodicthread.h"
#include "engine/protocol/result.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace partita::protocol {
class GroupMetadataValue;
}

namespace partita::storage {
class Clock;
}  // namespace partita::storage

namespace partita::coordinator {

// Kafka's broker settings for groups, by their Kafka names.
struct GroupCoordinatorConfig {
    int32_t offsetsTopicNumPartitions = 50;            // offsets.topic.num.partitions
    int32_t initialRebalanceDelayMs = 3000;            // group.initial.rebalance.delay.ms
    int32_t minSessionTimeoutMs = 6000;                // group.min.session.timeout.ms
    int32_t maxSessionTimeoutMs = 1800000;             // group.max.session.timeout.ms
    int32_t maxSize = 2147483647;                      // group.max.size
    int64_t offsetsRetentionMs = 7 * 24 * 3600000LL;   // offsets.retention.minutes
    int64_t offsetsRetentionCheckIntervalMs = 600000;  // offsets.retention.check.interval.ms
    int32_t offsetMetadataMaxBytes = 4096;             // offset.metadata.max.bytes
};

struct JoinRequest {
    std::string groupId;
    std::string memberId;  // empty: a new member
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string clientHost;
    int32_t sessionTimeoutMs = 0;
    int32_t rebalanceTimeoutMs = 0;
    std::string protocolType;
    std::vector<MemberProtocol> protocols;
    bool requireKnownMemberId = false;  // JoinGroup v4+: a new member first gets MEMBER_ID_REQUIRED
};

struct SyncRequest {
    std::string groupId;
    int32_t generationId = -1;
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::optional<std::string> protocolType;                 // v5+
    std::optional<std::string> protocolName;                 // v5+
    std::vector<std::pair<std::string, Bytes>> assignments;  // the leader's
};

struct LeavingMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    int16_t errorCode = 0;  // filled in
};

struct OffsetCommitEntry {
    TopicPartition partition;
    int64_t offset = 0;
    int32_t leaderEpoch = -1;
    std::optional<std::string> metadata;
    std::optional<int64_t> expireTimestampMs;
    int16_t errorCode = 0;  // preset by the caller (unknown partition) or filled in
};

struct FetchedOffset {
    TopicPartition partition;
    int64_t offset = -1;
    int32_t leaderEpoch = -1;
    std::string metadata;
    int16_t errorCode = 0;
};

struct GroupListing {
    std::string groupId;
    std::string protocolType;
    GroupState state = GroupState::Empty;
};

struct DescribedMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string clientHost;
    Bytes metadata;    // only in Stable
    Bytes assignment;  // only in Stable
};
struct GroupDescription {
    int16_t errorCode = 0;
    GroupState state = GroupState::Dead;  // a group that does not exist is described as Dead
    std::string protocolType;
    std::string protocolName;
    std::vector<DescribedMember> members;
};

// Every method may be called from any thread; one lock guards all groups. JoinGroup and
// SyncGroup suspend until the rebalance answers them; time-based rules (session and rebalance
// timeouts, the initial delay, offset retention) run from expireDue(), which a background thread
// calls, or a test with a manual clock.
class GroupCoordinator {
public:
    GroupCoordinator(GroupCoordinatorConfig config, CoordinatorTopic& topic, const storage::Clock& clock);
    ~GroupCoordinator();
    GroupCoordinator(const GroupCoordinator&) = delete;
    GroupCoordinator& operator=(const GroupCoordinator&) = delete;

    // The __consumer_offsets partition of a group: abs(Java String.hashCode) % partitions.
    int32_t partitionFor(const std::string& groupId) const;
    // Kafka's group id rule per API: JoinGroup and the other membership APIs need a non-empty
    // id; every API needs one short enough for the int16-length key of __consumer_offsets.
    static bool isValidGroupId(const std::string& groupId, bool emptyAllowed);

    // Reads every partition of __consumer_offsets back (at start).
    Status load();
    void startBackgroundTasks();
    void stop();

    boost::asio::awaitable<JoinResult> join(JoinRequest request);
    boost::asio::awaitable<SyncResult> sync(SyncRequest request);
    int16_t heartbeat(const std::string& groupId, const std::string& memberId,
                      const std::optional<std::string>& groupInstanceId, int32_t generationId);
    // The top-level error; each member's own in its errorCode.
    int16_t leave(const std::string& groupId, std::vector<LeavingMember>& members);

    // The top-level error (it applies to every entry); each entry's own in its errorCode.
    int16_t commitOffsets(const std::string& groupId, const std::string& memberId,
                          const std::optional<std::string>& groupInstanceId, int32_t generationId,
                          std::vector<OffsetCommitEntry>& entries);
    // TxnOffsetCommit: offsets written as the producer's transactional records, visible once the
    // transaction commits. The caller has checked the producer with the transaction coordinator.
    int16_t commitTxnOffsets(const std::string& groupId, int64_t producerId, int16_t producerEpoch,
                             const std::string& memberId, const std::optional<std::string>& groupInstanceId,
                             int32_t generationId, std::vector<OffsetCommitEntry>& entries);
    // A COMMIT or ABORT marker of the producer reached this __consumer_offsets partition.
    void completeTxnOffsets(int32_t partition, int64_t producerId, bool commit);

    // Committed offsets of the named partitions (-1 where none), or of every partition with one.
    // requireStable (OffsetFetch v7+): a partition with a transactional commit in flight is
    // UNSTABLE_OFFSET_COMMIT instead.
    int16_t fetchOffsets(const std::string& groupId, const std::optional<std::vector<TopicPartition>>& partitions,
                         std::vector<FetchedOffset>& out, bool requireStable = false);
    std::vector<GroupListing> listGroups() const;
    GroupDescription describeGroup(const std::string& groupId) const;
    int16_t deleteGroup(const std::string& groupId);
    // OffsetDelete: the top-level error, and each partition's in `errors`.
    int16_t deleteOffsets(const std::string& groupId, const std::vector<TopicPartition>& partitions,
                          std::vector<int16_t>& errors);

    // Session and join deadlines, pending members, the initial delay; offset retention when due.
    void expireDue();
    // Deletes offsets past offsets.retention.minutes (empty groups: counted from when they emptied).
    void expireOffsets();

private:
    // --- membership (groupcoordinator.cpp) ---
    JoinResult joinNewMember(Group& group, const JoinRequest& request, std::shared_ptr<Completion<JoinResult>>& wait);
    JoinResult joinExistingMember(Group& group, const JoinRequest& request,
                                  std::shared_ptr<Completion<JoinResult>>& wait);
    void addMemberAndRebalance(Group& group, const JoinRequest& request, const std::string& memberId,
                               std::shared_ptr<Completion<JoinResult>>& wait);
    void updateMemberAndRebalance(Group& group, Member& member, const JoinRequest& request,
                                  std::shared_ptr<Completion<JoinResult>>& wait);
    void replaceStaticMember(Group& group, const JoinRequest& request, std::shared_ptr<Completion<JoinResult>>& wait);
    void prepareRebalance(Group& group, const std::string& reason);
    void maybePrepareRebalance(Group& group, const std::string& reason);
    void tryCompleteJoin(Group& group);
    void completeJoin(Group& group);
    JoinResult joinAnswer(const Group& group, const std::string& memberId) const;
    void removeMemberAndUpdateGroup(Group& group, const std::string& memberId, const std::string& reason);
    void propagateAssignments(Group& group, int16_t errorCode);
    void scheduleHeartbeat(Member& member);
    void expireMembersAndJoins(int64_t nowMs);
    int16_t validateMember(const Group& group, const std::string& memberId,
                           const std::optional<std::string>& groupInstanceId) const;

    // --- persistence (groupstorage.cpp) ---
    // producerId >= 0: a transactional batch of that producer (TxnOffsetCommit).
    Status appendRecords(int32_t partition, const std::vector<std::pair<Bytes, std::optional<Bytes>>>& records,
                         int64_t producerId = -1, int16_t producerEpoch = -1);
    Status storeGroup(const Group& group);
    void completeTxnOffsetsLocked(int32_t partition, int64_t producerId, bool commit);
    Status loadPartition(int32_t partition);
    void applyLoadedGroup(const std::string& groupId, const protocol::GroupMetadataValue& value);

    Group* findGroup(const std::string& groupId);
    const Group* findGroup(const std::string& groupId) const;
    Group& getOrCreateGroup(const std::string& groupId);
    int64_t now() const;

    const GroupCoordinatorConfig m_config;
    CoordinatorTopic& m_topic;
    const storage::Clock& m_clock;

    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Group>> m_groups;
    int64_t m_nextRetentionCheckMs = 0;

    PeriodicThread m_background;
};

}  // namespace partita::coordinator
