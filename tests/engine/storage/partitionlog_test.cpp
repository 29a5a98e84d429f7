// Tests of PartitionLog: appends and reads across segments, index and time lookups, rolling, retention, layout.
#include "engine/storage/partitionlog.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/storage/clock.h"
#include "engine/storage/leaderepochcache.h"

#include "storagetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

using namespace partita;
using namespace partita::storage;
using namespace storagetest;
namespace fs = std::filesystem;

namespace {

LogConfig smallSegments() {
    LogConfig config;
    config.segmentBytes = 4096;
    config.indexIntervalBytes = 256;
    return config;
}

std::unique_ptr<PartitionLog> openLog(const QTemporaryDir& dir, const LogConfig& config, const Clock& clock,
                                      LoadState state = {}) {
    auto log = PartitionLog::open(dir.path().toStdString(), "orders", 0, config, state, clock);
    if (!log) qFatal("open: %s", log.error().message.c_str());
    return std::move(*log);
}

int64_t append(PartitionLog& log, std::vector<uint8_t> batch, int32_t epoch = 0) {
    auto info = leaderAppend(log, std::move(batch), epoch);
    if (!info) qFatal("append: %s", info.error().message.c_str());
    log.updateHighWatermark(log.logEndOffset());
    return info->firstOffset;
}

// A batch of an idempotent producer: `count` records from sequence `firstSequence`.
std::vector<uint8_t> producerBatch(int64_t producerId, int16_t epoch, int32_t firstSequence, int count) {
    records::RecordBatchBuilder builder;
    builder.setProducer(producerId, epoch, firstSequence);
    for (int i = 0; i < count; ++i) {
        auto st = builder.append(kStart + i, bytesOf("k"), bytesOf("seq-" + std::to_string(firstSequence + i)));
        if (!st) qFatal("append: %s", st.error().message.c_str());
    }
    auto built = builder.build();
    if (!built) qFatal("build: %s", built.error().message.c_str());
    return std::move(*built);
}

// Like producerBatch, flagged transactional.
std::vector<uint8_t> transactionalBatch(int64_t producerId, int32_t firstSequence, int count) {
    records::RecordBatchBuilder builder;
    builder.setProducer(producerId, 0, firstSequence);
    builder.setTransactional(true);
    for (int i = 0; i < count; ++i) {
        auto st = builder.append(kStart + i, bytesOf("k"), bytesOf("txn-" + std::to_string(firstSequence + i)));
        if (!st) qFatal("append: %s", st.error().message.c_str());
    }
    return std::move(*builder.build());
}

std::vector<uint8_t> marker(int64_t producerId, bool commit) {
    records::EndTxnMarkerBatch m;
    m.commit = commit;
    m.producerId = producerId;
    m.producerEpoch = 0;
    m.coordinatorEpoch = 3;
    m.timestamp = kStart;
    return std::move(*records::buildEndTxnMarkerBatch(m));
}

std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

class TestPartitionLog : public QObject {
    Q_OBJECT

private slots:
    void appendAssignsOffsetsAndReadsBackAcrossSegments() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, smallSegments(), clock);
        std::mt19937 rng(7);
        int64_t expected = 0;
        for (int i = 0; i < 300; ++i) {
            int count = 1 + int(rng() % 5);
            auto info = leaderAppend(*log, makeBatch(count, kStart + i * 10, 10 + rng() % 60, {}, i), 3);
            QVERIFY(info);
            QCOMPARE(info->firstOffset, expected);
            QCOMPARE(info->lastOffset, expected + count - 1);
            expected += count;
        }
        log->updateHighWatermark(log->logEndOffset());
        QCOMPARE(log->logEndOffset(), expected);
        QVERIFY(log->segmentCount() > 5);

        auto all = readAll(*log);
        QCOMPARE(int64_t(all.size()), expected);
        for (int64_t i = 0; i < expected; ++i) QCOMPARE(all[size_t(i)].offset, i);

