// The compression codecs of Kafka record data: one entry point per direction, bounded output.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace partita::protocol::records {

// The codec ids of the attributes field (bits 0-2), in both batch formats.
enum class CompressionType : int8_t { None = 0, Gzip = 1, Snappy = 2, Lz4 = 3, Zstd = 4 };

const char* compressionTypeName(CompressionType type);                          // "none", "gzip", ...
std::optional<CompressionType> compressionTypeFromId(int id);                   // nullopt for 5..7 and others
std::optional<CompressionType> compressionTypeFromName(std::string_view name);  // Kafka's config names

struct CodecOptions {
    // Codec level; nullopt is gzip 6 (zlib's default), zstd 3, and lz4's fast mode (what
    // librdkafka and Kafka before 3.8 write; Kafka 3.8's compression.lz4.level default is 9).
    // Snappy has no level.
    std::optional<int> level;
    // Legacy messages with magic 0 frame LZ4 with the old wrong header checksum (KAFKA-3160):
    // written over magic + descriptor, and not checked when read.
    bool lz4LegacyHeaderChecksum = false;
};

// Whether level is accepted for type (gzip 1-9 or -1, lz4 1-17, zstd -131072..22, any for snappy/none).
Status checkCompressionLevel(CompressionType type, int level);

// Appends the compressed form of input to out, in the framing Kafka writes (gzip member,
// xerial snappy, LZ4 frame with 64 KiB independent blocks, zstd frame).
Status compressAppend(CompressionType type, std::span<const uint8_t> input, std::vector<uint8_t>& out,
                      const CodecOptions& options = {});

// Appends the decompressed form of input to out. More than maxOutput bytes of output is a
// TooLarge error, found while decoding: no claimed size is allocated before it is checked
// against the limit. Corrupt or truncated input is a Malformed or Truncated error.
Status decompressAppend(CompressionType type, std::span<const uint8_t> input, size_t maxOutput,
                        std::vector<uint8_t>& out, const CodecOptions& options = {});

// Like decompressAppend, into a new shared buffer that is not zero-filled first: the fast path
// for readers that keep the result as Bytes (RecordReader, legacy wrappers).
Result<Bytes> decompressToBytes(CompressionType type, std::span<const uint8_t> input, size_t maxOutput,
                                const CodecOptions& options = {});

Result<std::vector<uint8_t>> compress(CompressionType type, std::span<const uint8_t> input,
                                      const CodecOptions& options = {});
Result<std::vector<uint8_t>> decompress(CompressionType type, std::span<const uint8_t> input, size_t maxOutput,
                                        const CodecOptions& options = {});

}  // namespace partita::protocol::records
