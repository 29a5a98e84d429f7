// Admin's partition-leader operations: listOffsets and deleteRecords, one request per leader, with
// stale leaders refreshed and retried.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/deleterecords.h"
#include "engine/protocol/messages/listoffsets.h"

#include <map>
#include <set>

namespace partita::client {

using namespace adminsupport;

namespace {

// What a leader said about one partition.
struct PartitionAnswer {
    TopicPartition partition;
    int16_t errorCode = 0;
    std::optional<std::string> message;
    int64_t offset = -1;
    int64_t timestamp = -1;
    int32_t leaderEpoch = -1;
};

// Routes per-partition work to the partition leaders in rounds: each round groups what is left by
// leader (from the client's metadata cache) and sends one request per leader. Partitions whose
// leader answered NOT_LEADER_OR_FOLLOWER and the like go back into the next round after the
// leader is invalidated, until the call's budget runs out.
template <class In>
class LeaderRouted : public std::enable_shared_from_this<LeaderRouted<In>> {
public:
    using Items = std::vector<std::pair<TopicPartition, In>>;
    using SendFn = std::function<void(const std::shared_ptr<KafkaClient>&, int32_t leader, const Items&, RequestOptions,
                                      std::function<void(Result<std::vector<PartitionAnswer>>)>)>;
    using Finish = std::function<void(Result<std::map<TopicPartition, Result<PartitionAnswer>>>)>;

    LeaderRouted(const std::shared_ptr<KafkaClient>& client, std::map<TopicPartition, In> work, SendFn send,
                 Finish finish)
        : m_client(client),
          m_budget(*client),
          m_pending(std::move(work)),
          m_send(std::move(send)),
          m_finish(std::move(finish)) {}

    void round() {
        auto client = m_client.lock();
        if (!client) return m_finish(clientGone());
        std::set<std::string> topicSet;
        {
            std::lock_guard lock(m_mutex);
            for (const auto& [tp, in] : m_pending) topicSet.insert(tp.topic);
        }
        auto self = this->shared_from_this();
        client->metadataFor(
            {topicSet.begin(), topicSet.end()},
            [self](Result<std::shared_ptr<const ClusterMetadata>> metadata) { self->onMetadata(std::move(metadata)); });
    }

private:
    void onMetadata(Result<std::shared_ptr<const ClusterMetadata>> metadata) {
        if (!metadata.ok()) {
            const Error& error = metadata.error();
            std::unique_lock lock(m_mutex);
            for (const auto& [tp, in] : m_pending) m_lastError.insert_or_assign(tp, error);
            const bool unknownTopic = error.kafkaCode == protocol::code(protocol::ErrorCode::UnknownTopicOrPartition);
            if (error.kind == ErrorKind::Broker && retriable(error) && !unknownTopic) {
                lock.unlock();
                return nextRound();
            }
            for (const auto& [tp, in] : m_pending) m_outcomes.insert_or_assign(tp, error);
            m_pending.clear();
            lock.unlock();
            return finish();
        }
        const ClusterMetadata& md = *metadata.value();
        std::map<int32_t, Items> byLeader;
        {
            std::lock_guard lock(m_mutex);
            for (auto it = m_pending.begin(); it != m_pending.end();) {
                const TopicPartition& tp = it->first;
                const TopicInfo* topic = md.topic(tp.topic);
                const int16_t unknown = protocol::code(protocol::ErrorCode::UnknownTopicOrPartition);
                const int16_t topicCode = topic == nullptr ? unknown : topic->errorCode;
                const PartitionInfo* partition = topic == nullptr ? nullptr : md.partition(tp.topic, tp.partition);
                // An unknown topic is final, as in Kafka's AdminClient; a missing leader is waited for.
                const protocol::ErrorInfo* info = protocol::findError(topicCode);
                if (topicCode != 0 && (info == nullptr || !info->retriable || topicCode == unknown)) {
                    m_outcomes.insert_or_assign(tp, brokerError(topicCode, tp.topic));
                    it = m_pending.erase(it);
                    continue;
                }
                if (topicCode == 0 && partition == nullptr) {
                    m_outcomes.insert_or_assign(tp, brokerError(unknown, formatPartition(tp)));
                    it = m_pending.erase(it);
                    continue;
                }
                if (topicCode != 0 || partition->leader < 0) {
                    m_lastError.insert_or_assign(
                        tp, brokerError(
                                topicCode != 0 ? topicCode : protocol::code(protocol::ErrorCode::LeaderNotAvailable),
                                formatPartition(tp)));
                    ++it;
                    continue;
                }
                byLeader[partition->leader].emplace_back(tp, it->second);
                ++it;
            }
        }
        if (byLeader.empty()) return nextRound();
        auto client = m_client.lock();
        if (!client) return m_finish(clientGone());
        auto self = this->shared_from_this();
        auto join = std::make_shared<Join<int>>(byLeader.size(), [self](int&) { self->nextRound(); });
        RequestOptions options;
        options.timeoutMs = m_budget.remainingMs();
        for (auto& [leader, items] : byLeader) {
            auto shared = std::make_shared<Items>(std::move(items));
            m_send(client, leader, *shared, options,
                   [self, join, shared](Result<std::vector<PartitionAnswer>> answers) {
                       join->arrive([&](int&) { self->onAnswers(*shared, std::move(answers)); });
                   });
        }
    }

