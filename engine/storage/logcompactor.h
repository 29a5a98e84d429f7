// LogCompactor: one compaction round over one log: its cleanable range, offset map, rewrite and swap.
#pragma once

#include "engine/protocol/result.h"
#include "engine/storage/cleanerconfig.h"

#include <atomic>
#include <cstdint>

namespace partita::storage {

class OffsetMap;
class PartitionLog;

// What a log offers the cleaner now (Kafka's LogToClean with its cleanable offsets).
struct CleanableRange {
    int64_t firstDirtyOffset = 0;        // the cleaner checkpoint, moved up to the log start offset
    int64_t firstUncleanableOffset = 0;  // min(active segment base, first segment within min.compaction.lag.ms, HW)
    uint64_t cleanBytes = 0;             // segments wholly below the first dirty offset
    uint64_t dirtyBytes = 0;             // the other segments below the first uncleanable offset
    bool maxLagExceeded = false;         // the oldest dirty record is older than max.compaction.lag.ms

    double dirtyRatio() const {
        uint64_t total = cleanBytes + dirtyBytes;
        return total == 0 ? 0.0 : double(dirtyBytes) / double(total);
    }
};

// The round works on inactive segments only and streams them batch by batch (one read chunk,
// one write buffer of log.cleaner.io.buffer.size), so memory is the offset map plus a few
// batches. The log's lock is taken only by PartitionLog::replaceSegments for the swap; appends
// and reads go on meanwhile, and readers keep reading replaced segments they already hold.
class LogCompactor {
public:
    // `abort` is polled between batches; when set the round stops and leaves the log as it was
    // (groups already swapped stay swapped: each is a complete, valid result).
    LogCompactor(const CleanerConfig& config, OffsetMap& map, const std::atomic<bool>& abort);

    // `checkpoint` is the first dirty offset the cleaner remembers (0 if none).
    static Result<CleanableRange> cleanableRange(const PartitionLog& log, int64_t checkpoint, int64_t nowMs);

    // Builds the offset map over the dirty range (stopping at a batch boundary when it is full),
    // then rewrites every segment from the log's first up to the map's end, in groups that fit
    // segment.bytes and int32 relative offsets. stats.endOffset is the next first dirty offset.
    Result<CleanStats> clean(PartitionLog& log, const CleanableRange& range);

private:
    const CleanerConfig m_config;
    OffsetMap& m_map;
    const std::atomic<bool>& m_abort;
};

}  // namespace partita::storage
