// The group coordinator on real partition logs with a manual clock: rebalances, static members, timeouts,
// offsets, retention, and everything read back after a restart.
#include <QTemporaryDir>
#include <QTest>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "coordinatortestutil.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/consumerprotocolsubscription.h"
#include "engine/protocol/writer.h"
#include "engine/storage/clock.h"
#include "engine/storage/logconfig.h"
#include "engine/storage/partitionlog.h"

using namespace partita;
using namespace partita::coordinator;
using protocol::ErrorCode;

namespace {

constexpr int64_t kStart = 1'700'000'000'000;
constexpr int32_t kSession = 10000;

int16_t err(ErrorCode e) {
    return protocol::code(e);
}

// A consumer-protocol subscription as a Java consumer writes it into JoinGroup.
Bytes subscription(const std::vector<std::string>& topics) {
    protocol::ConsumerProtocolSubscription s;
    s.topics = topics;
    protocol::Writer w;
    w.writeInt16(1);
    s.encode(w, 1);
    return w.take();
}

JoinRequest joinRequest(const std::string& group, const std::string& memberId = "",
                        std::optional<std::string> instance = std::nullopt) {
    JoinRequest r;
    r.groupId = group;
    r.memberId = memberId;
    r.groupInstanceId = std::move(instance);
    r.clientId = "client";
    r.clientHost = "/127.0.0.1";
    r.sessionTimeoutMs = kSession;
    r.rebalanceTimeoutMs = 30000;
    r.protocolType = "consumer";
    r.protocols = {{"range", subscription({"orders"})}};
    r.requireKnownMemberId = false;
    return r;
}

struct Fixture {
    QTemporaryDir dir;
    storage::ManualClock clock{kStart};
    std::unique_ptr<test::LogBackedTopic> topic;
    std::unique_ptr<GroupCoordinator> groups;
    boost::asio::io_context io;
    GroupCoordinatorConfig config;

    explicit Fixture(int32_t initialDelayMs = 0) {
        config.initialRebalanceDelayMs = initialDelayMs;
        config.minSessionTimeoutMs = 6000;
        config.offsetsRetentionMs = 3600000;
        open();
    }
    void open() {
        groups.reset();
        topic = std::make_unique<test::LogBackedTopic>(dir.path().toStdString(), kOffsetsTopic, clock);
        groups = std::make_unique<GroupCoordinator>(config, *topic, clock);
        auto st = groups->load();
        if (!st) qFatal("load: %s", st.error().message.c_str());
    }
    // Runs whatever is ready (answers that a rebalance released) without blocking.
    void drain() {
        for (int i = 0; i < 10; ++i) {
            io.restart();
            io.poll();
        }
    }
    std::shared_ptr<std::optional<JoinResult>> join(JoinRequest r) {
        auto out = std::make_shared<std::optional<JoinResult>>();
        boost::asio::co_spawn(io, groups->join(std::move(r)),
                              [out](std::exception_ptr, JoinResult result) { *out = std::move(result); });
        drain();
        return out;
    }
    std::shared_ptr<std::optional<SyncResult>> sync(const std::string& group, int32_t generation,
                                                    const std::string& memberId,
                                                    std::vector<std::pair<std::string, Bytes>> assignments = {},
                                                    std::optional<std::string> instance = std::nullopt) {
        SyncRequest r;
        r.groupId = group;
        r.generationId = generation;
        r.memberId = memberId;
        r.groupInstanceId = std::move(instance);
        r.assignments = std::move(assignments);
        auto out = std::make_shared<std::optional<SyncResult>>();
        boost::asio::co_spawn(io, groups->sync(std::move(r)),
                              [out](std::exception_ptr, SyncResult result) { *out = std::move(result); });
        drain();
        return out;
    }
    // One member joined and synced with `assignment`: its member id and the generation.
    std::pair<std::string, int32_t> soloMember(const std::string& group, const Bytes& assignment) {
        auto joined = join(joinRequest(group));
        if (!*joined || (*joined)->errorCode != 0) qFatal("solo join failed");
        const std::string id = (*joined)->memberId;
        auto synced = sync(group, (*joined)->generationId, id, {{id, assignment}});
        if (!*synced || (*synced)->errorCode != 0) qFatal("solo sync failed");
        return {id, (*joined)->generationId};
    }
};

}  // namespace

