// Tests for the codecs: round trips, the framings Kafka writes, peer-made input, limits and corrupt data.
#include "engine/protocol/records/compression.h"

#include "recordstestutil.h"

#include <QTest>

#include <lz4frame.h>
#include <snappy.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

using namespace partita;
using namespace partita::protocol::records;
using namespace recordstest;

// The largest single operator-new request while tracking is on: a decoder that allocated a
// claimed size, or its whole output, before checking the limit shows up here.
namespace {
std::atomic<bool> g_tracking{false};
std::atomic<size_t> g_largestAllocation{0};

struct AllocationWatch {
    AllocationWatch() {
        g_largestAllocation = 0;
        g_tracking = true;
    }
    ~AllocationWatch() { g_tracking = false; }
    size_t largest() const { return g_largestAllocation.load(); }
};
}  // namespace

void* operator new(std::size_t n) {
    if (g_tracking.load(std::memory_order_relaxed)) {
        size_t seen = g_largestAllocation.load(std::memory_order_relaxed);
        while (n > seen && !g_largestAllocation.compare_exchange_weak(seen, n)) {
        }
    }
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

Q_DECLARE_METATYPE(partita::protocol::records::CompressionType)

namespace {

constexpr size_t kMiB = 1 << 20;
constexpr size_t kGiB = size_t(1) << 30;
const CompressionType kAllCodecs[] = {CompressionType::None, CompressionType::Gzip, CompressionType::Snappy,
                                      CompressionType::Lz4, CompressionType::Zstd};
const CompressionType kRealCodecs[] = {CompressionType::Gzip, CompressionType::Snappy, CompressionType::Lz4,
                                       CompressionType::Zstd};

std::vector<uint8_t> gzipMember(std::span<const uint8_t> input, int level = 6) {
    z_stream s{};
    deflateInit2(&s, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    std::vector<uint8_t> out(deflateBound(&s, input.size()));
    s.next_in = const_cast<Bytef*>(input.data());
    s.avail_in = uInt(input.size());
    s.next_out = out.data();
    s.avail_out = uInt(out.size());
    deflate(&s, Z_FINISH);
    out.resize(out.size() - s.avail_out);
    deflateEnd(&s);
    return out;
}

std::vector<uint8_t> rawSnappy(std::span<const uint8_t> input) {
    std::string out;
    snappy::Compress(reinterpret_cast<const char*>(input.data()), input.size(), &out);
    return bytesOf(out);
}

std::vector<uint8_t> xerialHeader() {
    return {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
}

void appendXerialBlock(std::vector<uint8_t>& out, std::span<const uint8_t> raw) {
    uint8_t len[4];
    storeBe32(len, uint32_t(raw.size()));
    out.insert(out.end(), len, len + 4);
    out.insert(out.end(), raw.begin(), raw.end());
}

std::vector<uint8_t> lz4Frame(std::span<const uint8_t> input, const LZ4F_preferences_t& prefs) {
    std::vector<uint8_t> out(LZ4F_compressFrameBound(input.size(), &prefs));
    const size_t n = LZ4F_compressFrame(out.data(), out.size(), input.data(), input.size(), &prefs);
    out.resize(LZ4F_isError(n) ? 0 : n);
    return out;
}

LZ4F_preferences_t kafkaLz4Prefs() {
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    return prefs;
}

// Streams `total` zero bytes through each codec's own streaming compressor, 1 MiB at a time.
std::vector<uint8_t> zeroBomb(CompressionType codec, size_t total) {
    const std::vector<uint8_t> zeros(kMiB, 0);
    std::vector<uint8_t> out;
    switch (codec) {
        case CompressionType::Gzip: {
            z_stream s{};
            deflateInit2(&s, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
            std::vector<uint8_t> chunk(1 << 16);
            for (size_t done = 0; done < total; done += kMiB) {
                s.next_in = const_cast<Bytef*>(zeros.data());
                s.avail_in = uInt(kMiB);
                const int flush = done + kMiB >= total ? Z_FINISH : Z_NO_FLUSH;
                do {
                    s.next_out = chunk.data();
                    s.avail_out = uInt(chunk.size());
                    deflate(&s, flush);
                    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - s.avail_out));
                } while (s.avail_out == 0);
            }
            deflateEnd(&s);
            break;
        }
        case CompressionType::Snappy: {
            // xerial blocks of 1 MiB each; snappy cannot expand more than ~21x, so this is ~50 MB.
            out = xerialHeader();
            const auto block = rawSnappy(zeros);
            for (size_t done = 0; done < total; done += kMiB) appendXerialBlock(out, block);
            break;
        }
        case CompressionType::Lz4: {
            LZ4F_cctx* ctx = nullptr;
            LZ4F_createCompressionContext(&ctx, LZ4F_VERSION);
            const auto prefs = kafkaLz4Prefs();
            std::vector<uint8_t> chunk(LZ4F_compressBound(kMiB, &prefs) + 64);
            size_t n = LZ4F_compressBegin(ctx, chunk.data(), chunk.size(), &prefs);
            out.insert(out.end(), chunk.data(), chunk.data() + n);
            for (size_t done = 0; done < total; done += kMiB) {
                n = LZ4F_compressUpdate(ctx, chunk.data(), chunk.size(), zeros.data(), kMiB, nullptr);
                out.insert(out.end(), chunk.data(), chunk.data() + n);
            }
            n = LZ4F_compressEnd(ctx, chunk.data(), chunk.size(), nullptr);
            out.insert(out.end(), chunk.data(), chunk.data() + n);
            LZ4F_freeCompressionContext(ctx);
            break;
        }
        case CompressionType::Zstd: {
            ZSTD_CCtx* ctx = ZSTD_createCCtx();
            ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, 1);
            std::vector<uint8_t> chunk(ZSTD_CStreamOutSize());
            for (size_t done = 0; done < total; done += kMiB) {
                const bool last = done + kMiB >= total;
                ZSTD_inBuffer in{zeros.data(), kMiB, 0};
                size_t remaining = 0;
                do {
                    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
                    remaining = ZSTD_compressStream2(ctx, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
                    out.insert(out.end(), chunk.data(), chunk.data() + o.pos);
                } while (last ? remaining != 0 : in.pos < in.size);
            }
            ZSTD_freeCCtx(ctx);
            break;
        }
        case CompressionType::None:
            break;
    }
    return out;
}

}  // namespace

class TestCompression : public QObject {
    Q_OBJECT

private slots:
    void namesAndIds() {
        for (CompressionType t : kAllCodecs) {
            QCOMPARE(compressionTypeFromName(compressionTypeName(t)), std::optional<CompressionType>(t));
            QCOMPARE(compressionTypeFromId(int(t)), std::optional<CompressionType>(t));
        }
        QVERIFY(!compressionTypeFromId(5));
        QVERIFY(!compressionTypeFromId(-1));
        QVERIFY(!compressionTypeFromName("brotli"));
    }

    void levels() {
        QVERIFY(checkCompressionLevel(CompressionType::Gzip, 9));
        QVERIFY(checkCompressionLevel(CompressionType::Gzip, -1));
        QVERIFY(!checkCompressionLevel(CompressionType::Gzip, 10));
        QVERIFY(!checkCompressionLevel(CompressionType::Lz4, 18));
        QVERIFY(checkCompressionLevel(CompressionType::Zstd, -5));
        QVERIFY(!checkCompressionLevel(CompressionType::Zstd, 23));
        const auto bad = compress(CompressionType::Gzip, spanOf("x"), {.level = 0});
        QVERIFY(!bad);
        QCOMPARE(bad.error().kind, ErrorKind::InvalidArgument);
    }

    void roundTrip_data() {
        QTest::addColumn<CompressionType>("codec");
        QTest::addColumn<int>("level");
        QTest::addColumn<QByteArray>("input");
        std::mt19937_64 rng(1);
        const auto json = jsonPayload(rng, 1 * kMiB + 12345);  // crosses 32 KiB and 64 KiB blocks
        const auto noise = randomBytes(rng, 200000);           // incompressible: stored blocks
        const QByteArray inputs[] = {QByteArray(), QByteArray("x"), QByteArray::fromStdString(json),
                                     QByteArray(reinterpret_cast<const char*>(noise.data()), int(noise.size())),
                                     QByteArray(300000, 'a')};
        const char* names[] = {"empty", "one byte", "json 1 MiB", "random", "run"};
        for (CompressionType t : kAllCodecs) {
            std::vector<int> levels = {-1000};  // default
            if (t == CompressionType::Gzip) levels.insert(levels.end(), {1, 9});
            if (t == CompressionType::Lz4) levels.insert(levels.end(), {1, 9, 17});
            if (t == CompressionType::Zstd) levels.insert(levels.end(), {-5, 1, 19});
            for (int level : levels) {
                for (int i = 0; i < 5; ++i) {
                    QTest::addRow("%s level %d %s", compressionTypeName(t), level, names[i]) << t << level << inputs[i];
                }
            }
        }
    }

    void roundTrip() {
        QFETCH(CompressionType, codec);
        QFETCH(int, level);
        QFETCH(QByteArray, input);
        const std::span<const uint8_t> in(reinterpret_cast<const uint8_t*>(input.constData()), size_t(input.size()));
        CodecOptions options;
        if (level != -1000) options.level = level;
        auto packed = compress(codec, in, options);
        QVERIFY2(packed.ok(), packed.ok() ? "" : packed.error().message.c_str());
        auto unpacked = decompress(codec, *packed, in.size());
        QVERIFY2(unpacked.ok(), unpacked.ok() ? "" : unpacked.error().message.c_str());
        QVERIFY(*unpacked == std::vector<uint8_t>(in.begin(), in.end()));
        // The same through the shared-buffer path readers use.
        auto shared = decompressToBytes(codec, *packed, in.size());
        QVERIFY(shared.ok());
        QVERIFY(std::equal(in.begin(), in.end(), shared->data(), shared->data() + shared->size()) &&
                shared->size() == in.size());
        // The same bytes appended after existing content.
        std::vector<uint8_t> out = {9, 9};
        QVERIFY(decompressAppend(codec, *packed, in.size(), out));
        QCOMPARE(out.size(), in.size() + 2);
        QVERIFY(std::equal(in.begin(), in.end(), out.begin() + 2));
    }

    void outputIsBoundedExactly_data() {
        QTest::addColumn<CompressionType>("codec");
        for (CompressionType t : kAllCodecs) QTest::newRow(compressionTypeName(t)) << t;
    }

    void outputIsBoundedExactly() {
        QFETCH(CompressionType, codec);
        std::mt19937_64 rng(5);
        const auto json = jsonPayload(rng, 100000);
        auto packed = compress(codec, spanOf(json));
        QVERIFY(packed.ok());
        QVERIFY(decompress(codec, *packed, json.size()).ok());
        auto over = decompress(codec, *packed, json.size() - 1);
        QVERIFY(!over.ok());
        QCOMPARE(over.error().kind, ErrorKind::TooLarge);
        std::vector<uint8_t> out = {1, 2, 3};
        QVERIFY(!decompressAppend(codec, *packed, 10, out));
        QCOMPARE(out, (std::vector<uint8_t>{1, 2, 3}));  // a failed call leaves the vector as it was
    }

    void framingKafkaWrites() {
        std::mt19937_64 rng(2);
        const auto json = jsonPayload(rng, 100000);
        auto gz = compress(CompressionType::Gzip, spanOf(json));
        QVERIFY(gz.ok() && gz->size() > 10);
        QCOMPARE((*gz)[0], uint8_t(0x1f));
        QCOMPARE((*gz)[1], uint8_t(0x8b));

        auto sn = compress(CompressionType::Snappy, spanOf(json));
        QVERIFY(sn.ok());
        const auto header = xerialHeader();
        QVERIFY(std::equal(header.begin(), header.end(), sn->begin()));
        size_t at = 16, blocks = 0, total = 0;
        while (at < sn->size()) {
            const size_t len = loadBe32(sn->data() + at);
            size_t plain = 0;
            QVERIFY(snappy::GetUncompressedLength(reinterpret_cast<const char*>(sn->data() + at + 4), len, &plain));
            QVERIFY(plain <= 32 * 1024);
            total += plain;
            at += 4 + len;
            ++blocks;
        }
        QCOMPARE(at, sn->size());
        QCOMPARE(total, json.size());
        QCOMPARE(blocks, size_t(4));

        auto lz = compress(CompressionType::Lz4, spanOf(json));
        QVERIFY(lz.ok());
        const std::vector<uint8_t> lzHeader(lz->begin(), lz->begin() + 7);
        QCOMPARE(lzHeader[0], uint8_t(0x04));
        QCOMPARE(lzHeader[3], uint8_t(0x18));
        QCOMPARE(lzHeader[4], uint8_t(0x60));  // version 01, independent blocks, no checksums
        QCOMPARE(lzHeader[5], uint8_t(0x40));  // 64 KiB blocks
        QCOMPARE(lzHeader[6], uint8_t((XXH32(lzHeader.data() + 4, 2, 0) >> 8) & 0xFF));

        auto zs = compress(CompressionType::Zstd, spanOf(json));
        QVERIFY(zs.ok());
        QCOMPARE(loadLe32(zs->data()), 0xFD2FB528u);
    }

    void gzipConcatenatedMembers() {
        auto a = gzipMember(spanOf("hello "));
        const auto b = gzipMember(spanOf("world"), 1);
        a.insert(a.end(), b.begin(), b.end());
        auto out = decompress(CompressionType::Gzip, a, 100);
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), std::string("hello world"));
        // Bytes after the last member that do not start another one are ignored, as
        // GZIPInputStream ignores them.
        a.push_back('j');
        a.push_back('k');
        out = decompress(CompressionType::Gzip, a, 100);
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), std::string("hello world"));
    }

    void snappyRawAndXerial() {
        std::mt19937_64 rng(3);
        const auto json = jsonPayload(rng, 90000);
        // Raw snappy, as librdkafka sends it.
        auto out = decompress(CompressionType::Snappy, rawSnappy(spanOf(json)), json.size());
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), json);
        // xerial framing with blocks of uneven sizes, one above 32 KiB (snappy-java reads those).
        auto framed = xerialHeader();
        const std::span<const uint8_t> all = spanOf(json);
        appendXerialBlock(framed, rawSnappy(all.first(1000)));
        appendXerialBlock(framed, rawSnappy(all.subspan(1000, 50000)));
        appendXerialBlock(framed, rawSnappy(all.subspan(51000)));
        out = decompress(CompressionType::Snappy, framed, json.size());
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), json);
        // The header alone is an empty stream.
        out = decompress(CompressionType::Snappy, xerialHeader(), 10);
        QVERIFY(out.ok() && out->empty());
    }

    void lz4FramesFromLiblz4() {
        std::mt19937_64 rng(4);
        const auto json = jsonPayload(rng, 300000);
        // Content size and both checksums present: read (checksums checked, size skipped).
        auto prefs = kafkaLz4Prefs();
        prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
        prefs.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled;
        prefs.frameInfo.contentSize = json.size();
        prefs.frameInfo.blockSizeID = LZ4F_max256KB;
        auto frame = lz4Frame(spanOf(json), prefs);
        auto out = decompress(CompressionType::Lz4, frame, json.size());
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), json);
        // A content size over the limit is refused before decoding.
        out = decompress(CompressionType::Lz4, frame, 1000);
        QVERIFY(!out.ok());
        QCOMPARE(out.error().kind, ErrorKind::TooLarge);
        // A damaged block fails its block checksum, and the failure does not spoil the next
        // frame decoded on this thread (liblz4 1.9.4 keeps the failed frame's content size).
        frame[frame.size() / 2] ^= 0x55;
        QVERIFY(!decompress(CompressionType::Lz4, frame, json.size()).ok());
        auto plain = compress(CompressionType::Lz4, spanOf(json));
        out = decompress(CompressionType::Lz4, *plain, json.size());
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), json);
        // Linked blocks are what liblz4 writes by default; Kafka's reader rejects them.
        LZ4F_preferences_t linked{};
        out = decompress(CompressionType::Lz4, lz4Frame(spanOf(json), linked), json.size());
        QVERIFY(!out.ok());
        QCOMPARE(out.error().kind, ErrorKind::Unsupported);
    }

    void lz4LegacyHeaderChecksum() {
        const std::string text = "magic zero lz4 magic zero lz4 magic zero lz4";
        auto broken = compress(CompressionType::Lz4, spanOf(text), {.lz4LegacyHeaderChecksum = true});
        QVERIFY(broken.ok());
        const uint8_t wrongHc = uint8_t((XXH32(broken->data(), 6, 0) >> 8) & 0xFF);
        const uint8_t rightHc = uint8_t((XXH32(broken->data() + 4, 2, 0) >> 8) & 0xFF);
        QVERIFY(wrongHc != rightHc);
        QCOMPARE((*broken)[6], wrongHc);
        // Magic 0 readers accept it; magic 1/2 readers check HC and refuse it.
        auto out = decompress(CompressionType::Lz4, *broken, 1000, {.lz4LegacyHeaderChecksum = true});
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), text);
        out = decompress(CompressionType::Lz4, *broken, 1000);
        QVERIFY(!out.ok());
        QCOMPARE(out.error().kind, ErrorKind::Malformed);
        // A magic-0 reader also takes a frame with the correct checksum (it does not check HC).
        auto right = compress(CompressionType::Lz4, spanOf(text));
        QVERIFY(right.ok());
        QCOMPARE((*right)[6], rightHc);
        out = decompress(CompressionType::Lz4, *right, 1000, {.lz4LegacyHeaderChecksum = true});
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), text);
        // Legacy mode ignores whatever HC byte is there; the normal mode does not.
        auto garbled = *right;
        garbled[6] ^= 0xA5;
        QVERIFY(decompress(CompressionType::Lz4, garbled, 1000, {.lz4LegacyHeaderChecksum = true}).ok());
        QVERIFY(!decompress(CompressionType::Lz4, garbled, 1000).ok());
    }

    void zstdFramesFromLibzstd() {
        std::mt19937_64 rng(6);
        const auto json = jsonPayload(rng, 200000);
        std::vector<uint8_t> frame(ZSTD_compressBound(json.size()));
        frame.resize(ZSTD_compress(frame.data(), frame.size(), json.data(), json.size(), 3));
        // Two frames back to back decode as one stream.
        auto twice = frame;
        twice.insert(twice.end(), frame.begin(), frame.end());
        auto out = decompress(CompressionType::Zstd, twice, 2 * json.size());
        QVERIFY(out.ok());
        QCOMPARE(textOf(*out), json + json);
        // A frame that declares its size is refused up front when that size is over the limit.
        out = decompress(CompressionType::Zstd, frame, json.size() - 1);
        QVERIFY(!out.ok());
        QCOMPARE(out.error().kind, ErrorKind::TooLarge);
    }

    void truncatedInputIsAnError_data() {
        QTest::addColumn<CompressionType>("codec");
        for (CompressionType t : kRealCodecs) QTest::newRow(compressionTypeName(t)) << t;
    }

    void truncatedInputIsAnError() {
        QFETCH(CompressionType, codec);
        std::mt19937_64 rng(8);
        const auto json = jsonPayload(rng, 150000);
        auto packed = compress(codec, spanOf(json));
        QVERIFY(packed.ok());
        // xerial snappy has no end marker, so a cut exactly between blocks is a valid shorter
        // stream (for Kafka too); every other cut must fail.
        std::vector<size_t> boundaries = {16};
        if (codec == CompressionType::Snappy) {
            for (size_t at = 16; at < packed->size();) {
                at += 4 + loadBe32(packed->data() + at);
                boundaries.push_back(at);
            }
        }
        std::vector<size_t> cuts;
        for (size_t n = 0; n < 64; ++n) cuts.push_back(n);
        for (size_t n = 1; n < 64; ++n) cuts.push_back(packed->size() - n);
        for (int i = 0; i < 200; ++i) cuts.push_back(rng() % packed->size());
        for (size_t cut : cuts) {
            if (codec == CompressionType::Snappy &&
                std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end())
                continue;
            auto out = decompress(codec, std::span<const uint8_t>(*packed).first(cut), json.size());
            QVERIFY2(!out.ok(), qPrintable(QStringLiteral("cut at %1 of %2 decoded").arg(cut).arg(packed->size())));
            QVERIFY(out.error().kind == ErrorKind::Truncated || out.error().kind == ErrorKind::Malformed);
        }
    }

    void corruptInputNeverCrashes_data() {
        QTest::addColumn<CompressionType>("codec");
        QTest::addColumn<bool>("legacyLz4");
        for (CompressionType t : kRealCodecs) QTest::newRow(compressionTypeName(t)) << t << false;
        QTest::newRow("lz4 legacy") << CompressionType::Lz4 << true;
    }

    void corruptInputNeverCrashes() {
        // Damaged input may decode to garbage when the codec has no checksum (snappy, lz4 as
        // Kafka writes it), but it must never crash or produce more than the limit.
        QFETCH(CompressionType, codec);
        QFETCH(bool, legacyLz4);
        std::mt19937_64 rng(9);
        const auto json = jsonPayload(rng, 40000);
        auto packed = compress(codec, spanOf(json), {.lz4LegacyHeaderChecksum = legacyLz4});
        QVERIFY(packed.ok());
        int errors = 0;
        for (int i = 0; i < 2000; ++i) {
            auto damaged = *packed;
            const int flips = 1 + int(rng() % 4);
            for (int f = 0; f < flips; ++f) damaged[rng() % damaged.size()] = uint8_t(rng());
            auto out = decompress(codec, damaged, 50000, {.lz4LegacyHeaderChecksum = legacyLz4});
            if (!out.ok())
                ++errors;
            else
                QVERIFY(out->size() <= 50000);
        }
        QVERIFY(errors > 0);
        // Pure noise.
        for (int i = 0; i < 500; ++i) {
            const auto noise = randomBytes(rng, 1 + rng() % 2000);
            auto out = decompress(codec, noise, 50000);
            if (out.ok()) QVERIFY(out->size() <= 50000);
        }
    }

    void emptyInputIsAnError() {
        for (CompressionType t : kRealCodecs) {
            QVERIFY2(!decompress(t, {}, 100).ok(), compressionTypeName(t));
        }
        QVERIFY(decompress(CompressionType::None, {}, 100).ok());
    }

    void decompressionBombIsRefused_data() {
        QTest::addColumn<CompressionType>("codec");
        for (CompressionType t : kRealCodecs) QTest::newRow(compressionTypeName(t)) << t;
    }

    void decompressionBombIsRefused() {
        QFETCH(CompressionType, codec);
        const auto bomb = zeroBomb(codec, kGiB);
        QVERIFY(!bomb.empty());
        qInfo("%s: 1 GiB of zeros is %zu bytes", compressionTypeName(codec), bomb.size());
        const size_t limit = kMiB;
        AllocationWatch watch;
        std::vector<uint8_t> out;
        Status status = decompressAppend(codec, bomb, limit, out);
        const size_t largest = watch.largest();
        QVERIFY(!status.ok());
        QCOMPARE(status.error().kind, ErrorKind::TooLarge);
        QVERIFY(out.empty());
        QVERIFY2(largest <= 2 * limit + 4096, qPrintable(QStringLiteral("allocated %1 bytes at once").arg(largest)));

        AllocationWatch sharedWatch;
        auto shared = decompressToBytes(codec, bomb, limit);
        QVERIFY(!shared.ok());
        QCOMPARE(shared.error().kind, ErrorKind::TooLarge);
        QVERIFY2(sharedWatch.largest() <= 2 * limit + 4096,
                 qPrintable(QStringLiteral("allocated %1 bytes at once").arg(sharedWatch.largest())));
    }

    void claimedSizesAreNotTrusted() {
        // Raw snappy whose length header claims 1 GiB: refused before any allocation.
        std::vector<uint8_t> rawClaim = {0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 'a'};
        {
            AllocationWatch watch;
            auto out = decompress(CompressionType::Snappy, rawClaim, kMiB);
            QVERIFY(!out.ok());
            QCOMPARE(out.error().kind, ErrorKind::TooLarge);
            QVERIFY(watch.largest() < 64 * 1024);
        }
        // The same claim under a limit it fits: snappy cannot expand 7 bytes that far, so it is
        // Malformed, still without allocating the claim.
        {
            AllocationWatch watch;
            auto out = decompress(CompressionType::Snappy, rawClaim, 2 * kGiB);
            QVERIFY(!out.ok());
            QCOMPARE(out.error().kind, ErrorKind::Malformed);
            QVERIFY(watch.largest() < 64 * 1024);
        }
        // A gzip trailer claiming 4 GiB - 1 is only a guess for the first allocation.
        auto gz = gzipMember(spanOf("small"));
        storeBe32(gz.data() + gz.size() - 4, 0xFFFFFFFFu);
        {
            AllocationWatch watch;
            auto out = decompress(CompressionType::Gzip, gz, kGiB);
            QVERIFY(!out.ok());  // ISIZE no longer matches
            QVERIFY(watch.largest() < 64 * 1024);
        }
        // A zstd frame that declares 1 GiB: refused from its header.
        std::vector<uint8_t> zeros(kMiB, 0);
        ZSTD_CCtx* ctx = ZSTD_createCCtx();
        ZSTD_CCtx_setPledgedSrcSize(ctx, kGiB);
        std::vector<uint8_t> chunk(ZSTD_CStreamOutSize());
        ZSTD_inBuffer in{zeros.data(), zeros.size(), 0};
        ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
        (void)ZSTD_compressStream2(ctx, &o, &in, ZSTD_e_flush);
        ZSTD_freeCCtx(ctx);
        chunk.resize(o.pos);
        {
            AllocationWatch watch;
            auto out = decompress(CompressionType::Zstd, chunk, kMiB);
            QVERIFY(!out.ok());
            QCOMPARE(out.error().kind, ErrorKind::TooLarge);
            QVERIFY(watch.largest() < 64 * 1024);
        }
    }
};

QTEST_APPLESS_MAIN(TestCompression)
#include "compression_test.moc"
