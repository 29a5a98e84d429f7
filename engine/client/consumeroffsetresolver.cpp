// ListOffsets lookups for the consumer's seeks, grouped by leader, combined per start position.
#include "engine/client/consumeroffsetresolver.h"

#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/listoffsets.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace partita::client {

using protocol::ErrorCode;

namespace {

constexpr int64_t kLatest = -1;
constexpr int64_t kEarliest = -2;

std::string partitionName(const TopicPartition& tp) {
    return tp.topic + "-" + std::to_string(tp.partition);
}

// Codes after which the leader we asked is no longer the one to ask.
bool isLeadershipError(int16_t code) {
    switch (ErrorCode(code)) {
        case ErrorCode::NotLeaderOrFollower:
        case ErrorCode::LeaderNotAvailable:
        case ErrorCode::FencedLeaderEpoch:
        case ErrorCode::UnknownLeaderEpoch:
        case ErrorCode::OffsetNotAvailable:
        case ErrorCode::ReplicaNotAvailable:
        case ErrorCode::KafkaStorageError:
        case ErrorCode::UnknownTopicOrPartition:
            return true;
        default:
            return false;
    }
}

// One resolution in progress: the queries, the lookups each needs, and their answers.
struct Job : std::enable_shared_from_this<Job> {
    std::shared_ptr<KafkaClient> client;
    std::vector<OffsetQuery> queries;
    IsolationLevel isolation = IsolationLevel::ReadUncommitted;
    ConsumerOffsetResolver::Done done;

    std::mutex mutex;
    std::vector<ResolvedOffset> results;
    // Answers by (query index, lookup timestamp).
    std::map<std::pair<size_t, int64_t>, int64_t> answers;
    int pending = 0;
    bool secondRound = false;

    // A lookup: query index and ListOffsets timestamp.
    using Lookup = std::pair<size_t, int64_t>;

    void start() {
        results.resize(queries.size());
        std::vector<Lookup> lookups;
        std::set<std::string> topics;
        for (size_t i = 0; i < queries.size(); ++i) {
            results[i].partition = queries[i].partition;
            const StartPosition& p = queries[i].position;
            switch (p.kind) {
                case StartPosition::Kind::Offset:
                    results[i].offset = p.value;
                    continue;
                case StartPosition::Kind::Beginning:
                    lookups.emplace_back(i, kEarliest);
                    break;
                case StartPosition::Kind::End:
                    lookups.emplace_back(i, kLatest);
                    break;
                case StartPosition::Kind::FromEnd:
                    lookups.emplace_back(i, kLatest);
                    lookups.emplace_back(i, kEarliest);
                    break;
                case StartPosition::Kind::Timestamp:
                    lookups.emplace_back(i, p.value);
                    break;
            }
            topics.insert(queries[i].partition.topic);
        }
        if (lookups.empty()) {
            // Callbacks run on engine threads, never inside the caller's call.
            boost::asio::post(client->ioContext(), [self = shared_from_this()] { self->finish(); });
            return;
        }
        send(std::vector<std::string>(topics.begin(), topics.end()), std::move(lookups));
    }

    // Looks the leaders up, then one request per leader and round (a partition appears at most
    // once in a request, so end minus N asks the end and the start in two).
    void send(std::vector<std::string> topics, std::vector<Lookup> lookups) {
        client->metadataFor(std::move(topics), [self = shared_from_this(), lookups = std::move(lookups)](
                                                   Result<std::shared_ptr<const ClusterMetadata>> result) {
            self->onMetadata(std::move(result), lookups);
        });
    }

