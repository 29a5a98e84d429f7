// Tests of MetadataStore's persistence: topics created are appended to a change log, every other
// change writes a snapshot, and a restart sees exactly what was acknowledged, whatever a crash left.
#include "engine/cluster/metadatastore.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using partita::cluster::MetadataStore;

namespace {

std::unique_ptr<MetadataStore> openStore(const std::string& path) {
    auto store = MetadataStore::open(path, "cluster-id", 1);
    if (!store.ok()) qWarning("open failed: %s", store.error().message.c_str());
    return store.ok() ? std::move(store.value()) : nullptr;
}

std::vector<std::string> topicNames(const MetadataStore& store) {
    std::vector<std::string> names;
    for (const auto& topic : store.topics()) names.push_back(topic.name);
    return names;
}

std::vector<std::vector<int32_t>> onBroker1(int partitions) {
    return std::vector<std::vector<int32_t>>(size_t(partitions), std::vector<int32_t>{1});
}

uint64_t fileSize(const std::string& path) {
    return std::filesystem::exists(path) ? std::filesystem::file_size(path) : 0;
}

}  // namespace

class MetadataStoreTest : public QObject {
    Q_OBJECT
private slots:
    void createdTopicsSurviveARestartWithTheirIds() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/meta.json";
        partita::Uuid ordersId;
        {
            auto store = openStore(path);
            QVERIFY(store);
            auto orders = store->createTopic("orders", onBroker1(3), {{"retention.ms", "1000"}});
            QVERIFY(orders.ok());
            ordersId = orders->id;
            QVERIFY(store->createTopic("payments", onBroker1(1), {}).ok());
            // Creating appends to the change log; no snapshot is rewritten for it.
            QVERIFY(fileSize(path + ".log") > 0);
            QCOMPARE(fileSize(path), uint64_t(0));
        }
        auto again = openStore(path);
        QVERIFY(again);
        QCOMPARE(topicNames(*again), (std::vector<std::string>{"orders", "payments"}));
        auto orders = again->topic("orders");
        QVERIFY(orders);
        QVERIFY(orders->id == ordersId);
        QCOMPARE(orders->partitions.size(), size_t(3));
        QCOMPARE(orders->configs.at("retention.ms"), std::string("1000"));
        // And creating goes on after the replay.
        QVERIFY(again->createTopic("refunds", onBroker1(2), {}).ok());
        auto third = openStore(path);
        QCOMPARE(topicNames(*third), (std::vector<std::string>{"orders", "payments", "refunds"}));
    }

    void otherChangesWriteASnapshotAndEmptyTheLog() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/meta.json";
        {
            auto store = openStore(path);
            QVERIFY(store->createTopic("a", onBroker1(1), {}).ok());
            QVERIFY(store->createTopic("b", onBroker1(1), {}).ok());
            QVERIFY(store->deleteTopic("a").ok());
            QVERIFY(fileSize(path) > 0);
            QVERIFY(!std::filesystem::exists(path + ".log"));
            QVERIFY(store->addPartitions("b", onBroker1(2)).ok());
            QVERIFY(store->createTopic("c", onBroker1(1), {}).ok());
        }
        auto again = openStore(path);
        QCOMPARE(topicNames(*again), (std::vector<std::string>{"b", "c"}));
        QCOMPARE(again->topic("b")->partitions.size(), size_t(3));
    }

    void aStaleLogDoesNotBringBackADeletedTopic() {
        // A crash after the snapshot of a delete was written but before the log was removed.
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/meta.json";
        {
            auto store = openStore(path);
            QVERIFY(store->createTopic("gone", onBroker1(1), {}).ok());
            std::filesystem::copy_file(path + ".log", path + ".saved");
            QVERIFY(store->deleteTopic("gone").ok());
        }
        std::filesystem::rename(path + ".saved", path + ".log");
        auto again = openStore(path);
        QVERIFY(again);
        QVERIFY(topicNames(*again).empty());
    }

    void aTornLastLineIsDroppedAndOverwritten() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/meta.json";
        {
            auto store = openStore(path);
            QVERIFY(store->createTopic("kept", onBroker1(1), {}).ok());
        }
        {
            std::ofstream log(path + ".log", std::ios::app);
            log << "{\"sequence\":2,\"createTopic\":{\"name\":\"half";
        }
        {
            auto store = openStore(path);
            QVERIFY(store);
            QCOMPARE(topicNames(*store), (std::vector<std::string>{"kept"}));
            QVERIFY(store->createTopic("next", onBroker1(1), {}).ok());
        }
        auto again = openStore(path);
        QVERIFY(again);
        QCOMPARE(topicNames(*again), (std::vector<std::string>{"kept", "next"}));
    }

    void aDamagedLineInTheMiddleIsReported() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/meta.json";
        {
            auto store = openStore(path);
            QVERIFY(store->createTopic("one", onBroker1(1), {}).ok());
        }
        {
            // A whole line that is not a change (not a torn write, which has no newline).
            std::ofstream log(path + ".log", std::ios::app);
            log << "not json\n";
        }
        auto broken = MetadataStore::open(path, "cluster-id", 1);
        QVERIFY(!broken.ok());
        QVERIFY2(broken.error().message.find("meta.json.log at byte") != std::string::npos,
                 broken.error().message.c_str());
    }

    void theLogIsFoldedIntoASnapshotWhenItGrows() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/meta.json";
        {
            auto store = openStore(path);
            // ~1,000 bytes per topic of 20 partitions: past 1 MiB the log becomes a snapshot.
            for (int i = 0; i < 1500; ++i) QVERIFY(store->createTopic("t" + std::to_string(i), onBroker1(20), {}).ok());
            QVERIFY(fileSize(path) > 0);
            QVERIFY(fileSize(path + ".log") < std::max<uint64_t>(fileSize(path), 1 << 20) + 4096);
        }
        auto again = openStore(path);
        QCOMPARE(again->topics().size(), size_t(1500));
    }
};

QTEST_APPLESS_MAIN(MetadataStoreTest)
#include "metadatastore_test.moc"
