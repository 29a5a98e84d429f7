// lz4 codec through liblz4's frame API, with Kafka's magic-0 header checksum quirk.
#include "engine/protocol/records/compressioncodecs.h"

#include "engine/protocol/records/byteorder.h"

#include <lz4frame.h>
#include <xxhash.h>

#include <cstring>
#include <string>

namespace partita::protocol::records::codecs {
namespace {

constexpr uint32_t kFrameMagic = 0x184D2204u;
constexpr size_t kMaxHeaderSize = 4 + 2 + 8 + 1;  // magic, FLG+BD, content size, HC

struct FrameHeader {
    size_t size = 0;  // magic through HC
    bool hasContentSize = false;
    uint64_t contentSize = 0;
};

// Checks what Kafka's reader checks before liblz4 sees the frame: the LZ4 frame magic (no
// skippable or legacy frames), version 01, independent blocks, reserved and dictionary bits
// clear. liblz4 alone would also decode dependent-block frames that Kafka rejects.
Result<FrameHeader> parseHeader(const uint8_t* p, size_t n) {
    if (n < 7) return makeError(ErrorKind::Truncated, "LZ4 frame header is cut short");
    if (loadLe32(p) != kFrameMagic)
        return makeError(ErrorKind::Malformed, "data does not start with the LZ4 frame magic");
    const uint8_t flg = p[4];
    if ((flg >> 6) != 1) return makeError(ErrorKind::Unsupported, "LZ4 frame version is not 01");
    if ((flg & 0x20) == 0)
        return makeError(ErrorKind::Unsupported, "LZ4 frame uses dependent blocks, which Kafka rejects");
    if ((flg & 0x03) != 0) return makeError(ErrorKind::Unsupported, "LZ4 frame sets reserved or dictionary bits");
    FrameHeader header;
    header.hasContentSize = (flg & 0x08) != 0;
    header.size = 7 + (header.hasContentSize ? 8 : 0);
    if (n < header.size) return makeError(ErrorKind::Truncated, "LZ4 frame header is cut short");
    if (header.hasContentSize) header.contentSize = loadLe64(p + 6);
    return header;
}

uint8_t headerChecksum(const uint8_t* p, size_t n) {
    return uint8_t((XXH32(p, n, 0) >> 8) & 0xFF);
}

struct CompressionContext {
    LZ4F_cctx* ctx = nullptr;
    CompressionContext() { LZ4F_createCompressionContext(&ctx, LZ4F_VERSION); }
    ~CompressionContext() { LZ4F_freeCompressionContext(ctx); }
};

// liblz4 1.9.4's LZ4F_resetDecompressionContext leaves the content size of a frame that failed
// midway, and the next frame then fails with "frameSize_wrong"; a context that saw an error
// is replaced instead of reset.
struct DecompressionContext {
    LZ4F_dctx* ctx = nullptr;
    bool clean = false;
    ~DecompressionContext() { LZ4F_freeDecompressionContext(ctx); }
    LZ4F_dctx* take() {
        if (ctx && !clean) {
            LZ4F_freeDecompressionContext(ctx);
            ctx = nullptr;
        }
        if (!ctx && LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) ctx = nullptr;
        clean = false;
        return ctx;
    }
    void release() { clean = true; }
};

Error lz4Error(const char* what, size_t code) {
    return makeError(ErrorKind::Malformed, std::string("LZ4 ") + what + ": " + LZ4F_getErrorName(code));
}

}  // namespace

Status lz4Compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level,
                   bool legacyHeaderChecksum) {
    thread_local CompressionContext context;
    if (!context.ctx) return makeError(ErrorKind::Io, "cannot allocate an LZ4 compression context");

    // The frame Kafka writes: FLG 0x60 (version 01, independent blocks, no checksums, no
    // content size) and BD 0x40 (64 KiB blocks).
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
    prefs.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum;
    prefs.compressionLevel = level.value_or(0);

    const size_t start = out.size();
    out.resize(start + LZ4F_compressFrameBound(input.size(), &prefs));
    uint8_t* dst = out.data() + start;
    size_t room = out.size() - start;
    size_t written = LZ4F_compressBegin(context.ctx, dst, room, &prefs);
    if (LZ4F_isError(written)) {
        out.resize(start);
        return lz4Error("frame start", written);
    }
    const size_t headerSize = written;
    size_t n = LZ4F_compressUpdate(context.ctx, dst + written, room - written, input.data(), input.size(), nullptr);
    if (LZ4F_isError(n)) {
        out.resize(start);
        return lz4Error("compression", n);
    }
    written += n;
    n = LZ4F_compressEnd(context.ctx, dst + written, room - written, nullptr);
    if (LZ4F_isError(n)) {
        out.resize(start);
        return lz4Error("frame end", n);
    }
    written += n;
    if (legacyHeaderChecksum) {
        // KAFKA-3160: magic-0 data carries HC computed over the frame magic as well.
        dst[headerSize - 1] = headerChecksum(dst, headerSize - 1);
    }
    out.resize(start + written);
    return Status::success();
}

Status lz4Decompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out, bool legacyHeaderChecksum) {
    Result<FrameHeader> header = parseHeader(input.data(), input.size());
    if (!header) return header.error();
    thread_local DecompressionContext context;
    LZ4F_dctx* const dctx = context.take();
    if (!dctx) return makeError(ErrorKind::Io, "cannot allocate an LZ4 decompression context");

    if (header->hasContentSize && header->contentSize > maxOutput) {
        return makeError(ErrorKind::TooLarge, "LZ4 frame claims " + std::to_string(header->contentSize) +
                                                  " bytes, over the limit of " + std::to_string(maxOutput));
    }
    // Kafka's frames carry no content size; JSON-like records compress about 3-5x.
    BoundedOutput output(out, maxOutput, header->hasContentSize ? size_t(header->contentSize) : input.size() * 4);

    const uint8_t* src = input.data();
    size_t srcLeft = input.size();
    if (legacyHeaderChecksum) {
        // Magic-0 frames may carry either checksum and Kafka does not check it: give liblz4 a
        // copy of the header with the right one, then the rest of the frame as it is.
        uint8_t patched[kMaxHeaderSize];
        std::memcpy(patched, src, header->size);
        patched[header->size - 1] = headerChecksum(patched + 4, header->size - 5);
        size_t dstSize = 0;
        size_t srcSize = header->size;
        const size_t rc = LZ4F_decompress(dctx, output.space(), &dstSize, patched, &srcSize, nullptr);
        if (LZ4F_isError(rc)) return lz4Error("frame header", rc);
        if (srcSize != header->size) return makeError(ErrorKind::Malformed, "LZ4 frame header was not accepted");
        src += header->size;
        srcLeft -= header->size;
    }
    for (;;) {
        uint8_t* dst = output.space();
        size_t dstSize = output.spaceSize();
        if (dstSize == 0) return output.tooLarge("LZ4");
        size_t srcSize = srcLeft;
        const size_t hint = LZ4F_decompress(dctx, dst, &dstSize, src, &srcSize, nullptr);
        if (LZ4F_isError(hint)) return lz4Error("decompression", hint);
        output.produced(dstSize);
        src += srcSize;
        srcLeft -= srcSize;
        if (output.overLimit()) return output.tooLarge("LZ4");
        // Kafka's reader stops at the end mark of the first frame and ignores what follows.
        if (hint == 0) break;
        if (srcLeft == 0 && dstSize == 0) {
            return makeError(ErrorKind::Truncated, "LZ4 data ends inside the frame");
        }
    }
    output.finish();
    context.release();
    return Status::success();
}

}  // namespace partita::protocol::records::codecs
