// Record set splitting and format detection over the entry prefix shared by all magics.
#include "engine/protocol/records/recordset.h"

#include <algorithm>
#include <string>

namespace partita::protocol::records {

namespace {

// Smallest Length of an entry per magic: a legacy message with null key and value, or a
// batch header with no records.
int32_t minimumLength(int8_t magic) {
    switch (magic) {
        case kMagicV0:
            return 14;
        case kMagicV1:
            return 22;
        default:
            return batch::kMinBatchLength;
    }
}

}  // namespace

RecordSetReader::RecordSetReader(Bytes records, size_t maxEntrySize)
    : m_records(std::move(records)), m_maxEntrySize(maxEntrySize) {}

Result<std::optional<RecordSetEntry>> RecordSetReader::next() {
    const size_t left = m_records.size() - m_position;
    if (left == 0) return std::optional<RecordSetEntry>();
    const uint8_t* p = m_records.data() + m_position;
    if (left < kLogOverhead) {
        m_truncatedTail = true;
        m_position = m_records.size();
        return std::optional<RecordSetEntry>();
    }
    const int64_t offset = loadBeI64(p);
    const int32_t length = loadBeI32(p + 8);
    if (length < minimumLength(kMagicV0)) {
        return makeError(ErrorKind::Malformed, "record set entry at byte " + std::to_string(m_position) +
                                                   " has length " + std::to_string(length) +
                                                   ", below any format's minimum");
    }
    const size_t total = size_t(length) + kLogOverhead;
    if (total > m_maxEntrySize) {
        return makeError(ErrorKind::TooLarge, "record set entry of " + std::to_string(total) +
                                                  " bytes is over the limit of " + std::to_string(m_maxEntrySize));
    }
    if (left < kMagicOffset + 1 || total > left) {
        m_truncatedTail = true;
        m_position = m_records.size();
        return std::optional<RecordSetEntry>();
    }
    const int8_t magic = int8_t(p[kMagicOffset]);
    if (magic < kMagicV0 || magic > kMagicV2) {
        return makeError(ErrorKind::Unsupported, "record set entry at byte " + std::to_string(m_position) +
                                                     " has unknown magic " + std::to_string(magic));
    }
    if (length < minimumLength(magic)) {
        return makeError(ErrorKind::Malformed, "magic-" + std::to_string(magic) + " entry has length " +
                                                   std::to_string(length) + ", below its minimum of " +
                                                   std::to_string(minimumLength(magic)));
    }
    RecordSetEntry entry{offset, magic, m_records.slice(m_position, total)};
    m_position += total;
    return std::optional<RecordSetEntry>(std::move(entry));
}

Result<std::optional<RecordBatchView>> RecordSetReader::nextBatch() {
    auto entry = next();
    if (!entry) return entry.error();
    if (!*entry) return std::optional<RecordBatchView>();
    if ((*entry)->magic != kMagicV2) {
        return makeError(ErrorKind::Unsupported, "record set holds a magic-" + std::to_string((*entry)->magic) +
                                                     " message where only magic-2 batches are allowed");
    }
    auto batch = RecordBatchView::parse(std::move((*entry)->bytes));
    if (!batch) return batch.error();
    return std::optional<RecordBatchView>(std::move(*batch));
}

std::optional<int8_t> peekMagic(std::span<const uint8_t> records) {
    if (records.size() <= kMagicOffset) return std::nullopt;
    return int8_t(records[kMagicOffset]);
}

Result<RecordSetSummary> summarizeRecordSet(const Bytes& records, size_t maxEntrySize) {
    RecordSetReader reader(records, maxEntrySize);
    RecordSetSummary summary;
    for (;;) {
        auto entry = reader.next();
        if (!entry) return entry.error();
        if (!*entry) break;
        ++summary.entries;
        summary.minMagic = std::min(summary.minMagic, (*entry)->magic);
        summary.maxMagic = std::max(summary.maxMagic, (*entry)->magic);
    }
    summary.truncatedTail = reader.truncatedTail();
    return summary;
}

}  // namespace partita::protocol::records
