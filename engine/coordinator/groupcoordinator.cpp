// The classic group membership protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the rebalance they drive.
#include "engine/coordinator/groupcoordinator.h"

#include "engine/coordinator/coordinatorpartition.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/uuid.h"
#include "engine/storage/clock.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace partita::coordinator {

using protocol::code;
using protocol::ErrorCode;

namespace {

// How often the background thread looks at deadlines: well under any session timeout Kafka allows.
constexpr auto kExpiryTick = std::chrono::milliseconds(50);

// A group id must fit the int16 string length of the __consumer_offsets key.
constexpr size_t kMaxGroupIdBytes = 32767;

// Kafka's member ids: the client id (or group.instance.id) and a random UUID in its text form.
std::string newMemberId(const std::string& prefix) {
    const Uuid id = Uuid::random();
    char text[37];
    const auto& b = id.bytes;
    std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return prefix + "-" + text;
}

JoinResult joinError(const std::string& memberId, ErrorCode error) {
    JoinResult result;
    result.errorCode = code(error);
    result.memberId = memberId;
    return result;
}

SyncResult syncError(ErrorCode error) {
    SyncResult result;
    result.errorCode = code(error);
    return result;
}

}  // namespace

GroupCoordinator::GroupCoordinator(GroupCoordinatorConfig config, CoordinatorTopic& topic, const storage::Clock& clock)
    : m_config(config), m_topic(topic), m_clock(clock) {}

GroupCoordinator::~GroupCoordinator() {
    stop();
}

int64_t GroupCoordinator::now() const {
    return m_clock.nowMs();
}

int32_t GroupCoordinator::partitionFor(const std::string& groupId) const {
    return coordinatorPartition(groupId, m_config.offsetsTopicNumPartitions);
}

bool GroupCoordinator::isValidGroupId(const std::string& groupId, bool emptyAllowed) {
    if (groupId.empty()) return emptyAllowed;
    return groupId.size() <= kMaxGroupIdBytes;
}

Group* GroupCoordinator::findGroup(const std::string& groupId) {
    auto it = m_groups.find(groupId);
    return it == m_groups.end() ? nullptr : it->second.get();
}

const Group* GroupCoordinator::findGroup(const std::string& groupId) const {
    auto it = m_groups.find(groupId);
    return it == m_groups.end() ? nullptr : it->second.get();
}

Group& GroupCoordinator::getOrCreateGroup(const std::string& groupId) {
    auto& slot = m_groups[groupId];
    if (!slot) slot = std::make_unique<Group>(groupId, now());
    return *slot;
}

void GroupCoordinator::scheduleHeartbeat(Member& member) {
    member.heartbeatDeadlineMs = now() + member.sessionTimeoutMs;
}

// --- JoinGroup ---

boost::asio::awaitable<JoinResult> GroupCoordinator::join(JoinRequest request) {
    std::shared_ptr<Completion<JoinResult>> wait;
    JoinResult immediate;
    {
        std::lock_guard lock(m_mutex);
        if (!isValidGroupId(request.groupId, false)) {
            immediate = joinError(request.memberId, ErrorCode::InvalidGroupId);
        } else if (request.sessionTimeoutMs < m_config.minSessionTimeoutMs ||
                   request.sessionTimeoutMs > m_config.maxSessionTimeoutMs) {
            immediate = joinError(request.memberId, ErrorCode::InvalidSessionTimeout);
        } else {
            Group* existing = findGroup(request.groupId);
            if (!existing && !request.memberId.empty()) {
                immediate = joinError(request.memberId, ErrorCode::UnknownMemberId);
            } else {
                Group& group = existing ? *existing : getOrCreateGroup(request.groupId);
                if (request.memberId.empty() && group.members.size() >= size_t(m_config.maxSize) &&
                    !(request.groupInstanceId && group.staticMemberId(*request.groupInstanceId))) {
                    immediate = joinError(request.memberId, ErrorCode::GroupMaxSizeReached);
                } else if (!group.supportsProtocols(request.protocolType, request.protocols)) {
                    immediate = joinError(request.memberId, ErrorCode::InconsistentGroupProtocol);
                } else if (request.memberId.empty()) {
                    immediate = joinNewMember(group, request, wait);
                } else {
                    immediate = joinExistingMember(group, request, wait);
                }
                // A group created only to be refused is not kept.
                if (!existing && group.members.empty() && group.pendingMembers.empty() && group.offsets.empty()) {
                    m_groups.erase(request.groupId);
                }
            }
        }
    }
    if (!wait) co_return immediate;
    co_return co_await wait->wait();
}

