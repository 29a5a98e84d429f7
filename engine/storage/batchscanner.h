// BatchScanner: walks the record batches of a segment file, header by header or with their bytes.
#pragma once

#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace partita::storage {

class FileHandle;

// What the log needs of a batch without decoding its records.
struct BatchInfo {
    uint64_t position = 0;  // in the segment file
    uint32_t size = 0;      // the whole batch, log overhead included
    int64_t baseOffset = 0;
    int64_t lastOffset = 0;
    int64_t maxTimestamp = 0;
    int8_t magic = 0;
};

// Reads the file in large chunks so a scan costs few system calls. The scan stops at `end`; a
// batch that runs past it, or a header that makes no sense, stops it with an error naming the
// file and position (recovery truncates there; readers report it).
class BatchScanner {
public:
    // Header only: BaseOffset, BatchLength, magic, LastOffsetDelta, MaxTimestamp (61 bytes).
    static constexpr size_t kScanHeaderSize = 61;

    BatchScanner(const FileHandle& file, uint64_t from, uint64_t end, size_t chunkBytes = 64 * 1024);

    // The next batch's header, nullopt at `end`. Truncated if the file ends inside a batch,
    // Corrupt if a length or magic is impossible.
    Result<std::optional<BatchInfo>> next();
    // The bytes of the batch next() returned (valid until the next call).
    Result<std::span<const uint8_t>> currentBatchBytes();
    uint64_t position() const { return m_position; }

private:
    Status fill(uint64_t position, size_t minBytes);

    const FileHandle& m_file;
    uint64_t m_position;  // where the next batch starts
    uint64_t m_end;
    size_t m_chunkBytes;
    std::vector<uint8_t> m_buffer;
    uint64_t m_bufferPosition = 0;  // file position of m_buffer[0]
    size_t m_bufferSize = 0;
    std::optional<BatchInfo> m_current;
};

// Reads only the header of the batch at `position` (a handful of bytes, one pread).
Result<BatchInfo> readBatchHeader(const FileHandle& file, uint64_t position, uint64_t end);

}  // namespace partita::storage
