// gzip codec through zlib: writes one RFC 1952 member, reads concatenated members.
#include "engine/protocol/records/compressioncodecs.h"

#include "engine/protocol/records/byteorder.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <string>

namespace partita::protocol::records::codecs {
namespace {

// zlib's windowBits + 16 selects the gzip wrapper instead of the zlib one.
constexpr int kGzipWindowBits = 15 + 16;
// avail_in / avail_out are 32-bit; larger spans are fed in slices of this size.
constexpr size_t kMaxSlice = size_t(1) << 30;

Error zlibError(const char* what, int code, const z_stream& s) {
    std::string message = std::string("gzip ") + what + " failed: ";
    message += s.msg ? s.msg : zError(code);
    return makeError(code == Z_MEM_ERROR ? ErrorKind::Io : ErrorKind::Malformed, message);
}

// Streams are reused per thread: deflateInit2 allocates about 256 KiB and inflateInit2 about
// 7 KiB plus a window, which would cost more than the compression of a small batch.
struct Deflater {
    z_stream stream{};
    int level = INT_MIN;
    bool ready = false;
    ~Deflater() {
        if (ready) deflateEnd(&stream);
    }
    int prepare(int wanted) {
        if (ready && wanted == level) return deflateReset(&stream);
        if (ready) deflateEnd(&stream);
        ready = false;
        stream = z_stream{};
        const int rc = deflateInit2(&stream, wanted, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
        if (rc == Z_OK) {
            ready = true;
            level = wanted;
        }
        return rc;
    }
};

struct Inflater {
    z_stream stream{};
    bool ready = false;
    ~Inflater() {
        if (ready) inflateEnd(&stream);
    }
    int prepare() {
        if (ready) return inflateReset(&stream);
        stream = z_stream{};
        const int rc = inflateInit2(&stream, kGzipWindowBits);
        ready = rc == Z_OK;
        return rc;
    }
};

}  // namespace

Status gzipCompress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level) {
    thread_local Deflater deflater;
    int rc = deflater.prepare(level.value_or(Z_DEFAULT_COMPRESSION));
    if (rc != Z_OK) return zlibError("init", rc, deflater.stream);
    z_stream& s = deflater.stream;

    const size_t start = out.size();
    const size_t bound = deflateBound(&s, uLong(input.size()));
    out.resize(start + bound);
    const uint8_t* in = input.data();
    size_t inLeft = input.size();
    size_t written = 0;
    do {
        const size_t slice = std::min(inLeft, kMaxSlice);
        s.next_in = const_cast<Bytef*>(in);
        s.avail_in = uInt(slice);
        const int flush = slice == inLeft ? Z_FINISH : Z_NO_FLUSH;
        do {
            if (out.size() - start - written == 0) out.resize(out.size() + 65536);
            const size_t room = std::min(out.size() - start - written, kMaxSlice);
            s.next_out = out.data() + start + written;
            s.avail_out = uInt(room);
            rc = deflate(&s, flush);
            written += room - s.avail_out;
            if (rc == Z_STREAM_ERROR) {
                out.resize(start);
                return zlibError("compression", rc, s);
            }
        } while (s.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
        in += slice;
        inLeft -= slice;
    } while (inLeft > 0);
    out.resize(start + written);
    return Status::success();
}

Status gzipDecompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out) {
    if (input.size() > UINT_MAX) return makeError(ErrorKind::TooLarge, "gzip input over 4 GiB");
    thread_local Inflater inflater;
    int rc = inflater.prepare();
    if (rc != Z_OK) return zlibError("init", rc, inflater.stream);
    z_stream& s = inflater.stream;

    // The trailer's ISIZE (size mod 2^32 of the last member) is a fair first guess for the
    // output, but only a guess: it is used when deflate could plausibly reach it (its best
    // ratio is about 1032:1), and the output still grows and is checked as it is decoded.
    size_t guess = input.size() * 4;
    if (input.size() >= 18) {
        const size_t claimed = loadLe32(input.data() + input.size() - 4);
        if (claimed <= input.size() * 1032) guess = claimed;
    }
    BoundedOutput output(out, maxOutput, guess);

    s.next_in = const_cast<Bytef*>(input.data());
    s.avail_in = uInt(input.size());
    for (;;) {
        uint8_t* dst = output.space();
        const size_t room = std::min(output.spaceSize(), kMaxSlice);
        if (room == 0) return output.tooLarge("gzip");
        s.next_out = dst;
        s.avail_out = uInt(room);
        rc = inflate(&s, Z_NO_FLUSH);
        output.produced(room - s.avail_out);
        if (output.overLimit()) return output.tooLarge("gzip");
        if (rc == Z_STREAM_END) {
            // Another member may follow (GZIPInputStream reads them all); bytes that do not
            // start a member are ignored, as GZIPInputStream ignores them.
            if (s.avail_in >= 2 && s.next_in[0] == 0x1F && s.next_in[1] == 0x8B) {
                rc = inflateReset(&s);
                if (rc != Z_OK) break;
                continue;
            }
            output.finish();
            return Status::success();
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && s.avail_out == 0) continue;
        if (rc == Z_BUF_ERROR) return makeError(ErrorKind::Truncated, "gzip data ends inside the stream");
        break;
    }
    if (rc == Z_NEED_DICT) return makeError(ErrorKind::Malformed, "gzip data needs a preset dictionary");
    return zlibError("decompression", rc, s);
}

}  // namespace partita::protocol::records::codecs
