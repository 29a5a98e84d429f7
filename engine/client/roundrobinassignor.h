// RoundRobinAssignor: Kafka's "roundrobin" strategy, all partitions dealt out in turn.
#pragma once

#include "engine/client/assignor.h"

namespace partita::client {

// Every topic-partition (topics by name, partitions ascending) goes to the next member in
// member order that subscribes to its topic, cycling through the members.
class RoundRobinAssignor final : public PartitionAssignor {
public:
    const char* name() const override { return "roundrobin"; }
    GroupAssignment assign(const std::map<std::string, int32_t>& partitionCounts,
                           const std::vector<MemberSubscription>& members) const override;
};

}  // namespace partita::client
