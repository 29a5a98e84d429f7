// ProducerConfig: the producer's settings, read from a ClientConfig under Kafka's names.
#pragma once

#include "engine/client/clientconfig.h"
#include "engine/protocol/records/compression.h"
#include "engine/protocol/result.h"

#include <cstdint>

namespace partita::client {

struct ProducerConfig {
    // acks: 0 (no answer), 1 (the leader wrote it) or -1 ("all": every in-sync replica has it).
    int16_t acks = -1;
    int32_t lingerMs = 5;       // linger.ms (Kafka 3.9+ and librdkafka default)
    int32_t batchSize = 16384;  // batch.size: bytes of records before a batch closes
    protocol::records::CompressionType compression = protocol::records::CompressionType::None;  // compression.type
    bool idempotence = true;                                                                    // enable.idempotence
    int32_t maxInFlight = 5;             // max.in.flight.requests.per.connection
    int32_t retries = 2147483647;        // retries
    int32_t deliveryTimeoutMs = 120000;  // delivery.timeout.ms
    int32_t requestTimeoutMs = 30000;    // request.timeout.ms (from the ClientConfig)
    int32_t retryBackoffMs = 100;        // retry.backoff.ms (from the ClientConfig)
    int64_t bufferMemory = 33554432;     // buffer.memory: bytes of records waiting for delivery
    int32_t maxRequestSize = 1048576;    // max.request.size: bytes of batches in one Produce request

    // Reads the names above (and librdkafka's spellings: request.required.acks,
    // queue.buffering.max.ms, compression.codec, message.timeout.ms, message.send.max.retries,
    // max.in.flight) from config.properties, with Java's rules: idempotence is on unless acks is
    // not "all" or max.in.flight is over 5, and asking for it explicitly with either is an error.
    // partitioner may be "murmur2", "murmur2_random" or "default" (all the Java default
    // partitioner); transactional.id is refused (not supported yet). A bad value is
    // InvalidArgument naming the key.
    static Result<ProducerConfig> fromClientConfig(const ClientConfig& config);

    // Checks a config built by hand the same way.
    Status validate() const;
};

}  // namespace partita::client