    void onAnswers(const Items& items, Result<std::vector<PartitionAnswer>> answers) {
        auto client = m_client.lock();
        std::lock_guard lock(m_mutex);
        if (!answers.ok()) {
            const Error& error = answers.error();
            // A broker without the API (or the version asked for) can never do it: say so at once.
            if (error.kind == ErrorKind::Unsupported || error.kind == ErrorKind::Cancelled) m_fatal = error;
            for (const auto& [tp, in] : items) m_lastError.insert_or_assign(tp, error);
            return;
        }
        for (auto& answer : answers.value()) {
            if (!m_pending.contains(answer.partition)) continue;
            if (answer.errorCode == 0) {
                m_outcomes.insert_or_assign(answer.partition, answer);
                m_pending.erase(answer.partition);
            } else if (isLeaderError(answer.errorCode)) {
                if (client) client->invalidateLeader(answer.partition.topic, answer.partition.partition);
                m_lastError.insert_or_assign(answer.partition,
                                             brokerError(answer.errorCode, formatPartition(answer.partition),
                                                         answer.message.value_or(std::string())));
            } else {
                m_outcomes.insert_or_assign(answer.partition,
                                            brokerError(answer.errorCode, formatPartition(answer.partition),
                                                        answer.message.value_or(std::string())));
                m_pending.erase(answer.partition);
            }
        }
    }

    void nextRound() {
        std::unique_lock lock(m_mutex);
        if (m_fatal) {
            lock.unlock();
            return m_finish(*m_fatal);
        }
        if (m_pending.empty()) {
            lock.unlock();
            return finish();
        }
        auto wait = m_budget.backoffBefore(m_attempt++);
        auto client = m_client.lock();
        if (!client) {
            lock.unlock();
            return m_finish(clientGone());
        }
        if (!wait) {
            // Out of time: each partition left reports why it is still unanswered.
            for (const auto& [tp, in] : m_pending) {
                auto it = m_lastError.find(tp);
                m_outcomes.insert_or_assign(
                    tp, it != m_lastError.end()
                            ? it->second
                            : Error{ErrorKind::Timeout, formatPartition(tp) + ": no leader answered in time"});
            }
            m_pending.clear();
            lock.unlock();
            return finish();
        }
        lock.unlock();
        auto self = this->shared_from_this();
        runAfter(*client, *wait, [self] { self->round(); });
    }

    void finish() {
        std::map<TopicPartition, Result<PartitionAnswer>> outcomes;
        {
            std::lock_guard lock(m_mutex);
            outcomes = std::move(m_outcomes);
        }
        m_finish(std::move(outcomes));
    }