JoinResult GroupCoordinator::joinNewMember(Group& group, const JoinRequest& request,
                                           std::shared_ptr<Completion<JoinResult>>& wait) {
    if (group.is(GroupState::Dead)) return joinError(request.memberId, ErrorCode::CoordinatorNotAvailable);
    if (request.groupInstanceId) {
        if (group.staticMemberId(*request.groupInstanceId)) {
            replaceStaticMember(group, request, wait);
            return {};
        }
        addMemberAndRebalance(group, request, newMemberId(*request.groupInstanceId), wait);
        return {};
    }
    const std::string memberId = newMemberId(request.clientId);
    if (request.requireKnownMemberId) {
        // KIP-394: the client retries with this id, so a join that dies in flight leaves no member.
        group.pendingMembers[memberId] = now() + request.sessionTimeoutMs;
        return joinError(memberId, ErrorCode::MemberIdRequired);
    }
    addMemberAndRebalance(group, request, memberId, wait);
    return {};
}

JoinResult GroupCoordinator::joinExistingMember(Group& group, const JoinRequest& request,
                                                std::shared_ptr<Completion<JoinResult>>& wait) {
    if (group.is(GroupState::Dead)) return joinError(request.memberId, ErrorCode::CoordinatorNotAvailable);
    if (group.pendingMembers.count(request.memberId)) {
        if (group.members.size() >= size_t(m_config.maxSize)) {
            group.pendingMembers.erase(request.memberId);
            return joinError(request.memberId, ErrorCode::GroupMaxSizeReached);
        }
        addMemberAndRebalance(group, request, request.memberId, wait);
        return {};
    }
    if (int16_t error = validateMember(group, request.memberId, request.groupInstanceId)) {
        JoinResult result;
        result.errorCode = error;
        result.memberId = request.memberId;
        return result;
    }
    Member& member = *group.member(request.memberId);
    switch (group.state()) {
        case GroupState::PreparingRebalance:
            updateMemberAndRebalance(group, member, request, wait);
            return {};
        case GroupState::CompletingRebalance:
            if (member.sameProtocols(request.protocols)) {
                // The join response was lost: answer it again from the current generation.
                return joinAnswer(group, member.memberId);
            }
            updateMemberAndRebalance(group, member, request, wait);
            return {};
        case GroupState::Stable:
            if (group.isLeader(member.memberId) || !member.sameProtocols(request.protocols)) {
                // The leader rejoins to have the group reassigned (metadata changed, cooperative
                // follow-up rebalance); a follower with new subscriptions likewise.
                updateMemberAndRebalance(group, member, request, wait);
                return {};
            }
            return joinAnswer(group, member.memberId);
        case GroupState::Empty:
        case GroupState::Dead:
            break;
    }
    return joinError(request.memberId, ErrorCode::UnknownMemberId);
}

int16_t GroupCoordinator::validateMember(const Group& group, const std::string& memberId,
                                         const std::optional<std::string>& groupInstanceId) const {
    if (groupInstanceId) {
        auto current = group.staticMemberId(*groupInstanceId);
        if (current && *current != memberId) return code(ErrorCode::FencedInstanceId);
    }
    if (!group.has(memberId)) return code(ErrorCode::UnknownMemberId);
    return 0;
}

void GroupCoordinator::addMemberAndRebalance(Group& group, const JoinRequest& request, const std::string& memberId,
                                             std::shared_ptr<Completion<JoinResult>>& wait) {
    Member member;
    member.memberId = memberId;
    member.groupInstanceId = request.groupInstanceId;
    member.clientId = request.clientId;
    member.clientHost = request.clientHost;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.protocols = request.protocols;
    member.isNew = true;
    wait = std::make_shared<Completion<JoinResult>>();
    member.awaitingJoin = wait;
    scheduleHeartbeat(member);
    group.addMember(std::move(member), request.protocolType);
    if (group.is(GroupState::PreparingRebalance) && group.initialDelayActive) group.newMemberJoinedDuringDelay = true;
    maybePrepareRebalance(group, "member " + memberId + " joined");
    tryCompleteJoin(group);
}

