// CooperativeStickyAssignor: Kafka's "cooperative-sticky" strategy, balanced and sticky, for the
// cooperative rebalance protocol (KIP-429).
#include "engine/client/cooperativestickyassignor.h"

#include <algorithm>
#include <set>
#include <utility>

namespace partita::client {

namespace {

using PartitionKey = std::pair<std::string, int32_t>;

struct Member {
    const MemberSubscription* subscription = nullptr;
    std::set<std::string> topics;
    std::set<PartitionKey> assigned;
    bool subscribes(const std::string& topic) const { return topics.count(topic) != 0; }
};

// Who may keep a partition from the previous generation: members that claim it and still
// subscribe to its topic; of those the one with the highest generation, unless several share it.
std::map<PartitionKey, size_t> previousOwners(const std::vector<Member>& members,
                                              const std::set<PartitionKey>& existing,
                                              std::map<PartitionKey, std::set<size_t>>& claimants) {
    std::map<PartitionKey, std::vector<size_t>> valid;
    for (size_t i = 0; i < members.size(); ++i) {
        for (const auto& [topic, partitions] : members[i].subscription->ownedPartitions) {
            for (int32_t p : partitions) {
                PartitionKey tp{topic, p};
                if (!claimants[tp].insert(i).second) continue;  // listed twice by the same member
                if (existing.count(tp) != 0 && members[i].subscribes(topic)) valid[tp].push_back(i);
            }
        }
    }
    std::map<PartitionKey, size_t> owners;
    for (const auto& [tp, list] : valid) {
        size_t best = list.front();
        int32_t bestGeneration = members[list.front()].subscription->generationId;
        bool tie = false;
        for (size_t k = 1; k < list.size(); ++k) {
            const int32_t generation = members[list[k]].subscription->generationId;
            if (generation > bestGeneration) {
                best = list[k];
                bestGeneration = generation;
                tie = false;
            } else if (generation == bestGeneration) {
                tie = true;
            }
        }
        if (!tie) owners[tp] = best;
    }
    return owners;
}

// The member that should take one more partition of `topic`: the least loaded subscriber
// (member order breaks ties), other than `except`.
Member* leastLoaded(std::vector<Member>& members, const std::string& topic, const Member* except) {
    Member* best = nullptr;
    for (Member& m : members) {
        if (&m == except || !m.subscribes(topic)) continue;
        if (best == nullptr || m.assigned.size() < best->assigned.size()) best = &m;
    }
    return best;
}

// Moves one partition from a most loaded member to a member that has at least two fewer; false
// when no such move exists (the assignment is balanced as far as subscriptions allow).
bool moveOne(std::vector<Member>& members) {
    std::vector<Member*> byLoad;
    for (Member& m : members) byLoad.push_back(&m);
    std::stable_sort(byLoad.begin(), byLoad.end(),
                     [](const Member* a, const Member* b) { return a->assigned.size() > b->assigned.size(); });
    for (Member* from : byLoad) {
        // Highest partitions first, so a member keeps the low end of what it had.
        for (auto it = from->assigned.rbegin(); it != from->assigned.rend(); ++it) {
            Member* to = leastLoaded(members, it->first, from);
            if (to == nullptr || to->assigned.size() + 1 >= from->assigned.size()) continue;
            PartitionKey tp = *it;
            from->assigned.erase(tp);
            to->assigned.insert(std::move(tp));
            return true;
        }
    }
    return false;
}

}  // namespace

GroupAssignment CooperativeStickyAssignor::assign(const std::map<std::string, int32_t>& partitionCounts,
                                                  const std::vector<MemberSubscription>& subscriptions) const {
    std::vector<Member> members;
    for (const MemberSubscription& s : subscriptions) {
        Member m;
        m.subscription = &s;
        m.topics.insert(s.topics.begin(), s.topics.end());
        members.push_back(std::move(m));
    }
    std::sort(members.begin(), members.end(),
              [](const Member& a, const Member& b) { return memberOrder(*a.subscription, *b.subscription); });

    std::set<PartitionKey> existing;
    std::map<std::string, size_t> subscriberCount;
    for (const auto& entry : partitionCounts) {
        const std::string& topic = entry.first;
        const int32_t count = entry.second;
        const auto n =
            std::count_if(members.begin(), members.end(), [&](const Member& m) { return m.subscribes(topic); });
        if (n == 0) continue;
        subscriberCount[topic] = static_cast<size_t>(n);
        for (int32_t p = 0; p < count; ++p) existing.insert({topic, p});
    }

    // Stickiness: previous owners start with what they may keep.
    std::map<PartitionKey, std::set<size_t>> claimants;
    const std::map<PartitionKey, size_t> owners = previousOwners(members, existing, claimants);
    for (const auto& [tp, index] : owners) members[index].assigned.insert(tp);

    // The rest go to the least loaded subscriber, partitions with the fewest candidates first
    // (they have the least freedom).
    std::vector<PartitionKey> unassigned;
    for (const PartitionKey& tp : existing) {
        if (owners.count(tp) == 0) unassigned.push_back(tp);
    }
    std::stable_sort(unassigned.begin(), unassigned.end(), [&](const PartitionKey& a, const PartitionKey& b) {
        return subscriberCount.at(a.first) < subscriberCount.at(b.first);
    });
    for (const PartitionKey& tp : unassigned) {
        if (Member* m = leastLoaded(members, tp.first, nullptr)) m->assigned.insert(tp);
    }

    // Balance with as few moves as possible; each move lowers the sum of squared loads, so this ends.
    while (moveOne(members)) {
    }

    // Cooperative hand-over: a partition another member still claims is held back this
    // generation unless it stays with its rightful previous owner.
    GroupAssignment result;
    for (size_t i = 0; i < members.size(); ++i) {
        auto& out = result[members[i].subscription->memberId];
        for (const PartitionKey& tp : members[i].assigned) {
            auto claim = claimants.find(tp);
            const bool claimedByOther =
                claim != claimants.end() &&
                std::any_of(claim->second.begin(), claim->second.end(), [&](size_t other) { return other != i; });
            auto owner = owners.find(tp);
            const bool keeps = owner != owners.end() && owner->second == i;
            if (claimedByOther && !keeps) continue;
            out[tp.first].push_back(tp.second);
        }
    }
    return result;
}

}  // namespace partita::client
