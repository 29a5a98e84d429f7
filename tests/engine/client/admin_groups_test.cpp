// Admin's consumer group operations against a real partitad, with a confluent-kafka (librdkafka)
// consumer as the group's member: list, describe, lag, offset reset and deletion, group deletion.
#include "clienttestutil.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QTest>

#include <algorithm>

using namespace partita;
using namespace partita::client;
using partita::tests::contains;
using partita::tests::waitFor;

namespace {

// A group member that consumes `count` records, commits them, says "ready" and stays in the group
// until its stdin closes.
const char* kConsumerScript = R"(
import sys
from confluent_kafka import Consumer
bootstrap, group, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': 'lag-client',
              'auto.offset.reset': 'earliest', 'enable.auto.commit': False})
c.subscribe([topic])
n = 0
while n < count:
    m = c.poll(1.0)
    if m is None or m.error():
        continue
    n += 1
c.commit(asynchronous=False)
print('ready', flush=True)
sys.stdin.read()
c.close()
)";

class GroupMemberProcess {
public:
    bool start(const QString& bootstrap, const QString& group, const QString& topic, int count) {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start("/usr/bin/python3", {"-c", kConsumerScript, bootstrap, group, topic, QString::number(count)});
        if (!m_process.waitForStarted(10000)) return false;
        QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired()) {
            if (m_process.canReadLine()) return m_process.readLine().trimmed() == "ready";
            if (m_process.state() == QProcess::NotRunning) return false;
            m_process.waitForReadyRead(200);
        }
        return false;
    }
    // Leaves the group cleanly (LeaveGroup), so it is empty right after.
    bool stop() {
        m_process.closeWriteChannel();
        return m_process.waitForFinished(30000) && m_process.exitCode() == 0;
    }
    ~GroupMemberProcess() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

private:
    QProcess m_process;
};

}  // namespace

class AdminGroupsTest : public QObject, protected tests::AdminFixture {
    Q_OBJECT

private:
    Result<GroupListings> groups(ListGroupsOptions options = {}) {
        return waitFor<GroupListings>([&](auto done) { m_admin->listConsumerGroups(options, std::move(done)); });
    }
    bool listed(const std::string& group) {
        auto listings = groups();
        if (!listings.ok()) qFatal("listConsumerGroups failed: %s", listings.error().message.c_str());
        return std::any_of(listings->groups.begin(), listings->groups.end(),
                           [&](const GroupListing& g) { return g.groupId == group; });
    }
    Result<ConsumerGroupDescription> describe(const std::string& group) {
        auto described = waitFor<std::vector<ConsumerGroupDescription>>([&](auto done) {
            DescribeGroupsOptions options;
            options.includeAuthorizedOperations = true;
            m_admin->describeConsumerGroups({group}, options, std::move(done));
        });
        if (!described.ok()) return described.error();
        return described->front();
    }
    Result<ConsumerGroupLag> lag(const std::string& group) {
        return waitFor<ConsumerGroupLag>([&](auto done) { m_admin->describeConsumerGroupLag(group, std::move(done)); });
    }
    Result<std::vector<CommittedOffset>> committed(const std::string& group, std::vector<TopicPartition> tps = {}) {
        return waitFor<std::vector<CommittedOffset>>(
            [&](auto done) { m_admin->listConsumerGroupOffsets(group, std::move(tps), std::move(done)); });
    }
    Result<std::vector<PartitionStatus>> reset(const std::string& group,
                                               std::map<TopicPartition, OffsetAndMetadata> offsets) {
        return waitFor<std::vector<PartitionStatus>>(
            [&](auto done) { m_admin->alterConsumerGroupOffsets(group, std::move(offsets), std::move(done)); });
    }

private slots:
    void initTestCase() {
        QVERIFY(startPartitad());
        QVERIFY(createTopics({{"lagged", 1, 1, {}, {}}, {"spread", 2, 1, {}, {}}}));
        QVERIFY(tests::kcatProduceNumbered(m_broker->bootstrap(), "lagged", 0, 10));
        QVERIFY(tests::kcatProduceNumbered(m_broker->bootstrap(), "spread", 0, 5));
        QVERIFY(tests::kcatProduceNumbered(m_broker->bootstrap(), "spread", 1, 7));
    }

    void cleanupTestCase() { stopCluster(); }

