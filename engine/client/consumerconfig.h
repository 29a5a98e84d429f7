// ConsumerConfig: the browsing consumer's settings, read from a ClientConfig under Kafka's names.
#pragma once

#include "engine/client/admintypes.h"
#include "engine/client/clientconfig.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>

namespace partita::client {

// isolation.level is IsolationLevel (admintypes.h, shared with Admin::listOffsets); its values
// are the wire values of Fetch and ListOffsets.

// auto.offset.reset: where a partition goes when it has no position or its position is out of range.
enum class OffsetResetPolicy : uint8_t { Latest, Earliest, None };

const char* isolationLevelName(IsolationLevel level);         // "read_uncommitted", "read_committed"
const char* offsetResetPolicyName(OffsetResetPolicy policy);  // "latest", "earliest", "none"

struct ConsumerConfig {
    IsolationLevel isolationLevel = IsolationLevel::ReadUncommitted;  // isolation.level
    int32_t fetchMinBytes = 1;                                        // fetch.min.bytes
    int32_t fetchMaxBytes = 52428800;                                 // fetch.max.bytes
    int32_t maxPartitionFetchBytes = 1048576;                         // max.partition.fetch.bytes
    int32_t fetchMaxWaitMs = 500;                                     // fetch.max.wait.ms
    OffsetResetPolicy autoOffsetReset = OffsetResetPolicy::Latest;    // auto.offset.reset
    bool checkCrcs = true;                                            // check.crcs

    // Not Kafka settings. A compressed batch may not inflate past this (a broker cannot make
    // the browser allocate without bound); Kafka's own limit is message.max.bytes compressed.
    size_t maxUncompressedBatchBytes = size_t(256) * 1024 * 1024;
    // Keep one fetch per leader in flight while the caller works through the previous result.
    bool prefetch = true;

    // Reads the names above from config.properties (client.rack is accepted and ignored: this
    // consumer always reads from leaders). auto.offset.reset also takes librdkafka's spellings
    // (smallest/beginning, largest/end, error). A bad value is InvalidArgument naming the key.
    static Result<ConsumerConfig> fromClientConfig(const ClientConfig& config);
};

}  // namespace partita::client
