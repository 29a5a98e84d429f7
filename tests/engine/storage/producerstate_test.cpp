// Producer state: per-batch updates, Kafka's snapshot bytes, CRC-checked loading with fallback to
// older snapshots, and snapshot file housekeeping.
#include <QtTest>

#include <fstream>
#include <limits>
#include <sstream>

#include "engine/storage/producerstatetable.h"

#include "storagetestutil.h"

using namespace partita;
using namespace partita::storage;
using storagetest::readBytes;
using storagetest::writeBytes;

namespace {

QStringList filesIn(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::Files, QDir::Name);
}

std::vector<int64_t> offsets(std::initializer_list<int64_t> list) {
    return std::vector<int64_t>(list);
}

}  // namespace

class ProducerStateTest : public QObject {
    Q_OBJECT

private slots:
    void idempotentBatchesTrackTheLastBatch() {
        ProducerStateTable table;
        QCOMPARE(table.mapEndOffset(), int64_t(0));
        table.onBatch(1, 0, 0, 4, 0, 4, 1000, false, false);
        QVERIFY((*table.find(1) == ProducerEntry{1, 0, 4, 4, 4, 1000, -1, -1}));
        QCOMPARE(table.mapEndOffset(), int64_t(5));

        table.onBatch(1, 0, 5, 9, 10, 14, 2000, false, false);
        QVERIFY((*table.find(1) == ProducerEntry{1, 0, 9, 14, 4, 2000, -1, -1}));
        QCOMPARE(table.mapEndOffset(), int64_t(15));
        QCOMPARE(table.size(), size_t(1));
        QVERIFY(!table.find(2));
    }

    void sequencesWrapAfterInt32MaxAndDuplicatesAreFoundInTheCurrentEpochOnly() {
        ProducerStateTable table;
        constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
        table.onBatch(1, 3, kMax - 1, kMax, 0, 1, 1000, false, false);
        QVERIFY(table.checkSequence(1, 3, 0).ok());
        QCOMPARE(table.checkSequence(1, 3, 1).error().kind, ErrorKind::OutOfOrderSequence);
        QCOMPARE(table.checkSequence(1, 2, 0).error().kind, ErrorKind::StaleProducerEpoch);
        QVERIFY(table.findDuplicate(1, 3, kMax - 1, kMax));
        QVERIFY(!table.findDuplicate(1, 3, kMax - 1, kMax - 1));  // same start, different end: not a retry
        table.onBatch(1, 4, 0, 0, 2, 2, 1000, false, false);
        QVERIFY(!table.findDuplicate(1, 3, kMax - 1, kMax));  // the old epoch is forgotten
        QVERIFY(table.checkSequence(99, 0, 12345).ok());      // an unknown producer
    }

    void silentProducersExpireUnlessATransactionIsOpen() {
        ProducerStateTable table;
        table.onBatch(1, 0, 0, 0, 0, 0, 1000, false, false);  // idempotent, last seen at 1000
        table.onBatch(2, 0, 0, 0, 1, 1, 1000, true, false);   // transaction still open
        table.onBatch(3, 0, 0, 0, 2, 2, 5000, false, false);  // recent
        QCOMPARE(table.removeExpired(6000, 5000), size_t(1));
        QVERIFY(!table.find(1));
        QVERIFY(!table.findDuplicate(1, 0, 0, 0));
        QVERIFY(table.find(2) && table.find(3));
        QVERIFY(table.checkSequence(1, 0, 7).ok());  // forgotten: it may start anywhere again
    }

    void transactionsOpenWithTheFirstBatchAndCloseWithTheMarker() {
        ProducerStateTable table;
        table.onBatch(7, 2, 0, 1, 5, 6, 100, true, false);
        QCOMPARE(table.find(7)->currentTxnFirstOffset, int64_t(5));
        table.onBatch(7, 2, 2, 3, 7, 8, 110, true, false);
        QCOMPARE(table.find(7)->currentTxnFirstOffset, int64_t(5));

        // The COMMIT/ABORT marker ends the transaction; the sequence state stays that of the data.
        table.onBatch(7, 2, -1, -1, 9, 9, 120, true, true);
        table.setCoordinatorEpoch(7, 3);
        QVERIFY((*table.find(7) == ProducerEntry{7, 2, 3, 8, 1, 120, 3, -1}));
        QCOMPARE(table.mapEndOffset(), int64_t(10));

        table.onBatch(7, 2, 4, 4, 10, 10, 130, true, false);
        QCOMPARE(table.find(7)->currentTxnFirstOffset, int64_t(10));
    }