void GroupCoordinator::updateMemberAndRebalance(Group& group, Member& member, const JoinRequest& request,
                                                std::shared_ptr<Completion<JoinResult>>& wait) {
    member.protocols = request.protocols;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.clientId = request.clientId;
    member.clientHost = request.clientHost;
    // A second JoinGroup from the same member supersedes the first, which gets no answer of its own.
    if (member.awaitingJoin) member.awaitingJoin->complete(joinError(member.memberId, ErrorCode::RebalanceInProgress));
    wait = std::make_shared<Completion<JoinResult>>();
    member.awaitingJoin = wait;
    maybePrepareRebalance(group, "member " + member.memberId + " rejoined");
    tryCompleteJoin(group);
}

void GroupCoordinator::replaceStaticMember(Group& group, const JoinRequest& request,
                                           std::shared_ptr<Completion<JoinResult>>& wait) {
    const std::string newId = newMemberId(*request.groupInstanceId);
    Member old = group.replaceStaticMember(*request.groupInstanceId, newId);
    // The member it replaces is fenced: a JoinGroup or SyncGroup it still waits on says so.
    if (old.awaitingJoin) old.awaitingJoin->complete(joinError(old.memberId, ErrorCode::FencedInstanceId));
    if (old.awaitingSync) old.awaitingSync->complete(syncError(ErrorCode::FencedInstanceId));
    Member& member = *group.member(newId);
    member.clientId = request.clientId;
    member.clientHost = request.clientHost;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    const auto oldProtocols = member.protocols;
    member.protocols = request.protocols;
    wait = std::make_shared<Completion<JoinResult>>();
    member.awaitingJoin = wait;
    scheduleHeartbeat(member);
    spdlog::info("group {}: static member {} rejoined as {} (was {})", group.id(), *request.groupInstanceId, newId,
                 old.memberId);
    switch (group.state()) {
        case GroupState::Stable:
            // KIP-345: a static member coming back gets its assignment without a rebalance, unless
            // the protocol the group would pick changes.
            if (group.protocolName && group.selectProtocol() == *group.protocolName) {
                if (Status st = storeGroup(group); !st) {
                    spdlog::warn("group {}: cannot store the replaced static member: {}", group.id(),
                                 st.error().message);
                    member.protocols = oldProtocols;
                    group.replaceStaticMember(*request.groupInstanceId, old.memberId);
                    group.member(old.memberId)->awaitingJoin.reset();
                    wait->complete(joinError(newId, ErrorCode::UnknownServerError));
                    return;
                }
                JoinResult answer = joinAnswer(group, newId);
                answer.skipAssignment = group.isLeader(newId);
                if (!answer.skipAssignment) answer.members.clear();
                member.awaitingJoin.reset();
                wait->complete(std::move(answer));
                return;
            }
            prepareRebalance(group, "static member " + *request.groupInstanceId + " changed its protocols");
            return;
        case GroupState::CompletingRebalance:
            prepareRebalance(group, "static member " + *request.groupInstanceId + " rejoined while completing");
            return;
        case GroupState::PreparingRebalance:
            tryCompleteJoin(group);
            return;
        case GroupState::Empty:
        case GroupState::Dead:
            break;
    }
    tryCompleteJoin(group);
}

void GroupCoordinator::maybePrepareRebalance(Group& group, const std::string& reason) {
    if (group.is(GroupState::Stable) || group.is(GroupState::CompletingRebalance) || group.is(GroupState::Empty)) {
        prepareRebalance(group, reason);
    }
}

void GroupCoordinator::prepareRebalance(Group& group, const std::string& reason) {
    // Members still waiting for SyncGroup must rejoin.
    if (group.is(GroupState::CompletingRebalance)) propagateAssignments(group, code(ErrorCode::RebalanceInProgress));
    const bool wasEmpty = group.is(GroupState::Empty);
    const int64_t t = now();
    const int32_t rebalanceTimeout = group.maxRebalanceTimeoutMs();
    if (wasEmpty && m_config.initialRebalanceDelayMs > 0) {
        group.initialDelayActive = true;
        group.initialDelayStepMs = m_config.initialRebalanceDelayMs;
        group.initialDelayRemainingMs =
            std::max<int64_t>(0, int64_t(rebalanceTimeout) - m_config.initialRebalanceDelayMs);
        group.newMemberJoinedDuringDelay = false;
        group.joinDeadlineMs = t + m_config.initialRebalanceDelayMs;
    } else {
        group.initialDelayActive = false;
        group.joinDeadlineMs = t + rebalanceTimeout;
    }
    group.transitionTo(GroupState::PreparingRebalance, t);
    spdlog::info("group {}: preparing to rebalance (generation {}): {}", group.id(), group.generationId, reason);
}

