// The consumer protocol's bytes: the subscription a member puts in JoinGroup and the assignment
// the leader puts in SyncGroup, each a 2-byte version and a ConsumerProtocol* struct.
#pragma once

#include "engine/client/assignor.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/result.h"

#include <cstdint>

namespace partita::client {

inline constexpr const char* kConsumerProtocolType = "consumer";

// Version 1 carries ownedPartitions, which the cooperative protocol needs; every client since
// Kafka 2.4 reads it. memberId and groupInstanceId are not part of the bytes.
Bytes encodeSubscription(const MemberSubscription& subscription, int16_t version = 1);
// Reads versions 0-3; a newer version is read as 3, since versions only add fields at the end.
Result<MemberSubscription> decodeSubscription(const Bytes& data);

Bytes encodeAssignment(const PartitionsByTopic& assignment, int16_t version = 1);
// Empty bytes are an empty assignment (what the coordinator hands out when a leader gave none).
Result<PartitionsByTopic> decodeAssignment(const Bytes& data);

}  // namespace partita::client
