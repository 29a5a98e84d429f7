// The group assignors: range, roundrobin and cooperative-sticky results, stickiness, the
// cooperative hand-over, and partition.assignment.strategy parsing.
#include <QtTest>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/client/assignor.h"
#include "engine/client/cooperativestickyassignor.h"
#include "engine/client/rangeassignor.h"
#include "engine/client/roundrobinassignor.h"

using namespace partita;
using namespace partita::client;

namespace {

using Counts = std::map<std::string, int32_t>;

MemberSubscription member(std::string id, std::vector<std::string> topics, PartitionsByTopic owned = {},
                          int32_t generation = -1) {
    MemberSubscription m;
    m.memberId = std::move(id);
    m.topics = std::move(topics);
    m.ownedPartitions = std::move(owned);
    m.generationId = generation;
    return m;
}

// Every partition of `counts` is assigned to at most one member; returns how many are assigned.
size_t checkDisjoint(const GroupAssignment& a) {
    std::set<std::pair<std::string, int32_t>> seen;
    for (const auto& [memberId, partitions] : a) {
        for (const auto& [topic, list] : partitions) {
            for (int32_t p : list) {
                if (!seen.insert({topic, p}).second) {
                    qWarning("%s-%d is assigned twice", topic.c_str(), p);
                    return SIZE_MAX;
                }
            }
        }
    }
    return seen.size();
}

size_t total(const Counts& counts) {
    size_t n = 0;
    for (const auto& [topic, c] : counts) n += static_cast<size_t>(c);
    return n;
}

std::vector<size_t> loads(const GroupAssignment& a) {
    std::vector<size_t> out;
    for (const auto& [memberId, partitions] : a) out.push_back(partitionCount(partitions));
    std::sort(out.begin(), out.end());
    return out;
}

// Runs cooperative rebalances the way members do (each round's assignment becomes the next
// round's ownedPartitions) until the assignment stops changing. Checks in every round that no
// partition goes to a member while another one still owns it.
GroupAssignment settle(const Counts& counts, std::vector<MemberSubscription> members, int* rounds = nullptr) {
    CooperativeStickyAssignor assignor;
    for (int round = 1; round <= 10; ++round) {
        GroupAssignment a = assignor.assign(counts, members);
        for (const auto& [memberId, partitions] : a) {
            for (const auto& [topic, list] : partitions) {
                for (int32_t p : list) {
                    for (const MemberSubscription& other : members) {
                        if (other.memberId != memberId && containsPartition(other.ownedPartitions, topic, p)) {
                            qWarning("round %d: %s-%d given to %s while %s owns it", round, topic.c_str(), p,
                                     memberId.c_str(), other.memberId.c_str());
                            return {};
                        }
                    }
                }
            }
        }
        bool changed = false;
        for (MemberSubscription& m : members) {
            if (m.ownedPartitions != a[m.memberId]) changed = true;
            m.ownedPartitions = a[m.memberId];
            m.generationId = round;
        }
        if (!changed) {
            if (rounds) *rounds = round;
            return a;
        }
    }
    qWarning("the assignment did not settle");
    return {};
}

}  // namespace

class AssignorTest : public QObject {
    Q_OBJECT

private slots:
    // --- range ---

    void rangeGivesOneMemberEverything() {
        auto a = RangeAssignor().assign({{"t", 3}}, {member("m1", {"t"})});
        QCOMPARE(a.at("m1"), (PartitionsByTopic{{"t", {0, 1, 2}}}));
    }

    void rangeGivesTheFirstMembersOneMore() {
        // Members arrive unsorted; the ranges follow member id order.
        auto a = RangeAssignor().assign({{"t", 5}}, {member("m2", {"t"}), member("m1", {"t"})});
        QCOMPARE(a.at("m1"), (PartitionsByTopic{{"t", {0, 1, 2}}}));
        QCOMPARE(a.at("m2"), (PartitionsByTopic{{"t", {3, 4}}}));
    }

