// Internal: the per-codec functions behind compression.h, and the bounded output they share.
#pragma once

#include "engine/protocol/records/compression.h"

namespace partita::protocol::records::codecs {

// Where a decoder writes. Two kinds exist: a caller's std::vector (decompressAppend) and an
// uninitialised heap block (decompressToBytes), which skips zero-filling memory that the
// decoder overwrites anyway (a tenth of LZ4's decode time on a 64 KiB batch).
class OutputBuffer {
public:
    virtual ~OutputBuffer() = default;
    virtual size_t size() const = 0;
    virtual uint8_t* data() = 0;
    // Keeps the first min(old, new) bytes; bytes past the old size are unspecified.
    virtual void resize(size_t size) = 0;
};

class VectorOutput final : public OutputBuffer {
public:
    explicit VectorOutput(std::vector<uint8_t>& v) : m_v(v) {}
    size_t size() const override { return m_v.size(); }
    uint8_t* data() override { return m_v.data(); }
    void resize(size_t size) override { m_v.resize(size); }

private:
    std::vector<uint8_t>& m_v;
};

Status gzipCompress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level);
Status gzipDecompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out);

Status snappyCompress(std::span<const uint8_t> input, std::vector<uint8_t>& out);
Status snappyDecompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out);

Status lz4Compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level,
                   bool legacyHeaderChecksum);
Status lz4Decompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out, bool legacyHeaderChecksum);

Status zstdCompress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level);
Status zstdDecompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out);

// Output of a streaming decoder appended to an OutputBuffer and never allowed past a limit.
// The buffer grows geometrically from a first guess, up to limit + 1 bytes at most: a decoder
// that fills that last byte has proven the output is too large, without trusting any header.
// Unless finish() is called, the destructor takes the buffer back to its size on entry, so an
// error leaves the caller's buffer as it was.
class BoundedOutput {
public:
    BoundedOutput(OutputBuffer& out, size_t limit, size_t firstGuess);
    ~BoundedOutput();
    BoundedOutput(const BoundedOutput&) = delete;
    BoundedOutput& operator=(const BoundedOutput&) = delete;

    // Room to write into; grows the buffer when full. Empty once limit + 1 bytes exist.
    uint8_t* space();
    size_t spaceSize() const { return m_out.size() - m_start - m_produced; }
    void produced(size_t n) { m_produced += n; }
    size_t total() const { return m_produced; }
    bool overLimit() const { return m_produced > m_limit; }
    // Keeps what was produced.
    void finish();
    Error tooLarge(const char* codec) const;

private:
    OutputBuffer& m_out;
    size_t m_start;
    size_t m_limit;
    size_t m_produced = 0;
    bool m_finished = false;
};

}  // namespace partita::protocol::records::codecs
