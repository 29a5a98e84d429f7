// RecordBatchBuilder: encodes records into one magic-2 batch with its lengths, offsets and CRC.
#pragma once

#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/record.h"
#include "engine/protocol/records/recordconstants.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace partita::protocol::records {

// Records are encoded as they are appended, straight after a reserved header in one buffer,
// so an uncompressed batch is built without copying and a compressed one with one compress
// call. build() clears the records (and a LastOffsetDelta override) but keeps the other settings.
class RecordBatchBuilder {
public:
    RecordBatchBuilder();

    void setBaseOffset(int64_t baseOffset) { m_baseOffset = baseOffset; }
    void setPartitionLeaderEpoch(int32_t epoch) { m_partitionLeaderEpoch = epoch; }
    void setProducer(int64_t producerId, int16_t producerEpoch, int32_t baseSequence);
    void setTransactional(bool transactional) { m_transactional = transactional; }
    void setControl(bool control) { m_control = control; }
    void setCompression(CompressionType type, std::optional<int> level = {});
    // LogAppendTime as the leader stamps it: MaxTimestamp becomes appendTime.
    void setLogAppendTime(int64_t appendTime);
    void setCreateTime();
    // Compaction's delete horizon: BaseTimestamp holds it and record deltas are taken from it.
    // Must be set before the first record.
    Status setDeleteHorizon(int64_t deleteHorizon);
    // Compaction keeps LastOffsetDelta when it drops the last records; must be at least the
    // delta of the last record appended. An empty batch needs it. Applies to the next build() only.
    void setLastOffsetDelta(int32_t lastOffsetDelta) { m_lastOffsetDeltaOverride = lastOffsetDelta; }

    // Appends a record at the next offset (BaseOffset + number of records so far).
    // A timestamp is >= 0 or kNoTimestamp.
    Status append(int64_t timestamp, OptionalBytesView key, OptionalBytesView value,
                  std::span<const HeaderView> headers = {});
    // Appends a record at an absolute offset, above the previous one (compaction leaves gaps).
    Status appendWithOffset(int64_t offset, int64_t timestamp, OptionalBytesView key, OptionalBytesView value,
                            std::span<const HeaderView> headers = {});

    int32_t recordCount() const { return m_count; }
    bool empty() const { return m_count == 0; }
    // Bytes of the batch so far without compression (header included).
    size_t uncompressedSize() const { return m_buffer.size(); }

    // The finished batch. Clears the records for the next batch; settings stay.
    Result<std::vector<uint8_t>> build();
    // Drops the records appended so far.
    void clearRecords();

private:
    Status appendAt(int32_t offsetDelta, int64_t timestamp, OptionalBytesView key, OptionalBytesView value,
                    std::span<const HeaderView> headers);

    std::vector<uint8_t> m_buffer;  // kHeaderSize reserved bytes, then the encoded records
    int64_t m_baseOffset = 0;
    int32_t m_partitionLeaderEpoch = kNoPartitionLeaderEpoch;
    int64_t m_producerId = kNoProducerId;
    int16_t m_producerEpoch = kNoProducerEpoch;
    int32_t m_baseSequence = kNoSequence;
    bool m_transactional = false;
    bool m_control = false;
    CompressionType m_compression = CompressionType::None;
    std::optional<int> m_level;
    TimestampType m_timestampType = TimestampType::CreateTime;
    int64_t m_logAppendTime = kNoTimestamp;
    std::optional<int64_t> m_deleteHorizon;
    std::optional<int32_t> m_lastOffsetDeltaOverride;

    int32_t m_count = 0;
    int32_t m_lastOffsetDelta = -1;
    int64_t m_baseTimestamp = kNoTimestamp;
    int64_t m_maxTimestamp = kNoTimestamp;
};

}  // namespace partita::protocol::records
