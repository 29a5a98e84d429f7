// Writer: encoding of Kafka's wire primitives into a growable buffer, with a sticky error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/protocol/bytes.h"
#include "engine/protocol/uuid.h"

namespace partita::protocol {

// The buffer grows geometrically and is never zero-filled, so encoding a large message
// costs one pass over its fields. An encoder that meets a value the chosen version cannot
// carry calls fail(); the caller checks ok() once at the end, as with Reader.
class Writer {
public:
    Writer() = default;
    explicit Writer(size_t reserve) { grow(reserve); }
    Writer(Writer&&) noexcept = default;
    Writer& operator=(Writer&&) noexcept = default;

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    void fail(const std::string& what) {
        if (m_error.empty()) m_error = what;
    }

    size_t size() const { return m_size; }
    const uint8_t* data() const { return m_data.get(); }
    uint8_t* mutableData() { return m_data.get(); }
    // Hands the encoded bytes over as a shared, immutable buffer; the writer is empty after.
    Bytes take();

    void writeInt8(int8_t v) { writeBE(static_cast<uint8_t>(v)); }
    void writeInt16(int16_t v) { writeBE(static_cast<uint16_t>(v)); }
    void writeInt32(int32_t v) { writeBE(static_cast<uint32_t>(v)); }
    void writeInt64(int64_t v) { writeBE(static_cast<uint64_t>(v)); }
    void writeUint16(uint16_t v) { writeBE(v); }
    void writeUint32(uint32_t v) { writeBE(v); }
    void writeBool(bool v) { writeBE(static_cast<uint8_t>(v ? 1 : 0)); }
    void writeFloat64(double v);
    void writeUuid(const Uuid& id) { writeRaw(id.bytes.data(), 16); }

    void writeUnsignedVarint(uint32_t v) {
        ensure(5);
        uint8_t* p = m_data.get() + m_size;
        while (v >= 0x80) {
            *p++ = static_cast<uint8_t>(v | 0x80);
            v >>= 7;
        }
        *p++ = static_cast<uint8_t>(v);
        m_size = static_cast<size_t>(p - m_data.get());
    }
    void writeVarint(int32_t v) {
        writeUnsignedVarint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
    }
    void writeVarlong(int64_t v);

    void writeString(std::string_view s, bool compact);
    void writeNullableString(const std::optional<std::string>& s, bool compact);
    void writeBytes(const Bytes& b, bool compact);
    void writeNullableBytes(const std::optional<Bytes>& b, bool compact);
    void writeArrayLength(size_t n, bool compact);
    void writeNullArrayLength(bool compact) {
        if (compact)
            writeUnsignedVarint(0);
        else
            writeInt32(-1);
    }

    void writeRaw(const void* p, size_t n) {
        if (n == 0) return;
        ensure(n);
        std::memcpy(m_data.get() + m_size, p, n);
        m_size += n;
    }
    // Overwrites 4 bytes already written, for length prefixes known only at the end.
    void patchInt32(size_t at, int32_t v);

    void ensure(size_t n) {
        if (m_capacity - m_size < n) grow(n);
    }

private:
    template <class T>
    void writeBE(T v) {
        if constexpr (sizeof(T) == 2) v = __builtin_bswap16(v);
        if constexpr (sizeof(T) == 4) v = __builtin_bswap32(v);
        if constexpr (sizeof(T) == 8) v = __builtin_bswap64(v);
        ensure(sizeof(T));
        std::memcpy(m_data.get() + m_size, &v, sizeof(T));
        m_size += sizeof(T);
    }
    void grow(size_t atLeast);

    std::unique_ptr<uint8_t[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
    std::string m_error;
};

}  // namespace partita::protocol
