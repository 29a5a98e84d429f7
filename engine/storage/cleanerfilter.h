// CleanerFilter: what compaction keeps of one record batch, and the bytes it writes for it.
#pragma once

#include "engine/protocol/records/record.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace partita::protocol::records {
class RecordBatchView;
}

namespace partita::storage {

class OffsetMap;
struct CleanStats;

// Kafka's record-level rules (MemoryRecords.filterTo with the cleaner's policy), applied batch by
// batch in offset order over one round's segments:
// - a keyed record goes if the offset map holds a later offset for its key; null keys stay;
// - a tombstone goes once its batch's delete horizon (KIP-534) has passed; a batch that keeps
//   tombstones or is a transaction marker gets a horizon (now + delete.retention.ms) the first
//   time it is rewritten;
// - a COMMIT/ABORT marker goes once its horizon has passed and no record of its transaction was
//   kept earlier in the round. Aborted data is not removed: that needs the segments' .txnindex,
//   which they do not maintain yet, so aborted data stays and its marker with it;
// - a batch that loses every record still leaves an empty header if it is its producer's last
//   batch (idempotent producer state survives a rebuild from the log) or if the caller asks
//   (the last batch of a cleaned segment group, so that the group's end offset survives);
// - untouched batches, batches at or past the round's end and corrupt batches are copied as they are.
// One instance serves one round: it carries transaction state from batch to batch.
class CleanerFilter {
public:
    struct Settings {
        int64_t nowMs = 0;
        int64_t deleteRetentionMs = 0;
        int64_t endOffset = 0;  // batches starting at or past it are copied as they are
        size_t maxUncompressedBatchBytes = 0;
    };

    // producerLastOffsets: the last offset of each producer's last batch in the scanned range.
    CleanerFilter(const OffsetMap& map, const Settings& settings,
                  std::unordered_map<int64_t, int64_t> producerLastOffsets);

    // Appends what is kept of `batch` to `out` and counts it in `stats`. `batchLabel` names the
    // batch in logs (file and position). Only an internal encoding failure is an error.
    Status filter(const protocol::records::RecordBatchView& batch, bool keepHeader, std::vector<uint8_t>& out,
                  CleanStats& stats, const char* batchLabel);

private:
    void copy(const protocol::records::RecordBatchView& batch, std::vector<uint8_t>& out, CleanStats& stats);
    void noteCopiedTransactionalData(const protocol::records::RecordBatchView& batch);
    // true: the marker may go as far as its transaction is concerned.
    bool markerEndsTransaction(const protocol::records::RecordBatchView& batch,
                               const protocol::records::RecordView& record);
    Status rebuild(const protocol::records::RecordBatchView& batch, std::optional<int64_t> deleteHorizon,
                   std::vector<uint8_t>& out);
    Status emptyHeader(const protocol::records::RecordBatchView& batch, std::vector<uint8_t>& out);

    const OffsetMap& m_map;
    const Settings m_settings;
    const std::unordered_map<int64_t, int64_t> m_producerLastOffsets;
    // Producers whose open transaction has records kept so far in this round.
    std::unordered_set<int64_t> m_transactionsWithData;
    std::vector<protocol::records::RecordView> m_kept;  // reused from batch to batch
};

}  // namespace partita::storage
