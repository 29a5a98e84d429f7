// TopicScanner: resolves the range, drives a Consumer, and matches fetched records on the pool.
#include "engine/client/topicscanner.h"

#include "engine/client/admin.h"
#include "engine/client/consumer.h"
#include "engine/client/consumerconfig.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/scanworkerpool.h"
#include "engine/protocol/errorcodes.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>

namespace partita::client {

namespace {

// Fetched bytes waiting for the workers before the scan stops fetching: bounds memory when
// matching is slower than the network.
constexpr size_t kMaxQueuedBytes = size_t(64) * 1024 * 1024;
// Partition errors in a row the scan rides out (the consumer retries leader changes itself).
constexpr int kMaxConsecutiveErrors = 20;

std::optional<Bytes> copyBytes(const protocol::records::OptionalBytesView& view) {
    if (!view) return std::nullopt;
    return Bytes::copyOf(*view);
}

ConsumerRecord ownedCopy(const FetchedRecord& r) {
    ConsumerRecord c;
    c.offset = r.offset;
    c.timestamp = r.timestamp;
    c.timestampType = r.timestampType;
    c.key = copyBytes(r.key);
    c.value = copyBytes(r.value);
    r.forEachHeader([&](const protocol::records::HeaderView& h) {
        c.headers.push_back({std::string(h.key), copyBytes(h.value)});
    });
    c.leaderEpoch = r.leaderEpoch;
    c.codec = r.codec;
    c.magic = r.magic;
    c.isTransactional = r.isTransactional;
    c.aborted = r.aborted;
    c.producerId = r.producerId;
    c.producerEpoch = r.producerEpoch;
    return c;
}

bool transient(const Error& e) {
    return e.kind == ErrorKind::Network || e.kind == ErrorKind::Timeout || retriable(e);
}

}  // namespace

struct TopicScanner::State : std::enable_shared_from_this<TopicScanner::State> {
    struct Chunk {
        FetchedRecords records;
        int64_t nextOffset = 0;
        size_t bytes = 0;
    };
    struct Part {
        int64_t start = 0;
        int64_t end = 0;
        int64_t position = 0;
        bool fetchDone = false;
        bool busy = false;  // a worker is on this partition (keeps its matches in offset order)
        std::deque<Chunk> queue;
    };

    std::shared_ptr<KafkaClient> client;
    ScanRequest request;
    ScanCallbacks callbacks;
    std::chrono::steady_clock::time_point startedAt;

    std::mutex mutex;
    std::map<int32_t, Part> parts;
    std::unique_ptr<Consumer> consumer;
    PollHandle pollHandle;
    bool resolving = true;  // offsets not resolved yet: nothing to finish
    bool pollOutstanding = false;
    bool pollDeferred = false;
    bool finished = false;
    bool cancelled = false;
    bool limitReached = false;
    std::optional<Error> error;
    size_t queuedBytes = 0;
    int consecutiveErrors = 0;

    std::atomic<bool> stopping{false};
    std::atomic<uint64_t> scanned{0};
    std::atomic<uint64_t> matched{0};
    std::atomic<uint64_t> bytes{0};

    std::mutex deliverMutex;  // one callback at a time
    bool doneDelivered = false;
    std::chrono::steady_clock::time_point lastProgress;

    // ---- setup

    void begin() {
        auto self = shared_from_this();
        client->metadataFor({request.topic}, [self](Result<std::shared_ptr<const ClusterMetadata>> metadata) {
            self->onMetadata(std::move(metadata));
        });
    }

    void onMetadata(Result<std::shared_ptr<const ClusterMetadata>> metadata) {
        if (!metadata.ok()) return fail(metadata.error());
        const TopicInfo* topic = (*metadata)->topic(request.topic);
        if (topic == nullptr)
            return fail(brokerError(static_cast<int16_t>(protocol::ErrorCode::UnknownTopicOrPartition),
                                    "topic " + request.topic));
        if (topic->errorCode != 0) return fail(brokerError(topic->errorCode, "topic " + request.topic));
        std::vector<int32_t> wanted = request.partitions;
        if (wanted.empty())
            for (const auto& p : topic->partitions) wanted.push_back(p.partition);
        std::sort(wanted.begin(), wanted.end());
        wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
        for (int32_t p : wanted) {
            bool known = std::any_of(topic->partitions.begin(), topic->partitions.end(),
                                     [p](const PartitionInfo& info) { return info.partition == p; });
            if (!known)
                return fail(Error{ErrorKind::InvalidArgument, "topic " + request.topic + " has no partition " +
                                                                  std::to_string(p) + " (it has " +
                                                                  std::to_string(topic->partitions.size()) + ")"});
        }
        {
            std::lock_guard lock(mutex);
            for (int32_t p : wanted) parts[p];
        }
        listOffsets(wanted, {}, 0);
    }

