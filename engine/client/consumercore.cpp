// The browsing consumer's state machine: seeks resolved, one Fetch per leader, answers buffered, polls answered.
#include "engine/client/consumercore.h"

#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/fetch.h"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace partita::client::detail {

using protocol::ErrorCode;

namespace {

// A partition whose leader keeps moving is retried this often within one poll before the poll
// answers without it (it is tried again by the next poll).
constexpr int kMaxSilentRetries = 5;

std::string partitionName(const TopicPartition& tp) {
    return tp.topic + "-" + std::to_string(tp.partition);
}

// Answers that mean "ask the partition's current leader": looked up again and retried without
// reporting, as Kafka's consumer does. A topic that is really gone is reported by the metadata.
bool isLeadershipError(int16_t code) {
    switch (ErrorCode(code)) {
        case ErrorCode::NotLeaderOrFollower:
        case ErrorCode::LeaderNotAvailable:
        case ErrorCode::FencedLeaderEpoch:
        case ErrorCode::UnknownLeaderEpoch:
        case ErrorCode::UnknownTopicOrPartition:
        case ErrorCode::UnknownTopicId:
        case ErrorCode::InconsistentTopicId:
        case ErrorCode::ReplicaNotAvailable:
        case ErrorCode::KafkaStorageError:
        case ErrorCode::OffsetNotAvailable:
            return true;
        default:
            return false;
    }
}

bool significant(const PartitionFetch& f) {
    return !f.records.empty() || f.error.has_value();
}

StartPosition policyPosition(OffsetResetPolicy policy) {
    return policy == OffsetResetPolicy::Earliest ? StartPosition::beginning() : StartPosition::end();
}

Error withPartition(const TopicPartition& tp, const Error& error) {
    return Error{error.kind, partitionName(tp) + ": " + error.message, error.kafkaCode};
}

}  // namespace

ConsumerCore::ConsumerCore(std::shared_ptr<KafkaClient> client, ConsumerConfig config)
    : m_client(std::move(client)), m_config(std::move(config)), m_timer(m_client->ioContext()) {}

ConsumerCore::~ConsumerCore() = default;

void ConsumerCore::run(Work& work, bool fromEngineEvent) {
    for (auto& request : work.requests) request();
    for (auto& callback : work.callbacks) {
        // A caller's call (poll, seek, cancel, even from inside a poll callback) never runs a
        // callback itself: that would recurse when every poll finds data waiting. An answer
        // arriving on an engine thread delivers straight away.
        if (fromEngineEvent)
            callback();
        else
            boost::asio::post(m_client->ioContext(), std::move(callback));
    }
    work.requests.clear();
    work.callbacks.clear();
}

// ---- public operations

void ConsumerCore::assign(std::vector<TopicPartition> partitions) {
    Work work;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed) return;
        std::map<TopicPartition, PartitionState> next;
        for (auto& tp : partitions) {
            if (next.count(tp)) continue;
            auto it = m_partitions.find(tp);
            if (it != m_partitions.end()) {
                next.emplace(tp, std::move(it->second));
                m_partitions.erase(it);
            } else {
                PartitionState s;
                s.partition = tp;
                s.generation = m_nextGeneration++;
                next.emplace(tp, std::move(s));
            }
        }
        for (auto& [tp, s] : m_partitions) {
            dropBuffered(tp);
            cancelRequestsFor(tp, work);
        }
        m_partitions = std::move(next);
        step(work);
    }
    run(work);
}

std::vector<TopicPartition> ConsumerCore::assignment() const {
    std::lock_guard lock(m_mutex);
    std::vector<TopicPartition> out;
    for (const auto& [tp, s] : m_partitions) out.push_back(tp);
    return out;
}

void ConsumerCore::applySeek(PartitionState& s, StartPosition position, Work& work) {
    s.generation = m_nextGeneration++;
    dropBuffered(s.partition);
    // A long poll in flight for the old position would hold the new one up: cancel it and
    // forget it (its answer is stale by generation, whenever it comes).
    if (s.busyRequest != 0) cancelRequestsFor(s.partition, work);
    s.busyRequest = 0;
    s.backoffUntil = {};
    s.attempted = false;
    s.retries = 0;
    if (position.kind == StartPosition::Kind::Offset) {
        s.pending.reset();
        s.position = s.fetchPosition = position.value;
    } else {
        s.pending = position;
        s.position = s.fetchPosition = -1;
    }
}