class GroupCoordinatorTest : public QObject {
    Q_OBJECT

private slots:
    void coordinatorPartitionIsJavaStringHashCode() {
        Fixture f;
        // Values of Java's abs(String.hashCode) % 50 (UTF-16 units; "polygenelubricants" hashes to INT32_MIN).
        QCOMPARE(f.groups->partitionFor("my-group"), 12);
        QCOMPARE(f.groups->partitionFor("g2"), 43);
        QCOMPARE(f.groups->partitionFor("console-consumer-12345"), 6);
        QCOMPARE(f.groups->partitionFor("gr\xc3\xb6up"), 32);
        QCOMPARE(f.groups->partitionFor("\xe7\xb5\x84-\xf0\x9f\x9a\x80"), 10);
        QCOMPARE(f.groups->partitionFor("polygenelubricants"), 0);
    }

    void recordsHaveKafkasLayout() {
        // OffsetCommitKey v1: version, group, topic, partition.
        const Bytes key = offsetCommitKey("g", {"t", 7});
        const uint8_t expectedKey[] = {0, 1, 0, 1, 'g', 0, 1, 't', 0, 0, 0, 7};
        QCOMPARE(key, Bytes::copyOf(std::span<const uint8_t>(expectedKey)));
        // OffsetCommitValue v3: offset, leader epoch, metadata, commit timestamp.
        CommittedOffset offset{42, 5, "m", 0x0102, std::nullopt};
        const uint8_t expectedValue[] = {0, 3, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 5, 0, 1, 'm', 0, 0, 0, 0, 0, 0, 1, 2};
        QCOMPARE(offsetCommitValue(offset), Bytes::copyOf(std::span<const uint8_t>(expectedValue)));
        // With an explicit expiry Kafka writes v1: offset, metadata, commit and expire timestamps.
        offset.expireTimestampMs = 9;
        const Bytes v1 = offsetCommitValue(offset);
        QCOMPARE(v1.size(), size_t(2 + 8 + 3 + 8 + 8));
        QCOMPARE(int(v1.span()[1]), 1);
        // GroupMetadataKey v2 and a decode round trip of GroupMetadataValue v3.
        const uint8_t expectedGroupKey[] = {0, 2, 0, 2, 'g', 'x'};
        QCOMPARE(groupMetadataKey("gx"), Bytes::copyOf(std::span<const uint8_t>(expectedGroupKey)));
        auto decoded = decodeOffsetsTopicRecord(key, offsetCommitValue(offset));
        QVERIFY(decoded.ok());
        auto* o = std::get_if<OffsetRecord>(&*decoded);
        QVERIFY(o && o->offset);
        QCOMPARE(o->group, std::string("g"));
        QCOMPARE(o->offset->offset, int64_t(42));
        QCOMPARE(*o->offset->expireTimestampMs, int64_t(9));
        // A key version from the new protocol is skipped, a truncated key is an error.
        const uint8_t newProtocolKey[] = {0, 3, 0, 1, 'g'};
        QVERIFY(std::holds_alternative<OtherRecord>(
            *decodeOffsetsTopicRecord(Bytes::copyOf(std::span<const uint8_t>(newProtocolKey)), std::nullopt)));
        QVERIFY(!decodeOffsetsTopicRecord(Bytes::copyOf(std::span<const uint8_t>(expectedKey, 5)), std::nullopt).ok());
    }

