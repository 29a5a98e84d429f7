// PartitionAssignor helpers: choosing assignors by name, member order, partition-set arithmetic.
#include "engine/client/assignor.h"

#include "engine/client/cooperativestickyassignor.h"
#include "engine/client/rangeassignor.h"
#include "engine/client/roundrobinassignor.h"

#include <algorithm>

namespace partita::client {

namespace {

std::string trimmed(std::string_view s) {
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    const auto end = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(begin, end - begin + 1));
}

}  // namespace

std::shared_ptr<const PartitionAssignor> makeAssignor(std::string_view name) {
    // Java .properties files name the classes; librdkafka and our CLI use the protocol names.
    if (name == "range" || name == "org.apache.kafka.clients.consumer.RangeAssignor") {
        return std::make_shared<RangeAssignor>();
    }
    if (name == "roundrobin" || name == "org.apache.kafka.clients.consumer.RoundRobinAssignor") {
        return std::make_shared<RoundRobinAssignor>();
    }
    if (name == "cooperative-sticky" || name == "org.apache.kafka.clients.consumer.CooperativeStickyAssignor") {
        return std::make_shared<CooperativeStickyAssignor>();
    }
    return nullptr;
}

Result<std::vector<std::shared_ptr<const PartitionAssignor>>> assignorsFromStrategy(const std::string& strategy) {
    std::vector<std::shared_ptr<const PartitionAssignor>> out;
    size_t start = 0;
    while (start <= strategy.size()) {
        size_t comma = strategy.find(',', start);
        if (comma == std::string::npos) comma = strategy.size();
        const std::string name = trimmed(std::string_view(strategy).substr(start, comma - start));
        start = comma + 1;
        if (name.empty()) continue;
        auto assignor = makeAssignor(name);
        if (!assignor) {
            return Error{ErrorKind::InvalidArgument, "partition.assignment.strategy: unknown assignor '" + name +
                                                         "' (supported: range, roundrobin, cooperative-sticky)"};
        }
        const bool duplicate = std::any_of(
            out.begin(), out.end(), [&](const auto& a) { return std::string_view(a->name()) == assignor->name(); });
        if (!duplicate) out.push_back(std::move(assignor));
    }
    if (out.empty()) {
        return Error{ErrorKind::InvalidArgument, "partition.assignment.strategy names no assignor"};
    }
    return out;
}

RebalanceProtocol rebalanceProtocolFor(const std::vector<std::shared_ptr<const PartitionAssignor>>& assignors) {
    const bool allCooperative =
        !assignors.empty() &&
        std::all_of(assignors.begin(), assignors.end(), [](const auto& a) { return a->supportsCooperative(); });
    return allCooperative ? RebalanceProtocol::Cooperative : RebalanceProtocol::Eager;
}

bool memberOrder(const MemberSubscription& a, const MemberSubscription& b) {
    if (a.groupInstanceId && b.groupInstanceId) {
        if (*a.groupInstanceId != *b.groupInstanceId) return *a.groupInstanceId < *b.groupInstanceId;
        return a.memberId < b.memberId;
    }
    if (a.groupInstanceId) return true;
    if (b.groupInstanceId) return false;
    return a.memberId < b.memberId;
}

size_t partitionCount(const PartitionsByTopic& partitions) {
    size_t n = 0;
    for (const auto& [topic, list] : partitions) n += list.size();
    return n;
}

bool containsPartition(const PartitionsByTopic& partitions, const std::string& topic, int32_t partition) {
    auto it = partitions.find(topic);
    return it != partitions.end() && std::find(it->second.begin(), it->second.end(), partition) != it->second.end();
}

PartitionsByTopic subtractPartitions(const PartitionsByTopic& a, const PartitionsByTopic& b) {
    PartitionsByTopic out;
    for (const auto& [topic, list] : a) {
        for (int32_t p : list) {
            if (!containsPartition(b, topic, p)) out[topic].push_back(p);
        }
    }
    return out;
}

std::string describePartitions(const PartitionsByTopic& partitions) {
    std::string out;
    for (const auto& [topic, list] : partitions) {
        for (int32_t p : list) {
            if (!out.empty()) out += ", ";
            out += topic + "-" + std::to_string(p);
        }
    }
    return out.empty() ? std::string("(none)") : out;
}

}  // namespace partita::client
