// The browsing Consumer against a real partitad: records kcat wrote with every codec, seeks to offsets,
// either end, end minus N and a time, fetch byte limits, read_committed against a confluent-kafka-python
// transactional producer, offsets out of range, unknown topics, and partitad killed mid-browse.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/consumer.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"

#include <QDateTime>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <map>
#include <memory>
#include <set>
#include <string>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using partita::tests::PartitadProcess;
using partita::tests::waitFor;

namespace {

// Quick transactions: the markers must be written before read_committed can see anything.
const QStringList kOverrides{"num.partitions=1", "group.initial.rebalance.delay.ms=0",
                             "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000"};

// kcat -P of "key:value" lines to one partition.
bool produce(const QString& bootstrap, const QString& topic, int partition, const QStringList& lines,
             const QString& codec = "none", const QStringList& extra = {}) {
    return tests::kcatProduce(bootstrap, topic, partition, lines, QStringList{"-z", codec, "-K:"} + extra);
}

QStringList numbered(const QString& prefix, int from, int count) {
    QStringList lines;
    for (int i = from; i < from + count; ++i) lines << QStringLiteral("key-%1:%2-%1").arg(i).arg(prefix);
    return lines;
}

std::string str(const std::optional<Bytes>& bytes) {
    return bytes ? std::string(bytes->view()) : std::string("<null>");
}

struct Drained {
    std::vector<ConsumerRecord> records;
    std::vector<Error> errors;
    int pollsWithRecords = 0;
    int polls = 0;
};

Result<FetchResult> pollOnce(Consumer& consumer) {
    return waitFor<FetchResult>([&](auto done) { consumer.poll(std::move(done)); });
}

void collect(const FetchResult& result, Drained& out) {
    bool any = false;
    for (const PartitionFetch& p : result.partitions) {
        if (p.error) out.errors.push_back(*p.error);
        for (const FetchedRecord& r : p.records) {
            out.records.push_back(r.toOwned());
            any = true;
        }
        if (auto e = p.records.decodeError()) out.errors.push_back(*e);
    }
    if (any) ++out.pollsWithRecords;
}

// Polls until every assigned partition's position reached its high watermark (or, with
// `stable`, its last stable offset), or until `maxPolls`.
Drained drainToEnd(Consumer& consumer, int maxPolls = 200, bool stable = false) {
    Drained out;
    for (; out.polls < maxPolls; ++out.polls) {
        auto result = pollOnce(consumer);
        if (!result.ok()) {
            out.errors.push_back(result.error());
            break;
        }
        collect(*result, out);
        bool done = true;
        for (const auto& tp : consumer.assignment()) {
            auto end = stable ? consumer.lastStableOffset(tp) : consumer.highWatermark(tp);
            auto position = consumer.position(tp);
            if (!end || !position || *position < *end) done = false;
        }
        if (done) {
            ++out.polls;
            break;
        }
    }
    return out;
}

std::vector<int64_t> offsetsOf(const std::vector<ConsumerRecord>& records) {
    std::vector<int64_t> out;
    for (const auto& r : records) out.push_back(r.offset);
    return out;
}

std::vector<int64_t> range(int64_t from, int64_t to) {
    std::vector<int64_t> out;
    for (int64_t i = from; i < to; ++i) out.push_back(i);
    return out;
}

QString messages(const std::vector<Error>& errors) {
    QStringList out;
    for (const auto& e : errors) out << QString::fromStdString(e.message);
    return out.join(" | ");
}

}  // namespace

