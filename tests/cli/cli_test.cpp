// partita-cli as a user runs it, against a real partitad, with kcat and confluent-kafka-python as peers.
#include "partitadprocess.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using partita::tests::PartitadProcess;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    qint64 elapsedMs = 0;
};

Run runProgram(const QString& program, const QStringList& arguments, const QByteArray& input = {},
               const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(environment);
    QElapsedTimer timer;
    timer.start();
    p.start(program, arguments);
    if (!p.waitForStarted(10000)) return {-1, {}, "cannot start " + program, 0};
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
    }
    Run run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    run.elapsedMs = timer.elapsed();
    return run;
}

QString describe(const Run& run) {
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(run.exitCode)
        .arg(run.out.left(2000), run.err.left(2000));
}

QJsonArray jsonArray(const QString& text) {
    return QJsonDocument::fromJson(text.toUtf8()).array();
}

QJsonObject jsonObject(const QString& text) {
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// One JSON object per line (consume --json).
QList<QJsonObject> jsonLines(const QString& text) {
    QList<QJsonObject> out;
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts))
        out << QJsonDocument::fromJson(line.toUtf8()).object();
    return out;
}

QStringList sortedLines(const QString& text) {
    QStringList lines = text.split('\n', Qt::SkipEmptyParts);
    lines.sort();
    return lines;
}

// "key<i % 7>:value<i>" lines.
QByteArray keyedLines(int count) {
    QByteArray input;
    for (int i = 0; i < count; ++i)
        input += "key" + QByteArray::number(i % 7) + ":value" + QByteArray::number(i) + "\n";
    return input;
}

int freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Commits fixed offsets for a group as a confluent-kafka-python consumer that joined it, then
// leaves (the group is Empty afterwards).
const char* kCommitScript = R"PY(
import sys
from confluent_kafka import Consumer, TopicPartition
bs, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
offsets = [TopicPartition(topic, int(p), int(o)) for p, o in (a.split('=') for a in sys.argv[4:])]
c = Consumer({'bootstrap.servers': bs, 'group.id': group, 'auto.offset.reset': 'earliest',
              'enable.auto.commit': False, 'session.timeout.ms': 6000})
c.subscribe([topic])
for _ in range(60):
    c.poll(0.5)
    if c.assignment():
        break
if not c.assignment():
    sys.exit("no assignment")
c.commit(offsets=offsets, asynchronous=False)
c.close()
)PY";

// One committed, one aborted, one committed transaction of a confluent-kafka-python producer.
const char* kTransactionScript = R"PY(
import sys
from confluent_kafka import Producer
bs, topic = sys.argv[1], sys.argv[2]
p = Producer({'bootstrap.servers': bs, 'transactional.id': 'cli-test-txn'})
p.init_transactions(30)
for value, commit in ((b'committed-1', True), (b'aborted-1', False), (b'committed-2', True)):
    p.begin_transaction()
    p.produce(topic, value, partition=0)
    p.flush(30)
    if commit:
        p.commit_transaction(30)
    else:
        p.abort_transaction(30)
)PY";

}  // namespace

class TestPartitaCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;

    Run cli(const QStringList& arguments, const QByteArray& input = {}) {
        return runProgram(QStringLiteral(PARTITA_CLI_BINARY), QStringList{"-b", m_broker->bootstrap()} + arguments,
                          input);
    }

    Run kcat(const QStringList& arguments, const QByteArray& input = {}) {
        return runProgram(QStandardPaths::findExecutable("kcat"), QStringList{"-b", m_broker->bootstrap()} + arguments,
                          input);
    }

    void createTopic(const QString& name, int partitions) {
        auto run = cli({"topics", "create", name, "--partitions", QString::number(partitions)});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    }

    QJsonObject lag(const QString& group) {
        auto run = cli({"groups", "lag", group, "--json"});
        if (run.exitCode != 0) qWarning("%s", qPrintable(describe(run)));
        return jsonObject(run.out);
    }

    static QMap<int, qint64> committedByPartition(const QJsonObject& lag) {
        QMap<int, qint64> out;
        for (const auto& p : lag["partitions"].toArray())
            out[p.toObject()["partition"].toInt()] = p.toObject()["committed"].toInteger(-1);
        return out;
    }

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing: run `make deps`");
        QVERIFY2(m_dir.isValid(), "temporary directory");
        m_broker = std::make_unique<PartitadProcess>(m_dir.path() + "/broker");
        QVERIFY2(m_broker->start(
                     {"num.partitions=3", "group.initial.rebalance.delay.ms=0", "group.min.session.timeout.ms=1000"}),
                 qPrintable(m_broker->output()));
    }

    void cleanupTestCase() {
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    void clusterShowsTheBroker() {
        auto human = cli({"cluster"});
        QVERIFY2(human.exitCode == 0, qPrintable(describe(human)));
        QVERIFY2(human.out.contains(QStringLiteral("localhost:%1").arg(m_broker->port())), qPrintable(human.out));

        auto json = cli({"cluster", "--json"});
        QVERIFY2(json.exitCode == 0, qPrintable(describe(json)));
        auto cluster = jsonObject(json.out);
        QVERIFY(!cluster["cluster_id"].toString().isEmpty());
        QCOMPARE(cluster["controller"].toInt(), 1);
        auto brokers = cluster["brokers"].toArray();
        QCOMPARE(brokers.size(), 1);
        QCOMPARE(brokers[0].toObject()["id"].toInt(), 1);
        QCOMPARE(brokers[0].toObject()["port"].toInt(), m_broker->port());
        QCOMPARE(brokers[0].toObject()["controller"].toBool(), true);
    }

    void topicsCreateListDescribeDelete() {
        auto created = cli({"topics", "create", "orders", "--partitions", "4", "--replication-factor", "1", "--config",
                            "retention.ms=3600000"});
        QVERIFY2(created.exitCode == 0, qPrintable(describe(created)));
        QVERIFY2(created.out.contains("Created topic orders"), qPrintable(created.out));

        auto again = cli({"topics", "create", "orders", "--partitions", "4"});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("TOPIC_ALREADY_EXISTS"), qPrintable(again.err));
        QCOMPARE(cli({"topics", "create", "orders", "--partitions", "4", "--if-not-exists"}).exitCode, 0);

        auto listed = cli({"topics", "list"});
        QVERIFY2(listed.exitCode == 0, qPrintable(describe(listed)));
        QVERIFY2(listed.out.split('\n').contains("orders"), qPrintable(listed.out));

        auto listedJson = cli({"topics", "list", "--json"});
        QVERIFY2(listedJson.exitCode == 0, qPrintable(describe(listedJson)));
        bool found = false;
        for (const auto& t : jsonArray(listedJson.out)) {
            if (t.toObject()["name"].toString() != "orders") continue;
            found = true;
            QCOMPARE(t.toObject()["partitions"].toInt(), 4);
            QCOMPARE(t.toObject()["internal"].toBool(), false);
        }
        QVERIFY2(found, qPrintable(listedJson.out));

        auto human = cli({"topics", "describe", "orders"});
        QVERIFY2(human.exitCode == 0, qPrintable(describe(human)));
        QVERIFY2(human.out.contains("PartitionCount: 4"), qPrintable(human.out));
        QVERIFY2(human.out.contains("retention.ms=3600000"), qPrintable(human.out));
        QCOMPARE(human.out.count("Leader: 1"), 4);

        auto described = cli({"topics", "describe", "orders", "--json"});
        QVERIFY2(described.exitCode == 0, qPrintable(describe(described)));
        auto topics = jsonArray(described.out);
        QCOMPARE(topics.size(), 1);
        auto topic = topics[0].toObject();
        QCOMPARE(topic["name"].toString(), QString("orders"));
        QCOMPARE(topic["replication_factor"].toInt(), 1);
        auto partitions = topic["partitions"].toArray();
        QCOMPARE(partitions.size(), 4);
        for (int i = 0; i < 4; ++i) {
            auto p = partitions[i].toObject();
            QCOMPARE(p["partition"].toInt(), i);
            QCOMPARE(p["leader"].toInt(), 1);
            QCOMPARE(p["replicas"].toArray(), QJsonArray{1});
            QCOMPARE(p["isr"].toArray(), QJsonArray{1});
            QCOMPARE(p["offline"].toArray(), QJsonArray{});
        }
        QCOMPARE(topic["configs"].toObject()["retention.ms"].toString(), QString("3600000"));

        auto deleted = cli({"topics", "delete", "orders"});
        QVERIFY2(deleted.exitCode == 0, qPrintable(describe(deleted)));
        QVERIFY(!cli({"topics", "list"}).out.split('\n').contains("orders"));
        auto missing = cli({"topics", "delete", "orders"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("orders") && missing.err.contains("UNKNOWN_TOPIC_OR_PARTITION"),
                 qPrintable(missing.err));
        QCOMPARE(cli({"topics", "delete", "orders", "--if-exists"}).exitCode, 0);
        auto gone = cli({"topics", "describe", "orders"});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY2(gone.err.contains("orders"), qPrintable(gone.err));
    }

    void topicsAlterAddsPartitionsAndConfigs() {
        createTopic("growing", 2);
        auto altered = cli({"topics", "alter", "growing", "--partitions", "5", "--config", "segment.ms=600000"});
        QVERIFY2(altered.exitCode == 0, qPrintable(describe(altered)));
        auto topic = jsonArray(cli({"topics", "describe", "growing", "--json"}).out)[0].toObject();
        QCOMPARE(topic["partitions"].toArray().size(), 5);
        QCOMPARE(topic["configs"].toObject()["segment.ms"].toString(), QString("600000"));

        QVERIFY(cli({"topics", "alter", "growing", "--delete-config", "segment.ms"}).exitCode == 0);
        topic = jsonArray(cli({"topics", "describe", "growing", "--json"}).out)[0].toObject();
        QVERIFY2(!topic["configs"].toObject().contains("segment.ms"), qPrintable(QJsonDocument(topic).toJson()));

        auto shrink = cli({"topics", "alter", "growing", "--partitions", "3"});
        QCOMPARE(shrink.exitCode, 1);
        QVERIFY2(shrink.err.contains("growing"), qPrintable(shrink.err));
    }

    void configsAlterThenDescribeShowsIt() {
        createTopic("configured", 1);
        auto altered = cli({"configs", "alter", "--topic", "configured", "--set", "retention.ms=123456", "--set",
                            "cleanup.policy=compact"});
        QVERIFY2(altered.exitCode == 0, qPrintable(describe(altered)));

        auto described = cli({"configs", "describe", "--topic", "configured", "--json"});
        QVERIFY2(described.exitCode == 0, qPrintable(describe(described)));
        QMap<QString, QJsonObject> entries;
        for (const auto& e : jsonObject(described.out)["configs"].toArray())
            entries[e.toObject()["name"].toString()] = e.toObject();
        QCOMPARE(entries["retention.ms"]["value"].toString(), QString("123456"));
        QCOMPARE(entries["retention.ms"]["source"].toString(), QString("DYNAMIC_TOPIC_CONFIG"));
        QCOMPARE(entries["cleanup.policy"]["value"].toString(), QString("compact"));
        QVERIFY2(!entries.contains("segment.bytes"), "defaults are shown only with --all");

        auto human = cli({"configs", "describe", "--topic", "configured"});
        QVERIFY2(human.out.contains("retention.ms") && human.out.contains("123456"), qPrintable(human.out));
        auto all = cli({"configs", "describe", "--topic", "configured", "--all", "--json"});
        bool hasDefault = false;
        for (const auto& e : jsonObject(all.out)["configs"].toArray())
            hasDefault |= e.toObject()["name"] == "segment.bytes";
        QVERIFY2(hasDefault, qPrintable(all.out.left(500)));

        // Incremental: deleting one key keeps the other.
        QCOMPARE(cli({"configs", "alter", "--topic", "configured", "--delete", "retention.ms"}).exitCode, 0);
        entries.clear();
        for (const auto& e :
             jsonObject(cli({"configs", "describe", "--topic", "configured", "--json"}).out)["configs"].toArray())
            entries[e.toObject()["name"].toString()] = e.toObject();
        QVERIFY(!entries.contains("retention.ms"));
        QCOMPARE(entries["cleanup.policy"]["value"].toString(), QString("compact"));

        auto broker = cli({"configs", "describe", "--broker", "1", "--json"});
        QVERIFY2(broker.exitCode == 0, qPrintable(describe(broker)));
        bool hasNumPartitions = false;
        for (const auto& e : jsonObject(broker.out)["configs"].toArray())
            hasNumPartitions |= e.toObject()["name"] == "num.partitions" && e.toObject()["value"] == "3";
        QVERIFY2(hasNumPartitions, qPrintable(broker.out.left(1000)));

        // Dynamic broker configs: a cluster-wide default, seen from broker 1 with its source.
        auto setDefault = cli({"configs", "alter", "--broker-defaults", "--set", "log.retention.ms=7200000"});
        QVERIFY2(setDefault.exitCode == 0, qPrintable(describe(setDefault)));
        auto defaults = cli({"configs", "describe", "--broker-defaults", "--json"});
        QVERIFY2(defaults.out.contains("7200000"), qPrintable(describe(defaults)));
        bool seenOnBroker = false;
        for (const auto& e :
             jsonObject(cli({"configs", "describe", "--broker", "1", "--json"}).out)["configs"].toArray())
            seenOnBroker |= e.toObject()["name"] == "log.retention.ms" && e.toObject()["value"] == "7200000";
        QVERIFY(seenOnBroker);
        QCOMPARE(cli({"configs", "describe", "--broker", "1", "--broker-defaults"}).exitCode, 2);

        auto bad = cli({"configs", "alter", "--topic", "configured", "--set", "no.such.config=1"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("configured"), qPrintable(bad.err));
    }

    void producedKeysAndHeadersComeBackInOrderPerPartition() {
        createTopic("keyed", 3);
        const QByteArray input = keyedLines(1000);
        auto produced = cli({"produce", "keyed", "-K", ":", "-H", "source=cli", "-H", "run=1"}, input);
        QVERIFY2(produced.exitCode == 0, qPrintable(describe(produced)));
        QVERIFY2(produced.out.contains("Produced 1000 messages"), qPrintable(produced.out));

        auto consumed = cli({"consume", "keyed", "-o", "beginning", "-c", "1000", "--json"});
        QVERIFY2(consumed.exitCode == 0, qPrintable(describe(consumed)));
        const auto records = jsonLines(consumed.out);
        QCOMPARE(records.size(), 1000);
        QMap<int, qint64> lastOffset;
        QMap<int, int> lastIndex;
        QMap<QString, int> partitionOfKey;
        QSet<int> seen;
        for (const auto& r : records) {
            QCOMPARE(r["topic"].toString(), QString("keyed"));
            const int partition = r["partition"].toInt();
            const qint64 offset = r["offset"].toInteger();
            const QString key = r["key"].toString();
            const QString value = r["value"].toString();
            QVERIFY2(value.startsWith("value"), qPrintable(value));
            const int index = value.mid(5).toInt();
            QCOMPARE(key, QStringLiteral("key%1").arg(index % 7));
            // In order within a partition: offsets and the input order both increase.
            if (lastOffset.contains(partition)) {
                QVERIFY(offset > lastOffset[partition]);
                QVERIFY2(index > lastIndex[partition],
                         qPrintable(QStringLiteral("%1 after %2").arg(index).arg(lastIndex[partition])));
            }
            lastOffset[partition] = offset;
            lastIndex[partition] = index;
            // One key, one partition.
            if (partitionOfKey.contains(key)) QCOMPARE(partitionOfKey[key], partition);
            partitionOfKey[key] = partition;
            seen.insert(index);
            const auto headers = r["headers"].toArray();
            QCOMPARE(headers.size(), 2);
            QCOMPARE(headers[0].toObject()["key"].toString(), QString("source"));
            QCOMPARE(headers[0].toObject()["value"].toString(), QString("cli"));
            QCOMPARE(headers[1].toObject()["key"].toString(), QString("run"));
            QCOMPARE(headers[1].toObject()["value"].toString(), QString("1"));
            QVERIFY(r["timestamp"].toInteger() > 0);
        }
        QCOMPARE(seen.size(), 1000);
        QVERIFY2(lastOffset.size() > 1, "seven keys spread over more than one partition");
    }

    void kcatReadsWhatPartitaProduced() {
        createTopic("to-kcat", 3);
        const QByteArray input = keyedLines(300);
        auto produced = cli({"produce", "to-kcat", "-K", ":", "-z", "zstd"}, input);
        QVERIFY2(produced.exitCode == 0, qPrintable(describe(produced)));
        auto read = kcat({"-C", "-t", "to-kcat", "-e", "-q", "-f", "%k:%s\\n"});
        QVERIFY2(read.exitCode == 0, qPrintable(describe(read)));
        QCOMPARE(sortedLines(read.out), sortedLines(QString::fromUtf8(input)));
    }

    void partitaReadsWhatKcatProduced() {
        createTopic("from-kcat", 2);
        const QByteArray input = keyedLines(300);
        auto produced = kcat({"-P", "-t", "from-kcat", "-z", "lz4", "-K:"}, input);
        QVERIFY2(produced.exitCode == 0, qPrintable(describe(produced)));
        auto read = cli({"consume", "from-kcat", "--format", "%k:%s\\n"});
        QVERIFY2(read.exitCode == 0, qPrintable(describe(read)));
        QCOMPARE(sortedLines(read.out), sortedLines(QString::fromUtf8(input)));

        // The default output is the value alone, one per line.
        auto values = cli({"consume", "from-kcat", "-p", "0", "-p", "1"});
        QCOMPARE(values.out.split('\n', Qt::SkipEmptyParts).size(), 300);
        QVERIFY(values.out.split('\n', Qt::SkipEmptyParts).contains("value299"));
    }

    void consumeFromEndMinusFive() {
        createTopic("tail", 1);
        QByteArray input;
        for (int i = 0; i < 50; ++i) input += "line" + QByteArray::number(i) + "\n";
        QCOMPARE(cli({"produce", "tail"}, input).exitCode, 0);
        auto last = cli({"consume", "tail", "-o", "-5"});
        QVERIFY2(last.exitCode == 0, qPrintable(describe(last)));
        QCOMPARE(last.out.split('\n', Qt::SkipEmptyParts),
                 (QStringList{"line45", "line46", "line47", "line48", "line49"}));

        auto fromOffset = cli({"consume", "tail", "-o", "48", "--format", "%o=%s\\n"});
        QCOMPARE(fromOffset.out, QString("48=line48\n49=line49\n"));
        QCOMPARE(cli({"consume", "tail", "-o", "end"}).out, QString());
        QCOMPARE(cli({"consume", "tail", "-c", "2"}).out, QString("line0\nline1\n"));
    }

    void consumeFromTimestamp() {
        createTopic("timed", 2);
        QCOMPARE(cli({"produce", "timed"}, "old1\nold2\n").exitCode, 0);
        QThread::msleep(50);
        const qint64 cut = QDateTime::currentMSecsSinceEpoch();
        QThread::msleep(50);
        QCOMPARE(cli({"produce", "timed"}, "new1\nnew2\n").exitCode, 0);
        auto run = cli({"consume", "timed", "-o", "@" + QString::number(cut)});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(sortedLines(run.out), (QStringList{"new1", "new2"}));
    }

    void followWaitsForNewRecords() {
        createTopic("live", 1);
        QProcess follower;
        follower.start(QStringLiteral(PARTITA_CLI_BINARY),
                       {"-b", m_broker->bootstrap(), "consume", "live", "-f", "-c", "3"});
        QVERIFY(follower.waitForStarted());
        QVERIFY2(!follower.waitForFinished(1500), "it waits for records instead of stopping at the end");
        QCOMPARE(cli({"produce", "live"}, "one\ntwo\nthree\nfour\n").exitCode, 0);
        QVERIFY(follower.waitForFinished(30000));
        QCOMPARE(follower.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(follower.readAllStandardOutput()), QString("one\ntwo\nthree\n"));

        // SIGTERM ends a follow cleanly, after printing what it had.
        QProcess endless;
        endless.start(QStringLiteral(PARTITA_CLI_BINARY), {"-b", m_broker->bootstrap(), "consume", "live", "-f"});
        QVERIFY(endless.waitForStarted());
        QByteArray seen;
        QDeadlineTimer deadline(30000);
        while (seen.count('\n') < 4 && !deadline.hasExpired()) {
            endless.waitForReadyRead(200);
            seen += endless.readAllStandardOutput();
        }
        QCOMPARE(seen, QByteArray("one\ntwo\nthree\nfour\n"));
        endless.terminate();
        QVERIFY(endless.waitForFinished(30000));
        QCOMPARE(endless.exitStatus(), QProcess::NormalExit);
        QCOMPARE(endless.exitCode(), 0);
    }

    void readCommittedHidesAbortedTransactions() {
        createTopic("txn", 1);
        const QString script = m_dir.path() + "/txn.py";
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(kTransactionScript);
        }
        auto produced = runProgram("/usr/bin/python3", {script, m_broker->bootstrap(), "txn"});
        QVERIFY2(produced.exitCode == 0, qPrintable(describe(produced)));
        auto committed = cli({"consume", "txn", "--isolation", "read_committed"});
        QVERIFY2(committed.exitCode == 0, qPrintable(describe(committed)));
        QCOMPARE(committed.out, QString("committed-1\ncommitted-2\n"));
        auto everything = cli({"consume", "txn"});
        QCOMPARE(everything.out, QString("committed-1\naborted-1\ncommitted-2\n"));
        QCOMPARE(cli({"consume", "txn", "--isolation", "serializable"}).exitCode, 2);
    }

    void consumeJsonEncodesBinaryValuesAsBase64() {
        createTopic("binary", 1);
        QCOMPARE(kcat({"-P", "-t", "binary", "-K:"}, QByteArray("k:\xff\xfe\x01 binary\nk2:caf\xc3\xa9\n")).exitCode,
                 0);
        auto read = cli({"consume", "binary", "--json"});
        QVERIFY2(read.exitCode == 0, qPrintable(describe(read)));
        auto records = jsonLines(read.out);
        QCOMPARE(records.size(), 2);
        QCOMPARE(records[0]["value_encoding"].toString(), QString("base64"));
        QCOMPARE(QByteArray::fromBase64(records[0]["value"].toString().toLatin1()), QByteArray("\xff\xfe\x01 binary"));
        QVERIFY(!records[1].contains("value_encoding"));
        QCOMPARE(records[1]["value"].toString(), QString::fromUtf8("caf\xc3\xa9"));
    }

    void groupLagAndResetOffsets() {
        createTopic("lagging", 2);
        // 500 records in each partition, so the expected lag is exact.
        QByteArray even, odd;
        for (int i = 0; i < 1000; ++i) (i % 2 ? odd : even) += "v" + QByteArray::number(i) + "\n";
        QCOMPARE(cli({"produce", "lagging", "-p", "0"}, even).exitCode, 0);
        QCOMPARE(cli({"produce", "lagging", "-p", "1"}, odd).exitCode, 0);

        const QString script = m_dir.path() + "/commit.py";
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(kCommitScript);
        }
        auto committed =
            runProgram("/usr/bin/python3", {script, m_broker->bootstrap(), "lagging", "laggards", "0=100", "1=50"});
        QVERIFY2(committed.exitCode == 0, qPrintable(describe(committed)));

        auto before = lag("laggards");
        QCOMPARE(before["state"].toString(), QString("Empty"));
        QCOMPARE(before["total_lag"].toInteger(), qint64(1000 - 150));
        QCOMPARE(committedByPartition(before), (QMap<int, qint64>{{0, 100}, {1, 50}}));
        for (const auto& p : before["partitions"].toArray()) {
            QCOMPARE(p.toObject()["end"].toInteger(), qint64(500));
            QCOMPARE(p.toObject()["lag"].toInteger(), 500 - p.toObject()["committed"].toInteger());
        }
        auto human = cli({"groups", "lag", "laggards"});
        QVERIFY2(human.out.contains("LOG-END-OFFSET") && human.out.contains("850"), qPrintable(human.out));

        // A dry run prints the plan and changes nothing.
        auto plan = cli({"groups", "reset-offsets", "laggards", "--all-topics", "--to-earliest"});
        QVERIFY2(plan.exitCode == 0, qPrintable(describe(plan)));
        QVERIFY2(plan.out.contains("NEW-OFFSET"), qPrintable(plan.out));
        auto planJson = jsonObject(
            cli({"groups", "reset-offsets", "laggards", "--topic", "lagging", "--to-earliest", "--json"}).out);
        QCOMPARE(planJson["executed"].toBool(), false);
        for (const auto& p : planJson["partitions"].toArray()) QCOMPARE(p.toObject()["new"].toInteger(), qint64(0));
        QCOMPARE(lag("laggards")["total_lag"].toInteger(), qint64(850));

        auto executed = cli({"groups", "reset-offsets", "laggards", "--all-topics", "--to-earliest", "--execute"});
        QVERIFY2(executed.exitCode == 0, qPrintable(describe(executed)));
        auto after = lag("laggards");
        QCOMPARE(after["total_lag"].toInteger(), qint64(1000));
        QCOMPARE(committedByPartition(after), (QMap<int, qint64>{{0, 0}, {1, 0}}));

        // Shift and clamp: the new offsets stay within the log.
        QCOMPARE(cli({"groups", "reset-offsets", "laggards", "--topic", "lagging:1", "--shift-by", "700", "--execute"})
                     .exitCode,
                 0);
        QCOMPARE(committedByPartition(lag("laggards")), (QMap<int, qint64>{{0, 0}, {1, 500}}));
        QCOMPARE(cli({"groups", "reset-offsets", "laggards", "--topic", "lagging:1", "--shift-by", "-20", "--execute"})
                     .exitCode,
                 0);
        QCOMPARE(committedByPartition(lag("laggards")), (QMap<int, qint64>{{0, 0}, {1, 480}}));

        auto bad = cli({"groups", "reset-offsets", "laggards", "--all-topics", "--to-datetime", "yesterday"});
        QCOMPARE(bad.exitCode, 2);
    }

    void resetIsRefusedWhileTheGroupHasMembers() {
        createTopic("busy", 1);
        QCOMPARE(cli({"produce", "busy"}, "a\nb\n").exitCode, 0);
        QProcess member;
        member.start(QStandardPaths::findExecutable("kcat"),
                     {"-b", m_broker->bootstrap(), "-G", "busy-group", "-q", "-X", "session.timeout.ms=6000", "busy"});
        QVERIFY(member.waitForStarted());
        QString state;
        QJsonObject description;
        QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired()) {
            description = jsonObject(cli({"groups", "describe", "busy-group", "--json"}).out);
            state = description["state"].toString();
            if (state == "Stable") break;
            QThread::msleep(300);
        }
        QCOMPARE(state, QString("Stable"));
        const auto members = description["members"].toArray();
        QCOMPARE(members.size(), 1);
        QCOMPARE(members[0].toObject()["assignment"].toArray().size(), 1);
        auto human = cli({"groups", "describe", "busy-group"});
        QVERIFY2(human.out.contains("busy(0)"), qPrintable(human.out));

        auto refused = cli({"groups", "reset-offsets", "busy-group", "--all-topics", "--to-latest", "--execute"});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("inactive") && refused.err.contains("Stable"), qPrintable(refused.err));
        auto notDeleted = cli({"groups", "delete", "busy-group"});
        QCOMPARE(notDeleted.exitCode, 1);
        QVERIFY2(notDeleted.err.contains("NON_EMPTY_GROUP"), qPrintable(notDeleted.err));

        member.terminate();
        QVERIFY(member.waitForFinished(30000));
        QDeadlineTimer leaving(30000);
        while (!leaving.hasExpired() &&
               jsonObject(cli({"groups", "describe", "busy-group", "--json"}).out)["state"] != "Empty")
            QThread::msleep(300);
        auto deleted = cli({"groups", "delete", "busy-group"});
        QVERIFY2(deleted.exitCode == 0, qPrintable(describe(deleted)));
        auto listed = jsonArray(cli({"groups", "list", "--json"}).out);
        for (const auto& g : listed) QVERIFY(g.toObject()["group"].toString() != "busy-group");
    }

    void consumeAsGroupMemberCommitsWhatItPrinted() {
        createTopic("shared", 1);
        QByteArray input;
        for (int i = 0; i < 30; ++i) input += "m" + QByteArray::number(i) + "\n";
        QCOMPARE(cli({"produce", "shared"}, input).exitCode, 0);
        auto first = cli({"consume", "shared", "-G", "readers", "-c", "10"});
        QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
        QCOMPARE(first.out.split('\n', Qt::SkipEmptyParts).size(), 10);
        QCOMPARE(committedByPartition(lag("readers")), (QMap<int, qint64>{{0, 10}}));
        // The next member carries on where the first stopped, up to the end.
        auto rest = cli({"consume", "shared", "-G", "readers"});
        QVERIFY2(rest.exitCode == 0, qPrintable(describe(rest)));
        QStringList lines = rest.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 20);
        QCOMPARE(lines.first(), QString("m10"));
        QCOMPARE(lag("readers")["total_lag"].toInteger(), qint64(0));
    }

    void produceReportsPerMessageResultsAsJson() {
        createTopic("reported", 2);
        auto run = cli({"produce", "reported", "-p", "1", "--json"}, "x\ny\n\nz\n");
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        const auto lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 4);  // three messages (the empty line is skipped, as by kcat), then the summary
        QSet<qint64> offsets;
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(lines[i]["partition"].toInt(), 1);
            offsets.insert(lines[i]["offset"].toInteger());
        }
        QCOMPARE(offsets, (QSet<qint64>{0, 1, 2}));
        QCOMPARE(lines[3]["messages"].toInt(), 3);
        QCOMPARE(lines[3]["errors"].toInt(), 0);

        auto noPartition = cli({"produce", "reported", "-p", "7"}, "x\n");
        QCOMPARE(noPartition.exitCode, 1);
        QVERIFY2(noPartition.err.contains("reported"), qPrintable(describe(noPartition)));
    }

    void badInputs() {
        auto unknown = cli({"consume", "no-such-topic"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("no-such-topic"), qPrintable(unknown.err));

        auto environment = QProcessEnvironment::systemEnvironment();
        environment.remove("PARTITA_BOOTSTRAP");
        auto noBootstrap = runProgram(QStringLiteral(PARTITA_CLI_BINARY), {"topics", "list"}, {}, environment);
        QCOMPARE(noBootstrap.exitCode, 2);
        QVERIFY2(noBootstrap.err.contains("-b"), qPrintable(noBootstrap.err));
        environment.insert("PARTITA_BOOTSTRAP", m_broker->bootstrap());
        QCOMPARE(runProgram(QStringLiteral(PARTITA_CLI_BINARY), {"topics", "list"}, {}, environment).exitCode, 0);

        const QString closed = QStringLiteral("localhost:%1").arg(freePort());
        auto unreachable =
            runProgram(QStringLiteral(PARTITA_CLI_BINARY), {"-b", closed, "--timeout", "2000", "topics", "list"});
        QCOMPARE(unreachable.exitCode, 1);
        QVERIFY2(unreachable.err.contains(closed), qPrintable(unreachable.err));
        QVERIFY2(unreachable.elapsedMs < 15000, qPrintable(QString::number(unreachable.elapsedMs)));

        auto badProperty = cli({"-X", "request.timeout.ms=soon", "topics", "list"});
        QCOMPARE(badProperty.exitCode, 2);
        QVERIFY2(badProperty.err.contains("request.timeout.ms"), qPrintable(badProperty.err));
        auto badProducerProperty = cli({"produce", "keyed", "-X", "linger.ms=-4"}, "x\n");
        QCOMPARE(badProducerProperty.exitCode, 2);
        QVERIFY2(badProducerProperty.err.contains("linger.ms"), qPrintable(badProducerProperty.err));
        QCOMPARE(cli({"-X", "novalue", "topics", "list"}).exitCode, 2);
        QCOMPARE(cli({"consume", "keyed", "-o", "yesterday"}).exitCode, 2);
        QCOMPARE(cli({"consume", "keyed", "--format", "%q"}).exitCode, 2);
        QCOMPARE(cli({"topics", "frobnicate"}).exitCode, 2);
        QCOMPARE(cli({"configs", "describe"}).exitCode, 2);
    }

    void commandConfigFileSuppliesTheBootstrap() {
        const QString path = m_dir.path() + "/client.properties";
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# a Java client file\nbootstrap.servers=" + m_broker->bootstrap().toUtf8() +
                "\nclient.id=from-file\n");
        f.close();
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.remove("PARTITA_BOOTSTRAP");
        auto run = runProgram(QStringLiteral(PARTITA_CLI_BINARY), {"--command-config", path, "cluster", "--json"}, {},
                              environment);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(jsonObject(run.out)["brokers"].toArray().size(), 1);
        auto missing =
            runProgram(QStringLiteral(PARTITA_CLI_BINARY), {"--command-config", path + ".missing", "cluster"});
        QCOMPARE(missing.exitCode, 2);
    }

    void aclsAndUsersSayTheBrokerLacksThem() {
        auto acls = cli({"acls", "list"});
        QCOMPARE(acls.exitCode, 1);
        QVERIFY2(acls.err.contains("does not support ACLs"), qPrintable(acls.err));
        auto create =
            cli({"acls", "create", "--allow-principal", "User:alice", "--operation", "Read", "--topic", "keyed"});
        QCOMPARE(create.exitCode, 1);
        QVERIFY2(create.err.contains("CreateAcls"), qPrintable(create.err));
        auto users = cli({"users", "describe"});
        QCOMPARE(users.exitCode, 1);
        QVERIFY2(users.err.contains("does not support SCRAM"), qPrintable(users.err));
        auto password =
            cli({"users", "set-password", "--mechanism", "SCRAM-SHA-256", "--iterations", "8192", "alice"}, "secret\n");
        QCOMPARE(password.exitCode, 1);
        QVERIFY2(password.err.contains("AlterUserScramCredentials"), qPrintable(password.err));
        QVERIFY2(!password.err.contains("secret"), "the password is never printed");
        QCOMPARE(cli({"acls", "create", "--allow-principal", "alice", "--topic", "keyed"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestPartitaCli)
#include "cli_test.moc"
