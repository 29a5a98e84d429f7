// Tests of LogManager: loading a data directory, the shutdown marker, checkpoints and background retention.
#include "engine/storage/logmanager.h"
#include "engine/storage/checkpointfile.h"
#include "engine/storage/clock.h"
#include "engine/storage/logcleaner.h"
#include "engine/storage/partitionlog.h"

#include "storagetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

using namespace partita;
using namespace partita::storage;
using namespace storagetest;
namespace fs = std::filesystem;

namespace {

LogConfig smallSegments() {
    LogConfig config;
    config.segmentBytes = 2048;
    config.fileDeleteDelayMs = 0;
    return config;
}

std::unique_ptr<LogManager> openManager(const std::string& dir, const Clock& clock, LogManagerConfig config = {}) {
    config.dataDir = dir;
    auto manager = LogManager::open(
        config, [](const std::string&) { return smallSegments(); }, clock);
    if (!manager) qFatal("open: %s", manager.error().message.c_str());
    return std::move(*manager);
}

PartitionLog* create(LogManager& manager, const std::string& topic, int32_t partition) {
    auto log = manager.getOrCreateLog(topic, partition, smallSegments());
    if (!log) qFatal("create: %s", log.error().message.c_str());
    return log->get();
}

void fill(PartitionLog& log, int batches) {
    for (int i = 0; i < batches; ++i) {
        if (!leaderAppend(log, makeBatch(2, kStart + i, 150, {}, i))) qFatal("append failed");
    }
    log.updateHighWatermark(log.logEndOffset());
}

}  // namespace

class TestLogManager : public QObject {
    Q_OBJECT

private slots:
    void cleanShutdownWritesTheMarkerAndCheckpoints() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        ManualClock clock(kStart);
        {
            auto manager = openManager(data, clock);
            fill(*create(*manager, "page-views", 0), 30);
            fill(*create(*manager, "page-views", 1), 10);
            fill(*create(*manager, "my-topic-with-dashes", 12), 5);
            QVERIFY(manager->shutdown());
        }
        QVERIFY(fs::exists(data + "/.kafka_cleanshutdown"));
        auto points = readOffsetCheckpoint(data + "/recovery-point-offset-checkpoint");
        QVERIFY(points);
        QCOMPARE(points->size(), size_t(3));
        for (auto& entry : *points) {
            int64_t expected = entry.topic == "page-views" ? (entry.partition == 0 ? 60 : 20) : 10;
            QCOMPARE(entry.offset, expected);
        }
        QVERIFY(fs::exists(data + "/log-start-offset-checkpoint"));

