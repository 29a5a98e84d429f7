// PartitionLog: one partition's log directory: its segments, offsets, appends, reads, retention and recovery.
#pragma once

#include "engine/protocol/result.h"
#include "engine/storage/fileslice.h"
#include "engine/storage/logconfig.h"
#include "engine/storage/logsegment.h"
#include "engine/storage/producerstatetable.h"
#include "engine/storage/transactionindex.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace partita::storage {

class Clock;
class LeaderEpochCache;
class SegmentHandleCache;

// What an append wrote, for the produce response and the replica manager.
struct AppendInfo {
    int64_t firstOffset = -1;
    int64_t lastOffset = -1;
    int64_t maxTimestamp = -1;
    int64_t offsetOfMaxTimestamp = -1;
    int64_t logAppendTime = -1;  // the time stamped on the batches with LogAppendTime, else -1
    int64_t logStartOffset = 0;
    int32_t batchCount = 0;
    int64_t recordCount = 0;
    uint64_t bytes = 0;
    // A retry of a batch already in the log: nothing was written; the offsets are the original's.
    bool duplicate = false;
};

// What a fetch gets: whole batches as a slice of one segment file, and the offsets it reports.
struct ReadResult {
    FileSlice records;
    int64_t highWatermark = 0;
    int64_t logStartOffset = 0;
    int64_t logEndOffset = 0;
};

// How the log was left, from the log directory's checkpoints and shutdown marker.
struct LoadState {
    bool cleanShutdown = false;
    int64_t recoveryPoint = 0;             // offsets below it were flushed; recovery re-validates from there
    int64_t logStartOffset = 0;            // as checkpointed (DeleteRecords and retention move it)
    std::optional<int64_t> highWatermark;  // unknown: the log end offset
};

// Appends are serialized by one short lock per partition; reads take it only to pick segments and
// then read the files unlocked, so a slow reader never holds up producers. Disk writes of a failed
// append are cut back, so readers and a restarted broker see whole batches only.
class PartitionLog {
public:
    // Opens (creating if needed) "<dataDir>/<topic>-<partition>", recovering it as `state` says.
    static Result<std::unique_ptr<PartitionLog>> open(const std::string& dataDir, const std::string& topic,
                                                      int32_t partition, const LogConfig& config,
                                                      const LoadState& state, const Clock& clock,
                                                      SegmentHandleCache* handleCache = nullptr);
    ~PartitionLog();
    PartitionLog(const PartitionLog&) = delete;
    PartitionLog& operator=(const PartitionLog&) = delete;

    static std::string directoryName(const std::string& topic, int32_t partition);

    // --- writes ---

    // Validates the batches (magic 2, sizes, CRC, max.message.bytes, timestamps), assigns offsets
    // in place in `records`, stamps leader epoch (and LogAppendTime if configured) and appends
    // them all or none. Idempotent producers' batches are checked against the producer state: a
    // retry of one of a producer's last five batches is not written again (AppendInfo::duplicate).
    // Errors: Corrupt, TooLarge, Unsupported, InvalidArgument, Io, OutOfOrderSequence, StaleProducerEpoch.
    Result<AppendInfo> appendAsLeader(std::span<uint8_t> records, int32_t leaderEpoch);
    // Appends batches that already carry offsets (replication), which must follow the log end.
    Result<AppendInfo> appendAsFollower(std::span<const uint8_t> records);

    // Makes everything up to the log end durable and moves the recovery point there.
    Status flush();
    // Flushes if flush.ms has passed since the last flush (the log manager's periodic check).
    Status flushIfDue();
    // Starts a new segment at the log end offset (an empty active segment is kept as it is).
    Status roll();
    // Retention: deletes whole segments past retention.ms / retention.bytes (cleanup.policy
    // delete) or below the log start offset, never the active one nor one above the high
    // watermark. Returns how many segments went.
    Result<int> deleteOldSegments();
    // DeleteRecords: moves the log start offset up (to at most the high watermark).
    Status advanceLogStartOffset(int64_t newStartOffset);
    // Replication: drops everything from `offset` on.
    Status truncateTo(int64_t offset);
    void updateHighWatermark(int64_t offset);
    void updateConfig(const LogConfig& config);
    // Flushes, writes a last producer-state snapshot and trims the indexes.
    Status close();
    // Deletes the partition directory (topic deletion).
    Status deleteAll();

    // --- reads ---

