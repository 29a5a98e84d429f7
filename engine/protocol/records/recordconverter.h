// Record set conversions a broker makes on produce: legacy sets up to magic 2, batches to the topic's codec.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/compression.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace partita::protocol::records {

struct UpConvertOptions {
    // Codec of the batches written (Kafka uses the topic's compression.type, or the producer's
    // codec when that is "producer").
    CompressionType compression = CompressionType::None;
    std::optional<int> level;
    // Limit on each decompressed legacy wrapper value.
    size_t maxUncompressed = 64u << 20;
};

// Converts a record set into magic-2 batches. Each run of consecutive legacy entries becomes
// one batch; magic-2 batches already in the set are copied as they are. An incomplete trailing
// entry is dropped. In a batch, offsets keep their distance from the run's first offset when
// they strictly increase (stored data); otherwise (producers often send all zeros, and the
// leader assigns offsets anyway) records get consecutive offset deltas 0, 1, 2, ...
// Magic-0 messages have no timestamp and become kNoTimestamp; magic-1 timestamps are kept,
// with the wrapper's for LogAppendTime wrappers, and the batch is CreateTime.
Result<std::vector<uint8_t>> upConvertToV2(const Bytes& records, const UpConvertOptions& options = {});

// Fetch v0-3 answers old clients in the format they read: the records of magic-2 batches as an
// uncompressed magic-0 (Fetch v0-1) or magic-1 (v2-3) message set with the same offsets (runs of
// consecutive offsets share one encode; compaction gaps stay gaps). Headers cannot be carried and
// are dropped, as Kafka drops them; control batches are left out.
Result<std::vector<uint8_t>> downConvertToLegacy(const Bytes& records, int8_t magic, size_t maxUncompressed);

// A topic's compression.type other than "producer": every data batch not already in `target` is
// decoded and re-encoded with it, keeping offsets deltas, timestamps, keys, values, headers and the
// producer fields (id, epoch, base sequence, transactional flag). Control batches stay as they are.
// Returns nothing when every batch already uses `target` (no copy needed). Records must be magic 2.
Result<std::optional<std::vector<uint8_t>>> recompressBatches(const Bytes& records, CompressionType target,
                                                              std::optional<int> level, size_t maxUncompressed);

}  // namespace partita::protocol::records
