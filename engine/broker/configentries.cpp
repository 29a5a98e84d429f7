// Topic and broker configs as DescribeConfigs and CreateTopics report them, and topic override updates for the alter
// APIs.
#include "engine/broker/configentries.h"

#include "engine/broker/dynamicbrokerconfigs.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/storage/logmanager.h"
#include "engine/storage/partitionlog.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <mutex>
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

// Where a broker setting can come from, most specific first (Kafka's DynamicBrokerConfig layers).
struct BrokerSources {
    std::map<std::string, std::string> dynamicBroker;
    std::map<std::string, std::string> dynamicDefault;
    const std::map<std::string, std::string>& staticValues;
};

BrokerSources brokerSources(const BrokerContext& context) {
    const DynamicBrokerConfigs& dynamic = context.dynamicConfigs();
    return {dynamic.current(DynamicBrokerConfigs::Level::Broker),
            dynamic.current(DynamicBrokerConfigs::Level::ClusterDefault), context.config().values};
}

// The broker-level sources of a setting, as Kafka lists them: source by source (this broker's dynamic configs,
// the dynamic defaults, server.properties), every synonym set there, then every synonym with a default, and
// nothing before the entry for `name` itself (describing log.retention.ms does not report a
// log.retention.hours that merely stands in for it).
std::vector<ConfigSynonymEntry> brokerSynonymEntries(const BrokerSources& sources, std::string_view name,
                                                     bool sensitive) {
    std::vector<ConfigSynonymEntry> all;
    const auto names = brokerSynonyms(name);
    auto add = [&](const std::map<std::string, std::string>& values, ConfigSource source) {
        for (std::string_view n : names) {
            if (auto it = values.find(std::string(n)); it != values.end()) {
                all.push_back({std::string(n), sensitive ? std::nullopt : std::optional(it->second), source});
            }
        }
    };
    add(sources.dynamicBroker, ConfigSource::DynamicBroker);
    add(sources.dynamicDefault, ConfigSource::DynamicDefaultBroker);
    add(sources.staticValues, ConfigSource::StaticBroker);
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

std::vector<ConfigEntry> describeTopic(const BrokerSources& broker, const storage::LogConfig& effective,
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
    return describeTopic(brokerSources(context), context.topicLogConfig(topic), overrides);
}

std::vector<ConfigEntry> describeTopicConfigs(const BrokerContext& context,
                                              const std::map<std::string, std::string>& overrides) {
    auto effective = storage::makeLogConfig(overrides, context.effectiveValues());
    return describeTopic(brokerSources(context), effective ? *effective : context.defaultLogConfig(), overrides);
}

std::vector<ConfigEntry> describeBrokerConfigs(const BrokerContext& context) {
    const BrokerSources sources = brokerSources(context);
    BrokerConfig config = context.config();
    config.values = context.effectiveValues();
    std::vector<ConfigEntry> out;
    for (const BrokerConfigDef& def : brokerConfigDefs()) {
        ConfigEntry entry;
        entry.name = std::string(def.name);
        entry.sensitive = def.sensitive;
        // Read-only unless partitad applies it at runtime: a panel then offers only what an alter accepts.
        entry.readOnly = !DynamicBrokerConfigs::isDynamic(def.name);
        entry.type = responseType(def.type, def.isShort);
        if (!entry.sensitive) entry.value = brokerConfigValue(config, def.name);
        entry.synonyms = brokerSynonymEntries(sources, def.name, entry.sensitive);
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
    auto merged = storage::makeLogConfig(overrides, context.effectiveValues());
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

std::vector<ConfigEntry> describeDynamicDefaultConfigs(const BrokerContext& context) {
    BrokerSources sources = brokerSources(context);
    sources.dynamicBroker.clear();  // the defaults level does not see one broker's own settings
    std::vector<ConfigEntry> out;
    for (const auto& [name, value] : sources.dynamicDefault) {
        const BrokerConfigDef* def = findBrokerConfig(name);
        ConfigEntry entry;
        entry.name = name;
        entry.sensitive = def == nullptr || def->sensitive;
        entry.readOnly = !DynamicBrokerConfigs::isDynamic(name);
        entry.type = def == nullptr ? int8_t(0) : responseType(def->type, def->isShort);
        if (!entry.sensitive) entry.value = value;
        entry.synonyms = brokerSynonymEntries(sources, name, entry.sensitive);
        entry.source = ConfigSource::DynamicDefaultBroker;
        out.push_back(std::move(entry));
    }
    return out;
}

ApiError alterBrokerConfigs(BrokerContext& context, const std::string& resourceName,
                            const std::function<ApiError(std::map<std::string, std::string>&)>& change,
                            bool validateOnly) {
    if (!resourceName.empty()) {
        if (ApiError e = checkBrokerResourceName(context, resourceName); !e.ok()) return e;
    }
    using Level = DynamicBrokerConfigs::Level;
    const Level level = resourceName.empty() ? Level::ClusterDefault : Level::Broker;
    DynamicBrokerConfigs& dynamic = context.dynamicConfigs();
    std::lock_guard lock(dynamic.alterMutex());
    std::map<std::string, std::string> configs = dynamic.current(level);
    if (ApiError e = change(configs); !e.ok()) return e;
    if (auto refusal = DynamicBrokerConfigs::check(level, configs)) {
        // Kafka's wording for a broker config it refuses to apply.
        return apiError(refusal->invalidRequest ? ErrorCode::InvalidRequest : ErrorCode::InvalidConfig,
                        "Invalid config value for resource ConfigResource(type=BROKER, name='" + resourceName +
                            "'): " + refusal->message);
    }
    // The new set together with everything else in force must still make a valid topic default.
    std::map<std::string, std::string> merged = context.config().values;
    const auto other = dynamic.current(level == Level::Broker ? Level::ClusterDefault : Level::Broker);
    const auto& defaults = level == Level::Broker ? other : configs;
    const auto& broker = level == Level::Broker ? configs : other;
    for (const auto& [key, value] : defaults) merged[key] = value;
    for (const auto& [key, value] : broker) merged[key] = value;
    if (auto logConfig = storage::makeLogConfig({}, merged); !logConfig) {
        return apiError(ErrorCode::InvalidConfig,
                        "Invalid config value for resource ConfigResource(type=BROKER, "
                        "name='" +
                            resourceName + "'): " + logConfig.error().message);
    }
    if (validateOnly) return {};
    if (Status st = dynamic.replace(level, std::move(configs)); !st) {
        return apiError(ErrorCode::UnknownServerError,
                        "Storing the dynamic broker configs failed: " + st.error().message);
    }
    context.applyDynamicConfigs();
    return {};
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
