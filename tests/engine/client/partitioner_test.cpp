// The default partitioner: murmur2 against Java's values, key placement against librdkafka's
// murmur2_random partitioner on partitad (kcat), and the sticky choice for null keys.
#include "engine/client/partitioner.h"
#include "clienttestutil.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "partitadprocess.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <mutex>
#include <set>

using namespace partita;
using namespace partita::client;
using partita::tests::PartitadProcess;
using partita::tests::runKcat;

namespace {

// Keys of every length 0..40 (all four tail cases of murmur2) and a few shapes.
std::vector<std::string> testKeys() {
    std::vector<std::string> keys;
    for (int i = 0; i < 300; ++i) keys.push_back("key-" + std::to_string(i) + std::string(size_t(i % 37), 'x'));
    keys.push_back("orders/2024/eu-west");
    keys.push_back("ÄÖÜ-utf8-ключ");
    return keys;
}

}  // namespace

class TestPartitioner : public QObject {
    Q_OBJECT

private slots:
    void murmur2MatchesJava() {
        // Java's Utils.murmur2 of these keys (Kafka's UtilsTest has the same numbers), and the
        // partitions kcat -X partitioner=murmur2_random put them on in a 6-partition topic.
        struct Case {
            const char* key;
            int32_t hash;
            int32_t partitionOf6;
        };
        const Case cases[] = {
            {"21", -973932308, 0},
            {"foobar", -790332482, 0},
            {"a-little-bit-long-string", -985981536, 2},
            {"a-little-bit-longer-string", -1486304829, 5},
            {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971, 5},
            {"abc", 479470107, 3},
            {"", 275646681, 3},
            {"k", -1567496736, 2},
            {"key-1", 193331640, 0},
            {"orders-42", 479277457, 1},
        };
        for (const Case& c : cases) {
            QCOMPARE(murmur2(std::string_view(c.key)), c.hash);
            QCOMPARE(partitionForKey(c.key, 6), c.partitionOf6);
        }
        QCOMPARE(partitionForKey("anything", 1), 0);
    }

    void stickyChoiceMovesAmongAvailablePartitions() {
        Partitioner partitioner(12345);
        const std::vector<int32_t> available{1, 3, 5};
        std::set<int32_t> seen;
        int32_t previous = 3;
        for (int i = 0; i < 300; ++i) {
            const int32_t next = partitioner.nextStickyPartition(previous, available, 6);
            QVERIFY(next == 1 || next == 3 || next == 5);
            QVERIFY(next != previous);
            seen.insert(next);
            previous = next;
        }
        QCOMPARE(seen.size(), size_t(3));
        // No partition has a leader: any of them, still moving.
        previous = 0;
        seen.clear();
        for (int i = 0; i < 300; ++i) {
            const int32_t next = partitioner.nextStickyPartition(previous, {}, 4);
            QVERIFY(next >= 0 && next < 4 && next != previous);
            seen.insert(next);
            previous = next;
        }
        QCOMPARE(seen.size(), size_t(4));
        QCOMPARE(partitioner.nextStickyPartition(2, {2}, 6), 2);
        QCOMPARE(partitioner.nextStickyPartition(0, {}, 1), 0);
    }

    // librdkafka's murmur2_random is Java-compatible; kcat places the keys, we compute where they
    // should be, and our own producer must put them in the same partitions.
    void keysLandWhereLibrdkafkaPutsThem() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing");
        QTemporaryDir dir;
        PartitadProcess broker(dir.path());
        QVERIFY2(broker.start({"num.partitions=6"}), qPrintable(broker.output()));
        const auto keys = testKeys();

        QByteArray input;
        for (const auto& key : keys) input += QByteArray::fromStdString(key) + "\t" + "v\n";
        auto produced = runKcat(
            {"-b", broker.bootstrap(), "-P", "-t", "by-kcat", "-K", "\t", "-X", "partitioner=murmur2_random"}, input);
        QVERIFY2(produced.exitCode == 0, qPrintable(produced.err));
        auto consumed = runKcat({"-b", broker.bootstrap(), "-C", "-t", "by-kcat", "-e", "-f", "%k\t%p\\n"});
        QVERIFY2(consumed.exitCode == 0, qPrintable(consumed.err));
        std::map<std::string, int32_t> kcatPartition;
        for (const QString& line : consumed.out.split('\n', Qt::SkipEmptyParts)) {
            const auto fields = line.split('\t');
            QCOMPARE(fields.size(), 2);
            kcatPartition[fields[0].toStdString()] = fields[1].toInt();
        }
        QCOMPARE(kcatPartition.size(), keys.size());
        for (const auto& key : keys) QCOMPARE(partitionForKey(key, 6), kcatPartition.at(key));

        // Our producer, same keys, another 6-partition topic (created by kcat's auto-creation).
        QCOMPARE(runKcat({"-b", broker.bootstrap(), "-P", "-t", "by-partita"}, "seed\n").exitCode, 0);
        auto client = KafkaClient::create(tests::clientConfig(broker.bootstrap()));
        QVERIFY(client.ok());
        auto producer = Producer::create(client.value());
        QVERIFY(producer.ok());
        std::mutex mutex;
        std::map<std::string, int32_t> ours;
        std::vector<std::string> errors;
        for (const auto& key : keys) {
            ProducerRecord record;
            record.topic = "by-partita";
            record.key = key;
            record.value = "v";
            QVERIFY(producer.value()
                        ->produce(record,
                                  [&, key](Result<RecordMetadata> result) {
                                      std::lock_guard lock(mutex);
                                      if (result.ok())
                                          ours[key] = result->partition;
                                      else
                                          errors.push_back(result.error().message);
                                  })
                        .ok());
        }
        QVERIFY(tests::waitForStatus([&](auto done) { producer.value()->flush(done); }).ok());
        std::lock_guard lock(mutex);
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
        QCOMPARE(ours.size(), keys.size());
        for (const auto& key : keys) QCOMPARE(ours.at(key), kcatPartition.at(key));
        producer.value().reset();
        client.value()->close();
    }
};

QTEST_GUILESS_MAIN(TestPartitioner)
#include "partitioner_test.moc"