    void memberIdRequiredThenJoinSyncHeartbeat() {
        Fixture f;
        JoinRequest first = joinRequest("g");
        first.requireKnownMemberId = true;
        auto answer = f.join(first);
        QVERIFY(*answer);
        QCOMPARE((*answer)->errorCode, err(ErrorCode::MemberIdRequired));
        const std::string id = (*answer)->memberId;
        QVERIFY(id.starts_with("client-"));

        auto joined = f.join(joinRequest("g", id));
        QVERIFY(*joined);
        QCOMPARE((*joined)->errorCode, int16_t(0));
        QCOMPARE((*joined)->generationId, 1);
        QCOMPARE((*joined)->leaderId, id);
        QCOMPARE(*(*joined)->protocolName, std::string("range"));
        QCOMPARE((*joined)->members.size(), size_t(1));

        auto synced = f.sync("g", 1, id, {{id, Bytes::copyOf(std::string_view("A"))}});
        QVERIFY(*synced);
        QCOMPARE((*synced)->errorCode, int16_t(0));
        QCOMPARE((*synced)->assignment, Bytes::copyOf(std::string_view("A")));
        QCOMPARE(f.groups->heartbeat("g", id, std::nullopt, 1), int16_t(0));
        QCOMPARE(f.groups->describeGroup("g").state, GroupState::Stable);
        QCOMPARE(f.groups->describeGroup("g").members.front().assignment, Bytes::copyOf(std::string_view("A")));
    }

    void secondMemberTriggersRebalanceAndBothGetTheNewGeneration() {
        Fixture f;
        auto [a, gen] = f.soloMember("g", Bytes::copyOf(std::string_view("all")));
        auto bJoin = f.join(joinRequest("g"));
        QVERIFY(!*bJoin);  // waits for A to rejoin
        QCOMPARE(f.groups->describeGroup("g").state, GroupState::PreparingRebalance);
        QCOMPARE(f.groups->heartbeat("g", a, std::nullopt, gen), err(ErrorCode::RebalanceInProgress));
        auto aJoin = f.join(joinRequest("g", a));
        QVERIFY(*aJoin && *bJoin);
        QCOMPARE((*aJoin)->generationId, gen + 1);
        QCOMPARE((*bJoin)->generationId, gen + 1);
        QCOMPARE((*aJoin)->leaderId, a);
        QCOMPARE((*aJoin)->members.size(), size_t(2));
        QVERIFY((*bJoin)->members.empty());  // followers do not see the others
        const std::string b = (*bJoin)->memberId;
        // The follower syncs first and waits for the leader's assignment.
        auto bSync = f.sync("g", gen + 1, b);
        QVERIFY(!*bSync);
        auto aSync = f.sync("g", gen + 1, a,
                            {{a, Bytes::copyOf(std::string_view("p0"))}, {b, Bytes::copyOf(std::string_view("p1"))}});
        QVERIFY(*aSync && *bSync);
        QCOMPARE((*bSync)->assignment, Bytes::copyOf(std::string_view("p1")));
        QCOMPARE((*aSync)->assignment, Bytes::copyOf(std::string_view("p0")));
        // A SyncGroup of the old generation is refused.
        auto stale = f.sync("g", gen, a);
        QCOMPARE((*stale)->errorCode, err(ErrorCode::IllegalGeneration));
    }

    void expiredSessionRemovesTheMember() {
        Fixture f;
        auto [a, gen] = f.soloMember("g", {});
        auto bJoin = f.join(joinRequest("g"));
        auto aJoin = f.join(joinRequest("g", a));
        QVERIFY(*bJoin && *aJoin);
        const std::string b = (*bJoin)->memberId;
        f.sync("g", gen + 1, a, {});
        f.sync("g", gen + 1, b, {});
        // A keeps heartbeating, B goes silent past its session timeout.
        for (int i = 0; i < 4; ++i) {
            f.clock.advance(kSession / 3);
            QCOMPARE(f.groups->heartbeat("g", a, std::nullopt, gen + 1), int16_t(0));
            f.groups->expireDue();
        }
        QCOMPARE(f.groups->heartbeat("g", a, std::nullopt, gen + 1), err(ErrorCode::RebalanceInProgress));
        QCOMPARE(f.groups->heartbeat("g", b, std::nullopt, gen + 1), err(ErrorCode::UnknownMemberId));
        auto again = f.join(joinRequest("g", a));
        QVERIFY(*again);
        QCOMPARE((*again)->generationId, gen + 2);
        QCOMPARE((*again)->members.size(), size_t(1));
    }

