// partitad against real clients: confluent-kafka-python, kafka-python and kafkajs scenarios, and a crash under load.
#include "partitadprocess.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using partita::tests::PartitadProcess;

namespace {

// A client run that needs longer than this is stuck, not slow.
constexpr int kClientTimeoutMs = 90000;

enum class Client { Confluent, KafkaPython, Kafkajs };

QString sourceDir() {
    const QByteArray env = qgetenv("PARTITA_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(PARTITA_SOURCE_DIR_FALLBACK) : QString::fromLocal8Bit(env);
}
QString peersDir() {
    return sourceDir() + "/tests/engine/broker/peers";
}

struct Launch {
    QString program;
    QStringList arguments;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString missing;  // why the client cannot run, naming the Debian package
};

QString requirePythonModule(const QString& module, const QString& debianPackage) {
    if (!QFileInfo::exists("/usr/bin/python3")) return "/usr/bin/python3 is missing (Debian package python3)";
    QProcess p;
    p.start("/usr/bin/python3", {"-c", "import " + module});
    if (!p.waitForFinished(20000) || p.exitCode() != 0) {
        p.kill();
        p.waitForFinished(2000);
        return "Debian's /usr/bin/python3 cannot import " + module + " (Debian package " + debianPackage +
               ", listed in cmake/debian-packages.txt: run `make deps`): " +
               QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
    }
    return {};
}

Launch launchFor(Client client, const QStringList& arguments) {
    Launch l;
    switch (client) {
        case Client::Confluent:
            l.program = "/usr/bin/python3";
            l.missing = requirePythonModule("confluent_kafka", "python3-confluent-kafka");
            l.arguments = QStringList{peersDir() + "/confluent_client.py"} + arguments;
            break;
        case Client::KafkaPython:
            l.program = "/usr/bin/python3";
            l.missing = requirePythonModule("kafka", "python3-kafka");
            l.arguments = QStringList{peersDir() + "/kafka_python_client.py"} + arguments;
            break;
        case Client::Kafkajs: {
            l.program = QStandardPaths::findExecutable("node");
            const QString modules = sourceDir() + "/tests/peers/node_modules";
            if (l.program.isEmpty())
                l.missing = "node is not installed (Debian package nodejs, listed in cmake/debian-packages.txt)";
            else if (!QFileInfo::exists(modules + "/kafkajs/package.json"))
                l.missing = "kafkajs is not installed in " + modules + " (run `make deps`, which runs npm ci there)";
            l.environment.insert("NODE_PATH", modules);
            l.environment.insert("KAFKAJS_NO_PARTITIONER_WARNING", "1");
            l.arguments = QStringList{peersDir() + "/kafkajs_client.js"} + arguments;
            break;
        }
    }
    return l;
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject result;  // the "RESULT {...}" line
    QString describe() const {
        return "exit " + QString::number(exitCode) + "\nstdout:\n" + out.right(4000) + "\nstderr:\n" + err.right(4000);
    }
};

QJsonObject resultLine(const QString& out) {
    for (const QString& line : out.split('\n'))
        if (line.startsWith("RESULT ")) return QJsonDocument::fromJson(line.mid(7).toUtf8()).object();
    return {};
}

}  // namespace

class TestPartitadPeers : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        m_broker = std::make_unique<PartitadProcess>(m_dir.path() + "/broker");
        QVERIFY2(m_broker->start(), qPrintable(m_broker->output()));
    }

    void cleanupTestCase() {
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    void confluentProduceAckedAllAndConsumeWithAssignAndSeeks() {
        Run r = run(Client::Confluent, "produce_consume");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QJsonArray delivered = r.result["delivered"].toArray();
        QCOMPARE(delivered.size(), 100);
        for (int i = 0; i < 100; ++i) {
            QJsonArray d = delivered[i].toArray();
            QCOMPARE(d[0].toInt(), 0);
            QCOMPARE(d[1].toInt(), i);
            QCOMPARE(d[2].toString(), QStringLiteral("v-%1").arg(i));
        }
        QCOMPARE(r.result["consumed"].toArray(), delivered);
        QJsonArray afterSeek = r.result["afterSeek"].toArray();
        QCOMPARE(afterSeek.size(), 10);
        QCOMPARE(afterSeek[0].toArray()[1].toInt(), 90);
        QCOMPARE(r.result["afterSeekBeginning"].toInt(-1), 0);
    }

    void confluentOffsetsForTimesAndWatermarks() {
        Run r = run(Client::Confluent, "offsets");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.result["watermarks"].toArray(), QJsonArray({0, 20}));
        QJsonObject forTimes = r.result["forTimes"].toObject();
        auto offsetOf = [&](const char* name) {
            QJsonObject o = forTimes[name].toObject();
            return o["error"].isNull() ? o["offset"].toInt(-99) : -100;
        };
        QCOMPARE(offsetOf("first"), 0);
        QCOMPARE(offsetOf("exact5"), 5);
        QCOMPARE(offsetOf("between"), 6);
        QCOMPARE(offsetOf("last"), 19);
        QCOMPARE(offsetOf("future"), -1);  // OFFSET_END: no record that late
    }

    void confluentAdmin() {
        Run r = run(Client::Confluent, "admin");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject& o = r.result;
        QVERIFY2(o["create"].toObject()["cfk-admin"].toObject()["ok"].toBool(), qPrintable(r.out));
        QVERIFY2(
            o["createAgain"].toObject()["cfk-admin"].toObject()["error"].toString().contains("TOPIC_ALREADY_EXISTS"),
            qPrintable(r.out));
        QCOMPARE(o["partitionsAfterCreate"].toInt(), 2);
        QVERIFY2(o["createPartitions"].toObject()["cfk-admin"].toObject()["ok"].toBool(), qPrintable(r.out));
        QCOMPARE(o["partitionsAfterCreatePartitions"].toInt(), 4);
        QCOMPARE(o["configsBefore"].toObject()["retention.ms"].toString(), QStringLiteral("3600000"));
        QCOMPARE(o["configsBefore"].toObject()["cleanup.policy"].toString(), QStringLiteral("delete"));
        QVERIFY2(o["alter"].toObject().begin()->toObject()["ok"].toBool(), qPrintable(r.out));
        QCOMPARE(o["configsAfter"].toObject()["retention.ms"].toString(), QStringLiteral("7200000"));
        QCOMPARE(o["configsAfter"].toObject()["max.message.bytes"].toString(), QStringLiteral("2000000"));
        QVERIFY(o["brokerConfigCount"].toInt() > 100);
        QJsonArray deleted = o["deleteRecords"].toObject()["partitions"].toArray();
        QVERIFY2(deleted.size() == 1, qPrintable(r.out));
        QCOMPARE(deleted[0].toObject()["error"].toInt(), 0);
        QCOMPARE(deleted[0].toObject()["lowWatermark"].toInt(), 4);
        QCOMPARE(o["watermarksAfterDeleteRecords"].toArray(), QJsonArray({4, 10}));
        QVERIFY2(o["delete"].toObject()["cfk-admin"].toObject()["ok"].toBool(), qPrintable(r.out));
        QCOMPARE(o["existsAfterDelete"].toBool(true), false);
        QVERIFY2(o["deleteMissing"].toObject()["cfk-never-existed"].toObject()["error"].toString().contains(
                     "UNKNOWN_TOPIC_OR_PART"),
                 qPrintable(r.out));
    }

    void kafkaPythonProduceConsumeAndOffsets() {
        Run r = run(Client::KafkaPython, "produce_consume");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject& o = r.result;
        const qint64 base = qint64(o["base"].toDouble());
        QJsonArray delivered = o["delivered"].toArray();
        QCOMPARE(delivered.size(), 30);
        QJsonArray consumed = o["consumed"].toArray();
        QCOMPARE(consumed.size(), 30);
        for (int i = 0; i < 30; ++i) {
            QCOMPARE(delivered[i].toArray(), QJsonArray({0, i}));
            QJsonArray c = consumed[i].toArray();
            QCOMPARE(c[0].toInt(), i);
            QCOMPARE(c[1].toString(), QStringLiteral("k-%1").arg(i));
            QCOMPARE(c[2].toString(), QStringLiteral("v-%1").arg(i));
            QCOMPARE(qint64(c[3].toDouble()), base + 1000 * i);
        }
        QCOMPARE(o["afterSeek"].toArray(), QJsonArray({25, 26, 27, 28, 29}));
        QCOMPARE(o["beginning"].toInt(), 0);
        QCOMPARE(o["end"].toInt(), 30);
        QJsonObject forTimes = o["forTimes"].toObject();
        QCOMPARE(forTimes["first"].toObject()["offset"].toInt(), 0);
        QCOMPARE(forTimes["exact5"].toObject()["offset"].toInt(), 5);
        QCOMPARE(qint64(forTimes["exact5"].toObject()["timestamp"].toDouble()), base + 5000);
        QCOMPARE(forTimes["between"].toObject()["offset"].toInt(), 6);
        QVERIFY2(forTimes["future"].isNull(), qPrintable(r.out));
    }

    void kafkaPythonAdmin() {
        Run r = run(Client::KafkaPython, "admin");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject& o = r.result;
        QCOMPARE(o["create"].toArray(), QJsonArray({QJsonArray({"kp-admin", 0})}));
        QCOMPARE(o["createAgain"].toString(), QStringLiteral("TopicAlreadyExistsError"));
        QCOMPARE(o["partitions"].toArray(), QJsonArray({0, 1, 2}));
        QVERIFY(o["listed"].toBool());
        QCOMPARE(o["describeError"].toInt(-1), 0);
        QCOMPARE(o["configs"].toObject()["retention.ms"].toString(), QStringLiteral("3600000"));
        QCOMPARE(o["configs"].toObject()["cleanup.policy"].toString(), QStringLiteral("delete"));
        QVERIFY(o["configCount"].toInt() > 20);
        QVERIFY(o["brokerConfigCount"].toInt() > 100);
        QCOMPARE(o["delete"].toArray(), QJsonArray({QJsonArray({"kp-admin", 0})}));
        QCOMPARE(o["listedAfterDelete"].toBool(true), false);
    }

    void kafkajsProduceMetadataAndOffsets() {
        Run r = run(Client::Kafkajs, "produce");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject& o = r.result;
        QJsonArray sent = o["sent"].toArray();
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent[0].toArray()[0].toObject()["errorCode"].toInt(-1), 0);
        QCOMPARE(sent[0].toArray()[0].toObject()["baseOffset"].toString(), QStringLiteral("0"));
        QCOMPARE(sent[1].toArray()[0].toObject()["baseOffset"].toString(), QStringLiteral("10"));
        QJsonArray topics = o["metadata"].toArray();
        QCOMPARE(topics.size(), 1);
        QJsonObject partition = topics[0].toObject()["partitions"].toArray()[0].toObject();
        QCOMPARE(partition["leader"].toInt(), 1);
        QCOMPARE(partition["replicas"].toArray(), QJsonArray({1}));
        QCOMPARE(partition["isr"].toArray(), QJsonArray({1}));
        QJsonObject offsets = o["offsets"].toArray()[0].toObject();
        QCOMPARE(offsets["low"].toString(), QStringLiteral("0"));
        QCOMPARE(offsets["high"].toString(), QStringLiteral("20"));
        QJsonObject byTime = o["byTimestamp"].toObject();
        auto at = [&](const char* name) { return byTime[name].toArray()[0].toObject()["offset"].toString(); };
        QCOMPARE(at("first"), QStringLiteral("0"));
        QCOMPARE(at("exact5"), QStringLiteral("5"));
        QCOMPARE(at("between"), QStringLiteral("6"));
        QCOMPARE(at("future"), QStringLiteral("20"));  // kafkajs answers the high watermark for "none"
        QCOMPARE(o["cluster"].toObject()["brokers"].toInt(), 1);
        QCOMPARE(o["cluster"].toObject()["controller"].toInt(), 1);
    }

    void kafkajsAdmin() {
        Run r = run(Client::Kafkajs, "admin");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject& o = r.result;
        QVERIFY2(o["create"].toObject()["ok"].toBool() && o["create"].toObject()["result"].toBool(), qPrintable(r.out));
        // kafkajs answers false for a topic that already exists.
        QVERIFY2(o["createAgain"].toObject()["ok"].toBool() && !o["createAgain"].toObject()["result"].toBool(true),
                 qPrintable(r.out));
        QVERIFY(o["listed"].toBool());
        QJsonObject described = o["describe"].toArray()[0].toObject();
        QCOMPARE(described["errorCode"].toInt(-1), 0);
        QCOMPARE(described["resourceName"].toString(), QStringLiteral("kjs-admin"));
        QCOMPARE(described["retention"].toString(), QStringLiteral("3600000"));
        QVERIFY(described["count"].toInt() > 20);
        QVERIFY(o["brokerConfigCount"].toInt() > 100);
        QVERIFY2(o["delete"].toObject()["ok"].toBool(), qPrintable(r.out));
        QCOMPARE(o["listedAfterDelete"].toBool(true), false);
        QVERIFY2(!o["deleteMissing"].toObject()["ok"].toBool(true), qPrintable(r.out));
    }

    // SIGKILL while confluent-kafka produces with acks=all: after a restart every acknowledged
    // record is at the offset it was acknowledged at.
    void acknowledgedRecordsSurviveSigkill() {
        PartitadProcess broker(m_dir.path() + "/crash");
        QVERIFY2(broker.start(), qPrintable(broker.output()));
        Launch l = launchFor(Client::Confluent, {broker.bootstrap(), "load"});
        QVERIFY2(l.missing.isEmpty(), qPrintable("peer client missing: " + l.missing));
        QProcess producer;
        producer.setProcessEnvironment(l.environment);
        producer.start(l.program, l.arguments);
        QVERIFY(producer.waitForStarted());
        // Let acknowledgements pile up, then kill the broker under load.
        QString out;
        QDeadlineTimer deadline(30000);
        while (out.count("\nACK") < 2000 && !deadline.hasExpired() && producer.state() == QProcess::Running) {
            producer.waitForReadyRead(200);
            out += QString::fromUtf8(producer.readAllStandardOutput());
        }
        QVERIFY2(out.count("ACK") >= 200,
                 qPrintable("too few acknowledgements before the kill:\n" + out.right(2000) +
                            QString::fromUtf8(producer.readAllStandardError()) + broker.output()));
        broker.kill();
        if (!producer.waitForFinished(kClientTimeoutMs)) producer.kill();
        out += QString::fromUtf8(producer.readAllStandardOutput());
        QSet<QString> acknowledged;
        for (const QString& line : out.split('\n')) {
            QStringList parts = line.split(' ');
            if (parts.size() == 4 && parts[0] == "ACK") acknowledged.insert(parts[1] + "/" + parts[2] + "/" + parts[3]);
        }
        QVERIFY2(broker.start(), qPrintable(broker.output()));
        Run all = runAgainst(broker, Client::Confluent, {"consume_all", "cfk-load", "2"});
        QVERIFY2(all.exitCode == 0, qPrintable(all.describe()));
        QSet<QString> stored;
        for (const auto& v : all.result["consumed"].toArray()) {
            QJsonArray m = v.toArray();
            stored.insert(QString::number(m[0].toInt()) + "/" + QString::number(m[1].toInt()) + "/" + m[2].toString());
        }
        QSet<QString> lost = acknowledged - stored;
        QVERIFY2(lost.isEmpty(),
                 qPrintable(QStringLiteral("%1 of %2 acknowledged records are missing after the restart, e.g. %3")
                                .arg(lost.size())
                                .arg(acknowledged.size())
                                .arg(lost.isEmpty() ? QString() : *lost.begin())));
        // The restart knew it followed a crash (the last load line is the restart's).
        QString output = broker.output();
        qsizetype lastLoad = output.lastIndexOf("partition logs from");
        QString loadLine = lastLoad < 0 ? QString() : output.mid(lastLoad, output.indexOf('\n', lastLoad) - lastLoad);
        QVERIFY2(loadLine.endsWith("(unclean shutdown)"), qPrintable(output.right(2000)));
        qInfo("%lld acknowledged records, all there after SIGKILL and restart", qint64(acknowledged.size()));
        QCOMPARE(broker.stop(), 0);
    }

private:
    Run run(Client client, const QString& scenario) { return runAgainst(*m_broker, client, {scenario}); }

    Run runAgainst(PartitadProcess& broker, Client client, const QStringList& arguments) {
        Run r;
        Launch l = launchFor(client, QStringList{broker.bootstrap()} + arguments);
        if (!l.missing.isEmpty()) {
            r.err = "peer client missing: " + l.missing;
            return r;
        }
        QProcess p;
        p.setProcessEnvironment(l.environment);
        p.start(l.program, l.arguments);
        p.waitForStarted();
        bool finished = p.waitForFinished(kClientTimeoutMs);
        if (!finished) {
            p.kill();
            p.waitForFinished(5000);
        }
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        r.exitCode = finished ? p.exitCode() : -1;
        if (!finished) r.err += QStringLiteral("\n(killed after %1 ms)").arg(kClientTimeoutMs);
        r.err += "\npartitad:\n" + broker.output().right(3000);
        r.result = resultLine(r.out);
        return r;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
};

QTEST_GUILESS_MAIN(TestPartitadPeers)
#include "partitad_peers_test.moc"