void GroupCoordinator::tryCompleteJoin(Group& group) {
    if (!group.is(GroupState::PreparingRebalance) || group.initialDelayActive) return;
    if (group.allMembersJoined()) completeJoin(group);
}

void GroupCoordinator::completeJoin(Group& group) {
    const int64_t t = now();
    group.initialDelayActive = false;
    // Dynamic members that did not rejoin in time are out; static ones keep their slot until
    // their session expires.
    std::vector<std::string> gone;
    for (const auto& [id, m] : group.members) {
        if (!m.awaitingJoin && !m.groupInstanceId) gone.push_back(id);
    }
    for (const auto& id : gone) group.removeMember(id);
    group.pendingMembers.clear();
    // The leader must be one that rejoined: it computes the assignment.
    if (group.leaderId && !group.member(*group.leaderId)->awaitingJoin) {
        group.leaderId.reset();
        for (const auto& [id, m] : group.members) {
            if (m.awaitingJoin) {
                group.leaderId = id;
                break;
            }
        }
        if (!group.leaderId && !group.members.empty()) group.leaderId = group.members.begin()->first;
    }
    const bool anyoneJoined = group.awaitingJoinCount() > 0;
    if (!anyoneJoined) {
        // Only static members that did not come back: nobody to lead; they go.
        std::vector<std::string> all;
        for (const auto& [id, m] : group.members) all.push_back(id);
        for (const auto& id : all) group.removeMember(id);
    }
    ++group.generationId;
    for (auto& [id, m] : group.members) m.assignment = {};
    if (group.members.empty()) {
        group.protocolName.reset();
        group.subscribedTopics.clear();
        group.transitionTo(GroupState::Empty, t);
        spdlog::info("group {}: generation {} is empty", group.id(), group.generationId);
        if (Status st = storeGroup(group); !st) {
            spdlog::warn("group {}: cannot store the empty group: {}", group.id(), st.error().message);
        }
        return;
    }
    group.protocolName = group.selectProtocol();
    group.updateSubscribedTopics();
    group.transitionTo(GroupState::CompletingRebalance, t);
    spdlog::info("group {}: generation {} with {} members, protocol {}, leader {}", group.id(), group.generationId,
                 group.members.size(), *group.protocolName, group.leaderId.value_or(""));
    for (auto& [id, m] : group.members) {
        if (!m.awaitingJoin) continue;
        auto waiter = std::move(m.awaitingJoin);
        m.awaitingJoin.reset();
        m.isNew = false;
        scheduleHeartbeat(m);
        waiter->complete(joinAnswer(group, id));
    }
}

JoinResult GroupCoordinator::joinAnswer(const Group& group, const std::string& memberId) const {
    JoinResult result;
    result.generationId = group.generationId;
    result.protocolType = group.protocolType;
    result.protocolName = group.protocolName;
    result.leaderId = group.leaderId.value_or("");
    result.memberId = memberId;
    if (group.isLeader(memberId) && group.protocolName) {
        for (const auto& [id, m] : group.members) {
            const MemberProtocol* p = m.protocol(*group.protocolName);
            result.members.push_back({id, m.groupInstanceId, p ? p->metadata : Bytes()});
        }
    }
    return result;
}

// --- SyncGroup ---

