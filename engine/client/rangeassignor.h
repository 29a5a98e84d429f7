// RangeAssignor: Kafka's "range" strategy, contiguous ranges of each topic's partitions.
#pragma once

#include "engine/client/assignor.h"

namespace partita::client {

// Per topic: its subscribers in member order share the partitions in contiguous ranges, the
// first (partitions % members) getting one more. Topics are independent, so members with the
// same subscriptions get the same partition numbers of co-partitioned topics (joins rely on it).
class RangeAssignor final : public PartitionAssignor {
public:
    const char* name() const override { return "range"; }
    GroupAssignment assign(const std::map<std::string, int32_t>& partitionCounts,
                           const std::vector<MemberSubscription>& members) const override;
};

}  // namespace partita::client
