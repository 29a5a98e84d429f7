// RecordReader: decodes the records of one magic-2 batch, decompressing them with a limit.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/record.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace partita::protocol::records {

class RecordBatchView;

// Reads records one at a time as borrowed RecordViews, checking every length against the
// bytes that remain and the record count against the records actually present. Use:
//
//   auto reader = RecordReader::open(batch, maxUncompressed);
//   RecordView r;
//   while (reader->next(r)) { ... }
//   if (!reader->status()) { ... the batch is corrupt ... }
//
// The CRC is the batch's business (RecordBatchView::validate); open() does not check it.
class RecordReader {
public:
    // Decompresses a compressed batch's records into a buffer the reader owns; over
    // maxUncompressed bytes is TooLarge. An uncompressed batch is read in place.
    static Result<RecordReader> open(const RecordBatchView& batch, size_t maxUncompressed);

    // The next record, or false at the end or on an error (then status() says which).
    bool next(RecordView& record);
    const Status& status() const { return m_status; }

    // Reads to the end to check every record; the status of the whole records area.
    Status validateAll();
    // Reads the remaining records as owning Records sharing recordsArea()'s buffer.
    Result<std::vector<Record>> readAll();

    // The uncompressed records area the views point into; keeping a copy keeps them valid.
    const Bytes& recordsArea() const { return m_area; }
    int32_t recordCount() const { return m_count; }
    int32_t recordsLeft() const { return m_left; }

private:
    RecordReader() = default;
    bool fail(ErrorKind kind, const char* what);

    Bytes m_area;
    const uint8_t* m_pos = nullptr;
    const uint8_t* m_end = nullptr;
    int64_t m_baseOffset = 0;
    int64_t m_baseTimestamp = 0;
    int64_t m_logAppendTime = 0;
    bool m_isLogAppendTime = false;
    int32_t m_count = 0;
    int32_t m_left = 0;
    Status m_status;
};

}  // namespace partita::protocol::records
