// Record decoding for magic-2 batches: every varint and length is checked before it is used.
#include "engine/protocol/records/recordreader.h"

#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/varint.h"

#include <algorithm>
#include <string>

namespace partita::protocol::records {

namespace {

// Smallest record: length, attributes, timestamp delta, offset delta, key length, value
// length and header count, one byte each.
constexpr size_t kMinRecordSize = 7;

// Reads a nullable length-prefixed field within [p, end); nullptr if it does not fit.
inline const uint8_t* readNullable(const uint8_t* p, const uint8_t* end, OptionalBytesView& out) {
    int32_t length = 0;
    p = readVarint(p, end, length);
    if (p == nullptr) return nullptr;
    if (length < 0) {
        if (length != -1) return nullptr;
        out.reset();
        return p;
    }
    if (size_t(length) > size_t(end - p)) return nullptr;
    out = std::span<const uint8_t>(p, size_t(length));
    return p + length;
}

}  // namespace

Result<RecordReader> RecordReader::open(const RecordBatchView& batch, size_t maxUncompressed) {
    RecordReader reader;
    reader.m_baseOffset = batch.baseOffset();
    reader.m_baseTimestamp = batch.baseTimestamp();
    reader.m_isLogAppendTime = batch.timestampType() == TimestampType::LogAppendTime;
    reader.m_logAppendTime = batch.maxTimestamp();
    reader.m_count = batch.recordCount();
    reader.m_left = reader.m_count;
    if (reader.m_count < 0) {
        return makeError(ErrorKind::Malformed, "batch has a negative record count " + std::to_string(reader.m_count));
    }

    const Bytes& bytes = batch.bytes();
    // An empty batch left by compaction has no records area to decompress, whatever its codec.
    if (!batch.isCompressed() || (reader.m_count == 0 && batch.recordsArea().empty())) {
        reader.m_area = bytes.slice(batch::kHeaderSize, bytes.size() - batch::kHeaderSize);
    } else {
        const auto codec = compressionTypeFromId(batch.codecId());
        if (!codec)
            return makeError(ErrorKind::Unsupported, "batch uses unknown codec id " + std::to_string(batch.codecId()));
        auto plain = decompressToBytes(*codec, batch.recordsArea(), maxUncompressed);
        if (!plain) return plain.error();
        reader.m_area = std::move(*plain);
    }
    reader.m_pos = reader.m_area.data();
    reader.m_end = reader.m_pos + reader.m_area.size();
    if (reader.m_count == 0 && reader.m_pos != reader.m_end) {
        return makeError(ErrorKind::Malformed,
                         "batch with no records has " + std::to_string(reader.m_area.size()) + " bytes of records");
    }
    // Each record takes at least 7 bytes, so a count the bytes cannot hold is caught early.
    if (uint64_t(reader.m_count) * kMinRecordSize > reader.m_area.size()) {
        return makeError(ErrorKind::Malformed, "batch claims " + std::to_string(reader.m_count) + " records in " +
                                                   std::to_string(reader.m_area.size()) + " bytes");
    }
    return reader;
}

bool RecordReader::fail(ErrorKind kind, const char* what) {
    m_status = makeError(kind, std::string(what) + " (record " + std::to_string(m_count - m_left) + " of " +
                                   std::to_string(m_count) + ")");
    m_left = 0;
    m_pos = m_end;
    return false;
}

bool RecordReader::next(RecordView& r) {
    if (m_left == 0) return false;
    const uint8_t* p = m_pos;
    if (p == m_end) return fail(ErrorKind::Malformed, "batch holds fewer records than its count");

    int32_t length = 0;
    p = readVarint(p, m_end, length);
    if (p == nullptr) return fail(ErrorKind::Malformed, "record length is not a valid varint");
    if (length <= 0 || size_t(length) > size_t(m_end - p)) {
        return fail(ErrorKind::Malformed, "record length runs past the end of the batch");
    }
    const uint8_t* start = m_pos;
    const uint8_t* end = p + length;

    r.attributes = int8_t(*p++);
    p = readVarlong(p, end, r.timestampDelta);
    if (p == nullptr) return fail(ErrorKind::Malformed, "record timestamp delta is malformed");
    p = readVarint(p, end, r.offsetDelta);
    if (p == nullptr) return fail(ErrorKind::Malformed, "record offset delta is malformed");
    p = readNullable(p, end, r.key);
    if (p == nullptr) return fail(ErrorKind::Malformed, "record key length is malformed or runs past the record");
    p = readNullable(p, end, r.value);
    if (p == nullptr) return fail(ErrorKind::Malformed, "record value length is malformed or runs past the record");
    int32_t headerCount = 0;
    p = readVarint(p, end, headerCount);
    if (p == nullptr || headerCount < 0) return fail(ErrorKind::Malformed, "record header count is malformed");
    const uint8_t* headersStart = p;
    for (int32_t i = 0; i < headerCount; ++i) {
        int32_t keyLength = 0;
        p = readVarint(p, end, keyLength);
        if (p == nullptr || keyLength < 0 || size_t(keyLength) > size_t(end - p)) {
            return fail(ErrorKind::Malformed, "record header key is null, malformed or runs past the record");
        }
        p += keyLength;
        OptionalBytesView value;
        p = readNullable(p, end, value);
        if (p == nullptr) return fail(ErrorKind::Malformed, "record header value is malformed or runs past the record");
    }
    if (p != end) return fail(ErrorKind::Malformed, "record length does not match its fields");

    r.headerCount = headerCount;
    r.headerBytes = std::span<const uint8_t>(headersStart, size_t(end - headersStart));
    r.encoded = std::span<const uint8_t>(start, size_t(end - start));
    r.offset = wrappingAdd(m_baseOffset, r.offsetDelta);
    r.timestamp = m_isLogAppendTime ? m_logAppendTime : wrappingAdd(m_baseTimestamp, r.timestampDelta);
    m_pos = end;
    --m_left;
    if (m_left == 0 && m_pos != m_end) {
        // Found at the last record, so a caller that stops after recordCount() records still
        // learns the batch is corrupt.
        return fail(ErrorKind::Malformed, "batch has bytes after its last record");
    }
    return true;
}

Status RecordReader::validateAll() {
    RecordView r;
    while (next(r)) {
    }
    return m_status;
}

Result<std::vector<Record>> RecordReader::readAll() {
    std::vector<Record> records;
    records.reserve(size_t(std::min<int64_t>(m_left, int64_t(m_area.size() / kMinRecordSize))));
    auto share = [&](const OptionalBytesView& v) -> std::optional<Bytes> {
        if (!v) return std::nullopt;
        return m_area.slice(size_t(v->data() - m_area.data()), v->size());
    };
    RecordView r;
    while (next(r)) {
        Record& out = records.emplace_back();
        out.offset = r.offset;
        out.timestamp = r.timestamp;
        out.attributes = r.attributes;
        out.key = share(r.key);
        out.value = share(r.value);
        out.headers.reserve(size_t(r.headerCount));
        r.forEachHeader([&](const HeaderView& h) {
            out.headers.push_back(RecordHeader{std::string(h.key), share(h.value)});
        });
    }
    if (!m_status) return m_status.error();
    return records;
}

}  // namespace partita::protocol::records
