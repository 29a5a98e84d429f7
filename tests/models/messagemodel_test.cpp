// Tests of MessageModel against a real partitad: a 100,000-record topic in 3 partitions read from
// the beginning, the end, an offset, a time and a group's offsets, paging both ways, the row cap,
// follow mode, awkward keys and values, and an unknown topic.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "models/clustersession.h"
#include "models/messagemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <set>

using namespace partita;
using namespace partita::models;
using partita::tests::PartitadProcess;

namespace {

const int kRecords = 100000;
const qint64 kBase = 1700000000000;  // record i has timestamp kBase + i, so time order is i order

qint64 offsetOf(const MessageModel& model, int row) {
    return model.index(row, 0).data(MessageModel::OffsetRole).toLongLong();
}
int partitionOf(const MessageModel& model, int row) {
    return model.index(row, 0).data(MessageModel::PartitionRole).toInt();
}
qint64 timeOf(const MessageModel& model, int row) {
    return model.index(row, 0).data(MessageModel::TimestampMsRole).toLongLong();
}
QString cell(const MessageModel& model, int row, int column) {
    return model.index(row, column).data().toString();
}

// Record i went to partition i % 3 at offset i / 3 with key "k<i>": checks every row is that
// record and rows are in time order without duplicates.
QString checkRows(const MessageModel& model) {
    std::set<std::pair<int, qint64>> seen;
    for (int row = 0; row < model.rowCount(); ++row) {
        const int partition = partitionOf(model, row);
        const qint64 offset = offsetOf(model, row);
        const qint64 i = offset * 3 + partition;
        if (cell(model, row, MessageModel::Key) != QStringLiteral("k%1").arg(i))
            return QStringLiteral("row %1: key %2 at %3/%4")
                .arg(row)
                .arg(cell(model, row, MessageModel::Key))
                .arg(partition)
                .arg(offset);
        if (timeOf(model, row) != kBase + i) return QStringLiteral("row %1: timestamp").arg(row);
        if (row > 0 && timeOf(model, row - 1) > timeOf(model, row))
            return QStringLiteral("row %1: out of order").arg(row);
        if (!seen.insert({partition, offset}).second) return QStringLiteral("row %1: duplicate").arg(row);
    }
    return {};
}

}  // namespace

class MessageModelTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY(m_broker->start({"num.partitions=3"}));
        m_session = std::make_unique<ClusterSession>(tests::clientConfig(m_broker->bootstrap()));
        m_session->setRefreshInterval(60000);
        QVERIFY(m_session->admin().has_value());
        for (const char* topic : {"big", "odd", "tail"}) {
            const QString created = tests::createTopic(*m_session->admin(), topic, std::string(topic) == "big" ? 3 : 1);
            QVERIFY2(created.isEmpty(), qPrintable(created));
        }
        auto producer = client::Producer::create(m_session->client());
        QVERIFY(producer.ok());
        for (int i = 0; i < kRecords; ++i) {
            client::ProducerRecord record{.topic = "big",
                                          .partition = i % 3,
                                          .key = "k" + std::to_string(i),
                                          .value = "{\"n\":" + std::to_string(i) + "}",
                                          .headers = {{"h", std::to_string(i)}},
                                          .timestamp = kBase + i};
            Status queued = producer.value()->produce(record);
            while (!queued.ok()) {  // buffer full: let deliveries drain
                QTest::qWait(5);
                queued = producer.value()->produce(record);
            }
        }
        // Awkward keys and values, one record each, in this order.
        std::vector<client::ProducerRecord> odd = {
            {.topic = "odd",
             .partition = 0,
             .key = std::string("\x00\x01\xff", 3),
             .value = std::string("\xc3\x28", 2)},
            {.topic = "odd", .partition = 0, .key = std::string(), .value = std::string()},
            {.topic = "odd",
             .partition = 0,
             .key = std::nullopt,
             .value = std::nullopt,
             .headers = {{"n", std::nullopt}, {"t", "x"}}},
            {.topic = "odd", .partition = 0, .key = "plain", .value = std::string(1000, 'a') + "\nline"},
        };
        for (const auto& record : odd) QVERIFY(producer.value()->produce(record).ok());
        const Status flushed = tests::waitForStatus([&](auto done) { producer.value()->flush(std::move(done)); });
        QVERIFY2(flushed.ok(), flushed.ok() ? "" : flushed.error().message.c_str());
    }

    void cleanupTestCase() {
        m_session.reset();
        m_broker.reset();
    }

    void beginningAndFetchMore() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.setPageSize(600);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.open("big", {}, MessageModel::Start::beginning());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QVERIFY(model.rowCount() >= 600);
        QCOMPARE(model.partitions(), QList<int>({0, 1, 2}));
        QString bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        QCOMPARE(cell(model, 0, MessageModel::Key), QStringLiteral("k0"));
        QCOMPARE(cell(model, 0, MessageModel::Value), QStringLiteral("{\"n\":0}"));
        QCOMPARE(cell(model, 0, MessageModel::HeaderCount), QStringLiteral("1"));
        QCOMPARE(cell(model, 0, MessageModel::TimestampType), QStringLiteral("create"));
        QCOMPARE(cell(model, 0, MessageModel::Codec), QStringLiteral("none"));
        QCOMPARE(model.index(0, MessageModel::Size).data().toLongLong(), qint64(2 + 7 + 1 + 1));

        const int before = model.rowCount();
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        model.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QVERIFY(model.rowCount() >= before + 1200);
        QVERIFY(!inserted.isEmpty());
        QCOMPARE(reset.size(), 1);  // only open() resets
        bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        QVERIFY(model.atBeginning());
    }

    void lastN() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        QSignalSpy end(&model, &MessageModel::reachedEnd);
        model.open("big", {}, MessageModel::Start::last(300));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QCOMPARE(model.rowCount(), 300);
        QVERIFY(model.atEnd());
        QVERIFY(!end.isEmpty());
        const QString bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        // The newest record of all is the last row.
        QCOMPARE(cell(model, 299, MessageModel::Key), QStringLiteral("k%1").arg(kRecords - 1));
        QCOMPARE(cell(model, 0, MessageModel::Key), QStringLiteral("k%1").arg(kRecords - 300));
    }

    void atOffsetOfOnePartition() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.open("big", {1}, MessageModel::Start::offset(1000));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QVERIFY(model.rowCount() >= 500);
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(partitionOf(model, row), 1);
            QCOMPARE(offsetOf(model, row), qint64(1000 + row));
        }
    }

    void atTimestamp() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.open("big", {}, MessageModel::Start::timestamp(kBase + 60000));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QVERIFY(model.rowCount() > 0);
        QCOMPARE(timeOf(model, 0), kBase + 60000);
        QCOMPARE(cell(model, 0, MessageModel::Key), QStringLiteral("k60000"));
        const QString bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }

    void committedOffsetsOfAGroup() {
        client::Admin admin = *m_session->admin();
        std::map<client::TopicPartition, client::OffsetAndMetadata> offsets = {
            {{"big", 0}, {.offset = 100}}, {{"big", 1}, {.offset = 200}}, {{"big", 2}, {.offset = 300}}};
        auto committed = tests::waitFor<std::vector<client::PartitionStatus>>(
            [&](auto done) { admin.alterConsumerGroupOffsets("browser-group", offsets, done); });
        QVERIFY(committed.ok());
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.open("big", {}, MessageModel::Start::committed("browser-group"));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QVERIFY(model.rowCount() > 0);
        std::map<int, qint64> lowest;
        for (int row = 0; row < model.rowCount(); ++row) {
            auto [it, inserted] = lowest.emplace(partitionOf(model, row), offsetOf(model, row));
            if (!inserted) it->second = qMin(it->second, offsetOf(model, row));
        }
        QCOMPARE(lowest[0], qint64(100));
        QCOMPARE(lowest[1], qint64(200));
        QCOMPARE(lowest[2], qint64(300));
    }

    void fetchOlderInsertsAtTheTop() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.setPageSize(300);
        model.open("big", {}, MessageModel::Start::offset(5000));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        const int before = model.rowCount();
        QVERIFY(before > 0);
        const QString oldFirst = cell(model, 0, MessageModel::Key);
        QCOMPARE(oldFirst, QStringLiteral("k15000"));  // offset 5000 of partition 0
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.fetchOlder();
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        // (The tester fetches more at the bottom on its own, as a view would: count only older rows.)
        QVERIFY(model.rowCount() >= before + 300);
        for (int row = 0; row < model.rowCount(); ++row) QCOMPARE(offsetOf(model, row) < 5000, row < 300);
        QVERIFY(!inserted.isEmpty());
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(cell(model, 300, MessageModel::Key), oldFirst);
        for (int p = 0; p < 3; ++p) {
            qint64 lowest = -1;
            for (int row = 0; row < model.rowCount(); ++row)
                if (partitionOf(model, row) == p && (lowest < 0 || offsetOf(model, row) < lowest))
                    lowest = offsetOf(model, row);
            QCOMPARE(lowest, qint64(4900));
        }
        const QString bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }

    void capDropsRowsAtTheFarEnd() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.setPageSize(600);
        model.setMaxRows(1000);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.open("big", {}, MessageModel::Start::beginning());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        for (int i = 0; i < 3; ++i) {
            model.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        }
        QCOMPARE(model.rowCount(), 1000);
        QVERIFY(!removed.isEmpty());
        QVERIFY(cell(model, 0, MessageModel::Key) != QStringLiteral("k0"));
        QVERIFY(!model.atBeginning());
        QString bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        // Going back up drops rows at the bottom instead.
        const QString firstBefore = cell(model, 0, MessageModel::Key);
        model.fetchOlder();
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QCOMPARE(model.rowCount(), 1000);
        QVERIFY(cell(model, 0, MessageModel::Key) != firstBefore);
        bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }

    void byteBudgetDropsRowsLikeTheRowCap() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(900);
        model.setMaxBytes(3000);  // rows of "big" are 15 to 17 bytes: about 180 of them
        model.open("big", {}, MessageModel::Start::beginning());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        qint64 bytes = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            bytes += model.index(row, MessageModel::Size).data().toLongLong();
        QVERIFY2(bytes <= 3000 && bytes > 2900, qPrintable(QString::number(bytes)));
        // The newest rows were kept (dropped from the top), still consecutive per partition.
        const QString bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        QVERIFY(!model.atBeginning());
        QVERIFY(timeOf(model, model.rowCount() - 1) >= kBase + 899);
    }

    void followReceivesNewRecords() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.open("tail", {}, MessageModel::Start::end());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QCOMPARE(model.rowCount(), 0);
        model.setFollow(true);
        QVERIFY(model.isFollowing());
        auto producer = client::Producer::create(m_session->client());
        QVERIFY(producer.ok());
        for (int i = 0; i < 5; ++i)
            QVERIFY(producer.value()->produce({.topic = "tail", .value = "live" + std::to_string(i)}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 5, 30000);
        QCOMPARE(cell(model, 4, MessageModel::Value), QStringLiteral("live4"));
        model.setFollow(false);
        QVERIFY(!model.isFollowing());
    }

    void awkwardKeysAndValues() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.open("odd", {}, MessageModel::Start::beginning());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QCOMPARE(model.rowCount(), 4);
        // Binary and invalid UTF-8: hex.
        QCOMPARE(cell(model, 0, MessageModel::Key), QStringLiteral("00 01 ff"));
        QCOMPARE(cell(model, 0, MessageModel::Value), QStringLiteral("c3 28"));
        QCOMPARE(model.index(0, 0).data(MessageModel::ValueBytesRole).toByteArray(), QByteArray("\xc3\x28", 2));
        // Empty: empty, not null.
        QCOMPARE(cell(model, 1, MessageModel::Key), QString());
        QVERIFY(!model.index(1, 0).data(MessageModel::KeyBytesRole).isNull());
        // Null: "(null)" and a null QVariant; a header with a null value.
        QCOMPARE(cell(model, 2, MessageModel::Key), QStringLiteral("(null)"));
        QCOMPARE(cell(model, 2, MessageModel::Value), QStringLiteral("(null)"));
        QVERIFY(model.index(2, 0).data(MessageModel::ValueBytesRole).isNull());
        const QVariantList headers = model.index(2, 0).data(MessageModel::HeadersRole).toList();
        QCOMPARE(headers.size(), 2);
        QCOMPARE(headers[0].toMap().value("name").toString(), QStringLiteral("n"));
        QVERIFY(headers[0].toMap().value("value").isNull());
        QCOMPARE(headers[1].toMap().value("value").toByteArray(), QByteArray("x"));
        QCOMPARE(cell(model, 2, MessageModel::HeaderCount), QStringLiteral("2"));
        // A long text value: the first 200 characters and an ellipsis, the whole bytes in the role.
        QCOMPARE(cell(model, 3, MessageModel::Value), QString(200, 'a') + QStringLiteral("…"));
        QCOMPARE(model.index(3, 0).data(MessageModel::ValueBytesRole).toByteArray().size(), 1005);
    }

    void searchFindsMatchesInTimeOrderWithCounts() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(&model, &MessageModel::searchFinished);
        QVERIFY(model.search("big", {}, "$.n >= 99990 or key == \"k5\"", {MessageModel::Start::beginning(), -1}));
        QVERIFY(model.inSearchMode());
        QVERIFY(finished.wait(60000));
        const auto& stats = model.searchStats();
        QVERIFY2(stats.error.isEmpty(), qPrintable(stats.error));
        QCOMPARE(stats.scanned, quint64(kRecords));
        QCOMPARE(stats.matched, quint64(11));
        QVERIFY(!stats.cancelled && !stats.limitReached);
        QCOMPARE(model.rowCount(), 11);
        QVERIFY(!model.isSearching() && !model.isLoading());
        QCOMPARE(cell(model, 0, MessageModel::Key), QStringLiteral("k5"));
        for (int row = 1; row < 11; ++row)
            QCOMPARE(cell(model, row, MessageModel::Key), QStringLiteral("k%1").arg(99990 + row - 1));
        const QString bad = checkRows(model);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        QVERIFY(!model.canFetchMore({}));  // a result set, not a window to page
    }

    void searchOfOnePartitionFromATimeUntilATime() {
        MessageModel model(m_session.get());
        QSignalSpy finished(&model, &MessageModel::searchFinished);
        // Records 3000..5999 by time, partition 1 only (i % 3 == 1), that contain a 7.
        QVERIFY(model.search("big", {1}, "value contains \"7\"",
                             {MessageModel::Start::timestamp(kBase + 3000), kBase + 6000}));
        QVERIFY(finished.wait(60000));
        int expected = 0;
        for (int i = 3000; i < 6000; ++i)
            if (i % 3 == 1 && QString::number(i).contains(QLatin1Char('7'))) ++expected;
        QCOMPARE(model.rowCount(), expected);
        QCOMPARE(model.searchStats().scanned, quint64(1000));
        for (int row = 0; row < model.rowCount(); ++row) QCOMPARE(partitionOf(model, row), 1);
    }

    void searchWithoutMatchesAndWithTooMany() {
        MessageModel model(m_session.get());
        QSignalSpy finished(&model, &MessageModel::searchFinished);
        QVERIFY(model.search("big", {}, "/no such thing/i", {MessageModel::Start::beginning(), -1}));
        QVERIFY(finished.wait(60000));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.searchStats().scanned, quint64(kRecords));
        QCOMPARE(model.searchStats().matched, quint64(0));

        model.setMaxRows(250);
        QVERIFY(model.search("big", {}, "$.n exists", {MessageModel::Start::beginning(), -1}));
        QVERIFY(finished.wait(60000));
        QCOMPARE(model.rowCount(), 250);
        QVERIFY(model.searchStats().limitReached);
        QVERIFY(model.lastSearch());  // export runs it again without the limit
    }

    void badSearchExpressionIsRefused() {
        MessageModel model(m_session.get());
        QSignalSpy errors(&model, &MessageModel::errorOccurred);
        int column = 0;
        QVERIFY(!MessageModel::checkExpression("$.n == and", &column).isEmpty());
        QCOMPARE(column, 8);
        QVERIFY(MessageModel::checkExpression("$.n == 3 and key ~ /k1/").isEmpty());
        QVERIFY(!model.search("big", {}, "$.n ==", {MessageModel::Start::beginning(), -1}));
        QCOMPARE(errors.size(), 1);
        QVERIFY(!model.isSearching());
    }

    void unknownTopicIsAnError() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        QSignalSpy errors(&model, &MessageModel::errorOccurred);
        model.open("no-such-topic", {}, MessageModel::Start::beginning());
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 60000);
        QVERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 0);
    }

    // Last: stops the broker. The model reports it and stays usable; nothing hangs.
    void vanishedBrokerIsAnError() {
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.setPageSize(300);
        model.open("big", {}, MessageModel::Start::beginning());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        QSignalSpy errors(&model, &MessageModel::errorOccurred);
        m_broker->kill();
        for (int i = 0; i < 10 && errors.isEmpty(); ++i) {
            model.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 120000);
        }
        QVERIFY(!errors.isEmpty());
        QVERIFY(model.rowCount() >= 300);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    std::unique_ptr<ClusterSession> m_session;
};

QTEST_MAIN(MessageModelTest)
#include "messagemodel_test.moc"
