// ProducerMetrics: counters of one producer, for the app's status bar and the CLI's summary.
#pragma once

#include <cstdint>

namespace partita::client {

struct ProducerMetrics {
    uint64_t recordsSent = 0;    // delivered (acknowledged, or written with acks=0)
    uint64_t recordsFailed = 0;  // reported to their callback with an error
    uint64_t bytesSent = 0;      // record batch bytes (compressed) of the delivered batches
    uint64_t batchesSent = 0;
    uint64_t requestsSent = 0;      // Produce requests
    uint64_t retries = 0;           // batches sent again after a retriable error
    uint64_t producerIdResets = 0;  // new producer ids after a sequence was lost (idempotence)
    int64_t requestsInFlight = 0;
    int64_t recordsQueued = 0;  // produced but not yet delivered or failed
    int64_t bufferedBytes = 0;  // counted against buffer.memory
};

}  // namespace partita::client
