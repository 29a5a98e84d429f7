// Tests of SampleData against a real partitad: topics, record counts and the lagging group it leaves.
#include "app/localcluster/sampledata.h"
#include "clienttestutil.h"
#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "partitadprocess.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace partita;
using partita::app::SampleData;

namespace {

constexpr int kRunTimeoutMs = 120000;

// The sum of the end offsets of every partition of `topic`, and how many partitions it has.
std::pair<int64_t, size_t> endOffsets(client::Admin& admin, const std::string& topic, int32_t partitions) {
    std::map<client::TopicPartition, int64_t> specs;
    for (int32_t p = 0; p < partitions; ++p) specs[{topic, p}] = client::OffsetSpec::kLatest;
    auto listed = tests::waitFor<std::vector<client::ListedOffset>>(
        [&](auto done) { admin.listOffsets(specs, client::IsolationLevel::ReadUncommitted, std::move(done)); });
    if (!listed.ok()) return {-1, 0};
    int64_t sum = 0;
    for (const auto& offset : listed.value()) sum += offset.status.ok() ? offset.offset : 0;
    return {sum, listed->size()};
}

}  // namespace

class SampleDataTest : public QObject {
    Q_OBJECT

private slots:
    void fillsAFreshCluster() {
        QTemporaryDir tmp;
        tests::PartitadProcess partitad(tmp.path());
        QVERIFY(partitad.start({"num.partitions=3"}));
        auto client = client::KafkaClient::create(tests::clientConfig(partitad.bootstrap()));
        QVERIFY(client.ok());

        SampleData sample(client.value());
        QSignalSpy progress(&sample, &SampleData::progress);
        QSignalSpy finished(&sample, &SampleData::finished);
        sample.start();
        QVERIFY(sample.isRunning());
        QVERIFY(finished.wait(kRunTimeoutMs));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(!sample.isRunning());
        QVERIFY(progress.size() > 3);
        QCOMPARE(progress.last().at(0).toInt(), progress.last().at(1).toInt());

        client::Admin admin(client.value());
        auto described = tests::waitFor<std::vector<client::TopicDescription>>([&](auto done) {
            admin.describeTopics({"user-events", "orders", "users"}, std::move(done));
        });
        QVERIFY(described.ok());
        QCOMPARE(described->size(), size_t(3));
        const std::vector<size_t> partitions{6, 3, 3};
        for (size_t i = 0; i < 3; ++i) {
            QVERIFY2(described->at(i).status.ok(), described->at(i).name.c_str());
            QCOMPARE(described->at(i).partitions.size(), partitions[i]);
        }

        auto configs = tests::waitFor<std::vector<client::ResourceConfig>>([&](auto done) {
            admin.describeConfigs({client::ConfigResource::topic("users")}, {{"cleanup.policy"}}, std::move(done));
        });
        QVERIFY(configs.ok());
        QVERIFY(configs->front().status.ok());
        bool compact = false;
        for (const auto& entry : configs->front().entries)
            if (entry.name == "cleanup.policy") compact = entry.value == std::optional<std::string>("compact");
        QVERIFY(compact);

        QCOMPARE(endOffsets(admin, "user-events", 6), std::make_pair(int64_t(SampleData::kUserEvents), size_t(6)));
        QCOMPARE(endOffsets(admin, "orders", 3), std::make_pair(int64_t(SampleData::kOrders), size_t(3)));
        QCOMPARE(endOffsets(admin, "users", 3), std::make_pair(int64_t(SampleData::kUserRecords), size_t(3)));

        auto lag = tests::waitFor<client::ConsumerGroupLag>(
            [&](auto done) { admin.describeConsumerGroupLag(SampleData::kGroup, std::move(done)); });
        QVERIFY2(lag.ok(), lag.ok() ? "" : lag.error().message.c_str());
        QCOMPARE(lag->partitions.size(), size_t(3));
        for (const auto& partition : lag->partitions) {
            QCOMPARE(partition.partition.topic, std::string("orders"));
            QVERIFY(partition.lag.has_value());
            QVERIFY(*partition.lag > 0);
            QVERIFY(*partition.committedOffset > 0);
        }

        // A second run finds the topics and adds to them.
        sample.start();
        QVERIFY(finished.wait(kRunTimeoutMs));
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
        QCOMPARE(endOffsets(admin, "orders", 3), std::make_pair(int64_t(2 * SampleData::kOrders), size_t(3)));
    }

    void cancelFinishesAtOnce() {
        QTemporaryDir tmp;
        tests::PartitadProcess partitad(tmp.path());
        QVERIFY(partitad.start({"num.partitions=3"}));
        auto client = client::KafkaClient::create(tests::clientConfig(partitad.bootstrap()));
        QVERIFY(client.ok());
        SampleData sample(client.value());
        QSignalSpy finished(&sample, &SampleData::finished);
        sample.start();
        sample.cancel();
        QCOMPARE(finished.size(), 1);
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY(!finished.first().at(1).toString().isEmpty());
        // Late engine callbacks of the cancelled run change nothing.
        QTest::qWait(1000);
        QCOMPARE(finished.size(), 1);
        QVERIFY(!sample.isRunning());
    }
};

QTEST_MAIN(SampleDataTest)
#include "sampledata_test.moc"
