// GroupOffsets: OffsetFetch and OffsetCommit at a group's coordinator, with retries while it moves.
#include "engine/client/groupoffsets.h"

#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/offsetcommit.h"
#include "engine/protocol/messages/offsetfetch.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>

namespace partita::client {

namespace asio = boost::asio;
using protocol::ErrorCode;
using Clock = std::chrono::steady_clock;

namespace {

bool isCode(int16_t code, ErrorCode e) {
    return code == protocol::code(e);
}

bool coordinatorMoved(int16_t code) {
    return isCode(code, ErrorCode::NotCoordinator) || isCode(code, ErrorCode::CoordinatorNotAvailable);
}

// Worth another attempt at the same request: the coordinator moved or is loading, or a
// transactional commit is pending (fetch).
bool transient(int16_t code) {
    return coordinatorMoved(code) || isCode(code, ErrorCode::CoordinatorLoadInProgress) ||
           isCode(code, ErrorCode::UnstableOffsetCommit) || isCode(code, ErrorCode::RequestTimedOut);
}

// Retries one request until it succeeds, fails for good, or the deadline passes.
struct Retrying : std::enable_shared_from_this<Retrying> {
    Retrying(std::shared_ptr<KafkaClient> c, std::string g, int32_t timeoutMs)
        : client(std::move(c)),
          groupId(std::move(g)),
          deadline(Clock::now() + std::chrono::milliseconds(timeoutMs)),
          timer(client->ioContext()) {}

    std::shared_ptr<KafkaClient> client;
    std::string groupId;
    Clock::time_point deadline;
    asio::steady_timer timer;
    int32_t backoffMs = 0;
    std::function<void()> attempt;

    // Tries again after a backoff, or reports `why` when the deadline is near.
    bool retry(const Error& why) {
        if (coordinatorMoved(why.kafkaCode) || why.kind == ErrorKind::Network || why.kind == ErrorKind::Timeout)
            client->invalidateCoordinator(Target::Kind::GroupCoordinator, groupId);
        backoffMs = std::clamp(backoffMs * 2, client->config().retryBackoffMs, 1000);
        if (Clock::now() + std::chrono::milliseconds(backoffMs) >= deadline) return false;
        timer.expires_after(std::chrono::milliseconds(backoffMs));
        timer.async_wait([self = shared_from_this()](auto ec) {
            if (!ec) self->attempt();
        });
        return true;
    }

    RequestOptions options() const {
        RequestOptions o;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        o.timeoutMs = static_cast<int32_t>(std::clamp<int64_t>(left, 1, client->config().requestTimeoutMs));
        return o;
    }
};

bool retriableTransport(const Error& error) {
    return error.kind == ErrorKind::Network || error.kind == ErrorKind::Timeout ||
           (error.kind == ErrorKind::Broker && transient(error.kafkaCode));
}

}  // namespace

GroupOffsets::GroupOffsets(std::shared_ptr<KafkaClient> client, std::string groupId, int32_t timeoutMs)
    : m_client(std::move(client)), m_groupId(std::move(groupId)), m_timeoutMs(timeoutMs) {}

void GroupOffsets::fetch(std::vector<TopicPartition> partitions, std::function<void(Result<OffsetMap>)> done) const {
    if (partitions.empty()) return done(OffsetMap{});
    auto op = std::make_shared<Retrying>(m_client, m_groupId, m_timeoutMs);
    std::map<std::string, std::vector<int32_t>> byTopic;
    for (const auto& tp : partitions) byTopic[tp.topic].push_back(tp.partition);

    // The request's callback and the retry timer keep the operation alive, not its own attempt.
    op->attempt = [weak = std::weak_ptr<Retrying>(op), byTopic, done]() {
        auto op = weak.lock();
        if (!op) return;
        auto request = std::make_unique<protocol::OffsetFetchRequest>();
        request->groupId = op->groupId;
        request->topics.emplace();
        for (const auto& [topic, list] : byTopic) {
            auto& t = request->topics->emplace_back();
            t.name = topic;
            t.partitionIndexes = list;
        }
        RequestOptions options = op->options();
        options.minVersion = 1;  // v0 reads offsets kept in ZooKeeper
        options.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
            auto& r = static_cast<protocol::OffsetFetchRequest&>(message);
            if (version >= 7) r.requireStable = true;
            if (version < 8) return;
            // v8+ batches groups (KIP-709): the same question inside a one-group list.
            auto& g = r.groups.emplace_back();
            g.groupId = std::exchange(r.groupId, {});
            g.topics.emplace();
            for (auto& t : *r.topics) {
                auto& gt = g.topics->emplace_back();
                gt.name = t.name;
                gt.partitionIndexes = t.partitionIndexes;
            }
            r.topics->clear();
        };
        op->client->call<protocol::OffsetFetchResponse>(
            Target::groupCoordinator(op->groupId), std::move(request),
            [op, done](Result<TypedResponse<protocol::OffsetFetchResponse>> result) {
                const std::string context = "group " + op->groupId;
                if (!result.ok()) {
                    if (retriableTransport(result.error()) && op->retry(result.error())) return;
                    return done(result.error());
                }
                const protocol::OffsetFetchResponse& response = *result.value();
                int16_t groupError = response.errorCode;
                struct Row {
                    std::string topic;
                    int32_t partition;
                    int64_t offset;
                    int32_t epoch;
                    std::string metadata;
                    int16_t error;
                };
                std::vector<Row> rows;
                if (result->version >= 8) {
                    if (response.groups.empty())
                        return done(Error{ErrorKind::Malformed, context + ": OffsetFetch answered no group"});
                    const auto& g = response.groups.front();
                    groupError = g.errorCode;
                    for (const auto& t : g.topics)
                        for (const auto& p : t.partitions)
                            rows.push_back({t.name, p.partitionIndex, p.committedOffset, p.committedLeaderEpoch,
                                            p.metadata.value_or(""), p.errorCode});
                } else {
                    for (const auto& t : response.topics)
                        for (const auto& p : t.partitions)
                            rows.push_back({t.name, p.partitionIndex, p.committedOffset, p.committedLeaderEpoch,
                                            p.metadata.value_or(""), p.errorCode});
                }
                if (groupError != 0) {
                    Error error = brokerError(groupError, context + ": reading committed offsets");
                    if (transient(groupError) && op->retry(error)) return;
                    return done(std::move(error));
                }
                OffsetMap out;
                for (const Row& row : rows) {
                    const std::string where =
                        context + ": committed offset of " + row.topic + "-" + std::to_string(row.partition);
                    if (row.error != 0) {
                        Error error = brokerError(row.error, where);
                        if (transient(row.error) && op->retry(error)) return;
                        // A partition the broker does not know has no committed offset.
                        if (isCode(row.error, ErrorCode::UnknownTopicOrPartition)) continue;
                        return done(std::move(error));
                    }
                    if (row.offset < 0) continue;
                    out[TopicPartition{row.topic, row.partition}] = Offset{row.offset, row.epoch, row.metadata};
                }
                done(std::move(out));
            },
            options);
    };
    op->attempt();
}