    // Whole batches from the one holding `offset`, up to maxBytes (at least one batch if
    // minOneBatch), not past maxOffset (exclusive: the high watermark for consumers, the log end
    // for followers). OutOfRange if offset is below the log start or above the log end.
    Result<ReadResult> read(int64_t offset, size_t maxBytes, int64_t maxOffset, bool minOneBatch) const;
    // Reads and checks the CRC of every batch (the copying path): Corrupt names the file and position.
    Result<Bytes> readVerified(int64_t offset, size_t maxBytes, int64_t maxOffset) const;
    // ListOffsets by timestamp: the first record with a timestamp >= timestamp.
    Result<std::optional<TimestampedOffset>> offsetForTimestamp(int64_t timestamp) const;

    const std::string& topic() const { return m_topic; }
    int32_t partition() const { return m_partition; }
    const std::string& dir() const { return m_dir; }
    LogConfig config() const;
    int64_t logStartOffset() const;
    int64_t logEndOffset() const;
    int64_t highWatermark() const;
    // Where read_committed consumers stop: the first offset of the oldest open transaction, or the
    // high watermark when none is open below it.
    int64_t lastStableOffset() const;
    // The aborted transactions that overlap [fetchOffset, upperBoundOffset), oldest first, for a
    // read_committed fetch to drop their records.
    Result<std::vector<AbortedTxn>> abortedTransactions(int64_t fetchOffset, int64_t upperBoundOffset) const;
    // Forgets producers whose last batch is older than expirationMs and that have no open
    // transaction (producer.id.expiration.ms); returns how many.
    size_t expireProducers(int64_t nowMs, int64_t expirationMs);
    // The idempotent and transactional producers this partition knows (DescribeProducers).
    std::vector<ProducerEntry> producers() const;
    int64_t recoveryPoint() const;
    uint64_t sizeInBytes() const;
    size_t segmentCount() const;
    std::vector<std::shared_ptr<LogSegment>> segments() const;
    LeaderEpochCache& leaderEpochCache() { return *m_leaderEpochCache; }
    // What recovery cut at open: empty if nothing.
    const std::vector<std::string>& recoveryReport() const { return m_recoveryReport; }

    // --- compaction ---

    // Swaps cleaned segments in for the segments they replace. `cleaned` carry the ".cleaned"
    // suffix and cover the offsets of `replaced`; the swap is crash-safe (.cleaned -> .swap ->
    // final name, replaced segments renamed .deleted first).
    Status replaceSegments(std::vector<std::shared_ptr<LogSegment>> cleaned,
                           const std::vector<std::shared_ptr<LogSegment>>& replaced);
    const Clock& clock() const { return m_clock; }
    SegmentOptions segmentOptions() const;

private:
    PartitionLog(std::string dir, std::string topic, int32_t partition, const LogConfig& config, const Clock& clock,
                 SegmentHandleCache* handleCache);

    Status load(const LoadState& state);
    Status completeInterruptedSwaps();
    Status recoverFrom(size_t firstSegmentIndex);
    Result<AppendInfo> appendLocked(std::span<const uint8_t> records, const AppendInfo& info, int32_t leaderEpoch);
    Status rollLocked(int64_t newBaseOffset);
    Status flushLocked(int64_t upTo);
    Status deleteSegmentsLocked(const std::vector<std::shared_ptr<LogSegment>>& segments, const char* reason);
    void deleteDueFiles();
    // Applies a batch to the producer state; for an ABORT marker that closes a transaction, the
    // entry its segment's .txnindex gets.
    std::optional<AbortedTxn> noteBatch(const protocol::records::RecordBatchView& batch);
    std::shared_ptr<LogSegment> activeLocked() const { return m_segments.rbegin()->second; }
    int64_t rollJitterMs();

    const std::string m_dir;
    const std::string m_topic;
    const int32_t m_partition;
    const Clock& m_clock;
    SegmentHandleCache* const m_handleCache;

    mutable std::mutex m_mutex;
    LogConfig m_config;
    std::map<int64_t, std::shared_ptr<LogSegment>> m_segments;
    int64_t m_logStartOffset = 0;
    int64_t m_nextOffset = 0;
    int64_t m_highWatermark = 0;
    int64_t m_recoveryPoint = 0;
    int64_t m_unflushedRecords = 0;
    int64_t m_lastFlushMs = 0;
    bool m_newSegmentsSinceFlush = false;
    std::unique_ptr<LeaderEpochCache> m_leaderEpochCache;
    std::unique_ptr<ProducerStateTable> m_producerState;
    struct PendingDelete {
        std::shared_ptr<LogSegment> segment;
        int64_t dueMs;
    };
    std::vector<PendingDelete> m_pendingDeletes;
    std::vector<std::string> m_recoveryReport;
    uint64_t m_jitterState;
};

}  // namespace partita::storage