Status ConsumerCore::seek(const TopicPartition& partition, StartPosition position) {
    if ((position.kind == StartPosition::Kind::Offset || position.kind == StartPosition::Kind::FromEnd ||
         position.kind == StartPosition::Kind::Timestamp) &&
        position.value < 0) {
        return Error{ErrorKind::InvalidArgument,
                     partitionName(partition) + ": cannot seek to " + position.toString() + " (negative)"};
    }
    Work work;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed) return Error{ErrorKind::Cancelled, "the consumer is closed"};
        auto it = m_partitions.find(partition);
        if (it == m_partitions.end())
            return Error{ErrorKind::InvalidArgument, partitionName(partition) + " is not assigned to this consumer"};
        applySeek(it->second, position, work);
        step(work);
    }
    run(work);
    return Status::success();
}

Status ConsumerCore::seekAll(StartPosition position) {
    if ((position.kind == StartPosition::Kind::Offset || position.kind == StartPosition::Kind::FromEnd ||
         position.kind == StartPosition::Kind::Timestamp) &&
        position.value < 0) {
        return Error{ErrorKind::InvalidArgument, "cannot seek to " + position.toString() + " (negative)"};
    }
    Work work;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed) return Error{ErrorKind::Cancelled, "the consumer is closed"};
        for (auto& [tp, s] : m_partitions) applySeek(s, position, work);
        step(work);
    }
    run(work);
    return Status::success();
}

PollHandle ConsumerCore::poll(Consumer::PollCallback done) {
    Work work;
    uint64_t id = 0;
    {
        std::lock_guard lock(m_mutex);
        std::optional<Error> refused;
        if (m_closed)
            refused = Error{ErrorKind::Cancelled, "the consumer is closed"};
        else if (m_poll)
            refused = Error{ErrorKind::InvalidArgument, "a poll is already waiting on this consumer"};
        else if (m_partitions.empty())
            refused = Error{ErrorKind::InvalidArgument, "no partitions are assigned: assign partitions before polling"};
        if (refused) {
            work.callbacks.push_back([done = std::move(done), error = *refused] { done(error); });
        } else {
            m_poll = std::move(done);
            id = ++m_pollId;
            resetAttempts();
            step(work);
        }
    }
    run(work);
    return PollHandle(weak_from_this(), id);
}

void ConsumerCore::cancelPoll(uint64_t id) {
    Work work;
    {
        std::lock_guard lock(m_mutex);
        if (!m_poll || id != m_pollId) return;
        Consumer::PollCallback done = std::move(m_poll);
        m_poll = nullptr;
        m_prefetch = false;
        cancelTimer();
        for (auto& [requestId, inFlight] : m_inFlight) {
            inFlight.cancelled = true;
            work.requests.push_back([handle = inFlight.handle]() mutable { handle.cancel(); });
        }
        work.callbacks.push_back([done = std::move(done)] {
            done(Error{ErrorKind::Cancelled, "the poll was cancelled"});
        });
    }
    run(work);
}

std::optional<int64_t> ConsumerCore::position(const TopicPartition& partition) const {
    std::lock_guard lock(m_mutex);
    auto it = m_partitions.find(partition);
    if (it == m_partitions.end() || it->second.position < 0) return std::nullopt;
    return it->second.position;
}

std::optional<int64_t> ConsumerCore::highWatermark(const TopicPartition& partition) const {
    std::lock_guard lock(m_mutex);
    auto it = m_partitions.find(partition);
    if (it == m_partitions.end() || it->second.highWatermark < 0) return std::nullopt;
    return it->second.highWatermark;
}

std::optional<int64_t> ConsumerCore::lastStableOffset(const TopicPartition& partition) const {
    std::lock_guard lock(m_mutex);
    auto it = m_partitions.find(partition);
    if (it == m_partitions.end() || it->second.lastStableOffset < 0) return std::nullopt;
    return it->second.lastStableOffset;
}

std::optional<int64_t> ConsumerCore::logStartOffset(const TopicPartition& partition) const {
    std::lock_guard lock(m_mutex);
    auto it = m_partitions.find(partition);
    if (it == m_partitions.end() || it->second.logStartOffset < 0) return std::nullopt;
    return it->second.logStartOffset;
}