    IsolationLevel isolation() const {
        if (request.isolation) return *request.isolation;
        auto config = ConsumerConfig::fromClientConfig(client->config());
        return config.ok() ? config->isolationLevel : IsolationLevel::ReadUncommitted;
    }

    // Resolves, one ListOffsets round each: earliest, latest, then the start and end times if asked.
    void listOffsets(std::vector<int32_t> partitions, std::vector<std::map<int32_t, int64_t>> answers, size_t step) {
        std::vector<int64_t> specs{OffsetSpec::kEarliest, OffsetSpec::kLatest};
        if (request.from.kind == StartPosition::Kind::Timestamp) specs.push_back(request.from.value);
        if (request.to && request.to->kind == StartPosition::Kind::Timestamp) specs.push_back(request.to->value);
        if (step == specs.size()) return resolve(answers);
        std::map<TopicPartition, int64_t> asked;
        for (int32_t p : partitions) asked[{request.topic, p}] = specs[step];
        auto self = shared_from_this();
        Admin(client).listOffsets(std::move(asked), isolation(),
                                  [self, partitions, answers, step](Result<std::vector<ListedOffset>> listed) mutable {
                                      if (self->stopping) return self->fail(Error{ErrorKind::Cancelled, "cancelled"});
                                      if (!listed.ok()) return self->fail(listed.error());
                                      std::map<int32_t, int64_t> offsets;
                                      for (const auto& l : *listed) {
                                          if (!l.status.ok()) return self->fail(l.status.error());
                                          offsets[l.partition.partition] = l.offset;
                                      }
                                      answers.push_back(std::move(offsets));
                                      self->listOffsets(std::move(partitions), std::move(answers), step + 1);
                                  });
    }

    void resolve(const std::vector<std::map<int32_t, int64_t>>& answers) {
        size_t timeIndex = 2;
        const std::map<int32_t, int64_t>* fromTimes = nullptr;
        const std::map<int32_t, int64_t>* toTimes = nullptr;
        if (request.from.kind == StartPosition::Kind::Timestamp) fromTimes = &answers[timeIndex++];
        if (request.to && request.to->kind == StartPosition::Kind::Timestamp) toTimes = &answers[timeIndex++];
        auto lookup = [](const std::map<int32_t, int64_t>& m, int32_t p, int64_t fallback) {
            auto it = m.find(p);
            return it == m.end() || it->second < 0 ? fallback : it->second;
        };

        std::vector<TopicPartition> assigned;
        {
            std::lock_guard lock(mutex);
            for (auto& [p, part] : parts) {
                const int64_t logStart = lookup(answers[0], p, 0);
                const int64_t logEnd = std::max(logStart, lookup(answers[1], p, logStart));
                auto place = [&](const StartPosition& pos, const std::map<int32_t, int64_t>* times) -> int64_t {
                    switch (pos.kind) {
                        case StartPosition::Kind::Offset:
                            return std::clamp(pos.value, logStart, logEnd);
                        case StartPosition::Kind::Beginning:
                            return logStart;
                        case StartPosition::Kind::End:
                            return logEnd;
                        case StartPosition::Kind::FromEnd:
                            return std::max(logStart, logEnd - std::max<int64_t>(0, pos.value));
                        case StartPosition::Kind::Timestamp:
                            return std::clamp(lookup(*times, p, logEnd), logStart, logEnd);
                    }
                    return logEnd;
                };
                part.start = place(request.from, fromTimes);
                part.end = request.to ? std::max(part.start, place(*request.to, toTimes)) : logEnd;
                part.position = part.start;
                part.fetchDone = part.start >= part.end;
                if (!part.fetchDone) assigned.push_back({request.topic, p});
            }
        }
        if (assigned.empty()) {
            std::unique_lock lock(mutex);
            resolving = false;
            return finishIfDone(lock);
        }
        auto config = ConsumerConfig::fromClientConfig(client->config());
        if (!config.ok()) return fail(config.error());
        // Records deleted by retention during the scan: carry on from what is left.
        config->autoOffsetReset = OffsetResetPolicy::Earliest;
        config->isolationLevel = isolation();
        auto consumer = std::make_unique<Consumer>(client, *config);
        consumer->assign(assigned);
        {
            std::lock_guard lock(mutex);
            for (const auto& tp : assigned) {
                Status seeked = consumer->seek(tp, StartPosition::offset(parts[tp.partition].start));
                if (!seeked.ok()) {
                    error = seeked.error();
                    stopping = true;
                }
            }
            this->consumer = std::move(consumer);
            resolving = false;
        }
        pollNext();
    }

    // ---- fetching (engine threads)

