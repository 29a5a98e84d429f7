// Writer: the out-of-line parts (growth, strings, bytes, lengths).
#include "engine/protocol/writer.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace partita::protocol {

void Writer::grow(size_t atLeast) {
    size_t capacity = std::max<size_t>({256, m_capacity * 2, m_size + atLeast});
    std::unique_ptr<uint8_t[]> bigger(new uint8_t[capacity]);
    if (m_size > 0) std::memcpy(bigger.get(), m_data.get(), m_size);
    m_data = std::move(bigger);
    m_capacity = capacity;
}

Bytes Writer::take() {
    std::shared_ptr<const uint8_t[]> owner(m_data.release());
    Bytes out(owner, owner.get(), m_size);
    m_size = 0;
    m_capacity = 0;
    return out;
}

void Writer::writeFloat64(double v) {
    writeBE(std::bit_cast<uint64_t>(v));
}

void Writer::writeVarlong(int64_t v) {
    uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
    ensure(10);
    uint8_t* p = m_data.get() + m_size;
    while (z >= 0x80) {
        *p++ = static_cast<uint8_t>(z | 0x80);
        z >>= 7;
    }
    *p++ = static_cast<uint8_t>(z);
    m_size = static_cast<size_t>(p - m_data.get());
}

void Writer::writeString(std::string_view s, bool compact) {
    // Kafka caps every string at 32767 bytes, compact ones too (its readers refuse longer ones).
    if (s.size() > static_cast<size_t>(std::numeric_limits<int16_t>::max()))
        return fail("string of " + std::to_string(s.size()) + " bytes is longer than Kafka's 32767");
    if (compact) {
        writeUnsignedVarint(static_cast<uint32_t>(s.size() + 1));
    } else {
        writeInt16(static_cast<int16_t>(s.size()));
    }
    writeRaw(s.data(), s.size());
}

void Writer::writeNullableString(const std::optional<std::string>& s, bool compact) {
    if (!s) {
        if (compact)
            writeUnsignedVarint(0);
        else
            writeInt16(-1);
        return;
    }
    writeString(*s, compact);
}

void Writer::writeBytes(const Bytes& b, bool compact) {
    if (compact) {
        if (b.size() >= std::numeric_limits<uint32_t>::max()) return fail("bytes too long");
        writeUnsignedVarint(static_cast<uint32_t>(b.size() + 1));
    } else {
        if (b.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) return fail("bytes too long");
        writeInt32(static_cast<int32_t>(b.size()));
    }
    writeRaw(b.data(), b.size());
}

void Writer::writeNullableBytes(const std::optional<Bytes>& b, bool compact) {
    if (!b) {
        if (compact)
            writeUnsignedVarint(0);
        else
            writeInt32(-1);
        return;
    }
    writeBytes(*b, compact);
}

void Writer::writeArrayLength(size_t n, bool compact) {
    if (n >= static_cast<size_t>(std::numeric_limits<int32_t>::max())) return fail("array too long");
    if (compact)
        writeUnsignedVarint(static_cast<uint32_t>(n + 1));
    else
        writeInt32(static_cast<int32_t>(n));
}

void Writer::patchInt32(size_t at, int32_t v) {
    uint32_t be = __builtin_bswap32(static_cast<uint32_t>(v));
    std::memcpy(m_data.get() + at, &be, 4);
}

}  // namespace partita::protocol
