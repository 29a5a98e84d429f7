// GroupMembership: the Join/Sync/Heartbeat/Leave state machine of one group member.
#include "engine/client/groupmembership.h"

#include "engine/client/groupprotocol.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/heartbeat.h"
#include "engine/protocol/messages/joingroup.h"
#include "engine/protocol/messages/leavegroup.h"
#include "engine/protocol/messages/syncgroup.h"

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <atomic>
#include <climits>
#include <mutex>
#include <set>

namespace partita::client {

namespace asio = boost::asio;
using protocol::ErrorCode;

namespace {

// What an answer asks of the member.
enum class Reaction {
    Proceed,           // no error
    Rejoin,            // REBALANCE_IN_PROGRESS: join the new generation
    ResetAndRejoin,    // UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION: the membership is gone, join as new
    CoordinatorMoved,  // forget the coordinator, look it up again, retry
    Retry,             // transient (loading, lost connection, timeout): retry after a backoff
    Fatal,
};

Reaction reactionTo(int16_t code) {
    switch (static_cast<ErrorCode>(code)) {
        case ErrorCode::None:
            return Reaction::Proceed;
        case ErrorCode::RebalanceInProgress:
            return Reaction::Rejoin;
        case ErrorCode::UnknownMemberId:
        case ErrorCode::IllegalGeneration:
            return Reaction::ResetAndRejoin;
        case ErrorCode::NotCoordinator:
        case ErrorCode::CoordinatorNotAvailable:
            return Reaction::CoordinatorMoved;
        default: {
            const protocol::ErrorInfo* info = protocol::findError(code);
            return info != nullptr && info->retriable ? Reaction::Retry : Reaction::Fatal;
        }
    }
}

Reaction reactionTo(const Error& error) {
    switch (error.kind) {
        case ErrorKind::Broker:  // a coordinator lookup that failed
            return reactionTo(error.kafkaCode);
        case ErrorKind::Network:
        case ErrorKind::Timeout:
            return Reaction::CoordinatorMoved;
        case ErrorKind::Malformed:
        case ErrorKind::Truncated:
            // An answer we cannot read (librdkafka's mock sends null protocol names in JoinGroup
            // errors, for one): ask again rather than give up the membership.
            return Reaction::Retry;
        default:
            return Reaction::Fatal;
    }
}

bool isCode(int16_t code, ErrorCode e) {
    return code == protocol::code(e);
}

int32_t withMargin(int32_t timeoutMs) {
    // JoinGroup and SyncGroup wait on the broker up to the rebalance timeout.
    return timeoutMs > INT32_MAX - 5000 ? INT32_MAX : timeoutMs + 5000;
}

}  // namespace

Result<GroupMembershipConfig> GroupMembershipConfig::fromClientConfig(const ClientConfig& config) {
    GroupMembershipConfig out;
    out.groupId = config.stringProperty("group.id", "");
    if (out.groupId.empty()) return Error{ErrorKind::InvalidArgument, "group.id is required to join a consumer group"};
    if (auto id = config.stringProperty("group.instance.id", ""); !id.empty()) out.groupInstanceId = id;
    auto session = config.intProperty("session.timeout.ms", 45000, 1, INT32_MAX);
    if (!session.ok()) return session.error();
    auto maxPoll = config.intProperty("max.poll.interval.ms", 300000, 1, INT32_MAX);
    if (!maxPoll.ok()) return maxPoll.error();
    auto heartbeat = config.intProperty("heartbeat.interval.ms", 3000, 1, INT32_MAX);
    if (!heartbeat.ok()) return heartbeat.error();
    if (*heartbeat >= *session) {
        return Error{ErrorKind::InvalidArgument, "heartbeat.interval.ms (" + std::to_string(*heartbeat) +
                                                     ") must be lower than session.timeout.ms (" +
                                                     std::to_string(*session) + ")"};
    }
    auto autoCreate = config.boolProperty("allow.auto.create.topics", true);
    if (!autoCreate.ok()) return autoCreate.error();
    auto assignors =
        assignorsFromStrategy(config.stringProperty("partition.assignment.strategy", kDefaultAssignmentStrategy));
    if (!assignors.ok()) return assignors.error();
    out.sessionTimeoutMs = static_cast<int32_t>(*session);
    out.rebalanceTimeoutMs = static_cast<int32_t>(*maxPoll);
    out.heartbeatIntervalMs = static_cast<int32_t>(*heartbeat);
    out.retryBackoffMs = config.retryBackoffMs;
    out.allowAutoCreateTopics = *autoCreate;
    if (auto rack = config.stringProperty("client.rack", ""); !rack.empty()) out.rackId = rack;
    out.assignors = std::move(*assignors);
    return out;
}

class GroupMembership::Impl : public std::enable_shared_from_this<GroupMembership::Impl> {
public:
    Impl(std::shared_ptr<KafkaClient> client, GroupMembershipConfig config, Callbacks callbacks)
        : m_client(std::move(client)),
          m_config(std::move(config)),
          m_callbacks(std::move(callbacks)),
          m_protocol(rebalanceProtocolFor(m_config.assignors)),
          m_strand(asio::make_strand(m_client->ioContext())),
          m_heartbeatTimer(m_strand),
          m_retryTimer(m_strand) {
        m_backoffMs = m_config.retryBackoffMs;
    }

