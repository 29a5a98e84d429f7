// RecordBatchBuilder: record encoding, header fields and CRC of a magic-2 batch.
#include "engine/protocol/records/recordbatchbuilder.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/crc32c.h"
#include "engine/protocol/records/recordbatch.h"

#include <algorithm>
#include <limits>
#include <string>

namespace partita::protocol::records {

namespace {

constexpr size_t kMaxField = size_t(std::numeric_limits<int32_t>::max());

bool fitsInt32(const OptionalBytesView& bytes) {
    return !bytes || bytes->size() <= kMaxField;
}

}  // namespace

RecordBatchBuilder::RecordBatchBuilder() {
    m_buffer.resize(batch::kHeaderSize);
}

void RecordBatchBuilder::setProducer(int64_t producerId, int16_t producerEpoch, int32_t baseSequence) {
    m_producerId = producerId;
    m_producerEpoch = producerEpoch;
    m_baseSequence = baseSequence;
}

void RecordBatchBuilder::setCompression(CompressionType type, std::optional<int> level) {
    m_compression = type;
    m_level = level;
}

void RecordBatchBuilder::setLogAppendTime(int64_t appendTime) {
    m_timestampType = TimestampType::LogAppendTime;
    m_logAppendTime = appendTime;
}

void RecordBatchBuilder::setCreateTime() {
    m_timestampType = TimestampType::CreateTime;
    m_logAppendTime = kNoTimestamp;
}

Status RecordBatchBuilder::setDeleteHorizon(int64_t deleteHorizon) {
    if (m_count > 0)
        return makeError(ErrorKind::InvalidArgument, "the delete horizon must be set before the first record");
    m_deleteHorizon = deleteHorizon;
    return Status::success();
}

Status RecordBatchBuilder::append(int64_t timestamp, OptionalBytesView key, OptionalBytesView value,
                                  std::span<const HeaderView> headers) {
    if (m_count == std::numeric_limits<int32_t>::max()) return makeError(ErrorKind::InvalidArgument, "batch is full");
    return appendAt(m_lastOffsetDelta + 1, timestamp, key, value, headers);
}

Status RecordBatchBuilder::appendWithOffset(int64_t offset, int64_t timestamp, OptionalBytesView key,
                                            OptionalBytesView value, std::span<const HeaderView> headers) {
    int64_t delta = 0;
    if (__builtin_sub_overflow(offset, m_baseOffset, &delta) || delta <= m_lastOffsetDelta ||
        delta > std::numeric_limits<int32_t>::max()) {
        return makeError(ErrorKind::InvalidArgument,
                         "offset " + std::to_string(offset) +
                             " is not above the previous record's or too far from base offset " +
                             std::to_string(m_baseOffset));
    }
    return appendAt(int32_t(delta), timestamp, key, value, headers);
}

Status RecordBatchBuilder::appendAt(int32_t offsetDelta, int64_t timestamp, OptionalBytesView key,
                                    OptionalBytesView value, std::span<const HeaderView> headers) {
    if (timestamp < 0 && timestamp != kNoTimestamp) {
        return makeError(ErrorKind::InvalidArgument, "invalid negative timestamp " + std::to_string(timestamp));
    }
    if (!fitsInt32(key) || !fitsInt32(value) || headers.size() > kMaxField) {
        return makeError(ErrorKind::InvalidArgument, "record key, value or header count is over 2 GiB");
    }
    for (const HeaderView& h : headers) {
        if (h.key.size() > kMaxField || !fitsInt32(h.value)) {
            return makeError(ErrorKind::InvalidArgument, "record header is over 2 GiB");
        }
    }
    if (m_count == 0) m_baseTimestamp = m_deleteHorizon.value_or(timestamp);
    const int64_t timestampDelta = wrappingSub(timestamp, m_baseTimestamp);
    const size_t body = recordBodySize(timestampDelta, offsetDelta, key, value, headers);
    if (body > kMaxField || m_buffer.size() + body > kMaxField) {
        return makeError(ErrorKind::InvalidArgument, "batch would be over 2 GiB");
    }
    const size_t at = m_buffer.size();
    m_buffer.resize(at + encodedRecordSize(body));
    encodeRecord(m_buffer.data() + at, body, timestampDelta, offsetDelta, key, value, headers);
    ++m_count;
    m_lastOffsetDelta = offsetDelta;
    m_maxTimestamp = std::max(m_maxTimestamp, timestamp);
    return Status::success();
}

void RecordBatchBuilder::clearRecords() {
    m_buffer.resize(batch::kHeaderSize);
    m_count = 0;
    m_lastOffsetDelta = -1;
    m_baseTimestamp = kNoTimestamp;
    m_maxTimestamp = kNoTimestamp;
    m_lastOffsetDeltaOverride.reset();
}

Result<std::vector<uint8_t>> RecordBatchBuilder::build() {
    int32_t lastOffsetDelta = m_lastOffsetDelta;
    if (m_lastOffsetDeltaOverride) {
        if (*m_lastOffsetDeltaOverride < m_lastOffsetDelta) {
            return makeError(ErrorKind::InvalidArgument, "last offset delta is below the last record's");
        }
        lastOffsetDelta = *m_lastOffsetDeltaOverride;
    } else if (m_count == 0) {
        return makeError(ErrorKind::InvalidArgument, "an empty batch needs an explicit last offset delta");
    }

    std::vector<uint8_t> out;
    if (m_compression == CompressionType::None) {
        out = std::move(m_buffer);
    } else {
        out.reserve(batch::kHeaderSize + (m_buffer.size() - batch::kHeaderSize) / 2);
        out.resize(batch::kHeaderSize);
        const auto records = std::span<const uint8_t>(m_buffer).subspan(batch::kHeaderSize);
        Status status = compressAppend(m_compression, records, out, CodecOptions{.level = m_level});
        if (!status) return status.error();
    }
    if (out.size() - kLogOverhead > size_t(std::numeric_limits<int32_t>::max())) {
        return makeError(ErrorKind::InvalidArgument, "batch is over 2 GiB");
    }

    int16_t attributes = int16_t(m_compression);
    if (m_timestampType == TimestampType::LogAppendTime) attributes |= batch::kTimestampTypeBit;
    if (m_transactional) attributes |= batch::kTransactionalBit;
    if (m_control) attributes |= batch::kControlBit;
    if (m_deleteHorizon) attributes |= batch::kDeleteHorizonBit;
    const int64_t baseTimestamp = m_deleteHorizon.value_or(m_baseTimestamp);
    const int64_t maxTimestamp = m_timestampType == TimestampType::LogAppendTime ? m_logAppendTime : m_maxTimestamp;

    uint8_t* p = out.data();
    storeBe64(p + batch::kBaseOffset, uint64_t(m_baseOffset));
    storeBe32(p + batch::kBatchLength, uint32_t(out.size() - kLogOverhead));
    storeBe32(p + batch::kPartitionLeaderEpoch, uint32_t(m_partitionLeaderEpoch));
    p[batch::kMagic] = uint8_t(kMagicV2);
    storeBe16(p + batch::kAttributes, uint16_t(attributes));
    storeBe32(p + batch::kLastOffsetDelta, uint32_t(lastOffsetDelta));
    storeBe64(p + batch::kBaseTimestamp, uint64_t(baseTimestamp));
    storeBe64(p + batch::kMaxTimestamp, uint64_t(maxTimestamp));
    storeBe64(p + batch::kProducerId, uint64_t(m_producerId));
    storeBe16(p + batch::kProducerEpoch, uint16_t(m_producerEpoch));
    storeBe32(p + batch::kBaseSequence, uint32_t(m_baseSequence));
    storeBe32(p + batch::kRecordsCount, uint32_t(m_count));
    storeBe32(p + batch::kCrc, crc32c(std::span<const uint8_t>(out).subspan(batch::kAttributes)));

    if (m_compression == CompressionType::None) m_buffer.reserve(out.size());  // the next batch is likely alike
    clearRecords();
    return out;
}

}  // namespace partita::protocol::records
