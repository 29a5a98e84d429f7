// RoundRobinAssignor: Kafka's "roundrobin" strategy, all partitions dealt out in turn.
#include "engine/client/roundrobinassignor.h"

#include <algorithm>

namespace partita::client {

GroupAssignment RoundRobinAssignor::assign(const std::map<std::string, int32_t>& partitionCounts,
                                           const std::vector<MemberSubscription>& members) const {
    GroupAssignment result;
    std::vector<const MemberSubscription*> ordered;
    for (const MemberSubscription& m : members) {
        result[m.memberId];
        ordered.push_back(&m);
    }
    if (ordered.empty()) return result;
    std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return memberOrder(*a, *b); });

    auto subscribes = [](const MemberSubscription* m, const std::string& topic) {
        return std::find(m->topics.begin(), m->topics.end(), topic) != m->topics.end();
    };
    size_t next = 0;  // the cursor keeps moving across topics, which is what evens out the counts
    for (const auto& entry : partitionCounts) {
        const std::string& topic = entry.first;
        const int32_t count = entry.second;
        if (std::none_of(ordered.begin(), ordered.end(), [&](auto* m) { return subscribes(m, topic); })) continue;
        for (int32_t p = 0; p < count; ++p) {
            while (!subscribes(ordered[next % ordered.size()], topic)) ++next;
            result[ordered[next % ordered.size()]->memberId][topic].push_back(p);
            ++next;
        }
    }
    return result;
}

}  // namespace partita::client
