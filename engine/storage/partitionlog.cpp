// One partition's log: validation and offset assignment, segment rolling, reads, flush, retention, recovery.
#include "engine/storage/partitionlog.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/storage/clock.h"
#include "engine/storage/filehandle.h"
#include "engine/storage/leaderepochcache.h"
#include "engine/storage/producerstatetable.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <limits>
#include <set>

namespace partita::storage {

namespace fs = std::filesystem;
namespace records = protocol::records;

namespace {

constexpr std::string_view kDeletedSuffix = ".deleted";
constexpr std::string_view kCleanedSuffix = ".cleaned";
constexpr std::string_view kSwapSuffix = ".swap";

// The base offset of a segment file name "<20 digits>.<ext>[suffix]", or nothing.
std::optional<int64_t> baseOffsetOf(const std::string& name) {
    if (name.size() < 21 || name[20] != '.') return std::nullopt;
    int64_t value = 0;
    for (size_t i = 0; i < 20; ++i) {
        if (name[i] < '0' || name[i] > '9') return std::nullopt;
        value = value * 10 + (name[i] - '0');
    }
    return value;
}

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Error corruptInput(const std::string& what) {
    return makeError(ErrorKind::Corrupt, what);
}

}  // namespace

std::string PartitionLog::directoryName(const std::string& topic, int32_t partition) {
    return topic + "-" + std::to_string(partition);
}

PartitionLog::PartitionLog(std::string dir, std::string topic, int32_t partition, const LogConfig& config,
                           const Clock& clock, SegmentHandleCache* handleCache)
    : m_dir(std::move(dir)),
      m_topic(std::move(topic)),
      m_partition(partition),
      m_clock(clock),
      m_handleCache(handleCache),
      m_config(config),
      m_jitterState(std::hash<std::string>{}(m_dir) ^ uint64_t(clock.nowMs())) {}

PartitionLog::~PartitionLog() = default;

SegmentOptions PartitionLog::segmentOptions() const {
    std::lock_guard lock(m_mutex);
    return {m_config.indexIntervalBytes, m_config.segmentIndexBytes, m_config.preallocate, m_handleCache};
}

int64_t PartitionLog::rollJitterMs() {
    // Kafka's rule: uniform in [0, min(segment.jitter.ms, segment.ms)), fixed per segment, so that
    // many partitions created together do not all roll in the same second.
    int64_t bound = std::min(m_config.segmentJitterMs, m_config.segmentMs);
    if (bound <= 0) return 0;
    m_jitterState = m_jitterState * 6364136223846793005ULL + 1442695040888963407ULL;
    return int64_t((m_jitterState >> 11) % uint64_t(bound));
}

Result<std::unique_ptr<PartitionLog>> PartitionLog::open(const std::string& dataDir, const std::string& topic,
                                                         int32_t partition, const LogConfig& config,
                                                         const LoadState& state, const Clock& clock,
                                                         SegmentHandleCache* handleCache) {
    std::string dir = dataDir + "/" + directoryName(topic, partition);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return fileError("cannot create", dir, ec.value());
    std::unique_ptr<PartitionLog> log(new PartitionLog(dir, topic, partition, config, clock, handleCache));
    if (Status st = log->load(state); !st) return st.error();
    return log;
}

// --- loading and recovery ---

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
        if (endsWith(name, kDeletedSuffix) || endsWith(name, kCleanedSuffix) || endsWith(name, ".tmp")) {
            fs::remove(entry.path(), ec);
            continue;
        }
        std::optional<int64_t> base = baseOffsetOf(name);
        if (base && endsWith(name, ".log")) bases.insert(*base);
    }
    if (ec) return fileError("cannot list", m_dir, ec.value());
    SegmentOptions options{m_config.indexIntervalBytes, m_config.segmentIndexBytes, m_config.preallocate,
                           m_handleCache};
    for (int64_t base : bases) {
        // Index files without their log (a crash mid-deletion) are dropped by create(); a log
        // without its indexes is rebuilt by recovery.
        if (!fs::exists(LogSegment::filePath(m_dir, base, ".index")) ||
            !fs::exists(LogSegment::filePath(m_dir, base, ".timeindex"))) {
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
        Result<SegmentRecovery> recovered = segment->recover([this](const records::RecordBatchView& batch) {
            noteBatch(batch);
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
        std::optional<int64_t> base = baseOffsetOf(name);
        if (base && name == fs::path(LogSegment::filePath(m_dir, *base, ".log", kSwapSuffix)).filename().string()) {
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
            std::optional<int64_t> base = baseOffsetOf(name);
            if (!base || *base < swaps[i] || *base >= *next) continue;
            if (endsWith(name, kSwapSuffix)) continue;
            fs::remove(entry.path(), ec);
        }
        if (Status st = (*swap)->changeSuffix(""); !st) return st;
        spdlog::info("{}: completed an interrupted compaction swap at offset {}", m_dir, swaps[i]);
    }
    return syncDirectory(m_dir);
}

void PartitionLog::noteBatch(const records::RecordBatchView& batch) {
    if (batch.producerId() < 0) return;
    m_producerState->onBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(),
                             batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), batch.isTransactional(),
                             batch.isControl());
}

