// PartitionLog's loading: leftovers of interrupted work, which segments to trust, recovery of the rest.
#include "engine/protocol/records/recordbatch.h"
#include "engine/storage/clock.h"
#include "engine/storage/filehandle.h"
#include "engine/storage/leaderepochcache.h"
#include "engine/storage/partitionlog.h"
#include "engine/storage/producerstatetable.h"
#include "engine/storage/segmentfilenames.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace partita::storage {

namespace fs = std::filesystem;
namespace records = protocol::records;

Status PartitionLog::load(const LoadState& state) {
    auto epochs = LeaderEpochCache::open(m_dir);
    if (!epochs) return epochs.error();
    m_leaderEpochCache = std::move(*epochs);
    m_producerState = std::make_unique<ProducerStateTable>();

    if (Status st = completeInterruptedSwaps(); !st) return st;
    std::set<int64_t> bases;
    std::set<int64_t> missingIndexes;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(m_dir, ec)) {
        std::string name = entry.path().filename().string();
        // Leftovers of work a crash interrupted: deletions, unfinished cleaning, checkpoint temps.
        if (name.ends_with(kDeletedSuffix) || name.ends_with(kCleanedSuffix) || name.ends_with(".tmp")) {
            fs::remove(entry.path(), ec);
            continue;
        }
        std::optional<int64_t> base = baseOffsetOfFileName(name);
        if (base && name.ends_with(".log")) bases.insert(*base);
    }
    if (ec) return fileError("cannot list", m_dir, ec.value());
    SegmentOptions options{m_config.indexIntervalBytes, m_config.segmentIndexBytes, m_config.preallocate,
                           m_handleCache};
    for (int64_t base : bases) {
        // Index files without their log (a crash mid-deletion) are dropped by create(); a log
        // without its indexes is rebuilt by recovery.
        if (!fs::exists(LogSegment::filePath(m_dir, base, kIndexExtension)) ||
            !fs::exists(LogSegment::filePath(m_dir, base, kTimeIndexExtension))) {
            missingIndexes.insert(base);
        }
        bool last = base == *bases.rbegin();
        auto segment = LogSegment::load(m_dir, base, options, last);
        if (!segment) return segment.error();
        m_segments.emplace(base, std::move(*segment));
    }
    if (m_segments.empty()) {
        int64_t start = std::max<int64_t>(state.logStartOffset, 0);
        auto segment = LogSegment::create(m_dir, start, options, m_clock.nowMs(), rollJitterMs());
        if (!segment) return segment.error();
        m_segments.emplace(start, std::move(*segment));
        m_nextOffset = start;
        m_logStartOffset = start;
        m_recoveryPoint = start;
        m_highWatermark = start;
        (void)m_leaderEpochCache->clearAndFlush();
        return syncDirectory(m_dir);
    }

    // Which segments to re-validate: after an unclean shutdown, those from the one holding the
    // recovery point on; after a clean one, only those whose indexes are missing or insane.
    size_t recoverFromIndex = m_segments.size();
    size_t i = 0;
    for (auto it = m_segments.begin(); it != m_segments.end(); ++it, ++i) {
        auto next = std::next(it);
        bool holdsRecoveryPoint = next == m_segments.end() || next->first > state.recoveryPoint;
        if (!state.cleanShutdown && holdsRecoveryPoint) {
            recoverFromIndex = std::min(recoverFromIndex, i);
        }
        if (missingIndexes.count(it->first)) recoverFromIndex = std::min(recoverFromIndex, i);
    }
    if (state.cleanShutdown && recoverFromIndex == m_segments.size()) {
        Result<bool> sane = activeLocked()->indexesAreSane();
        if (!sane || !*sane) recoverFromIndex = m_segments.size() - 1;
    }

    if (recoverFromIndex < m_segments.size()) {
        if (Status st = recoverFrom(recoverFromIndex); !st) return st;
    } else {
        Result<int64_t> next = activeLocked()->readNextOffset();
        if (!next) return next.error();
        m_nextOffset = *next;
        // A clean shutdown wrote a snapshot at the log end; without one, producer state is rebuilt.
        auto loaded = m_producerState->loadLatestSnapshot(m_dir, m_nextOffset);
        if (!loaded || !*loaded || **loaded != m_nextOffset) {
            m_producerState->clear();
            for (auto& [base, segment] : m_segments) {
                Status st = segment->forEachBatch([this](const records::RecordBatchView& batch) {
                    noteBatch(batch);
                    return true;
                });
                if (!st) return st;
            }
        }
    }

    m_logStartOffset = std::clamp(state.logStartOffset, m_segments.begin()->first, m_nextOffset);
    m_recoveryPoint = m_nextOffset;
    m_highWatermark = std::clamp(state.highWatermark.value_or(m_nextOffset), m_logStartOffset, m_nextOffset);
    (void)m_leaderEpochCache->truncateFromEnd(m_nextOffset);
    (void)m_leaderEpochCache->truncateFromStart(m_logStartOffset);
    (void)ProducerStateTable::deleteSnapshotsFrom(m_dir, m_nextOffset + 1);
    m_lastFlushMs = m_clock.nowMs();
    return {};
}

