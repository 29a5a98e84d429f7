// Topic and broker configs as DescribeConfigs and CreateTopics report them, and topic override updates for the alter
// APIs.
#include "engine/broker/configentries.h"

#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/storage/logmanager.h"
#include "engine/storage/partitionlog.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace partita::broker {

using protocol::ErrorCode;

namespace {

// Kafka's DescribeConfigsResponse.ConfigType ids.
int8_t responseType(storage::ConfigType type, bool isShort) {
    switch (type) {
        case storage::ConfigType::Boolean:
            return 1;
        case storage::ConfigType::String:
            return 2;
        case storage::ConfigType::Int:
            return isShort ? 4 : 3;
        case storage::ConfigType::Long:
            return 5;
        case storage::ConfigType::Double:
            return 6;
        case storage::ConfigType::List:
            return 7;
        case storage::ConfigType::Class:
            return 8;
        case storage::ConfigType::Password:
            return 9;
    }
    return 0;
}

// Broker settings that are one setting under several names (Kafka's DynamicBrokerConfig synonyms), the
// most precise unit first. Every other broker config is its own only synonym.
constexpr std::array<std::array<std::string_view, 3>, 4> kSynonymGroups{{
    {"log.retention.ms", "log.retention.minutes", "log.retention.hours"},
    {"log.roll.ms", "log.roll.hours", ""},
    {"log.roll.jitter.ms", "log.roll.jitter.hours", ""},
    {"log.flush.interval.ms", "log.flush.scheduler.interval.ms", ""},
}};

std::vector<std::string_view> brokerSynonyms(std::string_view name) {
    for (const auto& group : kSynonymGroups) {
        if (std::find(group.begin(), group.end(), name) == group.end()) continue;
        std::vector<std::string_view> out;
        for (std::string_view n : group)
            if (!n.empty()) out.push_back(n);
        return out;
    }
    return {name};
}

// The broker-level sources of a setting, as Kafka lists them: every synonym set in server.properties,
// then every synonym with a default, and nothing before the entry for `name` itself (describing
// log.retention.ms does not report a log.retention.hours that merely stands in for it).
std::vector<ConfigSynonymEntry> brokerSynonymEntries(const BrokerConfig& config, std::string_view name,
                                                     bool sensitive) {
    std::vector<ConfigSynonymEntry> all;
    const auto names = brokerSynonyms(name);
    for (std::string_view n : names) {
        if (auto it = config.values.find(std::string(n)); it != config.values.end()) {
            all.push_back(
                {std::string(n), sensitive ? std::nullopt : std::optional(it->second), ConfigSource::StaticBroker});
        }
    }
    for (std::string_view n : names) {
        const BrokerConfigDef* def = findBrokerConfig(n);
        if (def != nullptr && def->hasDefault) {
            all.push_back({std::string(n), sensitive ? std::nullopt : std::optional(std::string(def->defaultValue)),
                           ConfigSource::Default});
        }
    }
    auto first = std::find_if(all.begin(), all.end(), [&](const ConfigSynonymEntry& s) { return s.name == name; });
    return {first, all.end()};
}

std::vector<ConfigEntry> describeTopic(const BrokerConfig& broker, const storage::LogConfig& effective,
                                       const std::map<std::string, std::string>& overrides) {
    std::vector<ConfigEntry> out;
    for (const storage::TopicConfigDef& def : storage::topicConfigDefs()) {
        ConfigEntry entry;
        entry.name = std::string(def.name);
        entry.sensitive = def.type == storage::ConfigType::Password;
        entry.type = responseType(def.type, false);
        if (!entry.sensitive) entry.value = storage::topicConfigValue(effective, def.name);
        if (!def.brokerName.empty()) entry.synonyms = brokerSynonymEntries(broker, def.brokerName, entry.sensitive);
        if (overrides.count(entry.name) != 0) {
            entry.synonyms.insert(entry.synonyms.begin(), {entry.name, entry.value, ConfigSource::DynamicTopic});
        }
        entry.source = entry.synonyms.empty() ? ConfigSource::Default : entry.synonyms.front().source;
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace

std::vector<ConfigEntry> describeTopicConfigs(BrokerContext& context, const std::string& topic) {
    std::map<std::string, std::string> overrides;
    if (auto info = context.metadata().topic(topic)) overrides = info->configs;
    return describeTopic(context.config(), context.topicLogConfig(topic), overrides);
}

std::vector<ConfigEntry> describeTopicConfigs(const BrokerConfig& config,
                                              const std::map<std::string, std::string>& overrides) {
    auto effective = storage::makeLogConfig(overrides, config.values);
    return describeTopic(config, effective ? *effective : config.defaultLogConfig, overrides);
}

std::vector<ConfigEntry> describeBrokerConfigs(const BrokerConfig& config) {
    std::vector<ConfigEntry> out;
    for (const BrokerConfigDef& def : brokerConfigDefs()) {
        ConfigEntry entry;
        entry.name = std::string(def.name);
        entry.sensitive = def.sensitive;
        entry.readOnly = def.update == BrokerConfigDef::Update::ReadOnly;
        entry.type = responseType(def.type, def.isShort);
        if (!entry.sensitive) entry.value = brokerConfigValue(config, def.name);
        entry.synonyms = brokerSynonymEntries(config, def.name, entry.sensitive);
        entry.source = entry.synonyms.empty() ? ConfigSource::Default : entry.synonyms.front().source;
        out.push_back(std::move(entry));
    }
    // Keys the table does not know (listener-scoped settings, plugin settings): Kafka cannot tell their type,
    // so it treats them as sensitive and shows no value.
    for (const auto& [name, value] : config.values) {
        if (findBrokerConfig(name) != nullptr) continue;
        ConfigEntry entry;
        entry.name = name;
        entry.sensitive = true;
        entry.readOnly = true;
        entry.source = ConfigSource::StaticBroker;
        entry.synonyms.push_back({name, std::nullopt, ConfigSource::StaticBroker});
        out.push_back(std::move(entry));
    }
    return out;
}

ApiError validateTopicOverrides(const BrokerContext& context, const std::map<std::string, std::string>& overrides) {
    for (const auto& [key, value] : overrides) {
        if (Status st = storage::validateTopicConfig(key, value); !st) {
            return apiError(ErrorCode::InvalidConfig, st.error().message);
        }
    }
    auto merged = storage::makeLogConfig(overrides, context.config().values);
    if (!merged) return apiError(ErrorCode::InvalidConfig, merged.error().message);
    return {};
}

ApiError replaceTopicOverrides(BrokerContext& context, const std::string& topic,
                               const std::map<std::string, std::string>& overrides) {
    if (Status st = context.metadata().setTopicConfigs(topic, overrides); !st) {
        return apiError(ErrorCode::UnknownServerError, st.error().message);
    }
    auto info = context.metadata().topic(topic);
    if (!info) return {};
    const storage::LogConfig config = context.topicLogConfig(topic);
    for (size_t p = 0; p < info->partitions.size(); ++p) {
        if (auto log = context.logs().getLog(topic, int32_t(p))) log->updateConfig(config);
    }
    return {};
}

ApiError refuseBrokerConfigUpdate(const BrokerContext& context, const std::string& resourceName,
                                  const std::vector<std::string>& keys) {
    if (!resourceName.empty()) {
        if (ApiError e = checkBrokerResourceName(context, resourceName); !e.ok()) return e;
    }
    if (keys.empty()) return {};
    std::string names;
    for (const auto& key : keys) names += (names.empty() ? "" : ", ") + key;
    return apiError(ErrorCode::InvalidRequest, "Invalid config value for resource ConfigResource(type=BROKER, name='" +
                                                   resourceName + "'): Cannot update these configs dynamically: Set(" +
                                                   names +
                                                   "); partitad has no dynamic broker configs: set them in "
                                                   "server.properties and restart the broker");
}

std::string resourceTypeName(int8_t type) {
    switch (static_cast<ResourceType>(type)) {
        case ResourceType::Unknown:
            return "UNKNOWN";
        case ResourceType::Topic:
            return "TOPIC";
        case ResourceType::Broker:
            return "BROKER";
        case ResourceType::BrokerLogger:
            return "BROKER_LOGGER";
        case ResourceType::ClientMetrics:
            return "CLIENT_METRICS";
        case ResourceType::Group:
            return "GROUP";
    }
    return "UNKNOWN";
}

ApiError checkTopicResourceName(const std::string& name) {
    return BrokerContext::validateTopicName(name);
}

ApiError checkBrokerResourceName(const BrokerContext& context, const std::string& name) {
    int32_t id = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (name.empty() || ec != std::errc() || end != name.data() + name.size()) {
        return apiError(ErrorCode::InvalidRequest, "Broker id must be an integer, but it is: " + name);
    }
    if (id != context.nodeId()) {
        return apiError(ErrorCode::InvalidRequest, "Unexpected broker id, expected " +
                                                       std::to_string(context.nodeId()) +
                                                       " or empty string, but received " + name);
    }
    return {};
}

}  // namespace partita::broker