// --- appends ---

Result<AppendInfo> PartitionLog::appendAsLeader(std::span<uint8_t> recordsBytes, int32_t leaderEpoch) {
    std::lock_guard lock(m_mutex);
    int64_t now = m_clock.nowMs();
    AppendInfo info;
    info.firstOffset = m_nextOffset;
    int64_t next = m_nextOffset;
    size_t at = 0;
    // Validate everything before anything is written: the append is all batches or none.
    while (at < recordsBytes.size()) {
        std::span<uint8_t> rest = recordsBytes.subspan(at);
        auto batch = records::RecordBatchView::parse(Bytes(nullptr, rest.data(), rest.size()));
        if (!batch) {
            return makeError(batch.error().kind == ErrorKind::Unsupported ? ErrorKind::Unsupported : ErrorKind::Corrupt,
                             "record batch at byte " + std::to_string(at) + ": " + batch.error().message);
        }
        if (batch->sizeInBytes() > size_t(m_config.maxMessageBytes)) {
            return makeError(ErrorKind::TooLarge, "record batch of " + std::to_string(batch->sizeInBytes()) +
                                                      " bytes exceeds max.message.bytes " +
                                                      std::to_string(m_config.maxMessageBytes));
        }
        if (Status st = batch->validate(); !st) {
            return corruptInput("record batch at byte " + std::to_string(at) + ": " + st.error().message);
        }
        if (batch->isControl() && !batch->isTransactional()) {
            return corruptInput("control batch without the transactional flag at byte " + std::to_string(at));
        }
        if (!m_config.logAppendTime) {
            int64_t ts = batch->maxTimestamp();
            if (ts >= 0 &&
                ((m_config.messageTimestampAfterMaxMs != kInt64Max && ts - now > m_config.messageTimestampAfterMaxMs) ||
                 (m_config.messageTimestampBeforeMaxMs != kInt64Max &&
                  now - batch->baseTimestamp() > m_config.messageTimestampBeforeMaxMs))) {
                return makeError(ErrorKind::InvalidArgument,
                                 "timestamp " + std::to_string(ts) +
                                     " is out of the range allowed by "
                                     "message.timestamp.before.max.ms / message.timestamp.after.max.ms");
            }
        }
        std::span<uint8_t> own = rest.first(batch->sizeInBytes());
        int32_t count = batch->lastOffsetDelta() + 1;
        (void)records::setBaseOffset(own, next);
        (void)records::setPartitionLeaderEpoch(own, leaderEpoch);
        if (m_config.logAppendTime) {
            (void)records::setLogAppendTime(own, now);
            info.logAppendTime = now;
        }
        int64_t maxTs = m_config.logAppendTime ? now : batch->maxTimestamp();
        if (maxTs > info.maxTimestamp) {
            info.maxTimestamp = maxTs;
            info.offsetOfMaxTimestamp = next + count - 1;
        }
        info.recordCount += batch->recordCount();
        info.batchCount++;
        next += count;
        at += batch->sizeInBytes();
    }
    if (info.batchCount == 0) return makeError(ErrorKind::InvalidArgument, "no record batches to append");
    info.lastOffset = next - 1;
    info.bytes = recordsBytes.size();
    return appendLocked(recordsBytes, info, leaderEpoch);
}

