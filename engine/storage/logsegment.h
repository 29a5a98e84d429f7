// LogSegment: one .log file of record batches with its .index and .timeindex, named by its base offset.
#pragma once

#include "engine/protocol/result.h"
#include "engine/storage/batchscanner.h"
#include "engine/storage/fileslice.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>

namespace partita::protocol::records {
class RecordBatchView;
}

namespace partita::storage {

struct AbortedTxn;
class TransactionIndex;

class FileHandle;
class OffsetIndex;
class TimeIndex;
class SegmentHandleCache;

struct SegmentOptions {
    int32_t indexIntervalBytes = 4096;
    int32_t maxIndexBytes = 10485760;
    bool preallocate = false;
    SegmentHandleCache* handleCache = nullptr;  // limits open files; none in tests that do not care
};

// A record found by timestamp (ListOffsets).
struct TimestampedOffset {
    int64_t offset;
    int64_t timestamp;
    int32_t leaderEpoch;
};

// What recovery found in a segment it re-validated.
struct SegmentRecovery {
    int64_t nextOffset = 0;        // one past the last valid batch (the base offset if none)
    uint64_t truncatedBytes = 0;   // bytes cut from the tail
    std::string truncationReason;  // why, naming file and position; empty if nothing was cut
};

// The active segment (the last one) is written by its log, which serializes appends; reads run
// concurrently from any thread. An inactive segment opens its files on first use and may be
// closed again by the handle cache; the FileSlices it handed out keep their own descriptor.
class LogSegment : public std::enable_shared_from_this<LogSegment> {
public:
    // "<dir>/<base offset in 20 digits><extension><suffix>", e.g. 00000000000000000042.log.cleaned.
    static std::string filePath(const std::string& dir, int64_t baseOffset, std::string_view extension,
                                std::string_view suffix = {});

    // A new empty segment, created now and active.
    static Result<std::shared_ptr<LogSegment>> create(const std::string& dir, int64_t baseOffset,
                                                      const SegmentOptions& options, int64_t createdMs,
                                                      int64_t rollJitterMs, std::string_view suffix = {});
    // A segment found on disk; files are opened on first use. `active` opens them writable now.
    static Result<std::shared_ptr<LogSegment>> load(const std::string& dir, int64_t baseOffset,
                                                    const SegmentOptions& options, bool active,
                                                    std::string_view suffix = {});
    ~LogSegment();

    int64_t baseOffset() const { return m_baseOffset; }
    uint64_t size() const { return m_size.load(std::memory_order_acquire); }
    std::string logPath() const;
    const std::string& suffix() const { return m_suffix; }
    int64_t rollJitterMs() const { return m_rollJitterMs; }

    // --- the active segment, called with the log's lock held ---

    // Appends whole batches whose offsets are assigned (largestOffset is the last one's last
    // offset). Adds index entries every index.interval.bytes. A failed write leaves the segment
    // as it was: the file is cut back to its old size.
    Status append(std::span<const uint8_t> batches);
    // Whether a batch of `bytes` bytes ending at `largestOffset` cannot go into this segment
    // (segment.bytes, segment.ms with jitter, a full index, relative offsets beyond int32).
    bool shouldRoll(int32_t segmentBytes, int64_t segmentMs, uint64_t bytes, int64_t largestOffset,
                    int64_t batchMaxTimestamp, int64_t nowMs) const;
    // The segment stops being written: a last time index entry, indexes trimmed to their entries.
    Status makeInactive();
    // Reopens the indexes writable (the log's tail segment after a truncation).
    Status makeActive();
    bool isActive() const { return m_active.load(std::memory_order_acquire); }
    // fdatasync of the .log; msync of the indexes once the segment is inactive.
    Status flush();
    // Drops every batch from the one holding `offset` on; returns the bytes cut.
    Result<uint64_t> truncateTo(int64_t offset);

    // --- reads, from any thread ---

