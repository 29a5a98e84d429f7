// LogCompactor: the cleanable range of a log and one compaction round over it.
#include "engine/storage/logcompactor.h"

#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/storage/cleanerfilter.h"
#include "engine/storage/clock.h"
#include "engine/storage/logsegment.h"
#include "engine/storage/offsetmap.h"
#include "engine/storage/partitionlog.h"
#include "engine/storage/segmentfilenames.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <unordered_map>

namespace partita::storage {

namespace records = protocol::records;

namespace {

using SegmentList = std::vector<std::shared_ptr<LogSegment>>;

// One past the offsets a segment may hold: the next segment's base (the last one: the log end).
int64_t segmentEnd(const SegmentList& segments, size_t i, int64_t logEnd) {
    return i + 1 < segments.size() ? segments[i + 1]->baseOffset() : logEnd;
}

// MaxTimestamp of the first batch at or after `offset` in `segment`, if there is one.
std::optional<int64_t> firstBatchTimestamp(const LogSegment& segment, int64_t offset) {
    auto slice = segment.read(offset, 1, segment.size(), true);
    if (!slice || !*slice || (*slice)->empty()) return std::nullopt;
    auto bytes = (*slice)->read();
    if (!bytes) return std::nullopt;
    auto batch = records::RecordBatchView::parse(*bytes);
    if (!batch) return std::nullopt;
    return batch->maxTimestamp();
}

Error aborted(const PartitionLog& log) {
    return makeError(ErrorKind::InvalidArgument, "cleaning of " + log.dir() + " was aborted");
}

}  // namespace

LogCompactor::LogCompactor(const CleanerConfig& config, OffsetMap& map, const std::atomic<bool>& abort)
    : m_config(config), m_map(map), m_abort(abort) {}

Result<CleanableRange> LogCompactor::cleanableRange(const PartitionLog& log, int64_t checkpoint, int64_t nowMs) {
    const LogConfig config = log.config();
    const SegmentList segments = log.segments();
    const int64_t logStart = log.logStartOffset();
    const int64_t logEnd = log.logEndOffset();
    CleanableRange range;
    // A checkpoint below the log start (retention, DeleteRecords) or past the end (truncation)
    // no longer describes this log: everything from the start is dirty again, as on Kafka.
    range.firstDirtyOffset = checkpoint < logStart || checkpoint > logEnd ? logStart : checkpoint;
    range.firstUncleanableOffset = std::min(segments.back()->baseOffset(), log.highWatermark());
    const size_t inactive = segments.size() - 1;  // the active segment is never cleaned
    if (config.minCompactionLagMs > 0) {
        for (size_t i = 0; i < inactive; ++i) {
            if (segmentEnd(segments, i, logEnd) <= range.firstDirtyOffset) continue;
            Result<int64_t> largest = segments[i]->largestTimestamp();
            if (!largest) return largest.error();
            if (*largest > nowMs - config.minCompactionLagMs) {
                range.firstUncleanableOffset = std::min(range.firstUncleanableOffset, segments[i]->baseOffset());
                break;
            }
        }
    }
    range.firstUncleanableOffset = std::max(range.firstUncleanableOffset, range.firstDirtyOffset);
    const LogSegment* firstDirtySegment = nullptr;
    for (size_t i = 0; i < inactive; ++i) {
        int64_t end = segmentEnd(segments, i, logEnd);
        if (end <= range.firstDirtyOffset) {
            range.cleanBytes += segments[i]->size();
        } else if (segments[i]->baseOffset() < range.firstUncleanableOffset) {
            range.dirtyBytes += segments[i]->size();
            if (!firstDirtySegment) firstDirtySegment = segments[i].get();
        }
    }
    if (firstDirtySegment && config.maxCompactionLagMs > 0 && config.maxCompactionLagMs < kInt64Max) {
        std::optional<int64_t> first = firstBatchTimestamp(*firstDirtySegment, range.firstDirtyOffset);
        if (!first || *first < 0) {
            Result<int64_t> largest = firstDirtySegment->largestTimestamp();
            if (largest) first = *largest;
        }
        range.maxLagExceeded = first && *first >= 0 && nowMs - *first > config.maxCompactionLagMs;
    }
    return range;
}

Result<CleanStats> LogCompactor::clean(PartitionLog& log, const CleanableRange& range) {
    const auto started = std::chrono::steady_clock::now();
    const int64_t now = log.clock().nowMs();
    const LogConfig config = log.config();
    const int64_t logEnd = log.logEndOffset();
    SegmentList segments = log.segments();
    segments.pop_back();  // the active segment
    CleanStats stats;
    stats.firstDirtyOffset = range.firstDirtyOffset;
    stats.firstUncleanableOffset = range.firstUncleanableOffset;
    stats.endOffset = range.firstDirtyOffset;
    if (segments.empty()) return stats;

    // --- pass 1: the offset map over the dirty range; producers' last batches over everything ---
    m_map.reset(uint64_t(range.firstUncleanableOffset - range.firstDirtyOffset));
    std::unordered_map<int64_t, int64_t> producerLastOffsets;
    std::optional<int64_t> stoppedAt;
    Status failure;
    for (size_t i = 0; i < segments.size() && !stoppedAt && failure; ++i) {
        if (segments[i]->baseOffset() >= range.firstUncleanableOffset) break;
        Status st = segments[i]->forEachBatch([&](const records::RecordBatchView& batch) {
            if (m_abort.load(std::memory_order_relaxed)) {
                failure = aborted(log);
                return false;
            }
            stats.mapBytesRead += batch.sizeInBytes();
            if (batch.nextOffset() > range.firstUncleanableOffset) {
                stoppedAt = batch.baseOffset();
                return false;
            }
            if (batch.lastOffset() < range.firstDirtyOffset) {
                if (batch.producerId() >= 0) producerLastOffsets[batch.producerId()] = batch.lastOffset();
                return true;
            }
            if (!batch.isControl()) {
                if (!m_map.canHold(size_t(std::max(batch.recordCount(), 0)))) {
                    if (m_map.size() == 0) {
                        failure = makeError(ErrorKind::TooLarge,
                                            "log.cleaner.dedupe.buffer.size is too small for one batch of " +
                                                std::to_string(batch.recordCount()) + " records in " + log.dir());
                    }
                    stoppedAt = batch.baseOffset();
                    return false;
                }
                // Keys of a batch we cannot read stay out of the map: the filter copies that
                // batch as it is, and older records of its keys stay too (nothing is lost).
                if (batch.validate()) {
                    auto reader = records::RecordReader::open(batch, m_config.maxUncompressedBatchBytes);
                    if (reader) {
                        records::RecordView r;
                        while (reader->next(r)) {
                            if (r.key) m_map.put(*r.key, r.offset);
                        }
                    }
                }
            }
            if (batch.producerId() >= 0) producerLastOffsets[batch.producerId()] = batch.lastOffset();
            return true;
        });
        if (!st) return st.error();
    }
    if (!failure) return failure.error();
    stats.endOffset = stoppedAt.value_or(range.firstUncleanableOffset);
    stats.mapEntries = m_map.size();
    stats.mapSlots = m_map.slotCount();
    stats.mapUtilization = m_map.utilization();
    stats.bytesRead = stats.mapBytesRead;

    // --- pass 2: rewrite [first segment, end) group by group ---
    // With nothing dirty this still rewrites the clean part, as Kafka does: that is how
    // tombstones and markers past their delete horizon go.
    SegmentList toClean;
    for (auto& segment : segments) {
        if (segment->baseOffset() < stats.endOffset) toClean.push_back(segment);
    }
    if (toClean.empty()) return stats;
    std::vector<SegmentList> groups;
    for (size_t i = 0; i < toClean.size();) {
        SegmentList group{toClean[i]};
        uint64_t bytes = toClean[i]->size();
        const int64_t base = toClean[i]->baseOffset();
        size_t j = i + 1;
        for (; j < toClean.size(); ++j) {
            int64_t lastOffset = segmentEnd(segments, j, logEnd) - 1;
            if (bytes + toClean[j]->size() > uint64_t(config.segmentBytes)) break;
            if (lastOffset - base > std::numeric_limits<int32_t>::max()) break;
            bytes += toClean[j]->size();
            group.push_back(toClean[j]);
        }
        groups.push_back(std::move(group));
        i = j;
    }

    CleanerFilter filter(m_map, {now, config.deleteRetentionMs, stats.endOffset, m_config.maxUncompressedBatchBytes},
                         std::move(producerLastOffsets));
    std::vector<uint8_t> buffer;
    buffer.reserve(m_config.ioBufferSize);
    for (const SegmentList& group : groups) {
        auto created =
            LogSegment::create(log.dir(), group.front()->baseOffset(), log.segmentOptions(), now, 0, kCleanedSuffix);
        if (!created) return created.error();
        std::shared_ptr<LogSegment> cleaned = std::move(*created);
        buffer.clear();
        Status st;
        auto flushBuffer = [&]() -> Status {
            if (buffer.empty()) return {};
            Status appended = cleaned->append(buffer);
            buffer.clear();
            return appended;
        };
        for (size_t s = 0; s < group.size() && st; ++s) {
            const LogSegment& segment = *group[s];
            const uint64_t size = segment.size();
            const std::string label = segment.logPath();
            uint64_t consumed = 0;
            Status scanned = segment.forEachBatch([&](const records::RecordBatchView& batch) {
                if (m_abort.load(std::memory_order_relaxed)) {
                    st = aborted(log);
                    return false;
                }
                consumed += batch.sizeInBytes();
                stats.bytesRead += batch.sizeInBytes();
                // The group's last batch survives at least as a header: the cleaned segment then
                // ends where the group did, which is what an interrupted swap is completed by.
                const bool keepHeader = s + 1 == group.size() && consumed >= size;
                if (Status f = filter.filter(batch, keepHeader, buffer, stats, label.c_str()); !f) {
                    st = f;
                    return false;
                }
                if (buffer.size() >= m_config.ioBufferSize) {
                    if (Status f = flushBuffer(); !f) {
                        st = f;
                        return false;
                    }
                }
                return true;
            });
            if (st && !scanned) st = scanned;
        }
        if (st) st = flushBuffer();
        if (st) {
            // Retention or a truncation may have removed a segment meanwhile: swapping then
            // would bring its data back.
            SegmentList current = log.segments();
            for (auto& replaced : group) {
                if (std::find(current.begin(), current.end(), replaced) == current.end()) {
                    st = makeError(ErrorKind::InvalidArgument,
                                   "segment " + replaced->logPath() + " left the log during cleaning");
                    break;
                }
            }
        }
        if (st) {
            stats.bytesWritten += cleaned->size();
            st = log.replaceSegments({cleaned}, group);
        }
        if (!st) {
            (void)cleaned->deleteFiles();
            return st.error();
        }
        stats.segmentsReplaced += int(group.size());
        ++stats.segmentsWritten;
    }
    stats.cleaned = true;
    stats.durationMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    spdlog::info(
        "log cleaner: cleaned {} offsets [{}, {}): {} segments -> {}, {} -> {} bytes, {} records kept, {} "
        "dropped, {} ms",
        log.dir(), stats.firstDirtyOffset, stats.endOffset, stats.segmentsReplaced, stats.segmentsWritten,
        stats.bytesRead - stats.mapBytesRead, stats.bytesWritten, stats.recordsKept, stats.recordsDropped,
        stats.durationMs);
    return stats;
}

}  // namespace partita::storage