    // --- entry points (any thread) ---

    void post(std::function<void(Impl&)> fn) {
        asio::post(m_strand, [self = shared_from_this(), fn = std::move(fn)] { fn(*self); });
    }

    GroupGeneration generation() const {
        std::lock_guard lock(m_snapshotMutex);
        return m_publicGeneration;
    }
    PartitionsByTopic assignment() const {
        std::lock_guard lock(m_snapshotMutex);
        return m_publicAssignment;
    }
    std::vector<std::string> subscription() const {
        std::lock_guard lock(m_snapshotMutex);
        return m_publicTopics;
    }
    bool isStable() const {
        std::lock_guard lock(m_snapshotMutex);
        return m_publicStable;
    }
    RebalanceProtocol rebalanceProtocol() const { return m_protocol; }

    // --- on the strand ---

    void subscribe(std::vector<std::string> topics) {
        std::sort(topics.begin(), topics.end());
        topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
        if (isOver()) return;
        const bool changed = topics != m_topics || !m_started;
        m_topics = std::move(topics);
        m_started = true;
        publish();
        if (changed) startJoin();
    }

    void requestRejoin() {
        if (m_started && !isOver()) startJoin();
    }

    void leave(std::function<void(Status)> done) {
        if (m_state == State::Left || m_state == State::Failed) {
            if (done) done(Status::success());
            return;
        }
        if (done) m_leaveWaiters.push_back(std::move(done));
        if (m_state == State::Leaving) return;
        stopActivity();
        m_state = State::Leaving;
        publish();
        afterRevocations(
            [self = shared_from_this()] { self->revoke(self->m_owned, false, [self] { self->sendLeave(); }); });
    }

    // The owner went away: no more callbacks, no more requests.
    void stop() {
        stopActivity();
        if (m_state != State::Failed) m_state = State::Left;
        m_callbacks = {};
        m_afterRevocations.clear();
        publish();
        auto waiters = std::exchange(m_leaveWaiters, {});
        for (auto& w : waiters)
            w(Error{ErrorKind::Cancelled, groupContext() + ": the member was destroyed while leaving"});
    }

private:
    enum class State { Idle, Revoking, Joining, Syncing, Assigning, Stable, Leaving, Left, Failed };

    bool isOver() const { return m_state == State::Leaving || m_state == State::Left || m_state == State::Failed; }

    std::string groupContext() const { return "group " + m_config.groupId; }
    // Messages name the group once.
    std::string withGroup(const std::string& message) const {
        return message.find(groupContext()) != std::string::npos ? message : groupContext() + ": " + message;
    }

    template <class Resp, class Req>
    RequestHandle callCoordinator(std::unique_ptr<Req> request, RequestOptions options,
                                  std::function<void(Impl&, Result<TypedResponse<Resp>>)> onStrand) {
        std::function<void(Result<TypedResponse<Resp>>)> done = [self = shared_from_this(),
                                                                 onStrand](Result<TypedResponse<Resp>> result) {
            auto shared = std::make_shared<Result<TypedResponse<Resp>>>(std::move(result));
            asio::post(self->m_strand, [self, onStrand, shared] { onStrand(*self, std::move(*shared)); });
        };
        return m_client->call<Resp>(Target::groupCoordinator(m_config.groupId), std::move(request), std::move(done),
                                    std::move(options));
    }

