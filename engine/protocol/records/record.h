// Records of a magic-2 batch: the borrowed view a reader yields, the owning copy, and encoding.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/recordconstants.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace partita::protocol::records {

// A record header as the encoder takes it and the reader yields it (borrowed bytes).
struct HeaderView {
    std::string_view key;  // never null on the wire
    OptionalBytesView value;
};

// One record, borrowed from the records area of a RecordReader: valid while that reader (or a
// copy of its recordsArea()) lives. Reading it did all the validation; nothing here can fail.
struct RecordView {
    int64_t offset = 0;                // BaseOffset + offsetDelta
    int64_t timestamp = kNoTimestamp;  // BaseTimestamp + timestampDelta, or MaxTimestamp for LogAppendTime
    int64_t timestampDelta = 0;
    int32_t offsetDelta = 0;
    int8_t attributes = 0;
    OptionalBytesView key;
    OptionalBytesView value;
    int32_t headerCount = 0;
    std::span<const uint8_t> headerBytes;  // the headers as encoded, already checked
    std::span<const uint8_t> encoded;      // the whole record, length varint included

    std::vector<HeaderView> headers() const;

    // Calls fn(const HeaderView&) for each header without allocating.
    template <class Fn>
    void forEachHeader(Fn&& fn) const;
};

// An owning record whose bytes share the buffer they were read from (DESIGN.md: payloads
// travel as bytes); for callers that keep records past the reader, such as the browser.
struct RecordHeader {
    std::string key;
    std::optional<Bytes> value;
};

struct Record {
    int64_t offset = 0;
    int64_t timestamp = kNoTimestamp;
    int8_t attributes = 0;
    std::optional<Bytes> key;
    std::optional<Bytes> value;
    std::vector<RecordHeader> headers;
};

// Encoding, used by RecordBatchBuilder and the converters. The body is the record after its
// length varint; the encoded size is both. Key, value and header sizes must fit in int32.
size_t recordBodySize(int64_t timestampDelta, int32_t offsetDelta, OptionalBytesView key, OptionalBytesView value,
                      std::span<const HeaderView> headers);
inline size_t encodedRecordSize(size_t bodySize);
// Writes the record at p, which must have encodedRecordSize(bodySize) bytes; returns the end.
uint8_t* encodeRecord(uint8_t* p, size_t bodySize, int64_t timestampDelta, int32_t offsetDelta, OptionalBytesView key,
                      OptionalBytesView value, std::span<const HeaderView> headers);

inline size_t encodedRecordSize(size_t bodySize) {
    size_t lengthBytes = 1;
    for (size_t v = (bodySize << 1); v >= 0x80; v >>= 7) ++lengthBytes;  // zigzag of a non-negative int
    return lengthBytes + bodySize;
}

namespace detail {
// Steps over one header in already-validated bytes.
const uint8_t* nextHeader(const uint8_t* p, HeaderView& out);
}  // namespace detail

template <class Fn>
void RecordView::forEachHeader(Fn&& fn) const {
    const uint8_t* p = headerBytes.data();
    HeaderView header;
    for (int32_t i = 0; i < headerCount; ++i) {
        p = detail::nextHeader(p, header);
        fn(static_cast<const HeaderView&>(header));
    }
}

}  // namespace partita::protocol::records
