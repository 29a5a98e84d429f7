// The GroupConsumer against a real partitad: two members split a topic and read every record once
// across a rebalance, the survivor takes over when one closes, commits are visible to kafka-python,
// a librdkafka member (kcat -G) shares a group with ours under the range assignor, and the
// cooperative-sticky protocol moves partitions without taking the others away.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/groupconsumer.h"
#include "engine/client/groupprotocol.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/describegroups.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using partita::tests::describe;
using partita::tests::PartitadProcess;
using partita::tests::waitFor;
using partita::tests::waitForStatus;

namespace {

constexpr int kPartitions = 6;

bool produce(const QString& bootstrap, const QString& topic, int partition, const QString& prefix, int count) {
    QStringList lines;
    for (int i = 0; i < count; ++i) lines << QStringLiteral("%1-p%2-%3").arg(prefix).arg(partition).arg(i);
    return tests::kcatProduce(bootstrap, topic, partition, lines);
}

bool produceAll(const QString& bootstrap, const QString& topic, const QString& prefix, int perPartition) {
    for (int p = 0; p < kPartitions; ++p)
        if (!produce(bootstrap, topic, p, prefix, perPartition)) return false;
    return true;
}

using Key = std::pair<int32_t, int64_t>;  // partition, offset

// What one member read.
struct Reader {
    std::map<Key, int> seen;
    std::map<Key, std::string> values;
    std::vector<Error> errors;

    bool pollOnce(GroupConsumer& consumer) {
        return tests::pollGroupOnce(consumer, errors, [&](int32_t partition, const FetchedRecord& r) {
            const Key key{partition, r.offset};
            ++seen[key];
            values[key] = std::string(r.valueBytes()->view());
        });
    }
    size_t countWithPrefix(const std::string& prefix) const {
        return size_t(
            std::count_if(values.begin(), values.end(), [&](const auto& v) { return v.second.rfind(prefix, 0) == 0; }));
    }
};

// How often each record was read by either member; every record read more than once.
size_t duplicates(const Reader& a, const Reader& b) {
    std::map<Key, int> all = a.seen;
    for (const auto& [key, n] : b.seen) all[key] += n;
    size_t out = 0;
    for (const auto& [key, n] : all) out += size_t(n - 1);
    return out;
}

size_t distinct(const Reader& a, const Reader& b) {
    std::set<Key> keys;
    for (const auto& [key, n] : a.seen) keys.insert(key);
    for (const auto& [key, n] : b.seen) keys.insert(key);
    return keys.size();
}

bool disjoint(const std::vector<TopicPartition>& a, const std::vector<TopicPartition>& b) {
    for (const auto& tp : a)
        if (std::find(b.begin(), b.end(), tp) != b.end()) return false;
    return true;
}

struct Member {
    std::shared_ptr<KafkaClient> client;
    std::unique_ptr<GroupConsumer> consumer;
    Reader reader;
};

std::unique_ptr<Member> join(const QString& bootstrap, const std::string& group, const std::string& topic,
                             std::map<std::string, std::string> extra = {}, GroupConsumer::Listener listener = {}) {
    std::map<std::string, std::string> props{{"group.id", group},
                                             {"auto.offset.reset", "earliest"},
                                             {"heartbeat.interval.ms", "300"},
                                             {"session.timeout.ms", "10000"},
                                             {"fetch.max.wait.ms", "200"}};
    for (auto& [k, v] : extra) props[k] = v;
    auto m = std::make_unique<Member>();
    auto client = KafkaClient::create(clientConfig(bootstrap, props));
    if (!client.ok()) qFatal("client: %s", client.error().message.c_str());
    m->client = client.value();
    auto consumer = GroupConsumer::create(m->client, std::move(listener));
    if (!consumer.ok()) qFatal("group consumer: %s", consumer.error().message.c_str());
    m->consumer = std::move(consumer.value());
    m->consumer->subscribe({topic});
    return m;
}

// Polls every member in turn until `done()` or `rounds` rounds.
bool pollAll(const std::vector<Member*>& members, const std::function<bool()>& done, int rounds = 150) {
    for (int i = 0; i < rounds; ++i) {
        if (done()) return true;
        for (Member* m : members)
            if (!m->reader.pollOnce(*m->consumer)) return false;
    }
    return done();
}

// kafka-python reads the group's committed offsets (OffsetFetch v1 through its own coordinator lookup).
const char* kCommittedScript = R"(
import sys
from kafka import KafkaConsumer, TopicPartition
bootstrap, group, topic, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
print(",".join(str(c.committed(TopicPartition(topic, p))) for p in range(n)))
c.close(autocommit=False)
)";

