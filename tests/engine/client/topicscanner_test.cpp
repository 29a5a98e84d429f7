// TopicScanner against a real partitad topic of 100,000 JSON records written by our Producer: text
// searches with and without matches, a JSON field search, offset and time ranges, end-N, the result
// limit, cancel mid-scan, progress reaching the total, and an unknown topic.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "engine/client/recordfilter.h"
#include "engine/client/topicscanner.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using partita::tests::PartitadProcess;

namespace {

constexpr int kRecords = 100000;
constexpr int kPartitions = 4;
constexpr int64_t kBaseTime = 1700000000000;
const std::string kTopic = "search-orders";

// Record i goes to partition i % 4 with timestamp kBaseTime + i; every 10th is "late", every
// 1000th (i % 1000 == 7) carries a needle.
std::string valueOf(int i) {
    std::string value = "{\"id\":" + std::to_string(i) + ",\"status\":\"" + (i % 10 == 0 ? "late" : "ok") +
                        "\",\"amount\":" + std::to_string(i % 1000) + ",\"customer\":{\"id\":\"c-" +
                        std::to_string(i % 97) + "\"},\"note\":\"";
    value += i % 1000 == 7 ? "has needle-x inside" : "nothing special here";
    return value + "\",\"pad\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\"}";
}

struct Outcome {
    std::vector<ScanMatch> matches;
    std::vector<ScanProgress> progress;
    std::optional<Result<ScanSummary>> done;
    int doneCalls = 0;
    bool callbackAfterDone = false;
    bool concurrentCallbacks = false;
};

// Runs one scan to its end; `onFirstResults` runs inside the first onResults (to cancel there).
Outcome scan(const std::shared_ptr<KafkaClient>& client, ScanRequest request,
             std::function<void(TopicScanner&)> onFirstResults = {}) {
    auto outcome = std::make_shared<Outcome>();
    auto mutex = std::make_shared<std::mutex>();
    auto inCallback = std::make_shared<std::atomic<int>>(0);
    auto finished = std::make_shared<std::promise<void>>();
    auto scanner = std::make_shared<TopicScanner>(client);
    ScanCallbacks callbacks;
    callbacks.onResults = [=](std::vector<ScanMatch> matches) {
        if (inCallback->fetch_add(1) != 0) outcome->concurrentCallbacks = true;
        bool first = false;
        {
            std::lock_guard lock(*mutex);
            if (outcome->doneCalls > 0) outcome->callbackAfterDone = true;
            first = outcome->matches.empty();
            for (auto& m : matches) outcome->matches.push_back(std::move(m));
        }
        if (first && onFirstResults) onFirstResults(*scanner);
        inCallback->fetch_sub(1);
    };
    callbacks.onProgress = [=](const ScanProgress& progress) {
        if (inCallback->fetch_add(1) != 0) outcome->concurrentCallbacks = true;
        std::lock_guard lock(*mutex);
        if (outcome->doneCalls > 0) outcome->callbackAfterDone = true;
        outcome->progress.push_back(progress);
        inCallback->fetch_sub(1);
    };
    callbacks.onDone = [=](Result<ScanSummary> result) {
        std::lock_guard lock(*mutex);
        ++outcome->doneCalls;
        outcome->done = std::move(result);
        if (outcome->doneCalls == 1) finished->set_value();
    };
    auto future = finished->get_future();
    scanner->start(std::move(request), std::move(callbacks));
    if (future.wait_for(std::chrono::seconds(120)) != std::future_status::ready) qFatal("the scan never finished");
    QTest::qWait(50);  // a late callback or second onDone would show up here
    std::lock_guard lock(*mutex);
    return *outcome;
}

ScanRequest request(const char* filterText) {
    ScanRequest r;
    r.topic = kTopic;
    auto parsed = RecordFilter::parse(filterText);
    if (!parsed.ok()) qFatal("bad filter %s: %s", filterText, parsed.error().message.c_str());
    r.filter = *parsed;
    return r;
}

int idOf(const ScanMatch& m) {
    std::string value(m.record.value->view());
    auto at = value.find("\"id\":");
    return std::stoi(value.substr(at + 5));
}

}  // namespace

class TopicScannerTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    std::shared_ptr<KafkaClient> m_client;

    void checkClean(const Outcome& o) {
        QCOMPARE(o.doneCalls, 1);
        QVERIFY(!o.callbackAfterDone);
        QVERIFY(!o.concurrentCallbacks);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_broker = std::make_unique<PartitadProcess>(m_dir.path() + "/broker");
        QVERIFY2(m_broker->start({"num.partitions=4"}), qPrintable(m_broker->output()));
        auto created = KafkaClient::create(clientConfig(m_broker->bootstrap(), {{"linger.ms", "5"}}));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        m_client = *created;
        Admin admin(m_client);
        QCOMPARE(tests::createTopic(admin, kTopic, kPartitions), QString());

        auto producer = Producer::create(m_client);
        QVERIFY(producer.ok());
        auto failures = std::make_shared<std::atomic<int>>(0);
        for (int i = 0; i < kRecords; ++i) {
            ProducerRecord record{.topic = kTopic,
                                  .partition = i % kPartitions,
                                  .key = "key-" + std::to_string(i),
                                  .value = valueOf(i),
                                  .headers = {{"seq", std::to_string(i)}},
                                  .timestamp = kBaseTime + i};
            for (;;) {
                Status queued = (*producer)->produce(record, [failures](Result<RecordMetadata> r) {
                    if (!r.ok()) ++*failures;
                });
                if (queued.ok()) break;
                QTest::qWait(5);  // buffer.memory full: let deliveries drain
            }
        }
        QVERIFY(tests::waitForStatus([&](auto done) { (*producer)->flush(std::move(done)); }).ok());
        QCOMPARE(failures->load(), 0);
    }

    void cleanupTestCase() {
        if (m_client) m_client->close();
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    void textSearchWithMatches() {
        Outcome o = scan(m_client, request("needle-x"));
        checkClean(o);
        QVERIFY2(o.done->ok(), o.done->ok() ? "" : o.done->error().message.c_str());
        const ScanSummary& s = o.done->value();
        QCOMPARE(s.totals.scanned, uint64_t(kRecords));
        QCOMPARE(s.totals.matched, uint64_t(kRecords / 1000));
        QCOMPARE(int(o.matches.size()), kRecords / 1000);
        std::set<int> ids;
        std::map<int32_t, int64_t> lastOffset;
        for (const auto& m : o.matches) {
            int id = idOf(m);
            QCOMPARE(id % 1000, 7);
            QCOMPARE(m.partition, id % kPartitions);
            QCOMPARE(m.record.offset, int64_t(id / kPartitions));
            QCOMPARE(m.record.timestamp, kBaseTime + id);
            QCOMPARE(std::string(m.record.key->view()), "key-" + std::to_string(id));
            QCOMPARE(int(m.record.headers.size()), 1);
            QCOMPARE(std::string(m.record.headers[0].value->view()), std::to_string(id));
            // In offset order within a partition.
            if (lastOffset.count(m.partition)) QVERIFY(m.record.offset > lastOffset[m.partition]);
            lastOffset[m.partition] = m.record.offset;
            ids.insert(id);
        }
        QCOMPARE(int(ids.size()), kRecords / 1000);
        QVERIFY(!s.cancelled);
        QVERIFY(!s.limitReached);
    }

    void textSearchWithoutMatches() {
        Outcome o = scan(m_client, request("no such text anywhere"));
        checkClean(o);
        QVERIFY(o.done->ok());
        QCOMPARE(o.done->value().totals.scanned, uint64_t(kRecords));
        QCOMPARE(o.done->value().totals.matched, uint64_t(0));
        QVERIFY(o.matches.empty());
    }

    void progressReachesTheTotal() {
        Outcome o = scan(m_client, request("key ~ /^key-1/"));
        checkClean(o);
        QVERIFY(o.done->ok());
        QVERIFY(!o.progress.empty());
        const ScanProgress& last = o.progress.back();
        QCOMPARE(last.totalOffsets, uint64_t(kRecords));
        QCOMPARE(last.doneOffsets, uint64_t(kRecords));
        QCOMPARE(last.scanned, uint64_t(kRecords));
        QCOMPARE(int(last.partitions.size()), kPartitions);
        for (const auto& p : last.partitions) QCOMPARE(p.position, p.endOffset);
        QVERIFY(last.bytes > uint64_t(kRecords) * 100);
        for (size_t i = 1; i < o.progress.size(); ++i) QVERIFY(o.progress[i].scanned >= o.progress[i - 1].scanned);
        // key-1, key-1x, key-1xx, key-1xxx, key-1xxxx
        QCOMPARE(last.matched, uint64_t(1 + 10 + 100 + 1000 + 10000));
    }

    void jsonFieldSearch() {
        Outcome o = scan(m_client, request("$.status == \"late\" and $.amount < 100 and $.customer.id exists"));
        checkClean(o);
        QVERIFY(o.done->ok());
        QCOMPARE(o.done->value().totals.scanned, uint64_t(kRecords));
        QCOMPARE(int(o.matches.size()), kRecords / 100);
        for (const auto& m : o.matches) {
            int id = idOf(m);
            QVERIFY(id % 10 == 0 && id % 1000 < 100);
        }
    }

    void offsetRange() {
        ScanRequest r = request("");
        r.partitions = {1};
        r.from = StartPosition::offset(100);
        r.to = StartPosition::offset(200);
        Outcome o = scan(m_client, r);
        checkClean(o);
        QVERIFY(o.done->ok());
        QCOMPARE(o.done->value().totals.scanned, uint64_t(100));
        QCOMPARE(int(o.matches.size()), 100);
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(o.matches[i].partition, 1);
            QCOMPARE(o.matches[i].record.offset, int64_t(100 + i));
        }
    }

    void lastRecordsOfEachPartition() {
        ScanRequest r = request("");
        r.from = StartPosition::fromEnd(10);
        Outcome o = scan(m_client, r);
        QVERIFY(o.done->ok());
        QCOMPARE(int(o.matches.size()), 10 * kPartitions);
        for (const auto& m : o.matches) QVERIFY(m.record.offset >= kRecords / kPartitions - 10);
    }

    void timeRange() {
        ScanRequest r = request("$.status == \"late\"");
        r.from = StartPosition::timestamp(kBaseTime + 50000);
        r.to = StartPosition::timestamp(kBaseTime + 60000);
        Outcome o = scan(m_client, r);
        checkClean(o);
        QVERIFY2(o.done->ok(), o.done->ok() ? "" : o.done->error().message.c_str());
        QCOMPARE(o.done->value().totals.scanned, uint64_t(10000));
        QCOMPARE(int(o.matches.size()), 1000);
        for (const auto& m : o.matches) {
            QVERIFY(m.record.timestamp >= kBaseTime + 50000 && m.record.timestamp < kBaseTime + 60000);
            QCOMPARE(idOf(m) % 10, 0);
        }
    }

    void resultLimit() {
        ScanRequest r = request("$.status == \"late\"");
        r.maxResults = 50;
        Outcome o = scan(m_client, r);
        checkClean(o);
        QVERIFY(o.done->ok());
        QVERIFY(o.done->value().limitReached);
        QCOMPARE(o.done->value().totals.matched, uint64_t(50));
        QCOMPARE(int(o.matches.size()), 50);
        QVERIFY(o.done->value().totals.scanned < uint64_t(kRecords));
    }

    void cancelMidScan() {
        ScanRequest r = request("");  // every record matches: results come at once
        r.resultBatch = 16;
        Outcome o = scan(m_client, r, [](TopicScanner& scanner) { scanner.cancel(); });
        checkClean(o);
        QVERIFY2(o.done->ok(), o.done->ok() ? "" : o.done->error().message.c_str());
        QVERIFY(o.done->value().cancelled);
        QVERIFY2(o.done->value().totals.scanned < uint64_t(kRecords),
                 qPrintable(QString::number(o.done->value().totals.scanned)));
        QVERIFY(o.matches.size() < size_t(kRecords));
    }

    void unknownTopicAndPartition() {
        ScanRequest r = request("x");
        r.topic = "no-such-topic";
        Outcome o = scan(m_client, r);
        QCOMPARE(o.doneCalls, 1);
        QVERIFY(!o.done->ok());
        QVERIFY2(tests::contains(o.done->error().message, "no-such-topic"), o.done->error().message.c_str());

        ScanRequest p = request("x");
        p.partitions = {9};
        o = scan(m_client, p);
        QVERIFY(!o.done->ok());
        QVERIFY2(tests::contains(o.done->error().message, "no partition 9"), o.done->error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TopicScannerTest)
#include "topicscanner_test.moc"
