// Producer: sends records to a cluster in batches, with Kafka's partitioner, acks, retries and idempotence.
#pragma once

#include "engine/client/producerconfig.h"
#include "engine/client/producermetrics.h"
#include "engine/client/producerrecord.h"
#include "engine/protocol/result.h"

#include <functional>
#include <memory>

namespace partita::client {

class KafkaClient;
class ProducerSender;

// Thread-safe; produce() never blocks on the network. Delivery callbacks run on the client's
// engine threads, in order within a partition; a callback must not block for long (it holds up
// the producer's other deliveries).
//
//   auto producer = Producer::create(client);  // settings from client->config().properties
//   producer.value()->produce({.topic = "orders", .key = "42", .value = "..."},
//                             [](Result<RecordMetadata> r) { ... });
//   producer.value()->flush([](Status) { ... });
class Producer {
public:
    Producer(std::shared_ptr<KafkaClient> client, ProducerConfig config);
    // Reads the producer's settings from the client's properties (ProducerConfig::fromClientConfig).
    static Result<std::unique_ptr<Producer>> create(std::shared_ptr<KafkaClient> client);
    // Starts close() without waiting: records already produced are still delivered and reported.
    ~Producer();
    Producer(const Producer&) = delete;
    Producer& operator=(const Producer&) = delete;

    const ProducerConfig& config() const;

    // Queues the record and returns at once. An error here means the producer did not take the
    // record (closed, buffer.memory full, a fatal idempotence error, an invalid config) and
    // `done` will not run; then wait for deliveries (or flush) and produce again. Otherwise
    // `done` (may be empty) runs exactly once with the record's offset or an error naming the
    // topic-partition (unknown topic, no such partition, MESSAGE_TOO_LARGE, delivery.timeout.ms ...).
    Status produce(const ProducerRecord& record, DeliveryCallback done = {});

    // `done` runs once every record produced before the call is delivered or failed; linger.ms is
    // skipped for them. It reports success even when some of those records failed: their own
    // callbacks say so.
    void flush(std::function<void(Status)> done);

    // Refuses new records, flushes, then stops; `done` (may be empty) runs after the flush.
    void close(std::function<void(Status)> done = {});

    ProducerMetrics metrics() const;

private:
    std::shared_ptr<ProducerSender> m_sender;
};

}  // namespace partita::client
