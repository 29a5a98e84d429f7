// The records of __consumer_offsets in Kafka's layouts: committed offsets and classic group metadata.
#pragma once

#include "engine/coordinator/group.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/messages/groupmetadatavalue.h"
#include "engine/protocol/result.h"

#include <optional>
#include <string>
#include <variant>

namespace partita::coordinator {

inline constexpr const char* kOffsetsTopic = "__consumer_offsets";

// Each key and value is an int16 schema version and then the struct of that version; the key's
// version says which record it is. Kafka 3.x writes OffsetCommitKey v1 with OffsetCommitValue v3
// (v1 when the commit carried an expire time) and GroupMetadataKey v2 with GroupMetadataValue v3.
Bytes offsetCommitKey(const std::string& group, const TopicPartition& partition);
Bytes offsetCommitValue(const CommittedOffset& offset);
Bytes groupMetadataKey(const std::string& group);
// The group as it stands: generation, chosen protocol, leader and every member with its
// subscription (for the chosen protocol) and assignment.
Bytes groupMetadataValue(const Group& group);

// A record read back; a missing value (tombstone) deletes what the key names.
struct OffsetRecord {
    std::string group;
    TopicPartition partition;
    std::optional<CommittedOffset> offset;
};
struct GroupRecord {
    std::string group;
    std::optional<protocol::GroupMetadataValue> value;
};
// Records of the new consumer-group protocol (KIP-848) and share groups: not served, skipped.
struct OtherRecord {};
using OffsetsTopicRecord = std::variant<OffsetRecord, GroupRecord, OtherRecord>;

// Corrupt when the bytes do not parse as the version they announce.
Result<OffsetsTopicRecord> decodeOffsetsTopicRecord(const Bytes& key, const std::optional<Bytes>& value);

}  // namespace partita::coordinator
