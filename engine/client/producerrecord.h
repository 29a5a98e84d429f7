// ProducerRecord and RecordMetadata: what a caller hands the producer and what a delivery reports.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace partita::client {

struct ProducerHeader {
    std::string key;
    std::optional<std::string> value;  // nullopt: a null header value (not the same as empty)
};

struct ProducerRecord {
    std::string topic;
    int32_t partition = -1;            // -1: the partitioner picks (murmur2 of the key, sticky without one)
    std::optional<std::string> key;    // nullopt: null key (not the same as an empty key)
    std::optional<std::string> value;  // nullopt: null value, a tombstone on compacted topics
    std::vector<ProducerHeader> headers;
    int64_t timestamp = -1;  // CreateTime in ms since the epoch; -1: now
};

struct RecordMetadata {
    std::string topic;
    int32_t partition = -1;
    int64_t offset = -1;               // -1 with acks=0, where the broker does not answer
    int64_t timestamp = -1;            // the record's CreateTime, or the broker's LogAppendTime for such topics
    int32_t serializedKeySize = -1;    // -1: null key
    int32_t serializedValueSize = -1;  // -1: null value
};

// Runs once per record on an engine thread, in order within a partition. An error names the
// topic-partition and Kafka's error name; client::retriable() says whether producing it again
// can help.
using DeliveryCallback = std::function<void(Result<RecordMetadata>)>;

}  // namespace partita::client