    void publish() {
        std::lock_guard lock(m_snapshotMutex);
        m_publicGeneration = m_generation;
        m_publicAssignment = m_owned;
        m_publicTopics = m_topics;
        m_publicStable = m_state == State::Stable;
    }

    void stopActivity() {
        ++m_epoch;
        m_heartbeatTimer.cancel();
        m_retryTimer.cancel();
        m_inflight.cancel();
        m_heartbeatInflight.cancel();
    }

    int32_t nextBackoff() {
        const int32_t now = m_backoffMs;
        m_backoffMs = std::min(std::max(m_backoffMs * 2, 1), std::max(m_config.retryBackoffMs, 1000));
        return now;
    }

    void forgetCoordinator() { m_client->invalidateCoordinator(Target::Kind::GroupCoordinator, m_config.groupId); }

    // Gives up `partitions`, then runs `then` once the owner said it is done with them.
    void revoke(PartitionsByTopic partitions, bool lost, std::function<void()> then) {
        if (partitionCount(partitions) == 0 || !m_callbacks.onPartitionsRevoked) {
            m_owned = subtractPartitions(m_owned, partitions);
            publish();
            then();
            return;
        }
        m_owned = subtractPartitions(m_owned, partitions);
        publish();
        ++m_revocationsRunning;
        spdlog::debug("{}: {} {}", groupContext(), lost ? "lost" : "revoking", describePartitions(partitions));
        auto once = std::make_shared<std::atomic<bool>>(false);
        m_callbacks.onPartitionsRevoked(partitions, lost, [self = shared_from_this(), then = std::move(then), once] {
            if (once->exchange(true)) return;
            asio::post(self->m_strand, [self, then] {
                --self->m_revocationsRunning;
                then();
                if (self->m_revocationsRunning == 0) {
                    auto waiting = std::exchange(self->m_afterRevocations, {});
                    for (auto& fn : waiting) fn();
                }
            });
        });
    }

    void afterRevocations(std::function<void()> fn) {
        if (m_revocationsRunning == 0)
            fn();
        else
            m_afterRevocations.push_back(std::move(fn));
    }

    // --- joining ---

    void startJoin() {
        switch (m_state) {
            case State::Revoking:  // a join follows and reads the subscription then
                return;
            case State::Joining:
            case State::Syncing:
            case State::Assigning:
                m_rejoinPending = true;
                return;
            case State::Leaving:
            case State::Left:
            case State::Failed:
                return;
            case State::Idle:
            case State::Stable:
                break;
        }
        m_rejoinPending = false;
        const uint64_t epoch = ++m_epoch;
        m_heartbeatTimer.cancel();
        m_retryTimer.cancel();
        m_heartbeatInflight.cancel();
        if (m_protocol == RebalanceProtocol::Eager && partitionCount(m_owned) > 0) {
            m_state = State::Revoking;
            publish();
            revoke(m_owned, false, [self = shared_from_this(), epoch] {
                if (self->m_epoch == epoch) self->sendJoin();
            });
            return;
        }
        sendJoin();
    }

    // Joins again after `delayMs` (0: now) from scratch.
    void retryJoin(int32_t delayMs) {
        const uint64_t epoch = ++m_epoch;
        m_state = State::Idle;
        publish();
        if (delayMs <= 0) return startJoin();
        m_retryTimer.expires_after(std::chrono::milliseconds(delayMs));
        m_retryTimer.async_wait(asio::bind_executor(m_strand, [self = shared_from_this(), epoch](auto ec) {
            if (!ec && self->m_epoch == epoch && self->m_state == State::Idle) self->startJoin();
        }));
    }

    void resetMember() {
        m_generation = GroupGeneration{};
        publish();
    }

