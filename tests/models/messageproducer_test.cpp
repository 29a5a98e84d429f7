// Tests of MessageProducer against a real partitad (single sends read back with confluent_kafka,
// every codec, acks 0, a partition that does not exist, a 20,000-message bulk with generators,
// cancel, destruction mid-bulk, a broker that goes away) and of MessageTemplateStore.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "models/clustersession.h"
#include "models/messageproducer.h"
#include "models/messagetemplate.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <set>

using namespace partita;
using namespace partita::models;
using partita::tests::PartitadProcess;

namespace {

// Reads every record of a topic from the beginning; prints one JSON object per record, then
// {"end": <sum of the partitions' end offsets>}.
const char* kReadScript =
    "import sys, json, base64\n"
    "from confluent_kafka import Consumer, TopicPartition, KafkaError, OFFSET_BEGINNING\n"
    "b64 = lambda b: None if b is None else base64.b64encode(b).decode()\n"
    "c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': 'readback', 'enable.auto.commit': False,\n"
    "              'enable.partition.eof': True})\n"
    "topic = sys.argv[2]\n"
    "parts = sorted(c.list_topics(topic, timeout=10).topics[topic].partitions.keys())\n"
    "c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])\n"
    "eof = set()\n"
    "while len(eof) < len(parts):\n"
    "    m = c.poll(10)\n"
    "    if m is None: sys.exit('timed out')\n"
    "    if m.error():\n"
    "        if m.error().code() == KafkaError._PARTITION_EOF: eof.add(m.partition()); continue\n"
    "        sys.exit(str(m.error()))\n"
    "    print(json.dumps({'p': m.partition(), 'o': m.offset(), 'k': b64(m.key()), 'v': b64(m.value()),\n"
    "        'h': [[k, b64(v)] for k, v in (m.headers() or [])], 't': m.timestamp()[1]}))\n"
    "end = sum(c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts)\n"
    "print(json.dumps({'end': end}))\n";

struct ReadBack {
    QList<QJsonObject> records;
    qint64 end = -1;
    QString error;
};

ReadBack readTopic(const QString& bootstrap, const QString& topic) {
    ReadBack result;
    const tests::ToolRun run = tests::runPython(QString::fromLatin1(kReadScript), {bootstrap, topic});
    if (run.exitCode != 0) {
        result.error = run.err;
        return result;
    }
    for (const QString& line : run.out.split('\n', Qt::SkipEmptyParts)) {
        const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
        if (object.contains("end"))
            result.end = object.value("end").toInteger();
        else
            result.records.append(object);
    }
    return result;
}

QByteArray bytes(const QJsonValue& base64) {
    return QByteArray::fromBase64(base64.toString().toLatin1());
}

MessageProducer::SendResult resultAt(const QSignalSpy& spy, int i) {
    return spy.at(i).at(0).value<MessageProducer::SendResult>();
}

}  // namespace

class MessageProducerTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    std::unique_ptr<ClusterSession> m_session;

    // Sends one message and waits for its result.
    MessageProducer::SendResult sendOne(MessageProducer& producer, const QString& topic, const MessageTemplate& t) {
        QSignalSpy sent(&producer, &MessageProducer::sent);
        QString error;
        if (!producer.send(topic, t, &error)) return {.error = QStringLiteral("refused: ") + error};
        if (!sent.wait(60000)) return {.error = QStringLiteral("no result")};
        return resultAt(sent, 0);
    }

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PartitaTest"));
        QCoreApplication::setApplicationName(QStringLiteral("messageproducer_test"));

        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY(m_broker->start({"num.partitions=1"}));
        m_session = std::make_unique<ClusterSession>(tests::clientConfig(m_broker->bootstrap()));
        m_session->setRefreshInterval(60000);
        QVERIFY(m_session->admin().has_value());
        for (auto [topic, partitions] : std::vector<std::pair<const char*, int>>{
                 {"single", 2}, {"codecs", 1}, {"acks0", 1}, {"bulk", 3}, {"big", 2}, {"jsonbulk", 1}}) {
            const QString created = tests::createTopic(*m_session->admin(), topic, partitions);
            QVERIFY2(created.isEmpty(), qPrintable(created));
        }
        QSignalSpy ready(m_session.get(), &ClusterSession::snapshotReady);
        m_session->refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot() && m_session->snapshot()->findTopic("single") != nullptr, 30000);
    }

    void cleanupTestCase() {
        m_session.reset();
        m_broker.reset();
    }

    // What a user typed arrives as typed: key, value, headers (a null one too), partition, timestamp.
    void singleSendRoundTrip() {
        MessageProducer producer(m_session.get());
        MessageTemplate t;
        t.key = QByteArray("k1");
        t.value = QByteArray("{\"a\": 1}");
        t.headers = {{"h1", QByteArray("v1")}, {"hn", std::nullopt}, {"bin", QByteArray("\x00\xff", 2)}};
        t.partition = 1;
        t.timestamp = 1700000000123;
        t.valueIsJson = true;
        const auto first = sendOne(producer, "single", t);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QCOMPARE(first.partition, 1);
        QCOMPARE(first.offset, qint64(0));
        QCOMPARE(first.timestamp, qint64(1700000000123));

        MessageTemplate nulls;  // null key and value: a tombstone
        nulls.key.reset();
        nulls.value.reset();
        nulls.partition = 1;
        const auto second = sendOne(producer, "single", nulls);
        QVERIFY2(second.error.isEmpty(), qPrintable(second.error));
        QCOMPARE(second.offset, qint64(1));

        const ReadBack read = readTopic(m_broker->bootstrap(), "single");
        QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
        QCOMPARE(read.records.size(), 2);
        const QJsonObject r = read.records.at(0);
        QCOMPARE(r.value("p").toInt(), 1);
        QCOMPARE(bytes(r.value("k")), QByteArray("k1"));
        QCOMPARE(bytes(r.value("v")), QByteArray("{\"a\": 1}"));
        QCOMPARE(r.value("t").toInteger(), qint64(1700000000123));
        const QJsonArray headers = r.value("h").toArray();
        QCOMPARE(headers.size(), 3);
        QCOMPARE(headers.at(0).toArray().at(0).toString(), QStringLiteral("h1"));
        QCOMPARE(bytes(headers.at(0).toArray().at(1)), QByteArray("v1"));
        QCOMPARE(headers.at(1).toArray().at(0).toString(), QStringLiteral("hn"));
        QVERIFY(headers.at(1).toArray().at(1).isNull());
        QCOMPARE(bytes(headers.at(2).toArray().at(1)), QByteArray("\x00\xff", 2));
        QVERIFY(read.records.at(1).value("k").isNull());
        QVERIFY(read.records.at(1).value("v").isNull());
    }

    void everyCodec() {
        MessageProducer producer(m_session.get());
        const QStringList codecs = {"none", "gzip", "snappy", "lz4", "zstd"};
        for (const QString& codec : codecs) {
            MessageTemplate t;
            t.codec = codec;
            t.value = ("compressed with " + codec).toUtf8();
            const auto result = sendOne(producer, "codecs", t);
            QVERIFY2(result.error.isEmpty(), qPrintable(codec + ": " + result.error));
            QVERIFY(result.offset >= 0);
        }
        const ReadBack read = readTopic(m_broker->bootstrap(), "codecs");
        QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
        QCOMPARE(read.records.size(), codecs.size());
        for (int i = 0; i < codecs.size(); ++i)
            QCOMPARE(bytes(read.records.at(i).value("v")), ("compressed with " + codecs.at(i)).toUtf8());

        MessageTemplate bad;
        bad.codec = "brotli";
        QString error;
        QVERIFY(!producer.send("codecs", bad, &error));
        QVERIFY2(error.contains("brotli"), qPrintable(error));
    }

    void acksZeroHasNoOffset() {
        MessageProducer producer(m_session.get());
        MessageTemplate t;
        t.acks = 0;
        t.value = QByteArray("fire and forget");
        const auto result = sendOne(producer, "acks0", t);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.offset, qint64(-1));
        t.acks = 1;
        const auto leader = sendOne(producer, "acks0", t);
        QVERIFY2(leader.error.isEmpty(), qPrintable(leader.error));
        QVERIFY(leader.offset >= 0);
    }

    void unknownPartitionFailsAtOnce() {
        MessageProducer producer(m_session.get());
        MessageTemplate t;
        t.value = QByteArray("x");
        t.partition = 99;
        QString error;
        QVERIFY(!producer.send("single", t, &error));
        QCOMPARE(error, QStringLiteral("Topic single has 2 partitions (0..1)."));
        QVERIFY(!producer.sendBulk("single", t, 10, &error));
        QVERIFY(!producer.isBusy());

        // A topic the snapshot does not know yet: the engine producer reports it, without hanging.
        const QString created = tests::createTopic(*m_session->admin(), "fresh", 2);
        QVERIFY2(created.isEmpty(), qPrintable(created));
        QVERIFY(m_session->snapshot()->findTopic("fresh") == nullptr);
        const auto result = sendOne(producer, "fresh", t);
        QVERIFY(!result.error.isEmpty());
        QVERIFY2(result.error.contains("99"), qPrintable(result.error));
    }

    void invalidTemplatesAreRefused() {
        MessageProducer producer(m_session.get());
        MessageTemplate t;
        t.valueIsJson = true;
        t.value = QByteArray("{\"a\": }");
        QString error;
        QVERIFY(!producer.send("single", t, &error));
        QVERIFY2(error.contains("not valid JSON: column "), qPrintable(error));
        QVERIFY(!producer.sendBulk("single", t, 5, &error));
        QVERIFY2(error.contains("column"), qPrintable(error));
        t.valueIsJson = false;
        t.value = QByteArray("{{bogus}}");
        QVERIFY(!producer.send("single", t, &error));
        QVERIFY2(error.contains("column 1: unknown generator 'bogus'"), qPrintable(error));
        t.value = QByteArray("ok");
        t.headers = {{"h", QByteArray("x{{nope")}};
        QVERIFY(!producer.send("single", t, &error));
        QVERIFY2(error.contains("Header 'h'") && error.contains("column 2"), qPrintable(error));
    }

    // 20,000 messages with every generator: all delivered, each expanded on its own.
    void bulkWithGenerators() {
        MessageProducer producer(m_session.get());
        QSignalSpy finished(&producer, &MessageProducer::bulkFinished);
        QSignalSpy sent(&producer, &MessageProducer::sent);
        MessageTemplate t;
        t.key = QByteArray("k{{counter}}");
        t.value = QByteArray(
            "{\"n\": {{counter}}, \"id\": \"{{uuid}}\", \"c\": \"{{random:a|b}}\", \"r\": {{random:1..9}}, "
            "\"t\": {{now}}}");
        t.headers = {{"seq", QByteArray("{{counter:100}}")}};
        t.valueIsJson = true;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QString error;
        QVERIFY2(producer.sendBulk("bulk", t, 20000, &error), qPrintable(error));
        QVERIFY(producer.isBusy());
        QVERIFY(!producer.sendBulk("bulk", t, 1, &error));  // one at a time
        QVERIFY(finished.wait(120000));
        QVERIFY(!producer.isBusy());
        const auto args = finished.at(0);
        QCOMPARE(args.at(0).toLongLong(), qint64(20000));  // delivered
        QCOMPARE(args.at(1).toLongLong(), qint64(0));      // failed
        QCOMPARE(args.at(2).toBool(), false);              // cancelled
        QVERIFY2(args.at(3).toString().isEmpty(), qPrintable(args.at(3).toString()));
        // The first 1,000 one by one, not 20,000 signals.
        QTRY_COMPARE(sent.size(), 1000);
        QVERIFY(resultAt(sent, 0).error.isEmpty());

        const ReadBack read = readTopic(m_broker->bootstrap(), "bulk");
        QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
        QCOMPARE(read.end, qint64(20000));
        QCOMPARE(read.records.size(), 20000);
        std::set<qint64> counters;
        std::set<QString> ids, choices;
        std::set<int> numbers;
        for (const QJsonObject& r : read.records) {
            const QJsonObject v = QJsonDocument::fromJson(bytes(r.value("v"))).object();
            const qint64 n = v.value("n").toInteger(-1);
            counters.insert(n);
            QCOMPARE(bytes(r.value("k")), "k" + QByteArray::number(n));
            QCOMPARE(bytes(r.value("h").toArray().at(0).toArray().at(1)), QByteArray::number(n + 100));
            ids.insert(v.value("id").toString());
            choices.insert(v.value("c").toString());
            numbers.insert(v.value("r").toInt());
            QVERIFY(v.value("t").toInteger() >= before);
        }
        QCOMPARE(counters.size(), size_t(20000));
        QCOMPARE(*counters.begin(), qint64(0));
        QCOMPARE(*counters.rbegin(), qint64(19999));
        QCOMPARE(ids.size(), size_t(20000));
        QCOMPARE(ids.begin()->size(), 36);
        QCOMPARE(choices, (std::set<QString>{"a", "b"}));
        QCOMPARE(numbers, (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    }

    // A value that expands to invalid JSON for some messages: those fail without being sent.
    void bulkReportsInvalidJsonPerMessage() {
        MessageProducer producer(m_session.get());
        QSignalSpy finished(&producer, &MessageProducer::bulkFinished);
        QSignalSpy sent(&producer, &MessageProducer::sent);
        MessageTemplate t;
        t.value = QByteArray("{\"v\": {{random:1|x}}}");  // "x" is not JSON; the first expansion may be valid
        t.valueIsJson = true;
        QString error;
        // The first expansion decides whether the bulk starts; retry until it is a valid one.
        bool started = false;
        for (int attempt = 0; attempt < 50 && !started; ++attempt)
            started = producer.sendBulk("jsonbulk", t, 200, &error);
        QVERIFY2(started, qPrintable(error));
        QVERIFY(finished.wait(60000));
        const qint64 delivered = finished.at(0).at(0).toLongLong();
        const qint64 failed = finished.at(0).at(1).toLongLong();
        QCOMPARE(delivered + failed, qint64(200));
        QVERIFY(failed > 0);
        QVERIFY(finished.at(0).at(3).toString().contains("not valid JSON"));
        const ReadBack read = readTopic(m_broker->bootstrap(), "jsonbulk");
        QCOMPARE(read.end, delivered);
    }

    void cancelStopsEarly() {
        MessageProducer producer(m_session.get());
        QSignalSpy finished(&producer, &MessageProducer::bulkFinished);
        QSignalSpy progress(&producer, &MessageProducer::bulkProgress);
        MessageTemplate t;
        t.value = QByteArray("value {{counter}} ") + QByteArray(100, 'x');
        QString error;
        QVERIFY2(producer.sendBulk("big", t, 50000000, &error), qPrintable(error));
        QVERIFY(progress.wait(30000));
        producer.cancel();
        QVERIFY(finished.wait(60000));
        const auto args = finished.at(0);
        QVERIFY(args.at(2).toBool());
        QVERIFY(args.at(0).toLongLong() < 50000000);
        QCOMPARE(args.at(1).toLongLong(), qint64(0));
        QVERIFY(!producer.isBusy());
        // Every record it queued was delivered.
        const qint64 delivered = args.at(0).toLongLong();
        const qint64 lastQueued = progress.last().at(0).toLongLong();
        QVERIFY(delivered >= lastQueued);
    }

    void destroyedDuringBulk() {
        auto producer = std::make_unique<MessageProducer>(m_session.get());
        QSignalSpy progress(producer.get(), &MessageProducer::bulkProgress);
        MessageTemplate t;
        t.value = QByteArray("{{counter}}");
        QVERIFY(producer->sendBulk("big", t, 50000000));
        QVERIFY(progress.wait(30000));
        producer.reset();   // must neither crash nor hang
        QTest::qWait(200);  // deliveries still arriving find nobody to tell
    }

    void templatesRoundTrip() {
        MessageTemplateStore store("orders");
        QVERIFY(store.names().isEmpty());
        QVERIFY(!store.topicIsJson());
        MessageTemplate t;
        t.name = "binary/odd name";
        t.key = QByteArray("\x00\x01\xff", 3);
        t.value = std::nullopt;
        t.headers = {{"n", std::nullopt}, {"e", QByteArray()}, {"b", QByteArray("\xc3\x28", 2)}};
        t.partition = 2;
        t.timestamp = 1700000000123;
        t.codec = "zstd";
        t.acks = 1;
        t.valueIsJson = true;
        store.save(t);
        MessageTemplate other;
        other.name = "another";
        other.key = std::nullopt;
        other.value = QByteArray();
        store.save(other);
        QCOMPARE(store.names(), (QStringList{"another", "binary/odd name"}));

        auto loaded = store.load("binary/odd name");
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->key, t.key);
        QVERIFY(!loaded->value.has_value());
        QCOMPARE(loaded->headers.size(), 3);
        QVERIFY(!loaded->headers.at(0).second.has_value());
        QVERIFY(loaded->headers.at(1).second.has_value());
        QVERIFY(loaded->headers.at(1).second->isEmpty());
        QCOMPARE(*loaded->headers.at(2).second, QByteArray("\xc3\x28", 2));
        QCOMPARE(loaded->partition, 2);
        QCOMPARE(loaded->timestamp, qint64(1700000000123));
        QCOMPARE(loaded->codec, QStringLiteral("zstd"));
        QCOMPARE(loaded->acks, 1);
        QVERIFY(loaded->valueIsJson);
        auto another = store.load("another");
        QVERIFY(another && !another->key && another->value && another->value->isEmpty());

        other.value = QByteArray("replaced");
        store.save(other);
        QCOMPARE(*store.load("another")->value, QByteArray("replaced"));
        store.remove("binary/odd name");
        QCOMPARE(store.names(), QStringList{"another"});
        QVERIFY(!store.load("binary/odd name").has_value());
        QVERIFY(MessageTemplateStore("payments").names().isEmpty());  // per topic

        store.setTopicIsJson(true);
        QVERIFY(MessageTemplateStore("orders").topicIsJson());
        QVERIFY(!MessageTemplateStore("payments").topicIsJson());
        store.setTopicIsJson(false);
        QVERIFY(!store.topicIsJson());
    }

    // Last: stops the broker. Both a single send and a bulk report errors instead of hanging.
    void brokerDownReportsErrors() {
        MessageProducer producer(m_session.get());
        MessageTemplate t;
        t.value = QByteArray("warm up");
        const auto warm = sendOne(producer, "single", t);
        QVERIFY2(warm.error.isEmpty(), qPrintable(warm.error));
        m_broker->stop();

        QSignalSpy sent(&producer, &MessageProducer::sent);
        QSignalSpy finished(&producer, &MessageProducer::bulkFinished);
        t.value = QByteArray("lost");
        QString error;
        const bool accepted = producer.send("single", t, &error);
        QVERIFY2(producer.sendBulk("single", t, 100, &error), qPrintable(error));
        if (accepted) {
            QTRY_VERIFY_WITH_TIMEOUT(!sent.isEmpty(), 90000);
            QVERIFY(!resultAt(sent, 0).error.isEmpty());
        }
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 90000);
        QCOMPARE(finished.at(0).at(0).toLongLong(), qint64(0));
        QCOMPARE(finished.at(0).at(1).toLongLong(), qint64(100));
        QVERIFY(!finished.at(0).at(3).toString().isEmpty());
        qInfo("broker down: reported after %lld ms: %s", finished.at(0).at(4).toLongLong(),
              qPrintable(finished.at(0).at(3).toString()));
    }
};

QTEST_GUILESS_MAIN(MessageProducerTest)
#include "messageproducer_test.moc"
