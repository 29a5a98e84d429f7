// The GroupConsumer against librdkafka's mock cluster (a group coordinator nobody here wrote): join,
// consume, commit, rejoin at the committed positions, and the coordinator's errors (rebalance,
// unknown member, coordinator moved, fenced static member).
#include "clienttestutil.h"

#include "engine/client/groupconsumer.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"

#include <QStandardPaths>
#include <QTest>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using partita::tests::describe;
using partita::tests::MockCluster;
using partita::tests::waitFor;
using partita::tests::waitForStatus;

namespace {

bool produce(const QString& bootstrap, const QString& topic, int partition, const QString& prefix, int count) {
    QStringList lines;
    for (int i = 0; i < count; ++i) lines << QStringLiteral("k%1:%2-p%3-%1").arg(i).arg(prefix).arg(partition);
    return tests::kcatProduce(bootstrap, topic, partition, lines, {"-K:"});
}

// What a consumer read: how often each (partition, offset) came, and the values.
struct Reader {
    std::map<std::pair<int32_t, int64_t>, int> seen;
    std::vector<std::string> values;
    std::vector<Error> errors;

    size_t duplicates() const {
        size_t n = 0;
        for (const auto& [key, count] : seen) n += size_t(count - 1);
        return n;
    }

    bool pollOnce(GroupConsumer& consumer) {
        return tests::pollGroupOnce(consumer, errors, [&](int32_t partition, const FetchedRecord& r) {
            ++seen[{partition, r.offset}];
            values.emplace_back(r.valueBytes()->view());
        });
    }

    // Polls until `done()` or `maxPolls` polls.
    bool pollUntil(GroupConsumer& consumer, const std::function<bool()>& done, int maxPolls = 200) {
        for (int i = 0; i < maxPolls; ++i) {
            if (done()) return true;
            if (!pollOnce(consumer)) return false;
        }
        return done();
    }
};

std::vector<TopicPartition> partitionsOf(const std::string& topic, int count) {
    std::vector<TopicPartition> out;
    for (int p = 0; p < count; ++p) out.push_back(TopicPartition{topic, p});
    return out;
}

// Counts the listener's calls.
struct Events {
    std::mutex mutex;
    int assigned = 0;
    int revoked = 0;
    int lost = 0;
    std::optional<Error> fatal;

    GroupConsumer::Listener listener() {
        GroupConsumer::Listener l;
        l.onPartitionsAssigned = [this](const auto&) {
            std::lock_guard lock(mutex);
            ++assigned;
        };
        l.onPartitionsRevoked = [this](const auto&) {
            std::lock_guard lock(mutex);
            ++revoked;
        };
        l.onPartitionsLost = [this](const auto&) {
            std::lock_guard lock(mutex);
            ++lost;
        };
        l.onFatalError = [this](const Error& e) {
            std::lock_guard lock(mutex);
            fatal = e;
        };
        return l;
    }
    int count(int Events::*field) {
        std::lock_guard lock(mutex);
        return this->*field;
    }
};

struct Member {
    std::shared_ptr<KafkaClient> client;
    std::unique_ptr<GroupConsumer> consumer;
};

Member join(const QString& bootstrap, const std::string& group, const std::map<std::string, std::string>& extra,
            GroupConsumer::Listener listener = {}) {
    std::map<std::string, std::string> props{{"group.id", group},
                                             {"auto.offset.reset", "earliest"},
                                             {"enable.auto.commit", "false"},
                                             {"heartbeat.interval.ms", "300"},
                                             {"session.timeout.ms", "6000"}};
    for (const auto& [k, v] : extra) props[k] = v;
    Member m;
    auto client = KafkaClient::create(clientConfig(bootstrap, props));
    if (!client.ok()) qFatal("client: %s", client.error().message.c_str());
    m.client = client.value();
    auto consumer = GroupConsumer::create(m.client, std::move(listener));
    if (!consumer.ok()) qFatal("group consumer: %s", consumer.error().message.c_str());
    m.consumer = std::move(consumer.value());
    m.consumer->subscribe({"t"});
    return m;
}

}  // namespace

class GroupMockTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing: run `make deps`");
    }

    void joinConsumeCommitAndRejoinAtTheCommittedPositions() {
        MockCluster cluster;
        QVERIFY(cluster.start(1, {"t:4:1"}));
        for (int p = 0; p < 4; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, "first", 10));

        Member first = join(cluster.bootstrap(), "g-commit", {});
        Reader reader;
        QVERIFY2(reader.pollUntil(*first.consumer, [&] { return reader.seen.size() >= 40; }),
                 qPrintable(describe(reader.errors)));
        QCOMPARE(reader.seen.size(), size_t(40));
        QCOMPARE(reader.duplicates(), size_t(0));
        QCOMPARE(first.consumer->assignment(), partitionsOf("t", 4));
        QVERIFY(first.consumer->generation().generationId >= 1);
        QVERIFY(!first.consumer->generation().memberId.empty());

        QVERIFY(waitForStatus([&](auto done) { first.consumer->commit(std::move(done)); }).ok());
        auto committed = waitFor<GroupConsumer::Offsets>(
            [&](auto done) { first.consumer->committed(partitionsOf("t", 4), std::move(done)); });
        QVERIFY(committed.ok());
        QCOMPARE(committed->size(), size_t(4));
        for (const auto& [tp, offset] : *committed) QCOMPARE(offset.offset, int64_t(10));
        QVERIFY(waitForStatus([&](auto done) { first.consumer->close(std::move(done)); }).ok());

        for (int p = 0; p < 4; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, "second", 1));
        // A new member of the group starts where the group committed: only the new records.
        Member second = join(cluster.bootstrap(), "g-commit", {});
        Reader again;
        QVERIFY2(again.pollUntil(*second.consumer, [&] { return again.seen.size() >= 4; }),
                 qPrintable(describe(again.errors)));
        for (int i = 0; i < 5; ++i) QVERIFY(again.pollOnce(*second.consumer));  // nothing else comes
        QCOMPARE(again.seen.size(), size_t(4));
        for (const auto& [key, count] : again.seen) QCOMPARE(key.second, int64_t(10));
        for (const auto& v : again.values) QVERIFY2(v.rfind("second", 0) == 0, v.c_str());
        QVERIFY(waitForStatus([&](auto done) { second.consumer->close(std::move(done)); }).ok());
    }

    void rebalanceAndUnknownMemberRejoin() {
        MockCluster cluster;
        QVERIFY(cluster.start(1, {"t:4:1"}));
        for (int p = 0; p < 4; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, "first", 5));
        Events events;
        Member m = join(cluster.bootstrap(), "g-rejoin", {}, events.listener());
        Reader reader;
        QVERIFY2(reader.pollUntil(*m.consumer, [&] { return reader.seen.size() >= 20; }),
                 qPrintable(describe(reader.errors)));
        QVERIFY(waitForStatus([&](auto done) { m.consumer->commit(std::move(done)); }).ok());
        const GroupGeneration before = m.consumer->generation();

        // The coordinator says the group is rebalancing: the member revokes and joins again.
        QVERIFY(cluster.command("errors 12 27 1"));  // Heartbeat: REBALANCE_IN_PROGRESS
        QVERIFY(reader.pollUntil(
            *m.consumer, [&] { return events.count(&Events::revoked) >= 1; }, 100));
        QVERIFY(reader.pollUntil(
            *m.consumer, [&] { return m.consumer->assignment().size() == 4; }, 100));
        QCOMPARE(events.count(&Events::lost), 0);

        // The coordinator forgot the member: partitions are lost, the member joins as a new one.
        QVERIFY(cluster.command("errors 12 25 1"));  // Heartbeat: UNKNOWN_MEMBER_ID
        QVERIFY(reader.pollUntil(
            *m.consumer, [&] { return events.count(&Events::lost) >= 1; }, 100));
        QVERIFY(reader.pollUntil(
            *m.consumer, [&] { return m.consumer->assignment().size() == 4; }, 100));
        QVERIFY(m.consumer->generation().memberId != before.memberId);

        // Back at the committed positions: the old records are not read again.
        for (int p = 0; p < 4; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, "second", 1));
        QVERIFY2(reader.pollUntil(*m.consumer, [&] { return reader.seen.size() >= 24; }),
                 qPrintable(describe(reader.errors)));
        QCOMPARE(reader.seen.size(), size_t(24));
        QCOMPARE(reader.duplicates(), size_t(0));
        QVERIFY(!events.fatal);
        QVERIFY(waitForStatus([&](auto done) { m.consumer->close(std::move(done)); }).ok());
    }

    void coordinatorErrorsAreRetried() {
        MockCluster cluster;
        QVERIFY(cluster.start(1, {"t:4:1"}));
        for (int p = 0; p < 4; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, "r", 3));
        QVERIFY(cluster.command("errors 11 15 2"));  // JoinGroup: COORDINATOR_NOT_AVAILABLE twice
        QVERIFY(cluster.command("errors 9 14 1"));   // OffsetFetch: COORDINATOR_LOAD_IN_PROGRESS
        Events events;
        Member m = join(cluster.bootstrap(), "g-retry", {}, events.listener());
        Reader reader;
        QVERIFY2(reader.pollUntil(*m.consumer, [&] { return reader.seen.size() >= 12; }),
                 qPrintable(describe(reader.errors)));
        QVERIFY(cluster.command("errors 8 16 1"));  // OffsetCommit: NOT_COORDINATOR
        QVERIFY(waitForStatus([&](auto done) { m.consumer->commit(std::move(done)); }).ok());
        auto committed = waitFor<GroupConsumer::Offsets>(
            [&](auto done) { m.consumer->committed(partitionsOf("t", 4), std::move(done)); });
        QVERIFY(committed.ok());
        for (const auto& [tp, offset] : *committed) QCOMPARE(offset.offset, int64_t(3));
        QVERIFY(!events.fatal);
        QVERIFY(waitForStatus([&](auto done) { m.consumer->close(std::move(done)); }).ok());
    }

    void commitRefusedAfterTheGroupMovedOnSaysSo() {
        MockCluster cluster;
        QVERIFY(cluster.start(1, {"t:2:1"}));
        for (int p = 0; p < 2; ++p) QVERIFY(produce(cluster.bootstrap(), "t", p, "r", 2));
        Member m = join(cluster.bootstrap(), "g-illegal", {});
        Reader reader;
        QVERIFY(reader.pollUntil(*m.consumer, [&] { return reader.seen.size() >= 4; }));
        QVERIFY(cluster.command("errors 8 22 1"));  // OffsetCommit: ILLEGAL_GENERATION
        Status status = waitForStatus([&](auto done) { m.consumer->commit(std::move(done)); });
        QVERIFY(!status.ok());
        QCOMPARE(status.error().kafkaCode, protocol::code(protocol::ErrorCode::IllegalGeneration));
        QVERIFY2(status.error().message.find("g-illegal") != std::string::npos, status.error().message.c_str());
        QVERIFY2(status.error().message.find("ILLEGAL_GENERATION") != std::string::npos,
                 status.error().message.c_str());
        QVERIFY(waitForStatus([&](auto done) { m.consumer->close(std::move(done)); }).ok());
    }

    void fencedStaticMemberStops() {
        MockCluster cluster;
        QVERIFY(cluster.start(1, {"t:2:1"}));
        Events events;
        Member m = join(cluster.bootstrap(), "g-static", {{"group.instance.id", "instance-1"}}, events.listener());
        Reader reader;
        QVERIFY2(reader.pollUntil(*m.consumer, [&] { return m.consumer->assignment().size() == 2; }),
                 qPrintable(describe(reader.errors)));
        QVERIFY(cluster.command("errors 12 82 1"));  // Heartbeat: FENCED_INSTANCE_ID
        auto fatalError = [&]() -> std::optional<Error> {
            std::lock_guard lock(events.mutex);
            return events.fatal;
        };
        QTRY_VERIFY_WITH_TIMEOUT(fatalError().has_value(), 30000);
        const Error fatal = *fatalError();
        QCOMPARE(fatal.kafkaCode, protocol::code(protocol::ErrorCode::FencedInstanceId));
        QVERIFY2(fatal.message.find("g-static") != std::string::npos, fatal.message.c_str());
        QCOMPARE(events.count(&Events::lost), 1);
        // Every later poll reports it.
        auto result = waitFor<FetchResult>([&](auto done) { m.consumer->poll(std::move(done)); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kafkaCode, protocol::code(protocol::ErrorCode::FencedInstanceId));
        QVERIFY(m.consumer->assignment().empty());
    }
};

QTEST_GUILESS_MAIN(GroupMockTest)
#include "group_mock_test.moc"
