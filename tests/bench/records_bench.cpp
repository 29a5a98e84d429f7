// Benchmarks for engine/protocol/records: batch encode/decode per codec vs the raw codec, and CRC-32C.
//
// Every batch figure is paired with the codec library's own figure on the very same records
// area, in the same run, so "batch framing overhead" reads as a ratio instead of an absolute
// number on a noisy shared machine. Bytes per second always count the uncompressed records
// area, so batch and raw rows compare directly.
#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/crc32c.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"
#include "records/recordstestutil.h"

#include <benchmark/benchmark.h>
#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace partita;
using namespace partita::protocol::records;
using recordstest::jsonPayload;

namespace {

// About 64 KiB of records per batch: librdkafka's and Java's batches are 16 KiB to 1 MiB.
constexpr size_t kBatchBytes = 64 * 1024;

struct Fixture {
    std::vector<std::string> keys;
    std::vector<std::string> values;
    std::vector<int64_t> timestamps;
    std::vector<uint8_t> area;                                // uncompressed records area
    std::map<CompressionType, std::vector<uint8_t>> batches;  // built batch per codec
    std::map<CompressionType, std::vector<uint8_t>> raw;      // area compressed by the library itself
};

std::span<const uint8_t> spanOf(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void appendAll(RecordBatchBuilder& builder, const Fixture& f) {
    for (size_t i = 0; i < f.values.size(); ++i) {
        (void)builder.append(f.timestamps[i], spanOf(f.keys[i]), spanOf(f.values[i]));
    }
}

// The libraries used the way a careful caller would: contexts reused, output buffers sized once.
struct RawCodecs {
    z_stream deflater{};
    z_stream inflater{};
    LZ4F_cctx* lz4c = nullptr;
    LZ4F_dctx* lz4d = nullptr;
    ZSTD_CCtx* zstdc = ZSTD_createCCtx();
    ZSTD_DCtx* zstdd = ZSTD_createDCtx();
    LZ4F_preferences_t lz4Prefs{};

    RawCodecs() {
        deflateInit2(&deflater, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        inflateInit2(&inflater, 31);
        LZ4F_createCompressionContext(&lz4c, LZ4F_VERSION);
        LZ4F_createDecompressionContext(&lz4d, LZ4F_VERSION);
        lz4Prefs.frameInfo.blockMode = LZ4F_blockIndependent;
        lz4Prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    }
    ~RawCodecs() {
        deflateEnd(&deflater);
        inflateEnd(&inflater);
        LZ4F_freeCompressionContext(lz4c);
        LZ4F_freeDecompressionContext(lz4d);
        ZSTD_freeCCtx(zstdc);
        ZSTD_freeDCtx(zstdd);
    }

    size_t compress(CompressionType codec, std::span<const uint8_t> in, std::vector<uint8_t>& out) {
        switch (codec) {
            case CompressionType::Gzip: {
                deflateReset(&deflater);
                out.resize(deflateBound(&deflater, in.size()));
                deflater.next_in = const_cast<Bytef*>(in.data());
                deflater.avail_in = uInt(in.size());
                deflater.next_out = out.data();
                deflater.avail_out = uInt(out.size());
                deflate(&deflater, Z_FINISH);
                return out.size() - deflater.avail_out;
            }
            case CompressionType::Snappy: {
                out.resize(snappy::MaxCompressedLength(in.size()));
                size_t n = 0;
                snappy::RawCompress(reinterpret_cast<const char*>(in.data()), in.size(),
                                    reinterpret_cast<char*>(out.data()), &n);
                return n;
            }
            case CompressionType::Lz4: {
                out.resize(LZ4F_compressFrameBound(in.size(), &lz4Prefs));
                size_t n = LZ4F_compressBegin(lz4c, out.data(), out.size(), &lz4Prefs);
                n += LZ4F_compressUpdate(lz4c, out.data() + n, out.size() - n, in.data(), in.size(), nullptr);
                n += LZ4F_compressEnd(lz4c, out.data() + n, out.size() - n, nullptr);
                return n;
            }
            case CompressionType::Zstd:
                out.resize(ZSTD_compressBound(in.size()));
                return ZSTD_compressCCtx(zstdc, out.data(), out.size(), in.data(), in.size(), 3);
            case CompressionType::None:
                break;
        }
        return 0;
    }

    size_t decompress(CompressionType codec, std::span<const uint8_t> in, std::vector<uint8_t>& out) {
        switch (codec) {
            case CompressionType::Gzip:
                inflateReset(&inflater);
                inflater.next_in = const_cast<Bytef*>(in.data());
                inflater.avail_in = uInt(in.size());
                inflater.next_out = out.data();
                inflater.avail_out = uInt(out.size());
                inflate(&inflater, Z_FINISH);
                return out.size() - inflater.avail_out;
            case CompressionType::Snappy:
                snappy::RawUncompress(reinterpret_cast<const char*>(in.data()), in.size(),
                                      reinterpret_cast<char*>(out.data()));
                return out.size();
            case CompressionType::Lz4: {
                LZ4F_resetDecompressionContext(lz4d);
                size_t dst = out.size();
                size_t src = in.size();
                LZ4F_decompress(lz4d, out.data(), &dst, in.data(), &src, nullptr);
                return dst;
            }
            case CompressionType::Zstd:
                return ZSTD_decompressDCtx(zstdd, out.data(), out.size(), in.data(), in.size());
            case CompressionType::None:
                break;
        }
        return 0;
    }
};

RawCodecs& rawCodecs() {
    static RawCodecs codecs;
    return codecs;
}

const Fixture& fixture(size_t recordSize) {
    static std::map<size_t, std::unique_ptr<Fixture>> cache;
    auto& slot = cache[recordSize];
    if (slot) return *slot;
    slot = std::make_unique<Fixture>();
    Fixture& f = *slot;
    std::mt19937_64 rng(recordSize);
    const size_t count = kBatchBytes / recordSize;
    for (size_t i = 0; i < count; ++i) {
        f.keys.push_back("user-" + std::to_string(rng() % 100000));
        f.values.push_back(jsonPayload(rng, recordSize));
        f.timestamps.push_back(1700000000000 + int64_t(i * 3 + rng() % 3));
    }
    for (int id = 0; id <= 4; ++id) {
        RecordBatchBuilder builder;
        builder.setCompression(CompressionType(id));
        appendAll(builder, f);
        f.batches[CompressionType(id)] = *builder.build();
    }
    const auto& plain = f.batches[CompressionType::None];
    f.area.assign(plain.begin() + 61, plain.end());
    for (int id = 1; id <= 4; ++id) {
        auto& out = f.raw[CompressionType(id)];
        out.resize(rawCodecs().compress(CompressionType(id), f.area, out));
    }
    return f;
}

void setCounters(benchmark::State& state, const Fixture& f, size_t compressedSize) {
    state.SetBytesProcessed(int64_t(state.iterations() * f.area.size()));
    state.SetItemsProcessed(int64_t(state.iterations() * f.values.size()));
    state.counters["ratio"] = double(f.area.size()) / double(compressedSize);
}

void batchEncode(benchmark::State& state, CompressionType codec, size_t recordSize) {
    const Fixture& f = fixture(recordSize);
    RecordBatchBuilder builder;
    builder.setCompression(codec);
    size_t size = 0;
    for (auto _ : state) {
        appendAll(builder, f);
        auto batch = builder.build();
        size = batch->size();
        benchmark::DoNotOptimize(batch->data());
    }
    setCounters(state, f, size - 61);
}

void batchDecode(benchmark::State& state, CompressionType codec, size_t recordSize) {
    const Fixture& f = fixture(recordSize);
    const Bytes bytes = Bytes::copyOf(f.batches.at(codec));
    for (auto _ : state) {
        auto view = RecordBatchView::parse(bytes);
        if (!view || !view->validate()) state.SkipWithError("invalid batch");
        auto reader = RecordReader::open(*view, 16 << 20);
        RecordView r;
        size_t sum = 0;
        while (reader->next(r)) sum += r.value->size() + size_t(r.offset);
        if (!reader->status()) state.SkipWithError("corrupt records");
        benchmark::DoNotOptimize(sum);
    }
    setCounters(state, f, bytes.size() - 61);
}

void rawCompress(benchmark::State& state, CompressionType codec, size_t recordSize) {
    const Fixture& f = fixture(recordSize);
    std::vector<uint8_t> out;
    size_t n = 0;
    for (auto _ : state) {
        n = rawCodecs().compress(codec, f.area, out);
        benchmark::DoNotOptimize(out.data());
    }
    setCounters(state, f, n);
}

void rawDecompress(benchmark::State& state, CompressionType codec, size_t recordSize) {
    const Fixture& f = fixture(recordSize);
    const auto& packed = f.raw.at(codec);
    std::vector<uint8_t> out(f.area.size());
    for (auto _ : state) {
        if (rawCodecs().decompress(codec, packed, out) != f.area.size()) state.SkipWithError("raw decode failed");
        benchmark::DoNotOptimize(out.data());
    }
    setCounters(state, f, packed.size());
}

// Our own codec layer alone (framing Kafka writes, bounded output), between raw and batch.
void codecCompress(benchmark::State& state, CompressionType codec, size_t recordSize) {
    const Fixture& f = fixture(recordSize);
    std::vector<uint8_t> out;
    for (auto _ : state) {
        out.clear();
        (void)compressAppend(codec, f.area, out);
        benchmark::DoNotOptimize(out.data());
    }
    setCounters(state, f, out.size());
}

void codecDecompress(benchmark::State& state, CompressionType codec, size_t recordSize) {
    const Fixture& f = fixture(recordSize);
    const auto& batch = f.batches.at(codec);
    const std::span<const uint8_t> packed = std::span<const uint8_t>(batch).subspan(61);
    for (auto _ : state) {
        auto out = decompressToBytes(codec, packed, 16 << 20);
        if (!out) state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(out->data());
    }
    setCounters(state, f, packed.size());
}

void crc(benchmark::State& state, bool hardware, size_t size) {
    std::vector<uint8_t> data(size);
    std::mt19937_64 rng(1);
    for (auto& b : data) b = uint8_t(rng());
    uint32_t c = 0;
    for (auto _ : state) {
        c = hardware ? crc32cHardware(data, c) : crc32cPortable(data, c);
        benchmark::DoNotOptimize(c);
    }
    state.SetBytesProcessed(int64_t(state.iterations() * size));
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    for (size_t size : {size_t(100), size_t(1000)}) {
        const std::string suffix = "/" + std::to_string(size) + "B";
        for (int id = 0; id <= 4; ++id) {
            const auto codec = CompressionType(id);
            const std::string name = compressionTypeName(codec);
            benchmark::RegisterBenchmark(("batch_encode/" + name + suffix).c_str(), batchEncode, codec, size);
            if (codec != CompressionType::None) {
                benchmark::RegisterBenchmark(("codec_compress/" + name + suffix).c_str(), codecCompress, codec, size);
                benchmark::RegisterBenchmark(("raw_compress/" + name + suffix).c_str(), rawCompress, codec, size);
            }
            benchmark::RegisterBenchmark(("batch_decode/" + name + suffix).c_str(), batchDecode, codec, size);
            if (codec != CompressionType::None) {
                benchmark::RegisterBenchmark(("codec_decompress/" + name + suffix).c_str(), codecDecompress, codec,
                                             size);
                benchmark::RegisterBenchmark(("raw_decompress/" + name + suffix).c_str(), rawDecompress, codec, size);
            }
        }
    }
    for (size_t size : {size_t(4096), size_t(64 * 1024), size_t(1024 * 1024)}) {
        const std::string suffix = "/" + std::to_string(size / 1024) + "KiB";
        benchmark::RegisterBenchmark(("crc32c/hardware" + suffix).c_str(), crc, true, size);
        benchmark::RegisterBenchmark(("crc32c/portable" + suffix).c_str(), crc, false, size);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
