// partitad's group coordinator against requests a well-behaved client would not send, on raw sockets: each answer
// must carry the error code Kafka answers with (the codes are written out here, not taken from our enum).
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/createtopics.h"
#include "engine/protocol/messages/deletegroups.h"
#include "engine/protocol/messages/describegroups.h"
#include "engine/protocol/messages/findcoordinator.h"
#include "engine/protocol/messages/heartbeat.h"
#include "engine/protocol/messages/joingroup.h"
#include "engine/protocol/messages/leavegroup.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/protocol/messages/offsetcommit.h"
#include "engine/protocol/messages/offsetfetch.h"
#include "engine/protocol/messages/syncgroup.h"
#include "partitadprocess.h"
#include "rawclient.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

using namespace partita;
using namespace partita::protocol;
using partita::tests::call;
using partita::tests::PartitadProcess;

namespace {

// Kafka's error codes (org.apache.kafka.common.protocol.Errors).
constexpr int16_t kNone = 0;
constexpr int16_t kUnknownTopicOrPartition = 3;
constexpr int16_t kOffsetMetadataTooLarge = 12;
constexpr int16_t kCoordinatorLoadInProgress = 14;
constexpr int16_t kCoordinatorNotAvailable = 15;
constexpr int16_t kIllegalGeneration = 22;
constexpr int16_t kInconsistentGroupProtocol = 23;
constexpr int16_t kInvalidGroupId = 24;
constexpr int16_t kUnknownMemberId = 25;
constexpr int16_t kInvalidSessionTimeout = 26;
constexpr int16_t kRebalanceInProgress = 27;
constexpr int16_t kNonEmptyGroup = 68;
constexpr int16_t kGroupIdNotFound = 69;
constexpr int16_t kMemberIdRequired = 79;
constexpr int16_t kGroupMaxSizeReached = 81;

constexpr int kMinSessionTimeoutMs = 2000;
constexpr int kMaxSessionTimeoutMs = 60000;
constexpr int kMetadataMaxBytes = 4096;
constexpr int kWaitMs = 10000;
const std::string kTopic = "gbi-topic";       // 3 partitions
const std::string kOtherTopic = "gbi-other";  // 1 partition

const QStringList kOverrides{
    "group.initial.rebalance.delay.ms=0",
    QStringLiteral("group.min.session.timeout.ms=%1").arg(kMinSessionTimeoutMs),
    QStringLiteral("group.max.session.timeout.ms=%1").arg(kMaxSessionTimeoutMs),
    QStringLiteral("offset.metadata.max.bytes=%1").arg(kMetadataMaxBytes),
};

std::unique_ptr<QTcpSocket> connectTo(const PartitadProcess& broker) {
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost("localhost", quint16(broker.port()));
    if (!socket->waitForConnected(kWaitMs)) qFatal("cannot connect to partitad on port %d", broker.port());
    return socket;
}

// Requests whose answer may take a while (a JoinGroup waiting for the other members, a follower's SyncGroup
// waiting for the leader) are sent first and read later; rawclient's call() does both at once.
int32_t sendRequest(QTcpSocket& socket, const ApiMessage& request, int16_t version) {
    static int32_t correlation = 1 << 20;
    RequestHeader header;
    header.requestApiKey = request.messageApiKey();
    header.requestApiVersion = version;
    header.correlationId = ++correlation;
    header.clientId = "partita-groups-badinput";
    auto frame = encodeRequest(header, request);
    if (!frame) qFatal("encode %s: %s", request.messageName(), frame.error().message.c_str());
    socket.write(reinterpret_cast<const char*>(frame->data()), qint64(frame->size()));
    socket.flush();
    return header.correlationId;
}

// The next response frame without its length prefix; nullopt when the connection closed or stayed silent.
std::optional<QByteArray> readFrame(QTcpSocket& socket, int timeoutMs = kWaitMs) {
    QByteArray in;
    QDeadlineTimer deadline(timeoutMs);
    auto complete = [&] { return in.size() >= 4 && in.size() >= 4 + qFromBigEndian<qint32>(in.constData()); };
    while (!complete()) {
        if (socket.bytesAvailable() > 0) {
            in += socket.read(in.size() < 4 ? 4 - in.size() : 4 + qFromBigEndian<qint32>(in.constData()) - in.size());
            continue;
        }
        if (deadline.hasExpired() || socket.state() != QAbstractSocket::ConnectedState) return std::nullopt;
        socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    return in.mid(4);
}

template <class Response>
std::unique_ptr<Response> receive(QTcpSocket& socket, int32_t correlationId, int16_t apiKey, int16_t version,
                                  int timeoutMs = kWaitMs) {
    auto frame = readFrame(socket, timeoutMs);
    if (!frame) return nullptr;
    auto body = Bytes::copyOf(std::span(reinterpret_cast<const uint8_t*>(frame->constData()), size_t(frame->size())));
    auto decoded = decodeResponse(body, apiKey, version);
    if (!decoded) qFatal("decode response %d v%d: %s", apiKey, version, decoded.error().message.c_str());
    if (decoded->correlationId != correlationId)
        qFatal("response to correlation id %d, expected %d", decoded->correlationId, correlationId);
    return std::unique_ptr<Response>(static_cast<Response*>(decoded->body.release()));
}

// ConsumerProtocolSubscription v0 and ConsumerProtocolAssignment v0, written out byte by byte.
void putInt16(QByteArray& out, int16_t v) {
    out += char((v >> 8) & 0xff), out += char(v & 0xff);
}
void putInt32(QByteArray& out, int32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += char((quint32(v) >> shift) & 0xff);
}
void putString(QByteArray& out, const std::string& s) {
    putInt16(out, int16_t(s.size()));
    out += QByteArray::fromStdString(s);
}
Bytes toBytes(const QByteArray& data) {
    return Bytes::copyOf(std::span(reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size())));
}
Bytes subscription(const std::string& topic) {
    QByteArray out;
    putInt16(out, 0);
    putInt32(out, 1);
    putString(out, topic);
    putInt32(out, -1);  // no user data
    return toBytes(out);
}
Bytes assignment(const std::string& topic, const std::vector<int32_t>& partitions) {
    QByteArray out;
    putInt16(out, 0);
    putInt32(out, 1);
    putString(out, topic);
    putInt32(out, int32_t(partitions.size()));
    for (int32_t p : partitions) putInt32(out, p);
    putInt32(out, -1);
    return toBytes(out);
}

JoinGroupRequest joinRequest(const std::string& group, const std::string& memberId,
                             const std::string& protocolType = "consumer", int32_t sessionTimeoutMs = 10000,
                             const std::string& protocol = "range") {
    JoinGroupRequest request;
    request.groupId = group;
    request.sessionTimeoutMs = sessionTimeoutMs;
    request.rebalanceTimeoutMs = 20000;
    request.memberId = memberId;
    request.protocolType = protocolType;
    request.protocols.push_back({protocol, subscription(kTopic), {}});
    return request;
}

SyncGroupRequest syncRequest(const std::string& group, int32_t generation, const std::string& memberId,
                             const std::vector<std::pair<std::string, std::vector<int32_t>>>& assignments = {}) {
    SyncGroupRequest request;
    request.groupId = group;
    request.generationId = generation;
    request.memberId = memberId;
    for (const auto& [member, partitions] : assignments)
        request.assignments.push_back({member, assignment(kTopic, partitions), {}});
    return request;
}

OffsetCommitRequest simpleCommit(const std::string& group,
                                 const std::map<std::string, std::map<int32_t, int64_t>>& offsets) {
    OffsetCommitRequest request;
    request.groupId = group;
    request.generationIdOrMemberEpoch = -1;  // not a group member: an assign() consumer's commit
    for (const auto& [topic, partitions] : offsets) {
        OffsetCommitRequest::OffsetCommitRequestTopic t;
        t.name = topic;
        for (const auto& [p, offset] : partitions) {
            OffsetCommitRequest::OffsetCommitRequestPartition partition;
            partition.partitionIndex = p;
            partition.committedOffset = offset;
            t.partitions.push_back(partition);
        }
        request.topics.push_back(t);
    }
    return request;
}

// {topic: {partition: error}} of an OffsetCommit answer.
std::map<std::string, std::map<int32_t, int16_t>> commitErrors(const OffsetCommitResponse& response) {
    std::map<std::string, std::map<int32_t, int16_t>> out;
    for (const auto& t : response.topics)
        for (const auto& p : t.partitions) out[t.name][p.partitionIndex] = p.errorCode;
    return out;
}

// {group: {topic: {partition: offset}}} of an OffsetFetch v8+ answer, and the group errors.
struct FetchedGroups {
    std::map<std::string, std::map<std::string, std::map<int32_t, int64_t>>> offsets;
    std::map<std::string, int16_t> errors;
    std::map<std::string, std::map<std::string, std::map<int32_t, std::optional<std::string>>>> metadata;
};

FetchedGroups fetchAll(QTcpSocket& socket, const std::vector<std::string>& groups) {
    OffsetFetchRequest request;
    for (const auto& g : groups) {
        OffsetFetchRequest::OffsetFetchRequestGroup group;
        group.groupId = g;
        group.topics = std::nullopt;  // every committed partition
        request.groups.push_back(group);
    }
    auto response = call<OffsetFetchResponse>(socket, request, 8);
    FetchedGroups out;
    for (const auto& g : response->groups) {
        out.errors[g.groupId] = g.errorCode;
        out.offsets[g.groupId];
        for (const auto& t : g.topics)
            for (const auto& p : t.partitions) {
                out.offsets[g.groupId][t.name][p.partitionIndex] = p.committedOffset;
                out.metadata[g.groupId][t.name][p.partitionIndex] = p.metadata;
                if (p.errorCode != kNone) out.offsets[g.groupId][t.name][p.partitionIndex] = -1000 - p.errorCode;
            }
    }
    return out;
}

QString describe(const std::map<std::string, std::map<int32_t, int64_t>>& m) {
    QStringList parts;
    for (const auto& [topic, partitions] : m)
        for (const auto& [p, v] : partitions)
            parts << QStringLiteral("%1:%2=%3").arg(QString::fromStdString(topic)).arg(p).arg(v);
    return "{" + parts.join(", ") + "}";
}

}  // namespace

