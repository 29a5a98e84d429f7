// Kafka's printed names of the Admin enums (configs, ACLs, SCRAM) and their parsing.
#include "engine/client/adminsecuritytypes.h"
#include "engine/client/admintypes.h"

#include <array>
#include <cctype>
#include <climits>
#include <utility>

namespace partita::client {

namespace {

template <class E, size_t N>
const char* nameIn(const std::array<std::pair<E, const char*>, N>& table, E value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "UNKNOWN";
}

// Case-insensitive, '-' and ' ' count as '_' ("describe-configs" finds DESCRIBE_CONFIGS).
bool sameName(std::string_view given, std::string_view name) {
    if (given.size() != name.size()) return false;
    for (size_t i = 0; i < given.size(); ++i) {
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(given[i])));
        if (c == '-' || c == ' ') c = '_';
        if (c != name[i]) return false;
    }
    return true;
}

template <class E, size_t N>
std::optional<E> parseIn(const std::array<std::pair<E, const char*>, N>& table, std::string_view given) {
    for (const auto& [v, name] : table)
        if (sameName(given, name)) return v;
    return std::nullopt;
}

constexpr std::array<std::pair<ConfigResourceType, const char*>, 6> kResourceTypes{{
    {ConfigResourceType::Unknown, "UNKNOWN"},
    {ConfigResourceType::Topic, "TOPIC"},
    {ConfigResourceType::Broker, "BROKER"},
    {ConfigResourceType::BrokerLogger, "BROKER_LOGGER"},
    {ConfigResourceType::ClientMetrics, "CLIENT_METRICS"},
    {ConfigResourceType::Group, "GROUP"},
}};

constexpr std::array<std::pair<ConfigSource, const char*>, 9> kSources{{
    {ConfigSource::Unknown, "UNKNOWN"},
    {ConfigSource::DynamicTopicConfig, "DYNAMIC_TOPIC_CONFIG"},
    {ConfigSource::DynamicBrokerConfig, "DYNAMIC_BROKER_CONFIG"},
    {ConfigSource::DynamicDefaultBrokerConfig, "DYNAMIC_DEFAULT_BROKER_CONFIG"},
    {ConfigSource::StaticBrokerConfig, "STATIC_BROKER_CONFIG"},
    {ConfigSource::DefaultConfig, "DEFAULT_CONFIG"},
    {ConfigSource::DynamicBrokerLoggerConfig, "DYNAMIC_BROKER_LOGGER_CONFIG"},
    {ConfigSource::ClientMetricsConfig, "CLIENT_METRICS_CONFIG"},
    {ConfigSource::GroupConfig, "GROUP_CONFIG"},
}};

constexpr std::array<std::pair<ConfigType, const char*>, 10> kTypes{{
    {ConfigType::Unknown, "UNKNOWN"},
    {ConfigType::Boolean, "BOOLEAN"},
    {ConfigType::String, "STRING"},
    {ConfigType::Int, "INT"},
    {ConfigType::Short, "SHORT"},
    {ConfigType::Long, "LONG"},
    {ConfigType::Double, "DOUBLE"},
    {ConfigType::List, "LIST"},
    {ConfigType::Class, "CLASS"},
    {ConfigType::Password, "PASSWORD"},
}};

constexpr std::array<std::pair<ConfigOpType, const char*>, 4> kOps{{
    {ConfigOpType::Set, "SET"},
    {ConfigOpType::Delete, "DELETE"},
    {ConfigOpType::Append, "APPEND"},
    {ConfigOpType::Subtract, "SUBTRACT"},
}};

constexpr std::array<std::pair<AclResourceType, const char*>, 8> kAclResourceTypes{{
    {AclResourceType::Unknown, "UNKNOWN"},
    {AclResourceType::Any, "ANY"},
    {AclResourceType::Topic, "TOPIC"},
    {AclResourceType::Group, "GROUP"},
    {AclResourceType::Cluster, "CLUSTER"},
    {AclResourceType::TransactionalId, "TRANSACTIONAL_ID"},
    {AclResourceType::DelegationToken, "DELEGATION_TOKEN"},
    {AclResourceType::User, "USER"},
}};

constexpr std::array<std::pair<AclPatternType, const char*>, 5> kAclPatternTypes{{
    {AclPatternType::Unknown, "UNKNOWN"},
    {AclPatternType::Any, "ANY"},
    {AclPatternType::Match, "MATCH"},
    {AclPatternType::Literal, "LITERAL"},
    {AclPatternType::Prefixed, "PREFIXED"},
}};