    // The whole life of a group as a user sees it in the tools.
    void anActiveGroupShowsItsMemberAndLag() {
        GroupMemberProcess member;
        QVERIFY(member.start(m_broker->bootstrap(), "readers", "lagged", 6));

        QVERIFY(listed("readers"));
        auto listings = groups();
        QVERIFY(listings.ok());
        QVERIFY(listings->brokerErrors.empty());
        auto it = std::find_if(listings->groups.begin(), listings->groups.end(),
                               [](const auto& g) { return g.groupId == "readers"; });
        QCOMPARE(it->protocolType, std::string("consumer"));
        QCOMPARE(it->state, std::string("Stable"));
        QCOMPARE(it->coordinatorId, 1);

        auto described = describe("readers");
        QVERIFY2(described.ok(), described.ok() ? "" : described.error().message.c_str());
        QVERIFY(described->status.ok());
        QCOMPARE(described->state, std::string("Stable"));
        QCOMPARE(described->protocolType, std::string("consumer"));
        QVERIFY(!described->protocol.empty());  // the assignor
        QCOMPARE(described->coordinatorId, 1);
        QCOMPARE(described->members.size(), size_t(1));
        const GroupMember& m = described->members.front();
        QCOMPARE(m.clientId, std::string("lag-client"));
        QVERIFY(!m.memberId.empty());
        QVERIFY(!m.host.empty());
        QCOMPARE(m.subscribedTopics, std::vector<std::string>{"lagged"});
        QCOMPARE(m.assignment, (std::vector<TopicPartition>{{"lagged", 0}}));

        // Produced 10, consumed and committed 6.
        auto lagged = lag("readers");
        QVERIFY2(lagged.ok(), lagged.ok() ? "" : lagged.error().message.c_str());
        QCOMPARE(lagged->state, std::string("Stable"));
        QCOMPARE(lagged->partitions.size(), size_t(1));
        const PartitionLag& row = lagged->partitions.front();
        QCOMPARE(row.committedOffset, std::optional<int64_t>(6));
        QCOMPARE(row.logEndOffset, std::optional<int64_t>(10));
        QCOMPARE(row.lag, std::optional<int64_t>(4));
        QCOMPARE(row.clientId, std::string("lag-client"));
        QCOMPARE(row.memberId, m.memberId);
        QCOMPARE(lagged->totalLag, int64_t(4));
        QCOMPARE(lagged->partitionsWithoutLag, 0);

        // An admin cannot move the offsets of a group whose members own them.
        auto refused = reset("readers", {{{"lagged", 0}, {0, -1, ""}}});
        QVERIFY(!refused.ok());
        qInfo("%s", refused.error().message.c_str());
        QCOMPARE(refused.error().kind, ErrorKind::Broker);
        QVERIFY2(contains(refused.error().message, "not empty"), refused.error().message.c_str());
        QVERIFY(contains(refused.error().message, "readers"));

        QVERIFY(member.stop());
        auto empty = describe("readers");
        QVERIFY(empty.ok());
        QCOMPARE(empty->state, std::string("Empty"));
        QVERIFY(empty->members.empty());

        // Once empty, a reset works and shows in the committed offsets and the lag.
        auto moved = reset("readers", {{{"lagged", 0}, {2, -1, "reset by test"}}});
        QVERIFY2(moved.ok(), moved.ok() ? "" : moved.error().message.c_str());
        QVERIFY(firstFailure(*moved).ok());
        auto offsets = committed("readers");
        QVERIFY(offsets.ok());
        QCOMPARE(offsets->size(), size_t(1));
        QCOMPARE(offsets->front().offset, int64_t(2));
        QCOMPARE(offsets->front().metadata, std::string("reset by test"));
        auto after = lag("readers");
        QVERIFY(after.ok());
        QCOMPARE(after->totalLag, int64_t(8));
        QVERIFY(after->partitions.front().memberId.empty());
    }

    void offsetsOfSomePartitionsAndDeletion() {
        auto set = reset("spreaders", {{{"spread", 0}, {5, -1, ""}}, {{"spread", 1}, {3, -1, ""}}});
        QVERIFY2(set.ok(), set.ok() ? "" : set.error().message.c_str());
        QVERIFY(firstFailure(*set).ok());

        auto one = committed("spreaders", {{"spread", 1}});
        QVERIFY(one.ok());
        QCOMPARE(one->size(), size_t(1));
        QCOMPARE(one->front().partition, (TopicPartition{"spread", 1}));
        QCOMPARE(one->front().offset, int64_t(3));

        auto lagged = lag("spreaders");
        QVERIFY(lagged.ok());
        QCOMPARE(lagged->partitions.size(), size_t(2));
        QCOMPARE(lagged->partitions[0].lag, std::optional<int64_t>(0));
        QCOMPARE(lagged->partitions[1].lag, std::optional<int64_t>(4));
        QCOMPARE(lagged->totalLag, int64_t(4));

        auto deleted = waitFor<std::vector<PartitionStatus>>([&](auto done) {
            m_admin->deleteConsumerGroupOffsets("spreaders", {{"spread", 0}}, std::move(done));
        });
        QVERIFY2(deleted.ok(), deleted.ok() ? "" : deleted.error().message.c_str());
        QVERIFY(firstFailure(*deleted).ok());
        auto remaining = committed("spreaders");
        QVERIFY(remaining.ok());
        QCOMPARE(remaining->size(), size_t(1));
        QCOMPARE(remaining->front().partition, (TopicPartition{"spread", 1}));
    }

    void deletedGroupIsGone() {
        QVERIFY(reset("short-lived", {{{"spread", 0}, {1, -1, ""}}}).ok());
        QVERIFY(listed("short-lived"));
        auto deleted = waitFor<std::vector<ItemStatus>>([&](auto done) {
            m_admin->deleteConsumerGroups({"short-lived", "never-existed"}, std::move(done));
        });
        QVERIFY2(deleted.ok(), deleted.ok() ? "" : deleted.error().message.c_str());
        QCOMPARE(deleted->size(), size_t(2));
        QVERIFY2((*deleted)[0].status.ok(), (*deleted)[0].status.error().message.c_str());
        QVERIFY(!(*deleted)[1].status.ok());
        QVERIFY2(contains((*deleted)[1].status.error().message, "never-existed"),
                 (*deleted)[1].status.error().message.c_str());
        QVERIFY(!listed("short-lived"));
        auto offsets = committed("short-lived");
        QVERIFY(offsets.ok());
        QVERIFY(offsets->empty());
    }

    void lagOfAnUnknownGroupFails() {
        auto lagged = lag("nobody-here");
        QVERIFY(!lagged.ok());
        QVERIFY2(contains(lagged.error().message, "nobody-here"), lagged.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(AdminGroupsTest)
#include "admin_groups_test.moc"
