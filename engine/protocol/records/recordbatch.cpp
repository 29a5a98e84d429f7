// RecordBatchView parsing and validation, and the in-place header edits of a batch.
#include "engine/protocol/records/recordbatch.h"

#include "engine/protocol/records/crc32c.h"
#include "engine/protocol/records/recordreader.h"

#include <limits>
#include <string>

namespace partita::protocol::records {

namespace {

std::string hex(uint32_t v) {
    static const char digits[] = "0123456789abcdef";
    std::string s = "0x00000000";
    for (int i = 9; i >= 2; --i, v >>= 4) s[size_t(i)] = digits[v & 0xF];
    return s;
}

// The batch's extent inside a mutable buffer, checked like parse() does.
Result<std::span<uint8_t>> batchIn(std::span<uint8_t> bytes) {
    if (bytes.size() < batch::kHeaderSize) {
        return makeError(ErrorKind::Truncated,
                         "buffer of " + std::to_string(bytes.size()) + " bytes is shorter than a batch header");
    }
    const int32_t length = loadBeI32(bytes.data() + batch::kBatchLength);
    if (length < batch::kMinBatchLength || size_t(length) + kLogOverhead > bytes.size()) {
        return makeError(ErrorKind::Malformed, "batch length " + std::to_string(length) + " does not fit the buffer");
    }
    if (int8_t(bytes[batch::kMagic]) != kMagicV2) return makeError(ErrorKind::Unsupported, "not a magic-2 batch");
    return bytes.first(size_t(length) + kLogOverhead);
}

}  // namespace

Result<RecordBatchView> RecordBatchView::parse(Bytes bytes) {
    if (bytes.size() < batch::kHeaderSize) {
        return makeError(ErrorKind::Truncated, "record batch of " + std::to_string(bytes.size()) +
                                                   " bytes is shorter than its 61-byte header");
    }
    const int8_t magic = int8_t(bytes.data()[batch::kMagic]);
    if (magic != kMagicV2) {
        return makeError(ErrorKind::Unsupported, "record batch magic " + std::to_string(magic) + " is not 2");
    }
    const int32_t length = loadBeI32(bytes.data() + batch::kBatchLength);
    if (length < batch::kMinBatchLength) {
        return makeError(ErrorKind::Malformed, "batch length " + std::to_string(length) + " is below the minimum of " +
                                                   std::to_string(batch::kMinBatchLength));
    }
    const size_t total = size_t(length) + kLogOverhead;
    if (total > bytes.size()) {
        return makeError(ErrorKind::Truncated, "batch of " + std::to_string(total) + " bytes has only " +
                                                   std::to_string(bytes.size()) + " present");
    }
    return RecordBatchView(bytes.slice(0, total));
}

int32_t RecordBatchView::lastSequence() const {
    const int32_t base = baseSequence();
    if (base == kNoSequence) return kNoSequence;
    const int64_t last = int64_t(base) + lastOffsetDelta();
    return last > std::numeric_limits<int32_t>::max() ? int32_t(last - std::numeric_limits<int32_t>::max() - 1)
                                                      : int32_t(last);
}

uint32_t RecordBatchView::computeCrc() const {
    return crc32c(span().subspan(batch::kAttributes));
}

Status RecordBatchView::validate() const {
    const uint32_t computed = computeCrc();
    if (computed != storedCrc()) {
        return makeError(ErrorKind::Malformed, "record batch at offset " + std::to_string(baseOffset()) +
                                                   " is corrupt: stored CRC " + hex(storedCrc()) + ", computed " +
                                                   hex(computed));
    }
    if (!compressionTypeFromId(codecId())) {
        return makeError(ErrorKind::Unsupported, "record batch uses unknown codec id " + std::to_string(codecId()));
    }
    if (recordCount() < 0) {
        return makeError(ErrorKind::Malformed,
                         "record batch has a negative record count " + std::to_string(recordCount()));
    }
    return Status::success();
}

Result<std::vector<Record>> RecordBatchView::decodeRecords(size_t maxUncompressed) const {
    Result<RecordReader> reader = RecordReader::open(*this, maxUncompressed);
    if (!reader) return reader.error();
    return reader->readAll();
}

Status setBaseOffset(std::span<uint8_t> batchBytes, int64_t baseOffset) {
    auto b = batchIn(batchBytes);
    if (!b) return b.error();
    storeBe64(b->data() + batch::kBaseOffset, uint64_t(baseOffset));
    return Status::success();
}

Status setPartitionLeaderEpoch(std::span<uint8_t> batchBytes, int32_t epoch) {
    auto b = batchIn(batchBytes);
    if (!b) return b.error();
    storeBe32(b->data() + batch::kPartitionLeaderEpoch, uint32_t(epoch));
    return Status::success();
}

Status setMaxTimestamp(std::span<uint8_t> batchBytes, TimestampType type, int64_t maxTimestamp) {
    auto b = batchIn(batchBytes);
    if (!b) return b.error();
    uint8_t* p = b->data();
    const int16_t attributes = loadBeI16(p + batch::kAttributes);
    const int16_t wanted = type == TimestampType::LogAppendTime ? int16_t(attributes | batch::kTimestampTypeBit)
                                                                : int16_t(attributes & ~batch::kTimestampTypeBit);
    if (wanted == attributes && loadBeI64(p + batch::kMaxTimestamp) == maxTimestamp) return Status::success();
    storeBe16(p + batch::kAttributes, uint16_t(wanted));
    storeBe64(p + batch::kMaxTimestamp, uint64_t(maxTimestamp));
    storeBe32(p + batch::kCrc, crc32c(b->subspan(batch::kAttributes)));
    return Status::success();
}

}  // namespace partita::protocol::records