constexpr std::array<std::pair<AclOperation, const char*>, 16> kAclOperations{{
    {AclOperation::Unknown, "UNKNOWN"},
    {AclOperation::Any, "ANY"},
    {AclOperation::All, "ALL"},
    {AclOperation::Read, "READ"},
    {AclOperation::Write, "WRITE"},
    {AclOperation::Create, "CREATE"},
    {AclOperation::Delete, "DELETE"},
    {AclOperation::Alter, "ALTER"},
    {AclOperation::Describe, "DESCRIBE"},
    {AclOperation::ClusterAction, "CLUSTER_ACTION"},
    {AclOperation::DescribeConfigs, "DESCRIBE_CONFIGS"},
    {AclOperation::AlterConfigs, "ALTER_CONFIGS"},
    {AclOperation::IdempotentWrite, "IDEMPOTENT_WRITE"},
    {AclOperation::CreateTokens, "CREATE_TOKENS"},
    {AclOperation::DescribeTokens, "DESCRIBE_TOKENS"},
    {AclOperation::TwoPhaseCommit, "TWO_PHASE_COMMIT"},
}};

constexpr std::array<std::pair<AclPermission, const char*>, 4> kAclPermissions{{
    {AclPermission::Unknown, "UNKNOWN"},
    {AclPermission::Any, "ANY"},
    {AclPermission::Deny, "DENY"},
    {AclPermission::Allow, "ALLOW"},
}};

constexpr std::array<std::pair<ScramMechanism, const char*>, 3> kScramMechanisms{{
    {ScramMechanism::Unknown, "UNKNOWN"},
    {ScramMechanism::ScramSha256, "SCRAM-SHA-256"},
    {ScramMechanism::ScramSha512, "SCRAM-SHA-512"},
}};

}  // namespace

const char* configResourceTypeName(ConfigResourceType type) {
    return nameIn(kResourceTypes, type);
}
const char* configSourceName(ConfigSource source) {
    return nameIn(kSources, source);
}
const char* configTypeName(ConfigType type) {
    return nameIn(kTypes, type);
}
const char* configOpTypeName(ConfigOpType op) {
    return nameIn(kOps, op);
}

const char* aclResourceTypeName(AclResourceType type) {
    return nameIn(kAclResourceTypes, type);
}
const char* aclPatternTypeName(AclPatternType type) {
    return nameIn(kAclPatternTypes, type);
}
const char* aclOperationName(AclOperation operation) {
    return nameIn(kAclOperations, operation);
}
const char* aclPermissionName(AclPermission permission) {
    return nameIn(kAclPermissions, permission);
}

std::optional<AclResourceType> parseAclResourceType(std::string_view name) {
    return parseIn(kAclResourceTypes, name);
}
std::optional<AclPatternType> parseAclPatternType(std::string_view name) {
    return parseIn(kAclPatternTypes, name);
}
std::optional<AclOperation> parseAclOperation(std::string_view name) {
    return parseIn(kAclOperations, name);
}
std::optional<AclPermission> parseAclPermission(std::string_view name) {
    return parseIn(kAclPermissions, name);
}

std::optional<std::vector<AclOperation>> authorizedOperationsFromBits(int32_t bits) {
    if (bits == INT32_MIN) return std::nullopt;
    std::vector<AclOperation> operations;
    for (const auto& [op, name] : kAclOperations) {
        const int bit = static_cast<int>(op);
        if (bit < 31 && (bits & (int32_t{1} << bit)) != 0) operations.push_back(op);
    }
    return operations;
}

const char* scramMechanismName(ScramMechanism mechanism) {
    return nameIn(kScramMechanisms, mechanism);
}

std::optional<ScramMechanism> parseScramMechanism(std::string_view name) {
    // Accept the wire spelling and the enum-ish one ("scram_sha_256").
    for (const auto& [v, wire] : kScramMechanisms) {
        std::string_view w = wire;
        if (name.size() != w.size()) continue;
        bool same = true;
        for (size_t i = 0; i < name.size() && same; ++i) {
            char c = static_cast<char>(std::toupper(static_cast<unsigned char>(name[i])));
            if (c == '_') c = '-';
            same = c == w[i];
        }
        if (same && v != ScramMechanism::Unknown) return v;
    }
    return std::nullopt;
}

}  // namespace partita::client
