// Reading a coordinator topic partition back: chunks of whole batches, then their records.
#include "engine/coordinator/coordinatorlog.h"

#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/protocol/records/recordset.h"
#include "engine/storage/partitionlog.h"

namespace partita::coordinator {

namespace records = protocol::records;

namespace {
// Coordinator batches are small; reading back goes in steps of this much.
constexpr size_t kLoadChunkBytes = 4 << 20;
// Coordinator records are never compressed beyond what one record holds; no bombs here.
constexpr size_t kMaxUncompressedBatch = 64 << 20;
}  // namespace

Status replayCoordinatorLog(const storage::PartitionLog& log, const CoordinatorLogVisitor& visitor) {
    int64_t offset = log.logStartOffset();
    const int64_t end = log.highWatermark();
    while (offset < end) {
        auto chunk = log.readVerified(offset, kLoadChunkBytes, end);
        if (!chunk) return chunk.error();
        if (chunk->size() == 0) break;
        records::RecordSetReader reader(*chunk);
        const int64_t before = offset;
        for (;;) {
            auto batch = reader.nextBatch();
            if (!batch) return batch.error();
            if (!*batch) break;
            offset = (*batch)->nextOffset();
            if ((*batch)->isControl()) {
                if (visitor.onControlBatch) visitor.onControlBatch(**batch);
                continue;
            }
            auto recordReader = records::RecordReader::open(**batch, kMaxUncompressedBatch);
            if (!recordReader) return recordReader.error();
            records::RecordView record;
            while (recordReader->next(record)) {
                if (!record.key) continue;
                std::optional<Bytes> value;
                if (record.value) value = Bytes::copyOf(*record.value);
                visitor.onRecord(**batch, record.offset, Bytes::copyOf(*record.key), value);
            }
            if (!recordReader->status()) return recordReader->status();
        }
        if (offset == before) break;  // nothing whole in the chunk: a batch larger than the chunk size
    }
    return {};
}

}  // namespace partita::coordinator