    void onMetadata(Result<std::shared_ptr<const ClusterMetadata>> result, const std::vector<Lookup>& lookups) {
        std::shared_ptr<const ClusterMetadata> snapshot = result.ok() ? result.value() : client->metadata();
        std::map<std::pair<int32_t, int>, std::vector<Lookup>> requests;  // (leader, round) -> lookups
        std::map<std::pair<int32_t, size_t>, int> rounds;                 // (leader, query) -> lookups so far
        {
            std::lock_guard lock(mutex);
            for (const Lookup& lookup : lookups) {
                const size_t i = lookup.first;
                if (results[i].error) continue;
                const TopicPartition& tp = queries[i].partition;
                const TopicInfo* topic = snapshot->topic(tp.topic);
                if (topic == nullptr) {
                    results[i].error =
                        result.ok() ? brokerError(protocol::code(ErrorCode::UnknownTopicOrPartition), partitionName(tp))
                                    : Error{result.error().kind, partitionName(tp) + ": " + result.error().message,
                                            result.error().kafkaCode};
                    continue;
                }
                if (topic->errorCode != 0) {
                    results[i].error = brokerError(topic->errorCode, partitionName(tp));
                    continue;
                }
                const PartitionInfo* partition = snapshot->partition(tp.topic, tp.partition);
                if (partition == nullptr) {
                    results[i].error =
                        brokerError(protocol::code(ErrorCode::UnknownTopicOrPartition), partitionName(tp),
                                    "the topic has " + std::to_string(topic->partitions.size()) + " partitions");
                    continue;
                }
                if (partition->leader < 0) {
                    results[i].error = brokerError(protocol::code(ErrorCode::LeaderNotAvailable), partitionName(tp));
                    results[i].leaderChanged = true;
                    continue;
                }
                const int round = rounds[{partition->leader, i}]++;
                requests[{partition->leader, round}].push_back(lookup);
            }
            pending += int(requests.size());
        }
        if (requests.empty()) return maybeFinish();
        for (auto& [key, batch] : requests) sendRequest(key.first, std::move(batch));
    }

    void sendRequest(int32_t leader, std::vector<Lookup> lookups) {
        auto request = std::make_unique<protocol::ListOffsetsRequest>();
        request->replicaId = -1;
        request->isolationLevel = int8_t(isolation);
        request->timeoutMs = client->config().requestTimeoutMs;
        for (const Lookup& lookup : lookups) {
            const TopicPartition& tp = queries[lookup.first].partition;
            auto topic = std::find_if(request->topics.begin(), request->topics.end(),
                                      [&](const auto& t) { return t.name == tp.topic; });
            if (topic == request->topics.end()) {
                request->topics.emplace_back();
                topic = std::prev(request->topics.end());
                topic->name = tp.topic;
            }
            protocol::ListOffsetsRequest::ListOffsetsPartition partition;
            partition.partitionIndex = tp.partition;
            partition.timestamp = lookup.second;
            topic->partitions.push_back(partition);
        }
        RequestOptions options;
        // v1 answers one offset; v2 carries the isolation level read_committed needs.
        options.minVersion = isolation == IsolationLevel::ReadCommitted ? 2 : 1;
        // Nothing past v3 is needed (v4 adds leader-epoch fencing, v7 the max-timestamp lookup),
        // and librdkafka 2.0.2's mock cluster encodes v4+ answers wrongly (LeaderEpoch as an
        // int64), so stay at v3, the version librdkafka itself sends.
        options.maxVersion = 3;
        client->call<protocol::ListOffsetsResponse>(
            Target::node(leader), std::move(request),
            [self = shared_from_this(),
             lookups = std::move(lookups)](Result<TypedResponse<protocol::ListOffsetsResponse>> result) {
                self->onResponse(std::move(result), lookups);
            },
            options);
    }