class TestPartitadGroupsBadInput : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        m_broker = std::make_unique<PartitadProcess>(m_dir.path() + "/broker");
        QVERIFY2(m_broker->start(kOverrides), qPrintable(m_broker->output()));
        auto socket = connectTo(*m_broker);
        CreateTopicsRequest create;
        for (const auto& [name, partitions] : {std::pair{kTopic, 3}, std::pair{kOtherTopic, 1}}) {
            CreateTopicsRequest::CreatableTopic topic;
            topic.name = name;
            topic.numPartitions = partitions;
            topic.replicationFactor = 1;
            create.topics.push_back(topic);
        }
        create.timeoutMs = 10000;
        auto created = call<CreateTopicsResponse>(*socket, create, 7);
        for (const auto& t : created->topics) QCOMPARE(t.errorCode, kNone);
    }

    void cleanupTestCase() {
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    void joinGroupWithEmptyGroupIdIsInvalidGroupId() {
        auto socket = connectTo(*m_broker);
        for (int16_t version : {int16_t(0), int16_t(5), int16_t(9)}) {
            auto response = call<JoinGroupResponse>(*socket, joinRequest("", ""), version);
            QVERIFY2(response->errorCode == kInvalidGroupId,
                     qPrintable(QStringLiteral("JoinGroup v%1 with group id \"\": error %2, Kafka answers %3")
                                    .arg(version)
                                    .arg(response->errorCode)
                                    .arg(kInvalidGroupId)));
        }
    }

    // The compact strings of flexible versions could carry a longer group id, but Kafka's generated request
    // readers refuse any string longer than 0x7fff bytes ("string field groupId had invalid length"), and a
    // request that does not parse closes the connection without an answer. 32767 bytes is a valid group id.
    void joinGroupWithGroupIdOver32767Bytes() {
        QVERIFY(findCoordinator(std::string(32767, 'g')));
        {
            auto socket = connectTo(*m_broker);
            auto response = call<JoinGroupResponse>(*socket, joinRequest(std::string(32767, 'g'), ""), 6);
            QVERIFY2(response->errorCode == kMemberIdRequired,
                     qPrintable(QStringLiteral("a 32767-byte group id: error %1, expected %2 (MEMBER_ID_REQUIRED)")
                                    .arg(response->errorCode)
                                    .arg(kMemberIdRequired)));
        }
        // Our codec refuses to write such a string, so the frame is a 32767-byte one stretched by a byte.
        RequestHeader header;
        header.requestApiKey = JoinGroupRequest::kApiKey;
        header.requestApiVersion = 6;
        header.correlationId = 4242;
        header.clientId = "partita-groups-badinput";
        auto encoded = encodeRequest(header, joinRequest(std::string(32767, 'g'), ""));
        QVERIFY(encoded);
        QByteArray frame(reinterpret_cast<const char*>(encoded->data()), qsizetype(encoded->size()));
        // Compact length 32767 is the varint of 32768 (80 80 02); 32768 is 81 80 02.
        const qsizetype at = frame.indexOf(QByteArray("\x80\x80\x02g", 4));
        QVERIFY(at > 0);
        frame[at] = char(0x81);
        frame.insert(at + 3, 'g');
        qToBigEndian<qint32>(qint32(frame.size() - 4), frame.data());
        auto socket = connectTo(*m_broker);
        socket->write(frame);
        socket->flush();
        const int32_t correlation = header.correlationId;
        auto answer = receive<JoinGroupResponse>(*socket, correlation, JoinGroupRequest::kApiKey, 6);
        QVERIFY2(!answer,
                 qPrintable(QStringLiteral("JoinGroup v6 with a 32768-byte group id was answered (error %1); Kafka "
                                           "cannot parse it and closes the connection")
                                .arg(answer ? answer->errorCode : 0)));
        QVERIFY2(socket->state() != QAbstractSocket::ConnectedState || !socket->waitForReadyRead(2000),
                 "the connection stayed open after an unparseable JoinGroup");
        auto fresh = connectTo(*m_broker);
        MetadataRequest metadata;
        QCOMPARE(call<MetadataResponse>(*fresh, metadata, 12)->brokers.size(), size_t(1));
    }

    void joinGroupV4PlusWithEmptyMemberIdGetsMemberIdRequired() {
        auto socket = connectTo(*m_broker);
        for (int16_t version : {int16_t(4), int16_t(5), int16_t(9)}) {
            const std::string group = "gbi-member-id-required-v" + std::to_string(version);
            QVERIFY(findCoordinator(group));
            auto first = call<JoinGroupResponse>(*socket, joinRequest(group, ""), version);
            QVERIFY2(first->errorCode == kMemberIdRequired, qPrintable(QStringLiteral("v%1: error %2, expected %3")
                                                                           .arg(version)
                                                                           .arg(first->errorCode)
                                                                           .arg(kMemberIdRequired)));
            QVERIFY2(!first->memberId.empty(), "MEMBER_ID_REQUIRED without a member id to use");
            auto second = call<JoinGroupResponse>(*socket, joinRequest(group, first->memberId), version);
            QCOMPARE(second->errorCode, kNone);
            QCOMPARE(second->memberId, first->memberId);
            QCOMPARE(second->leader, first->memberId);
            QVERIFY(second->generationId >= 1);
            QCOMPARE(second->members.size(), size_t(1));
            QCOMPARE(second->members[0].memberId, first->memberId);
            if (version >= 7) QCOMPARE(second->protocolType, std::optional<std::string>("consumer"));
            QCOMPARE(second->protocolName, std::optional<std::string>("range"));
        }
        // Before v4 a new member gets its id at once.
        const std::string group = "gbi-member-id-v3";
        QVERIFY(findCoordinator(group));
        auto v3 = call<JoinGroupResponse>(*socket, joinRequest(group, ""), 3);
        QCOMPARE(v3->errorCode, kNone);
        QVERIFY(!v3->memberId.empty());
    }

    void joinGroupWithAnotherProtocolTypeIsInconsistent() {
        const std::string group = "gbi-protocol-type";
        QVERIFY(findCoordinator(group));
        auto a = connectTo(*m_broker);
        auto leader = joinAndSync(*a, group);
        QVERIFY(!leader.empty());
        auto b = connectTo(*m_broker);
        auto connect = call<JoinGroupResponse>(*b, joinRequest(group, "", "connect"), 5);
        QVERIFY2(connect->errorCode == kInconsistentGroupProtocol,
                 qPrintable(QStringLiteral("protocol type \"connect\" into a \"consumer\" group: error %1, expected %2")
                                .arg(connect->errorCode)
                                .arg(kInconsistentGroupProtocol)));
        // The same protocol type with no protocol in common with the group.
        auto other = call<JoinGroupResponse>(*b, joinRequest(group, "", "consumer", 10000, "sticky-only"), 5);
        QVERIFY2(other->errorCode == kInconsistentGroupProtocol,
                 qPrintable(QStringLiteral("no common protocol: error %1, expected %2")
                                .arg(other->errorCode)
                                .arg(kInconsistentGroupProtocol)));
        // The group is unharmed: its member still heartbeats.
        QCOMPARE(heartbeat(*a, group, 1, leader), kNone);
    }

    void joinGroupSessionTimeoutOutsideBrokerLimitsIsInvalid() {
        auto socket = connectTo(*m_broker);
        const std::string group = "gbi-session-timeout";
        QVERIFY(findCoordinator(group));
        for (int32_t timeout : {kMinSessionTimeoutMs - 1, kMaxSessionTimeoutMs + 1, 0, -1}) {
            auto response = call<JoinGroupResponse>(*socket, joinRequest(group, "", "consumer", timeout), 5);
            QVERIFY2(response->errorCode == kInvalidSessionTimeout,
                     qPrintable(QStringLiteral("session timeout %1 ms with limits [%2, %3]: error %4, expected %5")
                                    .arg(timeout)
                                    .arg(kMinSessionTimeoutMs)
                                    .arg(kMaxSessionTimeoutMs)
                                    .arg(response->errorCode)
                                    .arg(kInvalidSessionTimeout)));
        }
        // The limits themselves are allowed.
        for (int32_t timeout : {kMinSessionTimeoutMs, kMaxSessionTimeoutMs}) {
            auto response = call<JoinGroupResponse>(*socket, joinRequest(group, "", "consumer", timeout), 5);
            QVERIFY2(
                response->errorCode == kMemberIdRequired,
                qPrintable(QStringLiteral("session timeout %1 ms: error %2").arg(timeout).arg(response->errorCode)));
        }
    }

    void syncGroupWithStaleGenerationIsIllegalGeneration() {
        const std::string group = "gbi-stale-generation";
        QVERIFY(findCoordinator(group));
        auto socket = connectTo(*m_broker);
        auto first = call<JoinGroupResponse>(*socket, joinRequest(group, ""), 5);
        QCOMPARE(first->errorCode, kMemberIdRequired);
        const std::string member = first->memberId;
        auto joined = call<JoinGroupResponse>(*socket, joinRequest(group, member), 5);
        QCOMPARE(joined->errorCode, kNone);
        const int32_t stale = joined->generationId;
        QCOMPARE(
            call<SyncGroupResponse>(*socket, syncRequest(group, stale, member, {{member, {0, 1, 2}}}), 3)->errorCode,
            kNone);
        // The leader joins again: a new generation.
        auto rejoined = call<JoinGroupResponse>(*socket, joinRequest(group, member), 5);
        QCOMPARE(rejoined->errorCode, kNone);
        QVERIFY2(rejoined->generationId > stale,
                 qPrintable(QStringLiteral("generation %1 after a rejoin of generation %2")
                                .arg(rejoined->generationId)
                                .arg(stale)));
        auto old = call<SyncGroupResponse>(*socket, syncRequest(group, stale, member, {{member, {0, 1, 2}}}), 3);
        QVERIFY2(old->errorCode == kIllegalGeneration,
                 qPrintable(QStringLiteral("SyncGroup with generation %1 in generation %2: error %3, expected %4")
                                .arg(stale)
                                .arg(rejoined->generationId)
                                .arg(old->errorCode)
                                .arg(kIllegalGeneration)));
        auto current = call<SyncGroupResponse>(
            *socket, syncRequest(group, rejoined->generationId, member, {{member, {0, 1, 2}}}), 3);
        QCOMPARE(current->errorCode, kNone);
    }

    void heartbeatFromMemberRemovedByLeaveGroupIsUnknownMember() {
        const std::string group = "gbi-left-member";
        QVERIFY(findCoordinator(group));
        auto socket = connectTo(*m_broker);
        auto member = joinAndSync(*socket, group);
        QVERIFY(!member.empty());
        QCOMPARE(heartbeat(*socket, group, 1, member), kNone);
        LeaveGroupRequest leave;
        leave.groupId = group;
        leave.members.push_back({member, std::nullopt, std::string("test"), {}});
        auto left = call<LeaveGroupResponse>(*socket, leave, 5);
        QCOMPARE(left->errorCode, kNone);
        QCOMPARE(left->members.size(), size_t(1));
        QCOMPARE(left->members[0].memberId, member);
        QCOMPARE(left->members[0].errorCode, kNone);
        const int16_t after = heartbeat(*socket, group, 1, member);
        QVERIFY2(after == kUnknownMemberId,
                 qPrintable(QStringLiteral("Heartbeat of a member that left: error %1, expected %2")
                                .arg(after)
                                .arg(kUnknownMemberId)));
        // Leaving again: the request succeeds, the member's own entry says it is unknown.
        auto again = call<LeaveGroupResponse>(*socket, leave, 5);
        QCOMPARE(again->errorCode, kNone);
        QCOMPARE(again->members.size(), size_t(1));
        QCOMPARE(again->members[0].errorCode, kUnknownMemberId);
    }

    // Who may commit and heartbeat: only current members, in the current generation, and not while the group
    // waits for its SyncGroup; a JoinGroup naming a member id the group never gave out is refused.
    void commitsAndHeartbeatsOutsideTheCurrentGeneration() {
        const std::string group = "gbi-generations";
        QVERIFY(findCoordinator(group));
        auto socket = connectTo(*m_broker);
        const std::string member = joinAndSync(*socket, group);
        QVERIFY(!member.empty());
        auto commit = [&](int32_t generation, const std::string& memberId) {
            auto request = simpleCommit(group, {{kTopic, {{0, 1}}}});
            request.generationIdOrMemberEpoch = generation;
            request.memberId = memberId;
            return commitErrors(*call<OffsetCommitResponse>(*socket, request, 8))[kTopic][0];
        };
        struct Case {
            const char* what;
            int16_t actual;
            int16_t expected;
        };
        const Case cases[] = {
            {"Heartbeat with generation 0 in generation 1", heartbeat(*socket, group, 0, member), kIllegalGeneration},
            {"JoinGroup with a member id the group never gave out",
             call<JoinGroupResponse>(*socket, joinRequest(group, "gbi-made-up-member"), 5)->errorCode,
             kUnknownMemberId},
            {"OffsetCommit without generation into a group with a member", commit(-1, ""), kUnknownMemberId},
            {"OffsetCommit from an unknown member", commit(1, "gbi-made-up-member"), kUnknownMemberId},
            {"OffsetCommit with generation 0 in generation 1", commit(0, member), kIllegalGeneration},
            {"OffsetCommit of the member in its generation", commit(1, member), kNone},
        };
        for (const Case& c : cases)
            QVERIFY2(
                c.actual == c.expected,
                qPrintable(QStringLiteral("%1: error %2, Kafka answers %3").arg(c.what).arg(c.actual).arg(c.expected)));
        // The leader rejoins: generation 2 waits for its SyncGroup, and commits wait with it.
        auto rejoined = call<JoinGroupResponse>(*socket, joinRequest(group, member), 5);
        QCOMPARE(rejoined->errorCode, kNone);
        QCOMPARE(rejoined->generationId, 2);
        const int16_t waiting = commit(2, member);
        QVERIFY2(waiting == kRebalanceInProgress,
                 qPrintable(QStringLiteral("OffsetCommit before the generation's SyncGroup: error %1, Kafka answers %2")
                                .arg(waiting)
                                .arg(kRebalanceInProgress)));
        QCOMPARE(call<SyncGroupResponse>(*socket, syncRequest(group, 2, member, {{member, {0, 1, 2}}}), 3)->errorCode,
                 kNone);
        QCOMPARE(commit(2, member), kNone);
    }

    // A group the coordinator does not know is described as Dead, without an error (DescribeGroups up to v5).
    void describeGroupsOfAnUnknownGroupIsDead() {
        const std::string group = "gbi-never-used";
        QVERIFY(findCoordinator(group));
        auto socket = connectTo(*m_broker);
        DescribeGroupsRequest request;
        request.groups = {group};
        auto response = call<DescribeGroupsResponse>(*socket, request, 5);
        QCOMPARE(response->groups.size(), size_t(1));
        const auto& described = response->groups[0];
        QCOMPARE(described.groupId, group);
        QVERIFY2(described.errorCode == kNone && described.groupState == "Dead",
                 qPrintable(QStringLiteral("error %1, state %2; Kafka answers error 0, state Dead")
                                .arg(described.errorCode)
                                .arg(QString::fromStdString(described.groupState))));
        QCOMPARE(described.protocolType, std::string());
        QCOMPARE(described.protocolData, std::string());
        QVERIFY(described.members.empty());
    }

    void offsetCommitForUnknownTopicFailsOnlyThatPartition() {
        const std::string group = "gbi-unknown-topic";
        QVERIFY(findCoordinator(group));
        auto socket = connectTo(*m_broker);
        auto request = simpleCommit(group, {{kTopic, {{0, 5}, {7, 1}}}, {"gbi-no-such-topic", {{0, 1}}}});
        auto errors = commitErrors(*call<OffsetCommitResponse>(*socket, request, 8));
        QCOMPARE(errors[kTopic][0], kNone);
        QVERIFY2(errors[kTopic][7] == kUnknownTopicOrPartition,
                 qPrintable(QStringLiteral("partition 7 of a 3-partition topic: error %1, expected %2")
                                .arg(errors[kTopic][7])
                                .arg(kUnknownTopicOrPartition)));
        QVERIFY2(errors["gbi-no-such-topic"][0] == kUnknownTopicOrPartition,
                 qPrintable(QStringLiteral("a topic that does not exist: error %1, expected %2")
                                .arg(errors["gbi-no-such-topic"][0])
                                .arg(kUnknownTopicOrPartition)));
        auto fetched = fetchAll(*socket, {group});
        QCOMPARE(fetched.errors[group], kNone);
        const std::map<std::string, std::map<int32_t, int64_t>> expected{{kTopic, {{0, 5}}}};
        QVERIFY2(fetched.offsets[group] == expected, qPrintable("stored " + describe(fetched.offsets[group])));
    }

    void offsetCommitWithMetadataOverTheLimitIsOffsetMetadataTooLarge() {
        const std::string group = "gbi-metadata-size";
        QVERIFY(findCoordinator(group));
        auto socket = connectTo(*m_broker);
        auto request = simpleCommit(group, {{kTopic, {{0, 10}, {1, 11}, {2, 12}}}});
        request.topics[0].partitions[0].committedMetadata = std::string(kMetadataMaxBytes + 1, 'm');
        request.topics[0].partitions[1].committedMetadata = std::string(kMetadataMaxBytes, 'm');
        request.topics[0].partitions[2].committedMetadata = std::nullopt;
        auto errors = commitErrors(*call<OffsetCommitResponse>(*socket, request, 8));
        QVERIFY2(errors[kTopic][0] == kOffsetMetadataTooLarge,
                 qPrintable(QStringLiteral("%1 bytes of metadata: error %2, expected %3")
                                .arg(kMetadataMaxBytes + 1)
                                .arg(errors[kTopic][0])
                                .arg(kOffsetMetadataTooLarge)));
        QCOMPARE(errors[kTopic][1], kNone);
        QCOMPARE(errors[kTopic][2], kNone);
        auto fetched = fetchAll(*socket, {group});
        const std::map<std::string, std::map<int32_t, int64_t>> expected{{kTopic, {{1, 11}, {2, 12}}}};
        QVERIFY2(fetched.offsets[group] == expected, qPrintable("stored " + describe(fetched.offsets[group])));
        QCOMPARE(fetched.metadata[group][kTopic][1], std::optional<std::string>(std::string(kMetadataMaxBytes, 'm')));
    }

    void findCoordinatorForSeveralKeysAndForOne() {
        auto socket = connectTo(*m_broker);
        FindCoordinatorRequest batched;
        batched.keyType = 0;
        batched.coordinatorKeys = {"gbi-fc-a", "gbi-fc-b", "gbi-fc-c"};
        auto many = call<FindCoordinatorResponse>(*socket, batched, 4);
        QCOMPARE(many->coordinators.size(), size_t(3));
        std::set<std::string> keys;
        for (const auto& c : many->coordinators) {
            keys.insert(c.key);
            QVERIFY2(
                c.errorCode == kNone,
                qPrintable(QStringLiteral("key %1: error %2").arg(QString::fromStdString(c.key)).arg(c.errorCode)));
            QCOMPARE(c.nodeId, 1);
            QCOMPARE(c.host, std::string("localhost"));
            QCOMPARE(c.port, m_broker->port());
        }
        QCOMPARE(keys, (std::set<std::string>{"gbi-fc-a", "gbi-fc-b", "gbi-fc-c"}));
        FindCoordinatorRequest single;
        single.key = "gbi-fc-a";
        auto one = call<FindCoordinatorResponse>(*socket, single, 0);
        QCOMPARE(one->errorCode, kNone);
        QCOMPARE(one->nodeId, 1);
        QCOMPARE(one->host, std::string("localhost"));
        QCOMPARE(one->port, m_broker->port());
    }

    // group.max.size=2 (a broker of its own): two members in a stable group, a third is refused.
    void thirdMemberOverGroupMaxSizeIsRefused() {
        PartitadProcess broker(m_dir.path() + "/max-size");
        QVERIFY2(broker.start(kOverrides + QStringList{"group.max.size=2"}), qPrintable(broker.output()));
        const std::string group = "gbi-max-size";
        {
            auto probe = connectTo(broker);
            QVERIFY(findCoordinator(group, *probe));
        }
        auto a = connectTo(broker);
        auto b = connectTo(broker);
        auto c = connectTo(broker);
        const std::string idA = joinAndSync(*a, group);
        QVERIFY(!idA.empty());
        auto firstB = call<JoinGroupResponse>(*b, joinRequest(group, ""), 5);
        QCOMPARE(firstB->errorCode, kMemberIdRequired);
        const std::string idB = firstB->memberId;
        // B's join waits for A to rejoin; A learns of the rebalance from its heartbeat.
        const int32_t joinB = sendRequest(*b, joinRequest(group, idB), 5);
        int16_t beat = kNone;
        for (QDeadlineTimer deadline(kWaitMs); beat == kNone && !deadline.hasExpired(); QTest::qWait(50))
            beat = heartbeat(*a, group, 1, idA);  // B's join may reach the coordinator after this heartbeat
        QCOMPARE(beat, kRebalanceInProgress);
        const int32_t joinA = sendRequest(*a, joinRequest(group, idA), 5);
        auto joinedA = receive<JoinGroupResponse>(*a, joinA, JoinGroupRequest::kApiKey, 5, 30000);
        auto joinedB = receive<JoinGroupResponse>(*b, joinB, JoinGroupRequest::kApiKey, 5, 30000);
        QVERIFY2(joinedA && joinedB, "no JoinGroup answers for the rebalance");
        QCOMPARE(joinedA->errorCode, kNone);
        QCOMPARE(joinedB->errorCode, kNone);
        QCOMPARE(joinedA->generationId, joinedB->generationId);
        QCOMPARE(joinedA->leader, idA);
        QCOMPARE(joinedA->members.size(), size_t(2));
        const int32_t generation = joinedA->generationId;
        const int32_t syncB = sendRequest(*b, syncRequest(group, generation, idB), 3);
        QCOMPARE(
            call<SyncGroupResponse>(*a, syncRequest(group, generation, idA, {{idA, {0, 1}}, {idB, {2}}}), 3)->errorCode,
            kNone);
        auto syncedB = receive<SyncGroupResponse>(*b, syncB, SyncGroupRequest::kApiKey, 3, 30000);
        QVERIFY2(syncedB, "no SyncGroup answer for the follower");
        QCOMPARE(syncedB->errorCode, kNone);
        QCOMPARE(syncedB->assignment, assignment(kTopic, {2}));
        // A third member.
        auto third = call<JoinGroupResponse>(*c, joinRequest(group, ""), 5);
        QVERIFY2(third->errorCode == kGroupMaxSizeReached,
                 qPrintable(QStringLiteral("a third member with group.max.size=2: error %1, expected %2")
                                .arg(third->errorCode)
                                .arg(kGroupMaxSizeReached)));
        // The two members carry on.
        QCOMPARE(heartbeat(*a, group, generation, idA), kNone);
        QCOMPARE(heartbeat(*b, group, generation, idB), kNone);
        QCOMPARE(broker.stop(), 0);
    }

    void deleteGroupsRefusesNonEmptyAndUnknownGroups() {
        const std::string live = "gbi-delete-live", unknown = "gbi-delete-unknown", empty = "gbi-delete-empty";
        for (const auto& g : {live, unknown, empty}) QVERIFY(findCoordinator(g));
        auto member = connectTo(*m_broker);
        const std::string id = joinAndSync(*member, live);
        QVERIFY(!id.empty());
        auto socket = connectTo(*m_broker);
        QCOMPARE(
            commitErrors(*call<OffsetCommitResponse>(*socket, simpleCommit(empty, {{kTopic, {{0, 1}}}}), 8))[kTopic][0],
            kNone);
        DeleteGroupsRequest request;
        request.groupsNames = {live, unknown, empty};
        auto response = call<DeleteGroupsResponse>(*socket, request, 2);
        std::map<std::string, int16_t> errors;
        for (const auto& r : response->results) errors[r.groupId] = r.errorCode;
        QCOMPARE(errors.size(), size_t(3));
        QVERIFY2(
            errors[live] == kNonEmptyGroup,
            qPrintable(
                QStringLiteral("a group with a member: error %1, expected %2").arg(errors[live]).arg(kNonEmptyGroup)));
        QVERIFY2(
            errors[unknown] == kGroupIdNotFound,
            qPrintable(
                QStringLiteral("an unknown group: error %1, expected %2").arg(errors[unknown]).arg(kGroupIdNotFound)));
        QCOMPARE(errors[empty], kNone);
        // The deleted group's offsets are gone; the live group is still there.
        QVERIFY(fetchAll(*socket, {empty}).offsets[empty].empty());
        QCOMPARE(heartbeat(*member, live, 1, id), kNone);
    }

    void offsetFetchV8ForTwoGroupsWithoutTopics() {
        const std::string x = "gbi-fetch-x", y = "gbi-fetch-y", none = "gbi-fetch-none";
        for (const auto& g : {x, y, none}) QVERIFY(findCoordinator(g));
        auto socket = connectTo(*m_broker);
        auto committedX =
            commitErrors(*call<OffsetCommitResponse>(*socket, simpleCommit(x, {{kTopic, {{0, 3}, {1, 4}}}}), 8));
        auto committedY = commitErrors(
            *call<OffsetCommitResponse>(*socket, simpleCommit(y, {{kTopic, {{2, 7}}}, {kOtherTopic, {{0, 9}}}}), 8));
        QCOMPARE(committedX[kTopic][0], kNone);
        QCOMPARE(committedX[kTopic][1], kNone);
        QCOMPARE(committedY[kTopic][2], kNone);
        QCOMPARE(committedY[kOtherTopic][0], kNone);
        auto fetched = fetchAll(*socket, {x, y, none});
        QCOMPARE(fetched.errors.size(), size_t(3));
        for (const auto& g : {x, y, none}) QCOMPARE(fetched.errors[g], kNone);
        const std::map<std::string, std::map<int32_t, int64_t>> expectedX{{kTopic, {{0, 3}, {1, 4}}}};
        const std::map<std::string, std::map<int32_t, int64_t>> expectedY{{kTopic, {{2, 7}}}, {kOtherTopic, {{0, 9}}}};
        QVERIFY2(fetched.offsets[x] == expectedX, qPrintable("group x: " + describe(fetched.offsets[x])));
        QVERIFY2(fetched.offsets[y] == expectedY, qPrintable("group y: " + describe(fetched.offsets[y])));
        QVERIFY2(fetched.offsets[none].empty(),
                 qPrintable("a group without commits: " + describe(fetched.offsets[none])));
    }

    void brokerStillServesMetadataAfterAllOfIt() {
        auto socket = connectTo(*m_broker);
        MetadataRequest request;
        MetadataRequest::MetadataRequestTopic topic;
        topic.name = kTopic;
        request.topics = std::vector{topic};
        request.allowAutoTopicCreation = false;
        auto response = call<MetadataResponse>(*socket, request, 12);
        QCOMPARE(response->brokers.size(), size_t(1));
        QCOMPARE(response->brokers[0].nodeId, 1);
        QCOMPARE(response->topics.size(), size_t(1));
        QCOMPARE(response->topics[0].errorCode, kNone);
        QCOMPARE(response->topics[0].partitions.size(), size_t(3));
    }

private:
    // FindCoordinator for a group until the coordinator is ready (the first lookup creates __consumer_offsets).
    bool findCoordinator(const std::string& group, QTcpSocket& socket) {
        QDeadlineTimer deadline(30000);
        FindCoordinatorRequest request;
        request.key = group;
        int16_t error = -1;
        while (!deadline.hasExpired()) {
            auto response = call<FindCoordinatorResponse>(socket, request, 3);
            error = response->errorCode;
            if (error == kNone) {
                if (response->nodeId != 1) qWarning("coordinator %d, expected node 1", response->nodeId);
                return response->nodeId == 1;
            }
            if (error != kCoordinatorNotAvailable && error != kCoordinatorLoadInProgress) break;
            QTest::qWait(100);
        }
        qWarning("FindCoordinator for %s: error %d", group.c_str(), error);
        return false;
    }
    bool findCoordinator(const std::string& group) {
        auto socket = connectTo(*m_broker);
        return findCoordinator(group, *socket);
    }

    // A sole member joins (v5, MEMBER_ID_REQUIRED first) and syncs as leader; its member id, empty on failure.
    std::string joinAndSync(QTcpSocket& socket, const std::string& group) {
        auto first = call<JoinGroupResponse>(socket, joinRequest(group, ""), 5);
        if (first->errorCode != kMemberIdRequired) {
            qWarning("first JoinGroup into %s: error %d", group.c_str(), first->errorCode);
            return {};
        }
        auto joined = call<JoinGroupResponse>(socket, joinRequest(group, first->memberId), 5);
        if (joined->errorCode != kNone || joined->generationId != 1 || joined->leader != first->memberId) {
            qWarning("JoinGroup into %s: error %d, generation %d, leader %s", group.c_str(), joined->errorCode,
                     joined->generationId, joined->leader.c_str());
            return {};
        }
        auto synced =
            call<SyncGroupResponse>(socket, syncRequest(group, 1, first->memberId, {{first->memberId, {0, 1, 2}}}), 3);
        if (synced->errorCode != kNone) {
            qWarning("SyncGroup of %s: error %d", group.c_str(), synced->errorCode);
            return {};
        }
        return first->memberId;
    }

    int16_t heartbeat(QTcpSocket& socket, const std::string& group, int32_t generation, const std::string& member) {
        HeartbeatRequest request;
        request.groupId = group;
        request.generationId = generation;
        request.memberId = member;
        return call<HeartbeatResponse>(socket, request, 4)->errorCode;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
};

QTEST_GUILESS_MAIN(TestPartitadGroupsBadInput)
#include "partitad_groups_badinput_test.moc"
