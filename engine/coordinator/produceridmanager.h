// ProducerIdManager: hands out producer ids for InitProducerId from blocks reserved in the cluster metadata.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <mutex>

namespace partita::coordinator {

// A block is reserved (and persisted) before any id of it is used, so a restart never hands an id
// out twice; ids left in a block at shutdown are skipped, as with Kafka's controller blocks.
class ProducerIdManager {
public:
    // Reserves `count` ids and returns the first.
    using BlockAllocator = std::function<Result<int64_t>(int32_t count)>;
    static constexpr int32_t kBlockSize = 1000;

    explicit ProducerIdManager(BlockAllocator allocator) : m_allocator(std::move(allocator)) {}

    Result<int64_t> next();

private:
    BlockAllocator m_allocator;
    std::mutex m_mutex;
    int64_t m_next = 0;
    int64_t m_end = 0;  // exclusive; m_next == m_end: a new block is needed
};

}  // namespace partita::coordinator