    void sendJoin() {
        m_state = State::Joining;
        publish();
        const uint64_t epoch = m_epoch;
        auto request = std::make_unique<protocol::JoinGroupRequest>();
        request->groupId = m_config.groupId;
        request->sessionTimeoutMs = m_config.sessionTimeoutMs;
        request->rebalanceTimeoutMs = m_config.rebalanceTimeoutMs;
        request->memberId = m_generation.memberId;
        request->groupInstanceId = m_config.groupInstanceId;
        request->protocolType = kConsumerProtocolType;
        MemberSubscription subscription;
        subscription.topics = m_topics;
        // Eager members gave everything up before joining; cooperative ones say what they keep.
        if (m_protocol == RebalanceProtocol::Cooperative) subscription.ownedPartitions = m_owned;
        subscription.generationId = m_generation.generationId;
        subscription.rackId = m_config.rackId;
        const Bytes metadata = encodeSubscription(subscription);
        for (const auto& assignor : m_config.assignors) {
            auto& p = request->protocols.emplace_back();
            p.name = assignor->name();
            p.metadata = metadata;
        }
        RequestOptions options;
        options.timeoutMs = withMargin(m_config.rebalanceTimeoutMs);
        if (m_config.groupInstanceId) options.minVersion = 5;  // static membership needs KIP-345
        spdlog::debug("{}: joining (member '{}', topics {})", groupContext(), m_generation.memberId, m_topics.size());
        m_inflight = callCoordinator<protocol::JoinGroupResponse>(
            std::move(request), options,
            [epoch](Impl& self, Result<TypedResponse<protocol::JoinGroupResponse>> result) {
                self.onJoin(epoch, std::move(result));
            });
    }

    // A failed request of the join or sync phase: start over, or give up.
    void joinFailed(const Error& error) {
        switch (reactionTo(error)) {
            case Reaction::CoordinatorMoved:
                forgetCoordinator();
                return retryJoin(nextBackoff());
            case Reaction::ResetAndRejoin:
                return loseMembership();
            case Reaction::Rejoin:
                return retryJoin(0);
            case Reaction::Retry:
            case Reaction::Proceed:
                spdlog::warn("{}; joining again", withGroup(error.message));
                return retryJoin(nextBackoff());
            case Reaction::Fatal:
                return fail(error);
        }
    }

    void onJoin(uint64_t epoch, Result<TypedResponse<protocol::JoinGroupResponse>> result) {
        if (epoch != m_epoch || m_state != State::Joining) return;
        m_inflight = {};
        if (!result.ok()) {
            if (result.error().kind == ErrorKind::Cancelled) return;
            return joinFailed(result.error());
        }
        const protocol::JoinGroupResponse& response = *result.value();
        if (isCode(response.errorCode, ErrorCode::MemberIdRequired)) {
            // KIP-394: the coordinator hands out the id first and waits for a join that uses it.
            m_generation.memberId = response.memberId;
            publish();
            return sendJoin();
        }
        if (response.errorCode != 0)
            return joinFailed(brokerError(response.errorCode, groupContext() + " (JoinGroup)"));

        m_backoffMs = m_config.retryBackoffMs;
        m_generation.generationId = response.generationId;
        m_generation.memberId = response.memberId;
        m_generation.protocolName = response.protocolName.value_or("");
        m_generation.leaderId = response.leader;
        publish();
        auto assignor = std::find_if(m_config.assignors.begin(), m_config.assignors.end(),
                                     [&](const auto& a) { return m_generation.protocolName == a->name(); });
        if (assignor == m_config.assignors.end()) {
            return fail(Error{ErrorKind::Broker,
                              groupContext() + ": the coordinator chose assignor '" + m_generation.protocolName +
                                  "', which this member did not offer",
                              protocol::code(ErrorCode::InconsistentGroupProtocol)});
        }
        spdlog::debug("{}: joined generation {} as {} ({}{})", groupContext(), m_generation.generationId,
                      m_generation.memberId, m_generation.protocolName, m_generation.isLeader() ? ", leader" : "");
        m_state = State::Syncing;
        publish();
        if (m_generation.isLeader() && !response.skipAssignment) return assign(epoch, *assignor, response.members);
        sendSync(epoch, {});
    }

    // --- the leader's assignment ---

