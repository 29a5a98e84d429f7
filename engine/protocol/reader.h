// Reader: bounds-checked decoding of Kafka's wire primitives with a sticky error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "engine/protocol/bytes.h"
#include "engine/protocol/uuid.h"

namespace partita::protocol {

// Limits a decoder enforces on top of "never past the end of the input".
struct DecodeLimits {
    // Struct-array elements a single message may hold in total. Each element is a C++
    // object much larger than its minimum wire size, so this caps memory amplification.
    size_t maxStructElements = size_t{1} << 21;
};

// Reads big-endian integers, varints, strings, bytes and array lengths. The first failure
// is remembered and every later read returns a zero value, so generated decoders can read
// straight through and check ok() once; loops stop early on !ok(). Nothing is allocated
// from a length before that length is checked against the bytes that remain.
class Reader {
public:
    Reader(const uint8_t* data, size_t size, std::shared_ptr<const void> owner = {}, DecodeLimits limits = {})
        : m_begin(data),
          m_pos(data),
          m_end(data + size),
          m_owner(std::move(owner)),
          m_limits(limits),
          m_structBudget(limits.maxStructElements) {}
    explicit Reader(const Bytes& bytes, DecodeLimits limits = {})
        : Reader(bytes.data(), bytes.size(), bytes.owner(), limits) {}

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    bool truncated() const { return m_truncated; }
    size_t remaining() const { return static_cast<size_t>(m_end - m_pos); }
    size_t position() const { return static_cast<size_t>(m_pos - m_begin); }
    const uint8_t* current() const { return m_pos; }

    // Records the first failure; the message says what was being read and where.
    void fail(const std::string& what);

    int8_t readInt8() { return static_cast<int8_t>(readBE<uint8_t>()); }
    int16_t readInt16() { return static_cast<int16_t>(readBE<uint16_t>()); }
    int32_t readInt32() { return static_cast<int32_t>(readBE<uint32_t>()); }
    int64_t readInt64() { return static_cast<int64_t>(readBE<uint64_t>()); }
    uint16_t readUint16() { return readBE<uint16_t>(); }
    uint32_t readUint32() { return readBE<uint32_t>(); }
    bool readBool() { return readBE<uint8_t>() != 0; }
    double readFloat64();
    Uuid readUuid();

    uint32_t readUnsignedVarint();
    int32_t readVarint();   // zigzag
    int64_t readVarlong();  // zigzag

    // Strings and bytes: `compact` selects the flexible (varint length + 1) encoding.
    std::string readString(bool compact);
    std::optional<std::string> readNullableString(bool compact);
    Bytes readBytes(bool compact);
    std::optional<Bytes> readNullableBytes(bool compact);
    // Array length, -1 for null. `isStruct` charges the elements to the struct budget.
    int32_t readArrayLength(bool compact, bool isStruct);

    // Exactly n raw bytes as a view (no copy when the input has an owner).
    Bytes readRaw(size_t n);
    void skip(size_t n);

private:
    template <class T>
    T readBE() {
        if (remaining() < sizeof(T)) {
            underflow(sizeof(T));
            return T{};
        }
        T v;
        std::memcpy(&v, m_pos, sizeof(T));
        m_pos += sizeof(T);
        if constexpr (sizeof(T) == 2) v = __builtin_bswap16(v);
        if constexpr (sizeof(T) == 4) v = __builtin_bswap32(v);
        if constexpr (sizeof(T) == 8) v = __builtin_bswap64(v);
        return v;
    }
    void underflow(size_t wanted);
    // Length prefix of a string/bytes: -1 for null, otherwise checked against remaining().
    int64_t readLength(bool compact, bool int16Length);

    const uint8_t* m_begin;
    const uint8_t* m_pos;
    const uint8_t* m_end;
    std::shared_ptr<const void> m_owner;
    DecodeLimits m_limits;
    size_t m_structBudget;
    std::string m_error;
    bool m_truncated = false;
};

}  // namespace partita::protocol
