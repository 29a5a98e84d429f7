// snappy codec through libsnappy: writes xerial (snappy-java) framing, reads xerial and raw.
#include "engine/protocol/records/compressioncodecs.h"

#include "engine/protocol/records/byteorder.h"

#include <snappy.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace partita::protocol::records::codecs {
namespace {

constexpr uint8_t kXerialMagic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0x00};
constexpr size_t kXerialHeaderSize = 16;
// snappy-java's default block size; each block is compressed on its own.
constexpr size_t kXerialBlockSize = 32 * 1024;
// A snappy element yields at most 64 bytes from 3 (a two-byte-offset copy), so no honest block
// expands by more than about 22x. A larger claim is rejected before anything is allocated.
constexpr size_t kMaxSnappyRatio = 24;

bool hasXerialMagic(std::span<const uint8_t> input) {
    return input.size() >= sizeof(kXerialMagic) && std::memcmp(input.data(), kXerialMagic, sizeof(kXerialMagic)) == 0;
}

// The uncompressed length a raw block claims, checked against the budget left and against
// what snappy can produce from that many bytes before anything is allocated for it.
Result<size_t> claimedLength(const uint8_t* block, size_t size, size_t budget) {
    size_t claimed = 0;
    if (!snappy::GetUncompressedLength(reinterpret_cast<const char*>(block), size, &claimed)) {
        return makeError(ErrorKind::Malformed, "snappy block has no valid length header");
    }
    if (claimed > budget) {
        return makeError(ErrorKind::TooLarge, "snappy data claims " + std::to_string(claimed) +
                                                  " more bytes, over the remaining limit of " + std::to_string(budget));
    }
    if (claimed > size * kMaxSnappyRatio + 64) {
        return makeError(ErrorKind::Malformed, "snappy block claims " + std::to_string(claimed) + " bytes from " +
                                                   std::to_string(size) + ", more than snappy can expand");
    }
    return claimed;
}

// Walks the blocks of a xerial stream, checking each length, and calls fn(block, size, plain)
// for each. Used twice: to size the output, then to decode into it.
template <class Fn>
Status forEachXerialBlock(std::span<const uint8_t> input, size_t maxOutput, Fn&& fn) {
    if (input.size() < kXerialHeaderSize) return makeError(ErrorKind::Truncated, "xerial snappy header is cut short");
    // Version fields are not checked: snappy-java itself only ever wrote 1 / 1.
    size_t budget = maxOutput;
    size_t at = kXerialHeaderSize;
    while (at < input.size()) {
        if (input.size() - at < 4) return makeError(ErrorKind::Truncated, "xerial snappy block length is cut short");
        const size_t length = loadBe32(input.data() + at);
        at += 4;
        if (length > input.size() - at) {
            return makeError(ErrorKind::Truncated, "xerial snappy block of " + std::to_string(length) +
                                                       " bytes runs past the end of the data");
        }
        auto plain = claimedLength(input.data() + at, length, budget);
        if (!plain) return plain.error();
        if (Status s = fn(input.data() + at, length, *plain); !s) return s;
        budget -= *plain;
        at += length;
    }
    return Status::success();
}

Status decodeBlock(const uint8_t* block, size_t size, uint8_t* out) {
    if (!snappy::RawUncompress(reinterpret_cast<const char*>(block), size, reinterpret_cast<char*>(out))) {
        return makeError(ErrorKind::Malformed, "snappy block is corrupt");
    }
    return Status::success();
}

}  // namespace

Status snappyCompress(std::span<const uint8_t> input, std::vector<uint8_t>& out) {
    const size_t blocks = (input.size() + kXerialBlockSize - 1) / kXerialBlockSize;
    const size_t start = out.size();
    out.resize(start + kXerialHeaderSize + blocks * (4 + snappy::MaxCompressedLength(kXerialBlockSize)));
    uint8_t* p = out.data() + start;
    std::memcpy(p, kXerialMagic, sizeof(kXerialMagic));
    storeBe32(p + 8, 1);   // version
    storeBe32(p + 12, 1);  // minimum compatible version
    p += kXerialHeaderSize;
    for (size_t at = 0; at < input.size(); at += kXerialBlockSize) {
        const size_t n = std::min(kXerialBlockSize, input.size() - at);
        size_t compressed = 0;
        snappy::RawCompress(reinterpret_cast<const char*>(input.data() + at), n, reinterpret_cast<char*>(p + 4),
                            &compressed);
        storeBe32(p, uint32_t(compressed));
        p += 4 + compressed;
    }
    out.resize(size_t(p - out.data()));
    return Status::success();
}

Status snappyDecompress(std::span<const uint8_t> input, size_t maxOutput, OutputBuffer& out) {
    // Every block states its uncompressed length, so the whole output is sized (and checked
    // against the limit) once, before any block is decoded.
    const size_t start = out.size();
    Status status;
    if (!hasXerialMagic(input)) {
        // librdkafka and other clients send one raw block with no framing.
        auto plain = claimedLength(input.data(), input.size(), maxOutput);
        if (!plain) return plain.error();
        out.resize(start + *plain);
        status = decodeBlock(input.data(), input.size(), out.data() + start);
    } else {
        size_t total = 0;
        status = forEachXerialBlock(input, maxOutput, [&](const uint8_t*, size_t, size_t plain) {
            total += plain;
            return Status::success();
        });
        if (!status) return status;
        out.resize(start + total);
        size_t at = start;
        status = forEachXerialBlock(input, maxOutput, [&](const uint8_t* block, size_t size, size_t plain) {
            Status s = decodeBlock(block, size, out.data() + at);
            at += plain;
            return s;
        });
    }
    if (!status) out.resize(start);
    return status;
}

}  // namespace partita::protocol::records::codecs
