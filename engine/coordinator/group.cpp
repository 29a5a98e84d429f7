// Group bookkeeping: members, static ids, protocol selection, subscriptions.
#include "engine/coordinator/group.h"

#include "engine/protocol/messages/consumerprotocolsubscription.h"
#include "engine/protocol/reader.h"
#include "engine/storage/configsyntax.h"

#include <algorithm>

namespace partita::coordinator {

namespace {
constexpr GroupState kAllStates[] = {GroupState::Empty, GroupState::PreparingRebalance, GroupState::CompletingRebalance,
                                     GroupState::Stable, GroupState::Dead};
}  // namespace

std::string_view groupStateName(GroupState state) {
    switch (state) {
        case GroupState::Empty:
            return "Empty";
        case GroupState::PreparingRebalance:
            return "PreparingRebalance";
        case GroupState::CompletingRebalance:
            return "CompletingRebalance";
        case GroupState::Stable:
            return "Stable";
        case GroupState::Dead:
            return "Dead";
    }
    return "Unknown";
}

std::optional<GroupState> parseGroupState(std::string_view name) {
    for (GroupState state : kAllStates) {
        if (storage::equalsIgnoreCase(name, groupStateName(state))) return state;
    }
    return std::nullopt;
}

const MemberProtocol* Member::protocol(std::string_view name) const {
    for (const auto& p : protocols) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

bool Member::sameProtocols(const std::vector<MemberProtocol>& other) const {
    if (other.size() != protocols.size()) return false;
    for (size_t i = 0; i < other.size(); ++i) {
        if (other[i].name != protocols[i].name || !(other[i].metadata == protocols[i].metadata)) return false;
    }
    return true;
}

void Group::transitionTo(GroupState state, int64_t nowMs) {
    m_state = state;
    m_stateTimestampMs = nowMs;
}

Member* Group::member(const std::string& memberId) {
    auto it = members.find(memberId);
    return it == members.end() ? nullptr : &it->second;
}

std::optional<std::string> Group::staticMemberId(const std::string& instanceId) const {
    auto it = staticMembers.find(instanceId);
    if (it == staticMembers.end()) return std::nullopt;
    return it->second;
}

void Group::addMember(Member member, const std::string& type) {
    if (members.empty()) protocolType = type;
    if (!leaderId) leaderId = member.memberId;
    if (member.groupInstanceId) staticMembers[*member.groupInstanceId] = member.memberId;
    pendingMembers.erase(member.memberId);
    std::string id = member.memberId;
    members.insert_or_assign(std::move(id), std::move(member));
}

void Group::removeMember(const std::string& memberId) {
    auto it = members.find(memberId);
    if (it == members.end()) return;
    if (it->second.groupInstanceId) {
        auto s = staticMembers.find(*it->second.groupInstanceId);
        if (s != staticMembers.end() && s->second == memberId) staticMembers.erase(s);
    }
    members.erase(it);
    if (leaderId == memberId) {
        leaderId.reset();
        if (!members.empty()) leaderId = members.begin()->first;
    }
}

Member Group::replaceStaticMember(const std::string& instanceId, const std::string& newMemberId) {
    const std::string oldId = staticMembers.at(instanceId);
    auto node = members.extract(oldId);
    Member old = node.mapped();
    node.key() = newMemberId;
    node.mapped().memberId = newMemberId;
    node.mapped().awaitingJoin.reset();
    node.mapped().awaitingSync.reset();
    members.insert(std::move(node));
    staticMembers[instanceId] = newMemberId;
    if (leaderId == oldId) leaderId = newMemberId;
    return old;
}

bool Group::supportsProtocols(const std::string& type, const std::vector<MemberProtocol>& protocols) const {
    if (members.empty()) return !type.empty() && !protocols.empty();
    if (protocolType != type) return false;
    for (const auto& candidate : protocols) {
        bool everyone = std::all_of(members.begin(), members.end(),
                                    [&](const auto& m) { return m.second.protocol(candidate.name) != nullptr; });
        if (everyone) return true;
    }
    return false;
}

std::string Group::selectProtocol() const {
    if (members.empty()) return {};
    // Candidates: the leader's protocols (in its order) that every member supports.
    const Member& first = leaderId && members.count(*leaderId) ? members.at(*leaderId) : members.begin()->second;
    std::vector<std::string> candidates;
    for (const auto& p : first.protocols) {
        bool everyone = std::all_of(members.begin(), members.end(),
                                    [&](const auto& m) { return m.second.protocol(p.name) != nullptr; });
        if (everyone) candidates.push_back(p.name);
    }
    if (candidates.empty()) return {};
    std::map<std::string, int> votes;
    for (const auto& [id, m] : members) {
        for (const auto& p : m.protocols) {
            if (std::find(candidates.begin(), candidates.end(), p.name) != candidates.end()) {
                ++votes[p.name];
                break;
            }
        }
    }
    std::string best = candidates.front();
    for (const auto& name : candidates) {
        if (votes[name] > votes[best]) best = name;
    }
    return best;
}

int32_t Group::maxRebalanceTimeoutMs() const {
    int32_t most = 0;
    for (const auto& [id, m] : members) most = std::max(most, m.rebalanceTimeoutMs);
    return most;
}

size_t Group::awaitingJoinCount() const {
    return size_t(
        std::count_if(members.begin(), members.end(), [](const auto& m) { return bool(m.second.awaitingJoin); }));
}

void Group::updateSubscribedTopics() {
    subscribedTopics.clear();
    if (protocolType != "consumer" || !protocolName) return;
    for (const auto& [id, m] : members) {
        const MemberProtocol* p = m.protocol(*protocolName);
        if (!p || p->metadata.size() < 2) continue;
        // The subscription is an int16 version then the struct; newer versions extend older ones.
        protocol::Reader reader(p->metadata);
        int16_t version = reader.readInt16();
        if (!reader.ok() || version < 0) continue;
        protocol::ConsumerProtocolSubscription subscription;
        subscription.decode(reader, std::min(version, protocol::ConsumerProtocolSubscription::kHighestVersion));
        if (!reader.ok()) continue;
        subscribedTopics.insert(subscription.topics.begin(), subscription.topics.end());
    }
}

}  // namespace partita::coordinator