    void leaveGroupRemovesMembersAndEmptiesTheGroup() {
        Fixture f;
        auto [a, gen] = f.soloMember("g", {});
        std::vector<LeavingMember> leaving{{a, std::nullopt, 0}, {"nobody", std::nullopt, 0}};
        QCOMPARE(f.groups->leave("g", leaving), int16_t(0));
        QCOMPARE(leaving[0].errorCode, int16_t(0));
        QCOMPARE(leaving[1].errorCode, err(ErrorCode::UnknownMemberId));
        QCOMPARE(f.groups->describeGroup("g").state, GroupState::Empty);
        QCOMPARE(f.groups->heartbeat("g", a, std::nullopt, gen), err(ErrorCode::UnknownMemberId));
    }

    void staticMemberRejoinsWithoutRebalanceAndTheOldIdIsFenced() {
        Fixture f;
        auto aJoin = f.join(joinRequest("g", "", "instance-a"));
        QVERIFY(*aJoin);
        const std::string a = (*aJoin)->memberId;
        QVERIFY(a.starts_with("instance-a-"));
        f.sync("g", 1, a, {{a, Bytes::copyOf(std::string_view("mine"))}});
        QCOMPARE(f.groups->describeGroup("g").state, GroupState::Stable);

        // The process restarts: same instance id, no member id.
        auto back = f.join(joinRequest("g", "", "instance-a"));
        QVERIFY(*back);
        QCOMPARE((*back)->errorCode, int16_t(0));
        QCOMPARE((*back)->generationId, 1);  // no new generation
        const std::string a2 = (*back)->memberId;
        QVERIFY(a2 != a);
        QCOMPARE(f.groups->describeGroup("g").state, GroupState::Stable);
        auto synced = f.sync("g", 1, a2, {}, "instance-a");
        QCOMPARE((*synced)->errorCode, int16_t(0));
        QCOMPARE((*synced)->assignment, Bytes::copyOf(std::string_view("mine")));
        // The old incarnation is a zombie now.
        QCOMPARE(f.groups->heartbeat("g", a, std::string("instance-a"), 1), err(ErrorCode::FencedInstanceId));
        std::vector<OffsetCommitEntry> commit{{{"orders", 0}, 5, -1, "", std::nullopt, 0}};
        QCOMPARE(f.groups->commitOffsets("g", a, std::string("instance-a"), 1, commit),
                 err(ErrorCode::FencedInstanceId));
    }

    void badJoinsGetKafkasErrors() {
        Fixture f;
        QCOMPARE((*f.join(joinRequest("")))->errorCode, err(ErrorCode::InvalidGroupId));
        QCOMPARE((*f.join(joinRequest(std::string(40000, 'g'))))->errorCode, err(ErrorCode::InvalidGroupId));
        JoinRequest shortSession = joinRequest("g");
        shortSession.sessionTimeoutMs = 10;
        QCOMPARE((*f.join(shortSession))->errorCode, err(ErrorCode::InvalidSessionTimeout));
        JoinRequest noProtocols = joinRequest("g");
        noProtocols.protocols.clear();
        QCOMPARE((*f.join(noProtocols))->errorCode, err(ErrorCode::InconsistentGroupProtocol));
        QCOMPARE((*f.join(joinRequest("g", "made-up")))->errorCode, err(ErrorCode::UnknownMemberId));

        f.soloMember("g", {});
        JoinRequest connect = joinRequest("g");
        connect.protocolType = "connect";
        QCOMPARE((*f.join(connect))->errorCode, err(ErrorCode::InconsistentGroupProtocol));
        // group.max.size is checked before anything else about a newcomer.
        f.config.maxSize = 1;
        f.open();
        QCOMPARE((*f.join(joinRequest("g")))->errorCode, err(ErrorCode::GroupMaxSizeReached));
        QCOMPARE((*f.join(connect))->errorCode, err(ErrorCode::GroupMaxSizeReached));
    }

