// The table behind errorcodes.h: every Kafka error code with its name, retriability and message.
#include "engine/protocol/errorcodes.h"

#include <algorithm>
#include <array>

namespace partita::protocol {

namespace {

// Codes, names and retriability follow Kafka's Errors enum and its exception classes; the
// messages are our own.
constexpr std::array kErrors = std::to_array<ErrorInfo>({
    {-1, "UNKNOWN_SERVER_ERROR", false, "The server hit an unexpected error while handling the request."},
    {0, "NONE", false, "No error."},
    {1, "OFFSET_OUT_OF_RANGE", false, "The offset is outside the range the partition's log holds."},
    {2, "CORRUPT_MESSAGE", true, "A record failed its checksum, is oversized, or is otherwise damaged."},
    {3, "UNKNOWN_TOPIC_OR_PARTITION", true, "This broker has no such topic or partition."},
    {4, "INVALID_FETCH_SIZE", false, "The fetch size in the request is not acceptable."},
    {5, "LEADER_NOT_AVAILABLE", true, "The partition has no leader right now; an election is probably under way."},
    {6, "NOT_LEADER_OR_FOLLOWER", true, "This broker is not the leader, or not a replica, of the partition."},
    {7, "REQUEST_TIMED_OUT", true, "The request did not finish in time."},
    {8, "BROKER_NOT_AVAILABLE", false, "The broker is unavailable."},
    {9, "REPLICA_NOT_AVAILABLE", true, "The replica for this partition is unavailable."},
    {10, "MESSAGE_TOO_LARGE", false, "A record is bigger than the largest size the broker accepts."},
    {11, "STALE_CONTROLLER_EPOCH", false, "The request came from a controller that has since been replaced."},
    {12, "OFFSET_METADATA_TOO_LARGE", false, "The metadata attached to the committed offset is too long."},
    {13, "NETWORK_EXCEPTION", true, "The connection closed before a response arrived."},
    {14, "COORDINATOR_LOAD_IN_PROGRESS", true, "The coordinator is still loading its state."},
    {15, "COORDINATOR_NOT_AVAILABLE", true, "No coordinator is available for this group or transaction."},
    {16, "NOT_COORDINATOR", true, "This broker is not the coordinator for this group or transaction."},
    {17, "INVALID_TOPIC_EXCEPTION", false, "The topic name is invalid, or the topic cannot be used this way."},
    {18, "RECORD_LIST_TOO_LARGE", false, "A record batch is bigger than the log segment size."},
    {19, "NOT_ENOUGH_REPLICAS", true, "Too few in-sync replicas to accept the write."},
    {20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", true,
     "The write reached the log, but fewer in-sync replicas than required have it."},
    {21, "INVALID_REQUIRED_ACKS", false, "The acks value in the produce request is not valid."},
    {22, "ILLEGAL_GENERATION", false, "The group generation in the request is not the current one."},
    {23, "INCONSISTENT_GROUP_PROTOCOL", false, "The member's protocols do not match those of the group."},
    {24, "INVALID_GROUP_ID", false, "The group id is not acceptable."},
    {25, "UNKNOWN_MEMBER_ID", false, "The coordinator does not know this group member."},
    {26, "INVALID_SESSION_TIMEOUT", false, "The session timeout is outside the range the broker allows."},
    {27, "REBALANCE_IN_PROGRESS", false, "The group is rebalancing; the member has to rejoin."},
    {28, "INVALID_COMMIT_OFFSET_SIZE", false, "The offset commit is too large."},
    {29, "TOPIC_AUTHORIZATION_FAILED", false, "Not authorized to access the topic."},
    {30, "GROUP_AUTHORIZATION_FAILED", false, "Not authorized to access the group."},
    {31, "CLUSTER_AUTHORIZATION_FAILED", false, "Not authorized to perform this cluster operation."},
    {32, "INVALID_TIMESTAMP", false, "A record timestamp is outside the accepted range."},
    {33, "UNSUPPORTED_SASL_MECHANISM", false, "The broker does not offer the requested SASL mechanism."},
    {34, "ILLEGAL_SASL_STATE", false, "The request is not allowed at this point of the SASL exchange."},
    {35, "UNSUPPORTED_VERSION", false, "The broker does not support this API version."},
    {36, "TOPIC_ALREADY_EXISTS", false, "A topic with that name exists already."},
    {37, "INVALID_PARTITIONS", false, "The partition count is not valid."},
    {38, "INVALID_REPLICATION_FACTOR", false, "The replication factor does not fit the brokers available."},
    {39, "INVALID_REPLICA_ASSIGNMENT", false, "The replica assignment is not valid."},
    {40, "INVALID_CONFIG", false, "The configuration is not valid."},
    {41, "NOT_CONTROLLER", true, "This broker is not the active controller."},
    {42, "INVALID_REQUEST", false, "The request is malformed or not valid for this broker."},
    {43, "UNSUPPORTED_FOR_MESSAGE_FORMAT", false, "The request needs a newer message format than the topic uses."},
    {44, "POLICY_VIOLATION", false, "The request breaks a policy configured on the broker."},
    {45, "OUT_OF_ORDER_SEQUENCE_NUMBER", false, "The producer's sequence number is out of order."},
    {46, "DUPLICATE_SEQUENCE_NUMBER", false, "The producer's sequence number was already written."},
    {47, "INVALID_PRODUCER_EPOCH", false, "The producer epoch is older than the current one."},
    {48, "INVALID_TXN_STATE", false, "The transaction is not in a state that allows this operation."},
    {49, "INVALID_PRODUCER_ID_MAPPING", false, "The producer id is not the one assigned to this transactional id."},
    {50, "INVALID_TRANSACTION_TIMEOUT", false, "The transaction timeout exceeds the broker's maximum."},
    {51, "CONCURRENT_TRANSACTIONS", true, "Another operation on this transaction is still in progress."},
    {52, "TRANSACTION_COORDINATOR_FENCED", false,
     "The transaction coordinator is no longer the current one for this producer."},
    {53, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", false, "Not authorized to use this transactional id."},
    {54, "SECURITY_DISABLED", false, "Security features are not enabled on the broker."},
    {55, "OPERATION_NOT_ATTEMPTED", false,
     "The broker skipped this operation because another one in the batch failed."},
    {56, "KAFKA_STORAGE_ERROR", true, "The broker failed to access the log on disk."},
    {57, "LOG_DIR_NOT_FOUND", false, "The log directory is not configured on the broker."},
    {58, "SASL_AUTHENTICATION_FAILED", false, "The SASL credentials were rejected."},
    {59, "UNKNOWN_PRODUCER_ID", false, "The broker has no state for this producer id."},
    {60, "REASSIGNMENT_IN_PROGRESS", false, "A partition reassignment is already running."},
    {61, "DELEGATION_TOKEN_AUTH_DISABLED", false, "Delegation tokens are not enabled."},
    {62, "DELEGATION_TOKEN_NOT_FOUND", false, "No such delegation token."},
    {63, "DELEGATION_TOKEN_OWNER_MISMATCH", false, "The principal is neither the token's owner nor a renewer."},
    {64, "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED", false,
     "Delegation token requests are not allowed on this kind of connection."},
    {65, "DELEGATION_TOKEN_AUTHORIZATION_FAILED", false, "Not authorized for this delegation token operation."},
    {66, "DELEGATION_TOKEN_EXPIRED", false, "The delegation token is past its expiry."},
    {67, "INVALID_PRINCIPAL_TYPE", false, "The principal type is not supported."},
    {68, "NON_EMPTY_GROUP", false, "The group still has active members."},
    {69, "GROUP_ID_NOT_FOUND", false, "No such group."},
    {70, "FETCH_SESSION_ID_NOT_FOUND", true, "No such fetch session."},
    {71, "INVALID_FETCH_SESSION_EPOCH", true, "The fetch session epoch is not the expected one."},
    {72, "LISTENER_NOT_FOUND", true, "The leader has no listener matching the one this request arrived on."},
    {73, "TOPIC_DELETION_DISABLED", false, "Topic deletion is turned off on the broker."},
    {74, "FENCED_LEADER_EPOCH", true, "The leader epoch in the request is older than the broker's."},
    {75, "UNKNOWN_LEADER_EPOCH", true, "The leader epoch in the request is newer than the broker's."},
    {76, "UNSUPPORTED_COMPRESSION_TYPE", false, "The client cannot handle the partition's compression type."},
    {77, "STALE_BROKER_EPOCH", false, "The broker epoch is out of date."},
    {78, "OFFSET_NOT_AVAILABLE", true, "The new leader has not caught up yet, so the offset cannot be served."},
    {79, "MEMBER_ID_REQUIRED", false, "The member has to join again with the member id it was given."},
    {80, "PREFERRED_LEADER_NOT_AVAILABLE", true, "The preferred leader is unavailable."},
    {81, "GROUP_MAX_SIZE_REACHED", false, "The group is full."},
    {82, "FENCED_INSTANCE_ID", false, "Another member with the same group.instance.id replaced this one."},
    {83, "ELIGIBLE_LEADERS_NOT_AVAILABLE", true, "No eligible leader is available for the partition."},
    {84, "ELECTION_NOT_NEEDED", true, "The partition already has the requested leader."},
    {85, "NO_REASSIGNMENT_IN_PROGRESS", false, "No partition reassignment is running."},
    {86, "GROUP_SUBSCRIBED_TO_TOPIC", false, "Cannot delete offsets of a topic the group is still subscribed to."},
    {87, "INVALID_RECORD", false, "The broker rejected a record as invalid."},
    {88, "UNSTABLE_OFFSET_COMMIT", true, "Offsets are still pending in an open transaction."},
    {89, "THROTTLING_QUOTA_EXCEEDED", true, "The request exceeded a throttling quota."},
    {90, "PRODUCER_FENCED", false, "A newer producer with the same transactional id has taken over."},
    {91, "RESOURCE_NOT_FOUND", false, "The request refers to a resource that does not exist."},
    {92, "DUPLICATE_RESOURCE", false, "The request names the same resource more than once."},
    {93, "UNACCEPTABLE_CREDENTIAL", false, "The credential does not meet the broker's requirements."},
    {94, "INCONSISTENT_VOTER_SET", false, "The sender or receiver is not one of the expected voters."},
    {95, "INVALID_UPDATE_VERSION", false, "The feature update version is not valid."},
    {96, "FEATURE_UPDATE_FAILED", false, "The feature update failed on the server."},
    {97, "PRINCIPAL_DESERIALIZATION_FAILURE", false, "The forwarded request's principal could not be decoded."},
    {98, "SNAPSHOT_NOT_FOUND", false, "No such snapshot."},
    {99, "POSITION_OUT_OF_RANGE", false, "The position lies outside the snapshot."},
    {100, "UNKNOWN_TOPIC_ID", true, "This broker has no topic with that id."},
    {101, "DUPLICATE_BROKER_REGISTRATION", false, "Another broker already registered with this id."},
    {102, "BROKER_ID_NOT_REGISTERED", false, "No broker is registered with this id."},
    {103, "INCONSISTENT_TOPIC_ID", true, "The topic id does not match the one in the log."},
    {104, "INCONSISTENT_CLUSTER_ID", false, "The cluster id does not match the server's."},
    {105, "TRANSACTIONAL_ID_NOT_FOUND", false, "No such transactional id."},
    {106, "FETCH_SESSION_TOPIC_ID_ERROR", true, "The fetch session used topic ids inconsistently."},
    {107, "INELIGIBLE_REPLICA", false, "The proposed ISR includes a replica that is not eligible."},
    {108, "NEW_LEADER_ELECTED", false, "The partition state was updated, but a new leader has been elected."},
    {109, "OFFSET_MOVED_TO_TIERED_STORAGE", false, "The offset is now only in tiered storage."},
    {110, "FENCED_MEMBER_EPOCH", false, "The member epoch was fenced; the member has to rejoin."},
    {111, "UNRELEASED_INSTANCE_ID", false, "Another member still holds this instance id."},
    {112, "UNSUPPORTED_ASSIGNOR", false, "The group does not support this assignor or its version."},
    {113, "STALE_MEMBER_EPOCH", false, "The member epoch is stale; retry with the latest one."},
    {114, "MISMATCHED_ENDPOINT_TYPE", false, "The request went to the wrong kind of endpoint."},
    {115, "UNSUPPORTED_ENDPOINT_TYPE", false, "This kind of endpoint is not supported."},
    {116, "UNKNOWN_CONTROLLER_ID", false, "No controller has this id."},
    {117, "UNKNOWN_SUBSCRIPTION_ID", false, "The telemetry subscription id is unknown or outdated."},
    {118, "TELEMETRY_TOO_LARGE", false, "The telemetry payload is too large."},
    {119, "INVALID_REGISTRATION", false, "The controller rejected the broker registration."},
    {120, "TRANSACTION_ABORTABLE", false, "The transaction failed; abort it to carry on."},
    {121, "INVALID_RECORD_STATE", false, "The record is not in a state that allows this acknowledgement."},
    {122, "SHARE_SESSION_NOT_FOUND", true, "No such share session."},
    {123, "INVALID_SHARE_SESSION_EPOCH", true, "The share session epoch is not the expected one."},
    {124, "FENCED_STATE_EPOCH", false, "The share group state epoch does not match."},
    {125, "INVALID_VOTER_KEY", false, "The voter key does not match this replica."},
    {126, "DUPLICATE_VOTER", false, "The voter is already in the voter set."},
    {127, "VOTER_NOT_FOUND", false, "The voter is not in the voter set."},
    {128, "INVALID_REGULAR_EXPRESSION", false, "The regular expression could not be parsed."},
    {129, "REBOOTSTRAP_REQUIRED", false, "The client's metadata is stale; it has to bootstrap again."},
    {130, "STREAMS_INVALID_TOPOLOGY", false, "The Streams topology is not valid."},
    {131, "STREAMS_INVALID_TOPOLOGY_EPOCH", false, "The Streams topology epoch is not valid."},
    {132, "STREAMS_TOPOLOGY_FENCED", false, "The Streams topology epoch is out of date."},
    {133, "SHARE_SESSION_LIMIT_REACHED", true, "No more share sessions can be opened."},
});

constexpr bool sortedAndUnique() {
    for (std::size_t i = 1; i < kErrors.size(); ++i)
        if (kErrors[i - 1].code >= kErrors[i].code) return false;
    return true;
}
static_assert(sortedAndUnique(), "findError() binary-searches the table");
static_assert(kErrors.front().code == code(ErrorCode::UnknownServerError));
static_assert(kErrors.back().code == code(ErrorCode::ShareSessionLimitReached));

}  // namespace

const ErrorInfo* findError(int16_t code) {
    auto it = std::lower_bound(kErrors.begin(), kErrors.end(), code,
                               [](const ErrorInfo& e, int16_t c) { return e.code < c; });
    if (it == kErrors.end() || it->code != code) return nullptr;
    return &*it;
}

std::string_view errorName(int16_t code) {
    if (const ErrorInfo* info = findError(code)) return info->name;
    return "UNKNOWN_SERVER_ERROR";
}

std::span<const ErrorInfo> allErrors() {
    return kErrors;
}

}  // namespace partita::protocol