    void aNewEpochForgetsTheOldSequence() {
        ProducerStateTable table;
        table.onBatch(7, 2, 0, 1, 5, 6, 100, true, false);
        // The coordinator aborts with a bumped epoch: no batch of epoch 3 exists yet.
        table.onBatch(7, 3, -1, -1, 7, 7, 200, true, true);
        QVERIFY((*table.find(7) == ProducerEntry{7, 3, -1, -1, 0, 200, -1, -1}));
    }

    void clearForgetsEverything() {
        ProducerStateTable table;
        table.onBatch(1, 0, 0, 0, 0, 0, 1, false, false);
        table.clear();
        QCOMPARE(table.size(), size_t(0));
        QVERIFY(table.entries().empty());
        QCOMPARE(table.mapEndOffset(), int64_t(0));
    }

    void snapshotHasKafkasBytes() {
        QTemporaryDir dir;
        ProducerStateTable table;
        table.onBatch(1000, 3, 5, 9, 1229, 1233, 1700000000000, false, false);
        QVERIFY(table.takeSnapshot(dir.path().toStdString(), 1234).ok());
        QCOMPARE(filesIn(dir), QStringList{"00000000000000001234.snapshot"});

        // Computed independently: int16 version 1, CRC-32C 0xb42c5282 of the rest, one entry.
        const unsigned char expected[56] = {
            0x00, 0x01, 0xb4, 0x2c, 0x52, 0x82,              // version, crc
            0x00, 0x00, 0x00, 0x01,                          // entry count
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8,  // producer id 1000
            0x00, 0x03,                                      // epoch 3
            0x00, 0x00, 0x00, 0x09,                          // last sequence 9
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xd1,  // last offset 1233
            0x00, 0x00, 0x00, 0x04,                          // offset delta 4
            0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,  // timestamp 1700000000000
            0xff, 0xff, 0xff, 0xff,                          // coordinator epoch -1
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // no open transaction
        };
        QCOMPARE(readBytes(dir.filePath("00000000000000001234.snapshot").toStdString()),
                 std::string(reinterpret_cast<const char*>(expected), sizeof expected));
    }

    void snapshotRoundTrips() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        ProducerStateTable table;
        table.onBatch(1, 0, 0, 4, 0, 4, 1000, false, false);
        table.onBatch(5, 1, 0, 0, 5, 5, 1001, true, false);
        table.onBatch(42, 7, 10, 19, 6, 15, 1002, false, false);
        QVERIFY(table.takeSnapshot(partitionDir, 16).ok());

        ProducerStateTable loaded;
        loaded.onBatch(99, 0, 0, 0, 100, 100, 1, false, false);  // replaced by the snapshot
        auto offset = loaded.loadLatestSnapshot(partitionDir, 100);
        QVERIFY(offset.ok());
        QCOMPARE(offset->value_or(-1), int64_t(16));
        QVERIFY(loaded.entries() == table.entries());
        QCOMPARE(loaded.mapEndOffset(), int64_t(16));

