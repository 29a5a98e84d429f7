// PartitionAssignor: the interface of the consumer group assignors, the data they work on, and
// the partition.assignment.strategy setting that picks them.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace partita::client {

// Partitions grouped by topic, each list sorted: the shape assignments and owned partitions
// take on the wire (ConsumerProtocolAssignment / ConsumerProtocolSubscription).
using PartitionsByTopic = std::map<std::string, std::vector<int32_t>>;

// What one member said in its JoinGroup metadata for the protocol the coordinator chose.
struct MemberSubscription {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::vector<std::string> topics;
    PartitionsByTopic ownedPartitions;  // v1+: what the member consumes now
    int32_t generationId = -1;          // v2+: the generation ownedPartitions belong to
    std::optional<std::string> rackId;  // v3+
    std::optional<Bytes> userData;
};

// Member id -> the partitions it gets. Every member of the input has an entry.
using GroupAssignment = std::map<std::string, PartitionsByTopic>;

// Eager: every member gives up all its partitions before a rebalance. Cooperative (KIP-429):
// members keep what they own; a partition moves in two rebalances (revoked, then assigned).
enum class RebalanceProtocol { Eager, Cooperative };

// Assignors are pure: the same members and partition counts give the same answer, on any member
// that happens to be the leader.
class PartitionAssignor {
public:
    virtual ~PartitionAssignor() = default;

    // The protocol name in JoinGroup ("range", "roundrobin", "cooperative-sticky").
    virtual const char* name() const = 0;
    virtual bool supportsCooperative() const { return false; }

    // `partitionCounts`: topic -> number of partitions; subscribed topics missing from it (not
    // created yet, no metadata) are left out.
    virtual GroupAssignment assign(const std::map<std::string, int32_t>& partitionCounts,
                                   const std::vector<MemberSubscription>& members) const = 0;
};

// The assignor for a protocol name or Java class name (org.apache.kafka.clients.consumer.
// RangeAssignor, ...); nullptr when there is none.
std::shared_ptr<const PartitionAssignor> makeAssignor(std::string_view name);

// partition.assignment.strategy: a comma list in order of preference. Unknown names are an
// InvalidArgument error naming them.
Result<std::vector<std::shared_ptr<const PartitionAssignor>>> assignorsFromStrategy(const std::string& strategy);
inline constexpr const char* kDefaultAssignmentStrategy = "range,cooperative-sticky";

// The protocol a member follows with these assignors: cooperative only if all of them support it,
// as in the Java client (any of them may be the one the coordinator picks).
RebalanceProtocol rebalanceProtocolFor(const std::vector<std::shared_ptr<const PartitionAssignor>>& assignors);

// The order assignors hand out partitions in (Java's MemberInfo): static members first, by
// group.instance.id, then dynamic members by member id.
bool memberOrder(const MemberSubscription& a, const MemberSubscription& b);

// Helpers on PartitionsByTopic.
size_t partitionCount(const PartitionsByTopic& partitions);
bool containsPartition(const PartitionsByTopic& partitions, const std::string& topic, int32_t partition);
// Partitions in `a` that are not in `b`.
PartitionsByTopic subtractPartitions(const PartitionsByTopic& a, const PartitionsByTopic& b);
// "orders-0, orders-1, payments-2" for messages and logs.
std::string describePartitions(const PartitionsByTopic& partitions);

}  // namespace partita::client
