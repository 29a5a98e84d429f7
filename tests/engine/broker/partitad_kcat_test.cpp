// partitad against kcat (librdkafka): metadata, produce with keys, headers and every codec, consume, offsets, restarts.
#include "partitadprocess.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using partita::tests::PartitadProcess;

namespace {

struct Run {
    int exitCode;
    QString out;
    QString err;
};

Run kcat(const QStringList& arguments, const QByteArray& input = {}) {
    QProcess p;
    p.start(QStandardPaths::findExecutable("kcat"), arguments);
    p.waitForStarted();
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(45000)) p.kill();
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class TestPartitadKcat : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing: run `make deps`");
        QVERIFY2(m_dir.isValid(), "temporary directory");
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY2(m_broker->start(), qPrintable(m_broker->output()));
    }

    void cleanupTestCase() {
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    void metadataListsTheBrokerAndAutoCreatedTopics() {
        auto produced = kcat({"-b", m_broker->bootstrap(), "-P", "-t", "auto-created"}, "one\n");
        QCOMPARE(produced.exitCode, 0);
        auto listed = kcat({"-b", m_broker->bootstrap(), "-L", "-J"});
        QCOMPARE(listed.exitCode, 0);
        auto doc = QJsonDocument::fromJson(listed.out.toUtf8()).object();
        auto brokers = doc["brokers"].toArray();
        QCOMPARE(brokers.size(), 1);
        QCOMPARE(brokers[0].toObject()["id"].toInt(), 1);
        QCOMPARE(brokers[0].toObject()["name"].toString(), m_broker->bootstrap());
        bool found = false;
        for (const auto& t : doc["topics"].toArray()) {
            auto topic = t.toObject();
            if (topic["topic"].toString() != "auto-created") continue;
            found = true;
            auto partitions = topic["partitions"].toArray();
            QCOMPARE(partitions.size(), 1);
            QCOMPARE(partitions[0].toObject()["leader"].toInt(), 1);
        }
        QVERIFY2(found, qPrintable(listed.out));
    }

    void producedMessagesComeBackWithKeysAndHeaders_data() {
        QTest::addColumn<QString>("codec");
        for (const char* codec : {"none", "gzip", "snappy", "lz4", "zstd"}) QTest::newRow(codec) << codec;
    }

    void producedMessagesComeBackWithKeysAndHeaders() {
        QFETCH(QString, codec);
        QString topic = "kcat-" + codec;
        QByteArray input;
        for (int i = 0; i < 50; ++i)
            input += QByteArray("key-") + QByteArray::number(i) + ":value-" + QByteArray::number(i) + "\n";
        auto produced = kcat({"-b", m_broker->bootstrap(), "-P", "-t", topic, "-K", ":", "-z", codec, "-H",
                              "origin=test", "-X", "acks=all"},
                             input);
        QVERIFY2(produced.exitCode == 0, qPrintable(produced.err));
        auto consumed =
            kcat({"-b", m_broker->bootstrap(), "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k=%s@%o;%h\\n"});
        QVERIFY2(consumed.exitCode == 0, qPrintable(consumed.err));
        QStringList lines = consumed.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 50);
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(lines[i], QStringLiteral("key-%1=value-%1@%1;origin=test").arg(i));
        }
        // From an offset, and the offsets kcat asks for.
        auto fromOffset = kcat({"-b", m_broker->bootstrap(), "-C", "-t", topic, "-o", "45", "-e", "-f", "%o\\n"});
        QCOMPARE(fromOffset.out.split('\n', Qt::SkipEmptyParts), QStringList({"45", "46", "47", "48", "49"}));
    }

    void offsetQueries() {
        QString topic = "offsets";
        auto produced = kcat({"-b", m_broker->bootstrap(), "-P", "-t", topic}, "a\nb\nc\n");
        QCOMPARE(produced.exitCode, 0);
        auto end = kcat({"-b", m_broker->bootstrap(), "-Q", "-t", topic + ":0:-1"});
        QVERIFY2(end.out.contains("offset 3"), qPrintable(end.out + end.err));
        auto start = kcat({"-b", m_broker->bootstrap(), "-Q", "-t", topic + ":0:-2"});
        QVERIFY2(start.out.contains("offset 0"), qPrintable(start.out + start.err));
        // By timestamp: the records were stamped just now, so an hour ago finds the first one.
        qint64 hourAgo = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
        auto byTime = kcat({"-b", m_broker->bootstrap(), "-Q", "-t", topic + ":0:" + QString::number(hourAgo)});
        QVERIFY2(byTime.out.contains("offset 0"), qPrintable(byTime.out + byTime.err));
        // Consuming from a timestamp: -o s@<ms> starts at the first record at or after it.
        auto fromTime = kcat({"-b", m_broker->bootstrap(), "-C", "-t", topic, "-o", "s@" + QString::number(hourAgo),
                              "-e", "-f", "%s\\n"});
        QCOMPARE(fromTime.out.split('\n', Qt::SkipEmptyParts), QStringList({"a", "b", "c"}));
        qint64 future = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        auto fromFuture = kcat({"-b", m_broker->bootstrap(), "-C", "-t", topic, "-o", "s@" + QString::number(future),
                                "-e", "-f", "%s\\n"});
        QVERIFY2(fromFuture.out.trimmed().isEmpty(), qPrintable(fromFuture.out + fromFuture.err));
    }

    void everythingSurvivesARestart() {
        QCOMPARE(m_broker->stop(), 0);
        QVERIFY(m_broker->output().contains("stopped cleanly"));
        QVERIFY2(m_broker->start(), qPrintable(m_broker->output()));
        auto consumed =
            kcat({"-b", m_broker->bootstrap(), "-C", "-t", "kcat-lz4", "-o", "beginning", "-e", "-f", "%s\\n"});
        QCOMPARE(consumed.out.split('\n', Qt::SkipEmptyParts).size(), 50);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
};

QTEST_GUILESS_MAIN(TestPartitadKcat)
#include "partitad_kcat_test.moc"
