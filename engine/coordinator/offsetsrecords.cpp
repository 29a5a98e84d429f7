// Encoding and decoding of __consumer_offsets records with the generated internal-record structs.
#include "engine/coordinator/offsetsrecords.h"

#include "engine/coordinator/internalrecord.h"
#include "engine/protocol/messages/groupmetadatakey.h"
#include "engine/protocol/messages/offsetcommitkey.h"
#include "engine/protocol/messages/offsetcommitvalue.h"

namespace partita::coordinator {

using protocol::Reader;

namespace {

constexpr int16_t kOffsetCommitKeyVersion = 1;
constexpr int16_t kGroupMetadataKeyVersion = 2;
constexpr int16_t kOffsetCommitValueVersion = 3;
constexpr int16_t kOffsetCommitValueWithExpiryVersion = 1;
constexpr int16_t kGroupMetadataValueVersion = 3;

}  // namespace

Bytes offsetCommitKey(const std::string& group, const TopicPartition& partition) {
    protocol::OffsetCommitKey key;
    key.group = group;
    key.topic = partition.topic;
    key.partition = partition.partition;
    return encodeInternalRecord(key, kOffsetCommitKeyVersion);
}

Bytes offsetCommitValue(const CommittedOffset& offset) {
    protocol::OffsetCommitValue value;
    value.offset = offset.offset;
    value.metadata = offset.metadata;
    value.commitTimestamp = offset.commitTimestampMs;
    if (offset.expireTimestampMs) {
        value.expireTimestamp = *offset.expireTimestampMs;
        return encodeInternalRecord(value, kOffsetCommitValueWithExpiryVersion);
    }
    value.leaderEpoch = offset.leaderEpoch;
    return encodeInternalRecord(value, kOffsetCommitValueVersion);
}

Bytes groupMetadataKey(const std::string& group) {
    protocol::GroupMetadataKey key;
    key.group = group;
    return encodeInternalRecord(key, kGroupMetadataKeyVersion);
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
    return encodeInternalRecord(value, kGroupMetadataValueVersion);
}

Result<OffsetsTopicRecord> decodeOffsetsTopicRecord(const Bytes& key, const std::optional<Bytes>& value) {
    Reader keyReader(key);
    const int16_t keyVersion = keyReader.readInt16();
    if (!keyReader.ok()) return Error{ErrorKind::Corrupt, "__consumer_offsets key is shorter than its version"};
    if (keyVersion == 0 || keyVersion == 1) {
        protocol::OffsetCommitKey k;
        if (Status st = decodeInternalRecord(keyReader, k, keyVersion, "OffsetCommitKey"); !st) return st.error();
        OffsetRecord record{k.group, {k.topic, k.partition}, std::nullopt};
        if (value) {
            Reader valueReader(*value);
            const int16_t valueVersion = valueReader.readInt16();
            protocol::OffsetCommitValue v;
            if (Status st = decodeInternalRecord(valueReader, v, valueVersion, "OffsetCommitValue"); !st)
                return st.error();
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
        if (Status st = decodeInternalRecord(keyReader, k, keyVersion, "GroupMetadataKey"); !st) return st.error();
        GroupRecord record{k.group, std::nullopt};
        if (value) {
            Reader valueReader(*value);
            const int16_t valueVersion = valueReader.readInt16();
            protocol::GroupMetadataValue v;
            if (Status st = decodeInternalRecord(valueReader, v, valueVersion, "GroupMetadataValue"); !st)
                return st.error();
            record.value = std::move(v);
        }
        return OffsetsTopicRecord(std::move(record));
    }
    return OffsetsTopicRecord(OtherRecord{});
}

}  // namespace partita::coordinator