struct DescribedMember {
    std::string memberId;
    std::string clientId;
    PartitionsByTopic assignment;
};

struct DescribedGroup {
    std::string state;
    std::string protocol;
    std::vector<DescribedMember> members;
};

Result<DescribedGroup> describeGroup(KafkaClient& client, const std::string& group) {
    auto request = std::make_unique<protocol::DescribeGroupsRequest>();
    request->groups = {group};
    auto response = waitFor<TypedResponse<protocol::DescribeGroupsResponse>>([&](auto done) {
        client.call<protocol::DescribeGroupsResponse>(Target::groupCoordinator(group), std::move(request),
                                                      std::move(done));
    });
    if (!response.ok()) return response.error();
    if (response.value()->groups.size() != 1) return Error{ErrorKind::Malformed, "DescribeGroups: no group"};
    const auto& g = response.value()->groups.front();
    if (g.errorCode != 0) return brokerError(g.errorCode, group);
    DescribedGroup out;
    out.state = g.groupState;
    out.protocol = g.protocolData;
    for (const auto& m : g.members) {
        DescribedMember d;
        d.memberId = m.memberId;
        d.clientId = m.clientId;
        auto a = decodeAssignment(m.memberAssignment);
        if (a.ok()) d.assignment = *a;
        out.members.push_back(std::move(d));
    }
    return out;
}

// Every partition of `topic` exactly once across the members' assignments.
bool coversOnce(const DescribedGroup& g, const std::string& topic) {
    std::map<int32_t, int> owners;
    for (const auto& m : g.members)
        for (const auto& [t, list] : m.assignment)
            for (int32_t p : list)
                if (t == topic) ++owners[p];
    if (owners.size() != size_t(kPartitions)) return false;
    return std::all_of(owners.begin(), owners.end(), [](const auto& o) { return o.second == 1; });
}

}  // namespace

class GroupPartitadTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing: run `make deps`");
        QVERIFY(m_dir.isValid());
        m_partitad = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY(m_partitad->start({"num.partitions=6", "group.initial.rebalance.delay.ms=0"}));
    }

    void cleanupTestCase() { m_partitad.reset(); }

    void twoMembersSplitThenTheSurvivorTakesOver() {
        const QString bootstrap = m_partitad->bootstrap();
        QVERIFY(produceAll(bootstrap, "split", "first", 50));

        // The first member owns everything and starts reading before the second one arrives.
        auto a = join(bootstrap, "g-split", "split");
        QVERIFY2(pollAll({a.get()}, [&] { return a->reader.seen.size() >= 50; }),
                 qPrintable(describe(a->reader.errors)));
        QCOMPARE(a->consumer->assignment().size(), size_t(kPartitions));

        // The second member joins: both get half, with nothing owned twice.
        auto b = join(bootstrap, "g-split", "split");
        QVERIFY2(pollAll({a.get(), b.get()},
                         [&] {
                             auto x = a->consumer->assignment();
                             auto y = b->consumer->assignment();
                             return x.size() == 3 && y.size() == 3 && disjoint(x, y);
                         }),
                 qPrintable(describe(a->reader.errors) + describe(b->reader.errors)));

        QVERIFY(produceAll(bootstrap, "split", "second", 50));
        QVERIFY2(pollAll({a.get(), b.get()}, [&] { return distinct(a->reader, b->reader) >= 600; }),
                 qPrintable(describe(a->reader.errors) + describe(b->reader.errors)));
        for (int i = 0; i < 3; ++i) {  // anything read twice would show up now
            QVERIFY(a->reader.pollOnce(*a->consumer));
            QVERIFY(b->reader.pollOnce(*b->consumer));
        }
        QCOMPARE(distinct(a->reader, b->reader), size_t(600));
        QCOMPARE(duplicates(a->reader, b->reader), size_t(0));
        QVERIFY(a->reader.countWithPrefix("second") > 0);
        QVERIFY(b->reader.countWithPrefix("second") > 0);
        QCOMPARE(a->reader.countWithPrefix("second") + b->reader.countWithPrefix("second"), size_t(300));
        // Each read the second batch only from its own partitions.
        for (Member* m : {a.get(), b.get()}) {
            const auto owned = m->consumer->assignment();
            for (const auto& [key, value] : m->reader.values) {
                if (value.rfind("second", 0) != 0) continue;
                QVERIFY(std::find(owned.begin(), owned.end(), TopicPartition{"split", key.first}) != owned.end());
            }
        }
        QVERIFY(a->reader.errors.empty() && b->reader.errors.empty());

        // b leaves (committing what it read): a gets everything and carries on where b stopped.
        QVERIFY(waitForStatus([&](auto done) { b->consumer->close(std::move(done)); }).ok());
        QVERIFY(pollAll({a.get()}, [&] { return a->consumer->assignment().size() == size_t(kPartitions); }));
        QVERIFY(produceAll(bootstrap, "split", "third", 10));
        QVERIFY2(pollAll({a.get()}, [&] { return a->reader.countWithPrefix("third") >= 60; }),
                 qPrintable(describe(a->reader.errors)));
        for (int i = 0; i < 3; ++i) QVERIFY(a->reader.pollOnce(*a->consumer));
        QCOMPARE(a->reader.countWithPrefix("third"), size_t(60));
        QCOMPARE(distinct(a->reader, b->reader), size_t(660));
        QCOMPARE(duplicates(a->reader, b->reader), size_t(0));

        // What a committed is what other clients see.
        QVERIFY(waitForStatus([&](auto done) { a->consumer->commit(std::move(done)); }).ok());
        tests::ToolRun run =
            tests::runPython(kCommittedScript, {bootstrap, "g-split", "split", QString::number(kPartitions)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out.trimmed(), QStringLiteral("110,110,110,110,110,110"));
        auto committed = waitFor<GroupConsumer::Offsets>([&](auto done) {
            a->consumer->committed({{"split", 0}, {"split", 5}}, std::move(done));
        });
        QVERIFY(committed.ok());
        QCOMPARE(committed->at(TopicPartition{"split", 5}).offset, int64_t(110));
        QVERIFY(waitForStatus([&](auto done) { a->consumer->close(std::move(done)); }).ok());

        // The group is empty now: both members left rather than timing out.
        auto described = describeGroup(*a->client, "g-split");
        QVERIFY2(described.ok(), described.ok() ? "" : described.error().message.c_str());
        QCOMPARE(described->state, std::string("Empty"));
    }

    void librdkafkaMemberSharesTheGroupUnderRange() {
        const QString bootstrap = m_partitad->bootstrap();
        QVERIFY(produceAll(bootstrap, "shared", "r", 5));
        QProcess kcat;
        kcat.setStandardOutputFile(QProcess::nullDevice());
        kcat.start(QStandardPaths::findExecutable("kcat"),
                   {"-b", bootstrap, "-G", "g-shared", "-X", "partition.assignment.strategy=range", "-X",
                    "client.id=kcat-member", "-o", "beginning", "-q", "shared"});
        QVERIFY(kcat.waitForStarted(10000));
        auto observer = KafkaClient::create(clientConfig(bootstrap));
        QVERIFY(observer.ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto g = describeGroup(**observer, "g-shared");
                return g.ok() && g->state == "Stable" && g->members.size() == 1;
            }(),
            60000);

        auto ours = join(bootstrap, "g-shared", "shared", {{"partition.assignment.strategy", "range"}});
        Result<DescribedGroup> group = Error{ErrorKind::Timeout, "not described"};
        QVERIFY2(pollAll({ours.get()},
                         [&] {
                             if (ours->consumer->assignment().size() != 3) return false;
                             group = describeGroup(**observer, "g-shared");
                             return group.ok() && group->state == "Stable" && group->members.size() == 2 &&
                                    coversOnce(*group, "shared");
                         }),
                 qPrintable(describe(ours->reader.errors)));
        QCOMPARE(group->protocol, std::string("range"));
        // What the coordinator says each side owns matches what ours reports.
        const std::string ourId = ours->consumer->generation().memberId;
        bool foundKcat = false;
        for (const auto& m : group->members) {
            std::vector<TopicPartition> owned;
            for (const auto& [t, list] : m.assignment)
                for (int32_t p : list) owned.push_back(TopicPartition{t, p});
            if (m.memberId == ourId) {
                QCOMPARE(owned, ours->consumer->assignment());
            } else {
                QCOMPARE(m.clientId, std::string("kcat-member"));
                QCOMPARE(owned.size(), size_t(3));
                QVERIFY(disjoint(owned, ours->consumer->assignment()));
                foundKcat = true;
            }
        }
        QVERIFY(foundKcat);
        QVERIFY(waitForStatus([&](auto done) { ours->consumer->close(std::move(done)); }).ok());
        kcat.terminate();
        if (!kcat.waitForFinished(20000)) {
            kcat.kill();
            kcat.waitForFinished(5000);
        }
    }

    void cooperativeStickyMovesOnlyWhatItMust() {
        const QString bootstrap = m_partitad->bootstrap();
        QVERIFY(produceAll(bootstrap, "coop", "c", 5));
        std::mutex mutex;
        std::vector<std::vector<TopicPartition>> revokedFromA;
        GroupConsumer::Listener listener;
        listener.onPartitionsRevoked = [&](const std::vector<TopicPartition>& p) {
            std::lock_guard lock(mutex);
            revokedFromA.push_back(p);
        };
        const std::map<std::string, std::string> cooperative{{"partition.assignment.strategy", "cooperative-sticky"}};
        auto a = join(bootstrap, "g-coop", "coop", cooperative, listener);
        QVERIFY2(pollAll({a.get()}, [&] { return a->consumer->assignment().size() == size_t(kPartitions); }),
                 qPrintable(describe(a->reader.errors)));
        auto b = join(bootstrap, "g-coop", "coop", cooperative);
        bool overlapped = false;
        QVERIFY2(pollAll({a.get(), b.get()},
                         [&] {
                             auto x = a->consumer->assignment();
                             auto y = b->consumer->assignment();
                             if (!disjoint(x, y)) overlapped = true;
                             return x.size() == 3 && y.size() == 3;
                         }),
                 qPrintable(describe(a->reader.errors) + describe(b->reader.errors)));
        QVERIFY(!overlapped);
        {
            // a gave up exactly the three partitions b took, and kept the others throughout.
            std::lock_guard lock(mutex);
            QCOMPARE(revokedFromA.size(), size_t(1));
            QCOMPARE(revokedFromA.front(), b->consumer->assignment());
        }
        QVERIFY(pollAll({a.get(), b.get()}, [&] { return distinct(a->reader, b->reader) >= 30; }));
        QCOMPARE(duplicates(a->reader, b->reader), size_t(0));
        QVERIFY(waitForStatus([&](auto done) { b->consumer->close(std::move(done)); }).ok());
        QVERIFY(waitForStatus([&](auto done) { a->consumer->close(std::move(done)); }).ok());
    }

    void newTopicsAndPartitionsReachTheGroup() {
        const QString bootstrap = m_partitad->bootstrap();
        // The leader notices a subscribed topic that appears, and one that grows.
        auto m = join(bootstrap, "g-grow", "later",
                      {{"allow.auto.create.topics", "false"}, {"metadata.max.age.ms", "1000"}});
        for (int i = 0; i < 5; ++i) QVERIFY(m->reader.pollOnce(*m->consumer));
        QVERIFY(m->consumer->assignment().empty());

        QVERIFY(produce(bootstrap, "later", 0, "l", 3));
        QVERIFY2(pollAll({m.get()}, [&] { return m->consumer->assignment().size() == size_t(kPartitions); }),
                 qPrintable(describe(m->reader.errors)));
        QVERIFY(pollAll({m.get()}, [&] { return m->reader.seen.size() >= 3; }));

        tests::ToolRun run = tests::runPython(R"(
import sys
from kafka.admin import KafkaAdminClient, NewPartitions
a = KafkaAdminClient(bootstrap_servers=sys.argv[1])
a.create_partitions({'later': NewPartitions(total_count=8)})
a.close()
)",
                                              {bootstrap});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(pollAll(
                     {m.get()}, [&] { return m->consumer->assignment().size() == 8; }, 300),
                 qPrintable(describe(m->reader.errors)));
        QVERIFY(produce(bootstrap, "later", 7, "l", 2));
        QVERIFY(pollAll({m.get()}, [&] { return m->reader.seen.count({7, 1}) == 1; }));
        QCOMPARE(m->reader.seen.size(), size_t(5));
        QVERIFY(waitForStatus([&](auto done) { m->consumer->close(std::move(done)); }).ok());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_partitad;
};

QTEST_GUILESS_MAIN(GroupPartitadTest)
#include "group_partitad_test.moc"