    void initialRebalanceDelayWaitsForMoreMembers() {
        Fixture f(3000);
        auto a = f.join(joinRequest("g"));
        f.clock.advance(2000);
        f.groups->expireDue();
        QVERIFY(!*a);
        auto b = f.join(joinRequest("g"));
        f.clock.advance(1000);
        f.groups->expireDue();
        f.drain();
        QVERIFY(!*a);  // B arrived during the delay: it waits once more
        f.clock.advance(3000);
        f.groups->expireDue();
        f.drain();
        QVERIFY(*a && *b);
        QCOMPARE((*a)->generationId, 1);
        QCOMPARE((*b)->generationId, 1);
    }

    void offsetsAreCommittedFetchedAndReadBackAfterRestart() {
        Fixture f;
        auto [a, gen] = f.soloMember("g", Bytes::copyOf(std::string_view("x")));
        std::vector<OffsetCommitEntry> commit{
            {{"orders", 0}, 10, 3, "meta", std::nullopt, 0},
            {{"orders", 1}, 20, -1, std::nullopt, std::nullopt, 0},
            {{"gone", 0}, 1, -1, "", std::nullopt, err(ErrorCode::UnknownTopicOrPartition)},
            {{"orders", 2}, 1, -1, std::string(5000, 'm'), std::nullopt, 0}};
        QCOMPARE(f.groups->commitOffsets("g", a, std::nullopt, gen, commit), int16_t(0));
        QCOMPARE(commit[0].errorCode, int16_t(0));
        QCOMPARE(commit[2].errorCode, err(ErrorCode::UnknownTopicOrPartition));
        QCOMPARE(commit[3].errorCode, err(ErrorCode::OffsetMetadataTooLarge));
        std::vector<OffsetCommitEntry> stale{{{"orders", 0}, 11, -1, "", std::nullopt, 0}};
        QCOMPARE(f.groups->commitOffsets("g", a, std::nullopt, gen + 5, stale), err(ErrorCode::IllegalGeneration));
        QCOMPARE(f.groups->commitOffsets("g", "stranger", std::nullopt, gen, stale), err(ErrorCode::UnknownMemberId));
        // An assign() consumer commits with generation -1 into a group of its own.
        std::vector<OffsetCommitEntry> simple{{{"orders", 0}, 7, -1, "", std::nullopt, 0}};
        QCOMPARE(f.groups->commitOffsets("standalone", "", std::nullopt, -1, simple), int16_t(0));

        std::vector<FetchedOffset> all;
        QCOMPARE(f.groups->fetchOffsets("g", std::nullopt, all), int16_t(0));
        QCOMPARE(all.size(), size_t(2));
        QCOMPARE(all[0].offset, int64_t(10));
        QCOMPARE(all[0].leaderEpoch, 3);
        QCOMPARE(all[0].metadata, std::string("meta"));
        std::vector<FetchedOffset> named;
        f.groups->fetchOffsets("g", std::vector<TopicPartition>{{"orders", 1}, {"orders", 9}}, named);
        QCOMPARE(named.size(), size_t(2));
        QCOMPARE(named[0].offset, int64_t(20));
        QCOMPARE(named[1].offset, int64_t(-1));

        // A new coordinator over the same logs: groups, members and offsets are back.
        f.open();
        std::vector<FetchedOffset> reloaded;
        f.groups->fetchOffsets("g", std::nullopt, reloaded);
        QCOMPARE(reloaded.size(), size_t(2));
        QCOMPARE(reloaded[1].offset, int64_t(20));
        auto description = f.groups->describeGroup("g");
        QCOMPARE(description.state, GroupState::Stable);
        QCOMPARE(description.members.size(), size_t(1));
        QCOMPARE(description.members.front().memberId, a);
        QCOMPARE(description.members.front().assignment, Bytes::copyOf(std::string_view("x")));
        // The member carries on with its generation, no rejoin needed.
        QCOMPARE(f.groups->heartbeat("g", a, std::nullopt, gen), int16_t(0));
        std::vector<FetchedOffset> standalone;
        f.groups->fetchOffsets("standalone", std::nullopt, standalone);
        QCOMPARE(standalone.size(), size_t(1));
        QCOMPARE(standalone[0].offset, int64_t(7));
        QCOMPARE(f.groups->listGroups().size(), size_t(2));
    }