        // A fetch at any offset starts with the batch holding it and ends on a batch boundary.
        for (int64_t offset = 0; offset < expected; ++offset) {
            auto result = log->read(offset, 700, expected, true);
            QVERIFY(result);
            auto bytes = result->records.read();
            QVERIFY(bytes);
            auto got = decodeAll(*bytes);
            QVERIFY(!got.empty());
            QVERIFY(got.front().offset <= offset);
            QVERIFY(got.back().offset >= offset);
            if (bytes->size() > 700) {
                // Over the limit only when the first batch alone is bigger (minOneBatch).
                auto only = records::RecordBatchView::parse(*bytes);
                QVERIFY(only);
                QCOMPARE(only->sizeInBytes(), bytes->size());
            }
        }
    }

    void segmentFilesAreNamedAndLaidOutAsKafkaDoes() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, smallSegments(), clock);
        for (int i = 0; i < 60; ++i) append(*log, makeBatch(3, kStart + i, 40, {}, i), 5);
        QVERIFY(log->segmentCount() >= 3);
        std::string partitionDir = dir.path().toStdString() + "/orders-0";
        auto names = filesIn(partitionDir);
        QVERIFY(std::count(names.begin(), names.end(), "00000000000000000000.log") == 1);
        QVERIFY(std::count(names.begin(), names.end(), "00000000000000000000.index") == 1);
        QVERIFY(std::count(names.begin(), names.end(), "00000000000000000000.timeindex") == 1);
        QVERIFY(std::count(names.begin(), names.end(), "leader-epoch-checkpoint") == 1);
        // Every rolled segment's indexes are trimmed to whole entries; a producer snapshot marks each roll.
        auto segments = log->segments();
        for (size_t i = 0; i + 1 < segments.size(); ++i) {
            auto base = segments[i]->baseOffset();
            auto indexBytes = fs::file_size(LogSegment::filePath(partitionDir, base, ".index"));
            auto timeBytes = fs::file_size(LogSegment::filePath(partitionDir, base, ".timeindex"));
            QCOMPARE(indexBytes % 8, uintmax_t(0));
            QCOMPARE(timeBytes % 12, uintmax_t(0));
            QVERIFY(indexBytes < 4096);
            QVERIFY(fs::exists(LogSegment::filePath(partitionDir, segments[i + 1]->baseOffset(), ".snapshot")));
        }
        // The active segment's index is preallocated to segment.index.bytes.
        auto active = segments.back()->baseOffset();
        QCOMPARE(fs::file_size(LogSegment::filePath(partitionDir, active, ".index")), uintmax_t(10485760));
        // .log files hold the batches exactly as appended, with offsets assigned.
        auto first = log->read(0, 1 << 20, log->logEndOffset(), true);
        QVERIFY(first);
        QCOMPARE(first->records.path(), LogSegment::filePath(partitionDir, 0, ".log"));
        QCOMPARE(log->leaderEpochCache().latestEpoch().value_or(-1), 5);
    }

    void readHonoursLimitsAndRanges() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, smallSegments(), clock);
        for (int i = 0; i < 20; ++i) append(*log, makeBatch(2, kStart + i, 100, {}, i));
        int64_t end = log->logEndOffset();
        QCOMPARE(end, int64_t(40));

        auto tooSmall = log->read(0, 10, end, false);
        QVERIFY(tooSmall);
        QVERIFY(tooSmall->records.empty());
        auto oneBatch = log->read(0, 10, end, true);
        QVERIFY(oneBatch);
        QCOMPARE(decodeAll(*oneBatch->records.read()).size(), size_t(2));

        // Consumers stop at the high watermark, which is a batch boundary.
        log->updateHighWatermark(10);
        auto bounded = log->read(0, 1 << 20, log->highWatermark(), true);
        QVERIFY(bounded);
        auto got = decodeAll(*bounded->records.read());
        QCOMPARE(got.back().offset, int64_t(9));
        QCOMPARE(bounded->highWatermark, int64_t(10));
        auto atLimit = log->read(10, 1 << 20, 10, true);
        QVERIFY(atLimit && atLimit->records.empty());

        auto atEnd = log->read(end, 1 << 20, end, true);
        QVERIFY(atEnd && atEnd->records.empty());
        auto beyond = log->read(end + 1, 1 << 20, end, true);
        QVERIFY(!beyond);
        QCOMPARE(beyond.error().kind, ErrorKind::OutOfRange);
        QVERIFY(QString::fromStdString(beyond.error().message).contains("outside"));
    }

    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, smallSegments(), clock);
        std::mt19937 rng(11);
        std::vector<std::pair<int64_t, int64_t>> model;  // offset, timestamp
        for (int i = 0; i < 150; ++i) {
            // Timestamps mostly rise, with producers' jitter going backwards at times.
            int64_t ts = kStart + i * 100 + int64_t(rng() % 250);
            int64_t first = append(*log, makeBatch(3, ts, 30, {}, i));
            for (int r = 0; r < 3; ++r) model.push_back({first + r, ts + r});
        }
        for (int64_t target = kStart - 50; target < kStart + 15500; target += 37) {
            std::optional<std::pair<int64_t, int64_t>> expected;
            for (auto& [offset, ts] : model) {
                if (ts >= target) {
                    expected = std::pair{offset, ts};
                    break;
                }
            }
            auto found = log->offsetForTimestamp(target);
            QVERIFY(found);
            QCOMPARE(found->has_value(), expected.has_value());
            if (expected) {
                QCOMPARE((*found)->offset, expected->first);
                QCOMPARE((*found)->timestamp, expected->second);
            }
        }
    }

    void rollsOnSegmentBytes() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, smallSegments(), clock);
        for (int i = 0; i < 40; ++i) append(*log, makeBatch(1, kStart, 300));
        for (auto& segment : log->segments()) QVERIFY(segment->size() <= 4096);
        QVERIFY(log->segmentCount() >= 4);
        // A batch bigger than segment.bytes still goes in, alone in its segment.
        LogConfig config = smallSegments();
        config.maxMessageBytes = 100000;
        log->updateConfig(config);
        append(*log, makeBatch(1, kStart, 8000));
        QVERIFY(log->segments().back()->size() > 4096);
    }

    void rollsOnSegmentMsFromTheFirstBatchTimestamp() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config;
        config.segmentMs = 60'000;
        auto log = openLog(dir, config, clock);
        append(*log, makeBatch(1, kStart));
        append(*log, makeBatch(1, kStart + 59'000));
        QCOMPARE(log->segmentCount(), size_t(1));
        append(*log, makeBatch(1, kStart + 60'001));
        QCOMPARE(log->segmentCount(), size_t(2));
        QCOMPARE(log->segments().back()->baseOffset(), int64_t(2));
    }

    void segmentJitterIsBelowTheBound() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config;
        config.segmentMs = 60'000;
        config.segmentJitterMs = 30'000;
        auto log = openLog(dir, config, clock);
        bool sawJitter = false;
        for (int i = 0; i < 20; ++i) {
            append(*log, makeBatch(1, kStart + i * 100'000));
            int64_t jitter = log->segments().back()->rollJitterMs();
            QVERIFY(jitter >= 0 && jitter < 30'000);
            sawJitter |= jitter > 0;
        }
        QVERIFY(sawJitter);
        // With jitter the segment rolls earlier than segment.ms, never later.
        QCOMPARE(log->segmentCount(), size_t(20));
    }

    void rollsWhenTheIndexIsFull() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config;
        config.indexIntervalBytes = 1;  // an entry per batch
        config.segmentIndexBytes = 8 * 4;
        auto log = openLog(dir, config, clock);
        for (int i = 0; i < 12; ++i) append(*log, makeBatch(1, kStart + i));
        QVERIFY(log->segmentCount() >= 3);
        QCOMPARE(readAll(*log).size(), size_t(12));
    }

    void retentionByTimeDeletesWholeOldSegmentsButNeverTheActiveOne() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = smallSegments();
        config.retentionMs = 3'600'000;
        config.fileDeleteDelayMs = 0;
        auto log = openLog(dir, config, clock);
        for (int i = 0; i < 30; ++i) append(*log, makeBatch(2, kStart, 200, {}, i));
        size_t segments = log->segmentCount();
        QVERIFY(segments > 2);
        auto deleted = log->deleteOldSegments();
        QVERIFY(deleted);
        QCOMPARE(*deleted, 0);
        clock.advance(3'600'002);  // the newest record is at kStart + 1
        deleted = log->deleteOldSegments();
        QVERIFY(deleted);
        QCOMPARE(size_t(*deleted), segments - 1);
        QCOMPARE(log->segmentCount(), size_t(1));
        QCOMPARE(log->logStartOffset(), log->segments().front()->baseOffset());
        // Reading below the new start is out of range; the rest is still there.
        auto below = log->read(0, 1000, log->logEndOffset(), true);
        QVERIFY(!below);
        QCOMPARE(below.error().kind, ErrorKind::OutOfRange);
        QVERIFY(!readAll(*log).empty());
        // The files are gone from the directory.
        std::string partitionDir = dir.path().toStdString() + "/orders-0";
        QVERIFY(!fs::exists(LogSegment::filePath(partitionDir, 0, ".log")));
        QVERIFY(!fs::exists(LogSegment::filePath(partitionDir, 0, ".log", ".deleted")));
    }

    void retentionBySizeKeepsTheNewestBytes() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = smallSegments();
        config.retentionBytes = 10'000;
        config.fileDeleteDelayMs = 0;
        auto log = openLog(dir, config, clock);
        for (int i = 0; i < 60; ++i) append(*log, makeBatch(2, kStart + i, 200, {}, i));
        uint64_t before = log->sizeInBytes();
        QVERIFY(before > 20'000);
        auto deleted = log->deleteOldSegments();
        QVERIFY(deleted && *deleted > 0);
        QVERIFY(log->sizeInBytes() <= 10'000 + 4096);
        QVERIFY(log->sizeInBytes() > 10'000 - 4096);
        QVERIFY(log->logStartOffset() > 0);
    }

    void retentionNeverPassesTheHighWatermark() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = smallSegments();
        config.retentionMs = 1000;
        auto log = openLog(dir, config, clock);
        for (int i = 0; i < 30; ++i) {
            auto info = leaderAppend(*log, makeBatch(2, kStart, 200, {}, i), 0);
            QVERIFY(info);
        }
        log->updateHighWatermark(0);
        clock.advance(10'000);
        auto deleted = log->deleteOldSegments();
        QVERIFY(deleted);
        QCOMPARE(*deleted, 0);
    }

    void deleteRecordsMovesTheLogStartOffset() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = smallSegments();
        config.fileDeleteDelayMs = 0;
        auto log = openLog(dir, config, clock);
        for (int i = 0; i < 30; ++i) append(*log, makeBatch(2, kStart, 200, {}, i));
        int64_t cut = log->segments()[2]->baseOffset() + 1;
        QVERIFY(log->advanceLogStartOffset(cut));
        QCOMPARE(log->logStartOffset(), cut);
        QVERIFY(!log->advanceLogStartOffset(log->logEndOffset() + 5));
        auto deleted = log->deleteOldSegments();
        QVERIFY(deleted);
        QCOMPARE(*deleted, 2);
        QCOMPARE(readAll(*log).front().offset, cut);
    }

    void idempotentRetriesAreAnsweredWithTheOriginalOffsetsAndNotWrittenTwice() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, LogConfig{}, clock);
        append(*log, makeBatch(3, kStart));  // a plain producer first, so offsets and sequences differ
        for (int i = 0; i < 7; ++i) QCOMPARE(append(*log, producerBatch(42, 0, i * 2, 2)), int64_t(3 + i * 2));
        const int64_t end = log->logEndOffset();
        const uint64_t size = log->sizeInBytes();

        // Each of the last five batches, sent again, comes back with its first offset.
        for (int i = 2; i < 7; ++i) {
            auto retry = leaderAppend(*log, producerBatch(42, 0, i * 2, 2));
            QVERIFY(retry);
            QVERIFY(retry->duplicate);
            QCOMPARE(retry->firstOffset, int64_t(3 + i * 2));
            QCOMPARE(retry->lastOffset, int64_t(4 + i * 2));
        }
        QCOMPARE(log->logEndOffset(), end);
        QCOMPARE(log->sizeInBytes(), size);

        // Older than the last five, a gap, or a zombie's older epoch: Kafka's errors, nothing written.
        auto tooOld = leaderAppend(*log, producerBatch(42, 0, 2, 2));
        QVERIFY(!tooOld);
        QCOMPARE(tooOld.error().kind, ErrorKind::OutOfOrderSequence);
        auto gap = leaderAppend(*log, producerBatch(42, 0, 20, 1));
        QVERIFY(!gap);
        QCOMPARE(gap.error().kind, ErrorKind::OutOfOrderSequence);
        QCOMPARE(append(*log, producerBatch(42, 1, 0, 1)), end);  // a new epoch starts at 0
        auto zombie = leaderAppend(*log, producerBatch(42, 0, 14, 1));
        QVERIFY(!zombie);
        QCOMPARE(zombie.error().kind, ErrorKind::StaleProducerEpoch);
        auto newEpochNotAtZero = leaderAppend(*log, producerBatch(42, 2, 5, 1));
        QVERIFY(!newEpochNotAtZero);
        QCOMPARE(newEpochNotAtZero.error().kind, ErrorKind::OutOfOrderSequence);
        // A producer the log has never seen may start anywhere (its earlier batches may be gone).
        QCOMPARE(append(*log, producerBatch(7, 0, 100, 1)), end + 1);
        QCOMPARE(log->logEndOffset(), end + 2);

        // After a restart the last batch of each producer is still recognised as a retry.
        QVERIFY(log->close());
        log.reset();
        LoadState clean;
        clean.cleanShutdown = true;
        clean.recoveryPoint = end + 2;
        log = openLog(dir, LogConfig{}, clock, clean);
        auto afterRestart = leaderAppend(*log, producerBatch(42, 1, 0, 1));
        QVERIFY(afterRestart);
        QVERIFY(afterRestart->duplicate);
        QCOMPARE(afterRestart->firstOffset, end);
        QCOMPARE(append(*log, producerBatch(42, 1, 1, 1)), end + 2);
    }

    void openTransactionsHoldTheLastStableOffsetAndAbortsAreIndexed() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = smallSegments();
        auto log = openLog(dir, config, clock);
        QCOMPARE(append(*log, transactionalBatch(1, 0, 3)), int64_t(0));  // producer 1: 0-2
        QCOMPARE(append(*log, makeBatch(2, kStart)), int64_t(3));         // plain records: 3-4
        QCOMPARE(append(*log, transactionalBatch(2, 0, 2)), int64_t(5));  // producer 2: 5-6
        QCOMPARE(log->lastStableOffset(), int64_t(0));                    // producer 1's transaction is open
        QCOMPARE(log->highWatermark(), int64_t(7));

        QCOMPARE(append(*log, marker(1, false)), int64_t(7));  // producer 1 aborts
        QCOMPARE(log->lastStableOffset(), int64_t(5));         // producer 2's is still open
        QCOMPARE(append(*log, marker(2, true)), int64_t(8));   // producer 2 commits
        QCOMPARE(log->lastStableOffset(), int64_t(9));
        // Transactions without data here: a marker closes nothing and indexes nothing.
        QCOMPARE(append(*log, marker(3, false)), int64_t(9));

        auto aborted = log->abortedTransactions(0, 10);
        QVERIFY(aborted);
        QCOMPARE(aborted->size(), size_t(1));
        QCOMPARE(aborted->front(), (AbortedTxn{1, 0, 7, 5}));
        QVERIFY(log->abortedTransactions(8, 10)->empty());  // the range starts after the aborted one
        QCOMPARE(log->producers().front().coordinatorEpoch, 3);

        // Later segments: the marker of a transaction begun in an earlier one is found from there.
        QCOMPARE(append(*log, transactionalBatch(4, 0, 1)), int64_t(10));
        for (int i = 0; i < 40; ++i) append(*log, makeBatch(4, kStart, 64));
        QVERIFY(log->segmentCount() > 2);
        const int64_t abortAt = append(*log, marker(4, false));
        aborted = log->abortedTransactions(10, 11);
        QCOMPARE(aborted->size(), size_t(1));
        QCOMPARE(aborted->front().firstOffset, int64_t(10));
        QCOMPARE(aborted->front().lastOffset, abortAt);

        // A crash: recovery re-reads every batch and rebuilds the same index and state.
        log.reset();
        log = openLog(dir, config, clock);
        QCOMPARE(log->abortedTransactions(0, abortAt + 1)->size(), size_t(2));
        QCOMPARE(log->lastStableOffset(), log->logEndOffset());
    }

    void badBatchesAreRejectedAndNothingIsWritten() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, LogConfig{}, clock);
        append(*log, makeBatch(2, kStart));
        uint64_t size = log->sizeInBytes();

        auto good = makeBatch(2, kStart);
        auto corrupt = good;
        corrupt[good.size() - 5] ^= 0x40;  // in the last record's value
        std::vector<uint8_t> two = good;
        two.insert(two.end(), corrupt.begin(), corrupt.end());
        auto r = leaderAppend(*log, two);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Corrupt);
        QVERIFY(QString::fromStdString(r.error().message).contains("CRC"));

        auto truncated = good;
        truncated.resize(truncated.size() - 3);
        QVERIFY(!leaderAppend(*log, truncated));

        LogConfig config;
        config.maxMessageBytes = 200;
        log->updateConfig(config);
        auto big = leaderAppend(*log, makeBatch(1, kStart, 500), 0);
        QVERIFY(!big);
        QCOMPARE(big.error().kind, ErrorKind::TooLarge);
        QVERIFY(QString::fromStdString(big.error().message).contains("max.message.bytes"));

        std::vector<uint8_t> empty;
        QVERIFY(!leaderAppend(*log, empty));

        QCOMPARE(log->sizeInBytes(), size);
        QCOMPARE(log->logEndOffset(), int64_t(2));
    }

    void logAppendTimeStampsTheBatches() {
        QTemporaryDir dir;
        ManualClock clock(kStart + 5000);
        LogConfig config;
        config.logAppendTime = true;
        auto log = openLog(dir, config, clock);
        auto info = leaderAppend(*log, makeBatch(3, kStart), 0);
        QVERIFY(info);
        QCOMPARE(info->logAppendTime, kStart + 5000);
        log->updateHighWatermark(log->logEndOffset());
        for (auto& r : readAll(*log)) QCOMPARE(r.timestamp, kStart + 5000);
    }

    void timestampsOutsideTheAllowedRangeAreRejected() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config;
        config.messageTimestampAfterMaxMs = 1000;
        config.messageTimestampBeforeMaxMs = 60'000;
        auto log = openLog(dir, config, clock);
        QVERIFY(leaderAppend(*log, makeBatch(1, kStart + 500), 0));
        auto future = leaderAppend(*log, makeBatch(1, kStart + 5000), 0);
        QVERIFY(!future);
        QCOMPARE(future.error().kind, ErrorKind::InvalidArgument);
        QVERIFY(!leaderAppend(*log, makeBatch(1, kStart - 120'000), 0));
    }

    void flushMessagesMovesTheRecoveryPoint() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config;
        auto lazy = openLog(dir, config, clock);
        append(*lazy, makeBatch(2, kStart));
        QCOMPARE(lazy->recoveryPoint(), int64_t(0));  // Kafka's default leaves it to the page cache
        QVERIFY(lazy->flush());
        QCOMPARE(lazy->recoveryPoint(), int64_t(2));

        QTemporaryDir dir2;
        config.flushMessages = 3;
        auto eager = openLog(dir2, config, clock);
        append(*eager, makeBatch(2, kStart));
        QCOMPARE(eager->recoveryPoint(), int64_t(0));
        append(*eager, makeBatch(2, kStart));
        QCOMPARE(eager->recoveryPoint(), int64_t(4));

        config.flushMessages = kInt64Max;
        config.flushMs = 1000;
        eager->updateConfig(config);
        append(*eager, makeBatch(1, kStart));
        QVERIFY(eager->flushIfDue());
        QCOMPARE(eager->recoveryPoint(), int64_t(4));
        clock.advance(1001);
        QVERIFY(eager->flushIfDue());
        QCOMPARE(eager->recoveryPoint(), int64_t(5));
    }

    void followerAppendKeepsOffsetsAndTruncationDropsTheTail() {
        QTemporaryDir leaderDir, followerDir;
        ManualClock clock(kStart);
        auto leader = openLog(leaderDir, smallSegments(), clock);
        for (int i = 0; i < 40; ++i) append(*leader, makeBatch(2, kStart + i, 100, {}, i), 1 + i / 20);
        auto follower = openLog(followerDir, smallSegments(), clock);
        int64_t offset = 0;
        while (offset < leader->logEndOffset()) {
            auto fetched = leader->read(offset, 2000, leader->logEndOffset(), true);
            QVERIFY(fetched);
            auto bytes = fetched->records.read();
            QVERIFY(follower->appendAsFollower(bytes->span()));
            offset = follower->logEndOffset();
        }
        QCOMPARE(follower->logEndOffset(), leader->logEndOffset());
        follower->updateHighWatermark(follower->logEndOffset());
        QCOMPARE(readAll(*follower).size(), size_t(80));
        QCOMPARE(follower->leaderEpochCache().latestEpoch().value_or(-1), 2);

        // Out of order: below the log end.
        auto again = leader->read(0, 500, leader->logEndOffset(), true);
        QVERIFY(!follower->appendAsFollower(again->records.read()->span()));

        QVERIFY(follower->truncateTo(37));
        // Truncation happens at batch boundaries: offset 37 sits in the batch [36, 37], which goes.
        QCOMPARE(follower->logEndOffset(), int64_t(36));
        auto left = readAll(*follower);
        QCOMPARE(left.back().offset, int64_t(35));
        QCOMPARE(follower->leaderEpochCache().latestEpoch().value_or(-1), 1);
        // Appends continue from the new end.
        auto info = leaderAppend(*follower, makeBatch(1, kStart), 3);
        QVERIFY(info);
        QCOMPARE(info->firstOffset, int64_t(36));
    }

    void fetchedSlicesGoToASocketWithoutCopies() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, smallSegments(), clock);
        for (int i = 0; i < 10; ++i) append(*log, makeBatch(4, kStart + i, 150, {}, i));
        auto result = log->read(8, 1 << 20, log->logEndOffset(), true);
        QVERIFY(result);
        auto expected = result->records.read();
        QVERIFY(expected);

        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        uint64_t sent = 0;
        // In small pieces, as a socket with a full buffer takes them.
        while (sent < result->records.size()) {
            auto n = result->records.sendTo(fds[0], sent, 1000);
            QVERIFY(n);
            QVERIFY(*n > 0);
            sent += *n;
        }
        std::vector<uint8_t> received(sent);
        size_t got = 0;
        while (got < sent) {
            ssize_t n = ::read(fds[1], received.data() + got, sent - got);
            QVERIFY(n > 0);
            got += size_t(n);
        }
        ::close(fds[0]);
        ::close(fds[1]);
        QVERIFY(std::equal(received.begin(), received.end(), expected->data()));
        QCOMPARE(decodeAll(Bytes::fromVector(received)).front().offset, int64_t(8));
    }

    void readersSeeWholeBatchesWhileAWriterAppendsAndRolls() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir, smallSegments(), clock);
        std::atomic<bool> done{false};
        std::atomic<int> badReads{0};
        std::thread reader([&] {
            while (!done.load()) {
                int64_t end = log->logEndOffset();
                int64_t offset = 0;
                while (offset < end) {
                    auto r = log->read(offset, 1500, end, true);
                    if (!r || r->records.empty()) {
                        badReads++;
                        break;
                    }
                    auto bytes = r->records.read();
                    int64_t next = offset;
                    size_t at = 0;
                    while (bytes && at < bytes->size()) {
                        auto batch = records::RecordBatchView::parse(bytes->slice(at, bytes->size() - at));
                        if (!batch || !batch->validate() || batch->nextOffset() <= next) {
                            badReads++;
                            break;
                        }
                        next = batch->nextOffset();
                        at += batch->sizeInBytes();
                    }
                    if (next == offset) break;
                    offset = next;
                }
            }
        });
        for (int i = 0; i < 400; ++i) append(*log, makeBatch(2, kStart + i, 100, {}, i));
        done = true;
        reader.join();
        QCOMPARE(badReads.load(), 0);
        QCOMPARE(readAll(*log).size(), size_t(800));
    }
};

QTEST_APPLESS_MAIN(TestPartitionLog)
#include "partitionlog_test.moc"
