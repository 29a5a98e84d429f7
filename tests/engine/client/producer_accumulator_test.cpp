// RecordAccumulator and ProducerConfig without a broker: partition choice, sticky switching,
// batch closing, buffer.memory, flush generations and records waiting for metadata.
#include "clienttestutil.h"
#include "engine/client/clustermetadata.h"
#include "engine/client/partitioner.h"
#include "engine/client/producerconfig.h"
#include "engine/client/recordaccumulator.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordreader.h"

#include <QTest>

#include <chrono>
#include <set>

using namespace partita;
using namespace partita::client;
using Clock = std::chrono::steady_clock;

namespace {

TopicInfo topicInfo(const std::string& name, int partitions, std::set<int> withoutLeader = {}) {
    TopicInfo info;
    info.name = name;
    for (int p = 0; p < partitions; ++p) {
        PartitionInfo partition;
        partition.partition = p;
        partition.leader = withoutLeader.count(p) ? -1 : 1;
        info.partitions.push_back(partition);
    }
    return info;
}

ProducerRecord record(std::string topic, std::optional<std::string> key, std::string value, int32_t partition = -1) {
    ProducerRecord r;
    r.topic = std::move(topic);
    r.key = std::move(key);
    r.value = std::move(value);
    r.partition = partition;
    return r;
}

// Appends and reports where the record went by draining everything right after.
struct Harness {
    explicit Harness(ProducerConfig config) : accumulator(config) {}
    RecordAccumulator accumulator;

    RecordAccumulator::AppendResult add(const ProducerRecord& r) {
        DeliveryCallback done = [](Result<RecordMetadata>) {};
        return accumulator.append(r, done);
    }
    std::vector<std::unique_ptr<ProducerBatch>> drainAll() {
        std::vector<std::unique_ptr<ProducerBatch>> out;
        RecordAccumulator::FlushCallback none;
        accumulator.flush(none);
        accumulator.drain(Clock::now(), out);
        return out;
    }
};

ProducerConfig configWith(std::map<std::string, std::string> properties) {
    auto config = ProducerConfig::fromClientConfig(tests::clientConfig("localhost:9092", std::move(properties)));
    if (!config.ok()) qFatal("bad producer config: %s", config.error().message.c_str());
    return config.value();
}

}  // namespace

