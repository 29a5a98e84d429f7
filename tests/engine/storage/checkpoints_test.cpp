// Kafka's text checkpoint files and the leader epoch cache: exact text on disk, atomic rewrites,
// corruption reports, and Kafka's assign / endOffsetFor / truncation rules.
#include <QtTest>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/storage/checkpointfile.h"
#include "engine/storage/leaderepochcache.h"

#include "storagetestutil.h"

using namespace partita;
using namespace partita::storage;

namespace {

QStringList filesIn(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::Files, QDir::Name);
}

}  // namespace

class CheckpointsTest : public QObject {
    Q_OBJECT

private slots:
    void offsetCheckpointHasKafkasTextAndRoundTrips() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("recovery-point-offset-checkpoint").toStdString();
        const std::vector<TopicPartitionOffset> entries{{"orders", 0, 42}, {"audit.log_v2", 17, 1234567890123}};

        QVERIFY(writeOffsetCheckpoint(path, entries).ok());
        QCOMPARE(storagetest::readBytes(path), std::string("0\n2\norders 0 42\naudit.log_v2 17 1234567890123\n"));
        QCOMPARE(filesIn(dir), QStringList{"recovery-point-offset-checkpoint"});

        auto read = readOffsetCheckpoint(path);
        QVERIFY(read.ok());
        QVERIFY(*read == entries);
    }

    void rewriteReplacesTheFileAndLeavesNoTmp() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("log-start-offset-checkpoint").toStdString();
        // A crash during an earlier write left a longer .tmp behind; it must not leak into the new file.
        storagetest::writeBytes(path + ".tmp", "0\n3\na 0 1\nb 0 2\nc 0 3\n");
        const std::vector<TopicPartitionOffset> first{{"a", 0, 1}, {"b", 1, 2}};
        QVERIFY(writeOffsetCheckpoint(path, first).ok());
        const std::vector<TopicPartitionOffset> second{{"a", 0, 9}};
        QVERIFY(writeOffsetCheckpoint(path, second).ok());

        QCOMPARE(storagetest::readBytes(path), std::string("0\n1\na 0 9\n"));
        QCOMPARE(filesIn(dir), QStringList{"log-start-offset-checkpoint"});
        QVERIFY(writeOffsetCheckpoint(path, {}).ok());
        QCOMPARE(storagetest::readBytes(path), std::string("0\n0\n"));
        auto read = readOffsetCheckpoint(path);
        QVERIFY(read.ok());
        QVERIFY(read->empty());
    }

    void missingOrEmptyFileReadsAsNoEntries() {
        QTemporaryDir dir;
        auto missing = readOffsetCheckpoint(dir.filePath("cleaner-offset-checkpoint").toStdString());
        QVERIFY(missing.ok());
        QVERIFY(missing->empty());

        // Kafka creates checkpoint files empty before their first write.
        const std::string empty = dir.filePath("replication-offset-checkpoint").toStdString();
        storagetest::writeBytes(empty, "");
        auto read = readOffsetCheckpoint(empty);
        QVERIFY(read.ok());
        QVERIFY(read->empty());
    }

    void malformedFileIsCorruptNamingFileAndLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("line");
        QTest::newRow("unknown version") << "1\n1\na 0 1\n"
                                         << "line 1";
        QTest::newRow("version not a number") << "zero\n0\n"
                                              << "line 1";
        QTest::newRow("cut after the version") << "0\n"
                                               << "line 2";
        QTest::newRow("count not a number") << "0\ntwo\na 0 1\n"
                                            << "line 2";
        QTest::newRow("fewer entries than counted") << "0\n3\na 0 1\nb 0 2\n"
                                                    << "line 4";
        QTest::newRow("more entries than counted") << "0\n1\na 0 1\nb 0 2\n"
                                                   << "line 4";
        QTest::newRow("partition not a number") << "0\n1\na zero 1\n"
                                                << "line 3";
        QTest::newRow("missing field") << "0\n2\na 0 1\nb 0\n"
                                       << "line 4";
        QTest::newRow("extra field") << "0\n1\na 0 1 7\n"
                                     << "line 3";
        QTest::newRow("blank entry line") << "0\n1\n\n"
                                          << "line 3";
        QTest::newRow("offset overflows int64") << "0\n1\na 0 99999999999999999999\n"
                                                << "line 3";
    }

    void malformedFileIsCorruptNamingFileAndLine() {
        QFETCH(QString, text);
        QFETCH(QString, line);
        QTemporaryDir dir;
        const std::string path = dir.filePath("recovery-point-offset-checkpoint").toStdString();
        storagetest::writeBytes(path, text.toStdString());

        auto read = readOffsetCheckpoint(path);
        QVERIFY(!read.ok());
        QCOMPARE(read.error().kind, ErrorKind::Corrupt);
        const QString message = QString::fromStdString(read.error().message);
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(line), qPrintable(message));
    }

    void windowsLineEndsAndNoFinalNewlineStillRead() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("cleaner-offset-checkpoint").toStdString();
        storagetest::writeBytes(path, "0\r\n2\r\na 0 1\r\nb 3 4");
        auto read = readOffsetCheckpoint(path);
        QVERIFY(read.ok());
        QVERIFY((*read == std::vector<TopicPartitionOffset>{{"a", 0, 1}, {"b", 3, 4}}));
    }

    void unwritableEntriesAndDirectoriesAreErrors() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("recovery-point-offset-checkpoint").toStdString();
        const std::vector<TopicPartitionOffset> spaced{{"two words", 0, 1}};
        Status s = writeOffsetCheckpoint(path, spaced);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, ErrorKind::InvalidArgument);
        QVERIFY(!QFile::exists(QString::fromStdString(path)));

        const std::vector<TopicPartitionOffset> fine{{"t", 0, 1}};
        Status io = writeOffsetCheckpoint(dir.filePath("no-such-dir/checkpoint").toStdString(), fine);
        QVERIFY(!io.ok());
        QCOMPARE(io.error().kind, ErrorKind::Io);
    }

    void epochCacheWritesKafkasCheckpointAndReopens() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        auto cache = LeaderEpochCache::open(partitionDir);
        QVERIFY(cache.ok());
        QVERIFY(!(*cache)->latestEpoch());
        QVERIFY(!QFile::exists(dir.filePath("leader-epoch-checkpoint")));  // nothing written until needed

        QVERIFY((*cache)->assign(0, 0).ok());
        QVERIFY((*cache)->assign(2, 10).ok());
        QVERIFY((*cache)->assign(5, 1234567890123).ok());
        QCOMPARE(storagetest::readBytes(partitionDir + "/leader-epoch-checkpoint"),
                 std::string("0\n3\n0 0\n2 10\n5 1234567890123\n"));
        QCOMPARE(filesIn(dir), QStringList{"leader-epoch-checkpoint"});

        auto reopened = LeaderEpochCache::open(partitionDir);
        QVERIFY(reopened.ok());
        QVERIFY(((*reopened)->entries() == std::vector<EpochEntry>{{0, 0}, {2, 10}, {5, 1234567890123}}));
        QCOMPARE(*(*reopened)->latestEpoch(), 5);
        QVERIFY((*(*reopened)->latestEntry() == EpochEntry{5, 1234567890123}));
    }

    void assignIgnoresStaleEpochsAndDropsEmptyOnes() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("leader-epoch-checkpoint").toStdString();
        auto cache = std::move(LeaderEpochCache::open(dir.path().toStdString()).value());
        QVERIFY(cache->assign(3, 100).ok());
        QVERIFY(cache->assign(5, 120).ok());
        const std::string before = storagetest::readBytes(file);

        QVERIFY(cache->assign(4, 130).ok());  // older epoch
        QVERIFY(cache->assign(5, 200).ok());  // same epoch again
        QVERIFY(cache->assign(5, 110).ok());  // same epoch, earlier offset
        QVERIFY(cache->assign(6, 119).ok());  // newer epoch starting before the latest
        QVERIFY((cache->entries() == std::vector<EpochEntry>{{3, 100}, {5, 120}}));
        QCOMPARE(storagetest::readBytes(file), before);

        // Epoch 5 never got a message: epoch 6 starting at the same offset replaces it.
        QVERIFY(cache->assign(6, 120).ok());
        QVERIFY((cache->entries() == std::vector<EpochEntry>{{3, 100}, {6, 120}}));
        QCOMPARE(storagetest::readBytes(file), std::string("0\n2\n3 100\n6 120\n"));

        Status negative = cache->assign(-1, 5);
        QVERIFY(!negative.ok());
        QCOMPARE(negative.error().kind, ErrorKind::InvalidArgument);
    }

    void endOffsetForFollowsKafka_data() {
        QTest::addColumn<int>("requested");
        QTest::addColumn<int>("epoch");
        QTest::addColumn<qint64>("endOffset");
        // Cache: epoch 2 from 10, epoch 4 from 20, epoch 6 from 30; log end 45.
        QTest::newRow("undefined epoch") << -1 << -1 << qint64(-1);
        QTest::newRow("below the first epoch") << 1 << 1 << qint64(10);
        QTest::newRow("first epoch") << 2 << 2 << qint64(20);
        QTest::newRow("missing epoch between") << 3 << 2 << qint64(20);
        QTest::newRow("middle epoch") << 4 << 4 << qint64(30);
        QTest::newRow("missing epoch before latest") << 5 << 4 << qint64(30);
        QTest::newRow("latest epoch ends at log end") << 6 << 6 << qint64(45);
        QTest::newRow("above the latest") << 7 << -1 << qint64(-1);
    }

    void endOffsetForFollowsKafka() {
        QFETCH(int, requested);
        QFETCH(int, epoch);
        QFETCH(qint64, endOffset);
        QTemporaryDir dir;
        auto cache = std::move(LeaderEpochCache::open(dir.path().toStdString()).value());
        QVERIFY(cache->assign(2, 10).ok());
        QVERIFY(cache->assign(4, 20).ok());
        QVERIFY(cache->assign(6, 30).ok());

        auto [gotEpoch, gotOffset] = cache->endOffsetFor(requested, 45);
        QCOMPARE(gotEpoch, epoch);
        QCOMPARE(gotOffset, endOffset);
    }

    void endOffsetForEmptyCacheIsUndefined() {
        QTemporaryDir dir;
        auto cache = std::move(LeaderEpochCache::open(dir.path().toStdString()).value());
        QCOMPARE(cache->endOffsetFor(0, 100), std::make_pair(LeaderEpochCache::kUndefinedEpoch, int64_t(-1)));
    }

    void epochForOffsetFindsTheCoveringEpoch() {
        QTemporaryDir dir;
        auto cache = std::move(LeaderEpochCache::open(dir.path().toStdString()).value());
        QVERIFY(cache->assign(2, 10).ok());
        QVERIFY(cache->assign(4, 20).ok());
        QVERIFY(!cache->epochForOffset(5));
        QCOMPARE(*cache->epochForOffset(10), 2);
        QCOMPARE(*cache->epochForOffset(19), 2);
        QCOMPARE(*cache->epochForOffset(20), 4);
        QCOMPARE(*cache->epochForOffset(1000), 4);
    }

    void truncateFromEndDropsEpochsAtOrAfterTheNewEnd() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        auto cache = std::move(LeaderEpochCache::open(partitionDir).value());
        QVERIFY(cache->assign(2, 10).ok());
        QVERIFY(cache->assign(4, 20).ok());
        QVERIFY(cache->assign(6, 30).ok());

        QVERIFY(cache->truncateFromEnd(100).ok());
        QCOMPARE(cache->entries().size(), size_t(3));
        QVERIFY(cache->truncateFromEnd(20).ok());
        QVERIFY((cache->entries() == std::vector<EpochEntry>{{2, 10}}));
        QCOMPARE(storagetest::readBytes(partitionDir + "/leader-epoch-checkpoint"), std::string("0\n1\n2 10\n"));
        // A new leader epoch can start again where the log was cut.
        QVERIFY(cache->assign(7, 20).ok());
        QCOMPARE(cache->endOffsetFor(2, 25), std::make_pair(2, int64_t(20)));
    }

    void truncateFromStartMovesTheCoveringEpochUp() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        auto cache = std::move(LeaderEpochCache::open(partitionDir).value());
        QVERIFY(cache->assign(2, 10).ok());
        QVERIFY(cache->assign(4, 20).ok());
        QVERIFY(cache->assign(6, 30).ok());

        QVERIFY(cache->truncateFromStart(5).ok());  // below everything: no change
        QCOMPARE(cache->entries().size(), size_t(3));
        QVERIFY(cache->truncateFromStart(25).ok());
        QVERIFY((cache->entries() == std::vector<EpochEntry>{{4, 25}, {6, 30}}));
        QCOMPARE(storagetest::readBytes(partitionDir + "/leader-epoch-checkpoint"), std::string("0\n2\n4 25\n6 30\n"));
        QVERIFY(cache->truncateFromStart(30).ok());
        QVERIFY((cache->entries() == std::vector<EpochEntry>{{6, 30}}));
        QVERIFY(cache->truncateFromStart(50).ok());
        QVERIFY((cache->entries() == std::vector<EpochEntry>{{6, 50}}));

        auto reopened = LeaderEpochCache::open(partitionDir);
        QVERIFY(reopened.ok());
        QVERIFY(((*reopened)->entries() == std::vector<EpochEntry>{{6, 50}}));
    }

    void clearAndFlushEmptiesTheFile() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        auto cache = std::move(LeaderEpochCache::open(partitionDir).value());
        QVERIFY(cache->assign(1, 0).ok());
        QVERIFY(cache->clearAndFlush().ok());
        QVERIFY(cache->entries().empty());
        QCOMPARE(storagetest::readBytes(partitionDir + "/leader-epoch-checkpoint"), std::string("0\n0\n"));
        QVERIFY((*LeaderEpochCache::open(partitionDir))->entries().empty());
    }

    void corruptEpochCheckpointFailsToOpen() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("leader-epoch-checkpoint").toStdString();
        storagetest::writeBytes(file, "0\n2\n1 0\n3\n");
        auto cache = LeaderEpochCache::open(dir.path().toStdString());
        QVERIFY(!cache.ok());
        QCOMPARE(cache.error().kind, ErrorKind::Corrupt);
        QVERIFY(cache.error().message.find(file) != std::string::npos);
        QVERIFY(cache.error().message.find("line 4") != std::string::npos);
    }

    void concurrentReadersSeeOrderedEntries() {
        QTemporaryDir dir;
        auto cache = std::move(LeaderEpochCache::open(dir.path().toStdString()).value());
        std::atomic<bool> done{false};
        std::atomic<bool> ordered{true};
        std::thread reader([&] {
            while (!done) {
                auto entries = cache->entries();
                for (size_t i = 1; i < entries.size(); ++i) {
                    if (entries[i].epoch <= entries[i - 1].epoch ||
                        entries[i].startOffset <= entries[i - 1].startOffset)
                        ordered = false;
                }
                auto [epoch, offset] = cache->endOffsetFor(0, 1000);
                if (epoch != -1 && epoch != 0) ordered = false;
                (void)offset;
            }
        });
        for (int epoch = 0; epoch < 40; ++epoch) QVERIFY(cache->assign(epoch, epoch * 10).ok());
        done = true;
        reader.join();
        QVERIFY(ordered);
        QCOMPARE(cache->entries().size(), size_t(40));
    }
};

QTEST_APPLESS_MAIN(CheckpointsTest)
#include "checkpoints_test.moc"
