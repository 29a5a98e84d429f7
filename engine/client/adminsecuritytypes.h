// Plain structs and Kafka's enums (with their names) for the Admin client's ACL and SCRAM operations.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace partita::client {

// The codes Kafka uses on the wire (org.apache.kafka.common.resource / acl).
enum class AclResourceType : int8_t {
    Unknown = 0,
    Any = 1,
    Topic = 2,
    Group = 3,
    Cluster = 4,
    TransactionalId = 5,
    DelegationToken = 6,
    User = 7,
};

enum class AclPatternType : int8_t { Unknown = 0, Any = 1, Match = 2, Literal = 3, Prefixed = 4 };

enum class AclOperation : int8_t {
    Unknown = 0,
    Any = 1,
    All = 2,
    Read = 3,
    Write = 4,
    Create = 5,
    Delete = 6,
    Alter = 7,
    Describe = 8,
    ClusterAction = 9,
    DescribeConfigs = 10,
    AlterConfigs = 11,
    IdempotentWrite = 12,
    CreateTokens = 13,
    DescribeTokens = 14,
    TwoPhaseCommit = 15,
};

enum class AclPermission : int8_t { Unknown = 0, Any = 1, Deny = 2, Allow = 3 };

// Kafka's names ("TOPIC", "PREFIXED", "DESCRIBE_CONFIGS", "ALLOW"); "UNKNOWN" for other codes.
const char* aclResourceTypeName(AclResourceType type);
const char* aclPatternTypeName(AclPatternType type);
const char* aclOperationName(AclOperation operation);
const char* aclPermissionName(AclPermission permission);
// The reverse, case-insensitive, also accepting "-" or " " for "_" ("describe-configs"); nullopt
// for an unknown name.
std::optional<AclResourceType> parseAclResourceType(std::string_view name);
std::optional<AclPatternType> parseAclPatternType(std::string_view name);
std::optional<AclOperation> parseAclOperation(std::string_view name);
std::optional<AclPermission> parseAclPermission(std::string_view name);

// The operations set in an authorized-operations bit field (bit n for operation code n);
// nullopt for Kafka's "not requested" value (INT32_MIN).
std::optional<std::vector<AclOperation>> authorizedOperationsFromBits(int32_t bits);

struct AclBinding {
    AclResourceType resourceType = AclResourceType::Topic;
    std::string resourceName;
    AclPatternType patternType = AclPatternType::Literal;
    std::string principal;  // "User:alice"
    std::string host = "*";
    AclOperation operation = AclOperation::All;
    AclPermission permission = AclPermission::Allow;
    friend bool operator==(const AclBinding&, const AclBinding&) = default;
};

// Matches bindings; unset names and Any codes match everything.
struct AclBindingFilter {
    AclResourceType resourceType = AclResourceType::Any;
    std::optional<std::string> resourceName;
    AclPatternType patternType = AclPatternType::Any;
    std::optional<std::string> principal;
    std::optional<std::string> host;
    AclOperation operation = AclOperation::Any;
    AclPermission permission = AclPermission::Any;
};

struct AclCreationResult {
    AclBinding binding;
    Status status;
};

struct AclDeletionResult {
    AclBindingFilter filter;
    Status status;
    std::vector<AclBinding> deleted;  // the bindings the filter matched and removed
    std::vector<Error> failures;      // matching bindings that could not be removed
};

enum class ScramMechanism : int8_t { Unknown = 0, ScramSha256 = 1, ScramSha512 = 2 };
const char* scramMechanismName(ScramMechanism mechanism);  // "SCRAM-SHA-256"
std::optional<ScramMechanism> parseScramMechanism(std::string_view name);

struct ScramCredentialInfo {
    ScramMechanism mechanism = ScramMechanism::Unknown;
    int32_t iterations = 0;
};

struct UserScramCredentials {
    std::string user;
    Status status;  // RESOURCE_NOT_FOUND for a user without credentials
    std::vector<ScramCredentialInfo> credentials;
};

// Sets a user's password for one mechanism. The salt and salted password are computed here; the
// password never leaves the process.
struct ScramUpsertion {
    std::string user;
    ScramMechanism mechanism = ScramMechanism::ScramSha256;
    int32_t iterations = 4096;  // Kafka accepts 4096 to 16384
    std::string password;       // secret: never logged
};

struct ScramDeletion {
    std::string user;
    ScramMechanism mechanism = ScramMechanism::ScramSha256;
};

}  // namespace partita::client