class TestProducerAccumulator : public QObject {
    Q_OBJECT

private slots:
    void configDefaultsFollowJava() {
        auto config = configWith({});
        QCOMPARE(config.acks, int16_t(-1));
        QCOMPARE(config.lingerMs, 5);
        QCOMPARE(config.batchSize, 16384);
        QVERIFY(config.idempotence);
        QCOMPARE(config.maxInFlight, 5);
        QCOMPARE(config.deliveryTimeoutMs, 120000);
        QCOMPARE(config.bufferMemory, int64_t(32) * 1024 * 1024);
        QVERIFY(config.compression == protocol::records::CompressionType::None);

        // acks other than all turn the default idempotence off; asked for explicitly it is an error.
        QVERIFY(!configWith({{"acks", "1"}}).idempotence);
        QVERIFY(!configWith({{"max.in.flight.requests.per.connection", "6"}}).idempotence);
        auto conflicting = ProducerConfig::fromClientConfig(
            tests::clientConfig("localhost:9092", {{"acks", "0"}, {"enable.idempotence", "true"}}));
        QVERIFY(!conflicting.ok());
        QVERIFY2(conflicting.error().message.find("acks=all") != std::string::npos,
                 conflicting.error().message.c_str());

        QCOMPARE(configWith({{"acks", "all"}}).acks, int16_t(-1));
        QCOMPARE(configWith({{"request.required.acks", "0"}}).acks, int16_t(0));
        QVERIFY(configWith({{"compression.type", "zstd"}}).compression == protocol::records::CompressionType::Zstd);
        QVERIFY(configWith({{"compression.codec", "lz4"}}).compression == protocol::records::CompressionType::Lz4);
        QCOMPARE(configWith({{"queue.buffering.max.ms", "50"}}).lingerMs, 50);
        QVERIFY(configWith({{"partitioner", "murmur2_random"}}).idempotence);

        for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{{"acks", "2"},
                                                                                  {"compression.type", "brotli"},
                                                                                  {"partitioner", "consistent_random"},
                                                                                  {"linger.ms", "-1"},
                                                                                  {"transactional.id", "tx-1"}}) {
            auto bad = ProducerConfig::fromClientConfig(tests::clientConfig("localhost:9092", {{key, value}}));
            QVERIFY2(!bad.ok(), key.c_str());
            QVERIFY2(bad.error().message.find(key) != std::string::npos, bad.error().message.c_str());
        }
        // Java: an explicit delivery.timeout.ms below linger.ms + request.timeout.ms is refused.
        QVERIFY(
            !ProducerConfig::fromClientConfig(tests::clientConfig("localhost:9092", {{"delivery.timeout.ms", "1000"},
                                                                                     {"request.timeout.ms", "5000"}}))
                 .ok());
    }

    void keyedRecordsGoWhereMurmur2PutsThem() {
        Harness h(configWith({}));
        QVERIFY(h.add(record("t", "k", "v")).outcome == RecordAccumulator::Outcome::WaitingForMetadata);
        RecordAccumulator::Completions completions;
        h.accumulator.applyTopic(topicInfo("t", 6), completions);
        QVERIFY(completions.failures.empty());
        for (int i = 0; i < 50; ++i)
            QVERIFY(h.add(record("t", "key-" + std::to_string(i), "v")).outcome ==
                    RecordAccumulator::Outcome::Appended);
        QVERIFY(h.add(record("t", std::nullopt, "explicit", 4)).outcome == RecordAccumulator::Outcome::Appended);
        std::map<int32_t, std::vector<std::string>> keysByPartition;
        for (auto& batch : h.drainAll()) {
            QVERIFY(batch->stamp(-1, -1, -1).ok());
            auto view = protocol::records::RecordBatchView::parse(batch->bytes());
            QVERIFY(view.ok());
            auto reader = protocol::records::RecordReader::open(view.value(), 1 << 20);
            QVERIFY(reader.ok());
            auto all = reader.value().readAll();
            QVERIFY(all.ok());
            for (const auto& r : all.value())
                keysByPartition[batch->partition()].push_back(r.key ? std::string(r.key->view()) : "<null>");
        }
        QCOMPARE(keysByPartition[partitionForKey("k", 6)].front(), std::string("k"));
        for (int i = 0; i < 50; ++i) {
            const std::string key = "key-" + std::to_string(i);
            const auto& keys = keysByPartition[partitionForKey(key, 6)];
            QVERIFY2(std::find(keys.begin(), keys.end(), key) != keys.end(), key.c_str());
        }
        QCOMPARE(keysByPartition[4].back(), std::string("<null>"));
    }

    void invalidPartitionAndOversizedRecordsFailClearly() {
        Harness h(configWith({{"max.request.size", "2000"}}));
        h.add(record("t", "k", "v"));
        RecordAccumulator::Completions completions;
        h.accumulator.applyTopic(topicInfo("t", 3), completions);
        auto outside = h.add(record("t", std::nullopt, "v", 7));
        QVERIFY(outside.outcome == RecordAccumulator::Outcome::Failed);
        QVERIFY2(outside.error->message.find("t-7") != std::string::npos, outside.error->message.c_str());
        QVERIFY2(outside.error->message.find("3 partitions") != std::string::npos, outside.error->message.c_str());

        auto big = h.add(record("t", std::nullopt, std::string(5000, 'x')));
        QVERIFY(big.outcome == RecordAccumulator::Outcome::Failed);
        QVERIFY2(big.error->message.find("max.request.size") != std::string::npos, big.error->message.c_str());
    }

    void nullKeysStickUntilTheBatchIsFullThenMove() {
        // Each record is ~100 bytes, so a 1000-byte batch holds a handful.
        Harness h(configWith({{"batch.size", "1000"}, {"linger.ms", "60000"}}));
        h.add(record("t", std::nullopt, "first"));
        RecordAccumulator::Completions completions;
        h.accumulator.applyTopic(topicInfo("t", 6, {5}), completions);
        for (int i = 0; i < 200; ++i) h.add(record("t", std::nullopt, std::string(80, 'v')));
        auto batches = h.drainAll();
        QVERIFY(batches.size() > 10);
        // Consecutive full batches never stay on the same partition, and partition 5 (no leader)
        // never gets one.
        for (size_t i = 0; i < batches.size(); ++i) {
            QVERIFY(batches[i]->partition() != 5);
            if (i > 0 && i + 1 < batches.size())
                QVERIFY2(batches[i]->partition() != batches[i - 1]->partition(), "the sticky partition did not move");
            QVERIFY(batches[i]->uncompressedSize() <= 1000);
        }
        std::set<int32_t> used;
        for (auto& b : batches) used.insert(b->partition());
        QVERIFY2(used.size() >= 3, "null keys should spread over partitions batch by batch");
    }

    void batchesCloseAtBatchSizeAndAfterLinger() {
        Harness h(configWith({{"batch.size", "1000"}, {"linger.ms", "60000"}}));
        h.add(record("t", "k", "v"));
        RecordAccumulator::Completions completions;
        h.accumulator.applyTopic(topicInfo("t", 1), completions);
        std::vector<std::unique_ptr<ProducerBatch>> out;
        h.accumulator.drain(Clock::now(), out);
        QVERIFY(out.empty());  // one small open batch, lingering
        bool woke = false;
        for (int i = 0; i < 30; ++i) woke |= h.add(record("t", "k", std::string(100, 'x'))).wakeSender;
        QVERIFY(woke);
        h.accumulator.drain(Clock::now(), out);
        QVERIFY(!out.empty());  // the full ones, without waiting for linger.ms
        for (auto& b : out) QVERIFY(b->uncompressedSize() <= 1000);
        auto next = h.accumulator.nextReadyTime();
        QVERIFY(next.has_value());
        const size_t full = out.size();
        h.accumulator.drain(*next, out);
        QCOMPARE(out.size(), full + 1);  // the open one once its linger is over
    }

    void bufferMemoryFullRefusesUntilBatchesAreDone() {
        Harness h(configWith({{"buffer.memory", "2000"}, {"batch.size", "100000"}}));
        h.add(record("t", std::nullopt, "seed"));
        RecordAccumulator::Completions completions;
        h.accumulator.applyTopic(topicInfo("t", 1), completions);
        int accepted = 0;
        RecordAccumulator::AppendResult refused;
        for (int i = 0; i < 100; ++i) {
            auto r = h.add(record("t", std::nullopt, std::string(100, 'x')));
            if (r.outcome != RecordAccumulator::Outcome::Appended) {
                refused = r;
                break;
            }
            ++accepted;
        }
        QVERIFY(accepted > 5 && accepted < 20);
        QVERIFY(refused.outcome == RecordAccumulator::Outcome::Refused);
        QVERIFY2(refused.error->message.find("buffer.memory") != std::string::npos, refused.error->message.c_str());
        QVERIFY(h.accumulator.bufferedBytes() > 0);
        for (auto& batch : h.drainAll()) {
            batch->fail(Error{ErrorKind::Cancelled, "test"});
            RecordAccumulator::Completions done;
            h.accumulator.batchDone(*batch, done);
        }
        QCOMPARE(h.accumulator.bufferedBytes(), int64_t(0));
        QCOMPARE(h.accumulator.queuedRecords(), int64_t(0));
        QVERIFY(h.add(record("t", std::nullopt, "again")).outcome == RecordAccumulator::Outcome::Appended);
    }

    void flushWaitsForEveryEarlierRecordOnly() {
        Harness h(configWith({{"linger.ms", "60000"}}));
        for (int i = 0; i < 10; ++i) h.add(record("t", std::nullopt, "waiting for metadata"));
        bool flushed = false;
        RecordAccumulator::FlushCallback done = [&](Status) { flushed = true; };
        QVERIFY(!h.accumulator.flush(done));
        // A record after the flush does not hold it up.
        h.add(record("u", std::nullopt, "later"));
        RecordAccumulator::Completions completions;
        h.accumulator.applyTopic(topicInfo("t", 2), completions);
        QVERIFY(completions.flushed.empty());
        std::vector<std::unique_ptr<ProducerBatch>> out;
        h.accumulator.drain(Clock::now(), out);  // flushed: no linger wait
        QCOMPARE(out.size(), size_t(1));         // and still one batch for the ten records
        QCOMPARE(out[0]->recordCount(), 10);
        out[0]->complete(0, -1);
        h.accumulator.batchDone(*out[0], completions);
        QCOMPARE(completions.flushed.size(), size_t(1));
        completions.run();
        QVERIFY(flushed);
    }

    void unknownTopicFailsItsWaitingRecords() {
        Harness h(configWith({}));
        auto first = h.add(record("missing", "k", "v"));
        QVERIFY(first.lookupTopic);
        QVERIFY(!h.add(record("missing", "k", "v")).lookupTopic);  // one lookup per topic
        RecordAccumulator::Completions completions;
        h.accumulator.failTopic("missing", Error{ErrorKind::Broker, "missing: UNKNOWN_TOPIC_OR_PARTITION", 3},
                                completions);
        QCOMPARE(completions.failures.size(), size_t(2));
        QCOMPARE(h.accumulator.queuedRecords(), int64_t(0));
        // Forgotten: the next record asks again (the topic may exist by then).
        QVERIFY(h.add(record("missing", "k", "v")).lookupTopic);
    }
};

QTEST_GUILESS_MAIN(TestProducerAccumulator)
#include "producer_accumulator_test.moc"
