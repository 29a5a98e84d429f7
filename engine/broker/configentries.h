// Topic and broker configs as DescribeConfigs and CreateTopics report them, and topic override updates for the alter
// APIs.
#pragma once

#include "engine/broker/brokercontext.h"
#include "engine/protocol/errorcodes.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace partita::broker {

// Kafka's DescribeConfigsResponse.ConfigSource ids (CreateTopics uses the same).
enum class ConfigSource : int8_t {
    Unknown = 0,
    DynamicTopic = 1,
    DynamicBroker = 2,
    DynamicDefaultBroker = 3,
    StaticBroker = 4,
    Default = 5,
    DynamicBrokerLogger = 6,
};

// Kafka's ConfigResource.Type ids.
enum class ResourceType : int8_t {
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
    ClientMetrics = 16,
    Group = 32,
};

struct ConfigSynonymEntry {
    std::string name;
    std::optional<std::string> value;  // null when sensitive
    ConfigSource source;
};

struct ConfigEntry {
    std::string name;
    std::optional<std::string> value;  // null when sensitive or when the config has no value
    bool readOnly = false;
    bool sensitive = false;
    ConfigSource source = ConfigSource::Default;
    int8_t type = 0;  // Kafka's DescribeConfigsResponse.ConfigType id
    // Most specific first (topic override, then broker settings, then defaults), as Kafka lists them.
    std::vector<ConfigSynonymEntry> synonyms;
};

// Every topic config (storage::topicConfigDefs order) with its effective value and where it comes from.
std::vector<ConfigEntry> describeTopicConfigs(BrokerContext& context, const std::string& topic);
// The same for a topic that does not exist yet (CreateTopics with validateOnly).
std::vector<ConfigEntry> describeTopicConfigs(const BrokerContext& context,
                                              const std::map<std::string, std::string>& overrides);
// Every broker config of this node with the value in force and its source (this broker's dynamic configs, the
// dynamic defaults, server.properties, Kafka's default), plus the keys server.properties set that the table
// does not know.
std::vector<ConfigEntry> describeBrokerConfigs(const BrokerContext& context);
// The BROKER resource "": the cluster-wide dynamic defaults only, as Kafka lists them.
std::vector<ConfigEntry> describeDynamicDefaultConfigs(const BrokerContext& context);

// Checks a complete override set the way Kafka does before storing it: INVALID_CONFIG with the message.
ApiError validateTopicOverrides(const BrokerContext& context, const std::map<std::string, std::string>& overrides);
// Replaces the topic's overrides (persisted), then hands the new effective config to its open logs.
ApiError replaceTopicOverrides(BrokerContext& context, const std::string& topic,
                               const std::map<std::string, std::string>& overrides);

// AlterConfigs / IncrementalAlterConfigs on a BROKER resource (this node's id, or "" for the cluster-wide
// defaults): `change` edits the resource's current dynamic set, which is then checked as Kafka checks it
// (INVALID_REQUEST for a key that cannot change at runtime, INVALID_CONFIG for an unknown key or a bad value),
// stored unless validateOnly, and applied to every open log at once.
ApiError alterBrokerConfigs(BrokerContext& context, const std::string& resourceName,
                            const std::function<ApiError(std::map<std::string, std::string>&)>& change,
                            bool validateOnly);

// Kafka's printed name of a resource type, for messages ("TOPIC", "BROKER", ...).
std::string resourceTypeName(int8_t type);
// Kafka's Topic.validate for an existing-topic lookup: INVALID_TOPIC_EXCEPTION on a bad name.
ApiError checkTopicResourceName(const std::string& name);
// A BROKER / BROKER_LOGGER resource name: this node's id, else INVALID_REQUEST as Kafka answers.
ApiError checkBrokerResourceName(const BrokerContext& context, const std::string& name);

// AlterConfigs and IncrementalAlterConfigs answer each resource alike: a resource named twice in one
// request fails both times (Kafka's rule), any other gets what alter(resource) says.
template <class ResponseEntry, class Resource, class Alter>
std::vector<ResponseEntry> alterEachResource(const std::vector<Resource>& resources, Alter&& alter) {
    std::map<std::pair<int8_t, std::string>, int> seen;
    for (const auto& resource : resources) ++seen[{resource.resourceType, resource.resourceName}];
    std::vector<ResponseEntry> out;
    for (const auto& resource : resources) {
        ResponseEntry entry;
        entry.resourceType = resource.resourceType;
        entry.resourceName = resource.resourceName;
        ApiError error = seen[{resource.resourceType, resource.resourceName}] > 1
                             ? apiError(protocol::ErrorCode::InvalidRequest, "Duplicate resource.")
                             : alter(resource);
        entry.errorCode = error.code;
        entry.errorMessage = error.ok() ? std::nullopt : std::optional(error.message);
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace partita::broker
