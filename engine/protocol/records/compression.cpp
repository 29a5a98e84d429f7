// Codec names and ids, level checks, and the dispatch from CompressionType to each codec.
#include "engine/protocol/records/compression.h"

#include "engine/protocol/records/compressioncodecs.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

namespace partita::protocol::records {

const char* compressionTypeName(CompressionType type) {
    switch (type) {
        case CompressionType::None:
            return "none";
        case CompressionType::Gzip:
            return "gzip";
        case CompressionType::Snappy:
            return "snappy";
        case CompressionType::Lz4:
            return "lz4";
        case CompressionType::Zstd:
            return "zstd";
    }
    return "unknown";
}

std::optional<CompressionType> compressionTypeFromId(int id) {
    if (id < 0 || id > 4) return std::nullopt;
    return CompressionType(id);
}

std::optional<CompressionType> compressionTypeFromName(std::string_view name) {
    for (int id = 0; id <= 4; ++id) {
        if (name == compressionTypeName(CompressionType(id))) return CompressionType(id);
    }
    return std::nullopt;
}

Status checkCompressionLevel(CompressionType type, int level) {
    // Ranges of Kafka's compression.<codec>.level settings (KIP-390).
    int low = 0;
    int high = 0;
    switch (type) {
        case CompressionType::None:
        case CompressionType::Snappy:
            return Status::success();
        case CompressionType::Gzip:
            if (level == -1) return Status::success();  // zlib's default, as Kafka allows
            low = 1, high = 9;
            break;
        case CompressionType::Lz4:
            low = 1, high = 17;
            break;
        case CompressionType::Zstd:
            low = -131072, high = 22;
            break;
    }
    if (level < low || level > high) {
        return makeError(ErrorKind::InvalidArgument, std::string(compressionTypeName(type)) + " level " +
                                                         std::to_string(level) + " is outside " + std::to_string(low) +
                                                         ".." + std::to_string(high));
    }
    return Status::success();
}

Status compressAppend(CompressionType type, std::span<const uint8_t> input, std::vector<uint8_t>& out,
                      const CodecOptions& options) {
    if (options.level) {
        Status levelOk = checkCompressionLevel(type, *options.level);
        if (!levelOk) return levelOk;
    }
    switch (type) {
        case CompressionType::None:
            out.insert(out.end(), input.begin(), input.end());
            return Status::success();
        case CompressionType::Gzip:
            return codecs::gzipCompress(input, out, options.level);
        case CompressionType::Snappy:
            return codecs::snappyCompress(input, out);
        case CompressionType::Lz4:
            return codecs::lz4Compress(input, out, options.level, options.lz4LegacyHeaderChecksum);
        case CompressionType::Zstd:
            return codecs::zstdCompress(input, out, options.level);
    }
    return makeError(ErrorKind::Unsupported, "unknown compression type " + std::to_string(int(type)));
}

namespace {

Status decompressInto(CompressionType type, std::span<const uint8_t> input, size_t maxOutput, codecs::OutputBuffer& out,
                      const CodecOptions& options) {
    switch (type) {
        case CompressionType::None: {
            if (input.size() > maxOutput) {
                return makeError(ErrorKind::TooLarge, "uncompressed data of " + std::to_string(input.size()) +
                                                          " bytes is over the limit of " + std::to_string(maxOutput));
            }
            const size_t at = out.size();
            out.resize(at + input.size());
            if (!input.empty()) std::memcpy(out.data() + at, input.data(), input.size());
            return Status::success();
        }
        case CompressionType::Gzip:
            return codecs::gzipDecompress(input, maxOutput, out);
        case CompressionType::Snappy:
            return codecs::snappyDecompress(input, maxOutput, out);
        case CompressionType::Lz4:
            return codecs::lz4Decompress(input, maxOutput, out, options.lz4LegacyHeaderChecksum);
        case CompressionType::Zstd:
            return codecs::zstdDecompress(input, maxOutput, out);
    }
    return makeError(ErrorKind::Unsupported, "unknown compression type " + std::to_string(int(type)));
}

// A heap block that grows without zero-filling, handed over to Bytes when done.
class HeapOutput final : public codecs::OutputBuffer {
public:
    size_t size() const override { return m_size; }
    uint8_t* data() override { return m_data.get(); }
    void resize(size_t size) override {
        if (size > m_capacity) {
            const size_t capacity = std::max(size, m_capacity * 2);
            std::unique_ptr<uint8_t[]> grown(new uint8_t[capacity]);
            if (m_size > 0) std::memcpy(grown.get(), m_data.get(), m_size);
            m_data = std::move(grown);
            m_capacity = capacity;
        }
        m_size = size;
    }
    Bytes take() {
        // A block much larger than its content would stay alive as long as any record view of
        // it; copy the content into a block of its own size instead.
        if (m_capacity > m_size + m_size / 2 + 4096) {
            std::unique_ptr<uint8_t[]> exact(new uint8_t[std::max<size_t>(m_size, 1)]);
            if (m_size > 0) std::memcpy(exact.get(), m_data.get(), m_size);
            m_data = std::move(exact);
            m_capacity = m_size;
        }
        const uint8_t* p = m_data.get();
        std::shared_ptr<const void> owner(m_data.release(),
                                          [](const void* q) { delete[] static_cast<const uint8_t*>(q); });
        return Bytes(std::move(owner), p, m_size);
    }

private:
    std::unique_ptr<uint8_t[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

}  // namespace

Status decompressAppend(CompressionType type, std::span<const uint8_t> input, size_t maxOutput,
                        std::vector<uint8_t>& out, const CodecOptions& options) {
    codecs::VectorOutput sink(out);
    return decompressInto(type, input, maxOutput, sink, options);
}

Result<Bytes> decompressToBytes(CompressionType type, std::span<const uint8_t> input, size_t maxOutput,
                                const CodecOptions& options) {
    HeapOutput sink;
    Status status = decompressInto(type, input, maxOutput, sink, options);
    if (!status) return status.error();
    return sink.take();
}

Result<std::vector<uint8_t>> compress(CompressionType type, std::span<const uint8_t> input,
                                      const CodecOptions& options) {
    std::vector<uint8_t> out;
    Status status = compressAppend(type, input, out, options);
    if (!status) return status.error();
    return out;
}

Result<std::vector<uint8_t>> decompress(CompressionType type, std::span<const uint8_t> input, size_t maxOutput,
                                        const CodecOptions& options) {
    std::vector<uint8_t> out;
    Status status = decompressAppend(type, input, maxOutput, out, options);
    if (!status) return status.error();
    return out;
}

namespace codecs {

namespace {
// Keeps limit + 1 representable; nobody can hold that much output anyway.
constexpr size_t kLargestLimit = size_t(1) << 62;
constexpr size_t kSmallestGrowth = 4096;
}  // namespace

BoundedOutput::BoundedOutput(OutputBuffer& out, size_t limit, size_t firstGuess)
    : m_out(out), m_start(out.size()), m_limit(std::min(limit, kLargestLimit)) {
    const size_t first = std::min(m_limit + 1, std::max(firstGuess, kSmallestGrowth));
    m_out.resize(m_start + first);
}

BoundedOutput::~BoundedOutput() {
    if (!m_finished) m_out.resize(m_start);
}

void BoundedOutput::finish() {
    m_out.resize(m_start + m_produced);
    m_finished = true;
}

uint8_t* BoundedOutput::space() {
    const size_t capacity = m_out.size() - m_start;
    if (m_produced == capacity && capacity <= m_limit) {
        const size_t grown = std::min(m_limit + 1, std::max(capacity * 2, kSmallestGrowth));
        m_out.resize(m_start + grown);
    }
    return m_out.data() + m_start + m_produced;
}

Error BoundedOutput::tooLarge(const char* codec) const {
    return makeError(ErrorKind::TooLarge, std::string(codec) + " data decompresses to more than the limit of " +
                                              std::to_string(m_limit) + " bytes");
}

}  // namespace codecs
}  // namespace partita::protocol::records
