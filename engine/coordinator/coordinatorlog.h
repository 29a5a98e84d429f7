// replayCoordinatorLog: a coordinator topic partition read back in order, record by record, at start.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/result.h"

#include <functional>
#include <optional>

namespace partita::protocol::records {
class RecordBatchView;
}

namespace partita::storage {
class PartitionLog;
}

namespace partita::coordinator {

struct CoordinatorLogVisitor {
    // Each record with a key: the batch it is in, its offset, key and value (nullopt: a tombstone).
    std::function<void(const protocol::records::RecordBatchView& batch, int64_t offset, const Bytes& key,
                       const std::optional<Bytes>& value)>
        onRecord;
    // Each control batch (transaction markers); may be empty.
    std::function<void(const protocol::records::RecordBatchView& batch)> onControlBatch;
};

// From the log start to the high watermark, CRC-checked. A batch that does not decode is an error.
Status replayCoordinatorLog(const storage::PartitionLog& log, const CoordinatorLogVisitor& visitor);

}  // namespace partita::coordinator
