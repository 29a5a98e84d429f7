// CoordinatorTopic: what a coordinator needs of the broker it runs in, its internal topic's logs.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <memory>
#include <span>

namespace partita::storage {
class PartitionLog;
}

namespace partita::coordinator {

// __consumer_offsets for the group coordinator, __transaction_state for the transaction coordinator.
class CoordinatorTopic {
public:
    virtual ~CoordinatorTopic() = default;
    virtual bool exists() = 0;
    // The log of one partition of the topic, creating the topic on first use.
    virtual Result<std::shared_ptr<storage::PartitionLog>> partitionLog(int32_t partition) = 0;
    // Appends a batch the coordinator built as the partition's leader: committed (high watermark
    // moved) when this returns, and waiting fetches of the topic woken.
    virtual Status append(int32_t partition, std::span<uint8_t> batch) = 0;
};

}  // namespace partita::coordinator