        ProducerStateTable empty;
        QVERIFY(empty.takeSnapshot(partitionDir, 20).ok());
        QCOMPARE(QFileInfo(dir.filePath("00000000000000000020.snapshot")).size(), qint64(10));
        QVERIFY(loaded.loadLatestSnapshot(partitionDir, 100)->value_or(-1) == 20);
        QCOMPARE(loaded.size(), size_t(0));
    }

    void aCorruptSnapshotIsDeletedAndTheOlderOneUsed() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        ProducerStateTable table;
        table.onBatch(1, 0, 0, 0, 0, 0, 10, false, false);
        QVERIFY(table.takeSnapshot(partitionDir, 100).ok());
        const auto older = table.entries();
        table.onBatch(2, 0, 0, 0, 150, 150, 20, false, false);
        QVERIFY(table.takeSnapshot(partitionDir, 200).ok());

        const std::string newest = ProducerStateTable::snapshotPath(partitionDir, 200);
        std::string bytes = readBytes(newest);
        bytes[30] = char(bytes[30] ^ 0x01);  // one bit of the first entry's last offset
        writeBytes(newest, bytes);

        ProducerStateTable loaded;
        std::vector<Error> discarded;
        auto offset = loaded.loadLatestSnapshot(partitionDir, 1000, &discarded);
        QVERIFY(offset.ok());
        QCOMPARE(offset->value_or(-1), int64_t(100));
        QVERIFY(loaded.entries() == older);
        QCOMPARE(loaded.mapEndOffset(), int64_t(100));
        QVERIFY(!QFile::exists(QString::fromStdString(newest)));
        QCOMPARE(discarded.size(), size_t(1));
        QCOMPARE(discarded[0].kind, ErrorKind::Corrupt);
        QVERIFY(discarded[0].message.find(newest) != std::string::npos);
        QVERIFY(discarded[0].message.find("CRC") != std::string::npos);
    }

    void damagedHeadersAreCorruptToo_data() {
        QTest::addColumn<int>("truncateTo");
        QTest::addColumn<int>("versionByte");
        QTest::newRow("shorter than the header") << 7 << 1;
        QTest::newRow("cut inside an entry") << 30 << 1;
        QTest::newRow("unknown version") << -1 << 2;
    }

    void damagedHeadersAreCorruptToo() {
        QFETCH(int, truncateTo);
        QFETCH(int, versionByte);
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        ProducerStateTable table;
        table.onBatch(1, 0, 0, 0, 0, 0, 10, false, false);
        QVERIFY(table.takeSnapshot(partitionDir, 5).ok());
        const std::string path = ProducerStateTable::snapshotPath(partitionDir, 5);
        std::string bytes = readBytes(path);
        if (truncateTo >= 0) bytes.resize(size_t(truncateTo));
        bytes[1] = char(versionByte);
        writeBytes(path, bytes);

        std::vector<Error> discarded;
        auto offset = table.loadLatestSnapshot(partitionDir, 5, &discarded);
        QVERIFY(offset.ok());
        QVERIFY(!offset->has_value());
        QCOMPARE(table.size(), size_t(0));
        QCOMPARE(discarded.size(), size_t(1));
        QCOMPARE(discarded[0].kind, ErrorKind::Corrupt);
        QVERIFY(ProducerStateTable::listSnapshotOffsets(partitionDir).empty());
    }

    void loadingHonoursMaxOffset() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        ProducerStateTable table;
        table.onBatch(1, 0, 0, 0, 0, 0, 10, false, false);
        QVERIFY(table.takeSnapshot(partitionDir, 100).ok());
        table.onBatch(2, 0, 0, 0, 150, 150, 20, false, false);
        QVERIFY(table.takeSnapshot(partitionDir, 200).ok());

        ProducerStateTable loaded;
        QCOMPARE(loaded.loadLatestSnapshot(partitionDir, 199)->value_or(-1), int64_t(100));
        QCOMPARE(loaded.size(), size_t(1));
        QCOMPARE(loaded.loadLatestSnapshot(partitionDir, 200)->value_or(-1), int64_t(200));
        QCOMPARE(loaded.size(), size_t(2));
        QVERIFY(!loaded.loadLatestSnapshot(partitionDir, 99)->has_value());
        QCOMPARE(loaded.size(), size_t(0));
        QVERIFY(ProducerStateTable::listSnapshotOffsets(partitionDir) == offsets({100, 200}));
    }

    void snapshotFilesAreListedAndDeletedByOffset() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        ProducerStateTable table;
        for (int64_t offset : {300, 0, 200, 100}) QVERIFY(table.takeSnapshot(partitionDir, offset).ok());
        // Leftovers of a crashed write and unrelated names are not snapshots.
        writeBytes(ProducerStateTable::snapshotPath(partitionDir, 400) + ".tmp", "partial");
        writeBytes(partitionDir + "/leader.snapshot", "x");
        writeBytes(partitionDir + "/00000000000000000500.log", "");
        QVERIFY(ProducerStateTable::listSnapshotOffsets(partitionDir) == offsets({0, 100, 200, 300}));
        QCOMPARE(table.loadLatestSnapshot(partitionDir, 1000)->value_or(-1), int64_t(300));

        QVERIFY(ProducerStateTable::deleteSnapshotsBelow(partitionDir, 200).ok());
        QVERIFY(ProducerStateTable::listSnapshotOffsets(partitionDir) == offsets({200, 300}));
        QVERIFY(ProducerStateTable::deleteSnapshotsFrom(partitionDir, 300).ok());
        QVERIFY(ProducerStateTable::listSnapshotOffsets(partitionDir) == offsets({200}));
        QVERIFY(ProducerStateTable::listSnapshotOffsets(partitionDir + "/missing").empty());
    }

    void snapshotWritesLeaveNoTmpBehind() {
        QTemporaryDir dir;
        const std::string partitionDir = dir.path().toStdString();
        ProducerStateTable table;
        table.onBatch(1, 0, 0, 0, 0, 0, 10, false, false);
        // A stale, longer .tmp from a crash must not leak into the new snapshot.
        writeBytes(ProducerStateTable::snapshotPath(partitionDir, 1) + ".tmp", std::string(500, 'x'));
        QVERIFY(table.takeSnapshot(partitionDir, 1).ok());
        QCOMPARE(filesIn(dir), QStringList{"00000000000000000001.snapshot"});
        QCOMPARE(QFileInfo(dir.filePath("00000000000000000001.snapshot")).size(), qint64(56));

        Status failed = table.takeSnapshot(partitionDir + "/missing", 2);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().kind, ErrorKind::Io);
    }
};

QTEST_APPLESS_MAIN(ProducerStateTest)
#include "producerstate_test.moc"
