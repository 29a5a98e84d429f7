// fuzz_log: libFuzzer target for the partition log: appends of hostile record sets and recovery of hostile segments.
//
// First input byte even: the rest is a produce request's records, appended as a leader would;
// a rejected append must leave the log as it was, an accepted one must read back as valid
// batches. Odd: the rest becomes a segment file found on disk after a crash; recovery must keep
// exactly a valid prefix and everything it keeps must read back.
#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "engine/protocol/records/recordbatch.h"
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"

using namespace partita;
using namespace partita::storage;
namespace fs = std::filesystem;
namespace records = partita::protocol::records;

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_log: invariant broken: %s\n", what.c_str());
    std::abort();
}

std::string scratchDir() {
    static const std::string dir = [] {
        std::string d = (fs::temp_directory_path() / ("fuzz_log." + std::to_string(::getpid()))).string();
        fs::remove_all(d);
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

LogConfig smallLog() {
    LogConfig config;
    config.segmentBytes = 16 * 1024;
    config.indexIntervalBytes = 128;
    config.maxMessageBytes = 64 * 1024;
    return config;
}

// Every batch from the log start to its end reads back, validates, and offsets only increase.
void checkReadable(const PartitionLog& log) {
    int64_t offset = log.logStartOffset();
    while (offset < log.logEndOffset()) {
        auto bytes = log.readVerified(offset, 1 << 20, log.logEndOffset());
        if (!bytes) fail("readVerified at " + std::to_string(offset) + ": " + bytes.error().message);
        if (bytes->empty()) fail("no batch at " + std::to_string(offset) + " below the log end");
        for (size_t at = 0; at < bytes->size();) {
            auto batch = records::RecordBatchView::parse(bytes->slice(at, bytes->size() - at));
            if (!batch || !batch->validate()) fail("an invalid batch was served");
            if (batch->lastOffset() < offset) fail("offsets went backwards");
            offset = batch->nextOffset();
            at += batch->sizeInBytes();
        }
    }
}

void fuzzAppend(std::span<const uint8_t> input) {
    static std::unique_ptr<PartitionLog> log;
    static int appends = 0;
    if (!log || ++appends % 500 == 0) {
        log.reset();
        fs::remove_all(scratchDir() + "/append-0");
        auto opened = PartitionLog::open(scratchDir(), "append", 0, smallLog(), {}, systemClock());
        if (!opened) fail("open: " + opened.error().message);
        log = std::move(*opened);
    }
    int64_t endBefore = log->logEndOffset();
    uint64_t sizeBefore = log->sizeInBytes();
    std::vector<uint8_t> records(input.begin(), input.end());
    auto appended = log->appendAsLeader(records, 1);
    if (!appended) {
        if (log->logEndOffset() != endBefore || log->sizeInBytes() != sizeBefore)
            fail("a rejected append changed the log");
        return;
    }
    if (appended->firstOffset != endBefore || log->logEndOffset() != appended->lastOffset + 1) {
        fail("offsets were not assigned from the log end");
    }
    log->updateHighWatermark(log->logEndOffset());
    checkReadable(*log);
}

void fuzzRecovery(std::span<const uint8_t> input) {
    std::string partitionDir = scratchDir() + "/recover-0";
    fs::remove_all(partitionDir);
    fs::create_directories(partitionDir);
    {
        std::ofstream out(partitionDir + "/00000000000000000000.log", std::ios::binary);
        out.write(reinterpret_cast<const char*>(input.data()), std::streamsize(input.size()));
    }
    LoadState crashed;
    crashed.cleanShutdown = false;
    auto log = PartitionLog::open(scratchDir(), "recover", 0, smallLog(), crashed, systemClock());
    if (!log) return;  // an I/O error is an answer; a crash is not
    if (fs::file_size(partitionDir + "/00000000000000000000.log") > input.size()) fail("recovery grew the segment");
    checkReadable(**log);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::span<const uint8_t> rest(data + 1, size - 1);
    if (data[0] % 2 == 0) {
        fuzzAppend(rest);
    } else {
        fuzzRecovery(rest);
    }
    return 0;
}
