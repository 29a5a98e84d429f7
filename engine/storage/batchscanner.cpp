// Walking batch headers in a segment file with chunked reads.
#include "engine/storage/batchscanner.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordconstants.h"
#include "engine/storage/filehandle.h"

#include <algorithm>
#include <string>

namespace partita::storage {

namespace records = protocol::records;

namespace {

Error corruptAt(const FileHandle& file, uint64_t position, const std::string& what) {
    return makeError(ErrorKind::Corrupt, what + " in " + file.path() + " at byte " + std::to_string(position));
}

// Parses the header at p (kScanHeaderSize bytes available); checks what a scan relies on.
Result<BatchInfo> parseHeader(const FileHandle& file, const uint8_t* p, uint64_t position, uint64_t end) {
    BatchInfo info;
    info.position = position;
    info.baseOffset = records::loadBeI64(p + records::batch::kBaseOffset);
    int32_t batchLength = records::loadBeI32(p + records::batch::kBatchLength);
    info.magic = int8_t(p[records::batch::kMagic]);
    if (info.magic != records::kMagicV2) {
        return corruptAt(file, position, "record batch with magic " + std::to_string(info.magic));
    }
    if (batchLength < records::batch::kMinBatchLength) {
        return corruptAt(file, position, "record batch length " + std::to_string(batchLength));
    }
    info.size = uint32_t(batchLength) + uint32_t(records::kLogOverhead);
    if (position + info.size > end) {
        return makeError(ErrorKind::Truncated, "incomplete record batch (" + std::to_string(info.size) + " bytes) in " +
                                                   file.path() + " at byte " + std::to_string(position));
    }
    int32_t lastOffsetDelta = records::loadBeI32(p + records::batch::kLastOffsetDelta);
    if (lastOffsetDelta < 0) return corruptAt(file, position, "negative last offset delta");
    info.lastOffset = info.baseOffset + lastOffsetDelta;
    info.maxTimestamp = records::loadBeI64(p + records::batch::kMaxTimestamp);
    return info;
}

}  // namespace

BatchScanner::BatchScanner(const FileHandle& file, uint64_t from, uint64_t end, size_t chunkBytes)
    : m_file(file), m_position(from), m_end(end), m_chunkBytes(std::max<size_t>(chunkBytes, kScanHeaderSize)) {}

Status BatchScanner::fill(uint64_t position, size_t minBytes) {
    if (position >= m_bufferPosition && position + minBytes <= m_bufferPosition + m_bufferSize) return {};
    size_t want = size_t(std::min<uint64_t>(std::max(minBytes, m_chunkBytes), m_end - position));
    if (m_buffer.size() < want) m_buffer.resize(want);
    m_bufferPosition = position;
    m_bufferSize = 0;
    if (Status st = m_file.readAt(position, std::span(m_buffer.data(), want)); !st) return st;
    m_bufferSize = want;
    return {};
}

Result<std::optional<BatchInfo>> BatchScanner::next() {
    m_current.reset();
    if (m_position >= m_end) return std::optional<BatchInfo>();
    if (m_end - m_position < kScanHeaderSize) {
        return makeError(ErrorKind::Truncated, "incomplete record batch header in " + m_file.path() + " at byte " +
                                                   std::to_string(m_position));
    }
    if (Status st = fill(m_position, kScanHeaderSize); !st) return st.error();
    Result<BatchInfo> info = parseHeader(m_file, m_buffer.data() + (m_position - m_bufferPosition), m_position, m_end);
    if (!info) return info.error();
    m_current = *info;
    m_position += info->size;
    return m_current;
}

Result<std::span<const uint8_t>> BatchScanner::currentBatchBytes() {
    if (!m_current) return makeError(ErrorKind::InvalidArgument, "no current batch");
    if (Status st = fill(m_current->position, m_current->size); !st) return st.error();
    return std::span<const uint8_t>(m_buffer.data() + (m_current->position - m_bufferPosition), m_current->size);
}

Result<BatchInfo> readBatchHeader(const FileHandle& file, uint64_t position, uint64_t end) {
    if (end < position + BatchScanner::kScanHeaderSize) {
        return makeError(ErrorKind::Truncated,
                         "incomplete record batch header in " + file.path() + " at byte " + std::to_string(position));
    }
    uint8_t header[BatchScanner::kScanHeaderSize];
    if (Status st = file.readAt(position, header); !st) return st.error();
    return parseHeader(file, header, position, end);
}

}  // namespace partita::storage