    void assign(uint64_t epoch, std::shared_ptr<const PartitionAssignor> assignor,
                const std::vector<protocol::JoinGroupResponse::JoinGroupResponseMember>& joined) {
        auto members = std::make_shared<std::vector<MemberSubscription>>();
        std::set<std::string> topics;
        for (const auto& m : joined) {
            auto decoded = decodeSubscription(m.metadata);
            MemberSubscription s;
            if (decoded.ok()) {
                s = std::move(decoded.value());
            } else {
                spdlog::warn("{}: the subscription of member {} does not decode ({}); it gets no partitions",
                             groupContext(), m.memberId, decoded.error().message);
            }
            s.memberId = m.memberId;
            s.groupInstanceId = m.groupInstanceId;
            topics.insert(s.topics.begin(), s.topics.end());
            members->push_back(std::move(s));
        }
        std::vector<std::string> topicList(topics.begin(), topics.end());
        if (topicList.empty()) return finishAssignment(epoch, assignor, *members, topicList, nullptr);
        m_client->metadataFor(topicList, [self = shared_from_this(), epoch, assignor, members,
                                          topicList](Result<std::shared_ptr<const ClusterMetadata>> result) {
            asio::post(self->m_strand, [self, epoch, assignor, members, topicList, result = std::move(result)] {
                if (epoch != self->m_epoch || self->m_state != State::Syncing) return;
                std::shared_ptr<const ClusterMetadata> metadata =
                    result.ok() ? result.value() : self->m_client->metadata();
                if (!result.ok())
                    spdlog::warn("{}: no fresh metadata for the assignment ({}); using what is cached",
                                 self->groupContext(), result.error().message);
                std::vector<std::string> missing;
                for (const auto& t : topicList) {
                    const TopicInfo* info = metadata ? metadata->topic(t) : nullptr;
                    if (info == nullptr || info->partitions.empty()) missing.push_back(t);
                }
                if (missing.empty() || !self->m_config.allowAutoCreateTopics)
                    return self->finishAssignment(epoch, assignor, *members, topicList, metadata);
                // Like the Java consumer, ask for the topics with auto-creation allowed.
                self->m_client->refreshMetadata(
                    missing,
                    [self, epoch, assignor, members, topicList](Result<std::shared_ptr<const ClusterMetadata>> r) {
                        asio::post(self->m_strand, [self, epoch, assignor, members, topicList, ok = r.ok()] {
                            if (epoch != self->m_epoch || self->m_state != State::Syncing) return;
                            (void)ok;
                            self->finishAssignment(epoch, assignor, *members, topicList, self->m_client->metadata());
                        });
                    },
                    true);
            });
        });
    }

    void finishAssignment(uint64_t epoch, const std::shared_ptr<const PartitionAssignor>& assignor,
                          const std::vector<MemberSubscription>& members, const std::vector<std::string>& topics,
                          const std::shared_ptr<const ClusterMetadata>& metadata) {
        std::map<std::string, int32_t> counts;
        for (const auto& t : topics) {
            const TopicInfo* info = metadata ? metadata->topic(t) : nullptr;
            if (info != nullptr && !info->partitions.empty()) counts[t] = static_cast<int32_t>(info->partitions.size());
        }
        m_leaderTopics = topics;
        m_leaderCounts = counts;
        GroupAssignment assignment = assignor->assign(counts, members);
        std::vector<protocol::SyncGroupRequest::SyncGroupRequestAssignment> out;
        for (const MemberSubscription& m : members) {
            auto& a = out.emplace_back();
            a.memberId = m.memberId;
            a.assignment = encodeAssignment(assignment[m.memberId]);
            spdlog::debug("{}: generation {}: {} gets {}", groupContext(), m_generation.generationId, m.memberId,
                          describePartitions(assignment[m.memberId]));
        }
        sendSync(epoch, std::move(out));
    }

    // --- syncing ---

    void sendSync(uint64_t epoch, std::vector<protocol::SyncGroupRequest::SyncGroupRequestAssignment> assignments) {
        auto request = std::make_unique<protocol::SyncGroupRequest>();
        request->groupId = m_config.groupId;
        request->generationId = m_generation.generationId;
        request->memberId = m_generation.memberId;
        request->groupInstanceId = m_config.groupInstanceId;
        request->protocolType = kConsumerProtocolType;
        request->protocolName = m_generation.protocolName;
        request->assignments = std::move(assignments);
        RequestOptions options;
        options.timeoutMs = withMargin(m_config.rebalanceTimeoutMs);
        if (m_config.groupInstanceId) options.minVersion = 3;
        m_inflight = callCoordinator<protocol::SyncGroupResponse>(
            std::move(request), options,
            [epoch](Impl& self, Result<TypedResponse<protocol::SyncGroupResponse>> result) {
                self.onSync(epoch, std::move(result));
            });
    }