    // Whole batches from the first one holding an offset >= startOffset, at most maxBytes (the first
    // batch alone if it is bigger and minOneBatch), never past maxPosition. nullopt if the segment
    // has nothing at or after startOffset; an empty slice if the first batch does not fit.
    Result<std::optional<FileSlice>> read(int64_t startOffset, size_t maxBytes, uint64_t maxPosition,
                                          bool minOneBatch) const;
    // File position of the first batch holding an offset >= offset, or size() if none.
    Result<uint64_t> positionOf(int64_t offset) const;
    // The first record at or after startingOffset whose timestamp is >= timestamp.
    Result<std::optional<TimestampedOffset>> findOffsetByTimestamp(int64_t timestamp, int64_t startingOffset) const;
    // One past the last offset in the segment (its base offset if empty).
    Result<int64_t> readNextOffset() const;
    // The largest record timestamp, or the file's modification time if no batch has one (Kafka's rule).
    Result<int64_t> largestTimestamp() const;
    // Calls onBatch for every batch from the start, stopping early when it returns false.
    Status forEachBatch(const std::function<bool(const protocol::records::RecordBatchView&)>& onBatch) const;

    // --- aborted transactions (.txnindex, created with its first entry) ---

    // Records a transaction whose ABORT marker is in this segment.
    Status appendAbortedTxn(const AbortedTxn& txn);
    // The aborted transactions overlapping [fetchOffset, upperBoundOffset); `complete` is set when
    // no later segment can hold more of them (TransactionIndex::collectAbortedTxns).
    Result<std::vector<AbortedTxn>> collectAbortedTxns(int64_t fetchOffset, int64_t upperBoundOffset,
                                                       bool* complete) const;

    // --- recovery and file management, with the log's lock held ---

    // Re-validates every batch (CRC, sizes, offsets), rebuilds both indexes and cuts the file at
    // the first invalid batch. onBatch sees each valid batch (producer state, leader epochs); the
    // aborted-transaction index is emptied for it to refill.
    Result<SegmentRecovery> recover(const std::function<void(const protocol::records::RecordBatchView&)>& onBatch);
    // Index sanity on a clean load; false means recover() this segment instead of trusting it.
    Result<bool> indexesAreSane() const;
    // Renames every file of the segment to the new suffix ("" for final names, ".deleted", ".swap").
    Status changeSuffix(std::string_view suffix);
    Status deleteFiles();
    // Closes files and mappings of an inactive segment (handle cache eviction); no-op if active.
    void closeHandles();

private:
    struct Handles;
    class Access;

    LogSegment(std::string dir, int64_t baseOffset, const SegmentOptions& options, std::string suffix);
    // Forgets the open .txnindex (its file was renamed or deleted); the next use opens it again.
    void dropTxnIndex();
    Result<Access> access() const;
    Status openHandles(bool writable) const;
    Status indexBatch(uint64_t position, uint32_t size, int64_t lastOffset, int64_t maxTimestamp);
    Result<std::optional<BatchInfo>> firstBatchFrom(const Access& a, int64_t offset, uint64_t end) const;

    const std::string m_dir;
    const int64_t m_baseOffset;
    const SegmentOptions m_options;
    std::string m_suffix;
    std::atomic<uint64_t> m_size{0};
    std::atomic<bool> m_active{false};
    int64_t m_createdMs = 0;
    int64_t m_rollJitterMs = 0;

    // Opened lazily; guarded by m_handlesMutex (shared for use, exclusive to open or close).
    mutable std::shared_mutex m_handlesMutex;
    mutable std::unique_ptr<Handles> m_handles;
    // The .txnindex under the segment's current name, opened on first use.
    mutable std::mutex m_txnIndexMutex;
    mutable std::unique_ptr<TransactionIndex> m_txnIndex;
    Result<TransactionIndex*> txnIndex() const;

    // Append-side state of the active segment.
    uint64_t m_bytesSinceLastIndexEntry = 0;
    std::atomic<int64_t> m_maxTimestampSoFar{-1};  // also read by readers (largestTimestamp)
    int64_t m_offsetOfMaxTimestampSoFar = -1;
    int64_t m_firstBatchTimestamp = -1;  // segment.ms counts from the first batch's timestamp
    mutable std::atomic<int64_t> m_cachedLargestTimestamp{INT64_MIN};
};

}  // namespace partita::storage
