// The .txnindex file: Kafka's 34-byte entries, lazy creation, range searches, truncation, corruption.
#include <QtTest>

#include <fstream>
#include <sstream>

#include "engine/storage/transactionindex.h"

#include "storagetestutil.h"

using namespace partita;
using namespace partita::storage;
using storagetest::readBytes;
using storagetest::writeBytes;

namespace {

// Four aborted transactions; lastStableOffset is where the oldest still-open transaction began.
const AbortedTxn kA{1, 0, 10, 0};
const AbortedTxn kB{2, 5, 20, 11};
const AbortedTxn kC{3, 25, 30, 21};
const AbortedTxn kD{4, 40, 50, 31};

std::unique_ptr<TransactionIndex> openWithAll(const std::string& path) {
    auto index = TransactionIndex::open(path, 0);
    if (!index) return nullptr;
    for (const AbortedTxn& txn : {kA, kB, kC, kD}) {
        if (!(*index)->append(txn).ok()) return nullptr;
    }
    return std::move(index.value());
}

}  // namespace

class TransactionIndexTest : public QObject {
    Q_OBJECT

private slots:
    void fileAppearsWithTheFirstEntryInKafkasLayout() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("00000000000000000100.txnindex").toStdString();
        auto index = TransactionIndex::open(path, 100);
        QVERIFY(index.ok());
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        QVERIFY((*index)->allAbortedTxns()->empty());
        QVERIFY((*index)->flush().ok());
        QVERIFY(!QFile::exists(QString::fromStdString(path)));