Status ConsumerCore::setPaused(const TopicPartition& partition, bool paused) {
    Work work;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_partitions.find(partition);
        if (it == m_partitions.end())
            return Error{ErrorKind::InvalidArgument, partitionName(partition) + " is not assigned to this consumer"};
        it->second.paused = paused;
        if (!paused) step(work);
    }
    run(work);
    return Status::success();
}

bool ConsumerCore::isPaused(const TopicPartition& partition) const {
    std::lock_guard lock(m_mutex);
    auto it = m_partitions.find(partition);
    return it != m_partitions.end() && it->second.paused;
}

void ConsumerCore::close() {
    Work work;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed) return;
        m_closed = true;
        cancelTimer();
        for (auto& [requestId, inFlight] : m_inFlight) {
            inFlight.cancelled = true;
            work.requests.push_back([handle = inFlight.handle]() mutable { handle.cancel(); });
        }
        if (m_poll) {
            work.callbacks.push_back([done = std::move(m_poll)] {
                done(Error{ErrorKind::Cancelled, "the consumer was closed"});
            });
            m_poll = nullptr;
        }
        m_buffer.clear();
    }
    run(work);
}

// ---- bookkeeping

bool ConsumerCore::eligible(const PartitionState& s) const {
    return !s.paused && s.busyRequest == 0 && s.buffered == 0 && !(m_poll && s.attempted);
}

void ConsumerCore::resetAttempts() {
    m_pollAttemptedAny = false;
    m_idleWaited = false;
    for (auto& [tp, s] : m_partitions) {
        // A prefetch already in flight counts as this poll's fetch of the partition.
        s.attempted = s.busyRequest != 0;
        s.retries = 0;
        if (s.attempted) m_pollAttemptedAny = true;
    }
}

void ConsumerCore::buffer(PartitionState& s, PartitionFetch fetch) {
    // An empty answer only carries watermarks: a newer one replaces it.
    std::erase_if(m_buffer, [&](const PartitionFetch& f) { return f.partition == s.partition && !significant(f); });
    if (significant(fetch)) ++s.buffered;
    m_buffer.push_back(std::move(fetch));
}

void ConsumerCore::bufferError(PartitionState& s, Error error) {
    PartitionFetch f;
    f.partition = s.partition;
    f.fetchOffset = f.nextOffset = s.fetchPosition;
    f.highWatermark = s.highWatermark;
    f.lastStableOffset = s.lastStableOffset;
    f.logStartOffset = s.logStartOffset;
    f.error = std::move(error);
    backoff(s);
    if (m_poll) {
        s.attempted = true;
        m_pollAttemptedAny = true;
    }
    buffer(s, std::move(f));
}

void ConsumerCore::dropBuffered(const TopicPartition& partition) {
    std::erase_if(m_buffer, [&](const PartitionFetch& f) { return f.partition == partition; });
    if (auto it = m_partitions.find(partition); it != m_partitions.end()) it->second.buffered = 0;
}

void ConsumerCore::backoff(PartitionState& s) {
    s.backoffUntil = Clock::now() + std::chrono::milliseconds(m_client->config().retryBackoffMs);
}

void ConsumerCore::retrySilently(PartitionState& s, Work& work) {
    work.requests.push_back(
        [client = m_client, tp = s.partition] { client->invalidateLeader(tp.topic, tp.partition); });
    backoff(s);
    if (m_poll) {
        m_pollAttemptedAny = true;
        s.attempted = ++s.retries > kMaxSilentRetries;
    }
}

void ConsumerCore::cancelRequestsFor(const TopicPartition& partition, Work& work) {
    for (auto& [id, inFlight] : m_inFlight) {
        if (std::find(inFlight.partitions.begin(), inFlight.partitions.end(), partition) == inFlight.partitions.end())
            continue;
        inFlight.cancelled = true;
        work.requests.push_back([handle = inFlight.handle]() mutable { handle.cancel(); });
    }
}

void ConsumerCore::armTimer(Clock::time_point at) {
    if (m_timerArmed && m_timerAt <= at) return;
    m_timerArmed = true;
    m_timerAt = at;
    const uint64_t seq = ++m_timerSeq;
    m_timer.expires_at(at);
    m_timer.async_wait([weak = weak_from_this(), seq](boost::system::error_code ec) {
        if (ec) return;
        if (auto self = weak.lock()) self->onTimer(seq);
    });
}