Result<AppendInfo> PartitionLog::appendAsFollower(std::span<const uint8_t> recordsBytes) {
    std::lock_guard lock(m_mutex);
    AppendInfo info;
    int64_t expected = m_nextOffset;
    int32_t epoch = -1;
    size_t at = 0;
    while (at < recordsBytes.size()) {
        std::span<const uint8_t> rest = recordsBytes.subspan(at);
        auto batch = records::RecordBatchView::parse(Bytes(nullptr, rest.data(), rest.size()));
        if (!batch) return corruptInput("record batch at byte " + std::to_string(at) + ": " + batch.error().message);
        if (Status st = batch->validate(); !st) {
            return corruptInput("record batch at byte " + std::to_string(at) + ": " + st.error().message);
        }
        if (batch->baseOffset() < expected) {
            return makeError(ErrorKind::OutOfRange, "batch offset " + std::to_string(batch->baseOffset()) +
                                                        " is below the log end offset " + std::to_string(expected));
        }
        if (info.batchCount == 0) info.firstOffset = batch->baseOffset();
        if (batch->maxTimestamp() > info.maxTimestamp) {
            info.maxTimestamp = batch->maxTimestamp();
            info.offsetOfMaxTimestamp = batch->lastOffset();
        }
        epoch = std::max(epoch, batch->partitionLeaderEpoch());
        info.recordCount += batch->recordCount();
        info.batchCount++;
        expected = batch->nextOffset();
        at += batch->sizeInBytes();
    }
    if (info.batchCount == 0) return makeError(ErrorKind::InvalidArgument, "no record batches to append");
    info.lastOffset = expected - 1;
    info.bytes = recordsBytes.size();
    return appendLocked(recordsBytes, info, epoch);
}

Result<AppendInfo> PartitionLog::appendLocked(std::span<const uint8_t> bytes, const AppendInfo& validated,
                                              int32_t leaderEpoch) {
    AppendInfo info = validated;
    int64_t now = m_clock.nowMs();
    if (activeLocked()->shouldRoll(m_config.segmentBytes, m_config.segmentMs, bytes.size(), info.lastOffset,
                                   info.maxTimestamp, now)) {
        if (Status st = rollLocked(info.firstOffset); !st) return st.error();
    }
    if (Status st = activeLocked()->append(bytes); !st) return st.error();
    m_nextOffset = info.lastOffset + 1;
    if (leaderEpoch >= 0) (void)m_leaderEpochCache->assign(leaderEpoch, info.firstOffset);
    for (size_t at = 0; at < bytes.size();) {
        auto batch = records::RecordBatchView::parse(Bytes(nullptr, bytes.data() + at, bytes.size() - at));
        if (!batch) break;
        noteBatch(*batch);
        at += batch->sizeInBytes();
    }
    info.logStartOffset = m_logStartOffset;
    m_unflushedRecords += info.lastOffset - info.firstOffset + 1;
    if (m_unflushedRecords >= m_config.flushMessages) {
        if (Status st = flushLocked(m_nextOffset); !st) return st.error();
    }
    return info;
}

Status PartitionLog::roll() {
    std::lock_guard lock(m_mutex);
    if (activeLocked()->size() == 0) return {};
    return rollLocked(m_nextOffset);
}

Status PartitionLog::rollLocked(int64_t newBaseOffset) {
    auto old = activeLocked();
    if (old->size() == 0 && old->baseOffset() == newBaseOffset) return {};
    // The producer state as of the new segment's start: recovery replays from here.
    (void)m_producerState->takeSnapshot(m_dir, newBaseOffset);
    SegmentOptions options{m_config.indexIntervalBytes, m_config.segmentIndexBytes, m_config.preallocate,
                           m_handleCache};
    auto segment = LogSegment::create(m_dir, newBaseOffset, options, m_clock.nowMs(), rollJitterMs());
    if (!segment) return segment.error();
    if (Status st = old->makeInactive(); !st) return st;
    if (old->size() == 0) {
        // An empty active segment is replaced, not kept (its base offset is now wrong).
        m_segments.erase(old->baseOffset());
        (void)old->deleteFiles();
    }
    m_segments.emplace(newBaseOffset, std::move(*segment));
    m_newSegmentsSinceFlush = true;
    return {};
}

// --- flush ---

Status PartitionLog::flush() {
    std::lock_guard lock(m_mutex);
    return flushLocked(m_nextOffset);
}

Status PartitionLog::flushIfDue() {
    std::lock_guard lock(m_mutex);
    if (m_config.flushMs == kInt64Max || m_recoveryPoint >= m_nextOffset) return {};
    if (m_clock.nowMs() - m_lastFlushMs < m_config.flushMs) return {};
    return flushLocked(m_nextOffset);
}

