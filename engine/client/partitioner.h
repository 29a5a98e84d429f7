// Partitioner: Kafka's default partitioner (murmur2 of the key; sticky partitions for null keys).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace partita::client {

// Java's org.apache.kafka.common.utils.Utils.murmur2 (seed 0x9747b28c), so a key lands on the
// partition every Kafka client (Java, librdkafka's murmur2_random) picks for it.
int32_t murmur2(std::span<const uint8_t> data);
int32_t murmur2(std::string_view data);

// (murmur2(key) & 0x7fffffff) % numPartitions, as the Java client's BuiltInPartitioner.
int32_t partitionForKey(std::string_view key, int32_t numPartitions);

// The random part of the sticky rule (KIP-480): records without a key stay on one partition
// until its batch is sent or full, then move to another partition picked at random among the
// available ones (those with a leader). Not thread-safe: the accumulator calls it under its lock.
class Partitioner {
public:
    explicit Partitioner(uint64_t seed);

    // A new sticky partition, different from `previous` when there is a choice. `available` lists
    // the partitions with a leader; when it is empty every partition of the topic is a candidate.
    int32_t nextStickyPartition(int32_t previous, const std::vector<int32_t>& available, int32_t numPartitions);

private:
    uint32_t random(uint32_t bound);
    uint64_t m_state;
};

}  // namespace partita::client