    void rangeSplitsEachTopicOnItsOwn() {
        auto a = RangeAssignor().assign(
            {{"t1", 4}, {"t2", 2}}, {member("c", {"t1", "t2"}), member("a", {"t1", "t2"}), member("b", {"t1", "t2"})});
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t1", {0, 1}}, {"t2", {0}}}));
        QCOMPARE(a.at("b"), (PartitionsByTopic{{"t1", {2}}, {"t2", {1}}}));
        QCOMPARE(a.at("c"), (PartitionsByTopic{{"t1", {3}}}));
        QCOMPARE(checkDisjoint(a), size_t(6));
    }

    void rangeOnlyCountsSubscribersOfATopic() {
        auto a = RangeAssignor().assign({{"t1", 3}, {"t2", 2}}, {member("a", {"t1"}), member("b", {"t1", "t2"})});
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t1", {0, 1}}}));
        QCOMPARE(a.at("b"), (PartitionsByTopic{{"t1", {2}}, {"t2", {0, 1}}}));
    }

    void rangeLeavesMembersWithoutPartitionsEmpty() {
        auto a = RangeAssignor().assign({{"t", 1}}, {member("a", {"t"}), member("b", {"t"}), member("c", {"missing"})});
        QCOMPARE(a.size(), size_t(3));
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t", {0}}}));
        QVERIFY(a.at("b").empty());
        QVERIFY(a.at("c").empty());  // its topic has no metadata: nothing to assign
    }

    void rangePutsStaticMembersFirst() {
        MemberSubscription dynamicMember = member("a-dynamic", {"t"});
        MemberSubscription staticMember = member("z-static", {"t"});
        staticMember.groupInstanceId = "instance-1";
        auto a = RangeAssignor().assign({{"t", 3}}, {dynamicMember, staticMember});
        QCOMPARE(a.at("z-static"), (PartitionsByTopic{{"t", {0, 1}}}));
        QCOMPARE(a.at("a-dynamic"), (PartitionsByTopic{{"t", {2}}}));
    }

    // --- roundrobin ---

    void roundRobinDealsAllPartitionsInTurn() {
        auto a =
            RoundRobinAssignor().assign({{"t1", 3}, {"t2", 2}}, {member("b", {"t1", "t2"}), member("a", {"t1", "t2"})});
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t1", {0, 2}}, {"t2", {1}}}));
        QCOMPARE(a.at("b"), (PartitionsByTopic{{"t1", {1}}, {"t2", {0}}}));
    }

    void roundRobinSkipsMembersNotSubscribed() {
        auto a = RoundRobinAssignor().assign({{"t1", 3}, {"t2", 2}},
                                             {member("a", {"t1"}), member("b", {"t1", "t2"}), member("c", {"t1"})});
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t1", {0}}}));
        QCOMPARE(a.at("b"), (PartitionsByTopic{{"t1", {1}}, {"t2", {0, 1}}}));
        QCOMPARE(a.at("c"), (PartitionsByTopic{{"t1", {2}}}));
    }

    void roundRobinWithUnevenCounts() {
        auto a = RoundRobinAssignor().assign({{"t", 7}}, {member("a", {"t"}), member("b", {"t"}), member("c", {"t"})});
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t", {0, 3, 6}}}));
        QCOMPARE(a.at("b"), (PartitionsByTopic{{"t", {1, 4}}}));
        QCOMPARE(a.at("c"), (PartitionsByTopic{{"t", {2, 5}}}));
    }

    // --- cooperative-sticky ---

    void stickyBalancesAFreshGroup() {
        for (int members = 1; members <= 3; ++members) {
            std::vector<MemberSubscription> subs;
            for (int i = 0; i < members; ++i) subs.push_back(member("m" + std::to_string(i), {"t1", "t2"}));
            const Counts counts{{"t1", 4}, {"t2", 3}};
            auto a = CooperativeStickyAssignor().assign(counts, subs);
            QCOMPARE(checkDisjoint(a), total(counts));
            auto l = loads(a);
            QVERIFY2(l.back() - l.front() <= 1, qPrintable(QStringLiteral("%1 members").arg(members)));
        }
    }

    void stickyRespectsDifferentSubscriptions() {
        // b can only take t1: balance gives it both t1 partitions and a both t2 partitions.
        auto a = CooperativeStickyAssignor().assign({{"t1", 2}, {"t2", 2}},
                                                    {member("a", {"t1", "t2"}), member("b", {"t1"})});
        QCOMPARE(a.at("b"), (PartitionsByTopic{{"t1", {0, 1}}}));
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t2", {0, 1}}}));
    }

