// The consumer protocol's bytes: versioned ConsumerProtocolSubscription / ConsumerProtocolAssignment.
#include "engine/client/groupprotocol.h"

#include "engine/protocol/messages/consumerprotocolassignment.h"
#include "engine/protocol/messages/consumerprotocolsubscription.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"

#include <algorithm>

namespace partita::client {

namespace {

template <class TopicPartitionList>
void appendPartitions(TopicPartitionList& out, const PartitionsByTopic& partitions) {
    for (const auto& [topic, list] : partitions) {
        if (list.empty()) continue;
        auto& entry = out.emplace_back();
        entry.topic = topic;
        entry.partitions = list;
    }
}

template <class TopicPartitionList>
PartitionsByTopic collectPartitions(const TopicPartitionList& in) {
    PartitionsByTopic out;
    for (const auto& entry : in) {
        auto& list = out[entry.topic];
        list.insert(list.end(), entry.partitions.begin(), entry.partitions.end());
    }
    for (auto& [topic, list] : out) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    return out;
}

// The version prefix, clamped to what the generated struct knows.
Result<int16_t> readVersion(protocol::Reader& reader, int16_t highest, const char* what) {
    const int16_t version = reader.readInt16();
    if (!reader.ok()) return Error{ErrorKind::Truncated, std::string(what) + " is too short to hold a version"};
    if (version < 0) return Error{ErrorKind::Malformed, std::string(what) + " has version " + std::to_string(version)};
    return std::min(version, highest);
}

}  // namespace

Bytes encodeSubscription(const MemberSubscription& subscription, int16_t version) {
    protocol::ConsumerProtocolSubscription message;
    message.topics = subscription.topics;
    message.userData = subscription.userData;
    appendPartitions(message.ownedPartitions, subscription.ownedPartitions);
    message.generationId = subscription.generationId;
    message.rackId = subscription.rackId;
    protocol::Writer writer;
    writer.writeInt16(version);
    message.encode(writer, version);
    return writer.take();
}

Result<MemberSubscription> decodeSubscription(const Bytes& data) {
    protocol::Reader reader(data);
    auto version = readVersion(reader, protocol::ConsumerProtocolSubscription::kHighestVersion, "a subscription");
    if (!version.ok()) return version.error();
    protocol::ConsumerProtocolSubscription message;
    message.decode(reader, *version);
    if (!reader.ok()) return Error{ErrorKind::Malformed, "a subscription does not decode: " + reader.error()};
    MemberSubscription out;
    out.topics = std::move(message.topics);
    out.userData = std::move(message.userData);
    out.ownedPartitions = collectPartitions(message.ownedPartitions);
    out.generationId = message.generationId;
    out.rackId = std::move(message.rackId);
    return out;
}

Bytes encodeAssignment(const PartitionsByTopic& assignment, int16_t version) {
    protocol::ConsumerProtocolAssignment message;
    appendPartitions(message.assignedPartitions, assignment);
    protocol::Writer writer;
    writer.writeInt16(version);
    message.encode(writer, version);
    return writer.take();
}

Result<PartitionsByTopic> decodeAssignment(const Bytes& data) {
    if (data.empty()) return PartitionsByTopic{};
    protocol::Reader reader(data);
    auto version = readVersion(reader, protocol::ConsumerProtocolAssignment::kHighestVersion, "an assignment");
    if (!version.ok()) return version.error();
    protocol::ConsumerProtocolAssignment message;
    message.decode(reader, *version);
    if (!reader.ok()) return Error{ErrorKind::Malformed, "an assignment does not decode: " + reader.error()};
    return collectPartitions(message.assignedPartitions);
}

}  // namespace partita::client
