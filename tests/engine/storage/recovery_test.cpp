// Tests of durability: restarts, torn and corrupt tails, SIGKILL mid-append, failed writes, too many open files.
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"
#include "engine/storage/segmenthandlecache.h"

#include "engine/protocol/records/byteorder.h"
#include "storagetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>

using namespace partita;
using namespace partita::storage;
using namespace storagetest;
namespace fs = std::filesystem;

namespace {

LogConfig smallSegments() {
    LogConfig config;
    config.segmentBytes = 8192;
    config.indexIntervalBytes = 512;
    return config;
}

std::unique_ptr<PartitionLog> openLog(const std::string& dataDir, LoadState state, const LogConfig& config,
                                      SegmentHandleCache* cache = nullptr) {
    auto log = PartitionLog::open(dataDir, "events", 0, config, state, systemClock(), cache);
    if (!log) qFatal("open: %s", log.error().message.c_str());
    return std::move(*log);
}

LoadState unclean(int64_t recoveryPoint = 0) {
    LoadState state;
    state.cleanShutdown = false;
    state.recoveryPoint = recoveryPoint;
    return state;
}

LoadState clean() {
    LoadState state;
    state.cleanShutdown = true;
    return state;
}

// Appends `batches` batches of 3 records; returns the batch start positions in the last segment.
void fill(PartitionLog& log, int batches, int tagBase = 0) {
    for (int i = 0; i < batches; ++i) {
        auto info = leaderAppend(log, makeBatch(3, kStart + i, 120, {}, tagBase + i), 1);
        if (!info) qFatal("append: %s", info.error().message.c_str());
    }
    log.updateHighWatermark(log.logEndOffset());
}

}  // namespace