boost::asio::awaitable<SyncResult> GroupCoordinator::sync(SyncRequest request) {
    std::shared_ptr<Completion<SyncResult>> wait;
    SyncResult immediate;
    {
        std::lock_guard lock(m_mutex);
        Group* group = isValidGroupId(request.groupId, false) ? findGroup(request.groupId) : nullptr;
        if (!isValidGroupId(request.groupId, false)) {
            immediate = syncError(ErrorCode::InvalidGroupId);
        } else if (!group) {
            immediate = syncError(ErrorCode::UnknownMemberId);
        } else if (group->is(GroupState::Dead)) {
            immediate = syncError(ErrorCode::CoordinatorNotAvailable);
        } else if (int16_t error = validateMember(*group, request.memberId, request.groupInstanceId)) {
            immediate.errorCode = error;
        } else if (request.generationId != group->generationId) {
            immediate = syncError(ErrorCode::IllegalGeneration);
        } else if ((request.protocolType && *request.protocolType != group->protocolType.value_or("")) ||
                   (request.protocolName && *request.protocolName != group->protocolName.value_or(""))) {
            immediate = syncError(ErrorCode::InconsistentGroupProtocol);
        } else {
            Member& member = *group->member(request.memberId);
            switch (group->state()) {
                case GroupState::PreparingRebalance:
                    immediate = syncError(ErrorCode::RebalanceInProgress);
                    break;
                case GroupState::Stable:
                    scheduleHeartbeat(member);
                    immediate.protocolType = group->protocolType;
                    immediate.protocolName = group->protocolName;
                    immediate.assignment = member.assignment;
                    break;
                case GroupState::CompletingRebalance: {
                    if (member.awaitingSync) member.awaitingSync->complete(syncError(ErrorCode::RebalanceInProgress));
                    wait = std::make_shared<Completion<SyncResult>>();
                    member.awaitingSync = wait;
                    scheduleHeartbeat(member);
                    if (group->isLeader(member.memberId)) {
                        // Members the leader left out get an empty assignment, as in Kafka.
                        for (auto& [id, m] : group->members) m.assignment = {};
                        for (auto& [id, assignment] : request.assignments) {
                            if (Member* target = group->member(id)) target->assignment = assignment;
                        }
                        if (Status st = storeGroup(*group); !st) {
                            spdlog::warn("group {}: cannot store generation {}: {}", group->id(), group->generationId,
                                         st.error().message);
                            propagateAssignments(*group, code(ErrorCode::CoordinatorNotAvailable));
                            prepareRebalance(*group, "storing the group failed");
                        } else {
                            propagateAssignments(*group, 0);
                            group->transitionTo(GroupState::Stable, now());
                        }
                    }
                    break;
                }
                case GroupState::Empty:
                case GroupState::Dead:
                    immediate = syncError(ErrorCode::UnknownMemberId);
                    break;
            }
        }
    }
    if (!wait) co_return immediate;
    co_return co_await wait->wait();
}

void GroupCoordinator::propagateAssignments(Group& group, int16_t errorCode) {
    for (auto& [id, m] : group.members) {
        if (!m.awaitingSync) continue;
        SyncResult result;
        result.errorCode = errorCode;
        if (errorCode == 0) {
            result.protocolType = group.protocolType;
            result.protocolName = group.protocolName;
            result.assignment = m.assignment;
            scheduleHeartbeat(m);
        }
        auto waiter = std::move(m.awaitingSync);
        m.awaitingSync.reset();
        waiter->complete(std::move(result));
    }
    if (errorCode != 0) {
        for (auto& [id, m] : group.members) m.assignment = {};
    }
}

// --- Heartbeat and LeaveGroup ---

int16_t GroupCoordinator::heartbeat(const std::string& groupId, const std::string& memberId,
                                    const std::optional<std::string>& groupInstanceId, int32_t generationId) {
    std::lock_guard lock(m_mutex);
    if (!isValidGroupId(groupId, false)) return code(ErrorCode::InvalidGroupId);
    Group* group = findGroup(groupId);
    if (!group) return code(ErrorCode::UnknownMemberId);
    if (group->is(GroupState::Dead)) return code(ErrorCode::CoordinatorNotAvailable);
    if (int16_t error = validateMember(*group, memberId, groupInstanceId)) return error;
    if (group->is(GroupState::Empty)) return code(ErrorCode::UnknownMemberId);
    if (generationId != group->generationId) return code(ErrorCode::IllegalGeneration);
    scheduleHeartbeat(*group->member(memberId));
    if (group->is(GroupState::PreparingRebalance)) return code(ErrorCode::RebalanceInProgress);
    return 0;
}

