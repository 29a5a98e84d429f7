// Consumer: the browsing consumer (assign, seek, poll) the message browser and the CLI read with.
#pragma once

#include "engine/client/admintypes.h"
#include "engine/client/consumerconfig.h"
#include "engine/client/consumerfetchresult.h"
#include "engine/client/consumerstartposition.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace partita::client {

class KafkaClient;

namespace detail {
class ConsumerCore;
}

// Cancels a poll still waiting: its callback runs once with a Cancelled error (unless it
// already ran) and its fetches are abandoned; positions do not move.
class PollHandle {
public:
    PollHandle() = default;
    PollHandle(std::weak_ptr<detail::ConsumerCore> core, uint64_t id) : m_core(std::move(core)), m_id(id) {}
    void cancel();

private:
    std::weak_ptr<detail::ConsumerCore> m_core;
    uint64_t m_id = 0;
};

// No group: the caller assigns partitions and seeks. Every call returns at once; poll's callback
// runs on an engine thread. Methods may be called from any thread.
//
// A poll sends one Fetch to each leader of the assigned partitions (resolving seeks with
// ListOffsets first) and completes as soon as records or errors are there, or when every
// leader answered (after at most fetch.max.wait.ms) with nothing. With prefetch on, the next
// fetch is already in flight while the caller works through a result.
class Consumer {
public:
    using PollCallback = std::function<void(Result<FetchResult>)>;

    Consumer(std::shared_ptr<KafkaClient> client, ConsumerConfig config);
    ~Consumer();  // close()
    Consumer(const Consumer&) = delete;
    Consumer& operator=(const Consumer&) = delete;

    const ConsumerConfig& config() const;

    // Replaces the assignment. Partitions kept keep their positions; new ones start where
    // auto.offset.reset says (latest, earliest; none: the poll reports an error until a seek).
    void assign(std::vector<TopicPartition> partitions);
    void unassign();
    std::vector<TopicPartition> assignment() const;

    // Moves an assigned partition (InvalidArgument if it is not assigned or the offset or
    // count is negative). Records fetched but not yet returned are dropped. Positions other
    // than an offset are resolved by the next poll.
    Status seek(const TopicPartition& partition, StartPosition position);
    // Every assigned partition.
    Status seek(StartPosition position);

    // One poll at a time: a second poll while one waits fails with InvalidArgument.
    PollHandle poll(PollCallback done);

    // The next offset poll returns for the partition (nullopt while a seek is being resolved
    // or the partition is not assigned).
    std::optional<int64_t> position(const TopicPartition& partition) const;
    // As of the last Fetch answer for the partition (nullopt before one).
    std::optional<int64_t> highWatermark(const TopicPartition& partition) const;
    std::optional<int64_t> lastStableOffset(const TopicPartition& partition) const;
    std::optional<int64_t> logStartOffset(const TopicPartition& partition) const;

    // A paused partition is not fetched and what was fetched for it is held back until resume.
    Status pause(const TopicPartition& partition);
    Status resume(const TopicPartition& partition);
    bool isPaused(const TopicPartition& partition) const;

    // Abandons the fetches in flight; a waiting poll gets Cancelled; later polls fail. The
    // KafkaClient is left open (it is shared).
    void close();

private:
    std::shared_ptr<detail::ConsumerCore> m_core;
};

}  // namespace partita::client
