// One partition's log: validation and offset assignment, segment rolling, reads, flush, retention, recovery.
#include "engine/storage/partitionlog.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/storage/clock.h"
#include "engine/storage/filehandle.h"
#include "engine/storage/leaderepochcache.h"
#include "engine/storage/producerstatetable.h"
#include "engine/storage/segmentfilenames.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <limits>

namespace partita::storage {

namespace fs = std::filesystem;
namespace records = protocol::records;

namespace {

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

std::optional<AbortedTxn> PartitionLog::noteBatch(const records::RecordBatchView& batch) {
    if (batch.producerId() < 0) return std::nullopt;
    const std::optional<records::TxnMarker> marker = records::readTxnMarker(batch);
    const std::optional<int64_t> closedFirstOffset = m_producerState->onBatch(
        batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
        batch.lastOffset(), batch.maxTimestamp(), batch.isTransactional(), batch.isControl());
    if (marker && marker->coordinatorEpoch) {
        m_producerState->setCoordinatorEpoch(batch.producerId(), *marker->coordinatorEpoch);
    }
    if (!marker || marker->commit || !closedFirstOffset) return std::nullopt;
    // Kafka's last stable offset once this transaction is over: the oldest other open one, or past the marker.
    const int64_t lastStable = std::min(m_producerState->firstUnstableOffset().value_or(INT64_MAX), batch.nextOffset());
    return AbortedTxn{batch.producerId(), *closedFirstOffset, batch.lastOffset(), lastStable};
}

// --- appends ---

Result<AppendInfo> PartitionLog::appendAsLeader(std::span<uint8_t> recordsBytes, int32_t leaderEpoch) {
    std::lock_guard lock(m_mutex);
    int64_t now = m_clock.nowMs();
    AppendInfo info;
    info.firstOffset = m_nextOffset;
    int64_t next = m_nextOffset;
    size_t at = 0;
    // Sequences of producers with several batches in this one append, checked batch after batch.
    std::map<int64_t, std::pair<int16_t, int32_t>> sequencesInThisAppend;
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
        // Coordinators write transactional records without sequences (-1): nothing to check.
        if (batch->producerId() >= 0 && !batch->isControl() && batch->baseSequence() >= 0) {
            if (info.batchCount == 0) {
                if (auto original = m_producerState->findDuplicate(batch->producerId(), batch->producerEpoch(),
                                                                   batch->baseSequence(), batch->lastSequence())) {
                    AppendInfo duplicate;
                    duplicate.duplicate = true;
                    duplicate.firstOffset = original->firstOffset;
                    duplicate.lastOffset = original->lastOffset;
                    duplicate.maxTimestamp = original->maxTimestamp;
                    duplicate.offsetOfMaxTimestamp = original->lastOffset;
                    duplicate.logStartOffset = m_logStartOffset;
                    return duplicate;
                }
            }
            auto earlier = sequencesInThisAppend.find(batch->producerId());
            if (earlier == sequencesInThisAppend.end()) {
                if (Status st = m_producerState->checkSequence(batch->producerId(), batch->producerEpoch(),
                                                               batch->baseSequence());
                    !st) {
                    return st.error();
                }
            } else if (earlier->second.first != batch->producerEpoch() ||
                       int64_t(batch->baseSequence()) != int64_t(earlier->second.second) + 1) {
                return makeError(ErrorKind::OutOfOrderSequence, "producer " + std::to_string(batch->producerId()) +
                                                                    ": batches out of sequence within one request");
            }
            sequencesInThisAppend[batch->producerId()] = {batch->producerEpoch(), batch->lastSequence()};
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
        if (auto aborted = noteBatch(*batch)) {
            // Without this entry read_committed consumers would see the aborted records.
            if (Status st = activeLocked()->appendAbortedTxn(*aborted); !st) return st.error();
        }
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

int64_t PartitionLog::lastStableOffset() const {
    std::lock_guard lock(m_mutex);
    return std::min(m_highWatermark, m_producerState->firstUnstableOffset().value_or(INT64_MAX));
}

size_t PartitionLog::expireProducers(int64_t nowMs, int64_t expirationMs) {
    std::lock_guard lock(m_mutex);
    return m_producerState->removeExpired(nowMs, expirationMs);
}

std::vector<ProducerEntry> PartitionLog::producers() const {
    std::lock_guard lock(m_mutex);
    return m_producerState->entries();
}

Result<std::vector<AbortedTxn>> PartitionLog::abortedTransactions(int64_t fetchOffset, int64_t upperBoundOffset) const {
    std::vector<std::shared_ptr<LogSegment>> segments;
    {
        std::lock_guard lock(m_mutex);
        // An overlapping transaction's ABORT marker comes after fetchOffset, in its segment or any
        // later one (the transaction may end long after the range): search on until an entry shows
        // that nothing still open at upperBoundOffset can follow (Kafka's isComplete).
        auto it = m_segments.upper_bound(fetchOffset);
        if (it != m_segments.begin()) --it;
        for (; it != m_segments.end(); ++it) segments.push_back(it->second);
    }
    std::vector<AbortedTxn> out;
    for (const auto& segment : segments) {
        bool complete = false;
        auto found = segment->collectAbortedTxns(fetchOffset, upperBoundOffset, &complete);
        if (!found) return found.error();
        out.insert(out.end(), found->begin(), found->end());
        if (complete) break;
    }
    return out;
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
    // Retention or a truncation may have removed some of them while the cleaner worked: swapping
    // now would bring their records back.
    for (auto& segment : replaced) {
        auto it = m_segments.find(segment->baseOffset());
        if (it == m_segments.end() || it->second != segment) {
            return makeError(ErrorKind::InvalidArgument,
                             "segment " + segment->logPath() + " left the log while it was being cleaned");
        }
    }
    for (auto& segment : cleaned) {
        if (Status st = segment->flush(); !st) return st;
        if (Status st = segment->makeInactive(); !st) return st;
        if (Status st = segment->changeSuffix(kSwapSuffix); !st) return st;
    }
    if (Status st = syncDirectory(m_dir); !st) return st;
    // From here a crash is completed by completeInterruptedSwaps() on the next start.
    for (auto& segment : replaced) {
        m_segments.erase(segment->baseOffset());
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
