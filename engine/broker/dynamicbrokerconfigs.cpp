// DynamicBrokerConfigs: the broker configs changed at runtime, their checks and their file in the data directory.
#include "engine/broker/dynamicbrokerconfigs.h"

#include "engine/broker/brokerconfig.h"
#include "engine/storage/filehandle.h"

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace partita::broker {

namespace {

// Scala's Set.toString, which Kafka's messages print ("Set(listeners, log.dirs)").
std::string scalaSet(const std::vector<std::string>& names) {
    std::string out = "Set(";
    for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : ", ") + names[i];
    return out + ")";
}

Result<std::map<std::string, std::string>> readLevel(const boost::json::object& root, std::string_view field) {
    std::map<std::string, std::string> out;
    const boost::json::value* level = root.if_contains(field);
    if (level == nullptr) return out;
    if (!level->is_object()) return makeError(ErrorKind::Malformed, "\"" + std::string(field) + "\" is not an object");
    for (const auto& [key, value] : level->as_object()) {
        if (!value.is_string()) {
            return makeError(ErrorKind::Malformed, "the value of " + std::string(key) + " is not a string");
        }
        out.emplace(std::string(key), std::string(value.as_string()));
    }
    return out;
}

boost::json::object toJson(const std::map<std::string, std::string>& configs) {
    boost::json::object out;
    for (const auto& [key, value] : configs) out[key] = value;
    return out;
}

}  // namespace

DynamicBrokerConfigs::DynamicBrokerConfigs(std::string path) : m_path(std::move(path)) {}

Status DynamicBrokerConfigs::load() {
    std::error_code exists;
    if (!std::filesystem::exists(m_path, exists) && !exists) return Status::success();
    std::ifstream in(m_path, std::ios::binary);
    if (!in) {
        return makeError(ErrorKind::Io,
                         "cannot read the dynamic broker configs " + m_path + ": " + std::strerror(errno));
    }
    std::stringstream text;
    text << in.rdbuf();
    auto fail = [&](const std::string& why) -> Status {
        return makeError(ErrorKind::Malformed, "the dynamic broker configs file " + m_path + " is corrupt: " + why);
    };
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(text.str(), ec);
    if (ec) return fail("not JSON (" + ec.message() + ")");
    if (!root.is_object()) return fail("not a JSON object");
    auto broker = readLevel(root.as_object(), "broker");
    if (!broker) return fail(broker.error().message);
    auto defaults = readLevel(root.as_object(), "clusterDefault");
    if (!defaults) return fail(defaults.error().message);
    // What the file holds was checked when it was stored; a hand-edited file gets the same checks.
    if (auto refusal = check(Level::Broker, *broker)) return fail(refusal->message);
    if (auto refusal = check(Level::ClusterDefault, *defaults)) return fail(refusal->message);
    std::lock_guard lock(m_mutex);
    m_broker = std::move(*broker);
    m_defaults = std::move(*defaults);
    return Status::success();
}

std::map<std::string, std::string> DynamicBrokerConfigs::current(Level level) const {
    std::lock_guard lock(m_mutex);
    return level == Level::Broker ? m_broker : m_defaults;
}

std::map<std::string, std::string> DynamicBrokerConfigs::effective(
    const std::map<std::string, std::string>& staticValues) const {
    std::map<std::string, std::string> out = staticValues;
    std::lock_guard lock(m_mutex);
    for (const auto& [key, value] : m_defaults) out[key] = value;
    for (const auto& [key, value] : m_broker) out[key] = value;
    return out;
}

Status DynamicBrokerConfigs::replace(Level level, std::map<std::string, std::string> configs) {
    std::lock_guard lock(m_mutex);
    const bool broker = level == Level::Broker;
    if (Status st = write(broker ? configs : m_broker, broker ? m_defaults : configs); !st) return st;
    (broker ? m_broker : m_defaults) = std::move(configs);
    return Status::success();
}

Status DynamicBrokerConfigs::write(const std::map<std::string, std::string>& broker,
                                   const std::map<std::string, std::string>& defaults) const {
    boost::json::object root;
    root["version"] = 1;
    root["broker"] = toJson(broker);
    root["clusterDefault"] = toJson(defaults);
    const std::string text = boost::json::serialize(root) + "\n";
    return storage::writeFileAtomically(m_path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

bool DynamicBrokerConfigs::isDynamic(std::string_view name) {
    const BrokerConfigDef* def = findBrokerConfig(name);
    return def != nullptr && def->update != BrokerConfigDef::Update::ReadOnly && !def->sensitive &&
           feedsTopicDefaults(name);
}

std::optional<DynamicBrokerConfigs::Refusal> DynamicBrokerConfigs::check(
    Level level, const std::map<std::string, std::string>& configs) {
    // Kafka's order: keys that cannot change at runtime first, then the values.
    std::vector<std::string> unknown, readOnly, notLive, perBroker;
    for (const auto& [key, value] : configs) {
        const BrokerConfigDef* def = findBrokerConfig(key);
        if (def == nullptr) {
            // Listener-scoped and plugin keys are broker configs Kafka knows, just not ones partitad can apply.
            if (Status st = validateBrokerConfigValue(key, value); !st) {
                unknown.push_back(key);
            } else {
                notLive.push_back(key);
            }
        } else if (def->update == BrokerConfigDef::Update::ReadOnly) {
            readOnly.push_back(key);
        } else if (!isDynamic(key)) {
            notLive.push_back(key);
        } else if (level == Level::ClusterDefault && def->update == BrokerConfigDef::Update::PerBroker) {
            perBroker.push_back(key);
        }
    }
    if (!unknown.empty()) return Refusal{false, "Unknown broker configs: " + scalaSet(unknown)};
    if (!readOnly.empty()) return Refusal{true, "Cannot update these configs dynamically: " + scalaSet(readOnly)};
    if (!notLive.empty()) {
        // Kafka could change these at runtime; partitad reads them only when it starts.
        return Refusal{true, "Cannot update these configs dynamically: " + scalaSet(notLive) +
                                 " (partitad applies them only at start: set them in server.properties and restart)"};
    }
    if (!perBroker.empty()) {
        return Refusal{true, "Cannot update these configs at default cluster level, broker id must be specified: " +
                                 scalaSet(perBroker)};
    }
    for (const auto& [key, value] : configs) {
        if (Status st = validateBrokerConfigValue(key, value); !st) return Refusal{false, st.error().message};
    }
    return std::nullopt;
}

}  // namespace partita::broker