void ConsumerCore::cancelTimer() {
    if (!m_timerArmed) return;
    m_timerArmed = false;
    ++m_timerSeq;
    m_timer.cancel();
}

void ConsumerCore::onTimer(uint64_t seq) {
    Work work;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed || seq != m_timerSeq) return;
        m_timerArmed = false;
        step(work);
    }
    run(work, true);
}

// ---- the poll cycle

void ConsumerCore::step(Work& work) {
    if (m_closed) return;
    if (m_poll) {
        const bool ready = std::any_of(m_buffer.begin(), m_buffer.end(), [&](const PartitionFetch& f) {
            auto it = m_partitions.find(f.partition);
            return significant(f) && it != m_partitions.end() && !it->second.paused;
        });
        if (ready) deliver(work);
    }
    if (!m_poll && !m_prefetch) return;

    const auto now = Clock::now();
    std::set<std::string> topics;
    std::optional<Clock::time_point> earliest;
    for (auto& [tp, s] : m_partitions) {
        if (!eligible(s)) continue;
        if (!s.pending && s.fetchPosition < 0) {
            if (m_config.autoOffsetReset == OffsetResetPolicy::None) {
                bufferError(s, Error{ErrorKind::OutOfRange, partitionName(tp) +
                                                                ": no position to fetch from and auto.offset.reset is "
                                                                "none: seek the partition first"});
                continue;
            }
            s.pending = policyPosition(m_config.autoOffsetReset);
        }
        // Seeks are resolved first, so that fetches leave together, one per leader.
        if (m_resolvesInFlight > 0 && !s.pending) continue;
        if (s.backoffUntil > now) {
            if (!earliest || s.backoffUntil < *earliest) earliest = s.backoffUntil;
            continue;
        }
        topics.insert(tp.topic);
    }
    if (!topics.empty() && !m_metadataInFlight) {
        m_metadataInFlight = true;
        work.requests.push_back([self = shared_from_this(), topics] {
            self->m_client->metadataFor(std::vector<std::string>(topics.begin(), topics.end()),
                                        [self, topics](Result<std::shared_ptr<const ClusterMetadata>> result) {
                                            self->onMetadata(std::move(result), topics);
                                        });
        });
    }
    if (!m_poll) return;
    if (earliest) armTimer(*earliest);

    const bool busy = std::any_of(m_partitions.begin(), m_partitions.end(),
                                  [](const auto& entry) { return entry.second.busyRequest != 0; });
    if (topics.empty() && !m_metadataInFlight && m_resolvesInFlight == 0 && !busy && !m_timerArmed) {
        // Nothing could be fetched at all (every partition paused): wait like a long poll would
        // rather than answer at once and have the caller spin.
        if (!m_pollAttemptedAny && !m_idleWaited) {
            m_idleWaited = true;
            armTimer(now + std::chrono::milliseconds(m_config.fetchMaxWaitMs));
            return;
        }
        deliver(work);
    }
}

