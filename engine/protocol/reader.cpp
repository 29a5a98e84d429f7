// Reader: the out-of-line parts (varints, strings, bytes, errors).
#include "engine/protocol/reader.h"

#include <bit>
#include <limits>

namespace partita::protocol {

void Reader::fail(const std::string& what) {
    if (!m_error.empty()) return;
    m_error = what + " at byte " + std::to_string(position());
    m_pos = m_end;  // every later read underflows quietly
}

void Reader::underflow(size_t wanted) {
    if (!m_error.empty()) return;
    m_truncated = true;
    fail("needed " + std::to_string(wanted) + " bytes, " + std::to_string(remaining()) + " left");
}

double Reader::readFloat64() {
    return std::bit_cast<double>(readBE<uint64_t>());
}

Uuid Reader::readUuid() {
    Uuid id;
    if (remaining() < 16) {
        underflow(16);
        return id;
    }
    std::memcpy(id.bytes.data(), m_pos, 16);
    m_pos += 16;
    return id;
}

uint32_t Reader::readUnsignedVarint() {
    uint32_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (m_pos == m_end) {
            underflow(1);
            return 0;
        }
        uint8_t b = *m_pos++;
        if (shift == 28 && (b & 0xF0) != 0) {
            fail("unsigned varint does not fit 32 bits");
            return 0;
        }
        value |= static_cast<uint32_t>(b & 0x7F) << shift;
        if ((b & 0x80) == 0) return value;
    }
    fail("unsigned varint longer than 5 bytes");
    return 0;
}

int32_t Reader::readVarint() {
    uint32_t raw = readUnsignedVarint();
    return static_cast<int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

int64_t Reader::readVarlong() {
    uint64_t raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (m_pos == m_end) {
            underflow(1);
            return 0;
        }
        uint8_t b = *m_pos++;
        if (shift == 63 && (b & 0xFE) != 0) {
            fail("varlong does not fit 64 bits");
            return 0;
        }
        raw |= static_cast<uint64_t>(b & 0x7F) << shift;
        if ((b & 0x80) == 0) return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
    }
    fail("varlong longer than 10 bytes");
    return 0;
}

int64_t Reader::readLength(bool compact, bool int16Length) {
    int64_t length;
    if (compact) {
        length = static_cast<int64_t>(readUnsignedVarint()) - 1;
    } else if (int16Length) {
        length = readInt16();
    } else {
        length = readInt32();
    }
    if (!ok()) return 0;
    if (length < -1) {
        fail("negative length " + std::to_string(length));
        return 0;
    }
    // Kafka's readers refuse strings over 32767 bytes, compact ones too: such a request does not parse.
    if (int16Length && length > std::numeric_limits<int16_t>::max()) {
        fail("string of " + std::to_string(length) + " bytes is longer than Kafka's 32767");
        return 0;
    }
    if (length > static_cast<int64_t>(remaining())) {
        m_truncated = true;
        fail("length " + std::to_string(length) + " exceeds the " + std::to_string(remaining()) + " bytes left");
        return 0;
    }
    return length;
}

std::optional<std::string> Reader::readNullableString(bool compact) {
    int64_t n = readLength(compact, true);
    if (n < 0) return std::nullopt;
    std::string s(reinterpret_cast<const char*>(m_pos), static_cast<size_t>(n));
    m_pos += n;
    return s;
}

std::string Reader::readString(bool compact) {
    int64_t n = readLength(compact, true);
    if (n < 0) {
        fail("null value in a non-nullable string");
        return {};
    }
    std::string s(reinterpret_cast<const char*>(m_pos), static_cast<size_t>(n));
    m_pos += n;
    return s;
}

Bytes Reader::readRaw(size_t n) {
    if (remaining() < n) {
        underflow(n);
        return {};
    }
    Bytes out = m_owner ? Bytes(m_owner, m_pos, n) : Bytes::copyOf(std::span<const uint8_t>(m_pos, n));
    m_pos += n;
    return out;
}

void Reader::skip(size_t n) {
    if (remaining() < n) {
        underflow(n);
        return;
    }
    m_pos += n;
}

std::optional<Bytes> Reader::readNullableBytes(bool compact) {
    int64_t n = readLength(compact, false);
    if (n < 0) return std::nullopt;
    return readRaw(static_cast<size_t>(n));
}

Bytes Reader::readBytes(bool compact) {
    int64_t n = readLength(compact, false);
    if (n < 0) {
        fail("null value in non-nullable bytes");
        return {};
    }
    return readRaw(static_cast<size_t>(n));
}

int32_t Reader::readArrayLength(bool compact, bool isStruct) {
    int64_t n = compact ? static_cast<int64_t>(readUnsignedVarint()) - 1 : readInt32();
    if (!ok()) return 0;
    if (n < -1) {
        fail("negative array length " + std::to_string(n));
        return 0;
    }
    // Every element takes at least one byte on the wire, as Kafka's own check assumes.
    if (n > static_cast<int64_t>(remaining())) {
        m_truncated = true;
        fail("array of " + std::to_string(n) + " elements cannot fit in the " + std::to_string(remaining()) +
             " bytes left");
        return 0;
    }
    if (isStruct && n > 0) {
        if (static_cast<size_t>(n) > m_structBudget) {
            fail("more than " + std::to_string(m_limits.maxStructElements) + " array elements in one message");
            return 0;
        }
        m_structBudget -= static_cast<size_t>(n);
    }
    return static_cast<int32_t>(n);
}

}  // namespace partita::protocol