class TestRecovery : public QObject {
    Q_OBJECT

private slots:
    void cleanRestartTrustsTheIndexesAndKeepsEverything() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        std::vector<SimpleRecord> before;
        {
            auto log = openLog(data, {}, smallSegments());
            fill(*log, 100);
            before = readAll(*log);
            QVERIFY(log->close());
        }
        auto log = openLog(data, clean(), smallSegments());
        QVERIFY(log->recoveryReport().empty());
        QCOMPARE(log->logEndOffset(), int64_t(300));
        auto after = readAll(*log);
        QCOMPARE(after.size(), before.size());
        for (size_t i = 0; i < after.size(); ++i) QCOMPARE(after[i].value, before[i].value);
        // Appends continue where the log ended, in the same active segment.
        fill(*log, 1, 1000);
        QCOMPARE(log->logEndOffset(), int64_t(303));
    }

    void tornTailIsCutAtEveryByteOfTheLastBatch() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        std::string logFile;
        uint64_t lastBatchStart = 0, fullSize = 0;
        {
            auto log = openLog(data, {}, LogConfig{});
            fill(*log, 9);
            auto lastBatch = log->read(24, 1 << 20, 27, true);
            QVERIFY(lastBatch);
            lastBatchStart = lastBatch->records.position();
            logFile = lastBatch->records.path();
            QVERIFY(log->flush());
        }
        fullSize = fs::file_size(logFile);
        auto original = readBytes(logFile);
        for (uint64_t cut = lastBatchStart; cut < fullSize; ++cut) {
            std::string torn = original.substr(0, cut);
            writeBytes(logFile, torn);
            auto log = openLog(data, unclean(), LogConfig{});
            QCOMPARE(log->logEndOffset(), int64_t(24));
            QCOMPARE(fs::file_size(logFile), lastBatchStart);
            QCOMPARE(readAll(*log).size(), size_t(24));
            if (cut > lastBatchStart) QCOMPARE(log->recoveryReport().size(), size_t(1));
            // The rebuilt indexes find every surviving offset.
            for (int64_t offset = 0; offset < 24; offset += 5) {
                auto r = log->read(offset, 100, 24, true);
                QVERIFY(r);
                QVERIFY(decodeAll(*r->records.read()).back().offset >= offset);
            }
        }
        // Whole again, nothing is cut.
        writeBytes(logFile, original);
        auto log = openLog(data, unclean(), LogConfig{});
        QCOMPARE(log->logEndOffset(), int64_t(27));
        QVERIFY(log->recoveryReport().empty());
    }

    void flippedBytesAreFoundByRecoveryAndTheLogStaysReadableUpToThem() {
        std::mt19937 rng(3);
        for (int round = 0; round < 25; ++round) {
            QTemporaryDir dir;
            std::string data = dir.path().toStdString();
            std::string logFile;
            {
                auto log = openLog(data, {}, LogConfig{});
                fill(*log, 20);
                logFile = log->segments().front()->logPath();
            }
            auto bytes = readBytes(logFile);
            std::vector<size_t> batchStarts;
            for (size_t p = 0; p < bytes.size();) {
                batchStarts.push_back(p);
                p += 12 + size_t(records::loadBeI32(reinterpret_cast<const uint8_t*>(bytes.data()) + p + 8));
            }
            QCOMPARE(batchStarts.size(), size_t(20));
            // Any byte but BaseOffset and PartitionLeaderEpoch, which the format leaves outside the
            // CRC (the broker rewrites them); a flipped offset is caught only when it goes backwards.
            int64_t damagedBatch = int64_t(rng() % 20);
            size_t batchEnd =
                size_t(damagedBatch) + 1 < batchStarts.size() ? batchStarts[size_t(damagedBatch) + 1] : bytes.size();
            size_t at;
            do {
                at = batchStarts[size_t(damagedBatch)] + rng() % (batchEnd - batchStarts[size_t(damagedBatch)]);
            } while (at - batchStarts[size_t(damagedBatch)] < 8 ||
                     (at - batchStarts[size_t(damagedBatch)] >= 12 && at - batchStarts[size_t(damagedBatch)] < 16));
            bytes[at] = char(uint8_t(bytes[at]) ^ uint8_t(1 + rng() % 255));
            writeBytes(logFile, bytes);

            auto log = openLog(data, unclean(), LogConfig{});
            // Every batch before the damaged one survives; nothing after it is served.
            auto records = readAll(*log);
            int64_t end = log->logEndOffset();
            QCOMPARE(int64_t(records.size()), end);
            QCOMPARE(end, damagedBatch * 3);
            QCOMPARE(log->recoveryReport().size(), size_t(1));
            QVERIFY(QString::fromStdString(log->recoveryReport()[0]).contains(QString::fromStdString(logFile)));
        }
    }

    void corruptBatchIsReportedOnReadWithFileAndPosition() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        std::string logFile;
        uint64_t damagedAt = 0;
        {
            auto log = openLog(data, {}, LogConfig{});
            fill(*log, 10);
            auto fifth = log->read(12, 1 << 20, 30, true);
            damagedAt = fifth->records.position();
            logFile = fifth->records.path();
            QVERIFY(log->close());
        }
        auto bytes = readBytes(logFile);
        bytes[damagedAt + 70] = char(~bytes[damagedAt + 70]);  // inside the fifth batch's records
        writeBytes(logFile, bytes);

        auto log = openLog(data, clean(), LogConfig{});
        auto upTo = log->readVerified(0, 1 << 20, log->logEndOffset());
        QVERIFY(upTo);
        QCOMPARE(decodeAll(*upTo).back().offset, int64_t(11));
        auto at = log->readVerified(12, 1 << 20, log->logEndOffset());
        QVERIFY(!at);
        QCOMPARE(at.error().kind, ErrorKind::Corrupt);
        QString message = QString::fromStdString(at.error().message);
        QVERIFY2(message.contains(QString::fromStdString(logFile)), qPrintable(message));
        QVERIFY2(message.contains(QString::number(damagedAt)), qPrintable(message));
        auto after = log->readVerified(15, 1 << 20, log->logEndOffset());
        QVERIFY(after);
    }

    void restartAfterACrashKeepsEveryFlushedBatch() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        int64_t flushedTo = 0;
        {
            auto log = openLog(data, {}, smallSegments());
            fill(*log, 50);
            QVERIFY(log->flush());
            flushedTo = log->recoveryPoint();
            fill(*log, 5, 100);
            // No close(): the process "dies" here.
        }
        auto log = openLog(data, unclean(flushedTo), smallSegments());
        QVERIFY(log->logEndOffset() >= flushedTo);
        auto records = readAll(*log);
        QVERIFY(int64_t(records.size()) >= flushedTo);
        for (int64_t i = 0; i < flushedTo; ++i) QCOMPARE(records[size_t(i)].offset, i);
    }

    void sigkillWhileAppendingLosesNothingFlushed() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(fds[0]);
            auto opened = PartitionLog::open(data, "events", 0, smallSegments(), {}, systemClock());
            if (!opened) ::_exit(2);
            auto& log = **opened;
            for (int i = 0;; ++i) {
                auto batch = makeBatch(4, kStart + i, 200, {}, i);
                if (!log.appendAsLeader(batch, 0)) ::_exit(3);
                if (i % 3 == 0) {
                    if (!log.flush()) ::_exit(4);
                    int64_t flushed = log.recoveryPoint();
                    if (::write(fds[1], &flushed, sizeof flushed) != sizeof flushed) ::_exit(5);
                }
            }
        }
        ::close(fds[1]);
        int64_t flushed = 0, value = 0;
        for (int reads = 0; reads < 200 && ::read(fds[0], &value, sizeof value) == sizeof value; ++reads)
            flushed = value;
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        ::close(fds[0]);
        QVERIFY(WIFSIGNALED(status));
        QVERIFY(flushed > 0);

        auto log = openLog(data, unclean(0), smallSegments());
        QVERIFY(log->logEndOffset() >= flushed);
        auto records = readAll(*log);
        QVERIFY(int64_t(records.size()) >= flushed);
        for (int64_t i = 0; i < int64_t(records.size()); ++i) QCOMPARE(records[size_t(i)].offset, i);
    }

    void failedWriteLeavesTheLogConsistent() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        auto log = openLog(data, {}, LogConfig{});
        fill(*log, 5);
        uint64_t size = log->sizeInBytes();
        std::string logFile = log->segments().back()->logPath();

        // A file size limit is a disk that fills up under this process: the write fails part way.
        auto previous = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit old {};
        ::getrlimit(RLIMIT_FSIZE, &old);
        struct rlimit limited = old;
        limited.rlim_cur = size + 100;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
        auto failed = leaderAppend(*log, makeBatch(5, kStart, 400));
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previous);

        QVERIFY(!failed);
        QCOMPARE(failed.error().kind, ErrorKind::Io);
        QVERIFY(QString::fromStdString(failed.error().message).contains(QString::fromStdString(logFile)));
        QCOMPARE(log->logEndOffset(), int64_t(15));
        QCOMPARE(fs::file_size(logFile), size);
        // The log takes the next append as if nothing had happened, and a restart agrees.
        fill(*log, 1, 50);
        QCOMPARE(log->logEndOffset(), int64_t(18));
        log.reset();
        auto reopened = openLog(data, unclean(), LogConfig{});
        QCOMPARE(reopened->logEndOffset(), int64_t(18));
        QVERIFY(reopened->recoveryReport().empty());
        QCOMPARE(readAll(*reopened).size(), size_t(18));
    }

    void missingOrDamagedIndexesAreRebuilt() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        std::vector<std::string> indexFiles;
        {
            auto log = openLog(data, {}, smallSegments());
            fill(*log, 60);
            QVERIFY(log->close());
            for (auto& segment : log->segments()) {
                indexFiles.push_back(LogSegment::filePath(data + "/events-0", segment->baseOffset(), ".index"));
            }
        }
        fs::remove(indexFiles.front());
        std::string garbage(64, '\xAB');
        writeBytes(indexFiles.back(), garbage);
        auto log = openLog(data, clean(), smallSegments());
        QCOMPARE(log->logEndOffset(), int64_t(180));
        QVERIFY(fs::exists(indexFiles.front()));
        for (int64_t offset = 0; offset < 180; offset += 7) {
            auto r = log->read(offset, 200, 180, true);
            QVERIFY(r);
            auto got = decodeAll(*r->records.read());
            QVERIFY(got.front().offset <= offset && got.back().offset >= offset);
        }
    }

    void segmentsBeyondTheOpenFileLimitAreOpenedOnDemand() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        LogConfig config;
        config.segmentBytes = 1024;
        {
            auto log = openLog(data, {}, config);
            fill(*log, 400);
            QVERIFY(log->close());
        }
        SegmentHandleCache cache(8);
        auto log = openLog(data, clean(), config, &cache);
        QVERIFY(log->segmentCount() > 150);
        // Far fewer descriptors than segments: reading everything works within a low limit.
        struct rlimit old {};
        ::getrlimit(RLIMIT_NOFILE, &old);
        struct rlimit low = old;
        low.rlim_cur = 128;
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);
        auto records = readAll(*log);
        auto found = log->offsetForTimestamp(kStart + 399);
        ::setrlimit(RLIMIT_NOFILE, &old);
        QCOMPARE(records.size(), size_t(1200));
        QVERIFY(found && *found);
        // Batch i holds timestamps kStart + i .. kStart + i + 2: batch 397's last record is the first.
        QCOMPARE((*found)->offset, int64_t(397 * 3 + 2));
        QVERIFY(cache.openCount() <= 8);
    }
};

QTEST_APPLESS_MAIN(TestRecovery)
#include "recovery_test.moc"
