// Tests of MessageModel over topics the real peer clients wrote to a real partitad: kcat with each
// codec, confluent-kafka-python transactions (committed, aborted, committed, then a plain record)
// read both ways (also one larger than a fetch), and values of 900 KB and 1.5 MB.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/consumerconfig.h"
#include "models/clustersession.h"
#include "models/messagemodel.h"

#include <QAbstractItemModelTester>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>

using namespace partita;
using namespace partita::models;
using partita::tests::PartitadProcess;

namespace {

const QStringList kCodecs = {"gzip", "snappy", "lz4", "zstd"};
const int kPerCodec = 6;
const int kHugeSize = 900 * 1024;

// What kcat sends for message `i` of `codec`: repetitive, so that librdkafka keeps the batch
// compressed (it sends a batch plain when compressing does not make it smaller).
QByteArray kcatKey(const QString& codec, int i) {
    return QStringLiteral("%1-k%2").arg(codec).arg(i).toUtf8();
}
QByteArray kcatValue(const QString& codec, int i) {
    return QStringLiteral("%1 value %2 ").arg(codec).arg(i).repeated(8).trimmed().toUtf8();
}

QString cell(const MessageModel& model, int row, int column) {
    return model.index(row, column).data().toString();
}
QVariant role(const MessageModel& model, int row, int r) {
    return model.index(row, 0).data(r);
}

// The values of the rows, in the model's order.
QStringList values(const MessageModel& model) {
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list << QString::fromUtf8(role(model, row, MessageModel::ValueBytesRole).toByteArray());
    return list;
}

// The transactional topic as confluent-kafka-python leaves it (peer_txn_producer.py).
QStringList committedValues() {
    QStringList list;
    for (int i = 0; i < 10; ++i) list << QStringLiteral("c%1").arg(i);
    return list << QStringLiteral("n0");
}
QStringList allValues() {
    QStringList list;
    for (int i = 0; i < 5; ++i) list << QStringLiteral("c%1").arg(i);
    for (int i = 0; i < 5; ++i) list << QStringLiteral("a%1").arg(i);
    for (int i = 5; i < 10; ++i) list << QStringLiteral("c%1").arg(i);
    return list << QStringLiteral("n0");
}

}  // namespace

class MessageModelPeersTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        // `make test` installs the peers: a missing one is a failure, not a skip.
        m_kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        QVERIFY2(!m_kcat.isEmpty(),
                 "kcat is not installed (Debian package kcat, listed in cmake/debian-packages.txt: run `make deps`)");
        const tests::ToolRun python =
            tests::runTool(QStringLiteral("/usr/bin/python3"), {"-c", "import confluent_kafka"});
        QVERIFY2(python.exitCode == 0,
                 qPrintable("/usr/bin/python3 cannot import confluent_kafka (Debian package python3-confluent-kafka, "
                            "listed in cmake/debian-packages.txt: run `make deps`): " +
                            python.err));

        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        // message.max.bytes above the default (1048588) lets a record outgrow one partition's fetch.
        QVERIFY2(m_broker->start(
                     {"transaction.abort.timed.out.transaction.cleanup.interval.ms=1000", "message.max.bytes=2000000"}),
                 qPrintable(m_broker->output()));
        m_session = std::make_unique<ClusterSession>(tests::clientConfig(m_broker->bootstrap()));
        m_session->setRefreshInterval(60000);
        QVERIFY(m_session->admin().has_value());
        for (const auto& [topic, partitions] : std::map<std::string, int>{
                 {"compressed", int(kCodecs.size())}, {"txn", 1}, {"huge", 1}, {"huger", 1}, {"bigabort", 1}}) {
            const QString created = tests::createTopic(*m_session->admin(), topic, partitions);
            QVERIFY2(created.isEmpty(), qPrintable(created));
        }
    }

    void cleanupTestCase() {
        m_session.reset();
        m_broker.reset();
    }

    // kcat -z <codec> to partition <n> of "compressed": every message with its key, value,
    // headers, size and the codec it travelled in.
    void compressedByKcat() {
        for (int p = 0; p < kCodecs.size(); ++p) {
            const QString& codec = kCodecs[p];
            QByteArray lines;
            for (int i = 0; i < kPerCodec; ++i) lines += kcatKey(codec, i) + ":" + kcatValue(codec, i) + "\n";
            // One batch for all lines, so that the batch is large enough to be compressed.
            const tests::ToolRun run =
                tests::runTool(m_kcat,
                               {"-P", "-b", m_broker->bootstrap(), "-t", "compressed", "-p", QString::number(p), "-K",
                                ":", "-z", codec, "-H", "source=kcat", "-H", "codec=" + codec, "-X", "linger.ms=200"},
                               lines);
            QVERIFY2(run.exitCode == 0, qPrintable("kcat -z " + codec + ": " + run.err));
        }

        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.open("compressed", {}, MessageModel::Start::beginning());
        const int expected = int(kCodecs.size()) * kPerCodec;
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.rowCount() >= expected, 60000);
        QCOMPARE(model.rowCount(), expected);

        // Rows are in time order over all partitions; within one partition, in offset order.
        std::map<int, int> seen;
        for (int row = 0; row < model.rowCount(); ++row) {
            const int partition = role(model, row, MessageModel::PartitionRole).toInt();
            QVERIFY(partition >= 0 && partition < kCodecs.size());
            const QString& codec = kCodecs[partition];
            const int i = seen[partition]++;
            QCOMPARE(role(model, row, MessageModel::OffsetRole).toLongLong(), qint64(i));
            QCOMPARE(cell(model, row, MessageModel::Codec), codec);
            QCOMPARE(role(model, row, MessageModel::KeyBytesRole).toByteArray(), kcatKey(codec, i));
            QCOMPARE(role(model, row, MessageModel::ValueBytesRole).toByteArray(), kcatValue(codec, i));
            QCOMPARE(cell(model, row, MessageModel::Key), QString::fromUtf8(kcatKey(codec, i)));
            QCOMPARE(cell(model, row, MessageModel::Value), QString::fromUtf8(kcatValue(codec, i)));
            QCOMPARE(cell(model, row, MessageModel::HeaderCount), QStringLiteral("2"));
            const QVariantList headers = role(model, row, MessageModel::HeadersRole).toList();
            QCOMPARE(headers.size(), 2);
            QCOMPARE(headers[0].toMap().value("name").toString(), QStringLiteral("source"));
            QCOMPARE(headers[0].toMap().value("value").toByteArray(), QByteArray("kcat"));
            QCOMPARE(headers[1].toMap().value("name").toString(), QStringLiteral("codec"));
            QCOMPARE(headers[1].toMap().value("value").toByteArray(), codec.toUtf8());
            // Size: key, value and the headers' names and values.
            const qint64 size = kcatKey(codec, i).size() + kcatValue(codec, i).size() + 6 + 4 + 5 + codec.size();
            QCOMPARE(model.index(row, MessageModel::Size).data().toLongLong(), size);
            QVERIFY(!role(model, row, MessageModel::IsTransactionalRole).toBool());
            QVERIFY(!role(model, row, MessageModel::AbortedRole).toBool());
        }
        for (int p = 0; p < kCodecs.size(); ++p) QCOMPARE(seen[p], kPerCodec);
    }

    // read_committed: c0..c9 and n0 in order, the aborted transaction and the markers hidden.
    void transactionsReadCommitted_data() { pageSizes(); }
    void transactionsReadCommitted() {
        QFETCH(int, pageSize);
        QVERIFY(produceTransactions());
        MessageModel model(m_session.get());
        model.setPageSize(pageSize);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.setIsolation(client::IsolationLevel::ReadCommitted);
        model.open("txn", {}, MessageModel::Start::beginning());
        const QStringList expected = committedValues();
        QVERIFY(loadAll(model));
        QVERIFY(noMoreRows(model));
        QCOMPARE(values(model), expected);
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString value = expected[row];
            QCOMPARE(role(model, row, MessageModel::KeyBytesRole).toByteArray(), ("k-" + value).toUtf8());
            QCOMPARE(role(model, row, MessageModel::IsTransactionalRole).toBool(), value.startsWith('c'));
            QVERIFY(!role(model, row, MessageModel::AbortedRole).toBool());
        }
        // The offsets skip the markers and the aborted records: c0..c4 at 0..4, a commit marker at
        // 5, a0..a4 at 6..10, an abort marker at 11, c5..c9 at 12..16, a commit marker at 17.
        QCOMPARE(role(model, 0, MessageModel::OffsetRole).toLongLong(), qint64(0));
        QCOMPARE(role(model, 5, MessageModel::OffsetRole).toLongLong(), qint64(12));
        QCOMPARE(role(model, 10, MessageModel::OffsetRole).toLongLong(), qint64(18));
    }

    // read_uncommitted: everything but the markers, the aborted five marked.
    void transactionsReadUncommitted_data() { pageSizes(); }
    void transactionsReadUncommitted() {
        QFETCH(int, pageSize);
        QVERIFY(produceTransactions());
        MessageModel model(m_session.get());
        model.setPageSize(pageSize);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.setIsolation(client::IsolationLevel::ReadUncommitted);
        model.open("txn", {}, MessageModel::Start::beginning());
        const QStringList expected = allValues();
        QVERIFY(loadAll(model));
        QVERIFY(noMoreRows(model));
        QCOMPARE(values(model), expected);
        QStringList aborted;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString value = expected[row];
            QCOMPARE(role(model, row, MessageModel::KeyBytesRole).toByteArray(), ("k-" + value).toUtf8());
            QCOMPARE(role(model, row, MessageModel::IsTransactionalRole).toBool(), !value.startsWith('n'));
            if (role(model, row, MessageModel::AbortedRole).toBool()) aborted << value;
        }
        QCOMPARE(role(model, 15, MessageModel::OffsetRole).toLongLong(), qint64(18));
        QCOMPARE(aborted, QStringList({"a0", "a1", "a2", "a3", "a4"}));
    }

    // A 900 KB and a 1.5 MB value from confluent-kafka-python: the whole value behind the row, a short preview.
    // An aborted transaction larger than one fetch, then a committed record: read_committed must
    // read past fetches that bring nothing but aborted batches instead of taking them for the end.
    void largeAbortedTransaction_data() {
        QTest::addColumn<bool>("committed");
        QTest::newRow("read_committed") << true;
        QTest::newRow("read_uncommitted") << false;
    }
    void largeAbortedTransaction() {
        QFETCH(bool, committed);
        if (!m_bigAbortProduced) {
            const tests::ToolRun run = tests::runTool(
                QStringLiteral("/usr/bin/python3"),
                {QStringLiteral(PARTITA_PEER_TXN_PRODUCER), m_broker->bootstrap(), "bigabort", "bigabort"});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            m_bigAbortProduced = true;
        }
        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.setIsolation(committed ? client::IsolationLevel::ReadCommitted : client::IsolationLevel::ReadUncommitted);
        model.open("bigabort", {}, MessageModel::Start::beginning());
        QVERIFY(loadAll(model));
        QVERIFY(noMoreRows(model));
        QStringList shown;
        for (const QString& value : values(model)) shown << value.left(4);
        // read_committed: a fetch that only passes over aborted batches is not the end.
        QCOMPARE(shown, committed ? QStringList({"afte"}) : QStringList({"big0", "big1", "big2", "afte"}));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(role(model, row, MessageModel::AbortedRole).toBool(), shown[row] != QStringLiteral("afte"));
    }

    void hugeValue_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<QString>("topic");
        QTest::newRow("900 KB") << kHugeSize << "huge";
        // Above the consumer's max.partition.fetch.bytes (1 MiB): the broker must still send the
        // batch whole (KIP-74) and the model must show it.
        QTest::newRow("1.5 MB") << 1536 * 1024 << "huger";
    }
    void hugeValue() {
        QFETCH(int, size);
        QFETCH(QString, topic);
        const tests::ToolRun run = tests::runTool(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(PARTITA_PEER_TXN_PRODUCER), m_broker->bootstrap(), "huge", topic, QString::number(size)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        MessageModel model(m_session.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &MessageModel::errorOccurred, this,
                [](const QString& e) { qWarning() << "model error:" << e; });
        model.open(topic, {}, MessageModel::Start::beginning());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.rowCount() >= 1, 60000);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(role(model, 0, MessageModel::KeyBytesRole).toByteArray(), QByteArray("huge"));
        const QByteArray value = role(model, 0, MessageModel::ValueBytesRole).toByteArray();
        QCOMPARE(value.size(), qsizetype(size));
        QCOMPARE(value.left(26), QByteArray("abcdefghijklmnopqrstuvwxyz"));
        QCOMPARE(value.at(size - 1), char('a' + (size - 1) % 26));
        QCOMPARE(model.index(0, MessageModel::Size).data().toLongLong(), qint64(4 + size));
        const QString preview = cell(model, 0, MessageModel::Value);
        QVERIFY2(preview.size() <= 210, qPrintable(QString::number(preview.size())));
        QVERIFY(preview.startsWith(QStringLiteral("abcdefghijklmnopqrstuvwxyz")));
        QVERIFY(preview.endsWith(QStringLiteral("…")));
    }

