// ConsumerCore: the browsing consumer's state (positions, fetches in flight, fetched results) behind Consumer.
#pragma once

#include "engine/client/consumer.h"
#include "engine/client/consumeroffsetresolver.h"
#include "engine/client/kafkaclient.h"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace partita::protocol {
class FetchResponse;
}

namespace partita::client::detail {

// Every change happens under one mutex; network calls and user callbacks are collected while
// it is held and run after it is released (Work), so no callback ever runs under the lock.
class ConsumerCore : public std::enable_shared_from_this<ConsumerCore> {
public:
    ConsumerCore(std::shared_ptr<KafkaClient> client, ConsumerConfig config);
    ~ConsumerCore();

    const ConsumerConfig& config() const { return m_config; }

    void assign(std::vector<TopicPartition> partitions);
    std::vector<TopicPartition> assignment() const;
    Status seek(const TopicPartition& partition, StartPosition position);
    Status seekAll(StartPosition position);
    PollHandle poll(Consumer::PollCallback done);
    void cancelPoll(uint64_t id);

    std::optional<int64_t> position(const TopicPartition& partition) const;
    std::optional<int64_t> highWatermark(const TopicPartition& partition) const;
    std::optional<int64_t> lastStableOffset(const TopicPartition& partition) const;
    std::optional<int64_t> logStartOffset(const TopicPartition& partition) const;
    Status setPaused(const TopicPartition& partition, bool paused);
    bool isPaused(const TopicPartition& partition) const;

    void close();

private:
    using Clock = std::chrono::steady_clock;

    struct PartitionState {
        TopicPartition partition;
        std::optional<StartPosition> pending;  // a seek ListOffsets has yet to resolve
        int64_t position = -1;                 // next offset the caller gets (-1: unknown)
        int64_t fetchPosition = -1;            // next offset to fetch (past results not yet delivered)
        uint64_t generation = 0;               // new on every seek (unique across partitions): older answers are stale
        bool paused = false;
        uint64_t busyRequest = 0;  // the Fetch or ListOffsets in flight for it (0: none)
        bool attempted = false;    // fetched (or failed) during the waiting poll
        int retries = 0;           // leader changes retried during the waiting poll
        int buffered = 0;          // undelivered results holding records or an error
        Clock::time_point backoffUntil{};
        int64_t highWatermark = -1;
        int64_t lastStableOffset = -1;
        int64_t logStartOffset = -1;
    };

    // One partition of a fetch in flight, as it was when the request left.
    struct FetchPart {
        TopicPartition partition;
        int64_t fetchOffset = 0;
        uint64_t generation = 0;
    };

    struct InFlight {
        RequestHandle handle;
        std::vector<TopicPartition> partitions;
        bool cancelled = false;  // by a seek, assign, cancel or close of ours
    };

    // Calls to make once the lock is released: requests first, then user callbacks.
    struct Work {
        std::vector<std::function<void()>> requests;
        std::vector<std::function<void()>> callbacks;
    };

    void run(Work& work, bool fromEngineEvent = false);
    void step(Work& work);
    bool eligible(const PartitionState& s) const;
    void resetAttempts();
    void deliver(Work& work);
    void buffer(PartitionState& s, PartitionFetch fetch);
    void bufferError(PartitionState& s, Error error);
    void dropBuffered(const TopicPartition& partition);
    void backoff(PartitionState& s);
    void cancelRequestsFor(const TopicPartition& partition, Work& work);
    void armTimer(Clock::time_point at);
    void cancelTimer();
    void onTimer(uint64_t seq);

    void onMetadata(Result<std::shared_ptr<const ClusterMetadata>> result, const std::set<std::string>& topics);
    void sendFetch(int32_t leader, std::vector<TopicPartition> partitions, const ClusterMetadata& snapshot, Work& work);
    void onFetch(uint64_t requestId, const std::vector<FetchPart>& parts,
                 const std::vector<std::pair<Uuid, std::string>>& names,
                 Result<TypedResponse<protocol::FetchResponse>> result);
    void onResolved(uint64_t requestId, std::vector<ResolvedOffset> results,
                    const std::map<TopicPartition, uint64_t>& generations);
    void retrySilently(PartitionState& s, Work& work);
    void applySeek(PartitionState& s, StartPosition position, Work& work);

    const std::shared_ptr<KafkaClient> m_client;
    const ConsumerConfig m_config;

    mutable std::mutex m_mutex;
    bool m_closed = false;
    std::map<TopicPartition, PartitionState> m_partitions;
    std::vector<PartitionFetch> m_buffer;

    Consumer::PollCallback m_poll;  // the waiting poll, if any
    uint64_t m_pollId = 0;
    bool m_pollAttemptedAny = false;  // the waiting poll sent something (else it idles before answering empty)
    bool m_idleWaited = false;
    bool m_prefetch = false;  // one background round is allowed (right after a delivery)

    bool m_metadataInFlight = false;
    int m_resolvesInFlight = 0;
    uint64_t m_nextRequestId = 1;
    std::map<uint64_t, InFlight> m_inFlight;
    uint64_t m_rotation = 0;

    uint64_t m_nextGeneration = 1;
    boost::asio::steady_timer m_timer;
    uint64_t m_timerSeq = 0;  // a timer wake-up from before a re-arm or cancel is ignored
    bool m_timerArmed = false;
    Clock::time_point m_timerAt{};
};

}  // namespace partita::client::detail
