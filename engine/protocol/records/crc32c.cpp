// CRC-32C: slicing-by-8 tables, an SSE4.2 three-stream kernel, and the dispatch between them.
#include "engine/protocol/records/crc32c.h"

#include "engine/protocol/records/byteorder.h"

#include <cstddef>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define PARTITA_CRC32C_X86 1
#endif

// No Debian package ships CRC-32C as a library (the kernel, Abseil and rocksdb each carry
// their own copy), so it is written here. All tables are built at compile time.

namespace partita::protocol::records {
namespace {

// Reflected Castagnoli polynomial.
constexpr uint32_t kPolynomial = 0x82F63B78u;

struct SliceTables {
    uint32_t t[8][256];
};

constexpr SliceTables makeSliceTables() {
    SliceTables s{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1) ? kPolynomial : 0);
        s.t[0][i] = c;
    }
    for (int j = 1; j < 8; ++j) {
        for (uint32_t i = 0; i < 256; ++i) s.t[j][i] = (s.t[j - 1][i] >> 8) ^ s.t[0][s.t[j - 1][i] & 0xFF];
    }
    return s;
}

constexpr SliceTables kSlice = makeSliceTables();

// The CRC register is linear over GF(2), so running it over n zero bytes is a 32x32 bit matrix
// M^n. The hardware path runs three streams from zero and folds the earlier ones forward with
// that matrix; a matrix is kept as its 32 columns (the image of each register bit).
struct Matrix {
    uint32_t col[32];
};

constexpr uint32_t apply(const Matrix& m, uint32_t v) {
    uint32_t r = 0;
    for (int i = 0; v != 0; ++i, v >>= 1) {
        if (v & 1) r ^= m.col[i];
    }
    return r;
}

constexpr Matrix square(const Matrix& m) {
    Matrix r{};
    for (int i = 0; i < 32; ++i) r.col[i] = apply(m, m.col[i]);
    return r;
}

// The operator for `bytes` zero bytes; bytes must be a power of two.
constexpr Matrix zeroBytesOperator(size_t bytes) {
    Matrix m{};
    // One zero bit: bit 0 shifts out and brings in the polynomial, every other bit moves down.
    m.col[0] = kPolynomial;
    for (int i = 1; i < 32; ++i) m.col[i] = 1u << (i - 1);
    for (size_t bits = 1; bits < bytes * 8; bits *= 2) m = square(m);
    return m;
}

// M^n applied one byte of the register at a time: four lookups instead of 32 conditional XORs.
struct ShiftTable {
    uint32_t t[4][256];
};

constexpr ShiftTable makeShiftTable(size_t bytes) {
    const Matrix m = zeroBytesOperator(bytes);
    ShiftTable s{};
    for (int k = 0; k < 4; ++k) {
        for (uint32_t b = 0; b < 256; ++b) s.t[k][b] = apply(m, b << (8 * k));
    }
    return s;
}

inline uint32_t shift(const ShiftTable& s, uint32_t crc) {
    return s.t[0][crc & 0xFF] ^ s.t[1][(crc >> 8) & 0xFF] ^ s.t[2][(crc >> 16) & 0xFF] ^ s.t[3][crc >> 24];
}

// Stream lengths for the three-way kernel. Long streams amortise the fold; the short ones keep
// buffers of a few KiB (a typical produce batch) off the single-chain path.
constexpr size_t kLongStream = 8192;
constexpr size_t kShortStream = 256;
[[maybe_unused]] constexpr ShiftTable kShiftLong = makeShiftTable(kLongStream);
[[maybe_unused]] constexpr ShiftTable kShiftShort = makeShiftTable(kShortStream);

#if PARTITA_CRC32C_X86
// crc32 has a latency of three cycles and a throughput of one per cycle, so a single chain
// runs at a third of the unit's speed; three independent streams keep it busy.
__attribute__((target("sse4.2"))) inline uint64_t threeStreams(uint64_t crc, const uint8_t* p, size_t streamBytes,
                                                               const ShiftTable& fold) {
    const uint8_t* a = p;
    const uint8_t* b = p + streamBytes;
    const uint8_t* c = p + 2 * streamBytes;
    uint64_t crcB = 0;
    uint64_t crcC = 0;
    for (size_t i = 0; i < streamBytes; i += 8) {
        crc = _mm_crc32_u64(crc, loadLe64(a + i));
        crcB = _mm_crc32_u64(crcB, loadLe64(b + i));
        crcC = _mm_crc32_u64(crcC, loadLe64(c + i));
    }
    return shift(fold, shift(fold, uint32_t(crc)) ^ uint32_t(crcB)) ^ uint32_t(crcC);
}

__attribute__((target("sse4.2"))) uint32_t hardwareKernel(const uint8_t* p, size_t n, uint32_t crc) {
    uint64_t r = ~crc;
    while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
        r = _mm_crc32_u8(uint32_t(r), *p++);
        --n;
    }
    while (n >= 3 * kLongStream) {
        r = threeStreams(r, p, kLongStream, kShiftLong);
        p += 3 * kLongStream;
        n -= 3 * kLongStream;
    }
    while (n >= 3 * kShortStream) {
        r = threeStreams(r, p, kShortStream, kShiftShort);
        p += 3 * kShortStream;
        n -= 3 * kShortStream;
    }
    while (n >= 8) {
        r = _mm_crc32_u64(r, loadLe64(p));
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        r = _mm_crc32_u8(uint32_t(r), *p++);
        --n;
    }
    return ~uint32_t(r);
}
#endif

uint32_t portableKernel(const uint8_t* p, size_t n, uint32_t crc) {
    uint32_t r = ~crc;
    const auto& t = kSlice.t;
    while (n >= 8) {
        const uint64_t w = loadLe64(p) ^ r;
        r = t[7][w & 0xFF] ^ t[6][(w >> 8) & 0xFF] ^ t[5][(w >> 16) & 0xFF] ^ t[4][(w >> 24) & 0xFF] ^
            t[3][(w >> 32) & 0xFF] ^ t[2][(w >> 40) & 0xFF] ^ t[1][(w >> 48) & 0xFF] ^ t[0][w >> 56];
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        r = (r >> 8) ^ t[0][(r ^ *p++) & 0xFF];
        --n;
    }
    return ~r;
}

bool detectHardware() {
#if PARTITA_CRC32C_X86
    return __builtin_cpu_supports("sse4.2");
#else
    return false;
#endif
}

}  // namespace

bool crc32cHardwareAvailable() {
    static const bool available = detectHardware();
    return available;
}

uint32_t crc32cPortable(std::span<const uint8_t> data, uint32_t crc) {
    return portableKernel(data.data(), data.size(), crc);
}

uint32_t crc32cHardware(std::span<const uint8_t> data, uint32_t crc) {
#if PARTITA_CRC32C_X86
    if (crc32cHardwareAvailable()) return hardwareKernel(data.data(), data.size(), crc);
#endif
    return portableKernel(data.data(), data.size(), crc);
}

uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc) {
#if PARTITA_CRC32C_X86
    if (crc32cHardwareAvailable()) return hardwareKernel(data.data(), data.size(), crc);
#endif
    return portableKernel(data.data(), data.size(), crc);
}

}  // namespace partita::protocol::records