    void stickyKeepsOwnershipWhenAMemberLeaves() {
        const Counts counts{{"t", 6}};
        GroupAssignment before = settle(counts, {member("a", {"t"}), member("b", {"t"}), member("c", {"t"})});
        QCOMPARE(loads(before), (std::vector<size_t>{2, 2, 2}));

        // c leaves: a and b keep what they had and split c's partitions, in one rebalance.
        auto a = CooperativeStickyAssignor().assign(
            counts, {member("a", {"t"}, before.at("a"), 1), member("b", {"t"}, before.at("b"), 1)});
        QCOMPARE(checkDisjoint(a), size_t(6));
        QVERIFY(subtractPartitions(before.at("a"), a.at("a")).empty());
        QVERIFY(subtractPartitions(before.at("b"), a.at("b")).empty());
        QCOMPARE(loads(a), (std::vector<size_t>{3, 3}));
    }

    void stickyRevokesBeforeReassigning() {
        const Counts counts{{"t", 6}};
        const PartitionsByTopic ownedA{{"t", {0, 1, 2}}};
        const PartitionsByTopic ownedB{{"t", {3, 4, 5}}};
        // c joins. First rebalance: a and b each give up one partition, which nobody gets yet.
        std::vector<MemberSubscription> members{member("a", {"t"}, ownedA, 1), member("b", {"t"}, ownedB, 1),
                                                member("c", {"t"})};
        auto first = CooperativeStickyAssignor().assign(counts, members);
        QCOMPARE(partitionCount(first.at("a")), size_t(2));
        QCOMPARE(partitionCount(first.at("b")), size_t(2));
        QVERIFY(first.at("c").empty());
        QVERIFY(subtractPartitions(first.at("a"), ownedA).empty());  // nothing new for a
        QVERIFY(subtractPartitions(first.at("b"), ownedB).empty());
        QCOMPARE(checkDisjoint(first), size_t(4));

        // Follow-up rebalance after a and b revoked: c gets exactly the two revoked partitions.
        members = {member("a", {"t"}, first.at("a"), 2), member("b", {"t"}, first.at("b"), 2), member("c", {"t"})};
        auto second = CooperativeStickyAssignor().assign(counts, members);
        QCOMPARE(second.at("a"), first.at("a"));
        QCOMPARE(second.at("b"), first.at("b"));
        PartitionsByTopic revoked = subtractPartitions(ownedA, first.at("a"));
        for (const auto& [topic, list] : subtractPartitions(ownedB, first.at("b"))) {
            for (int32_t p : list) revoked[topic].push_back(p);
        }
        QCOMPARE(second.at("c"), revoked);
        QCOMPARE(checkDisjoint(second), size_t(6));
    }

    void stickyMovesOnlyWhatBalanceRequires() {
        const Counts counts{{"t1", 5}, {"t2", 4}};
        GroupAssignment before = settle(counts, {member("a", {"t1", "t2"}), member("b", {"t1", "t2"})});
        QCOMPARE(loads(before), (std::vector<size_t>{4, 5}));
        int rounds = 0;
        GroupAssignment after = settle(counts,
                                       {member("a", {"t1", "t2"}, before.at("a"), 1),
                                        member("b", {"t1", "t2"}, before.at("b"), 1), member("c", {"t1", "t2"})},
                                       &rounds);
        QCOMPARE(loads(after), (std::vector<size_t>{3, 3, 3}));
        QCOMPARE(rounds, 3);  // revoke, assign, and a last round that changes nothing
        // Three partitions changed hands (all of them to c), the minimum for 9 over 3 members.
        QCOMPARE(partitionCount(after.at("c")), size_t(3));
        QVERIFY(subtractPartitions(after.at("a"), before.at("a")).empty());
        QVERIFY(subtractPartitions(after.at("b"), before.at("b")).empty());
    }

    void stickySettlesWithUnevenSubscriptions() {
        const Counts counts{{"t1", 3}, {"t2", 5}, {"t3", 1}};
        GroupAssignment a = settle(counts, {member("a", {"t1"}), member("b", {"t1", "t2"}), member("c", {"t2", "t3"})});
        QCOMPARE(checkDisjoint(a), total(counts));
        QCOMPARE(loads(a), (std::vector<size_t>{3, 3, 3}));
        for (const auto& [topic, list] : a.at("a")) QCOMPARE(topic, std::string("t1"));
    }

