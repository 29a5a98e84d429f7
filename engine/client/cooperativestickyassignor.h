// CooperativeStickyAssignor: Kafka's "cooperative-sticky" strategy, balanced and sticky, for the
// cooperative rebalance protocol (KIP-429).
#pragma once

#include "engine/client/assignor.h"

namespace partita::client {

// Members keep the partitions they own (ownedPartitions of their subscription) as long as the
// balance allows, then partitions move one at a time from the most loaded member to the least
// loaded one that subscribes to their topic, until no member has two more than another that
// could take one. A partition that changes hands is only revoked in this generation (assigned
// to nobody): its owner gives it up, rejoins, and the follow-up rebalance assigns it, so two
// members never consume it at the same time.
//
// When two members claim the same partition, the higher generation keeps it; within one
// generation neither keeps it (and it is held back until both have let go).
class CooperativeStickyAssignor final : public PartitionAssignor {
public:
    const char* name() const override { return "cooperative-sticky"; }
    bool supportsCooperative() const override { return true; }
    GroupAssignment assign(const std::map<std::string, int32_t>& partitionCounts,
                           const std::vector<MemberSubscription>& members) const override;
};

}  // namespace partita::client
