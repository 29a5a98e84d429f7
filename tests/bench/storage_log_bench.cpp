// Partition log append and read speed, side by side with dd and cat writing and reading the same bytes on the same
// disk.
//
//   storage_log_bench [--dir D] [--mb N] [--flush-mb N] [--lookups N]
//
// Appends 1 KB-record batches of 16 KiB and 1 MiB (without a flush, then with a flush per batch),
// then runs dd with the same block size and byte count in the same directory; reads the log back
// from the page cache beside cat of its segment files; and times random reads by offset.
#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"

#include <fcntl.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace partita;
using namespace partita::storage;
namespace fs = std::filesystem;
namespace records = partita::protocol::records;

namespace {

using WallClock = std::chrono::steady_clock;

double secondsSince(WallClock::time_point start) {
    return std::chrono::duration<double>(WallClock::now() - start).count();
}

void fail(const std::string& what) {
    std::fprintf(stderr, "storage_log_bench: %s\n", what.c_str());
    std::exit(1);
}

// A batch of 1 KB records adding up to about batchBytes.
std::vector<uint8_t> makeBatch(size_t batchBytes) {
    records::RecordBatchBuilder builder;
    std::string value(1000, 'v');
    for (int i = 0; builder.uncompressedSize() + 1040 <= batchBytes || builder.empty(); ++i) {
        std::string key = "key-" + std::to_string(i);
        auto st = builder.append(
            1'700'000'000'000 + i, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key.data()), key.size()),
            std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(value.data()), value.size()));
        if (!st) fail(st.error().message);
    }
    auto built = builder.build();
    if (!built) fail(built.error().message);
    return std::move(*built);
}

double runShell(const std::string& command) {
    auto start = WallClock::now();
    if (std::system(command.c_str()) != 0) fail("command failed: " + command);
    return secondsSince(start);
}

std::unique_ptr<PartitionLog> openLog(const std::string& dir) {
    LogConfig config;
    config.maxMessageBytes = 2 << 20;
    auto log = PartitionLog::open(dir, "bench", 0, config, {}, systemClock());
    if (!log) fail(log.error().message);
    return std::move(*log);
}

struct AppendResult {
    double seconds;
    uint64_t bytes;
    size_t batchSize;
    uint64_t batches;
};

AppendResult appendAll(PartitionLog& log, size_t batchBytes, uint64_t totalBytes, bool flushEach) {
    std::vector<uint8_t> batch = makeBatch(batchBytes);
    uint64_t count = std::max<uint64_t>(1, totalBytes / batch.size());
    auto start = WallClock::now();
    for (uint64_t i = 0; i < count; ++i) {
        // The same buffer every time: the log rewrites its offsets in place, nothing else changes.
        if (!log.appendAsLeader(batch, 0)) fail("append failed");
        if (flushEach && !log.flush()) fail("flush failed");
    }
    if (!flushEach && !log.flush()) fail("flush failed");
    return {secondsSince(start), count * batch.size(), batch.size(), count};
}