class ConsumerPartitadTest : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<PartitadProcess> m_broker;

    std::unique_ptr<Consumer> makeConsumer(std::map<std::string, std::string> properties = {},
                                           std::shared_ptr<KafkaClient>* clientOut = nullptr,
                                           const QString& bootstrap = {}) {
        auto config = clientConfig(bootstrap.isEmpty() ? m_broker->bootstrap() : bootstrap, std::move(properties));
        auto consumerConfig = ConsumerConfig::fromClientConfig(config);
        if (!consumerConfig.ok()) qFatal("bad consumer config: %s", consumerConfig.error().message.c_str());
        auto created = KafkaClient::create(config);
        if (!created.ok()) qFatal("client: %s", created.error().message.c_str());
        if (clientOut != nullptr) *clientOut = *created;
        return std::make_unique<Consumer>(*created, *consumerConfig);
    }

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing: run `make deps`");
        m_dir = std::make_unique<QTemporaryDir>();
        m_broker = std::make_unique<PartitadProcess>(m_dir->path());
        QVERIFY2(m_broker->start(kOverrides), qPrintable(m_broker->output()));
    }

    void cleanupTestCase() {
        if (m_broker) m_broker->stop();
    }

    void configReadsKafkaNames() {
        auto config =
            ConsumerConfig::fromClientConfig(clientConfig("localhost:1", {{"isolation.level", "read_committed"},
                                                                          {"fetch.min.bytes", "10"},
                                                                          {"fetch.max.bytes", "2000"},
                                                                          {"max.partition.fetch.bytes", "1000"},
                                                                          {"fetch.max.wait.ms", "50"},
                                                                          {"auto.offset.reset", "earliest"},
                                                                          {"check.crcs", "false"},
                                                                          {"client.rack", "r1"}}));
        QVERIFY(config.ok());
        QCOMPARE(config->isolationLevel, IsolationLevel::ReadCommitted);
        QCOMPARE(config->fetchMinBytes, 10);
        QCOMPARE(config->fetchMaxBytes, 2000);
        QCOMPARE(config->maxPartitionFetchBytes, 1000);
        QCOMPARE(config->fetchMaxWaitMs, 50);
        QCOMPARE(config->autoOffsetReset, OffsetResetPolicy::Earliest);
        QCOMPARE(config->checkCrcs, false);

        auto defaults = ConsumerConfig::fromClientConfig(clientConfig("localhost:1"));
        QVERIFY(defaults.ok());
        QCOMPARE(defaults->isolationLevel, IsolationLevel::ReadUncommitted);
        QCOMPARE(defaults->fetchMaxBytes, 52428800);
        QCOMPARE(defaults->maxPartitionFetchBytes, 1048576);
        QCOMPARE(defaults->fetchMaxWaitMs, 500);
        QCOMPARE(defaults->autoOffsetReset, OffsetResetPolicy::Latest);

        auto bad = ConsumerConfig::fromClientConfig(clientConfig("localhost:1", {{"auto.offset.reset", "sideways"}}));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, ErrorKind::InvalidArgument);
        QVERIFY(bad.error().message.find("auto.offset.reset") != std::string::npos);
        auto badIsolation =
            ConsumerConfig::fromClientConfig(clientConfig("localhost:1", {{"isolation.level", "read_dirty"}}));
        QVERIFY(!badIsolation.ok());
    }

    void readsWhatKcatWroteWithEveryCodec_data() {
        QTest::addColumn<QString>("codec");
        for (const char* codec : {"none", "gzip", "snappy", "lz4", "zstd"}) QTest::newRow(codec) << QString(codec);
    }
    void readsWhatKcatWroteWithEveryCodec() {
        QFETCH(QString, codec);
        const QString topic = "codec-" + codec;
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, numbered("value", 0, 300), codec,
                        {"-H", "source=kcat", "-H", "codec=" + codec}));
        auto consumer = makeConsumer();
        const TopicPartition tp{topic.toStdString(), 0};
        consumer->assign({tp});
        QVERIFY(consumer->seek(tp, StartPosition::beginning()).ok());
        Drained drained = drainToEnd(*consumer);
        QVERIFY2(drained.errors.empty(), qPrintable(messages(drained.errors)));
        QCOMPARE(offsetsOf(drained.records), range(0, 300));
        const auto expectedCodec = protocol::records::compressionTypeFromName(codec.toStdString());
        QVERIFY(expectedCodec.has_value());
        bool sawCodec = false;
        for (size_t i = 0; i < drained.records.size(); ++i) {
            const ConsumerRecord& r = drained.records[i];
            QCOMPARE(str(r.key), "key-" + std::to_string(i));
            QCOMPARE(str(r.value), "value-" + std::to_string(i));
            QCOMPARE(r.headers.size(), size_t(2));
            QCOMPARE(r.headers[0].key, std::string("source"));
            QCOMPARE(str(r.headers[0].value), std::string("kcat"));
            QCOMPARE(r.headers[1].key, std::string("codec"));
            QCOMPARE(str(r.headers[1].value), codec.toStdString());
            QVERIFY(r.timestamp > 0);
            sawCodec = sawCodec || r.codec == *expectedCodec;
        }
        QVERIFY2(sawCodec, "no record came in a batch with the codec kcat was asked for");
        QCOMPARE(consumer->position(tp), std::optional<int64_t>(300));
        QCOMPARE(consumer->highWatermark(tp), std::optional<int64_t>(300));
    }

    void seeksToOffsetsEndsAndTimes() {
        const QString topic = "seeks";
        const TopicPartition tp{topic.toStdString(), 0};
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, numbered("early", 0, 100)));
        const qint64 between = QDateTime::currentMSecsSinceEpoch() + 500;
        QThread::msleep(1200);
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, numbered("late", 100, 50)));

        auto consumer = makeConsumer();
        consumer->assign({tp});
        auto firstFrom = [&](StartPosition position) -> std::pair<std::optional<int64_t>, size_t> {
            if (!consumer->seek(tp, position).ok()) return {std::nullopt, 0};
            Drained d = drainToEnd(*consumer);
            if (!d.errors.empty()) qWarning("errors: %s", qPrintable(messages(d.errors)));
            if (d.records.empty()) return {std::nullopt, 0};
            return {d.records.front().offset, d.records.size()};
        };

        QCOMPARE(firstFrom(StartPosition::offset(42)), std::make_pair(std::optional<int64_t>(42), size_t(108)));
        QCOMPARE(firstFrom(StartPosition::beginning()), std::make_pair(std::optional<int64_t>(0), size_t(150)));
        QCOMPARE(firstFrom(StartPosition::fromEnd(10)), std::make_pair(std::optional<int64_t>(140), size_t(10)));
        // More than the partition holds: clamped to the log start.
        QCOMPARE(firstFrom(StartPosition::fromEnd(1000)), std::make_pair(std::optional<int64_t>(0), size_t(150)));
        // Between the two rounds: the first record of the second.
        auto byTime = firstFrom(StartPosition::timestamp(between));
        QCOMPARE(byTime, std::make_pair(std::optional<int64_t>(100), size_t(50)));

        // The end, and a time after the last record (ListOffsets answers -1: the end too).
        for (auto position :
             {StartPosition::end(), StartPosition::timestamp(QDateTime::currentMSecsSinceEpoch() + 3600000)}) {
            QVERIFY(consumer->seek(tp, position).ok());
            auto result = pollOnce(*consumer);
            QVERIFY(result.ok());
            QVERIFY(!result->hasRecords());
            QCOMPARE(consumer->position(tp), std::optional<int64_t>(150));
        }

        // A position set by a seek is visible at once when it is an offset, after the next poll
        // otherwise; seeking what is not assigned is refused.
        QVERIFY(consumer->seek(tp, StartPosition::offset(7)).ok());
        QCOMPARE(consumer->position(tp), std::optional<int64_t>(7));
        QVERIFY(consumer->seek(tp, StartPosition::beginning()).ok());
        QVERIFY(!consumer->position(tp));
        QVERIFY(!consumer->seek({"not-assigned", 0}, StartPosition::beginning()).ok());
        QVERIFY(!consumer->seek(tp, StartPosition::offset(-3)).ok());
    }

    void byteLimitsSplitTheReadIntoSeveralPolls() {
        const QString topic = "limits";
        const TopicPartition tp{topic.toStdString(), 0};
        QStringList lines;
        for (int i = 0; i < 300; ++i) lines << QStringLiteral("k%1:%2").arg(i).arg(QString(100, QChar('a' + i % 26)));
        // Small batches (10 records, about 1.3 KB each) so that a 1 KB limit holds about one.
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, lines, "none", {"-X", "batch.num.messages=10"}));

        auto consumer = makeConsumer({{"max.partition.fetch.bytes", "1024"}, {"auto.offset.reset", "earliest"}});
        consumer->assign({tp});
        Drained drained = drainToEnd(*consumer, 400);
        QVERIFY2(drained.errors.empty(), qPrintable(messages(drained.errors)));
        QCOMPARE(offsetsOf(drained.records), range(0, 300));
        QVERIFY2(drained.pollsWithRecords >= 10, qPrintable(QString::number(drained.pollsWithRecords)));

        // A batch over the limit still comes back whole.
        const QString big = "big:" + QString(5000, 'x');
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, {big}));
        Drained more = drainToEnd(*consumer);
        QVERIFY2(more.errors.empty(), qPrintable(messages(more.errors)));
        QCOMPARE(more.records.size(), size_t(1));
        QCOMPARE(more.records[0].offset, int64_t(300));
        QCOMPARE(more.records[0].value->size(), size_t(5000));

        // The default limits take everything in one poll.
        auto wide = makeConsumer({{"auto.offset.reset", "earliest"}});
        wide->assign({tp});
        Drained once = drainToEnd(*wide);
        QCOMPARE(once.records.size(), size_t(301));
        QVERIFY2(once.pollsWithRecords <= 2, qPrintable(QString::number(once.pollsWithRecords)));
    }

    void readCommittedHidesAbortedTransactions() {
        const QString topic = "txn";
        const TopicPartition tp{topic.toStdString(), 0};
        const QString script = R"PY(
import sys
from confluent_kafka import Producer
bootstrap, topic = sys.argv[1], sys.argv[2]
p = Producer({'bootstrap.servers': bootstrap, 'transactional.id': 'consumer-test-txn'})
p.init_transactions(60)
def run(prefix, count, commit):
    p.begin_transaction()
    for i in range(count):
        p.produce(topic, key='%s-%d' % (prefix, i), value='%s-%d' % (prefix, i), partition=0)
    p.flush(60)
    if commit:
        p.commit_transaction(60)
    else:
        p.abort_transaction(60)
run('committed-a', 5, True)
run('aborted', 3, False)
run('committed-b', 2, True)
print('done')
)PY";
        const tests::ToolRun run = tests::runPython(script, {m_broker->bootstrap(), topic});
        QVERIFY2(run.exitCode == 0 && run.out.contains("done"), qPrintable(run.err));
        // Non-transactional records after the transactions, so the end is not a marker.
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, {"plain-0:plain-0"}));

        auto committed = makeConsumer({{"isolation.level", "read_committed"}, {"auto.offset.reset", "earliest"}});
        committed->assign({tp});
        Drained c = drainToEnd(*committed, 200, true);
        QVERIFY2(c.errors.empty(), qPrintable(messages(c.errors)));
        std::vector<std::string> values;
        for (const auto& r : c.records) values.push_back(str(r.value));
        QCOMPARE(values, (std::vector<std::string>{"committed-a-0", "committed-a-1", "committed-a-2", "committed-a-3",
                                                   "committed-a-4", "committed-b-0", "committed-b-1", "plain-0"}));
        for (const auto& r : c.records) QVERIFY(!r.aborted);
        QCOMPARE(c.records.front().isTransactional, true);

        auto uncommitted = makeConsumer({{"auto.offset.reset", "earliest"}});
        uncommitted->assign({tp});
        Drained u = drainToEnd(*uncommitted);
        QVERIFY2(u.errors.empty(), qPrintable(messages(u.errors)));
        values.clear();
        for (const auto& r : u.records) values.push_back(str(r.value));
        // Every data record, aborted ones included; never the three transaction markers.
        QCOMPARE(values, (std::vector<std::string>{"committed-a-0", "committed-a-1", "committed-a-2", "committed-a-3",
                                                   "committed-a-4", "aborted-0", "aborted-1", "aborted-2",
                                                   "committed-b-0", "committed-b-1", "plain-0"}));
        // The markers still take offsets: the position passes them.
        QCOMPARE(uncommitted->position(tp), std::optional<int64_t>(14));
        QCOMPARE(committed->position(tp), std::optional<int64_t>(14));
    }

    void offsetOutOfRangeFollowsAutoOffsetReset() {
        const QString topic = "range";
        const TopicPartition tp{topic.toStdString(), 0};
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, numbered("v", 0, 10)));

        auto earliest = makeConsumer({{"auto.offset.reset", "earliest"}});
        earliest->assign({tp});
        QVERIFY(earliest->seek(tp, StartPosition::offset(500)).ok());
        Drained e = drainToEnd(*earliest);
        QVERIFY2(e.errors.empty(), qPrintable(messages(e.errors)));
        QCOMPARE(offsetsOf(e.records), range(0, 10));

        auto latest = makeConsumer({{"auto.offset.reset", "latest"}});
        latest->assign({tp});
        QVERIFY(latest->seek(tp, StartPosition::offset(500)).ok());
        Drained l = drainToEnd(*latest);
        QVERIFY2(l.errors.empty(), qPrintable(messages(l.errors)));
        QVERIFY(l.records.empty());
        QCOMPARE(latest->position(tp), std::optional<int64_t>(10));

        auto none = makeConsumer({{"auto.offset.reset", "none"}});
        none->assign({tp});
        // No position yet, and nothing to reset to.
        auto unset = pollOnce(*none);
        QVERIFY(unset.ok());
        QCOMPARE(unset->partitions.size(), size_t(1));
        QVERIFY(unset->partitions[0].error);
        QCOMPARE(unset->partitions[0].error->kind, ErrorKind::OutOfRange);

        QVERIFY(none->seek(tp, StartPosition::offset(500)).ok());
        auto result = pollOnce(*none);
        QVERIFY(result.ok());
        QCOMPARE(result->partitions.size(), size_t(1));
        const PartitionFetch& p = result->partitions[0];
        QVERIFY(p.error);
        QCOMPARE(p.error->kind, ErrorKind::OutOfRange);
        QCOMPARE(p.error->kafkaCode, protocol::code(protocol::ErrorCode::OffsetOutOfRange));
        QVERIFY2(p.error->message.find("range-0") != std::string::npos, p.error->message.c_str());
        QVERIFY2(p.error->message.find("500") != std::string::npos, p.error->message.c_str());
        QCOMPARE(none->position(tp), std::optional<int64_t>(500));
        // A seek gets it going again.
        QVERIFY(none->seek(tp, StartPosition::beginning()).ok());
        Drained n = drainToEnd(*none);
        QVERIFY2(n.errors.empty(), qPrintable(messages(n.errors)));
        QCOMPARE(n.records.size(), size_t(10));
    }

    void unknownTopicsAndPartitionsAreReported() {
        QVERIFY(produce(m_broker->bootstrap(), "known", 0, numbered("v", 0, 5)));
        auto consumer = makeConsumer({{"auto.offset.reset", "earliest"}});
        const TopicPartition missingTopic{"no-such-topic", 0};
        const TopicPartition missingPartition{"known", 7};
        const TopicPartition good{"known", 0};
        consumer->assign({missingTopic, missingPartition, good});
        std::map<std::string, Error> errors;
        size_t records = 0;
        for (int i = 0; i < 20 && (errors.size() < 2 || records < 5); ++i) {
            auto result = pollOnce(*consumer);
            QVERIFY(result.ok());
            for (const auto& p : result->partitions) {
                if (p.error) errors.emplace(p.partition.topic + "-" + std::to_string(p.partition.partition), *p.error);
                records += p.records.approximateRecordCount();
            }
        }
        QCOMPARE(records, size_t(5));  // the good partition is read all the same
        QVERIFY(errors.count("no-such-topic-0"));
        QVERIFY(errors.count("known-7"));
        for (const auto& [name, error] : errors) {
            QCOMPARE(error.kafkaCode, protocol::code(protocol::ErrorCode::UnknownTopicOrPartition));
            QVERIFY2(error.message.find(name) != std::string::npos, error.message.c_str());
            QVERIFY2(error.message.find("UNKNOWN_TOPIC_OR_PARTITION") != std::string::npos, error.message.c_str());
        }
        QVERIFY(!errors.count("known-0"));
    }

    void pauseHoldsBackAndCancelStopsAWaitingPoll() {
        const QString topic = "pause";
        const TopicPartition tp{topic.toStdString(), 0};
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, numbered("v", 0, 5)));
        auto consumer = makeConsumer({{"auto.offset.reset", "earliest"}, {"fetch.max.wait.ms", "5000"}});
        consumer->assign({tp});
        QVERIFY(consumer->pause(tp).ok());
        QVERIFY(consumer->isPaused(tp));
        auto paused = pollOnce(*consumer);
        QVERIFY(paused.ok());
        QVERIFY(!paused->hasRecords());
        QVERIFY(consumer->resume(tp).ok());
        Drained d = drainToEnd(*consumer);
        QCOMPARE(d.records.size(), size_t(5));

        // At the end with a 5 s long poll: cancel answers at once with Cancelled.
        auto promise = std::make_shared<std::promise<Result<FetchResult>>>();
        auto future = promise->get_future();
        PollHandle handle = consumer->poll([promise](Result<FetchResult> r) { promise->set_value(std::move(r)); });
        QThread::msleep(200);
        handle.cancel();
        QCOMPARE(future.wait_for(std::chrono::seconds(3)), std::future_status::ready);
        auto cancelled = future.get();
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().kind, ErrorKind::Cancelled);
        // The consumer is still usable, and nothing was lost.
        QVERIFY(produce(m_broker->bootstrap(), topic, 0, numbered("v", 5, 1)));
        Drained after = drainToEnd(*consumer);
        QCOMPARE(offsetsOf(after.records), std::vector<int64_t>{5});

        // One poll at a time; and none at all after close.
        auto first = std::make_shared<std::promise<Result<FetchResult>>>();
        consumer->poll([first](Result<FetchResult> r) { first->set_value(std::move(r)); });
        auto second = pollOnce(*consumer);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().kind, ErrorKind::InvalidArgument);
        consumer->close();
        auto closed = first->get_future();
        QCOMPARE(closed.wait_for(std::chrono::seconds(3)), std::future_status::ready);
        QCOMPARE(closed.get().error().kind, ErrorKind::Cancelled);
        QCOMPARE(pollOnce(*consumer).error().kind, ErrorKind::Cancelled);
    }

    void pollsChainedFromInsideCallbacks() {
        // The CLI's loop: each callback starts the next poll. Small fetches make many polls, each
        // of which may find the prefetched answer already there.
        const QString topic = "chained";
        const TopicPartition tp{topic.toStdString(), 0};
        QVERIFY(
            produce(m_broker->bootstrap(), topic, 0, numbered("v", 0, 500), "none", {"-X", "batch.num.messages=5"}));
        auto consumer = makeConsumer({{"auto.offset.reset", "earliest"}, {"max.partition.fetch.bytes", "1"}});
        consumer->assign({tp});

        struct Loop {
            Consumer* consumer = nullptr;
            std::vector<int64_t> offsets;
            int polls = 0;
            std::promise<Status> finished;
            void next() {
                consumer->poll([this](Result<FetchResult> result) {
                    ++polls;
                    if (!result.ok()) return finished.set_value(result.error());
                    for (const auto& p : result->partitions) {
                        if (p.error) return finished.set_value(*p.error);
                        for (const FetchedRecord& r : p.records) offsets.push_back(r.offset);
                    }
                    if (offsets.size() >= 500 || polls > 2000) return finished.set_value(Status::success());
                    next();
                });
            }
        } loop;
        loop.consumer = consumer.get();
        auto done = loop.finished.get_future();
        loop.next();
        QCOMPARE(done.wait_for(std::chrono::seconds(120)), std::future_status::ready);
        const Status status = done.get();
        QVERIFY2(status.ok(), status.ok() ? "" : status.error().message.c_str());
        QCOMPARE(loop.offsets, range(0, 500));
        QVERIFY2(loop.polls >= 50, qPrintable(QString::number(loop.polls)));
    }

    void partitadKilledMidBrowseThenRestarted() {
        QTemporaryDir dir;
        PartitadProcess broker(dir.path());
        QVERIFY2(broker.start(kOverrides), qPrintable(broker.output()));
        const QString topic = "browse";
        const TopicPartition tp{topic.toStdString(), 0};
        QVERIFY(produce(broker.bootstrap(), topic, 0, numbered("v", 0, 100)));

        std::shared_ptr<KafkaClient> client;
        auto consumer = makeConsumer({{"auto.offset.reset", "earliest"}, {"request.timeout.ms", "3000"}}, &client,
                                     broker.bootstrap());
        consumer->assign({tp});
        Drained before = drainToEnd(*consumer);
        QCOMPARE(offsetsOf(before.records), range(0, 100));

        broker.kill();
        auto lost = pollOnce(*consumer);
        QVERIFY(lost.ok());
        QCOMPARE(lost->partitions.size(), size_t(1));
        QVERIFY(lost->partitions[0].error);
        const Error& error = *lost->partitions[0].error;
        qInfo("after the kill: %s: %s", errorKindName(error.kind), error.message.c_str());
        QVERIFY2(error.kind == ErrorKind::Network || error.kind == ErrorKind::Timeout, error.message.c_str());
        QVERIFY2(error.message.find("browse-0") != std::string::npos, error.message.c_str());
        QCOMPARE(consumer->position(tp), std::optional<int64_t>(100));

        QVERIFY2(broker.restart(kOverrides), qPrintable(broker.output()));
        QVERIFY(produce(broker.bootstrap(), topic, 0, numbered("v", 100, 20)));
        Drained after;
        for (int i = 0; i < 60 && after.records.size() < 20; ++i) {
            auto result = pollOnce(*consumer);
            QVERIFY(result.ok());
            collect(*result, after);
        }
        QCOMPARE(offsetsOf(after.records), range(100, 120));
        consumer.reset();
        client->close();
    }
};

QTEST_GUILESS_MAIN(ConsumerPartitadTest)
#include "consumer_partitad_test.moc"
