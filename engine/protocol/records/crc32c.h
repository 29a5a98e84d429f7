// CRC-32C (Castagnoli), the checksum of RecordBatch v2: SSE4.2 path and portable fallback.
#pragma once

#include <cstdint>
#include <span>

namespace partita::protocol::records {

// The finished CRC-32C of data, extending crc: crc32c(b, crc32c(a)) == crc32c(a ++ b), and
// crc 0 starts a new checksum. Picks the SSE4.2 path when the CPU has it.
uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc = 0);

// Both paths, exposed so tests and benchmarks can compare them. crc32cHardware() falls back to
// the portable code when the CPU (or the build architecture) has no crc32 instruction.
uint32_t crc32cPortable(std::span<const uint8_t> data, uint32_t crc = 0);
uint32_t crc32cHardware(std::span<const uint8_t> data, uint32_t crc = 0);
bool crc32cHardwareAvailable();

}  // namespace partita::protocol::records