Status PartitionLog::recoverFrom(size_t firstSegmentIndex) {
    auto it = std::next(m_segments.begin(), long(firstSegmentIndex));
    // Producer state and leader epochs up to the first re-validated segment come from what is
    // trusted; the re-validated batches replay into them.
    m_producerState->clear();
    auto loaded = m_producerState->loadLatestSnapshot(m_dir, it->first);
    int64_t replayFrom = (loaded && *loaded) ? **loaded : m_segments.begin()->first;
    if (replayFrom != it->first || !loaded || !*loaded) {
        m_producerState->clear();
        replayFrom = m_segments.begin()->first;
    }
    for (auto trusted = m_segments.find(replayFrom); trusted != m_segments.end() && trusted != it; ++trusted) {
        Status st = trusted->second->forEachBatch([this](const records::RecordBatchView& batch) {
            noteBatch(batch);
            return true;
        });
        if (!st) return st;
    }
    (void)m_leaderEpochCache->truncateFromEnd(it->first);

    int64_t expectedNext = it->first;
    for (; it != m_segments.end(); ++it) {
        auto& segment = it->second;
        if (it->first < expectedNext) {
            // Overlaps a batch of the previous segment: cannot be trusted.
            break;
        }
        Result<SegmentRecovery> recovered = segment->recover([this, &segment](const records::RecordBatchView& batch) {
            if (auto aborted = noteBatch(batch)) (void)segment->appendAbortedTxn(*aborted);
            (void)m_leaderEpochCache->assign(batch.partitionLeaderEpoch(), batch.baseOffset());
        });
        if (!recovered) return recovered.error();
        expectedNext = recovered->nextOffset;
        if (recovered->truncatedBytes > 0) {
            std::string note =
                "cut " + std::to_string(recovered->truncatedBytes) + " bytes: " + recovered->truncationReason;
            spdlog::warn("recovery of {}: {}", m_dir, note);
            m_recoveryReport.push_back(std::move(note));
            ++it;
            break;
        }
    }
    // Everything after a cut (or an overlap) is after the damage: it goes.
    std::vector<std::shared_ptr<LogSegment>> dropped;
    for (auto drop = it; drop != m_segments.end(); ++drop) dropped.push_back(drop->second);
    for (auto& segment : dropped) {
        std::string note = "deleted segment " + segment->logPath() + " (" + std::to_string(segment->size()) +
                           " bytes) after the damaged tail";
        spdlog::warn("recovery of {}: {}", m_dir, note);
        m_recoveryReport.push_back(std::move(note));
        m_segments.erase(segment->baseOffset());
        if (Status st = segment->deleteFiles(); !st) return st;
    }
    // Every segment but the last is inactive again; the last stays writable.
    for (auto& [base, segment] : m_segments) {
        if (segment != activeLocked()) {
            if (Status st = segment->makeInactive(); !st) return st;
        } else if (!segment->isActive()) {
            if (Status st = segment->makeActive(); !st) return st;
        }
    }
    Result<int64_t> next = activeLocked()->readNextOffset();
    if (!next) return next.error();
    m_nextOffset = *next;
    return {};
}

Status PartitionLog::completeInterruptedSwaps() {
    // A ".swap" segment is a finished compaction result whose swap a crash interrupted: the
    // segments it replaces (base offsets within its range) are removed, then it takes its name.
    std::error_code ec;
    std::vector<int64_t> swaps;
    for (const fs::directory_entry& entry : fs::directory_iterator(m_dir, ec)) {
        std::string name = entry.path().filename().string();
        std::optional<int64_t> base = baseOffsetOfFileName(name);
        if (base &&
            name == fs::path(LogSegment::filePath(m_dir, *base, kLogExtension, kSwapSuffix)).filename().string()) {
            swaps.push_back(*base);
        }
    }
    std::sort(swaps.begin(), swaps.end());
    SegmentOptions options{m_config.indexIntervalBytes, m_config.segmentIndexBytes, m_config.preallocate, nullptr};
    for (size_t i = 0; i < swaps.size(); ++i) {
        auto swap = LogSegment::load(m_dir, swaps[i], options, false, kSwapSuffix);
        if (!swap) return swap.error();
        Result<int64_t> next = (*swap)->readNextOffset();
        if (!next) return next.error();
        for (const fs::directory_entry& entry : fs::directory_iterator(m_dir, ec)) {
            std::string name = entry.path().filename().string();
            std::optional<int64_t> base = baseOffsetOfFileName(name);
            if (!base || *base < swaps[i] || *base >= *next) continue;
            if (name.ends_with(kSwapSuffix)) continue;
            fs::remove(entry.path(), ec);
        }
        if (Status st = (*swap)->changeSuffix(""); !st) return st;
        spdlog::info("{}: completed an interrupted compaction swap at offset {}", m_dir, swaps[i]);
    }
    return syncDirectory(m_dir);
}

}  // namespace partita::storage
