// CoordinatorTopic: what a coordinator needs of the broker it runs in, its internal topic's logs.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <memory>

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
    // Records were appended: waiting fetches of the topic may read them.
    virtual void appended() = 0;
};

}  // namespace partita::coordinator
