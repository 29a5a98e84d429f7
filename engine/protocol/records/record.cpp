// Record encoding and the header walk over bytes the reader has already validated.
#include "engine/protocol/records/record.h"

#include "engine/protocol/records/varint.h"

#include <cstring>

namespace partita::protocol::records {

namespace detail {

const uint8_t* nextHeader(const uint8_t* p, HeaderView& out) {
    // The reader checked every length against its record, so no end pointer is needed; the
    // limit below only satisfies readVarint's contract.
    const uint8_t* const noLimit = p + kMaxVarintBytes;
    int32_t keyLength = 0;
    p = readVarint(p, noLimit, keyLength);
    out.key = std::string_view(reinterpret_cast<const char*>(p), size_t(keyLength));
    p += keyLength;
    int32_t valueLength = 0;
    p = readVarint(p, p + kMaxVarintBytes, valueLength);
    if (valueLength < 0) {
        out.value.reset();
        return p;
    }
    out.value = std::span<const uint8_t>(p, size_t(valueLength));
    return p + valueLength;
}

}  // namespace detail

std::vector<HeaderView> RecordView::headers() const {
    std::vector<HeaderView> result;
    result.reserve(size_t(headerCount));
    forEachHeader([&](const HeaderView& h) { result.push_back(h); });
    return result;
}

namespace {

size_t nullableSize(const OptionalBytesView& bytes) {
    return bytes ? varintSize(int32_t(bytes->size())) + bytes->size() : 1;
}

uint8_t* writeNullable(uint8_t* p, const OptionalBytesView& bytes) {
    if (!bytes) return writeVarint(p, -1);
    p = writeVarint(p, int32_t(bytes->size()));
    if (!bytes->empty()) std::memcpy(p, bytes->data(), bytes->size());
    return p + bytes->size();
}

}  // namespace

size_t recordBodySize(int64_t timestampDelta, int32_t offsetDelta, OptionalBytesView key, OptionalBytesView value,
                      std::span<const HeaderView> headers) {
    size_t n = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta) + nullableSize(key) + nullableSize(value) +
               varintSize(int32_t(headers.size()));
    for (const HeaderView& h : headers) {
        n += varintSize(int32_t(h.key.size())) + h.key.size() + nullableSize(h.value);
    }
    return n;
}

uint8_t* encodeRecord(uint8_t* p, size_t bodySize, int64_t timestampDelta, int32_t offsetDelta, OptionalBytesView key,
                      OptionalBytesView value, std::span<const HeaderView> headers) {
    p = writeVarint(p, int32_t(bodySize));
    *p++ = 0;  // attributes, unused
    p = writeVarlong(p, timestampDelta);
    p = writeVarint(p, offsetDelta);
    p = writeNullable(p, key);
    p = writeNullable(p, value);
    p = writeVarint(p, int32_t(headers.size()));
    for (const HeaderView& h : headers) {
        p = writeVarint(p, int32_t(h.key.size()));
        if (!h.key.empty()) std::memcpy(p, h.key.data(), h.key.size());
        p += h.key.size();
        p = writeNullable(p, h.value);
    }
    return p;
}

}  // namespace partita::protocol::records