    void onResponse(Result<TypedResponse<protocol::ListOffsetsResponse>> result, const std::vector<Lookup>& lookups) {
        {
            std::lock_guard lock(mutex);
            --pending;
            for (const Lookup& lookup : lookups) {
                const size_t i = lookup.first;
                const TopicPartition& tp = queries[i].partition;
                if (!result.ok()) {
                    const Error& e = result.error();
                    results[i].error = Error{e.kind, partitionName(tp) + ": " + e.message, e.kafkaCode};
                    continue;
                }
                const protocol::ListOffsetsResponse::ListOffsetsPartitionResponse* answer = nullptr;
                for (const auto& topic : result.value()->topics) {
                    if (topic.name != tp.topic) continue;
                    for (const auto& p : topic.partitions)
                        if (p.partitionIndex == tp.partition) answer = &p;
                }
                if (answer == nullptr) {
                    results[i].error =
                        Error{ErrorKind::Malformed, partitionName(tp) + ": the ListOffsets answer of broker " +
                                                        std::to_string(result.value().nodeId) +
                                                        " does not mention the partition"};
                    continue;
                }
                if (answer->errorCode != 0) {
                    results[i].error = brokerError(answer->errorCode, partitionName(tp));
                    if (isLeadershipError(answer->errorCode)) {
                        results[i].leaderChanged = true;
                        client->invalidateLeader(tp.topic, tp.partition);
                    }
                    continue;
                }
                answers[lookup] = answer->offset;
            }
        }
        maybeFinish();
    }

    void maybeFinish() {
        std::vector<Lookup> again;
        std::set<std::string> topics;
        {
            std::lock_guard lock(mutex);
            if (pending > 0) return;
            if (!secondRound) {
                // A time after the last record answers -1: the position is then the end.
                secondRound = true;
                for (size_t i = 0; i < queries.size(); ++i) {
                    if (queries[i].position.kind != StartPosition::Kind::Timestamp || results[i].error) continue;
                    auto it = answers.find({i, queries[i].position.value});
                    if (it != answers.end() && it->second < 0) {
                        again.emplace_back(i, kLatest);
                        topics.insert(queries[i].partition.topic);
                    }
                }
            }
        }
        if (!again.empty()) return send(std::vector<std::string>(topics.begin(), topics.end()), std::move(again));
        finish();
    }

    void finish() {
        std::vector<ResolvedOffset> out;
        {
            std::lock_guard lock(mutex);
            for (size_t i = 0; i < queries.size(); ++i) {
                ResolvedOffset& r = results[i];
                if (r.error) continue;
                const StartPosition& p = queries[i].position;
                auto answer = [&](int64_t ts) -> std::optional<int64_t> {
                    auto it = answers.find({i, ts});
                    if (it == answers.end()) return std::nullopt;
                    return it->second;
                };
                std::optional<int64_t> offset;
                switch (p.kind) {
                    case StartPosition::Kind::Offset:
                        offset = p.value;
                        break;
                    case StartPosition::Kind::Beginning:
                        offset = answer(kEarliest);
                        break;
                    case StartPosition::Kind::End:
                        offset = answer(kLatest);
                        break;
                    case StartPosition::Kind::FromEnd: {
                        auto end = answer(kLatest);
                        auto start = answer(kEarliest);
                        if (end && start) offset = std::max(*end - std::max<int64_t>(p.value, 0), *start);
                        break;
                    }
                    case StartPosition::Kind::Timestamp:
                        offset = answer(p.value);
                        if (offset && *offset < 0) offset = answer(kLatest);
                        break;
                }
                if (!offset || *offset < 0) {
                    r.error = Error{ErrorKind::Malformed,
                                    partitionName(r.partition) + ": the broker gave no offset for " + p.toString()};
                    continue;
                }
                r.offset = *offset;
            }
            out = std::move(results);
        }
        ConsumerOffsetResolver::Done callback = std::move(done);
        callback(std::move(out));
    }
};

}  // namespace

void ConsumerOffsetResolver::resolve(std::shared_ptr<KafkaClient> client, std::vector<OffsetQuery> queries,
                                     IsolationLevel isolation, Done done) {
    auto job = std::make_shared<Job>();
    job->client = std::move(client);
    job->queries = std::move(queries);
    job->isolation = isolation;
    job->done = std::move(done);
    job->start();
}

}  // namespace partita::client
