// The browsing Consumer against librdkafka's mock cluster (a broker nobody here wrote): three brokers, a
// topic of three partitions led by different brokers, and a leader moved between polls.
#include "clienttestutil.h"

#include "engine/client/consumer.h"
#include "engine/client/kafkaclient.h"

#include <QStandardPaths>
#include <QTest>

#include <map>
#include <memory>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using partita::tests::MockCluster;
using partita::tests::waitFor;

namespace {

bool produce(const QString& bootstrap, const QString& topic, int partition, int from, int count) {
    QStringList lines;
    for (int i = from; i < from + count; ++i) lines << QStringLiteral("p%1-k%2:p%1-v%2").arg(partition).arg(i);
    return tests::kcatProduce(bootstrap, topic, partition, lines, {"-K:", "-z", "lz4"});
}

using Seen = std::map<int32_t, std::vector<std::pair<int64_t, std::string>>>;

// Polls until every partition has `want[p]` records or `polls` ran out; errors are collected.
void consume(Consumer& consumer, Seen& seen, const std::map<int32_t, size_t>& want, std::vector<Error>& errors,
             int polls = 100) {
    for (int i = 0; i < polls; ++i) {
        bool done = true;
        for (const auto& [p, n] : want)
            if (seen[p].size() < n) done = false;
        if (done) return;
        auto result = waitFor<FetchResult>([&](auto cb) { consumer.poll(std::move(cb)); });
        if (!result.ok()) {
            errors.push_back(result.error());
            return;
        }
        for (const auto& p : result->partitions) {
            if (p.error) errors.push_back(*p.error);
            for (const FetchedRecord& r : p.records)
                seen[p.partition.partition].emplace_back(r.offset, std::string(r.valueBytes()->view()));
        }
    }
}

}  // namespace

class ConsumerMockTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing: run `make deps`");
    }

    void consumesEverythingAndFollowsAMovedLeader() {
        MockCluster cluster;
        QVERIFY(cluster.start(3, {"t:3:3"}));
        for (int p = 0; p < 3; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, 0, 50));

        auto config = clientConfig(cluster.bootstrap(), {{"auto.offset.reset", "earliest"}});
        auto client = KafkaClient::create(config);
        QVERIFY(client.ok());
        auto consumerConfig = ConsumerConfig::fromClientConfig(config);
        QVERIFY(consumerConfig.ok());
        Consumer consumer(*client, *consumerConfig);
        consumer.assign({{"t", 0}, {"t", 1}, {"t", 2}});

        Seen seen;
        std::vector<Error> errors;
        consume(consumer, seen, {{0, 50}, {1, 50}, {2, 50}}, errors);
        for (const auto& e : errors) qWarning("%s", e.message.c_str());
        QVERIFY(errors.empty());

        // Partition 1 (and 0) move to another broker, then more records arrive.
        auto leaderOf = [&](int32_t partition) { return (*client)->metadata()->partition("t", partition)->leader; };
        const int32_t moved = leaderOf(1) % 3 + 1;
        QVERIFY(cluster.command(QStringLiteral("leader t 1 %1").arg(moved)));
        QVERIFY(cluster.command(QStringLiteral("leader t 0 %1").arg(leaderOf(0) % 3 + 1)));
        for (int p = 0; p < 3; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, 50, 30));
        consume(consumer, seen, {{0, 80}, {1, 80}, {2, 80}}, errors);
        for (const auto& e : errors) qWarning("%s", e.message.c_str());
        QVERIFY(errors.empty());

        // Nothing lost, nothing twice, in order.
        for (int32_t p = 0; p < 3; ++p) {
            const auto& records = seen[p];
            QCOMPARE(records.size(), size_t(80));
            for (size_t i = 0; i < records.size(); ++i) {
                QCOMPARE(records[i].first, int64_t(i));
                QCOMPARE(records[i].second, QStringLiteral("p%1-v%2").arg(p).arg(i).toStdString());
            }
            QCOMPARE(consumer.position({"t", p}), std::optional<int64_t>(80));
        }
        // The consumer learnt the new leader (it only looks again when told it is wrong).
        QCOMPARE(leaderOf(1), moved);

        // And a second move while the consumer sits at the end.
        const int32_t movedAgain = moved % 3 + 1;
        QVERIFY(cluster.command(QStringLiteral("leader t 1 %1").arg(movedAgain)));
        QVERIFY(produce(cluster.bootstrap(), "t", 1, 80, 5));
        consume(consumer, seen, {{1, 85}}, errors);
        QVERIFY(errors.empty());
        QCOMPARE(seen[1].size(), size_t(85));
        QCOMPARE(seen[1].back().first, int64_t(84));
        QCOMPARE(leaderOf(1), movedAgain);
        consumer.close();
    }

    void seeksOnTheMock() {
        MockCluster cluster;
        QVERIFY(cluster.start(3, {"s:1:3"}));
        QVERIFY(produce(cluster.bootstrap(), "s", 0, 0, 40));
        auto config = clientConfig(cluster.bootstrap());
        auto client = KafkaClient::create(config);
        QVERIFY(client.ok());
        Consumer consumer(*client, *ConsumerConfig::fromClientConfig(config));
        const TopicPartition tp{"s", 0};
        consumer.assign({tp});

        // Default auto.offset.reset=latest: nothing old.
        auto first = waitFor<FetchResult>([&](auto cb) { consumer.poll(std::move(cb)); });
        QVERIFY(first.ok());
        QVERIFY(!first->hasRecords());
        QCOMPARE(consumer.position(tp), std::optional<int64_t>(40));

        QVERIFY(consumer.seek(tp, StartPosition::fromEnd(5)).ok());
        Seen seen;
        std::vector<Error> errors;
        consume(consumer, seen, {{0, 5}}, errors);
        QVERIFY(errors.empty());
        QCOMPARE(seen[0].front().first, int64_t(35));

        // The mock answers -1 to any time: that is the end.
        QVERIFY(consumer.seek(tp, StartPosition::timestamp(1)).ok());
        auto byTime = waitFor<FetchResult>([&](auto cb) { consumer.poll(std::move(cb)); });
        QVERIFY(byTime.ok());
        for (const auto& p : byTime->partitions)
            if (p.error) qWarning("%s", p.error->message.c_str());
        QCOMPARE(consumer.position(tp), std::optional<int64_t>(40));
    }
};

QTEST_GUILESS_MAIN(ConsumerMockTest)
#include "consumer_mock_test.moc"