void ConsumerCore::deliver(Work& work) {
    FetchResult result;
    std::vector<PartitionFetch> kept;
    for (auto& f : m_buffer) {
        auto it = m_partitions.find(f.partition);
        if (it == m_partitions.end()) continue;
        PartitionState& s = it->second;
        if (s.paused) {
            kept.push_back(std::move(f));
            continue;
        }
        if (significant(f)) --s.buffered;
        if (f.nextOffset >= 0) s.position = f.nextOffset;
        result.partitions.push_back(std::move(f));
    }
    m_buffer = std::move(kept);
    cancelTimer();
    Consumer::PollCallback done = std::move(m_poll);
    m_poll = nullptr;
    m_prefetch = m_config.prefetch;
    work.callbacks.push_back(
        [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

void ConsumerCore::onMetadata(Result<std::shared_ptr<const ClusterMetadata>> result,
                              const std::set<std::string>& topics) {
    Work work;
    {
        std::lock_guard lock(m_mutex);
        m_metadataInFlight = false;
        if (m_closed) return;
        // A failed lookup still leaves the cached leaders, which may well be right.
        std::shared_ptr<const ClusterMetadata> snapshot = result.ok() ? result.value() : m_client->metadata();
        const auto now = Clock::now();
        std::map<int32_t, std::vector<TopicPartition>> fetches;
        std::vector<OffsetQuery> queries;
        std::map<TopicPartition, uint64_t> generations;
        const uint64_t resolveId = m_nextRequestId++;

        for (auto& [tp, s] : m_partitions) {
            if (!topics.count(tp.topic) || !eligible(s) || s.backoffUntil > now) continue;
            if (!s.pending && s.fetchPosition < 0) continue;
            if (m_resolvesInFlight > 0 && !s.pending) continue;
            const TopicInfo* topic = snapshot->topic(tp.topic);
            if (topic == nullptr) {
                bufferError(s, result.ok()
                                   ? brokerError(protocol::code(ErrorCode::UnknownTopicOrPartition), partitionName(tp))
                                   : withPartition(tp, result.error()));
                continue;
            }
            if (topic->errorCode != 0) {
                if (topic->errorCode == protocol::code(ErrorCode::LeaderNotAvailable)) {
                    retrySilently(s, work);
                } else {
                    bufferError(s, brokerError(topic->errorCode, partitionName(tp)));
                }
                continue;
            }
            const PartitionInfo* partition = snapshot->partition(tp.topic, tp.partition);
            if (partition == nullptr) {
                bufferError(s, brokerError(protocol::code(ErrorCode::UnknownTopicOrPartition), partitionName(tp),
                                           "topic " + tp.topic + " has " + std::to_string(topic->partitions.size()) +
                                               " partitions"));
                continue;
            }
            if (partition->leader < 0) {
                retrySilently(s, work);
                continue;
            }
            if (s.pending) {
                queries.push_back(OffsetQuery{tp, *s.pending});
                generations[tp] = s.generation;
                s.busyRequest = resolveId;
            } else {
                fetches[partition->leader].push_back(tp);
            }
        }

        if (!queries.empty()) {
            ++m_resolvesInFlight;
            work.requests.push_back([self = shared_from_this(), queries = std::move(queries),
                                     generations = std::move(generations), resolveId]() mutable {
                ConsumerOffsetResolver::resolve(
                    self->m_client, std::move(queries), self->m_config.isolationLevel,
                    [self, generations = std::move(generations), resolveId](std::vector<ResolvedOffset> results) {
                        self->onResolved(resolveId, std::move(results), generations);
                    });
            });
        } else {
            for (auto& [leader, partitions] : fetches) sendFetch(leader, std::move(partitions), *snapshot, work);
            if (!fetches.empty() && !m_poll) m_prefetch = false;
        }
        step(work);
    }
    run(work, true);
}

void ConsumerCore::onResolved(uint64_t requestId, std::vector<ResolvedOffset> results,
                              const std::map<TopicPartition, uint64_t>& generations) {
    Work work;
    {
        std::lock_guard lock(m_mutex);
        --m_resolvesInFlight;
        if (m_closed) return;
        for (ResolvedOffset& r : results) {
            auto it = m_partitions.find(r.partition);
            if (it == m_partitions.end()) continue;
            PartitionState& s = it->second;
            if (s.busyRequest == requestId) s.busyRequest = 0;
            auto generation = generations.find(r.partition);
            if (generation == generations.end() || generation->second != s.generation) continue;
            if (r.error) {
                if (r.leaderChanged)
                    retrySilently(s, work);
                else
                    bufferError(s, std::move(*r.error));
                continue;
            }
            s.pending.reset();
            s.position = s.fetchPosition = r.offset;
        }
        step(work);
    }
    run(work, true);
}

void ConsumerCore::sendFetch(int32_t leader, std::vector<TopicPartition> partitions, const ClusterMetadata& snapshot,
                             Work& work) {
    auto request = std::make_shared<protocol::FetchRequest>();
    request->replicaId = -1;
    request->maxWaitMs = m_config.fetchMaxWaitMs;
    request->minBytes = m_config.fetchMinBytes;
    request->maxBytes = m_config.fetchMaxBytes;
    request->isolationLevel = int8_t(m_config.isolationLevel);
    // No fetch session: every request is a full fetch (session id 0, epoch -1).
    request->sessionId = 0;
    request->sessionEpoch = -1;

    // The broker fills partitions in request order up to fetch.max.bytes: rotate so that none
    // is always last.
    if (partitions.size() > 1)
        std::rotate(partitions.begin(), partitions.begin() + ptrdiff_t(m_rotation++ % partitions.size()),
                    partitions.end());

    const uint64_t id = m_nextRequestId++;
    std::vector<FetchPart> parts;
    std::vector<std::pair<Uuid, std::string>> names;
    bool allTopicIds = true;
    for (const TopicPartition& tp : partitions) {
        PartitionState& s = m_partitions.at(tp);
        const TopicInfo* topic = snapshot.topic(tp.topic);
        const PartitionInfo* info = snapshot.partition(tp.topic, tp.partition);
        auto entry = std::find_if(request->topics.begin(), request->topics.end(),
                                  [&](const protocol::FetchRequest::FetchTopic& t) { return t.topic == tp.topic; });
        if (entry == request->topics.end()) {
            request->topics.emplace_back();
            entry = std::prev(request->topics.end());
            entry->topic = tp.topic;
            entry->topicId = topic->topicId;
            if (topic->topicId.isZero())
                allTopicIds = false;
            else
                names.emplace_back(topic->topicId, tp.topic);
        }
        protocol::FetchRequest::FetchPartition p;
        p.partition = tp.partition;
        p.currentLeaderEpoch = info != nullptr ? info->leaderEpoch : -1;
        p.fetchOffset = s.fetchPosition;
        p.logStartOffset = -1;
        p.partitionMaxBytes = m_config.maxPartitionFetchBytes;
        entry->partitions.push_back(p);
        parts.push_back(FetchPart{tp, s.fetchPosition, s.generation});
        s.busyRequest = id;
        if (m_poll) {
            s.attempted = true;
            m_pollAttemptedAny = true;
        }
    }

    RequestOptions options;
    options.lane = Lane::Fetch;
    options.minVersion = 4;  // record batches, the last stable offset and aborted transactions
    // Fetch v13+ names topics by id only: without an id for every topic, stay at v12.
    if (!allTopicIds) options.maxVersion = 12;
    options.timeoutMs = m_client->config().requestTimeoutMs + m_config.fetchMaxWaitMs;
    m_inFlight[id] = InFlight{RequestHandle(), partitions};

    work.requests.push_back(
        [self = shared_from_this(), id, leader, request, parts = std::move(parts), names = std::move(names), options] {
            auto message = std::make_unique<protocol::FetchRequest>(std::move(*request));
            RequestHandle handle = self->m_client->call<protocol::FetchResponse>(
                Target::node(leader), std::move(message),
                [self, id, parts, names](Result<TypedResponse<protocol::FetchResponse>> result) {
                    self->onFetch(id, parts, names, std::move(result));
                },
                options);
            std::lock_guard lock(self->m_mutex);
            if (auto it = self->m_inFlight.find(id); it != self->m_inFlight.end()) it->second.handle = handle;
        });
}

void ConsumerCore::onFetch(uint64_t requestId, const std::vector<FetchPart>& parts,
                           const std::vector<std::pair<Uuid, std::string>>& names,
                           Result<TypedResponse<protocol::FetchResponse>> result) {
    // Reading the batch headers (CRCs included) happens before taking the lock.
    struct Outcome {
        bool present = false;
        int16_t code = 0;
        int64_t highWatermark = -1;
        int64_t lastStableOffset = -1;
        int64_t logStartOffset = -1;
        std::optional<FetchedRecords::Parsed> parsed;
    };
    std::vector<Outcome> outcomes(parts.size());
    std::optional<Error> requestError;
    if (!result.ok()) {
        requestError = result.error();
    } else if (result.value()->errorCode != 0) {
        requestError =
            brokerError(result.value()->errorCode, "Fetch from broker " + std::to_string(result.value().nodeId));
    } else {
        std::map<std::pair<std::string, int32_t>, const protocol::FetchResponse::PartitionData*> index;
        for (const auto& topic : result.value()->responses) {
            std::string name = topic.topic;
            if (name.empty()) {
                for (const auto& [id, known] : names)
                    if (id == topic.topicId) name = known;
            }
            for (const auto& p : topic.partitions) index[{name, p.partitionIndex}] = &p;
        }
        std::vector<AbortedTransaction> aborted;
        for (size_t i = 0; i < parts.size(); ++i) {
            auto it = index.find({parts[i].partition.topic, parts[i].partition.partition});
            if (it == index.end()) continue;
            const auto& p = *it->second;
            Outcome& o = outcomes[i];
            o.present = true;
            o.code = p.errorCode;
            o.highWatermark = p.highWatermark;
            o.lastStableOffset = p.lastStableOffset;
            o.logStartOffset = p.logStartOffset;
            if (p.errorCode != 0) continue;
            aborted.clear();
            if (p.abortedTransactions)
                for (const auto& a : *p.abortedTransactions) aborted.push_back({a.producerId, a.firstOffset});
            FetchedRecords::ParseOptions options;
            options.topic = parts[i].partition.topic;
            options.partition = parts[i].partition.partition;
            options.fetchOffset = parts[i].fetchOffset;
            options.checkCrcs = m_config.checkCrcs;
            options.dropAborted = m_config.isolationLevel == IsolationLevel::ReadCommitted;
            options.abortedTransactions = &aborted;
            options.maxUncompressedBatchBytes = m_config.maxUncompressedBatchBytes;
            options.partitionLimitBytes = m_config.maxPartitionFetchBytes;
            o.parsed = FetchedRecords::parse(p.records.value_or(Bytes()), options);
        }
    }

    Work work;
    {
        std::lock_guard lock(m_mutex);
        auto inFlight = m_inFlight.find(requestId);
        const bool cancelledByUs = inFlight == m_inFlight.end() || inFlight->second.cancelled;
        if (inFlight != m_inFlight.end()) m_inFlight.erase(inFlight);
        if (m_closed) return;
        for (size_t i = 0; i < parts.size(); ++i) {
            const FetchPart& part = parts[i];
            auto it = m_partitions.find(part.partition);
            if (it == m_partitions.end()) continue;
            PartitionState& s = it->second;
            if (s.busyRequest == requestId) s.busyRequest = 0;
            // A seek since the request left makes its answer stale.
            if (s.generation != part.generation || s.fetchPosition != part.fetchOffset) continue;
            if (requestError) {
                // Our own cancel (a seek, cancel, close) is no error; the client closing under us is.
                if (requestError->kind == ErrorKind::Cancelled && cancelledByUs) continue;
                // The broker may be gone for good and its partitions led elsewhere now.
                work.requests.push_back(
                    [client = m_client, tp = part.partition] { client->invalidateLeader(tp.topic, tp.partition); });
                bufferError(s, withPartition(part.partition, *requestError));
                continue;
            }
            Outcome& o = outcomes[i];
            if (!o.present) continue;
            if (o.highWatermark >= 0) s.highWatermark = o.highWatermark;
            if (o.lastStableOffset >= 0) s.lastStableOffset = o.lastStableOffset;
            if (o.logStartOffset >= 0) s.logStartOffset = o.logStartOffset;
            if (o.code == 0) {
                FetchedRecords::Parsed& parsed = *o.parsed;
                PartitionFetch f;
                f.partition = part.partition;
                f.records = std::move(parsed.records);
                f.fetchOffset = part.fetchOffset;
                f.nextOffset = parsed.nextOffset;
                f.highWatermark = s.highWatermark;
                f.lastStableOffset = s.lastStableOffset;
                f.logStartOffset = s.logStartOffset;
                f.error = std::move(parsed.error);
                s.fetchPosition = parsed.nextOffset;
                if (f.error) backoff(s);
                buffer(s, std::move(f));
            } else if (o.code == protocol::code(ErrorCode::OffsetOutOfRange)) {
                if (m_config.autoOffsetReset == OffsetResetPolicy::None) {
                    bufferError(s,
                                Error{ErrorKind::OutOfRange,
                                      partitionName(part.partition) + ": offset " + std::to_string(part.fetchOffset) +
                                          " is out of range (OFFSET_OUT_OF_RANGE; the log holds " +
                                          std::to_string(s.logStartOffset) + ".." + std::to_string(s.highWatermark) +
                                          ") and auto.offset.reset is none: seek to a valid position",
                                      o.code});
                } else {
                    // auto.offset.reset, within this same poll.
                    s.generation = m_nextGeneration++;
                    dropBuffered(part.partition);
                    s.pending = policyPosition(m_config.autoOffsetReset);
                    s.position = s.fetchPosition = -1;
                    s.attempted = false;
                }
            } else if (isLeadershipError(o.code)) {
                retrySilently(s, work);
            } else {
                bufferError(s, brokerError(o.code, partitionName(part.partition)));
            }
        }
        step(work);
    }
    run(work, true);
}

}  // namespace partita::client::detail