    void onSync(uint64_t epoch, Result<TypedResponse<protocol::SyncGroupResponse>> result) {
        if (epoch != m_epoch || m_state != State::Syncing) return;
        m_inflight = {};
        if (!result.ok()) {
            if (result.error().kind == ErrorKind::Cancelled) return;
            return joinFailed(result.error());
        }
        const protocol::SyncGroupResponse& response = *result.value();
        if (response.errorCode != 0)
            return joinFailed(brokerError(response.errorCode, groupContext() + " (SyncGroup)"));
        if (response.protocolName && *response.protocolName != m_generation.protocolName) {
            return fail(brokerError(protocol::code(ErrorCode::InconsistentGroupProtocol), groupContext(),
                                    "SyncGroup names assignor '" + *response.protocolName + "', JoinGroup named '" +
                                        m_generation.protocolName + "'"));
        }
        auto assigned = decodeAssignment(response.assignment);
        if (!assigned.ok()) {
            return fail(Error{ErrorKind::Malformed, groupContext() + ": the assignment of generation " +
                                                        std::to_string(m_generation.generationId) +
                                                        " does not decode: " + assigned.error().message});
        }
        applyAssignment(epoch, std::move(assigned.value()));
    }

    void applyAssignment(uint64_t epoch, PartitionsByTopic assigned) {
        m_backoffMs = m_config.retryBackoffMs;
        m_state = State::Assigning;
        publish();
        scheduleHeartbeat(m_config.heartbeatIntervalMs);
        // Cooperative: give up what moved away first; it is assigned elsewhere in the follow-up
        // rebalance this member starts once the revocation is done.
        const PartitionsByTopic revoked = subtractPartitions(m_owned, assigned);
        const PartitionsByTopic added = subtractPartitions(assigned, m_owned);
        const bool followUp = partitionCount(revoked) > 0;
        revoke(revoked, false, [self = shared_from_this(), epoch, assigned, added, followUp] {
            if (epoch != self->m_epoch || self->m_state != State::Assigning) return;
            self->m_owned = assigned;
            self->m_state = State::Stable;
            self->publish();
            spdlog::info("{}: generation {}: assigned {}", self->groupContext(), self->m_generation.generationId,
                         describePartitions(assigned));
            if (self->m_callbacks.onPartitionsAssigned)
                self->m_callbacks.onPartitionsAssigned(added, self->m_generation);
            if (epoch != self->m_epoch || self->m_state != State::Stable) return;  // the callback left or failed
            if (followUp || self->m_rejoinPending) self->startJoin();
        });
    }

    // --- heartbeats ---

    void scheduleHeartbeat(int32_t delayMs) {
        const uint64_t epoch = m_epoch;
        m_heartbeatTimer.expires_after(std::chrono::milliseconds(delayMs));
        m_heartbeatTimer.async_wait(asio::bind_executor(m_strand, [self = shared_from_this(), epoch](auto ec) {
            if (ec || epoch != self->m_epoch) return;
            if (self->m_state == State::Stable || self->m_state == State::Assigning) self->sendHeartbeat(epoch);
        }));
    }

    void sendHeartbeat(uint64_t epoch) {
        auto request = std::make_unique<protocol::HeartbeatRequest>();
        request->groupId = m_config.groupId;
        request->generationId = m_generation.generationId;
        request->memberId = m_generation.memberId;
        request->groupInstanceId = m_config.groupInstanceId;
        RequestOptions options;
        if (m_config.groupInstanceId) options.minVersion = 3;
        m_heartbeatInflight = callCoordinator<protocol::HeartbeatResponse>(
            std::move(request), options,
            [epoch](Impl& self, Result<TypedResponse<protocol::HeartbeatResponse>> result) {
                self.onHeartbeat(epoch, std::move(result));
            });
    }

