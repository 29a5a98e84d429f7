// The consumer protocol's bytes in JoinGroup and SyncGroup: exact layouts, old and newer versions,
// and bad input.
#include <QtTest>

#include <string>
#include <vector>

#include "engine/client/groupprotocol.h"

using namespace partita;
using namespace partita::client;

namespace {

Bytes bytesOf(std::vector<uint8_t> v) {
    return Bytes::fromVector(std::move(v));
}

std::vector<uint8_t> vec(const Bytes& b) {
    return {b.data(), b.data() + b.size()};
}

}  // namespace

class GroupProtocolTest : public QObject {
    Q_OBJECT

private slots:
    void subscriptionV1HasKafkasLayout() {
        MemberSubscription s;
        s.topics = {"t"};
        s.ownedPartitions = {{"t", {0}}};
        const std::vector<uint8_t> expected{
            0x00, 0x01,                                      // version 1
            0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 't',         // topics ["t"]
            0xff, 0xff, 0xff, 0xff,                          // user data: null
            0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 't',         // owned: topic "t"
            0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  // partitions [0]
        };
        QCOMPARE(vec(encodeSubscription(s)), expected);
    }

    void subscriptionV0FromOlderClientsDecodes() {
        // kafka-python 2.0.2 and other v0 writers: topics and (empty) user data only.
        auto s = decodeSubscription(
            bytesOf({0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 'a', 0x00, 0x01, 'b', 0x00, 0x00, 0x00, 0x00}));
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QCOMPARE(s->topics, (std::vector<std::string>{"a", "b"}));
        QVERIFY(s->ownedPartitions.empty());
        QVERIFY(s->userData.has_value());
        QCOMPARE(s->generationId, -1);
    }

    void subscriptionV3RoundTripsGenerationAndRack() {
        MemberSubscription s;
        s.topics = {"orders", "payments"};
        s.ownedPartitions = {{"orders", {1, 3}}, {"payments", {0}}};
        s.generationId = 7;
        s.rackId = "rack-a";
        auto back = decodeSubscription(encodeSubscription(s, 3));
        QVERIFY(back.ok());
        QCOMPARE(back->topics, s.topics);
        QCOMPARE(back->ownedPartitions, s.ownedPartitions);
        QCOMPARE(back->generationId, 7);
        QCOMPARE(back->rackId, std::optional<std::string>("rack-a"));
    }

    void newerSubscriptionVersionsReadAsTheNewestKnown() {
        MemberSubscription s;
        s.topics = {"t"};
        s.generationId = 2;
        std::vector<uint8_t> data = vec(encodeSubscription(s, 3));
        data[1] = 9;                            // a future version...
        data.insert(data.end(), {0x12, 0x34});  // ...that appends a field
        auto back = decodeSubscription(bytesOf(data));
        QVERIFY(back.ok());
        QCOMPARE(back->topics, s.topics);
        QCOMPARE(back->generationId, 2);
    }

    void assignmentRoundTripsAndHasKafkasLayout() {
        const PartitionsByTopic a{{"t", {0, 1}}};
        const std::vector<uint8_t> expected{
            0x00, 0x01,                                      // version 1
            0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 't',         // one topic "t"
            0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,  // partitions [0,
            0x00, 0x00, 0x00, 0x01,                          //   1]
            0xff, 0xff, 0xff, 0xff,                          // user data: null
        };
        QCOMPARE(vec(encodeAssignment(a)), expected);
        auto back = decodeAssignment(encodeAssignment(a));
        QVERIFY(back.ok());
        QCOMPARE(*back, a);
        auto v0 = decodeAssignment(encodeAssignment({{"x", {2}}, {"y", {0, 5}}}, 0));
        QVERIFY(v0.ok());
        QCOMPARE(*v0, (PartitionsByTopic{{"x", {2}}, {"y", {0, 5}}}));
    }

    void emptyAssignmentBytesMeanNoPartitions() {
        auto a = decodeAssignment(Bytes());
        QVERIFY(a.ok());
        QVERIFY(a->empty());
    }

    void badBytesAreErrors() {
        QCOMPARE(decodeSubscription(bytesOf({0x00})).error().kind, ErrorKind::Truncated);
        QVERIFY(!decodeSubscription(bytesOf({0xff, 0xff, 0x00})).ok());  // negative version
        // A topic count far beyond the bytes present.
        QVERIFY(!decodeSubscription(bytesOf({0x00, 0x01, 0x7f, 0xff, 0xff, 0xff})).ok());
        QVERIFY(!decodeAssignment(bytesOf({0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x05, 'a'})).ok());
    }
};

QTEST_GUILESS_MAIN(GroupProtocolTest)
#include "groupprotocol_test.moc"
