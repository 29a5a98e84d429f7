// ProducerSender: the producer's engine side: metadata lookups, Produce requests per leader,
// responses, retries, delivery timeouts, idempotence, flush and close.
#pragma once

#include "engine/client/kafkaclient.h"
#include "engine/client/producerconfig.h"
#include "engine/client/produceridempotence.h"
#include "engine/client/producermetrics.h"
#include "engine/client/producerrecord.h"
#include "engine/client/recordaccumulator.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace partita::client {

// Everything but produce()'s append runs on one strand of the client's io_context, so the
// sender's state needs no lock; produce() only takes the accumulator's lock and, now and then
// (a batch is ready, a linger timer is needed), posts a wake-up.
//
// Order within a partition: batches leave in the order they were closed; a batch that has to be
// sent again goes back in its place, and such a batch (and what follows it) is sent only when
// nothing else of its partition is in flight, so a retry cannot overtake or be overtaken.
class ProducerSender : public std::enable_shared_from_this<ProducerSender> {
public:
    using Clock = std::chrono::steady_clock;
    using FlushCallback = std::function<void(Status)>;

    ProducerSender(std::shared_ptr<KafkaClient> client, ProducerConfig config);
    ~ProducerSender();

    const ProducerConfig& config() const { return m_config; }

    Status produce(const ProducerRecord& record, DeliveryCallback done);
    void flush(FlushCallback done);
    void close(FlushCallback done);
    ProducerMetrics metrics() const;

private:
    struct PartitionQueue {
        std::string topic;
        int32_t partition = 0;
        std::deque<std::unique_ptr<ProducerBatch>> queue;  // by ordinal
        int64_t nextOrdinal = 0;
        int inFlight = 0;
        int resendsInFlight = 0;
        std::vector<int64_t> inFlightOrdinals;
        Clock::time_point backoffUntil{};
        bool active = false;  // listed in m_active
        int32_t nextSequence = 0;
        uint64_t sequenceGeneration = 0;
        uint64_t ackedGeneration = 0;  // a batch of this producer id generation was acknowledged
    };
    struct InFlightRequest {
        int32_t node = -1;
        std::vector<std::unique_ptr<ProducerBatch>> batches;
    };
    struct QueueKeyHash {
        size_t operator()(const std::pair<std::string, int32_t>& key) const {
            return std::hash<std::string>()(key.first) * 31 + size_t(key.second);
        }
    };

    void wake();
    void run();
    void enqueue(std::unique_ptr<ProducerBatch> batch);
    PartitionQueue& queueFor(const ProducerBatch& batch);
    void activate(PartitionQueue& queue);
    void expireQueued(Clock::time_point now);
    void sendReady(Clock::time_point now);
    bool canSendHead(const PartitionQueue& queue) const;
    // Builds or restamps the head batch of `queue`; false when it failed (and was reported).
    bool prepareHead(PartitionQueue& queue);
    void sendRequest(int32_t node, std::vector<std::unique_ptr<ProducerBatch>> batches);
    void onResponse(const std::shared_ptr<InFlightRequest>& request, Result<Response> result);
    void handleError(std::unique_ptr<ProducerBatch> batch, Error error, bool retriable, Clock::time_point now);
    bool earlierUnresolved(const PartitionQueue& queue, const ProducerBatch& batch) const;
    void requeue(std::unique_ptr<ProducerBatch> batch, Clock::time_point now, bool backoff);
    void succeed(std::unique_ptr<ProducerBatch> batch, int64_t baseOffset, int64_t logAppendTime);
    void failBatch(std::unique_ptr<ProducerBatch> batch, const Error& error);
    void finish(std::unique_ptr<ProducerBatch> batch);

    void lookupTopic(const std::string& topic);
    void onLookup(const std::string& topic, Result<std::shared_ptr<const ClusterMetadata>> result);
    void requestMetadataRefresh();
    void maybeRefreshMetadata(Clock::time_point now);

    void initProducerId(Clock::time_point now);
    void resetProducerId();
    void fatal(const Error& error);

    void schedule(Clock::time_point now);
    void arm(Clock::time_point at);

    std::shared_ptr<KafkaClient> m_client;
    const ProducerConfig m_config;
    RecordAccumulator m_accumulator;
    boost::asio::strand<boost::asio::io_context::executor_type> m_strand;
    boost::asio::steady_timer m_timer;
    std::atomic<bool> m_wakePending{false};

    // Strand state.
    Clock::time_point m_timerAt = Clock::time_point::max();
    Clock::time_point m_nextQueueEvent = Clock::time_point::max();  // a backoff or a deadline ahead
    bool m_stopped = false;
    std::optional<Error> m_fatal;
    std::unordered_map<std::pair<std::string, int32_t>, std::unique_ptr<PartitionQueue>, QueueKeyHash> m_queues;
    std::vector<PartitionQueue*> m_active;  // queues with batches waiting
    std::unordered_map<int32_t, int> m_brokerInFlight;
    std::unordered_map<int32_t, std::vector<PartitionQueue*>> m_byLeader;  // reused by sendReady
    std::vector<std::unique_ptr<ProducerBatch>> m_drained;                 // reused by run
    ProducerIdempotence m_idempotence;
    std::set<std::string> m_lookups;                           // metadataFor in flight
    std::map<std::string, Clock::time_point> m_lookupRetries;  // topic -> when to ask again
    bool m_refreshWanted = false;
    bool m_refreshInFlight = false;
    Clock::time_point m_lastRefresh{};
    std::shared_ptr<const ClusterMetadata> m_seenMetadata;

    // Metrics, read from any thread.
    std::atomic<uint64_t> m_recordsSent{0};
    std::atomic<uint64_t> m_recordsFailed{0};
    std::atomic<uint64_t> m_bytesSent{0};
    std::atomic<uint64_t> m_batchesSent{0};
    std::atomic<uint64_t> m_requestsSent{0};
    std::atomic<uint64_t> m_retries{0};
    std::atomic<uint64_t> m_producerIdResets{0};
    std::atomic<int64_t> m_requestsInFlight{0};
};

}  // namespace partita::client