private:
    // One page for everything, and pages that end inside and next to the transactions.
    static void pageSizes() {
        QTest::addColumn<int>("pageSize");
        QTest::newRow("one page") << 500;
        QTest::newRow("pages of 3") << 3;
        QTest::newRow("pages of 5") << 5;
    }

    // Opens pages with fetchMore() until the model says it reached the end.
    static bool loadAll(MessageModel& model) {
        for (int pages = 0; pages < 100; ++pages) {
            if (!QTest::qWaitFor([&] { return !model.isLoading(); }, 60000)) return false;
            if (model.atEnd() || !model.canFetchMore({})) return true;
            model.fetchMore({});
        }
        return false;
    }

    // Runs peer_txn_producer.py once for the "txn" topic.
    bool produceTransactions() {
        if (m_transactionsProduced) return true;
        const tests::ToolRun run =
            tests::runTool(QStringLiteral("/usr/bin/python3"),
                           {QStringLiteral(PARTITA_PEER_TXN_PRODUCER), m_broker->bootstrap(), "transactions", "txn"});
        if (run.exitCode != 0) {
            qWarning("peer_txn_producer.py failed (%d): %s", run.exitCode, qPrintable(run.err));
            return false;
        }
        m_transactionsProduced = true;
        return true;
    }

    // Asks the model for more after it loaded everything: nothing (no marker) may turn up.
    static bool noMoreRows(MessageModel& model) {
        const int before = model.rowCount();
        if (model.canFetchMore({})) {
            model.fetchMore({});
            if (!QTest::qWaitFor([&] { return !model.isLoading(); }, 30000)) return false;
        }
        QTest::qWait(200);
        if (model.rowCount() != before) qWarning("%d rows after fetchMore, %d before", model.rowCount(), before);
        return model.rowCount() == before;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    std::unique_ptr<ClusterSession> m_session;
    QString m_kcat;
    bool m_transactionsProduced = false;
    bool m_bigAbortProduced = false;
};

QTEST_MAIN(MessageModelPeersTest)
#include "messagemodel_peers_test.moc"
