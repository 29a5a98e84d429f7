// The producer against librdkafka's mock cluster (3 brokers): idempotence, a leader moved
// mid-stream and injected NOT_LEADER_OR_FOLLOWER answers, all records delivered exactly once.
#include "clienttestutil.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"

#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

using namespace partita;
using namespace partita::client;
using partita::tests::MockCluster;

namespace {

QStringList kcatRead(const QString& bootstrap, const QString& topic, const QString& format) {
    return tests::runKcat({"-b", bootstrap, "-C", "-t", topic, "-e", "-f", format}).out.split('\n', Qt::SkipEmptyParts);
}

// Delivery reports by record index, and the order they came in. The state is shared with the
// callbacks, so a test that stops early does not leave them writing into freed memory.
class Reports {
public:
    struct State {
        std::mutex mutex;
        std::condition_variable changed;
        std::map<size_t, Result<RecordMetadata>> results;
        std::vector<size_t> order;
        int duplicates = 0;
    };

    DeliveryCallback at(size_t index) {
        return [state = m_state, index](Result<RecordMetadata> result) {
            std::lock_guard lock(state->mutex);
            if (state->results.count(index)) ++state->duplicates;
            state->results.insert_or_assign(index, std::move(result));
            state->order.push_back(index);
            state->changed.notify_all();
        };
    }
    bool waitFor(size_t count) {
        std::unique_lock lock(m_state->mutex);
        return m_state->changed.wait_for(lock, std::chrono::seconds(120),
                                         [&] { return m_state->results.size() >= count; });
    }
    size_t delivered() {
        std::lock_guard lock(m_state->mutex);
        size_t n = 0;
        for (auto& [i, r] : m_state->results) n += r.ok() ? 1 : 0;
        return n;
    }
    QString firstError() {
        std::lock_guard lock(m_state->mutex);
        for (auto& [i, r] : m_state->results)
            if (!r.ok()) return QString::fromStdString(r.error().message);
        return {};
    }
    // The report of record `index` (after waitFor), and its error text or "".
    Result<RecordMetadata> result(size_t index) {
        std::lock_guard lock(m_state->mutex);
        return m_state->results.at(index);
    }
    State& state() { return *m_state; }

private:
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

std::string errorText(const Result<RecordMetadata>& r) {
    return r.ok() ? std::string() : r.error().message;
}

}  // namespace

class TestProducerMock : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<KafkaClient> client(const MockCluster& cluster, std::map<std::string, std::string> props = {}) {
        auto created = KafkaClient::create(tests::clientConfig(cluster.bootstrap(), std::move(props)));
        if (!created.ok()) qFatal("client: %s", created.error().message.c_str());
        return created.value();
    }