    void pollNext() {
        Consumer* c = nullptr;
        {
            std::unique_lock lock(mutex);
            if (stopping || pollOutstanding || finished || !consumer) return finishIfDone(lock);
            bool allFetched = std::all_of(parts.begin(), parts.end(), [](const auto& e) { return e.second.fetchDone; });
            if (allFetched) return finishIfDone(lock);
            if (queuedBytes > kMaxQueuedBytes) {
                pollDeferred = true;
                return;
            }
            pollDeferred = false;
            pollOutstanding = true;
            c = consumer.get();
        }
        auto self = shared_from_this();
        PollHandle handle = c->poll([self](Result<FetchResult> result) { self->onPoll(std::move(result)); });
        std::lock_guard lock(mutex);
        pollHandle = handle;
    }

    void onPoll(Result<FetchResult> result) {
        std::vector<TopicPartition> toPause;
        std::vector<int32_t> toStart;
        {
            std::unique_lock lock(mutex);
            pollOutstanding = false;
            if (stopping) return finishIfDone(lock);
            if (!result.ok()) {
                lock.unlock();
                return fail(result.error());
            }
            bool anyError = false;
            for (PartitionFetch& pf : result->partitions) {
                auto it = parts.find(pf.partition.partition);
                if (it == parts.end()) continue;
                Part& part = it->second;
                if (pf.error && pf.records.empty()) {
                    anyError = true;
                    if (!transient(*pf.error) || ++consecutiveErrors > kMaxConsecutiveErrors) {
                        lock.unlock();
                        return fail(*pf.error);
                    }
                    continue;
                }
                if (pf.error && !transient(*pf.error)) {
                    // Corrupt data after good records: keep what came, then stop with the error.
                    error = *pf.error;
                }
                if (part.fetchDone) continue;
                if (!pf.records.empty()) {
                    const size_t size = pf.records.sizeInBytes();
                    bytes += size;
                    queuedBytes += size;
                    part.queue.push_back({std::move(pf.records), pf.nextOffset, size});
                    if (!part.busy) {
                        part.busy = true;
                        toStart.push_back(it->first);
                    }
                }
                if (pf.nextOffset >= part.end) {
                    part.fetchDone = true;
                    toPause.push_back(pf.partition);
                    if (part.queue.empty() && !part.busy) part.position = part.end;
                }
            }
            if (!anyError) consecutiveErrors = 0;
            if (error) stopping = true;
        }
        // A partition scanned to its end is fetched no more (pausing an assigned partition cannot fail).
        for (const auto& tp : toPause) (void)consumer->pause(tp);
        auto self = shared_from_this();
        for (int32_t p : toStart) ScanWorkerPool::shared().post([self, p] { self->work(p); });
        if (stopping) return stopNow();
        pollNext();
    }

    // ---- matching (worker threads)

    void work(int32_t partition) {
        for (;;) {
            Chunk chunk;
            int64_t start = 0;
            int64_t end = 0;
            {
                std::unique_lock lock(mutex);
                Part& part = parts[partition];
                if (stopping || part.queue.empty()) {
                    part.busy = false;
                    for (const Chunk& c : part.queue) queuedBytes -= c.bytes;
                    part.queue.clear();
                    if (part.fetchDone && !stopping) part.position = part.end;
                    return finishIfDone(lock);
                }
                chunk = std::move(part.queue.front());
                part.queue.pop_front();
                start = part.start;
                end = part.end;
            }
            int64_t reached = match(partition, chunk, start, end);
            bool resumePolling = false;
            {
                std::lock_guard lock(mutex);
                Part& part = parts[partition];
                part.position = std::max(part.position, std::min(reached, part.end));
                queuedBytes -= chunk.bytes;
                resumePolling = pollDeferred && queuedBytes <= kMaxQueuedBytes;
            }
            maybeProgress(false);
            if (resumePolling) pollNext();
        }
    }

    // Tests one fetched chunk; returns the offset reached.
    int64_t match(int32_t partition, const Chunk& chunk, int64_t start, int64_t end) {
        const RecordFilter& filter = request.filter;
        std::vector<ScanMatch> found;
        auto cursor = chunk.records.cursor();
        FetchedRecord record;
        int64_t reached = chunk.nextOffset;
        uint64_t tested = 0;
        while (cursor.next(record)) {
            if (record.offset < start) continue;
            if (record.offset >= end) break;
            ++tested;
            if ((tested & 1023) == 0 && stopping.load(std::memory_order_relaxed)) {
                reached = record.offset;
                break;
            }
            if (!filter.matches(record)) continue;
            uint64_t n = matched.fetch_add(1) + 1;
            if (request.maxResults != 0 && n > request.maxResults) {
                matched.fetch_sub(1);
                reached = record.offset;
                break;
            }
            found.push_back({partition, ownedCopy(record)});
            if (request.maxResults != 0 && n == request.maxResults) {
                {
                    std::lock_guard lock(mutex);
                    limitReached = true;
                }
                stopping = true;
                reached = record.offset + 1;
                break;
            }
            if (found.size() >= std::max<size_t>(1, request.resultBatch)) deliver(found);
        }
        scanned += tested;
        if (!cursor.status().ok()) {
            fail(cursor.status().error());
            reached = record.offset;
        }
        deliver(found);
        if (stopping) stopNow();
        return reached;
    }

