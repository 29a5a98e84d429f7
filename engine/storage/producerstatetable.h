// ProducerStateTable: one partition's idempotent/transactional producer state and its .snapshot files.
#pragma once

#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace partita::storage {

// What Kafka's ProducerStateEntry keeps per producer and writes into a snapshot.
struct ProducerEntry {
    int64_t producerId;
    int16_t epoch;
    int32_t lastSequence;           // of the last data batch, -1 if none in this epoch
    int64_t lastOffset;             // of the last data batch, -1 if none in this epoch
    int32_t offsetDelta;            // lastOffset - first offset of that batch
    int64_t lastTimestamp;          // max timestamp of the last batch (data or marker)
    int32_t coordinatorEpoch;       // -1 until a transaction marker carries one
    int64_t currentTxnFirstOffset;  // first offset of the open transaction, -1 if none

    bool operator==(const ProducerEntry&) const = default;
};

// One appended data batch of a producer, kept to answer a retry of it with its original offsets.
struct RecentBatch {
    int32_t firstSequence = -1;
    int32_t lastSequence = -1;
    int64_t firstOffset = -1;
    int64_t lastOffset = -1;
    int64_t maxTimestamp = -1;
};

// Snapshots are <20-digit offset>.snapshot in the partition directory, in Kafka's format (v1):
// int16 version, uint32 CRC-32C of everything after the CRC, int32 count, then per producer
// int64 id, int16 epoch, int32 last sequence, int64 last offset, int32 offset delta,
// int64 timestamp, int32 coordinator epoch, int64 current transaction first offset (all
// big-endian). Not thread-safe: the partition log serializes every call.
class ProducerStateTable {
public:
    static constexpr int16_t kSnapshotVersion = 1;
    static constexpr size_t kHeaderSize = 10;
    static constexpr size_t kEntrySize = 46;

    // Applies one appended batch of a producer (producerId >= 0). A data batch records its sequence
    // and offsets and, if transactional, opens a transaction when none is open; a control batch (a
    // COMMIT/ABORT marker) closes the open transaction. An epoch change forgets the old epoch's
    // sequence, as Kafka does. The sequence range is taken as validated by the caller.
    // Returns, for a marker, the first offset of the transaction it closed (nullopt: none was open).
    std::optional<int64_t> onBatch(int64_t producerId, int16_t epoch, int32_t baseSequence, int32_t lastSequence,
                                   int64_t firstOffset, int64_t lastOffset, int64_t maxTimestamp, bool transactional,
                                   bool control);
    // The first offset of the oldest open transaction (nullopt: none is open): the last stable
    // offset cannot pass it.
    std::optional<int64_t> firstUnstableOffset() const;
    // Kafka's checks of an idempotent producer's next data batch. An epoch older than the last one
    // seen is StaleProducerEpoch (a zombie). In the current epoch the first sequence must follow the
    // last batch's (wrapping after INT32_MAX); a new epoch of a known producer starts at 0; either
    // failing is OutOfOrderSequence. A producer the table does not know (new, or its batches went
    // with retention) may start anywhere.
    Status checkSequence(int64_t producerId, int16_t epoch, int32_t firstSequence) const;
    // The batch of the producer's current epoch with exactly this sequence range among the last
    // kRecentBatches it appended: a retry, answered with the original offsets and not written again.
    std::optional<RecentBatch> findDuplicate(int64_t producerId, int16_t epoch, int32_t firstSequence,
                                             int32_t lastSequence) const;
    static constexpr size_t kRecentBatches = 5;

    // A marker's coordinator epoch is in its record, not its batch header: the log sets it here.
    void setCoordinatorEpoch(int64_t producerId, int32_t coordinatorEpoch);

    std::optional<ProducerEntry> find(int64_t producerId) const;
    std::vector<ProducerEntry> entries() const;  // ordered by producer id
    size_t size() const { return m_producers.size(); }
    // Forgets producers whose last batch's timestamp is expirationMs or more before nowMs, unless
    // a transaction of theirs is open; returns how many went.
    size_t removeExpired(int64_t nowMs, int64_t expirationMs);
    // Forgets every producer; mapEndOffset() goes back to 0.
    void clear();

    // The offset up to which the table reflects the log: the offset after the last batch seen, or the
    // snapshot's offset after loading one.
    int64_t mapEndOffset() const { return m_mapEndOffset; }
    // For batches without a producer, which the table does not see but has still covered.
    void setMapEndOffset(int64_t offset) { m_mapEndOffset = offset; }

    // Writes the table as <dir>/<offset>.snapshot (through a .tmp file, synced, renamed, directory synced).
    Status takeSnapshot(const std::string& partitionDir, int64_t offset) const;
    // Replaces the table with the newest snapshot at or below maxOffset and returns its offset
    // (nullopt: none, the table is empty and mapEndOffset() is 0). A corrupt snapshot is deleted
    // and an older one tried; `discarded` (if given) receives why each one was dropped.
    Result<std::optional<int64_t>> loadLatestSnapshot(const std::string& partitionDir, int64_t maxOffset,
                                                      std::vector<Error>* discarded = nullptr);

    // Offsets of the snapshot files in the directory, ascending.
    static std::vector<int64_t> listSnapshotOffsets(const std::string& partitionDir);
    static std::string snapshotPath(const std::string& partitionDir, int64_t offset);
    // Deletes the snapshots with offset < `offset` (retention moved the log start).
    static Status deleteSnapshotsBelow(const std::string& partitionDir, int64_t offset);
    // Deletes the snapshots with offset >= `offset`. After truncating the log to X, a snapshot at
    // exactly X still matches it (Kafka keeps it): pass X + 1 to keep that one.
    static Status deleteSnapshotsFrom(const std::string& partitionDir, int64_t offset);

private:
    std::map<int64_t, ProducerEntry> m_producers;
    // Newest last; only batches of the producer's current epoch (a snapshot restores just the last).
    std::map<int64_t, std::deque<RecentBatch>> m_recentBatches;
    int64_t m_mapEndOffset = 0;
};

}  // namespace partita::storage