    std::weak_ptr<KafkaClient> m_client;
    CallBudget m_budget;
    std::mutex m_mutex;
    std::map<TopicPartition, In> m_pending;
    std::map<TopicPartition, Result<PartitionAnswer>> m_outcomes;
    std::map<TopicPartition, Error> m_lastError;
    std::optional<Error> m_fatal;
    int m_attempt = 1;
    SendFn m_send;
    Finish m_finish;
};

template <class In>
void runLeaderRouted(const std::shared_ptr<KafkaClient>& client, std::map<TopicPartition, In> work,
                     typename LeaderRouted<In>::SendFn send, typename LeaderRouted<In>::Finish finish) {
    if (work.empty()) return finish(std::map<TopicPartition, Result<PartitionAnswer>>{});
    std::make_shared<LeaderRouted<In>>(client, std::move(work), std::move(send), std::move(finish))->round();
}

// A leader's answer per partition: partition and error code, then what `fill(answer, partition)`
// takes from that API's partition.
template <class Topics, class Fill>
std::vector<PartitionAnswer> answersOf(const Topics& topics, Fill fill) {
    std::vector<PartitionAnswer> answers;
    for (const auto& t : topics) {
        for (const auto& p : t.partitions) {
            PartitionAnswer a;
            a.partition = {t.name, p.partitionIndex};
            a.errorCode = p.errorCode;
            fill(a, p);
            answers.push_back(std::move(a));
        }
    }
    return answers;
}

// One result per partition in the order asked: the leader's answer put in by `fill(result, answer)`,
// the error it ended with, or a timeout for a partition nobody answered for.
template <class Out, class Fill>
std::vector<Out> resultsInOrder(const std::vector<TopicPartition>& order,
                                const std::map<TopicPartition, Result<PartitionAnswer>>& outcomes, Fill fill) {
    std::vector<Out> out;
    for (const auto& tp : order) {
        Out item;
        item.partition = tp;
        auto it = outcomes.find(tp);
        if (it == outcomes.end())
            item.status = Error{ErrorKind::Timeout, formatPartition(tp) + ": no answer"};
        else if (!it->second.ok())
            item.status = it->second.error();
        else
            fill(item, it->second.value());
        out.push_back(std::move(item));
    }
    return out;
}

// One leader's ListOffsets. librdkafka 2.0.2's mock cluster (and whatever shares its bug) encodes
// v4+ answers wrongly (LeaderEpoch as an int64): an answer that does not decode at v4+ is asked
// again at v3, which only loses the leader epochs.
void sendListOffsets(const std::shared_ptr<KafkaClient>& client, int32_t leader,
                     const LeaderRouted<int64_t>::Items& items, IsolationLevel isolation, RequestOptions options,
                     std::function<void(Result<std::vector<PartitionAnswer>>)> answer) {
    auto request = std::make_unique<protocol::ListOffsetsRequest>();
    request->replicaId = -1;  // a client, not a follower
    request->isolationLevel = static_cast<int8_t>(isolation);
    request->timeoutMs = options.timeoutMs;
    std::map<std::string, std::vector<protocol::ListOffsetsRequest::ListOffsetsPartition>> byTopic;
    for (const auto& [tp, spec] : items) {
        protocol::ListOffsetsRequest::ListOffsetsPartition p;
        p.partitionIndex = tp.partition;
        p.timestamp = spec;
        byTopic[tp.topic].push_back(p);
    }
    for (auto& [topic, partitions] : byTopic) request->topics.push_back({topic, std::move(partitions), {}});
    std::weak_ptr<KafkaClient> weak = client;
    client->call<protocol::ListOffsetsResponse>(
        Target::node(leader), std::move(request),
        [weak, leader, items, isolation, options, answer](Result<TypedResponse<protocol::ListOffsetsResponse>> result) {
            if (!result.ok()) {
                const bool mayFallBack = result.error().kind == ErrorKind::Malformed && options.minVersion <= 3 &&
                                         (options.maxVersion < 0 || options.maxVersion > 3);
                auto client = weak.lock();
                if (!mayFallBack || !client) return answer(result.error());
                RequestOptions older = options;
                older.maxVersion = 3;
                return sendListOffsets(client, leader, items, isolation, older, answer);
            }
            answer(answersOf(result.value()->topics, [](PartitionAnswer& a, const auto& p) {
                a.offset = p.offset;
                a.timestamp = p.timestamp;
                a.leaderEpoch = p.leaderEpoch;
            }));
        },
        options);
}

}  // namespace

void Admin::listOffsets(std::map<TopicPartition, int64_t> specs, IsolationLevel isolation,
                        Done<std::vector<ListedOffset>> done) {
    // Timestamps need v1; read_committed v2; the max-timestamp query v7 (Kafka 3.0).
    int16_t minVersion = 1;
    if (isolation == IsolationLevel::ReadCommitted) minVersion = 2;
    for (const auto& [tp, spec] : specs)
        if (spec == OffsetSpec::kMaxTimestamp) minVersion = 7;
    auto send = [isolation, minVersion](const std::shared_ptr<KafkaClient>& client, int32_t leader,
                                        const LeaderRouted<int64_t>::Items& items, RequestOptions options,
                                        std::function<void(Result<std::vector<PartitionAnswer>>)> answer) {
        options.minVersion = minVersion;
        sendListOffsets(client, leader, items, isolation, options, std::move(answer));
    };
    std::vector<TopicPartition> order;
    for (const auto& [tp, spec] : specs) order.push_back(tp);
    runLeaderRouted<int64_t>(m_client, std::move(specs), send,
                             [order, done](Result<std::map<TopicPartition, Result<PartitionAnswer>>> outcomes) {
                                 if (!outcomes.ok()) return done(outcomes.error());
                                 done(resultsInOrder<ListedOffset>(order, outcomes.value(),
                                                                   [](ListedOffset& listed, const PartitionAnswer& a) {
                                                                       listed.offset = a.offset;
                                                                       listed.timestamp = a.timestamp;
                                                                       listed.leaderEpoch = a.leaderEpoch;
                                                                   }));
                             });
}

void Admin::deleteRecords(std::map<TopicPartition, int64_t> beforeOffsets, Done<std::vector<DeletedRecords>> done) {
    auto send = [](const std::shared_ptr<KafkaClient>& client, int32_t leader,
                   const LeaderRouted<int64_t>::Items& items, RequestOptions options,
                   std::function<void(Result<std::vector<PartitionAnswer>>)> answer) {
        auto request = std::make_unique<protocol::DeleteRecordsRequest>();
        request->timeoutMs = options.timeoutMs;
        std::map<std::string, std::vector<protocol::DeleteRecordsRequest::DeleteRecordsPartition>> byTopic;
        for (const auto& [tp, offset] : items) byTopic[tp.topic].push_back({tp.partition, offset, {}});
        for (auto& [topic, partitions] : byTopic) request->topics.push_back({topic, std::move(partitions), {}});
        client->call<protocol::DeleteRecordsResponse>(
            Target::node(leader), std::move(request),
            [answer](Result<TypedResponse<protocol::DeleteRecordsResponse>> result) {
                if (!result.ok()) return answer(result.error());
                answer(answersOf(result.value()->topics,
                                 [](PartitionAnswer& a, const auto& p) { a.offset = p.lowWatermark; }));
            },
            options);
    };
    std::vector<TopicPartition> order;
    for (const auto& [tp, offset] : beforeOffsets) order.push_back(tp);
    runLeaderRouted<int64_t>(m_client, std::move(beforeOffsets), send,
                             [order, done](Result<std::map<TopicPartition, Result<PartitionAnswer>>> outcomes) {
                                 if (!outcomes.ok()) return done(outcomes.error());
                                 done(resultsInOrder<DeletedRecords>(
                                     order, outcomes.value(), [](DeletedRecords& deleted, const PartitionAnswer& a) {
                                         deleted.lowWatermark = a.offset;
                                     }));
                             });
}

}  // namespace partita::client