    void stickyDropsOwnershipItCannotKeep() {
        // a owned t-9 (the topic shrank) and x-0 (no longer subscribed): it keeps only t-0.
        const Counts counts{{"t", 2}, {"x", 1}};
        auto first = CooperativeStickyAssignor().assign(
            counts, {member("a", {"t"}, {{"t", {0, 9}}, {"x", {0}}}, 3), member("b", {"t", "x"})});
        QVERIFY(containsPartition(first.at("a"), "t", 0));
        QVERIFY(!containsPartition(first.at("a"), "t", 9));
        QVERIFY(!containsPartition(first.at("a"), "x", 0));
        // a still consumes x-0 until it revokes it after this rebalance, so b waits for it.
        QVERIFY(!containsPartition(first.at("b"), "x", 0));

        auto second = CooperativeStickyAssignor().assign(
            counts, {member("a", {"t"}, first.at("a"), 4), member("b", {"t", "x"}, first.at("b"), 4)});
        QVERIFY(containsPartition(second.at("b"), "x", 0));
        QCOMPARE(checkDisjoint(second), size_t(3));
        QCOMPARE(loads(second), (std::vector<size_t>{1, 2}));
    }

    void stickyResolvesConflictingClaimsByGeneration() {
        auto a = CooperativeStickyAssignor().assign(
            {{"t", 2}}, {member("a", {"t"}, {{"t", {0}}}, 5), member("b", {"t"}, {{"t", {0}}}, 3)});
        QCOMPARE(a.at("a"), (PartitionsByTopic{{"t", {0}}}));
        QCOMPARE(a.at("b"), (PartitionsByTopic{{"t", {1}}}));

        // The same generation: nobody may keep it, and nobody gets it until both let go.
        auto tie = CooperativeStickyAssignor().assign(
            {{"t", 2}}, {member("a", {"t"}, {{"t", {0}}}, 4), member("b", {"t"}, {{"t", {0}}}, 4)});
        QVERIFY(!containsPartition(tie.at("a"), "t", 0));
        QVERIFY(!containsPartition(tie.at("b"), "t", 0));
        QCOMPARE(checkDisjoint(tie), size_t(1));
    }

    // --- configuration ---

    void strategyAcceptsProtocolAndJavaNames() {
        auto list = assignorsFromStrategy(
            " range, org.apache.kafka.clients.consumer.RoundRobinAssignor ,"
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(3));
        QCOMPARE(std::string(list->at(0)->name()), std::string("range"));
        QCOMPARE(std::string(list->at(1)->name()), std::string("roundrobin"));
        QCOMPARE(std::string(list->at(2)->name()), std::string("cooperative-sticky"));
        QCOMPARE(rebalanceProtocolFor(*list), RebalanceProtocol::Eager);
    }

    void defaultStrategyIsRangeThenCooperativeSticky() {
        auto list = assignorsFromStrategy(kDefaultAssignmentStrategy);
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(2));
        QCOMPARE(std::string(list->at(0)->name()), std::string("range"));
        QCOMPARE(std::string(list->at(1)->name()), std::string("cooperative-sticky"));
        // range cannot do cooperative, so the member follows the eager protocol (as Java 3.x).
        QCOMPARE(rebalanceProtocolFor(*list), RebalanceProtocol::Eager);
        auto cooperative = assignorsFromStrategy("cooperative-sticky");
        QVERIFY(cooperative.ok());
        QCOMPARE(rebalanceProtocolFor(*cooperative), RebalanceProtocol::Cooperative);
    }

    void strategyRefusesUnknownNames() {
        auto list = assignorsFromStrategy("range,org.apache.kafka.clients.consumer.StickyAssignor");
        QVERIFY(!list.ok());
        QCOMPARE(list.error().kind, ErrorKind::InvalidArgument);
        QVERIFY(list.error().message.find("StickyAssignor") != std::string::npos);
        QVERIFY(!assignorsFromStrategy(" , ").ok());
    }
};

QTEST_GUILESS_MAIN(AssignorTest)
#include "assignor_test.moc"
