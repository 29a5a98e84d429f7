// Zigzag varints and varlongs as records (magic 2) encode their lengths, deltas and counts.
#pragma once

#include <cstddef>
#include <cstdint>

namespace partita::protocol::records {

// These are the signed zigzag varints of records, not the unsigned varints of the protocol's
// compact lengths. They are inline because record decoding spends most of its time here.

inline constexpr size_t kMaxVarintBytes = 5;
inline constexpr size_t kMaxVarlongBytes = 10;

// Reads a varint from [p, end). Returns the position after it, or nullptr when the input ends
// inside it or it runs over 5 bytes. Bits above 32 in the fifth byte are dropped, as Kafka does.
inline const uint8_t* readVarint(const uint8_t* p, const uint8_t* end, int32_t& out) {
    // One- and two-byte varints (values up to +-8191: lengths of small records, offset
    // deltas within a batch) are nearly all a record holds, so they skip the loop.
    if (end - p >= 2) {
        if (p[0] < 0x80) {
            const uint32_t raw = p[0];
            out = int32_t((raw >> 1) ^ (0u - (raw & 1)));
            return p + 1;
        }
        if (p[1] < 0x80) {
            const uint32_t raw = uint32_t(p[0] & 0x7F) | (uint32_t(p[1]) << 7);
            out = int32_t((raw >> 1) ^ (0u - (raw & 1)));
            return p + 2;
        }
    }
    uint32_t raw = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (p == end) return nullptr;
        const uint8_t b = *p++;
        raw |= uint32_t(b & 0x7F) << shift;
        if (b < 0x80) {
            out = int32_t((raw >> 1) ^ (0u - (raw & 1)));
            return p;
        }
    }
    return nullptr;
}

inline const uint8_t* readVarlong(const uint8_t* p, const uint8_t* end, int64_t& out) {
    if (end - p >= 2) {
        if (p[0] < 0x80) {
            const uint64_t raw = p[0];
            out = int64_t((raw >> 1) ^ (0ull - (raw & 1)));
            return p + 1;
        }
        if (p[1] < 0x80) {
            const uint64_t raw = uint64_t(p[0] & 0x7F) | (uint64_t(p[1]) << 7);
            out = int64_t((raw >> 1) ^ (0ull - (raw & 1)));
            return p + 2;
        }
    }
    uint64_t raw = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
        if (p == end) return nullptr;
        const uint8_t b = *p++;
        raw |= uint64_t(b & 0x7F) << shift;
        if (b < 0x80) {
            out = int64_t((raw >> 1) ^ (0ull - (raw & 1)));
            return p;
        }
    }
    return nullptr;
}

inline uint32_t zigzag32(int32_t v) {
    return (uint32_t(v) << 1) ^ uint32_t(v >> 31);
}
inline uint64_t zigzag64(int64_t v) {
    return (uint64_t(v) << 1) ^ uint64_t(v >> 63);
}

inline size_t varintSize(int32_t v) {
    uint32_t raw = zigzag32(v);
    size_t n = 1;
    while (raw >= 0x80) {
        raw >>= 7;
        ++n;
    }
    return n;
}

inline size_t varlongSize(int64_t v) {
    uint64_t raw = zigzag64(v);
    size_t n = 1;
    while (raw >= 0x80) {
        raw >>= 7;
        ++n;
    }
    return n;
}

// Writes at p (room for kMaxVarintBytes / kMaxVarlongBytes) and returns the position after.
inline uint8_t* writeVarint(uint8_t* p, int32_t v) {
    uint32_t raw = zigzag32(v);
    while (raw >= 0x80) {
        *p++ = uint8_t(raw | 0x80);
        raw >>= 7;
    }
    *p++ = uint8_t(raw);
    return p;
}

inline uint8_t* writeVarlong(uint8_t* p, int64_t v) {
    uint64_t raw = zigzag64(v);
    while (raw >= 0x80) {
        *p++ = uint8_t(raw | 0x80);
        raw >>= 7;
    }
    *p++ = uint8_t(raw);
    return p;
}

}  // namespace partita::protocol::records