    void deliver(std::vector<ScanMatch>& found) {
        if (found.empty()) return;
        std::lock_guard lock(deliverMutex);
        if (!doneDelivered && callbacks.onResults) callbacks.onResults(std::move(found));
        found.clear();
    }

    ScanProgress snapshot() {
        ScanProgress progress;
        progress.scanned = scanned;
        progress.matched = matched;
        progress.bytes = bytes;
        std::lock_guard lock(mutex);
        for (const auto& [p, part] : parts) {
            progress.partitions.push_back({p, part.start, part.end, part.position});
            progress.totalOffsets += static_cast<uint64_t>(part.end - part.start);
            progress.doneOffsets += static_cast<uint64_t>(part.position - part.start);
        }
        return progress;
    }

    void maybeProgress(bool force) {
        if (!callbacks.onProgress) return;
        auto now = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(deliverMutex);
            if (doneDelivered || (!force && now - lastProgress < request.progressInterval)) return;
            lastProgress = now;
        }
        ScanProgress progress = snapshot();
        std::lock_guard lock(deliverMutex);
        if (!doneDelivered) callbacks.onProgress(progress);
    }

    // ---- stopping and finishing

    void fail(Error e) {
        {
            std::lock_guard lock(mutex);
            if (!error) error = std::move(e);
            resolving = false;  // failures while resolving end the chain of callbacks
        }
        stopping = true;
        stopNow();
    }

    // Stops fetching: the outstanding poll is cancelled (its callback then finishes the scan).
    void stopNow() {
        PollHandle handle;
        {
            std::unique_lock lock(mutex);
            handle = pollHandle;
            if (!pollOutstanding) return finishIfDone(lock);
        }
        handle.cancel();
    }

    // Called with the mutex held; finishes (after unlocking) when nothing is in flight.
    void finishIfDone(std::unique_lock<std::mutex>& lock) {
        if (finished || resolving || pollOutstanding) return;
        for (const auto& [p, part] : parts) {
            if (part.busy) return;
            if (!stopping && (!part.fetchDone || !part.queue.empty())) return;
        }
        finished = true;
        std::optional<Error> failure = error;
        bool wasCancelled = cancelled;
        bool limit = limitReached;
        lock.unlock();
        if (consumer) consumer->close();
        ScanSummary summary;
        summary.totals = snapshot();
        summary.cancelled = wasCancelled && !failure;
        summary.limitReached = limit;
        summary.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - startedAt);
        if (callbacks.onProgress) {
            std::lock_guard deliverLock(deliverMutex);
            callbacks.onProgress(summary.totals);
        }
        std::function<void(Result<ScanSummary>)> done;
        {
            std::lock_guard deliverLock(deliverMutex);
            doneDelivered = true;
            done = std::move(callbacks.onDone);
            callbacks.onResults = nullptr;
            callbacks.onProgress = nullptr;
        }
        if (!done) return;
        if (failure && !(wasCancelled && failure->kind == ErrorKind::Cancelled))
            done(std::move(*failure));
        else
            done(std::move(summary));
    }
};

TopicScanner::TopicScanner(std::shared_ptr<KafkaClient> client) : m_client(std::move(client)) {}

TopicScanner::~TopicScanner() {
    cancel();
}

void TopicScanner::start(ScanRequest request, ScanCallbacks callbacks) {
    if (m_state) {
        if (callbacks.onDone)
            callbacks.onDone(Error{ErrorKind::InvalidArgument, "this scanner already ran a search; use a new one"});
        return;
    }
    m_state = std::make_shared<State>();
    m_state->client = m_client;
    m_state->request = std::move(request);
    m_state->callbacks = std::move(callbacks);
    m_state->startedAt = std::chrono::steady_clock::now();
    m_state->lastProgress = m_state->startedAt;
    if (m_state->request.topic.empty())
        return m_state->fail(Error{ErrorKind::InvalidArgument, "no topic to search was given"});
    m_state->begin();
}

void TopicScanner::cancel() {
    if (!m_state) return;
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->finished) return;
        m_state->cancelled = true;
    }
    m_state->stopping = true;
    m_state->stopNow();
}

}  // namespace partita::client