void GroupOffsets::commit(OffsetMap offsets, const GroupGeneration& generation,
                          const std::optional<std::string>& groupInstanceId, std::function<void(Status)> done) const {
    if (offsets.empty()) return done(Status::success());
    auto op = std::make_shared<Retrying>(m_client, m_groupId, m_timeoutMs);
    op->attempt = [weak = std::weak_ptr<Retrying>(op), offsets = std::move(offsets), generation, groupInstanceId,
                   done]() {
        auto op = weak.lock();
        if (!op) return;
        auto request = std::make_unique<protocol::OffsetCommitRequest>();
        request->groupId = op->groupId;
        request->generationIdOrMemberEpoch = generation.generationId;
        request->memberId = generation.memberId;
        request->groupInstanceId = groupInstanceId;
        for (const auto& [tp, offset] : offsets) {
            if (request->topics.empty() || request->topics.back().name != tp.topic) {
                request->topics.emplace_back().name = tp.topic;
            }
            auto& p = request->topics.back().partitions.emplace_back();
            p.partitionIndex = tp.partition;
            p.committedOffset = offset.offset;
            p.committedLeaderEpoch = offset.leaderEpoch;
            p.committedMetadata = offset.metadata;
        }
        RequestOptions options = op->options();
        options.minVersion = groupInstanceId ? 7 : 2;  // v2: offsets kept in Kafka, broker-side retention
        op->client->call<protocol::OffsetCommitResponse>(
            Target::groupCoordinator(op->groupId), std::move(request),
            [op, done](Result<TypedResponse<protocol::OffsetCommitResponse>> result) {
                const std::string context = "group " + op->groupId;
                if (!result.ok()) {
                    if (retriableTransport(result.error()) && op->retry(result.error())) return;
                    return done(result.error());
                }
                for (const auto& t : result.value()->topics) {
                    for (const auto& p : t.partitions) {
                        if (p.errorCode == 0) continue;
                        std::string where = context + ": committing " + t.name + "-" + std::to_string(p.partitionIndex);
                        if (isCode(p.errorCode, ErrorCode::RebalanceInProgress) ||
                            isCode(p.errorCode, ErrorCode::IllegalGeneration) ||
                            isCode(p.errorCode, ErrorCode::UnknownMemberId)) {
                            where += " (the group rebalanced; the partition may belong to another member now)";
                        }
                        Error error = brokerError(p.errorCode, where);
                        if (transient(p.errorCode) && !isCode(p.errorCode, ErrorCode::UnstableOffsetCommit) &&
                            op->retry(error))
                            return;
                        return done(std::move(error));
                    }
                }
                done(Status::success());
            },
            options);
    };
    op->attempt();
}

}  // namespace partita::client