    void offsetsOfEmptyGroupsExpireAfterRetention() {
        Fixture f;
        auto [a, gen] = f.soloMember("g", {});
        std::vector<OffsetCommitEntry> commit{{{"orders", 0}, 10, -1, "", std::nullopt, 0}};
        f.groups->commitOffsets("g", a, std::nullopt, gen, commit);
        // Live consumer groups keep the offsets of topics they subscribe to, however old.
        f.clock.advance(f.config.offsetsRetentionMs * 2);
        f.groups->heartbeat("g", a, std::nullopt, gen);
        f.groups->expireOffsets();
        std::vector<FetchedOffset> kept;
        f.groups->fetchOffsets("g", std::nullopt, kept);
        QCOMPARE(kept.size(), size_t(1));
        // Once empty, the retention counts from the moment the group emptied.
        std::vector<LeavingMember> leaving{{a, std::nullopt, 0}};
        f.groups->leave("g", leaving);
        f.clock.advance(f.config.offsetsRetentionMs - 1000);
        f.groups->expireOffsets();
        kept.clear();
        f.groups->fetchOffsets("g", std::nullopt, kept);
        QCOMPARE(kept.size(), size_t(1));
        f.clock.advance(2000);
        f.groups->expireOffsets();
        kept.clear();
        f.groups->fetchOffsets("g", std::nullopt, kept);
        QVERIFY(kept.empty());
        QVERIFY(f.groups->listGroups().empty());  // empty and without offsets: gone
        // The tombstones are in the log: a restart does not bring them back.
        f.open();
        QVERIFY(f.groups->listGroups().empty());
    }

    void deleteGroupsAndOffsets() {
        Fixture f;
        auto [a, gen] = f.soloMember("g", {});
        std::vector<OffsetCommitEntry> commit{{{"orders", 0}, 10, -1, "", std::nullopt, 0},
                                              {{"other", 0}, 4, -1, "", std::nullopt, 0}};
        f.groups->commitOffsets("g", a, std::nullopt, gen, commit);
        QCOMPARE(f.groups->deleteGroup("g"), err(ErrorCode::NonEmptyGroup));
        QCOMPARE(f.groups->deleteGroup("nope"), err(ErrorCode::GroupIdNotFound));
        std::vector<int16_t> errors;
        QCOMPARE(f.groups->deleteOffsets("g", {{"orders", 0}, {"other", 0}}, errors), int16_t(0));
        QCOMPARE(errors[0], err(ErrorCode::GroupSubscribedToTopic));  // the member consumes "orders"
        QCOMPARE(errors[1], int16_t(0));
        std::vector<FetchedOffset> left;
        f.groups->fetchOffsets("g", std::nullopt, left);
        QCOMPARE(left.size(), size_t(1));

        std::vector<LeavingMember> leaving{{a, std::nullopt, 0}};
        f.groups->leave("g", leaving);
        QCOMPARE(f.groups->deleteGroup("g"), int16_t(0));
        QVERIFY(f.groups->listGroups().empty());
        QCOMPARE(f.groups->describeGroup("g").state, GroupState::Dead);
        f.open();
        QVERIFY(f.groups->listGroups().empty());
    }
};

QTEST_GUILESS_MAIN(GroupCoordinatorTest)
#include "groupcoordinator_test.moc"