Status PartitionLog::flushLocked(int64_t upTo) {
    // Segments holding offsets in [recovery point, upTo): the active one and any rolled since.
    for (auto it = m_segments.begin(); it != m_segments.end(); ++it) {
        auto next = std::next(it);
        if (next != m_segments.end() && next->first <= m_recoveryPoint) continue;
        if (Status st = it->second->flush(); !st) return st;
    }
    if (m_newSegmentsSinceFlush) {
        if (Status st = syncDirectory(m_dir); !st) return st;
        m_newSegmentsSinceFlush = false;
    }
    m_recoveryPoint = std::max(m_recoveryPoint, upTo);
    m_unflushedRecords = 0;
    m_lastFlushMs = m_clock.nowMs();
    return {};
}

// --- reads ---

Result<ReadResult> PartitionLog::read(int64_t offset, size_t maxBytes, int64_t maxOffset, bool minOneBatch) const {
    ReadResult result;
    std::shared_ptr<LogSegment> segment;
    int64_t limit;
    {
        std::lock_guard lock(m_mutex);
        result.highWatermark = m_highWatermark;
        result.logStartOffset = m_logStartOffset;
        result.logEndOffset = m_nextOffset;
        if (offset < m_logStartOffset || offset > m_nextOffset) {
            return makeError(ErrorKind::OutOfRange, "offset " + std::to_string(offset) + " is outside [" +
                                                        std::to_string(m_logStartOffset) + ", " +
                                                        std::to_string(m_nextOffset) + "] of " + m_dir);
        }
        limit = std::min(maxOffset, m_nextOffset);
        if (offset >= limit) return result;
        auto it = m_segments.upper_bound(offset);
        segment = std::prev(it)->second;
    }
    while (segment) {
        // The limit falls in this segment or beyond: translate it to a file position.
        std::shared_ptr<LogSegment> next;
        {
            std::lock_guard lock(m_mutex);
            auto it = m_segments.upper_bound(segment->baseOffset());
            if (it != m_segments.end()) next = it->second;
        }
        uint64_t maxPosition = segment->size();
        if (!next || next->baseOffset() > limit) {
            Result<uint64_t> position = segment->positionOf(limit);
            if (!position) return position.error();
            maxPosition = *position;
        }
        auto slice = segment->read(offset, maxBytes, maxPosition, minOneBatch);
        if (!slice) return slice.error();
        if (*slice) {
            result.records = **slice;
            return result;
        }
        if (!next || next->baseOffset() >= limit) break;
        segment = next;
    }
    return result;
}

Result<Bytes> PartitionLog::readVerified(int64_t offset, size_t maxBytes, int64_t maxOffset) const {
    Result<ReadResult> read = this->read(offset, maxBytes, maxOffset, true);
    if (!read) return read.error();
    Result<Bytes> bytes = read->records.read();
    if (!bytes) return bytes.error();
    size_t at = 0;
    while (at < bytes->size()) {
        auto batch = records::RecordBatchView::parse(bytes->slice(at, bytes->size() - at));
        Status valid = batch ? batch->validate() : Status(batch.error());
        if (!valid) {
            if (at > 0) return bytes->slice(0, at);  // readable up to the damage
            return makeError(ErrorKind::Corrupt, valid.error().message + " in " + read->records.path() + " at byte " +
                                                     std::to_string(read->records.position() + at));
        }
        at += batch->sizeInBytes();
    }
    return *bytes;
}

Result<std::optional<TimestampedOffset>> PartitionLog::offsetForTimestamp(int64_t timestamp) const {
    std::vector<std::shared_ptr<LogSegment>> candidates;
    int64_t start;
    {
        std::lock_guard lock(m_mutex);
        start = m_logStartOffset;
        for (auto& [base, segment] : m_segments) candidates.push_back(segment);
    }
    for (auto& segment : candidates) {
        Result<int64_t> largest = segment->largestTimestamp();
        if (!largest) return largest.error();
        if (*largest < timestamp) continue;
        auto found = segment->findOffsetByTimestamp(timestamp, start);
        if (!found) return found.error();
        if (*found) return found;
    }
    return std::optional<TimestampedOffset>();
}

// --- retention ---

