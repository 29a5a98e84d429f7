// Admin against librdkafka's mock cluster (a Kafka implementation nobody here wrote), for the subset it
// serves: cluster and topics through Metadata, offsets with moved leaders and injected errors, and
// committed group offsets with a moving coordinator.
#include "clienttestutil.h"

#include <QTest>

#include <algorithm>

using namespace partita;
using namespace partita::client;
using partita::tests::waitFor;

class AdminMockTest : public QObject, protected tests::AdminFixture {
    Q_OBJECT

private:
    tests::MockCluster m_mock;

    Result<std::vector<ListedOffset>> offsets(std::map<TopicPartition, int64_t> specs) {
        return waitFor<std::vector<ListedOffset>>([&](auto done) {
            m_admin->listOffsets(std::move(specs), IsolationLevel::ReadUncommitted, std::move(done));
        });
    }
    // The mock answers "every partition" (null topics) with a null list Kafka never sends, so the
    // partitions are named here.
    Result<std::vector<CommittedOffset>> committed(const std::string& group, std::vector<TopicPartition> partitions) {
        return waitFor<std::vector<CommittedOffset>>(
            [&](auto done) { m_admin->listConsumerGroupOffsets(group, std::move(partitions), std::move(done)); });
    }
    Result<std::vector<PartitionStatus>> commit(const std::string& group,
                                                std::map<TopicPartition, OffsetAndMetadata> offsets) {
        return waitFor<std::vector<PartitionStatus>>(
            [&](auto done) { m_admin->alterConsumerGroupOffsets(group, std::move(offsets), std::move(done)); });
    }

private slots:
    void initTestCase() {
        QVERIFY(m_mock.start(3, {"mock-a:4:3"}));
        QVERIFY(connectTo(m_mock.bootstrap()));
        QVERIFY(tests::kcatProduceNumbered(m_mock.bootstrap(), "mock-a", 0, 5));
    }

    void cleanupTestCase() {
        stopCluster();
        m_mock.stop();
    }

    void describeClusterListsEveryBroker() {
        auto cluster = waitFor<ClusterDescription>([&](auto done) { m_admin->describeCluster(std::move(done)); });
        QVERIFY2(cluster.ok(), cluster.ok() ? "" : cluster.error().message.c_str());
        QCOMPARE(cluster->brokers.size(), size_t(3));
        QVERIFY(!cluster->clusterId.empty());
        int controllers = 0;
        for (const auto& b : cluster->brokers) {
            QVERIFY(!b.host.empty());
            QVERIFY(b.port > 0);
            if (b.isController) ++controllers;
            QCOMPARE(b.isController, b.id == cluster->controllerId);
        }
        QVERIFY(controllers <= 1);
        QVERIFY(std::is_sorted(cluster->brokers.begin(), cluster->brokers.end(),
                               [](const auto& a, const auto& b) { return a.id < b.id; }));
    }

    void topicsOfTheMockAreListedAndDescribed() {
        auto topics =
            waitFor<std::vector<TopicListing>>([&](auto done) { m_admin->listTopics(false, std::move(done)); });
        QVERIFY2(topics.ok(), topics.ok() ? "" : topics.error().message.c_str());
        auto it = std::find_if(topics->begin(), topics->end(), [](const auto& t) { return t.name == "mock-a"; });
        QVERIFY(it != topics->end());
        QCOMPARE(it->partitionCount, 4);

        auto described = waitFor<std::vector<TopicDescription>>(
            [&](auto done) { m_admin->describeTopics({"mock-a"}, std::move(done)); });
        QVERIFY2(described.ok(), described.ok() ? "" : described.error().message.c_str());
        QVERIFY(described->front().status.ok());
        QCOMPARE(described->front().partitions.size(), size_t(4));
        for (const auto& p : described->front().partitions) {
            QCOMPARE(p.replicas.size(), size_t(3));
            QVERIFY(std::find(p.replicas.begin(), p.replicas.end(), p.leader) != p.replicas.end());
        }
    }