    // Every delivered record is in the log exactly once, and per partition the delivery reports
    // came in offset order.
    void checkLog(const MockCluster& cluster, const QString& topic, Reports& reports, size_t total) {
        std::map<int32_t, int64_t> lastOffset;
        {
            auto& state = reports.state();
            std::lock_guard lock(state.mutex);
            QCOMPARE(state.duplicates, 0);
            for (size_t index : state.order) {
                const auto& r = state.results.at(index);
                QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
                auto it = lastOffset.find(r->partition);
                if (it != lastOffset.end()) QVERIFY2(r->offset > it->second, "reports out of offset order");
                lastOffset[r->partition] = r->offset;
            }
        }
        const QStringList values = kcatRead(cluster.bootstrap(), topic, "%s\\n");
        QCOMPARE(size_t(values.size()), total);
        QCOMPARE(size_t(QSet<QString>(values.begin(), values.end()).size()), total);
    }

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing");
    }

    void idempotentProduceToThreeBrokers() {
        MockCluster cluster;
        QVERIFY(cluster.start(3, {"idem:6:3"}));
        auto producer = Producer::create(client(cluster));
        QVERIFY(producer.ok());
        QVERIFY(producer.value()->config().idempotence);
        Reports reports;
        const size_t total = 5000;
        for (size_t i = 0; i < total; ++i) {
            ProducerRecord r;
            r.topic = "idem";
            r.key = "k" + std::to_string(i % 50);
            r.value = "v" + std::to_string(i);
            QVERIFY(producer.value()->produce(r, reports.at(i)).ok());
        }
        QVERIFY(reports.waitFor(total));
        QVERIFY2(reports.delivered() == total, qPrintable(reports.firstError()));
        checkLog(cluster, "idem", reports, total);
    }

    void leaderMovedMidStream() {
        MockCluster cluster;
        QVERIFY(cluster.start(3, {"moving:2:3"}));
        QVERIFY(cluster.command("leader moving 0 1"));
        auto producer = Producer::create(client(cluster, {{"linger.ms", "2"}}));
        QVERIFY(producer.ok());
        Reports reports;
        const size_t total = 6000;
        for (size_t i = 0; i < total; ++i) {
            ProducerRecord r;
            r.topic = "moving";
            r.partition = int32_t(i % 2);
            r.value = "v" + std::to_string(i);
            QVERIFY(producer.value()->produce(r, reports.at(i)).ok());
            if (i == 2000) {
                QVERIFY(reports.waitFor(1000));
                QVERIFY(cluster.command("leader moving 0 2"));
            }
            if (i == 4000) QVERIFY(cluster.command("leader moving 1 3"));
            if (i % 500 == 0) QThread::msleep(10);
        }
        QVERIFY(reports.waitFor(total));
        QVERIFY2(reports.delivered() == total, qPrintable(reports.firstError()));
        // The old leader refused what was on its way; those batches went to the new one.
        const auto metrics = producer.value()->metrics();
        qInfo("retries %llu, requests %llu", static_cast<unsigned long long>(metrics.retries),
              static_cast<unsigned long long>(metrics.requestsSent));
        QVERIFY(metrics.retries >= 1);
        checkLog(cluster, "moving", reports, total);
    }

    void notLeaderAnswersAreRetried() {
        MockCluster cluster;
        QVERIFY(cluster.start(3, {"flaky:1:3"}));
        auto producer = Producer::create(client(cluster, {{"retry.backoff.ms", "20"}}));
        QVERIFY(producer.ok());
        // Warm up (producer id, metadata, connection), then the next three Produce requests fail.
        Reports reports;
        ProducerRecord first;
        first.topic = "flaky";
        first.value = "v0";
        QVERIFY(producer.value()->produce(first, reports.at(0)).ok());
        QVERIFY(reports.waitFor(1));
        QVERIFY(cluster.command("errors 0 6 3"));
        const size_t total = 300;
        for (size_t i = 1; i < total; ++i) {
            ProducerRecord r;
            r.topic = "flaky";
            r.value = "v" + std::to_string(i);
            QVERIFY(producer.value()->produce(r, reports.at(i)).ok());
        }
        QVERIFY(reports.waitFor(total));
        QVERIFY2(reports.delivered() == total, qPrintable(reports.firstError()));
        QVERIFY2(producer.value()->metrics().retries >= 3,
                 qPrintable(QString::number(producer.value()->metrics().retries)));
        checkLog(cluster, "flaky", reports, total);
        // In order, too: one partition, so offsets follow the produce order.
        for (size_t i = 0; i < total; ++i) QCOMPARE(reports.result(i)->offset, int64_t(i));
    }

    void outOfOrderSequenceFailsTheBatchAndTheProducerGoesOn() {
        MockCluster cluster;
        QVERIFY(cluster.start(1, {"oos:1:1"}));
        auto producer = Producer::create(client(cluster));
        QVERIFY(producer.ok());
        Reports reports;
        ProducerRecord r;
        r.topic = "oos";
        r.value = "first";
        QVERIFY(producer.value()->produce(r, reports.at(0)).ok());
        QVERIFY(reports.waitFor(1));
        QVERIFY(cluster.command("errors 0 45 1"));
        r.value = "refused";
        QVERIFY(producer.value()->produce(r, reports.at(1)).ok());
        QVERIFY(reports.waitFor(2));
        {
            const auto refused = reports.result(1);
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().kafkaCode, int16_t(45));
            QVERIFY2(refused.error().message.find("oos-0: OUT_OF_ORDER_SEQUENCE_NUMBER") != std::string::npos,
                     refused.error().message.c_str());
        }
        r.value = "after";
        QVERIFY(producer.value()->produce(r, reports.at(2)).ok());
        QVERIFY(reports.waitFor(3));
        QVERIFY2(reports.result(2).ok(), errorText(reports.result(2)).c_str());
        QCOMPARE(producer.value()->metrics().producerIdResets, uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestProducerMock)
#include "producer_mock_test.moc"
