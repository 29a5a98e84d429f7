// RecordBatchView: a lazy, validated view of one magic-2 record batch, and in-place header edits.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/record.h"
#include "engine/protocol/records/recordconstants.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace partita::protocol::records {

// Field offsets of the 61-byte header (FORMATS.md section 1).
namespace batch {
inline constexpr size_t kBaseOffset = 0;
inline constexpr size_t kBatchLength = 8;
inline constexpr size_t kPartitionLeaderEpoch = 12;
inline constexpr size_t kMagic = 16;
inline constexpr size_t kCrc = 17;
inline constexpr size_t kAttributes = 21;
inline constexpr size_t kLastOffsetDelta = 23;
inline constexpr size_t kBaseTimestamp = 27;
inline constexpr size_t kMaxTimestamp = 35;
inline constexpr size_t kProducerId = 43;
inline constexpr size_t kProducerEpoch = 51;
inline constexpr size_t kBaseSequence = 53;
inline constexpr size_t kRecordsCount = 57;
inline constexpr size_t kHeaderSize = 61;
// BatchLength of a batch with no records.
inline constexpr int32_t kMinBatchLength = int32_t(kHeaderSize - kLogOverhead);

inline constexpr int16_t kCodecMask = 0x07;
inline constexpr int16_t kTimestampTypeBit = 0x08;
inline constexpr int16_t kTransactionalBit = 0x10;
inline constexpr int16_t kControlBit = 0x20;
inline constexpr int16_t kDeleteHorizonBit = 0x40;
}  // namespace batch

// A view of one batch over shared bytes. parse() checks only what is needed to read the header
// safely (size, BatchLength, magic); validate() checks the CRC and the attributes. Nothing is
// decompressed or decoded until RecordReader asks for the records.
class RecordBatchView {
public:
    RecordBatchView() = default;

    // The batch at the start of bytes; bytes may continue past it. Truncated if the batch is
    // not all there, Malformed for a BatchLength below the header, Unsupported for magic != 2.
    static Result<RecordBatchView> parse(Bytes bytes);

    const Bytes& bytes() const { return m_bytes; }
    std::span<const uint8_t> span() const { return m_bytes.span(); }
    size_t sizeInBytes() const { return m_bytes.size(); }

    int64_t baseOffset() const { return loadBeI64(at(batch::kBaseOffset)); }
    int32_t batchLength() const { return loadBeI32(at(batch::kBatchLength)); }
    int32_t partitionLeaderEpoch() const { return loadBeI32(at(batch::kPartitionLeaderEpoch)); }
    int8_t magic() const { return int8_t(*at(batch::kMagic)); }
    uint32_t storedCrc() const { return loadBe32(at(batch::kCrc)); }
    int16_t attributes() const { return loadBeI16(at(batch::kAttributes)); }
    int32_t lastOffsetDelta() const { return loadBeI32(at(batch::kLastOffsetDelta)); }
    int64_t baseTimestamp() const { return loadBeI64(at(batch::kBaseTimestamp)); }
    int64_t maxTimestamp() const { return loadBeI64(at(batch::kMaxTimestamp)); }
    int64_t producerId() const { return loadBeI64(at(batch::kProducerId)); }
    int16_t producerEpoch() const { return loadBeI16(at(batch::kProducerEpoch)); }
    int32_t baseSequence() const { return loadBeI32(at(batch::kBaseSequence)); }
    int32_t recordCount() const { return loadBeI32(at(batch::kRecordsCount)); }

    int codecId() const { return attributes() & batch::kCodecMask; }
    // Only meaningful after validate() (ids 5-7 are rejected there).
    CompressionType compression() const { return CompressionType(codecId()); }
    bool isCompressed() const { return codecId() != 0; }
    TimestampType timestampType() const {
        return (attributes() & batch::kTimestampTypeBit) ? TimestampType::LogAppendTime : TimestampType::CreateTime;
    }
    bool isTransactional() const { return (attributes() & batch::kTransactionalBit) != 0; }
    bool isControl() const { return (attributes() & batch::kControlBit) != 0; }
    bool hasDeleteHorizon() const { return (attributes() & batch::kDeleteHorizonBit) != 0; }
    // The delete horizon written by compaction, or kNoTimestamp.
    int64_t deleteHorizon() const { return hasDeleteHorizon() ? baseTimestamp() : kNoTimestamp; }

    int64_t lastOffset() const { return wrappingAdd(baseOffset(), lastOffsetDelta()); }
    int64_t nextOffset() const { return wrappingAdd(lastOffset(), 1); }
    // Sequence of the last record, wrapping from INT32_MAX to 0 as producers do.
    int32_t lastSequence() const;

    // CRC-32C of bytes 21..end, as it should be stored.
    uint32_t computeCrc() const;
    bool isCrcValid() const { return computeCrc() == storedCrc(); }
    // CRC, codec id and record count. Malformed or Unsupported with a message saying which.
    Status validate() const;

    // The records area (compressed or not), after the header.
    std::span<const uint8_t> recordsArea() const { return span().subspan(batch::kHeaderSize); }

    // Decodes every record into owning Records (see RecordReader for the borrowed, faster path).
    Result<std::vector<Record>> decodeRecords(size_t maxUncompressed) const;

private:
    explicit RecordBatchView(Bytes bytes) : m_bytes(std::move(bytes)) {}
    const uint8_t* at(size_t offset) const { return m_bytes.data() + offset; }

    Bytes m_bytes;
};

// Header edits in place on a batch's own buffer (at least 61 bytes). BaseOffset and
// PartitionLeaderEpoch are outside the CRC, so the leader sets them without recomputing it.
Status setBaseOffset(std::span<uint8_t> batchBytes, int64_t baseOffset);
Status setPartitionLeaderEpoch(std::span<uint8_t> batchBytes, int32_t epoch);
// Sets the timestamp type bit and MaxTimestamp and recomputes the CRC (skipped if both are
// already as asked). The records are not rewritten: for LogAppendTime readers take
// MaxTimestamp as every record's timestamp.
Status setMaxTimestamp(std::span<uint8_t> batchBytes, TimestampType type, int64_t maxTimestamp);
inline Status setLogAppendTime(std::span<uint8_t> batchBytes, int64_t appendTime) {
    return setMaxTimestamp(batchBytes, TimestampType::LogAppendTime, appendTime);
}

}  // namespace partita::protocol::records
