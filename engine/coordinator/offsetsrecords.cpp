// Encoding and decoding of __consumer_offsets records with the generated internal-record structs.
#include "engine/coordinator/offsetsrecords.h"

#include "engine/protocol/messages/groupmetadatakey.h"
#include "engine/protocol/messages/offsetcommitkey.h"
#include "engine/protocol/messages/offsetcommitvalue.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"

namespace partita::coordinator {

using protocol::Reader;

namespace {

constexpr int16_t kOffsetCommitKeyVersion = 1;
constexpr int16_t kGroupMetadataKeyVersion = 2;
constexpr int16_t kOffsetCommitValueVersion = 3;
constexpr int16_t kOffsetCommitValueWithExpiryVersion = 1;
constexpr int16_t kGroupMetadataValueVersion = 3;

Bytes encodeVersioned(const protocol::ApiMessage& message, int16_t version) {
    protocol::Writer writer(64);
    writer.writeInt16(version);
    message.encode(writer, version);
    // Every field we fill exists in the version chosen above; a failure is a bug here.
    if (!writer.ok()) return {};
    return writer.take();
}

template <class Message>
Status decodeVersioned(Reader& reader, Message& message, int16_t version, const char* what) {
    if (version < Message::kLowestVersion || version > Message::kHighestVersion) {
        return Error{ErrorKind::Corrupt, std::string(what) + " version " + std::to_string(version) + " is unknown"};
    }
    message.decode(reader, version);
    if (!reader.ok()) return Error{ErrorKind::Corrupt, std::string(what) + ": " + reader.error()};
    return {};
}

}  // namespace

Bytes offsetCommitKey(const std::string& group, const TopicPartition& partition) {
    protocol::OffsetCommitKey key;
    key.group = group;
    key.topic = partition.topic;
    key.partition = partition.partition;
    return encodeVersioned(key, kOffsetCommitKeyVersion);
}

Bytes offsetCommitValue(const CommittedOffset& offset) {
    protocol::OffsetCommitValue value;
    value.offset = offset.offset;
    value.metadata = offset.metadata;
    value.commitTimestamp = offset.commitTimestampMs;
    if (offset.expireTimestampMs) {
        value.expireTimestamp = *offset.expireTimestampMs;
        return encodeVersioned(value, kOffsetCommitValueWithExpiryVersion);
    }
    value.leaderEpoch = offset.leaderEpoch;
    return encodeVersioned(value, kOffsetCommitValueVersion);
}

Bytes groupMetadataKey(const std::string& group) {
    protocol::GroupMetadataKey key;
    key.group = group;
    return encodeVersioned(key, kGroupMetadataKeyVersion);
}

Bytes groupMetadataValue(const Group& group) {
    protocol::GroupMetadataValue value;
    value.protocolType = group.protocolType.value_or("");
    value.generation = group.generationId;
    value.protocol = group.protocolName;
    value.leader = group.leaderId;
    value.currentStateTimestamp = group.stateTimestampMs();
    for (const auto& [id, member] : group.members) {
        protocol::GroupMetadataValue::MemberMetadata m;
        m.memberId = id;
        m.groupInstanceId = member.groupInstanceId;
        m.clientId = member.clientId;
        m.clientHost = member.clientHost;
        m.rebalanceTimeout = member.rebalanceTimeoutMs;
        m.sessionTimeout = member.sessionTimeoutMs;
        if (group.protocolName) {
            if (const MemberProtocol* p = member.protocol(*group.protocolName)) m.subscription = p->metadata;
        }
        m.assignment = member.assignment;
        value.members.push_back(std::move(m));
    }
    return encodeVersioned(value, kGroupMetadataValueVersion);
}

Result<OffsetsTopicRecord> decodeOffsetsTopicRecord(const Bytes& key, const std::optional<Bytes>& value) {
    Reader keyReader(key);
    const int16_t keyVersion = keyReader.readInt16();
    if (!keyReader.ok()) return Error{ErrorKind::Corrupt, "__consumer_offsets key is shorter than its version"};
    if (keyVersion == 0 || keyVersion == 1) {
        protocol::OffsetCommitKey k;
        if (Status st = decodeVersioned(keyReader, k, keyVersion, "OffsetCommitKey"); !st) return st.error();
        OffsetRecord record{k.group, {k.topic, k.partition}, std::nullopt};
        if (value) {
            Reader valueReader(*value);
            const int16_t valueVersion = valueReader.readInt16();
            protocol::OffsetCommitValue v;
            if (Status st = decodeVersioned(valueReader, v, valueVersion, "OffsetCommitValue"); !st) return st.error();
            CommittedOffset offset;
            offset.offset = v.offset;
            offset.leaderEpoch = v.leaderEpoch;
            offset.metadata = v.metadata;
            offset.commitTimestampMs = v.commitTimestamp;
            if (valueVersion == kOffsetCommitValueWithExpiryVersion && v.expireTimestamp >= 0) {
                offset.expireTimestampMs = v.expireTimestamp;
            }
            record.offset = std::move(offset);
        }
        return OffsetsTopicRecord(std::move(record));
    }
    if (keyVersion == kGroupMetadataKeyVersion) {
        protocol::GroupMetadataKey k;
        if (Status st = decodeVersioned(keyReader, k, keyVersion, "GroupMetadataKey"); !st) return st.error();
        GroupRecord record{k.group, std::nullopt};
        if (value) {
            Reader valueReader(*value);
            const int16_t valueVersion = valueReader.readInt16();
            protocol::GroupMetadataValue v;
            if (Status st = decodeVersioned(valueReader, v, valueVersion, "GroupMetadataValue"); !st) return st.error();
            record.value = std::move(v);
        }
        return OffsetsTopicRecord(std::move(record));
    }
    return OffsetsTopicRecord(OtherRecord{});
}

}  // namespace partita::coordinator