void printRow(const char* what, double seconds, uint64_t bytes, double peerSeconds) {
    double mbps = double(bytes) / seconds / 1e6;
    double peerMbps = double(bytes) / peerSeconds / 1e6;
    std::printf("%-44s %9.1f MB/s   peer %9.1f MB/s   ratio %5.1f %%\n", what, mbps, peerMbps, 100.0 * mbps / peerMbps);
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "build/bench-storage";
    uint64_t totalMb = 512, flushMb = 32, lookups = 200000;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--benchmark", 0) == 0) continue;  // make bench passes Google Benchmark flags
        if (i + 1 >= argc) fail("missing value for " + arg);
        if (arg == "--dir")
            dir = argv[++i];
        else if (arg == "--mb")
            totalMb = std::stoull(argv[++i]);
        else if (arg == "--flush-mb")
            flushMb = std::stoull(argv[++i]);
        else if (arg == "--lookups")
            lookups = std::stoull(argv[++i]);
        else
            fail("unknown argument " + arg);
    }
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::printf("storage_log_bench: %llu MB per append run (%llu MB with a flush per batch), in %s\n",
                (unsigned long long)totalMb, (unsigned long long)flushMb, fs::absolute(dir).c_str());

    std::string readBackDir;
    for (size_t batchBytes : {size_t(16) << 10, size_t(1) << 20}) {
        for (bool flushEach : {false, true}) {
            uint64_t total = (flushEach ? flushMb : totalMb) << 20;
            // Best of three for both, alternating, so neither side gets the quieter moment.
            AppendResult ours{};
            double ddSeconds = 0;
            for (int round = 0; round < 3; ++round) {
                std::string logDir = dir + "/log-" + std::to_string(batchBytes) + (flushEach ? "-flush" : "");
                fs::remove_all(logDir);
                auto log = openLog(logDir);
                AppendResult run = appendAll(*log, batchBytes, total, flushEach);
                if (!log->close()) fail("close failed");
                log.reset();
                if (round == 0 || run.seconds < ours.seconds) ours = run;
                if (batchBytes == (16 << 10) && !flushEach)
                    readBackDir = logDir;
                else
                    fs::remove_all(logDir);
                // dd: the same block size and byte count into the same directory, synced at the end
                // (conv=fdatasync) like our final flush, or per block (oflag=dsync) like a flush per batch.
                std::string ddFile = dir + "/dd.out";
                std::string command = "dd if=/dev/zero of=" + ddFile + " bs=" + std::to_string(run.batchSize) +
                                      " count=" + std::to_string(run.batches) +
                                      (flushEach ? " oflag=dsync" : " conv=fdatasync") + " status=none";
                double seconds = runShell(command);
                fs::remove(ddFile);
                if (round == 0 || seconds < ddSeconds) ddSeconds = seconds;
            }
            std::string label =
                "append " + std::to_string(batchBytes >> 10) + " KiB batches" + (flushEach ? ", flush per batch" : "");
            printRow(label.c_str(), ours.seconds, ours.bytes, ddSeconds);
        }
    }

    // Sequential read from the page cache: fetch after fetch (1 MiB each) into one buffer, as the
    // TLS path does, beside cat of the same segment files.
    LoadState clean;
    clean.cleanShutdown = true;
    LogConfig config;
    std::string partitionDir;
    {
        // The 16 KiB log directory is <dir>/log-16384/bench-0.
        auto log16 = PartitionLog::open(readBackDir, "bench", 0, config, clean, systemClock());
        if (!log16) fail(log16.error().message);
        auto& log = **log16;
        log.updateHighWatermark(log.logEndOffset());
        partitionDir = log.dir();
        std::vector<uint8_t> buffer(2 << 20);
        // Warm the page cache once, for both readers.
        runShell("cat " + partitionDir + "/*.log > /dev/null");
        // Best of three, alternating with cat.
        double ours = 0, cat = 0;
        uint64_t bytes = 0;
        for (int round = 0; round < 3; ++round) {
            auto start = WallClock::now();
            bytes = 0;
            for (int64_t offset = 0; offset < log.logEndOffset();) {
                auto read = log.read(offset, 1 << 20, log.logEndOffset(), true);
                if (!read || read->records.empty()) fail("read failed");
                if (!read->records.readInto(buffer)) fail("read into failed");
                bytes += read->records.size();
                // The next offset after the slice: the last batch's header says where it ends.
                const uint8_t* last = buffer.data();
                for (size_t at = 0; at < read->records.size(); at += 12 + size_t(records::loadBeI32(last + 8))) {
                    last = buffer.data() + at;
                }
                offset = records::loadBeI64(last) + records::loadBeI32(last + 23) + 1;
            }
            double seconds = secondsSince(start);
            double catSeconds = runShell("cat " + partitionDir + "/*.log > /dev/null");
            if (round == 0 || seconds < ours) ours = seconds;
            if (round == 0 || catSeconds < cat) cat = catSeconds;
        }
        printRow("sequential read, 1 MiB fetches (pread)", ours, bytes, cat);

        // Random reads by offset: index lookup + scan to the batch, then the batch's bytes.
        std::mt19937_64 rng(42);
        auto start = WallClock::now();
        uint64_t found = 0;
        for (uint64_t i = 0; i < lookups; ++i) {
            int64_t offset = int64_t(rng() % uint64_t(log.logEndOffset()));
            auto read = log.read(offset, 16 << 10, log.logEndOffset(), true);
            if (!read || read->records.empty()) fail("random read failed");
            if (!read->records.readInto(buffer)) fail("read into failed");
            found += read->records.size() > 0;
        }
        double seconds = secondsSince(start);
        std::printf("%-44s %9.0f reads/s (%llu segments, %lld records)\n", "random reads by offset (one batch each)",
                    double(found) / seconds, (unsigned long long)log.segmentCount(), (long long)log.logEndOffset());
        // The lookup alone: index search and header scan, no record bytes read.
        start = WallClock::now();
        for (uint64_t i = 0; i < lookups; ++i) {
            int64_t offset = int64_t(rng() % uint64_t(log.logEndOffset()));
            auto read = log.read(offset, 16 << 10, log.logEndOffset(), true);
            if (!read || read->records.empty()) fail("random lookup failed");
        }
        std::printf("%-44s %9.0f lookups/s\n", "random offset lookups (slice only)",
                    double(lookups) / secondsSince(start));
    }
    fs::remove_all(dir);
    return 0;
}
