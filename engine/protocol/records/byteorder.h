// Big- and little-endian loads and stores on raw byte pointers, for the record formats.
#pragma once

#include <cstdint>

namespace partita::protocol::records {

// Written with shifts instead of memcpy + bswap so they are correct on any host; GCC and
// Clang turn each into a single load or store plus bswap.
inline uint16_t loadBe16(const uint8_t* p) {
    return uint16_t((uint16_t(p[0]) << 8) | p[1]);
}
inline uint32_t loadBe32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
inline uint64_t loadBe64(const uint8_t* p) {
    return (uint64_t(loadBe32(p)) << 32) | loadBe32(p + 4);
}
inline uint32_t loadLe32(const uint8_t* p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
inline uint64_t loadLe64(const uint8_t* p) {
    return uint64_t(loadLe32(p)) | (uint64_t(loadLe32(p + 4)) << 32);
}

inline void storeBe16(uint8_t* p, uint16_t v) {
    p[0] = uint8_t(v >> 8);
    p[1] = uint8_t(v);
}
inline void storeBe32(uint8_t* p, uint32_t v) {
    p[0] = uint8_t(v >> 24);
    p[1] = uint8_t(v >> 16);
    p[2] = uint8_t(v >> 8);
    p[3] = uint8_t(v);
}
inline void storeBe64(uint8_t* p, uint64_t v) {
    storeBe32(p, uint32_t(v >> 32));
    storeBe32(p + 4, uint32_t(v));
}

inline int16_t loadBeI16(const uint8_t* p) {
    return int16_t(loadBe16(p));
}
inline int32_t loadBeI32(const uint8_t* p) {
    return int32_t(loadBe32(p));
}
inline int64_t loadBeI64(const uint8_t* p) {
    return int64_t(loadBe64(p));
}

}  // namespace partita::protocol::records
