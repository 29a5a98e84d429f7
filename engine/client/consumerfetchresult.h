// FetchResult: what one poll of the browsing consumer returns, per partition.
#pragma once

#include "engine/client/admintypes.h"
#include "engine/client/fetchedrecords.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace partita::client {

// One partition's part of a poll: records still as bytes (decoded when iterated), the offsets
// the leader reported, and what went wrong, if anything.
struct PartitionFetch {
    TopicPartition partition;
    FetchedRecords records;
    int64_t fetchOffset = -1;  // the position this fetch started at
    // The position after this result (past skipped control and aborted batches too); equals
    // fetchOffset when nothing was returned or on an error.
    int64_t nextOffset = -1;
    int64_t highWatermark = -1;
    int64_t lastStableOffset = -1;
    int64_t logStartOffset = -1;
    // Network (the leader could not be reached), Corrupt (a CRC mismatch or undecodable set:
    // records before it are still in `records`), OutOfRange (auto.offset.reset=none), TooLarge,
    // or Broker with Kafka's code (UNKNOWN_TOPIC_OR_PARTITION, TOPIC_AUTHORIZATION_FAILED, ...).
    // Leader changes are retried without being reported.
    std::optional<Error> error;
};

struct FetchResult {
    // At most one entry per partition; partitions that returned nothing may be listed (with
    // their watermarks) or not.
    std::vector<PartitionFetch> partitions;

    bool hasRecords() const {
        for (const auto& p : partitions)
            if (!p.records.empty()) return true;
        return false;
    }
    size_t sizeInBytes() const {
        size_t total = 0;
        for (const auto& p : partitions) total += p.records.sizeInBytes();
        return total;
    }
};

}  // namespace partita::client