    void listOffsetsAfterProducingWithKcat() {
        auto latest = offsets({{{"mock-a", 0}, OffsetSpec::kLatest}, {{"mock-a", 1}, OffsetSpec::kLatest}});
        QVERIFY2(latest.ok(), latest.ok() ? "" : latest.error().message.c_str());
        QVERIFY(firstFailure(*latest).ok());
        QCOMPARE((*latest)[0].offset, int64_t(5));
        QCOMPARE((*latest)[1].offset, int64_t(0));
        auto earliest = offsets({{{"mock-a", 0}, OffsetSpec::kEarliest}});
        QVERIFY(earliest.ok() && earliest->front().status.ok());
        QCOMPARE(earliest->front().offset, int64_t(0));
    }

    void aMovedLeaderIsFoundAgain() {
        // Warm the cache with the current leader, then move it behind the client's back.
        auto described = waitFor<std::vector<TopicDescription>>(
            [&](auto done) { m_admin->describeTopics({"mock-a"}, std::move(done)); });
        QVERIFY(described.ok());
        QVERIFY(offsets({{{"mock-a", 0}, OffsetSpec::kLatest}}).ok());
        const int32_t leader = described->front().partitions.front().leader;
        const int32_t other = leader % 3 + 1;
        QVERIFY(m_mock.command(QStringLiteral("leader mock-a 0 %1").arg(other)));
        auto latest = offsets({{{"mock-a", 0}, OffsetSpec::kLatest}});
        QVERIFY(latest.ok());
        QVERIFY2(latest->front().status.ok(), latest->front().status.error().message.c_str());
        QCOMPARE(latest->front().offset, int64_t(5));
        QCOMPARE(m_client->metadata()->partition("mock-a", 0)->leader, other);
    }

    void notLeaderAnswersAreRetried() {
        // ListOffsets (key 2) answers NOT_LEADER_OR_FOLLOWER (6) twice.
        QVERIFY(m_mock.command("errors 2 6 2"));
        auto latest = offsets({{{"mock-a", 0}, OffsetSpec::kLatest}});
        QVERIFY(latest.ok());
        QVERIFY2(latest->front().status.ok(), latest->front().status.error().message.c_str());
        QCOMPARE(latest->front().offset, int64_t(5));
    }

    void alteredGroupOffsetsAreListed() {
        auto altered = commit("mock-group", {{{"mock-a", 0}, {3, -1, "reset"}}, {{"mock-a", 2}, {0, -1, ""}}});
        QVERIFY2(altered.ok(), altered.ok() ? "" : altered.error().message.c_str());
        QVERIFY(firstFailure(*altered).ok());
        auto listed = committed("mock-group", {{"mock-a", 0}, {"mock-a", 1}, {"mock-a", 2}});
        QVERIFY2(listed.ok(), listed.ok() ? "" : listed.error().message.c_str());
        std::map<TopicPartition, CommittedOffset> byPartition;
        for (const auto& c : *listed) byPartition[c.partition] = c;
        QVERIFY(byPartition.count({"mock-a", 0}));
        QCOMPARE((byPartition[TopicPartition{"mock-a", 0}].offset), int64_t(3));
        QCOMPARE((byPartition[TopicPartition{"mock-a", 0}].metadata), std::string("reset"));
        QVERIFY(byPartition.count({"mock-a", 2}));
        QCOMPARE((byPartition[TopicPartition{"mock-a", 2}].offset), int64_t(0));
        QCOMPARE((byPartition[TopicPartition{"mock-a", 1}].offset), int64_t(-1));  // never committed
    }

    void aMovedCoordinatorIsFoundAgain() {
        // OffsetCommit (8) says NOT_COORDINATOR (16), OffsetFetch (9) COORDINATOR_LOAD_IN_PROGRESS (14).
        QVERIFY(m_mock.command("errors 8 16 1"));
        auto altered = commit("mock-group", {{{"mock-a", 0}, {4, -1, ""}}});
        QVERIFY(altered.ok());
        QVERIFY2(firstFailure(*altered).ok(), firstFailure(*altered).error().message.c_str());
        QVERIFY(m_mock.command("errors 9 14 1"));
        auto listed = waitFor<std::vector<CommittedOffset>>([&](auto done) {
            m_admin->listConsumerGroupOffsets("mock-group", {{"mock-a", 0}}, std::move(done));
        });
        QVERIFY2(listed.ok(), listed.ok() ? "" : listed.error().message.c_str());
        QCOMPARE(listed->size(), size_t(1));
        QCOMPARE(listed->front().offset, int64_t(4));
    }
};

QTEST_GUILESS_MAIN(AdminMockTest)
#include "admin_mock_test.moc"
