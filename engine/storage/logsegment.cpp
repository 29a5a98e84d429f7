// One segment: appends with sparse indexing, reads by offset and time, recovery, renames.
#include "engine/storage/logsegment.h"

#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/storage/filehandle.h"
#include "engine/storage/offsetindex.h"
#include "engine/storage/segmentfilenames.h"
#include "engine/storage/segmenthandlecache.h"
#include "engine/storage/timeindex.h"
#include "engine/storage/transactionindex.h"

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <limits>

namespace partita::storage {

namespace records = protocol::records;

namespace {
constexpr size_t kRecoveryChunkBytes = 1 << 20;
constexpr size_t kLookupChunkBytes = 16 * 1024;

// A view of bytes owned elsewhere (a scanner's buffer), for RecordBatchView's checks.
Bytes borrowed(std::span<const uint8_t> bytes) {
    return Bytes(nullptr, bytes.data(), bytes.size());
}
}  // namespace

struct LogSegment::Handles {
    std::shared_ptr<FileHandle> log;
    std::unique_ptr<OffsetIndex> offsetIndex;
    std::unique_ptr<TimeIndex> timeIndex;
};

// Holds the segment's files open (a shared lock) for the duration of one operation.
class LogSegment::Access {
public:
    Access(std::shared_lock<std::shared_mutex> lock, Handles& handles) : m_lock(std::move(lock)), m_handles(&handles) {}
    const std::shared_ptr<FileHandle>& logShared() const { return m_handles->log; }
    const FileHandle& log() const { return *m_handles->log; }
    const OffsetIndex& offsetIndex() const { return *m_handles->offsetIndex; }
    const TimeIndex& timeIndex() const { return *m_handles->timeIndex; }

private:
    std::shared_lock<std::shared_mutex> m_lock;
    Handles* m_handles;
};

std::string LogSegment::filePath(const std::string& dir, int64_t baseOffset, std::string_view extension,
                                 std::string_view suffix) {
    char name[32];
    std::snprintf(name, sizeof name, "%020lld", static_cast<long long>(baseOffset));
    std::string path = dir;
    path += '/';
    path += name;
    path += extension;
    path += suffix;
    return path;
}

LogSegment::LogSegment(std::string dir, int64_t baseOffset, const SegmentOptions& options, std::string suffix)
    : m_dir(std::move(dir)), m_baseOffset(baseOffset), m_options(options), m_suffix(std::move(suffix)) {}

LogSegment::~LogSegment() {
    if (m_txnIndex) (void)m_txnIndex->close();
    if (m_handles) {
        if (m_handles->offsetIndex) (void)m_handles->offsetIndex->close();
        if (m_handles->timeIndex) (void)m_handles->timeIndex->close();
    }
}

std::string LogSegment::logPath() const {
    return filePath(m_dir, m_baseOffset, kLogExtension, m_suffix);
}

Result<std::shared_ptr<LogSegment>> LogSegment::create(const std::string& dir, int64_t baseOffset,
                                                       const SegmentOptions& options, int64_t createdMs,
                                                       int64_t rollJitterMs, std::string_view suffix) {
    std::shared_ptr<LogSegment> segment(new LogSegment(dir, baseOffset, options, std::string(suffix)));
    segment->m_createdMs = createdMs;
    segment->m_rollJitterMs = rollJitterMs;
    // A leftover file of the same name (a crash between create and first append) is emptied.
    for (std::string_view ext : {kLogExtension, kIndexExtension, kTimeIndexExtension, kTxnIndexExtension}) {
        std::string path = filePath(dir, baseOffset, ext, suffix);
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fileError("cannot delete", path, errno);
    }
    segment->m_active.store(true, std::memory_order_release);
    if (Status st = segment->openHandles(true); !st) return st.error();
    return segment;
}

Result<std::shared_ptr<LogSegment>> LogSegment::load(const std::string& dir, int64_t baseOffset,
                                                     const SegmentOptions& options, bool active,
                                                     std::string_view suffix) {
    std::shared_ptr<LogSegment> segment(new LogSegment(dir, baseOffset, options, std::string(suffix)));
    std::string path = segment->logPath();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return fileError("cannot stat", path, errno);
    segment->m_size.store(uint64_t(st.st_size), std::memory_order_release);
    segment->m_createdMs = int64_t(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    if (active) {
        segment->m_active.store(true, std::memory_order_release);
        if (Status s = segment->openHandles(true); !s) return s.error();
        // Restore what appends track: the maximum timestamp, where it is, the first batch's timestamp.
        if (segment->size() > 0) {
            const Handles& h = *segment->m_handles;
            // A torn tail is recovery's business (it runs next if the shutdown was unclean): what
            // cannot be read here is skipped.
            Result<BatchInfo> first = readBatchHeader(*h.log, 0, segment->size());
            if (first) segment->m_firstBatchTimestamp = first->maxTimestamp;
            if (std::optional<TimestampOffset> last = h.timeIndex->lastEntry()) {
                segment->m_maxTimestampSoFar = last->timestamp;
                segment->m_offsetOfMaxTimestampSoFar = last->offset;
            }
            uint64_t tail = std::min<uint64_t>(h.offsetIndex->lastEntry().position, segment->size());
            segment->m_bytesSinceLastIndexEntry = segment->size() - tail;
            BatchScanner scanner(*h.log, tail, segment->size(), kLookupChunkBytes);
            for (;;) {
                auto batch = scanner.next();
                if (!batch || !*batch) break;
                if ((*batch)->maxTimestamp > segment->m_maxTimestampSoFar) {
                    segment->m_maxTimestampSoFar = (*batch)->maxTimestamp;
                    segment->m_offsetOfMaxTimestampSoFar = (*batch)->lastOffset;
                }
            }
        }
    }
    return segment;
}

Status LogSegment::openHandles(bool writable) const {
    auto handles = std::make_unique<Handles>();
    Result<FileHandle> log =
        FileHandle::open(logPath(), writable ? FileHandle::Mode::CreateReadWrite : FileHandle::Mode::ReadOnly);
    if (!log) return log.error();
    handles->log = std::make_shared<FileHandle>(std::move(*log));
    auto offsetIndex = OffsetIndex::open(filePath(m_dir, m_baseOffset, kIndexExtension, m_suffix), m_baseOffset,
                                         writable, m_options.maxIndexBytes, m_options.preallocate);
    if (!offsetIndex) return offsetIndex.error();
    auto timeIndex = TimeIndex::open(filePath(m_dir, m_baseOffset, kTimeIndexExtension, m_suffix), m_baseOffset,
                                     writable, m_options.maxIndexBytes, m_options.preallocate);
    if (!timeIndex) return timeIndex.error();
    handles->offsetIndex = std::move(*offsetIndex);
    handles->timeIndex = std::move(*timeIndex);
    m_handles = std::move(handles);
    return {};
}

Result<LogSegment::Access> LogSegment::access() const {
    for (;;) {
        {
            std::shared_lock lock(m_handlesMutex);
            if (m_handles) return Access(std::move(lock), *m_handles);
        }
        bool opened = false;
        {
            std::unique_lock lock(m_handlesMutex);
            if (!m_handles) {
                if (Status st = openHandles(false); !st) return st.error();
                opened = true;
            }
        }
        if (opened && m_options.handleCache) {
            m_options.handleCache->opened(std::const_pointer_cast<LogSegment>(shared_from_this()));
        }
    }
}

void LogSegment::closeHandles() {
    std::unique_lock lock(m_handlesMutex);
    if (isActive() || !m_handles) return;
    if (m_handles->offsetIndex) (void)m_handles->offsetIndex->close();
    if (m_handles->timeIndex) (void)m_handles->timeIndex->close();
    m_handles.reset();
}

// --- appends ---

Status LogSegment::indexBatch(uint64_t position, uint32_t size, int64_t lastOffset, int64_t maxTimestamp) {
    if (maxTimestamp > m_maxTimestampSoFar) {
        m_maxTimestampSoFar = maxTimestamp;
        m_offsetOfMaxTimestampSoFar = lastOffset;
    }
    if (m_firstBatchTimestamp < 0 && position == 0) m_firstBatchTimestamp = maxTimestamp;
    if (m_bytesSinceLastIndexEntry > uint64_t(m_options.indexIntervalBytes)) {
        m_handles->offsetIndex->append(lastOffset, uint32_t(position));
        m_handles->timeIndex->maybeAppend(m_maxTimestampSoFar, lastOffset);
        m_bytesSinceLastIndexEntry = 0;
    }
    m_bytesSinceLastIndexEntry += size;
    return {};
}

Status LogSegment::append(std::span<const uint8_t> batches) {
    uint64_t start = size();
    const FileHandle& log = *m_handles->log;
    if (Status st = log.writeAt(start, batches); !st) {
        // No half batch may become visible, now or after a restart: cut back what was written.
        (void)log.truncate(start);
        return st;
    }
    for (size_t at = 0; at + records::batch::kHeaderSize <= batches.size();) {
        const uint8_t* p = batches.data() + at;
        uint32_t batchSize = uint32_t(records::loadBeI32(p + records::batch::kBatchLength)) + records::kLogOverhead;
        int64_t lastOffset = records::loadBeI64(p) + records::loadBeI32(p + records::batch::kLastOffsetDelta);
        (void)indexBatch(start + at, batchSize, lastOffset, records::loadBeI64(p + records::batch::kMaxTimestamp));
        at += batchSize;
    }
    m_size.store(start + batches.size(), std::memory_order_release);
    return {};
}

bool LogSegment::shouldRoll(int32_t segmentBytes, int64_t segmentMs, uint64_t bytes, int64_t largestOffset,
                            int64_t batchMaxTimestamp, int64_t nowMs) const {
    uint64_t current = size();
    if (current == 0) return false;  // an empty segment takes any batch, however large
    if (current + bytes > uint64_t(segmentBytes)) return true;
    int64_t waited = m_firstBatchTimestamp >= 0 && batchMaxTimestamp >= 0 ? batchMaxTimestamp - m_firstBatchTimestamp
                                                                          : nowMs - m_createdMs;
    if (waited > segmentMs - m_rollJitterMs) return true;
    if (m_handles->offsetIndex->isFull() || m_handles->timeIndex->isFull()) return true;
    return largestOffset - m_baseOffset > std::numeric_limits<int32_t>::max();
}

Status LogSegment::makeInactive() {
    std::unique_lock lock(m_handlesMutex);
    if (!m_handles) return {};
    // The last entry makes largestTimestamp() exact after a restart without a scan.
    if (m_maxTimestampSoFar >= 0) m_handles->timeIndex->maybeAppend(m_maxTimestampSoFar, m_offsetOfMaxTimestampSoFar);
    m_cachedLargestTimestamp.store(INT64_MIN, std::memory_order_relaxed);
    m_active.store(false, std::memory_order_release);
    Status a = m_handles->offsetIndex->trimToValidSize();
    Status b = m_handles->timeIndex->trimToValidSize();
    return a ? b : a;
}

Status LogSegment::makeActive() {
    std::unique_lock lock(m_handlesMutex);
    if (m_handles) {
        (void)m_handles->offsetIndex->close();
        (void)m_handles->timeIndex->close();
        m_handles.reset();
    }
    m_active.store(true, std::memory_order_release);
    return openHandles(true);
}

Status LogSegment::flush() {
    std::shared_lock lock(m_handlesMutex);
    if (!m_handles) return {};
    if (Status st = m_handles->log->dataSync(); !st) return st;
    // The active segment's indexes need no sync: recovery rebuilds them for the segment holding
    // the recovery point. A rolled segment's are trusted after a crash, so they go to disk.
    if (isActive()) return {};
    if (Status st = m_handles->offsetIndex->flush(); !st) return st;
    return m_handles->timeIndex->flush();
}

Result<uint64_t> LogSegment::truncateTo(int64_t offset) {
    Result<uint64_t> position = positionOf(offset);
    if (!position) return position.error();
    uint64_t oldSize = size();
    if (*position >= oldSize) return uint64_t(0);
    Result<Access> a = access();
    if (!a) return a.error();
    if (Status st = a->log().truncate(*position); !st) return st.error();
    m_size.store(*position, std::memory_order_release);
    if (m_handles->offsetIndex->isWritable()) {
        m_handles->offsetIndex->truncateTo(offset);
        m_handles->timeIndex->truncateTo(offset);
    }
    if (auto txns = txnIndex(); txns) {
        if (Status st = (*txns)->truncateTo(offset); !st) return st.error();
    }
    // Recompute what appends track from what is left.
    m_maxTimestampSoFar = -1;
    m_offsetOfMaxTimestampSoFar = -1;
    m_bytesSinceLastIndexEntry = 0;
    if (*position == 0) m_firstBatchTimestamp = -1;
    BatchScanner scanner(a->log(), 0, *position, kRecoveryChunkBytes);
    for (;;) {
        auto batch = scanner.next();
        if (!batch) return batch.error();
        if (!*batch) break;
        if ((*batch)->maxTimestamp > m_maxTimestampSoFar) {
            m_maxTimestampSoFar = (*batch)->maxTimestamp;
            m_offsetOfMaxTimestampSoFar = (*batch)->lastOffset;
        }
    }
    m_cachedLargestTimestamp.store(INT64_MIN, std::memory_order_relaxed);
    return oldSize - *position;
}

// --- reads ---

Result<std::optional<BatchInfo>> LogSegment::firstBatchFrom(const Access& a, int64_t offset, uint64_t end) const {
    OffsetPosition start = a.offsetIndex().lookup(offset);
    BatchScanner scanner(a.log(), std::min<uint64_t>(start.position, end), end, kLookupChunkBytes);
    for (;;) {
        auto batch = scanner.next();
        if (!batch) return batch.error();
        if (!*batch || (*batch)->lastOffset >= offset) return *batch;
    }
}

Result<uint64_t> LogSegment::positionOf(int64_t offset) const {
    Result<Access> a = access();
    if (!a) return a.error();
    uint64_t end = size();
    auto batch = firstBatchFrom(*a, offset, end);
    if (!batch) return batch.error();
    return *batch ? (*batch)->position : end;
}

Result<std::optional<FileSlice>> LogSegment::read(int64_t startOffset, size_t maxBytes, uint64_t maxPosition,
                                                  bool minOneBatch) const {
    Result<Access> a = access();
    if (!a) return a.error();
    uint64_t end = std::min(maxPosition, size());
    auto first = firstBatchFrom(*a, startOffset, end);
    if (!first) return first.error();
    if (!*first) return std::optional<FileSlice>();
    const BatchInfo& batch = **first;
    if (batch.size > maxBytes) {
        uint64_t length = minOneBatch ? batch.size : 0;
        return std::optional<FileSlice>(FileSlice(a->logShared(), batch.position, length));
    }
    // Whole batches only: jump to the last indexed batch start within the limit, then step over
    // headers until the next batch would not fit.
    uint64_t limit = std::min<uint64_t>(end, batch.position + maxBytes);
    uint64_t stop = batch.position + batch.size;
    stop = std::max<uint64_t>(stop, a->offsetIndex().lastPositionAtOrBelow(limit));
    while (stop < limit) {
        Result<BatchInfo> next = readBatchHeader(a->log(), stop, end);
        if (!next) return next.error();
        if (stop + next->size > limit) break;
        stop += next->size;
    }
    return std::optional<FileSlice>(FileSlice(a->logShared(), batch.position, stop - batch.position));
}

Result<std::optional<TimestampedOffset>> LogSegment::findOffsetByTimestamp(int64_t timestamp,
                                                                           int64_t startingOffset) const {
    Result<Access> a = access();
    if (!a) return a.error();
    std::optional<TimestampOffset> before = a->timeIndex().lastEntryBefore(timestamp);
    int64_t from = std::max(before ? before->offset + 1 : m_baseOffset, startingOffset);
    uint64_t end = size();
    BatchScanner scanner(a->log(), std::min<uint64_t>(a->offsetIndex().lookup(from).position, end), end,
                         kLookupChunkBytes);
    for (;;) {
        auto info = scanner.next();
        if (!info) return info.error();
        if (!*info) return std::optional<TimestampedOffset>();
        if ((*info)->lastOffset < from || (*info)->maxTimestamp < timestamp) continue;
        auto bytes = scanner.currentBatchBytes();
        if (!bytes) return bytes.error();
        auto batch = records::RecordBatchView::parse(Bytes::copyOf(*bytes));
        if (!batch) return batch.error();
        auto reader = records::RecordReader::open(*batch, std::numeric_limits<int32_t>::max());
        if (!reader) return reader.error();
        records::RecordView record;
        while (reader->next(record)) {
            if (record.offset >= from && record.timestamp >= timestamp) {
                return std::optional<TimestampedOffset>(
                    TimestampedOffset{record.offset, record.timestamp, batch->partitionLeaderEpoch()});
            }
        }
        if (!reader->status()) {
            return makeError(ErrorKind::Corrupt, reader->status().error().message + " in " + a->log().path() +
                                                     " at byte " + std::to_string((*info)->position));
        }
    }
}

Result<int64_t> LogSegment::readNextOffset() const {
    Result<Access> a = access();
    if (!a) return a.error();
    uint64_t end = size();
    BatchScanner scanner(a->log(), std::min<uint64_t>(a->offsetIndex().lastEntry().position, end), end,
                         kLookupChunkBytes);
    int64_t next = m_baseOffset;
    for (;;) {
        auto batch = scanner.next();
        if (!batch) return batch.error();
        if (!*batch) return next;
        next = (*batch)->lastOffset + 1;
    }
}

Result<int64_t> LogSegment::largestTimestamp() const {
    int64_t cached = m_cachedLargestTimestamp.load(std::memory_order_relaxed);
    if (cached != INT64_MIN) return cached;
    int64_t largest = -1;
    if (isActive()) {
        largest = m_maxTimestampSoFar;
    }
    if (largest < 0) {
        Result<Access> a = access();
        if (!a) return a.error();
        std::optional<TimestampOffset> last = a->timeIndex().lastEntry();
        largest = last ? last->timestamp : -1;
        // Batches after the last index entry are not in the time index: read their headers.
        uint64_t end = size();
        BatchScanner scanner(a->log(), std::min<uint64_t>(a->offsetIndex().lastEntry().position, end), end,
                             kLookupChunkBytes);
        for (;;) {
            auto batch = scanner.next();
            if (!batch) return batch.error();
            if (!*batch) break;
            largest = std::max(largest, (*batch)->maxTimestamp);
        }
    }
    if (largest < 0) {
        struct stat st {};
        if (::stat(logPath().c_str(), &st) == 0)
            largest = int64_t(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    }
    if (!isActive()) m_cachedLargestTimestamp.store(largest, std::memory_order_relaxed);
    return largest;
}

Status LogSegment::forEachBatch(const std::function<bool(const records::RecordBatchView&)>& onBatch) const {
    Result<Access> a = access();
    if (!a) return a.error();
    BatchScanner scanner(a->log(), 0, size(), kRecoveryChunkBytes);
    for (;;) {
        auto info = scanner.next();
        if (!info) return info.error();
        if (!*info) return {};
        auto bytes = scanner.currentBatchBytes();
        if (!bytes) return bytes.error();
        auto batch = records::RecordBatchView::parse(borrowed(*bytes));
        if (!batch) return batch.error();
        if (!onBatch(*batch)) return {};
    }
}

// --- recovery ---

Result<SegmentRecovery> LogSegment::recover(const std::function<void(const records::RecordBatchView&)>& onBatch) {
    if (!m_handles || !isActive()) {
        // Recovery rewrites the indexes: open them writable for the duration.
        if (Status st = makeActive(); !st) return st.error();
    }
    const FileHandle& log = *m_handles->log;
    Result<uint64_t> fileSize = log.size();
    if (!fileSize) return fileSize.error();
    m_handles->offsetIndex->reset();
    m_handles->timeIndex->reset();
    // Rebuilt from the markers replayed below, so a damaged file is simply replaced.
    dropTxnIndex();
    const std::string txnPath = filePath(m_dir, m_baseOffset, kTxnIndexExtension, m_suffix);
    if (::unlink(txnPath.c_str()) != 0 && errno != ENOENT) return fileError("cannot delete", txnPath, errno);
    m_bytesSinceLastIndexEntry = 0;
    m_maxTimestampSoFar = -1;
    m_offsetOfMaxTimestampSoFar = -1;
    m_firstBatchTimestamp = -1;

    SegmentRecovery result;
    result.nextOffset = m_baseOffset;
    BatchScanner scanner(log, 0, *fileSize, kRecoveryChunkBytes);
    uint64_t valid = 0;
    auto stop = [&](const std::string& reason) { result.truncationReason = reason; };
    for (;;) {
        auto info = scanner.next();
        if (!info) {
            stop(info.error().message);
            break;
        }
        if (!*info) break;
        const BatchInfo& header = **info;
        std::string where = " in " + log.path() + " at byte " + std::to_string(header.position);
        if (header.baseOffset < result.nextOffset) {
            stop("batch offset " + std::to_string(header.baseOffset) + " below " + std::to_string(result.nextOffset) +
                 where);
            break;
        }
        if (header.lastOffset - m_baseOffset > std::numeric_limits<int32_t>::max()) {
            stop("batch offset " + std::to_string(header.lastOffset) + " beyond the segment's range" + where);
            break;
        }
        auto bytes = scanner.currentBatchBytes();
        if (!bytes) {
            stop(bytes.error().message);
            break;
        }
        auto batch = records::RecordBatchView::parse(borrowed(*bytes));
        Status valid_ = batch ? batch->validate() : Status(batch.error());
        if (!valid_) {
            stop(valid_.error().message + where);
            break;
        }
        (void)indexBatch(header.position, header.size, header.lastOffset, header.maxTimestamp);
        if (onBatch) onBatch(*batch);
        valid = header.position + header.size;
        result.nextOffset = header.lastOffset + 1;
    }
    if (valid < *fileSize) {
        if (result.truncationReason.empty()) result.truncationReason = "trailing bytes in " + log.path();
        if (Status st = log.truncate(valid); !st) return st.error();
        result.truncatedBytes = *fileSize - valid;
    } else {
        result.truncationReason.clear();
    }
    m_size.store(valid, std::memory_order_release);
    m_cachedLargestTimestamp.store(INT64_MIN, std::memory_order_relaxed);
    return result;
}

// --- aborted transactions ---

Result<TransactionIndex*> LogSegment::txnIndex() const {
    std::lock_guard lock(m_txnIndexMutex);
    if (!m_txnIndex) {
        auto opened = TransactionIndex::open(filePath(m_dir, m_baseOffset, kTxnIndexExtension, m_suffix), m_baseOffset);
        if (!opened) return opened.error();
        m_txnIndex = std::move(*opened);
    }
    return m_txnIndex.get();
}

void LogSegment::dropTxnIndex() {
    std::lock_guard lock(m_txnIndexMutex);
    if (m_txnIndex) (void)m_txnIndex->close();
    m_txnIndex.reset();
}

Status LogSegment::appendAbortedTxn(const AbortedTxn& txn) {
    auto txns = txnIndex();
    if (!txns) return txns.error();
    return (*txns)->append(txn);
}

Result<std::vector<AbortedTxn>> LogSegment::collectAbortedTxns(int64_t fetchOffset, int64_t upperBoundOffset,
                                                               bool* complete) const {
    auto txns = txnIndex();
    if (!txns) return txns.error();
    return (*txns)->collectAbortedTxns(fetchOffset, upperBoundOffset, complete);
}

Result<bool> LogSegment::indexesAreSane() const {
    Result<Access> a = access();
    if (!a) return a.error();
    if (!a->offsetIndex().isSane() || !a->timeIndex().isSane()) return false;
    // The last entry must point at a batch that exists and holds that offset.
    if (a->offsetIndex().entries() > 0) {
        OffsetPosition last = a->offsetIndex().lastEntry();
        Result<BatchInfo> batch = readBatchHeader(a->log(), last.position, size());
        if (!batch || batch->lastOffset != last.offset) return false;
    }
    return true;
}

// --- files ---

Status LogSegment::changeSuffix(std::string_view suffix) {
    dropTxnIndex();
    std::unique_lock lock(m_handlesMutex);
    for (std::string_view ext : {kLogExtension, kIndexExtension, kTimeIndexExtension, kTxnIndexExtension}) {
        std::string from = filePath(m_dir, m_baseOffset, ext, m_suffix);
        std::string to = filePath(m_dir, m_baseOffset, ext, suffix);
        if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) return fileError("cannot rename", from, errno);
    }
    m_suffix = std::string(suffix);
    if (m_handles) {
        // Descriptors and mappings follow their files; only the names they report change.
        (void)m_handles->offsetIndex->renameTo(filePath(m_dir, m_baseOffset, kIndexExtension, m_suffix));
        (void)m_handles->timeIndex->renameTo(filePath(m_dir, m_baseOffset, kTimeIndexExtension, m_suffix));
    }
    return {};
}

Status LogSegment::deleteFiles() {
    dropTxnIndex();
    std::unique_lock lock(m_handlesMutex);
    for (std::string_view ext : {kLogExtension, kIndexExtension, kTimeIndexExtension, kTxnIndexExtension}) {
        std::string path = filePath(m_dir, m_baseOffset, ext, m_suffix);
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fileError("cannot delete", path, errno);
    }
    return {};
}

}  // namespace partita::storage
