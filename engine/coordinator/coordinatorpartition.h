// coordinatorPartition: the partition of __consumer_offsets or __transaction_state that owns an id.
#pragma once

#include <cstdint>
#include <string>

namespace partita::coordinator {

// abs(Java String.hashCode(id)) % partitionCount, with Kafka's abs (INT32_MIN maps to 0).
int32_t coordinatorPartition(const std::string& id, int32_t partitionCount);

}  // namespace partita::coordinator
