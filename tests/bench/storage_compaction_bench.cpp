// Benchmark of log compaction: one cleaning round over a large log, its throughput and peak memory.
//
// storage_compaction_bench [--bytes N] [--keys K] [--dir D] [--dedupe-buffer B] [--keep]
// Defaults: 1 GiB of ~1 KiB records over 1 M keys, in a temporary directory under the build
// directory (the same disk as the build), log.cleaner.dedupe.buffer.size 128 MiB. Google
// Benchmark's --benchmark_* arguments (passed by `make bench`) are ignored.
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/storage/clock.h"
#include "engine/storage/logcleaner.h"
#include "engine/storage/partitionlog.h"

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

using namespace partita;
using namespace partita::storage;
namespace records = partita::protocol::records;
namespace fs = std::filesystem;

namespace {

// A field of /proc/self/status in KiB (VmRSS, VmHWM), or -1.
long statusKiB(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    size_t n = std::strlen(field);
    while (std::getline(in, line)) {
        if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') return std::atol(line.c_str() + n + 1);
    }
    return -1;
}

// Resets VmHWM to the current RSS (Linux 4.0+), so the peak measured is the cleaning's own.
bool resetPeakRss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    return bool(out);
}

uint64_t parseSize(const char* text) {
    char* end = nullptr;
    double value = std::strtod(text, &end);
    switch (end && *end ? *end : ' ') {
        case 'k':
        case 'K':
            value *= 1024;
            break;
        case 'm':
        case 'M':
            value *= 1024 * 1024;
            break;
        case 'g':
        case 'G':
            value *= 1024.0 * 1024 * 1024;
            break;
        default:
            break;
    }
    return uint64_t(value);
}

std::string defaultBaseDir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) return (exe.parent_path().parent_path() / "bench-tmp").string();  // build/bin/.. = build
    return fs::temp_directory_path().string();
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t targetBytes = 1ULL << 30;
    uint64_t keys = 1'000'000;
    size_t dedupe = 128 * 1024 * 1024;
    std::string base = defaultBaseDir();
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto next = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--bytes")
            targetBytes = parseSize(next());
        else if (arg == "--keys")
            keys = parseSize(next());
        else if (arg == "--dir")
            base = next();
        else if (arg == "--dedupe-buffer")
            dedupe = parseSize(next());
        else if (arg == "--keep")
            keep = true;
        else if (arg.rfind("--benchmark", 0) == 0)
            continue;
        else {
            std::fprintf(stderr, "usage: %s [--bytes N] [--keys K] [--dir D] [--dedupe-buffer B] [--keep]\n", argv[0]);
            return 2;
        }
    }
    if (const char* env = std::getenv("PARTITA_COMPACTION_BENCH_BYTES")) targetBytes = parseSize(env);

    fs::create_directories(base);
    std::string dir = base + "/compaction-" + std::to_string(::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);

    ManualClock clock(1'700'000'000'000);
    LogConfig config;
    config.compactEnabled = true;
    config.deleteEnabled = false;
    config.segmentBytes = 128 * 1024 * 1024;
    auto opened = PartitionLog::open(dir, "bench", 0, config, LoadState{.cleanShutdown = true}, clock);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
        return 1;
    }
    auto& log = **opened;

    // ~1 KiB values, 16 records a batch, keys uniform over the key space (so about 1 - 1/e of
    // the keys are distinct in 1 M records and the rest are older versions to drop).
    std::mt19937_64 rng(42);
    std::string value(1000, 'x');
    for (auto& c : value) c = char('a' + rng() % 26);
    const auto writeStart = std::chrono::steady_clock::now();
    uint64_t records = 0;
    char key[32];
    records::RecordBatchBuilder builder;
    while (log.sizeInBytes() < targetBytes) {
        for (int i = 0; i < 16; ++i) {
            int n = std::snprintf(key, sizeof key, "key-%010llu", (unsigned long long)(rng() % keys));
            std::memcpy(value.data(), &records, sizeof records);  // distinct values
            auto st = builder.append(clock.nowMs(), std::span(reinterpret_cast<const uint8_t*>(key), size_t(n)),
                                     std::span(reinterpret_cast<const uint8_t*>(value.data()), value.size()));
            if (!st) return 1;
            ++records;
        }
        auto batch = builder.build();
        if (!batch) return 1;
        auto info = log.appendAsLeader(*batch, 0);
        if (!info) {
            std::fprintf(stderr, "append: %s\n", info.error().message.c_str());
            return 1;
        }
    }
    if (!log.roll() || !log.flush()) return 1;
    log.updateHighWatermark(log.logEndOffset());
    const double writeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - writeStart).count();
    const uint64_t before = log.sizeInBytes();
    std::printf(
        "storage_compaction_bench: log of %.1f MiB, %llu records over %llu keys, %zu segments (written in "
        "%.1f s)\n",
        double(before) / (1 << 20), (unsigned long long)records, (unsigned long long)keys, log.segmentCount(),
        writeSeconds);

    CleanerConfig cleanerConfig;
    cleanerConfig.dedupeBufferSize = dedupe;
    LogCleaner cleaner(cleanerConfig);
    const long rssBefore = statusKiB("VmRSS");
    const bool peakReset = resetPeakRss();
    const auto start = std::chrono::steady_clock::now();
    uint64_t bytesRead = 0, mapBytes = 0, written = 0;
    int rounds = 0;
    CleanStats last;
    // One round unless the offset map fills up; then rounds until the whole log is clean.
    for (;;) {
        auto stats = cleaner.cleanLog(log);
        if (!stats) {
            std::fprintf(stderr, "clean: %s\n", stats.error().message.c_str());
            return 1;
        }
        ++rounds;
        bytesRead += stats->bytesRead;
        mapBytes += stats->mapBytesRead;
        written += stats->bytesWritten;
        last = *stats;
        if (!stats->cleaned || stats->endOffset >= log.logEndOffset()) break;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const long peak = statusKiB("VmHWM");
    const uint64_t after = log.sizeInBytes();

    std::printf(
        "  cleaning: %d round(s) in %.2f s; log %.1f MiB -> %.1f MiB; last round kept %lld records, dropped "
        "%lld\n",
        rounds, seconds, double(before) / (1 << 20), double(after) / (1 << 20), (long long)last.recordsKept,
        (long long)last.recordsDropped);
    std::printf(
        "  throughput: %.1f MB/s of log cleaned (log size before / time); %.1f MB/s scanned (map pass %.1f "
        "MiB + rewrite pass %.1f MiB), %.1f MiB written\n",
        double(before) / 1e6 / seconds, double(bytesRead) / 1e6 / seconds, double(mapBytes) / (1 << 20),
        double(bytesRead - mapBytes) / (1 << 20), double(written) / (1 << 20));
    std::printf("  offset map: budget %.0f MiB, %zu keys in %zu slots (%.0f%% full)\n", double(dedupe) / (1 << 20),
                last.mapEntries, last.mapSlots, 100 * last.mapUtilization);
    std::printf(
        "  memory: RSS before cleaning %.1f MiB; peak RSS during cleaning (VmHWM%s) %.1f MiB; goal < 200 MB: "
        "%s\n",
        double(rssBefore) / 1024, peakReset ? ", reset before" : ", whole process", double(peak) / 1024,
        double(peak) * 1024 < 200e6 ? "met" : "MISSED");
    (void)log.close();
    if (!keep) fs::remove_all(dir);
    return 0;
}
