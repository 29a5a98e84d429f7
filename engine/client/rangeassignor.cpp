// RangeAssignor: Kafka's "range" strategy, contiguous ranges of each topic's partitions.
#include "engine/client/rangeassignor.h"

#include <algorithm>

namespace partita::client {

GroupAssignment RangeAssignor::assign(const std::map<std::string, int32_t>& partitionCounts,
                                      const std::vector<MemberSubscription>& members) const {
    GroupAssignment result;
    std::vector<const MemberSubscription*> ordered;
    for (const MemberSubscription& m : members) {
        result[m.memberId];
        ordered.push_back(&m);
    }
    std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return memberOrder(*a, *b); });

    for (const auto& [topic, count] : partitionCounts) {
        std::vector<const MemberSubscription*> subscribers;
        for (const MemberSubscription* m : ordered) {
            if (std::find(m->topics.begin(), m->topics.end(), topic) != m->topics.end()) subscribers.push_back(m);
        }
        if (subscribers.empty() || count <= 0) continue;
        const int32_t n = static_cast<int32_t>(subscribers.size());
        const int32_t each = count / n;
        const int32_t extra = count % n;
        for (int32_t i = 0; i < n; ++i) {
            const int32_t start = each * i + std::min(i, extra);
            const int32_t length = each + (i < extra ? 1 : 0);
            if (length == 0) continue;
            auto& list = result[subscribers[static_cast<size_t>(i)]->memberId][topic];
            for (int32_t p = start; p < start + length; ++p) list.push_back(p);
        }
    }
    return result;
}

}  // namespace partita::client