    void onHeartbeat(uint64_t epoch, Result<TypedResponse<protocol::HeartbeatResponse>> result) {
        if (epoch != m_epoch || (m_state != State::Stable && m_state != State::Assigning)) return;
        m_heartbeatInflight = {};
        Reaction reaction;
        Error error{ErrorKind::Broker, {}};
        if (!result.ok()) {
            if (result.error().kind == ErrorKind::Cancelled) return;
            error = result.error();
            reaction = reactionTo(error);
        } else {
            const int16_t code = result.value()->errorCode;
            reaction = reactionTo(code);
            if (code != 0) error = brokerError(code, groupContext() + " (Heartbeat)");
        }
        switch (reaction) {
            case Reaction::Proceed:
                m_backoffMs = m_config.retryBackoffMs;
                scheduleHeartbeat(m_config.heartbeatIntervalMs);
                return checkLeaderMetadata(epoch);
            case Reaction::Rejoin:
                spdlog::info("{}: the group is rebalancing", groupContext());
                if (m_state == State::Assigning) scheduleHeartbeat(m_config.heartbeatIntervalMs);
                return startJoin();
            case Reaction::ResetAndRejoin:
                spdlog::info("{}; joining again", withGroup(error.message));
                return loseMembership();
            case Reaction::CoordinatorMoved:
                forgetCoordinator();
                return scheduleHeartbeat(nextBackoff());
            case Reaction::Retry:
                return scheduleHeartbeat(nextBackoff());
            case Reaction::Fatal:
                return fail(error);
        }
    }

    // The coordinator forgot this member: its partitions may be someone else's already.
    void loseMembership() {
        const uint64_t epoch = ++m_epoch;
        m_heartbeatTimer.cancel();
        resetMember();
        m_state = State::Revoking;
        publish();
        revoke(m_owned, true, [self = shared_from_this(), epoch] {
            if (self->m_epoch == epoch) self->sendJoin();
        });
    }

    // The leader starts a rebalance when a subscribed topic appears, disappears or grows.
    void checkLeaderMetadata(uint64_t epoch) {
        if (!m_generation.isLeader() || m_leaderTopics.empty() || m_metadataCheckRunning) return;
        std::vector<std::string> missing;
        for (const auto& t : m_leaderTopics)
            if (m_leaderCounts.count(t) == 0) missing.push_back(t);
        auto compare = [](Impl& self, uint64_t epoch, const std::shared_ptr<const ClusterMetadata>& metadata) {
            if (epoch != self.m_epoch || self.m_state != State::Stable || !metadata) return;
            for (const auto& t : self.m_leaderTopics) {
                const TopicInfo* info = metadata->topic(t);
                const int32_t now = info != nullptr ? static_cast<int32_t>(info->partitions.size()) : 0;
                auto before = self.m_leaderCounts.find(t);
                const int32_t then = before != self.m_leaderCounts.end() ? before->second : 0;
                if (now != then && (now > 0 || info != nullptr)) {
                    spdlog::info("{}: topic {} went from {} to {} partitions; rebalancing", self.groupContext(), t,
                                 then, now);
                    return self.startJoin();
                }
            }
        };
        if (missing.empty()) return compare(*this, epoch, m_client->metadata());
        // Topics without metadata are looked up (the cache alone would learn of them only every
        // metadata.max.age.ms).
        m_metadataCheckRunning = true;
        m_client->metadataFor(missing, [self = shared_from_this(), epoch, compare](auto result) {
            asio::post(self->m_strand, [self, epoch, compare, ok = result.ok()] {
                self->m_metadataCheckRunning = false;
                if (ok) compare(*self, epoch, self->m_client->metadata());
            });
        });
    }

    // --- the end ---

    void fail(Error error) {
        if (m_state == State::Failed || m_state == State::Left) return;
        error.message = withGroup(error.message);
        spdlog::error("{}", error.message);
        stopActivity();
        m_state = State::Failed;
        publish();
        revoke(m_owned, true, [self = shared_from_this(), error] {
            if (self->m_callbacks.onFatalError) self->m_callbacks.onFatalError(error);
            auto waiters = std::exchange(self->m_leaveWaiters, {});
            for (auto& w : waiters) w(Status::success());
        });
    }

