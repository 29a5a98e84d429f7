// The group consumer's settings under Kafka's names: defaults, static membership, assignor lists
// with Java class names, and the mistakes a user can make (no group.id, bad numbers).
#include <QtTest>

#include "clienttestutil.h"

#include "engine/client/groupconsumer.h"
#include "engine/client/groupmembership.h"
#include "engine/client/kafkaclient.h"

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;

namespace {

Result<GroupMembershipConfig> parse(std::map<std::string, std::string> props) {
    return GroupMembershipConfig::fromClientConfig(clientConfig("localhost:1", std::move(props)));
}

std::vector<std::string> names(const GroupMembershipConfig& c) {
    std::vector<std::string> out;
    for (const auto& a : c.assignors) out.emplace_back(a->name());
    return out;
}

}  // namespace

class GroupConfigTest : public QObject {
    Q_OBJECT

private slots:
    void defaultsAreKafkas() {
        auto c = parse({{"group.id", "g"}});
        QVERIFY(c.ok());
        QCOMPARE(c->groupId, std::string("g"));
        QVERIFY(!c->groupInstanceId);
        QCOMPARE(c->sessionTimeoutMs, 45000);
        QCOMPARE(c->rebalanceTimeoutMs, 300000);
        QCOMPARE(c->heartbeatIntervalMs, 3000);
        QVERIFY(c->allowAutoCreateTopics);
        QCOMPARE(names(*c), (std::vector<std::string>{"range", "cooperative-sticky"}));
    }

    void javaPropertiesAreRead() {
        auto c =
            parse({{"group.id", "orders-app"},
                   {"group.instance.id", "host-1"},
                   {"session.timeout.ms", "10000"},
                   {"heartbeat.interval.ms", "1000"},
                   {"max.poll.interval.ms", "60000"},
                   {"client.rack", "eu-1a"},
                   {"partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"}});
        QVERIFY(c.ok());
        QCOMPARE(c->groupInstanceId, std::optional<std::string>("host-1"));
        QCOMPARE(c->sessionTimeoutMs, 10000);
        QCOMPARE(c->heartbeatIntervalMs, 1000);
        QCOMPARE(c->rebalanceTimeoutMs, 60000);
        QCOMPARE(c->rackId, std::optional<std::string>("eu-1a"));
        QCOMPARE(names(*c), (std::vector<std::string>{"cooperative-sticky"}));
    }

    void mistakesAreNamed() {
        auto noGroup = parse({});
        QVERIFY(!noGroup.ok());
        QCOMPARE(noGroup.error().kind, ErrorKind::InvalidArgument);
        QVERIFY(noGroup.error().message.find("group.id") != std::string::npos);

        auto heartbeat = parse({{"group.id", "g"}, {"session.timeout.ms", "3000"}, {"heartbeat.interval.ms", "3000"}});
        QVERIFY(!heartbeat.ok());
        QVERIFY(heartbeat.error().message.find("heartbeat.interval.ms") != std::string::npos);

        auto number = parse({{"group.id", "g"}, {"session.timeout.ms", "soon"}});
        QVERIFY(!number.ok());
        QVERIFY(number.error().message.find("session.timeout.ms") != std::string::npos);

        auto assignor = parse({{"group.id", "g"}, {"partition.assignment.strategy", "sticky"}});
        QVERIFY(!assignor.ok());
        QVERIFY(assignor.error().message.find("sticky") != std::string::npos);
    }

    void groupConsumerRefusesBadSettings() {
        auto client = KafkaClient::create(clientConfig("localhost:1"));
        QVERIFY(client.ok());
        auto noGroup = GroupConsumer::create(*client, clientConfig("localhost:1"));
        QVERIFY(!noGroup.ok());
        QVERIFY(noGroup.error().message.find("group.id") != std::string::npos);
        auto autoCommit = GroupConsumer::create(
            *client, clientConfig("localhost:1", {{"group.id", "g"}, {"enable.auto.commit", "perhaps"}}));
        QVERIFY(!autoCommit.ok());
        QVERIFY(autoCommit.error().message.find("enable.auto.commit") != std::string::npos);
        auto ok = GroupConsumer::create(*client, clientConfig("localhost:1", {{"group.id", "g"}}));
        QVERIFY(ok.ok());
        QCOMPARE((*ok)->groupId(), std::string("g"));
        QVERIFY((*ok)->assignment().empty());
    }
};

QTEST_GUILESS_MAIN(GroupConfigTest)
#include "groupconfig_test.moc"