int16_t GroupCoordinator::leave(const std::string& groupId, std::vector<LeavingMember>& leaving) {
    std::lock_guard lock(m_mutex);
    if (!isValidGroupId(groupId, false)) return code(ErrorCode::InvalidGroupId);
    Group* group = findGroup(groupId);
    if (!group) {
        for (auto& m : leaving) m.errorCode = code(ErrorCode::UnknownMemberId);
        return 0;
    }
    if (group->is(GroupState::Dead)) return code(ErrorCode::CoordinatorNotAvailable);
    for (auto& m : leaving) {
        std::string memberId = m.memberId;
        if (m.groupInstanceId) {
            auto current = group->staticMemberId(*m.groupInstanceId);
            if (!current) {
                m.errorCode = code(ErrorCode::UnknownMemberId);
                continue;
            }
            // An admin removes a static member by instance id alone; a member naming another id is stale.
            if (!memberId.empty() && memberId != *current) {
                m.errorCode = code(ErrorCode::FencedInstanceId);
                continue;
            }
            memberId = *current;
        }
        if (group->pendingMembers.erase(memberId)) {
            tryCompleteJoin(*group);
            continue;
        }
        if (!group->has(memberId)) {
            m.errorCode = code(ErrorCode::UnknownMemberId);
            continue;
        }
        removeMemberAndUpdateGroup(*group, memberId, "left the group");
    }
    return 0;
}

void GroupCoordinator::removeMemberAndUpdateGroup(Group& group, const std::string& memberId,
                                                  const std::string& reason) {
    Member* member = group.member(memberId);
    if (!member) return;
    if (member->awaitingJoin) member->awaitingJoin->complete(joinError(memberId, ErrorCode::UnknownMemberId));
    if (member->awaitingSync) member->awaitingSync->complete(syncError(ErrorCode::UnknownMemberId));
    group.removeMember(memberId);
    spdlog::info("group {}: member {} {}", group.id(), memberId, reason);
    switch (group.state()) {
        case GroupState::Stable:
        case GroupState::CompletingRebalance:
            prepareRebalance(group, "member " + memberId + " " + reason);
            // The rest may all be waiting already (nobody else is there): finish at once.
            tryCompleteJoin(group);
            break;
        case GroupState::PreparingRebalance:
            tryCompleteJoin(group);
            break;
        case GroupState::Empty:
        case GroupState::Dead:
            break;
    }
}

// --- time ---

void GroupCoordinator::expireDue() {
    const int64_t t = now();
    {
        std::lock_guard lock(m_mutex);
        expireMembersAndJoins(t);
        if (t < m_nextRetentionCheckMs) return;
        m_nextRetentionCheckMs = t + m_config.offsetsRetentionCheckIntervalMs;
    }
    expireOffsets();
}

void GroupCoordinator::expireMembersAndJoins(int64_t t) {
    for (auto& [groupId, groupPtr] : m_groups) {
        Group& group = *groupPtr;
        for (auto it = group.pendingMembers.begin(); it != group.pendingMembers.end();) {
            it = it->second <= t ? group.pendingMembers.erase(it) : std::next(it);
        }
        std::vector<std::string> expired;
        for (const auto& [id, m] : group.members) {
            // Members waiting on a JoinGroup or SyncGroup answer are alive by definition.
            if (m.awaitingJoin || m.awaitingSync) continue;
            if (m.heartbeatDeadlineMs <= t) expired.push_back(id);
        }
        for (const auto& id : expired) removeMemberAndUpdateGroup(group, id, "left: session timeout expired");
        if (!group.is(GroupState::PreparingRebalance)) continue;
        if (group.initialDelayActive) {
            if (t < group.joinDeadlineMs) continue;
            if (group.newMemberJoinedDuringDelay && group.initialDelayRemainingMs > 0) {
                // Another member arrived during the delay: wait once more, within the rebalance timeout.
                const int64_t step = std::min<int64_t>(group.initialDelayStepMs, group.initialDelayRemainingMs);
                group.initialDelayRemainingMs -= step;
                group.newMemberJoinedDuringDelay = false;
                group.joinDeadlineMs = t + step;
                continue;
            }
            group.initialDelayActive = false;
            completeJoin(group);
            continue;
        }
        if (group.allMembersJoined() || t >= group.joinDeadlineMs) completeJoin(group);
    }
}

void GroupCoordinator::startBackgroundTasks() {
    m_nextRetentionCheckMs = now() + m_config.offsetsRetentionCheckIntervalMs;
    m_background.start(kExpiryTick, [this] { expireDue(); });
}

void GroupCoordinator::stop() {
    m_background.stop();
}

}  // namespace partita::coordinator