        auto manager = openManager(data, clock);
        QVERIFY(manager->hadCleanShutdown());
        // The marker is gone as soon as the logs are loaded: a crash from now on is unclean.
        QVERIFY(!fs::exists(data + "/.kafka_cleanshutdown"));
        QCOMPARE(manager->logs().size(), size_t(3));
        auto dashed = manager->getLog("my-topic-with-dashes", 12);
        QVERIFY(dashed);
        QCOMPARE(dashed->logEndOffset(), int64_t(10));
        QCOMPARE(manager->getLog("page-views", 0)->logEndOffset(), int64_t(60));
    }

    void uncleanStartRecoversFromTheCheckpointedRecoveryPoint() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        ManualClock clock(kStart);
        std::string logFile;
        {
            auto manager = openManager(data, clock);
            auto* log = create(*manager, "clicks", 0);
            fill(*log, 40);
            QVERIFY(log->flush());
            QVERIFY(manager->writeCheckpoints());
            logFile = log->segments().back()->logPath();
            // No shutdown: a crash.
        }
        // A torn write at the end of the active segment.
        auto size = fs::file_size(logFile);
        fs::resize_file(logFile, size - 7);
        auto manager = openManager(data, clock);
        QVERIFY(!manager->hadCleanShutdown());
        QCOMPARE(manager->recoveryReport().size(), size_t(1));
        QVERIFY(QString::fromStdString(manager->recoveryReport()[0]).startsWith("clicks-0: cut "));
        QCOMPARE(manager->getLog("clicks", 0)->logEndOffset(), int64_t(78));
    }

    void backgroundRetentionDeletesExpiredSegments() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        ManualClock clock(kStart);
        LogManagerConfig config;
        config.retentionCheckIntervalMs = 1000;
        auto manager = openManager(data, clock, config);
        LogConfig expiring = smallSegments();
        expiring.retentionMs = 60'000;
        auto created = manager->getOrCreateLog("metrics", 0, expiring);
        QVERIFY(created);
        fill(**created, 40);
        size_t before = (*created)->segmentCount();
        QVERIFY(before > 3);
        manager->startBackgroundTasks();
        clock.advance(120'000);
        for (int i = 0; i < 100 && (*created)->segmentCount() > 1; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        QCOMPARE((*created)->segmentCount(), size_t(1));
        QVERIFY((*created)->logStartOffset() > 0);
        QVERIFY(manager->shutdown());
    }

    void deletedTopicsLeaveNothingBehind() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        ManualClock clock(kStart);
        auto manager = openManager(data, clock);
        fill(*create(*manager, "temp", 0), 5);
        QVERIFY(fs::exists(data + "/temp-0"));
        QVERIFY(manager->deleteLog("temp", 0));
        QVERIFY(!fs::exists(data + "/temp-0"));
        QVERIFY(!manager->getLog("temp", 0));
        QVERIFY(!manager->deleteLog("temp", 0));
        // Directories that are not partition logs are left alone.
        fs::create_directories(data + "/not a partition");
        QVERIFY(manager->shutdown());
        auto again = openManager(data, clock);
        QCOMPARE(again->logs().size(), size_t(0));
        QVERIFY(fs::exists(data + "/not a partition"));
    }

    void compactedTopicsAreCleanedInTheBackground() {
        QTemporaryDir dir;
        std::string data = dir.path().toStdString();
        ManualClock clock(kStart);
        auto manager = openManager(data, clock);
        QVERIFY(manager->cleaner());
        LogConfig compacted = smallSegments();
        compacted.compactEnabled = true;
        compacted.deleteEnabled = false;
        compacted.minCleanableDirtyRatio = 0.1;
        auto created = manager->getOrCreateLog("user-profiles", 0, compacted);
        QVERIFY(created);
        PartitionLog& log = **created;
        // The same two keys (tag 0) over and over: only the latest value of each should stay.
        for (int i = 0; i < 50; ++i) QVERIFY(leaderAppend(log, makeBatch(2, kStart + i, 150, {}, 0)));
        log.updateHighWatermark(log.logEndOffset());
        uint64_t before = log.sizeInBytes();
        manager->startBackgroundTasks();
        manager->cleaner()->wakeUp();
        // The size drops as segments are swapped, before the round ends and saves its checkpoint:
        // wait for the whole round, or shutdown() would abort it half-way (no checkpoint).
        for (int i = 0; i < 200 && (log.sizeInBytes() >= before / 2 || manager->cleaner()->roundsCompleted() == 0);
             ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        QVERIFY2(log.sizeInBytes() < before / 2, "the cleaner did not compact the log");
        // Each key's latest value is still there, at its original offset.
        auto records = readAll(log);
        std::map<std::string, int64_t> latest;
        for (auto& r : records) latest[r.key] = r.offset;
        QCOMPARE(latest.size(), size_t(2));
        QCOMPARE(latest["key-0-1"], log.logEndOffset() - 1);
        QVERIFY(manager->shutdown());
        QVERIFY(fs::exists(data + "/cleaner-offset-checkpoint"));
    }
};

QTEST_APPLESS_MAIN(TestLogManager)
#include "logmanager_test.moc"
