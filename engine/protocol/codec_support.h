// Helpers the generated message codecs share: tagged-field sections and their bookkeeping.
#pragma once

#include <cstdint>
#include <string>

#include "engine/protocol/apimessage.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"

namespace partita::protocol {

// One tagged field: tag, byte length, bytes.
inline void writeRawTaggedField(Writer& w, uint32_t tag, const uint8_t* data, size_t size) {
    w.writeUnsignedVarint(tag);
    w.writeUnsignedVarint(static_cast<uint32_t>(size));
    w.writeRaw(data, size);
}

// A limit above every 32-bit tag, to flush all remaining unknown tags.
inline constexpr uint64_t kAfterLastTag = uint64_t{1} << 32;

// Tags go out in ascending order: before writing known tag `limit`, flush the unknown
// ones below it. Unknown fields are kept in the order they were read, which is ascending.
inline void writeUnknownTagsBelow(Writer& w, const UnknownTaggedFields& unknown, size_t& next, uint64_t limit) {
    for (; next < unknown.size() && unknown[next].tag < limit; ++next)
        writeRawTaggedField(w, unknown[next].tag, unknown[next].data.data(), unknown[next].data.size());
}

// Writes a tagged-field section that holds only fields this code does not know.
inline void writeTaggedSection(Writer& w, const UnknownTaggedFields& unknown) {
    w.writeUnsignedVarint(static_cast<uint32_t>(unknown.size()));
    size_t next = 0;
    writeUnknownTagsBelow(w, unknown, next, kAfterLastTag);
}

inline void writeTaggedField(Writer& w, uint32_t tag, const Writer& body) {
    if (!body.ok()) w.fail(body.error());
    writeRawTaggedField(w, tag, body.data(), body.size());
}

// Reads a tagged-field section of a struct that has no known tagged fields.
inline void readUnknownTaggedFields(Reader& r, UnknownTaggedFields& out) {
    const uint32_t count = r.readUnsignedVarint();
    for (uint32_t i = 0; i < count && r.ok(); ++i) {
        const uint32_t tag = r.readUnsignedVarint();
        const uint32_t size = r.readUnsignedVarint();
        if (size > r.remaining()) {
            r.fail("tagged field longer than the message");
            return;
        }
        out.push_back({tag, r.readRaw(size)});
    }
}

// A known tagged field must use exactly the bytes its size announced.
inline void checkTaggedFieldSize(Reader& r, size_t start, uint32_t size) {
    if (!r.ok()) return;
    const size_t used = r.position() - start;
    if (used != size)
        r.fail("tagged field announced " + std::to_string(size) + " bytes but used " + std::to_string(used));
}

}  // namespace partita::protocol
