// RecordSetReader: splits a record set (batches and legacy entries back to back) by magic.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>

namespace partita::protocol::records {

// One entry of a record set: a magic-2 batch, or a legacy (magic 0/1) message, which may be
// a compressed wrapper. All formats share Offset int64 | Length int32 in front and the magic
// at byte 16, so they are split the same way before anything else is parsed.
struct RecordSetEntry {
    int64_t offset = 0;  // BaseOffset of a batch; the offset of a legacy message
    int8_t magic = 0;
    Bytes bytes;  // the whole entry, offset and length included
};

// Walks the entries of a record set. An incomplete trailing entry, as a Fetch response may end
// with, ends the walk silently (truncatedTail() tells); an entry whose length is below its
// format's minimum is Malformed, over maxEntrySize TooLarge, a magic above 2 Unsupported.
class RecordSetReader {
public:
    explicit RecordSetReader(Bytes records, size_t maxEntrySize = std::numeric_limits<int32_t>::max());

    Result<std::optional<RecordSetEntry>> next();
    // Like next(), for sets that must hold only magic-2 batches (Produce v3+, Fetch of new data):
    // a legacy entry is Unsupported. The batch is parsed, not validated.
    Result<std::optional<RecordBatchView>> nextBatch();

    bool truncatedTail() const { return m_truncatedTail; }
    size_t position() const { return m_position; }

private:
    Bytes m_records;
    size_t m_maxEntrySize;
    size_t m_position = 0;
    bool m_truncatedTail = false;
};

// The magic of the first entry, if 17 bytes are there to read it.
std::optional<int8_t> peekMagic(std::span<const uint8_t> records);

// What a record set holds, from one walk over its entries (nothing decoded).
struct RecordSetSummary {
    int entries = 0;
    int8_t minMagic = kMagicV2;  // of a set with no entries: 2
    int8_t maxMagic = kMagicV0;  // of a set with no entries: 0
    bool truncatedTail = false;
    bool hasLegacy() const { return entries > 0 && minMagic < kMagicV2; }
};
Result<RecordSetSummary> summarizeRecordSet(const Bytes& records,
                                            size_t maxEntrySize = std::numeric_limits<int32_t>::max());

}  // namespace partita::protocol::records