    void sendLeave() {
        if (m_state != State::Leaving) return;
        // Static members keep their slot for a restart (Kafka's consumers do not leave either).
        if (m_generation.memberId.empty() || m_config.groupInstanceId) return finishLeave(Status::success());
        auto request = std::make_unique<protocol::LeaveGroupRequest>();
        request->groupId = m_config.groupId;
        request->memberId = m_generation.memberId;
        RequestOptions options;
        options.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
            auto& r = static_cast<protocol::LeaveGroupRequest&>(message);
            if (version < 3) return;
            // v3+ names members in a list (KIP-345).
            auto& m = r.members.emplace_back();
            m.memberId = std::exchange(r.memberId, {});
            if (version >= 5) m.reason = "the consumer is closing";
        };
        callCoordinator<protocol::LeaveGroupResponse>(
            std::move(request), options, [](Impl& self, Result<TypedResponse<protocol::LeaveGroupResponse>> result) {
                self.onLeave(std::move(result));
            });
    }

    void onLeave(Result<TypedResponse<protocol::LeaveGroupResponse>> result) {
        if (!result.ok()) return finishLeave(result.error());
        const protocol::LeaveGroupResponse& response = *result.value();
        int16_t code = response.errorCode;
        if (code == 0 && !response.members.empty()) code = response.members.front().errorCode;
        // A member the coordinator already dropped has left.
        if (code != 0 && !isCode(code, ErrorCode::UnknownMemberId))
            return finishLeave(brokerError(code, groupContext() + " (LeaveGroup)"));
        finishLeave(Status::success());
    }

    void finishLeave(Status status) {
        if (!status.ok()) spdlog::warn("{} (leaving)", withGroup(status.error().message));
        m_state = State::Left;
        resetMember();
        publish();
        auto waiters = std::exchange(m_leaveWaiters, {});
        for (auto& w : waiters) w(status);
    }

    std::shared_ptr<KafkaClient> m_client;
    GroupMembershipConfig m_config;
    Callbacks m_callbacks;
    const RebalanceProtocol m_protocol;
    asio::strand<asio::io_context::executor_type> m_strand;
    asio::steady_timer m_heartbeatTimer;
    asio::steady_timer m_retryTimer;

    // Strand-only state.
    State m_state = State::Idle;
    bool m_started = false;
    uint64_t m_epoch = 0;  // bumped by every new join attempt and by stopping: older answers are dropped
    bool m_rejoinPending = false;
    int32_t m_backoffMs = 100;
    std::vector<std::string> m_topics;
    GroupGeneration m_generation;
    PartitionsByTopic m_owned;
    RequestHandle m_inflight;
    RequestHandle m_heartbeatInflight;
    int m_revocationsRunning = 0;
    std::vector<std::function<void()>> m_afterRevocations;
    std::vector<std::function<void(Status)>> m_leaveWaiters;
    std::vector<std::string> m_leaderTopics;
    std::map<std::string, int32_t> m_leaderCounts;
    bool m_metadataCheckRunning = false;

    // What other threads read.
    mutable std::mutex m_snapshotMutex;
    GroupGeneration m_publicGeneration;
    PartitionsByTopic m_publicAssignment;
    std::vector<std::string> m_publicTopics;
    bool m_publicStable = false;
};

GroupMembership::GroupMembership(std::shared_ptr<KafkaClient> client, GroupMembershipConfig config, Callbacks callbacks)
    : m_impl(std::make_shared<Impl>(std::move(client), std::move(config), std::move(callbacks))) {}

GroupMembership::~GroupMembership() {
    stop();
}

void GroupMembership::stop() {
    m_impl->post([](Impl& impl) { impl.stop(); });
}

void GroupMembership::subscribe(std::vector<std::string> topics) {
    m_impl->post([topics = std::move(topics)](Impl& impl) mutable { impl.subscribe(std::move(topics)); });
}

void GroupMembership::requestRejoin() {
    m_impl->post([](Impl& impl) { impl.requestRejoin(); });
}

void GroupMembership::leave(std::function<void(Status)> done) {
    m_impl->post([done = std::move(done)](Impl& impl) mutable { impl.leave(std::move(done)); });
}

GroupGeneration GroupMembership::generation() const {
    return m_impl->generation();
}

PartitionsByTopic GroupMembership::assignment() const {
    return m_impl->assignment();
}

std::vector<std::string> GroupMembership::subscription() const {
    return m_impl->subscription();
}

RebalanceProtocol GroupMembership::rebalanceProtocol() const {
    return m_impl->rebalanceProtocol();
}

bool GroupMembership::isStable() const {
    return m_impl->isStable();
}

}  // namespace partita::client
