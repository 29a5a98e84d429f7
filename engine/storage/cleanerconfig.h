// CleanerConfig and CleanStats: the log cleaner's broker-level settings and what one cleaning round did.
#pragma once

#include <cstddef>
#include <cstdint>

namespace partita::storage {

// Kafka's broker settings of the same names (log.cleaner.*), with Kafka's defaults.
struct CleanerConfig {
    size_t dedupeBufferSize = 128 * 1024 * 1024;  // log.cleaner.dedupe.buffer.size: the offset map's budget
    size_t ioBufferSize = 512 * 1024;             // log.cleaner.io.buffer.size: the write buffer
    int64_t backoffMs = 15000;                    // log.cleaner.backoff.ms: sleep when nothing is cleanable
    // Decompression limit for one batch; a batch over it is copied as it is rather than cleaned.
    size_t maxUncompressedBatchBytes = 64 * 1024 * 1024;
};

// One round on one log. "Read" counts every byte the round scanned (the offset map pass and the
// rewrite pass), "written" the bytes of the cleaned segments.
struct CleanStats {
    bool cleaned = false;          // false: nothing was cleanable, nothing changed
    int64_t firstDirtyOffset = 0;  // where the dirty range started
    int64_t endOffset = 0;         // the first offset not in the map: the next round's first dirty offset
    int64_t firstUncleanableOffset = 0;
    uint64_t mapBytesRead = 0;  // scanned to build the offset map
    uint64_t bytesRead = 0;     // scanned in total (map pass + rewrite pass)
    uint64_t bytesWritten = 0;
    int64_t recordsRead = 0;  // records of the segments that were rewritten
    int64_t recordsKept = 0;
    int64_t recordsDropped = 0;  // superseded, expired tombstones, expired markers
    int64_t tombstonesDropped = 0;
    int64_t markersDropped = 0;
    int64_t batchesCopied = 0;     // byte for byte
    int64_t batchesRewritten = 0;  // re-encoded (records dropped or a delete horizon set)
    int64_t batchesEmptied = 0;    // kept as an empty header (last batch of a producer or of a group)
    int64_t batchesDropped = 0;
    int64_t corruptBatchesCopied = 0;
    int segmentsReplaced = 0;
    int segmentsWritten = 0;
    size_t mapEntries = 0;
    size_t mapSlots = 0;
    double mapUtilization = 0;  // entries / slots of the offset map
    int64_t durationMs = 0;
};

}  // namespace partita::storage