        QVERIFY((*index)->append(AbortedTxn{0x0102030405060708, 100, 150, 101}).ok());
        QVERIFY((*index)->flush().ok());
        const unsigned char expected[34] = {
            0x00, 0x00,                                      // version 0
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // producer id
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64,  // first offset 100
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x96,  // last offset 150
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x65,  // last stable offset 101
        };
        QCOMPARE(readBytes(path), std::string(reinterpret_cast<const char*>(expected), sizeof expected));
    }

    void entriesSurviveReopenAndKeepIncreasing() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("00000000000000000000.txnindex").toStdString();
        {
            auto index = openWithAll(path);
            QVERIFY(index);
            QVERIFY(index->close().ok());
        }
        auto reopened = TransactionIndex::open(path, 0);
        QVERIFY(reopened.ok());
        auto all = (*reopened)->allAbortedTxns();
        QVERIFY(all.ok());
        QVERIFY((*all == std::vector<AbortedTxn>{kA, kB, kC, kD}));
        QCOMPARE(QFileInfo(QString::fromStdString(path)).size(), qint64(4 * 34));

        // The last offset is recovered from the file, so the ordering rule holds across restarts.
        Status stale = (*reopened)->append(AbortedTxn{9, 45, 50, 45});
        QVERIFY(!stale.ok());
        QCOMPARE(stale.error().kind, ErrorKind::InvalidArgument);
        QCOMPARE(QFileInfo(QString::fromStdString(path)).size(), qint64(4 * 34));
        QVERIFY((*reopened)->append(AbortedTxn{9, 45, 51, 45}).ok());
        QCOMPARE((*reopened)->allAbortedTxns()->size(), size_t(5));
    }

    void collectAbortedTxnsReturnsTheOverlappingOnes_data() {
        QTest::addColumn<qint64>("fetchOffset");
        QTest::addColumn<qint64>("upperBound");
        QTest::addColumn<QList<qint64>>("producers");
        QTest::addColumn<bool>("complete");
        QTest::newRow("start of the first") << qint64(0) << qint64(5) << QList<qint64>{1} << true;
        QTest::newRow("upper bound is exclusive") << qint64(11) << qint64(25) << QList<qint64>{2} << true;
        QTest::newRow("fetch offset is inclusive") << qint64(20) << qint64(21) << QList<qint64>{2} << true;
        QTest::newRow("overlapping two") << qint64(8) << qint64(12) << QList<qint64>{1, 2} << true;
        QTest::newRow("inside one") << qint64(26) << qint64(28) << QList<qint64>{3} << true;
        QTest::newRow("gap between transactions") << qint64(31) << qint64(40) << QList<qint64>{} << false;
        QTest::newRow("everything") << qint64(0) << qint64(1000) << QList<qint64>{1, 2, 3, 4} << false;
        QTest::newRow("after the last") << qint64(51) << qint64(60) << QList<qint64>{} << false;
    }

    void collectAbortedTxnsReturnsTheOverlappingOnes() {
        QFETCH(qint64, fetchOffset);
        QFETCH(qint64, upperBound);
        QFETCH(QList<qint64>, producers);
        QFETCH(bool, complete);
        QTemporaryDir dir;
        auto index = openWithAll(dir.filePath("00000000000000000000.txnindex").toStdString());
        QVERIFY(index);

        bool searchComplete = !complete;
        auto found = index->collectAbortedTxns(fetchOffset, upperBound, &searchComplete);
        QVERIFY(found.ok());
        QList<qint64> got;
        for (const AbortedTxn& txn : *found) got.append(txn.producerId);
        QCOMPARE(got, producers);
        QCOMPARE(searchComplete, complete);
    }

    void truncateToDropsTransactionsEndingAtOrAfter() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("00000000000000000000.txnindex").toStdString();
        auto index = openWithAll(path);
        QVERIFY(index);

        QVERIFY(index->truncateTo(1000).ok());
        QCOMPARE(index->allAbortedTxns()->size(), size_t(4));
        QVERIFY(index->truncateTo(30).ok());
        QVERIFY((*index->allAbortedTxns() == std::vector<AbortedTxn>{kA, kB}));
        QCOMPARE(QFileInfo(QString::fromStdString(path)).size(), qint64(2 * 34));
        // Appends continue after the new last entry.
        QVERIFY(index->append(AbortedTxn{7, 21, 25, 21}).ok());
        QCOMPARE(index->allAbortedTxns()->back().producerId, int64_t(7));

        QVERIFY(index->reset().ok());
        QVERIFY(index->allAbortedTxns()->empty());
        QCOMPARE(QFileInfo(QString::fromStdString(path)).size(), qint64(0));
        QVERIFY(index->append(AbortedTxn{8, 0, 1, 0}).ok());
    }

    void renameAndDeleteFollowTheFile() {
        QTemporaryDir dir;
        const std::string first = dir.filePath("00000000000000000000.txnindex").toStdString();
        const std::string second = dir.filePath("00000000000000000000.txnindex.cleaned").toStdString();
        const std::string third = dir.filePath("00000000000000000000.txnindex.deleted").toStdString();

        auto opened = TransactionIndex::open(first, 0);
        QVERIFY(opened.ok());
        auto& index = *opened;
        // Renaming before the first entry only changes where the file will be created.
        QVERIFY(index->renameTo(second).ok());
        QCOMPARE(index->path(), second);
        QVERIFY(index->append(kA).ok());
        QVERIFY(!QFile::exists(QString::fromStdString(first)));
        QVERIFY(QFile::exists(QString::fromStdString(second)));

        QVERIFY(index->renameTo(third).ok());
        QVERIFY(!QFile::exists(QString::fromStdString(second)));
        QVERIFY(index->append(kB).ok());
        QVERIFY(index->flush().ok());
        QCOMPARE(QFileInfo(QString::fromStdString(third)).size(), qint64(2 * 34));

        // A closed index opens its file again when read.
        QVERIFY(index->close().ok());
        QVERIFY((*index->allAbortedTxns() == std::vector<AbortedTxn>{kA, kB}));

        QVERIFY(index->deleteFile().ok());
        QVERIFY(!QFile::exists(QString::fromStdString(third)));
        QVERIFY(index->allAbortedTxns()->empty());
        QVERIFY(index->deleteFile().ok());  // already gone is fine
    }

    void corruptFilesAreReportedWithFileAndPosition_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("position");
        QByteArray good(34, '\0');
        good[33] = 1;  // lastStableOffset 1; every offset 0 otherwise
        QByteArray secondWithVersion1 = good + good;
        secondWithVersion1[35] = 1;
        QTest::newRow("partial entry") << good + QByteArray(1, '\0') << "byte 34";
        QTest::newRow("unknown version") << secondWithVersion1 << "byte 34";
        QTest::newRow("offsets do not increase") << good + good << "byte 34";
    }

    void corruptFilesAreReportedWithFileAndPosition() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, position);
        QTemporaryDir dir;
        const std::string path = dir.filePath("00000000000000000000.txnindex").toStdString();
        writeBytes(path, bytes.toStdString());
        auto index = TransactionIndex::open(path, 0);
        QVERIFY(!index.ok());
        QCOMPARE(index.error().kind, ErrorKind::Corrupt);
        const QString message = QString::fromStdString(index.error().message);
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(position), qPrintable(message));
    }

    void entriesBelowTheSegmentAreCorrupt() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("00000000000000000100.txnindex").toStdString();
        {
            auto index = TransactionIndex::open(path, 0);
            QVERIFY((*index)->append(AbortedTxn{1, 10, 50, 10}).ok());
        }
        auto index = TransactionIndex::open(path, 100);
        QVERIFY(!index.ok());
        QCOMPARE(index.error().kind, ErrorKind::Corrupt);
        QVERIFY(index.error().message.find("byte 0") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TransactionIndexTest)
#include "transactionindex_test.moc"