Result<int> PartitionLog::deleteOldSegments() {
    std::lock_guard lock(m_mutex);
    deleteDueFiles();
    int64_t now = m_clock.nowMs();
    std::vector<std::shared_ptr<LogSegment>> doomed;
    uint64_t total = 0;
    for (auto& [base, segment] : m_segments) total += segment->size();
    int64_t sizeExcess = m_config.retentionBytes >= 0 ? int64_t(total) - m_config.retentionBytes : -1;
    const char* reason = "";
    for (auto it = m_segments.begin(); std::next(it) != m_segments.end(); ++it) {
        auto& segment = it->second;
        int64_t nextBase = std::next(it)->first;
        if (nextBase > m_highWatermark) break;  // never delete what consumers cannot have read yet
        bool belowStart = nextBase <= m_logStartOffset;
        bool byTime = false, bySize = false;
        if (m_config.deleteEnabled && m_config.retentionMs >= 0) {
            Result<int64_t> largest = segment->largestTimestamp();
            if (!largest) return largest.error();
            byTime = now - *largest > m_config.retentionMs;
        }
        if (m_config.deleteEnabled && sizeExcess >= int64_t(segment->size())) bySize = true;
        if (!belowStart && !byTime && !bySize) break;
        reason = belowStart ? "log start offset" : byTime ? "retention.ms" : "retention.bytes";
        sizeExcess -= int64_t(segment->size());
        doomed.push_back(segment);
    }
    if (doomed.empty()) return 0;
    if (Status st = deleteSegmentsLocked(doomed, reason); !st) return st.error();
    return int(doomed.size());
}

Status PartitionLog::deleteSegmentsLocked(const std::vector<std::shared_ptr<LogSegment>>& segments,
                                          const char* reason) {
    for (auto& segment : segments) {
        m_segments.erase(segment->baseOffset());
        spdlog::info("{}: deleting segment {} ({})", m_dir, segment->baseOffset(), reason);
        // Renamed now, deleted after file.delete.delay.ms: a reader in the middle of it finishes first.
        if (Status st = segment->changeSuffix(kDeletedSuffix); !st) return st;
        m_pendingDeletes.push_back({segment, m_clock.nowMs() + m_config.fileDeleteDelayMs});
    }
    int64_t newStart = m_segments.begin()->first;
    if (newStart > m_logStartOffset) {
        m_logStartOffset = newStart;
        (void)m_leaderEpochCache->truncateFromStart(newStart);
        (void)ProducerStateTable::deleteSnapshotsBelow(m_dir, newStart);
    }
    m_highWatermark = std::max(m_highWatermark, m_logStartOffset);
    m_recoveryPoint = std::max(m_recoveryPoint, m_logStartOffset);
    deleteDueFiles();
    return {};
}

void PartitionLog::deleteDueFiles() {
    int64_t now = m_clock.nowMs();
    auto due = std::stable_partition(m_pendingDeletes.begin(), m_pendingDeletes.end(),
                                     [now](const PendingDelete& p) { return p.dueMs > now; });
    for (auto it = due; it != m_pendingDeletes.end(); ++it) {
        if (Status st = it->segment->deleteFiles(); !st) spdlog::warn("{}", st.error().message);
    }
    m_pendingDeletes.erase(due, m_pendingDeletes.end());
}

Status PartitionLog::advanceLogStartOffset(int64_t newStartOffset) {
    std::lock_guard lock(m_mutex);
    if (newStartOffset > m_highWatermark) {
        return makeError(ErrorKind::OutOfRange, "cannot move the log start offset to " +
                                                    std::to_string(newStartOffset) + " beyond the high watermark " +
                                                    std::to_string(m_highWatermark));
    }
    if (newStartOffset <= m_logStartOffset) return {};
    m_logStartOffset = newStartOffset;
    (void)m_leaderEpochCache->truncateFromStart(newStartOffset);
    return {};
}

// --- truncation, config, close ---

