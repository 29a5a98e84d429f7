// zstd codec through libzstd: one frame written, frames read by streaming with a bounded window.
#include "engine/protocol/records/compressioncodecs.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <bit>
#include <string>

namespace partita::protocol::records::codecs {
namespace {

constexpr int kDefaultLevel = 3;  // zstd-jni's and Kafka's default
// A frame may ask for a window of up to 2^27 bytes by default, which the decoder allocates
// before producing anything. Frames written by Kafka clients ask for at most 2^23 (level 19
// streaming without a known size), so the window is capped at what the output limit could need
// but never below 2^23, and never above libzstd's default.
constexpr int kMinWindowLog = 23;
constexpr int kMaxWindowLog = 27;

struct CompressionContext {
    ZSTD_CCtx* ctx = ZSTD_createCCtx();
    ~CompressionContext() { ZSTD_freeCCtx(ctx); }
};

struct DecompressionContext {
    ZSTD_DCtx* ctx = ZSTD_createDCtx();
    ~DecompressionContext() { ZSTD_freeDCtx(ctx); }
};

Error zstdError(const char* what, size_t code) {
    const ErrorKind kind = ZSTD_getErrorCode(code) == ZSTD_error_memory_allocation               ? ErrorKind::Io
                           : ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge ? ErrorKind::TooLarge
                                                                                                 : ErrorKind::Malformed;
    return makeError(kind, std::string("zstd ") + what + ": " + ZSTD_getErrorName(code));
}

}  // namespace

Status zstdCompress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level) {
    // Contexts are reused per thread: creating one allocates and clears about a megabyte.
    thread_local CompressionContext context;
    if (!context.ctx) return makeError(ErrorKind::Io, "cannot allocate a zstd compression context");
    ZSTD_CCtx_reset(context.ctx, ZSTD_reset_session_and_parameters);
    size_t rc = ZSTD_CCtx_setParameter(context.ctx, ZSTD_c_compressionLevel, level.value_or(kDefaultLevel));
    if (ZSTD_isError(rc)) return zstdError("level", rc);

    const size_t start = out.size();
    out.resize(start + ZSTD_compressBound(input.size()));
    rc = ZSTD_compress2(context.ctx, out.data() + start, out.size() - start, input.data(), input.size());
    if (ZSTD_isError(rc)) {
        out.resize(start);
        return zstdError("compression", rc);
    }
    out.resize(start + rc);
    return Status::success();
}

Status zstdDecompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out) {
    thread_local DecompressionContext context;
    if (!context.ctx) return makeError(ErrorKind::Io, "cannot allocate a zstd decompression context");
    ZSTD_DCtx_reset(context.ctx, ZSTD_reset_session_and_parameters);
    const int limitLog = maxOutput <= 1 ? 1 : int(std::bit_width(maxOutput - 1));
    const int windowLog = std::clamp(limitLog, kMinWindowLog, kMaxWindowLog);
    size_t rc = ZSTD_DCtx_setParameter(context.ctx, ZSTD_d_windowLogMax, windowLog);
    if (ZSTD_isError(rc)) return zstdError("window limit", rc);

    // A content size in the first frame header is checked against the limit up front (the
    // decoder verifies it at the end of the frame); otherwise output grows as it is decoded.
    size_t guess = input.size() * 4;
    const unsigned long long claimed = ZSTD_getFrameContentSize(input.data(), input.size());
    if (claimed != ZSTD_CONTENTSIZE_UNKNOWN && claimed != ZSTD_CONTENTSIZE_ERROR) {
        if (claimed > maxOutput) {
            return makeError(ErrorKind::TooLarge, "zstd frame claims " + std::to_string(claimed) +
                                                      " bytes, over the limit of " + std::to_string(maxOutput));
        }
        guess = size_t(claimed);
    }
    if (input.empty()) return makeError(ErrorKind::Truncated, "zstd data is empty");
    BoundedOutput output(out, maxOutput, guess);
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    for (;;) {
        uint8_t* dst = output.space();
        const size_t room = output.spaceSize();
        if (room == 0) return output.tooLarge("zstd");
        ZSTD_outBuffer o{dst, room, 0};
        rc = ZSTD_decompressStream(context.ctx, &o, &in);
        if (ZSTD_isError(rc)) return zstdError("decompression", rc);
        output.produced(o.pos);
        if (output.overLimit()) return output.tooLarge("zstd");
        // rc == 0: a frame ended and everything decoded was flushed. Frames may follow each
        // other, as zstd-jni's reader accepts.
        if (rc == 0 && in.pos == in.size) break;
        if (in.pos == in.size && o.pos < room) {
            return makeError(ErrorKind::Truncated, "zstd data ends inside a frame");
        }
    }
    output.finish();
    return Status::success();
}

}  // namespace partita::protocol::records::codecs
