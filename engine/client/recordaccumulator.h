// RecordAccumulator: the open batch of every partition, batches ready to send, records waiting for
// their topic's metadata, buffer.memory accounting and flush() generations.
#pragma once

#include "engine/client/partitioner.h"
#include "engine/client/producerbatch.h"
#include "engine/client/producerconfig.h"
#include "engine/client/producerrecord.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/result.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace partita::client {

struct ClusterMetadata;
struct TopicInfo;

// One mutex guards everything here and is never held while a callback runs or I/O happens:
// produce() threads append under it, the sender's strand drains under it. Records of a topic
// whose partition count is not known yet wait (copied) until the sender has looked it up.
class RecordAccumulator {
public:
    using Clock = std::chrono::steady_clock;
    using FlushCallback = std::function<void(Status)>;

    explicit RecordAccumulator(const ProducerConfig& config);
    ~RecordAccumulator();

    enum class Outcome {
        Appended,            // in a batch
        WaitingForMetadata,  // kept until the topic's partitions are known
        Failed,              // `error` concerns the record; the callback was not taken
        Refused,             // `error` concerns the producer (closed, buffer full); the callback was not taken
    };
    struct AppendResult {
        Outcome outcome = Outcome::Appended;
        bool wakeSender = false;   // a batch is ready, or the first open batch needs a linger timer
        bool lookupTopic = false;  // the sender should look the topic up
        std::optional<Error> error;
    };
    // Takes `done` (moves from it) only for Appended and WaitingForMetadata.
    AppendResult append(const ProducerRecord& record, DeliveryCallback& done);

    // Callbacks collected under the lock, run after it is released: failed records first, then
    // the flush() callbacks they completed.
    struct Completions {
        struct Failure {
            DeliveryCallback done;
            Error error;
        };
        std::vector<Failure> failures;
        std::vector<FlushCallback> flushed;
        void run();
    };

    // The sender learned the topic's partitions: records waiting for them go into batches.
    // Returns whether a batch became ready.
    bool applyTopic(const TopicInfo& topic, Completions& completions);
    // Partition counts and leaders of every topic already known (a metadata refresh).
    void updatePartitions(const ClusterMetadata& metadata);
    // The topic's lookup failed for good: its waiting records fail.
    void failTopic(const std::string& topic, const Error& error, Completions& completions);
    // Its lookup failed and will be retried: records past delivery.timeout.ms fail now. Returns
    // whether records still wait.
    bool expireWaiting(const std::string& topic, Clock::time_point now, const Error& lastError,
                       Completions& completions);
    std::vector<std::string> topicsWaitingForMetadata() const;

    // Moves the batches that are ready (full, lingered long enough, flushed) to `out`, in order.
    void drain(Clock::time_point now, std::vector<std::unique_ptr<ProducerBatch>>& out);
    // When the oldest open batch's linger ends (Clock::now() when batches are ready already).
    std::optional<Clock::time_point> nextReadyTime();
    // Closes every open batch and returns a flush generation: flushed(generation) once every
    // record appended (or waiting) before is done. Returns true when nothing is outstanding.
    // Takes `done` (moves from it) only when it has to wait.
    bool flush(FlushCallback& done);
    // A batch of the sender is done (its callbacks ran): memory and flush bookkeeping.
    void batchDone(const ProducerBatch& batch, Completions& completions);
    void releaseBuilder(protocol::records::RecordBatchBuilder builder);

    // No more appends (close(), or a fatal error such as a refused producer id).
    void refuseAppends(Error why);
    // Takes every open and ready batch and every waiting record (a fatal error).
    void takeAll(std::vector<std::unique_ptr<ProducerBatch>>& batches, Completions& completions, const Error& why);

    int64_t bufferedBytes() const { return m_bufferedBytes.load(std::memory_order_relaxed); }
    int64_t queuedRecords() const { return m_queuedRecords.load(std::memory_order_relaxed); }

private:
    struct Waiting {
        ProducerRecord record;
        DeliveryCallback done;
        int64_t timestamp;
        uint64_t flushEpoch;
        Clock::time_point createdAt;
        int64_t charged;
    };
    struct TopicState {
        std::string name;
        int32_t numPartitions = -1;  // -1: not looked up yet
        std::vector<int32_t> available;
        std::vector<std::unique_ptr<ProducerBatch>> open;  // per partition
        int32_t sticky = -1;
        std::vector<Waiting> waiting;
    };
    struct OpenEntry {  // open batches in creation order, which is linger order
        TopicState* topic;
        int32_t partition;
        uint64_t batchId;
    };

    Result<int32_t> choosePartition(TopicState& topic, const ProducerRecord& record, size_t size, bool& wake);
    // Appends under the lock into the partition's open batch (closing a full one first).
    Status appendLocked(TopicState& topic, int32_t partition, const ProducerRecord& record, int64_t timestamp,
                        DeliveryCallback&& done, uint64_t flushEpoch, int64_t charged, Clock::time_point now,
                        bool& wake);
    void closeOpen(TopicState& topic, int32_t partition);
    void retire(uint64_t flushEpoch, Completions& completions);
    // A waiting record that will not go into a batch: its memory and flush unit.
    void dropWaiting(Waiting& waiting, Error error, Completions& completions);
    bool fitsInOpen(const TopicState& topic, int32_t partition, size_t size) const;
    void setPartitionCount(TopicState& topic, int32_t count);

    const ProducerConfig m_config;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::unique_ptr<TopicState>> m_topics;
    std::deque<OpenEntry> m_openOrder;
    int64_t m_openCount = 0;
    std::vector<std::unique_ptr<ProducerBatch>> m_ready;
    std::vector<protocol::records::RecordBatchBuilder> m_builderPool;
    Partitioner m_partitioner;
    uint64_t m_nextBatchId = 1;
    std::optional<Error> m_refusal;

    // flush(): outstanding units (batches, waiting records) per generation, and the waiters.
    uint64_t m_flushEpoch = 0;
    std::map<uint64_t, int64_t> m_outstanding;
    std::vector<std::pair<uint64_t, FlushCallback>> m_flushWaiters;

    std::atomic<int64_t> m_bufferedBytes{0};
    std::atomic<int64_t> m_queuedRecords{0};
};

}  // namespace partita::client