Status PartitionLog::truncateTo(int64_t offset) {
    std::lock_guard lock(m_mutex);
    if (offset >= m_nextOffset) return {};
    if (offset < m_logStartOffset) offset = m_logStartOffset;
    std::vector<std::shared_ptr<LogSegment>> whole;
    for (auto it = m_segments.lower_bound(offset); it != m_segments.end(); ++it) {
        if (it->first > offset || (it->first == offset && it != m_segments.begin())) whole.push_back(it->second);
    }
    for (auto& segment : whole) {
        m_segments.erase(segment->baseOffset());
        if (Status st = segment->deleteFiles(); !st) return st;
    }
    auto tail = activeLocked();
    if (!tail->isActive()) {
        if (Status st = tail->makeActive(); !st) return st;
    }
    Result<uint64_t> cut = tail->truncateTo(offset);
    if (!cut) return cut.error();
    // Whole batches go: the end is where the batch holding `offset` started.
    Result<int64_t> next = tail->readNextOffset();
    if (!next) return next.error();
    m_nextOffset = offset = *next;
    m_highWatermark = std::min(m_highWatermark, offset);
    m_recoveryPoint = std::min(m_recoveryPoint, offset);
    (void)m_leaderEpochCache->truncateFromEnd(offset);
    (void)ProducerStateTable::deleteSnapshotsFrom(m_dir, offset + 1);
    return {};
}

void PartitionLog::updateHighWatermark(int64_t offset) {
    std::lock_guard lock(m_mutex);
    m_highWatermark = std::clamp(offset, m_logStartOffset, m_nextOffset);
}

void PartitionLog::updateConfig(const LogConfig& config) {
    std::lock_guard lock(m_mutex);
    m_config = config;
}

Status PartitionLog::close() {
    std::lock_guard lock(m_mutex);
    if (Status st = flushLocked(m_nextOffset); !st) return st;
    (void)m_producerState->takeSnapshot(m_dir, m_nextOffset);
    Status result;
    for (auto& [base, segment] : m_segments) {
        if (segment->isActive()) {
            // Trimmed and then synced: a clean start trusts these indexes.
            if (Status st = segment->makeInactive(); !st) result = st;
            if (Status st = segment->flush(); !st) result = st;
        }
    }
    m_pendingDeletes.clear();  // recovery removes .deleted files on the next start
    return result;
}

Status PartitionLog::deleteAll() {
    std::lock_guard lock(m_mutex);
    m_segments.clear();
    m_pendingDeletes.clear();
    std::error_code ec;
    fs::remove_all(m_dir, ec);
    if (ec) return fileError("cannot delete", m_dir, ec.value());
    return {};
}

// --- accessors ---

LogConfig PartitionLog::config() const {
    std::lock_guard lock(m_mutex);
    return m_config;
}
int64_t PartitionLog::logStartOffset() const {
    std::lock_guard lock(m_mutex);
    return m_logStartOffset;
}
int64_t PartitionLog::logEndOffset() const {
    std::lock_guard lock(m_mutex);
    return m_nextOffset;
}
int64_t PartitionLog::highWatermark() const {
    std::lock_guard lock(m_mutex);
    return m_highWatermark;
}
int64_t PartitionLog::recoveryPoint() const {
    std::lock_guard lock(m_mutex);
    return m_recoveryPoint;
}
uint64_t PartitionLog::sizeInBytes() const {
    std::lock_guard lock(m_mutex);
    uint64_t total = 0;
    for (auto& [base, segment] : m_segments) total += segment->size();
    return total;
}
size_t PartitionLog::segmentCount() const {
    std::lock_guard lock(m_mutex);
    return m_segments.size();
}
std::vector<std::shared_ptr<LogSegment>> PartitionLog::segments() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::shared_ptr<LogSegment>> out;
    for (auto& [base, segment] : m_segments) out.push_back(segment);
    return out;
}

// --- compaction swap ---

Status PartitionLog::replaceSegments(std::vector<std::shared_ptr<LogSegment>> cleaned,
                                     const std::vector<std::shared_ptr<LogSegment>>& replaced) {
    std::lock_guard lock(m_mutex);
    for (auto& segment : cleaned) {
        if (Status st = segment->flush(); !st) return st;
        if (Status st = segment->makeInactive(); !st) return st;
        if (Status st = segment->changeSuffix(kSwapSuffix); !st) return st;
    }
    if (Status st = syncDirectory(m_dir); !st) return st;
    // From here a crash is completed by completeInterruptedSwaps() on the next start.
    for (auto& segment : replaced) {
        if (m_segments.erase(segment->baseOffset()) == 0) continue;
        if (Status st = segment->changeSuffix(kDeletedSuffix); !st) return st;
        m_pendingDeletes.push_back({segment, m_clock.nowMs() + m_config.fileDeleteDelayMs});
    }
    for (auto& segment : cleaned) {
        if (Status st = segment->changeSuffix(""); !st) return st;
        m_segments[segment->baseOffset()] = segment;
    }
    return syncDirectory(m_dir);
}

}  // namespace partita::storage
