// BrokerConfig: value validation, cross-config checks and the parsed BrokerConfig (the table is in
// brokerconfigdefs.cpp).
#include "engine/broker/brokerconfig.h"

#include "engine/storage/configsyntax.h"
#include "engine/storage/javanumbers.h"

#include "engine/protocol/propertiesfile.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <system_error>
#include <utility>

namespace partita::broker {
namespace {

// The metadata/IBP version list, kept once in the table (the rule of inter.broker.protocol.version).
std::string_view metadataVersions() {
    return findBrokerConfig("inter.broker.protocol.version")->validValues;
}

using storage::ConfigType;
using storage::invalidConfigValue;
using storage::isRegexSpace;
using storage::javaTrim;
using storage::joinList;
using Value = storage::ConfigValue;
using storage::javaDouble;
using storage::parseJavaDouble;
using storage::parseJavaInteger;
using Update = BrokerConfigDef::Update;

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// The listener names Kafka maps by default, plus CONTROLLER, which KRaft sample configs use without mapping it.
constexpr std::string_view kDefaultProtocolMap =
    "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT";
constexpr std::array<std::string_view, 4> kSecurityProtocols{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"};

Error invalidConfig(std::string message) {
    return makeError(ErrorKind::InvalidArgument, std::move(message));
}

std::string_view regexTrim(std::string_view s) {
    while (!s.empty() && isRegexSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isRegexSpace(s.back())) s.remove_suffix(1);
    return s;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Kafka's list syntax, String.split("\\s*,\\s*") on the trimmed value: empty is an empty list, empty items
// stay except trailing ones (Java's split drops those).
std::vector<std::string> splitList(std::string_view trimmed) {
    std::vector<std::string> items;
    if (trimmed.empty()) return items;
    size_t start = 0;
    while (true) {
        size_t comma = trimmed.find(',', start);
        items.emplace_back(
            regexTrim(trimmed.substr(start, comma == std::string_view::npos ? trimmed.npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    while (!items.empty() && items.back().empty()) items.pop_back();
    return items;
}

Result<Value> parseTyped(std::string_view key, const BrokerConfigDef& def, std::string_view raw) {
    std::string_view trimmed = javaTrim(raw);
    Value value;
    switch (def.type) {
        case ConfigType::Boolean: {
            std::string word = lower(trimmed);
            if (word != "true" && word != "false")
                return invalidConfigValue(key, raw, "Expected value to be either true or false");
            value.boolean = word == "true";
            break;
        }
        case ConfigType::Int:
        case ConfigType::Long: {
            int64_t min = def.isShort                   ? std::numeric_limits<int16_t>::min()
                          : def.type == ConfigType::Int ? kInt32Min
                                                        : kInt64Min;
            int64_t max = def.isShort                   ? std::numeric_limits<int16_t>::max()
                          : def.type == ConfigType::Int ? kInt32Max
                                                        : kInt64Max;
            auto parsed = parseJavaInteger(trimmed, min, max);
            if (!parsed) {
                const char* rule = def.isShort                   ? "Not a number of type SHORT"
                                   : def.type == ConfigType::Int ? "Not a number of type INT"
                                                                 : "Not a number of type LONG";
                return invalidConfigValue(key, raw, rule);
            }
            value.number = *parsed;
            break;
        }
        case ConfigType::Double: {
            auto parsed = parseJavaDouble(trimmed);
            if (!parsed || std::isnan(*parsed)) return invalidConfigValue(key, raw, "Not a number of type DOUBLE");
            value.real = *parsed;
            break;
        }
        case ConfigType::List:
            value.list = splitList(trimmed);
            break;
        case ConfigType::String:
        case ConfigType::Password:
        case ConfigType::Class:
            value.text = std::string(trimmed);
            break;
    }
    return value;
}

// What MetadataVersion.fromVersionString accepts: a full version ("3.7-IV4"), a released one ("3.7"), or either
// with more dot-separated parts ("3.7.1", "0.10.2.1").
bool isMetadataVersion(std::string_view version) {
    std::vector<std::string> known = splitList(metadataVersions().substr(1, metadataVersions().size() - 2));
    size_t keep = version.starts_with("0.") ? 3 : 2;
    size_t end = 0;
    for (size_t segment = 0; segment < keep; ++segment) {
        end = version.find('.', segment == 0 ? 0 : end + 1);
        if (end == std::string_view::npos) break;
    }
    std::string_view key = end == std::string_view::npos ? version : version.substr(0, end);
    for (size_t i = 0; i < known.size(); ++i) {
        std::string_view full = known[i];
        if (key == full) return true;
        if (i + 1 < known.size() && key == full.substr(0, full.find('-'))) return true;
    }
    return false;
}

// "[a,...]", "[a,...,b]" and "[a,...,b] or -1" as numbers; nullopt for a rule of another shape.
struct Range {
    int64_t min;
    std::optional<int64_t> max;
    bool orMinusOne;
};

std::optional<Range> parseRange(std::string_view rule) {
    if (!rule.starts_with('[') || rule.find(",...") == std::string_view::npos) return std::nullopt;
    Range range{0, std::nullopt, false};
    if (rule.ends_with(" or -1")) {
        range.orMinusOne = true;
        rule.remove_suffix(6);
    }
    rule = rule.substr(1, rule.size() - 2);  // inside the brackets
    size_t dots = rule.find(",...");
    range.min = parseJavaInteger(rule.substr(0, dots), kInt64Min, kInt64Max).value_or(0);
    std::string_view rest = rule.substr(dots + 4);
    if (rest.starts_with(',')) range.max = parseJavaInteger(rest.substr(1), kInt64Min, kInt64Max);
    return range;
}

std::optional<std::pair<std::string, int32_t>> parseHostPort(std::string_view address);

// Kafka's validator for the definition's rule, worded as Kafka words each failure.
Status checkRule(std::string_view key, const BrokerConfigDef& def, const Value& value) {
    std::string_view rule = def.validValues;
    if (rule.empty() || rule == "non-null string") return Status::success();
    if (rule == "non-empty string") {
        if (value.text.empty()) return invalidConfigValue(key, value.text, "String must be non-empty");
        return Status::success();
    }
    if (rule == "non-empty list") {  // controller.quorum.voters: {id}@{host}:{port} entries
        for (const std::string& entry : value.list) {
            size_t at = entry.find('@');
            if (at == std::string::npos || entry.find('@', at + 1) != std::string::npos ||
                !parseJavaInteger(entry.substr(0, at), kInt32Min, kInt32Max) || !parseHostPort(entry.substr(at + 1)))
                return invalidConfigValue(key, joinList(value.list, ","),
                                          "Each entry should be in the form `{id}@{host}:{port}`, not `" + entry + "`");
        }
        return Status::success();
    }
    if (rule == metadataVersions()) {
        if (!isMetadataVersion(value.text))
            return invalidConfigValue(key, value.text, "Version " + value.text + " is not a valid version");
        return Status::success();
    }
    if (auto range = parseRange(rule)) {
        const bool real = def.type == ConfigType::Double;
        auto below = [&](int64_t bound) { return real ? value.real < double(bound) : value.number < bound; };
        auto above = [&](int64_t bound) { return real ? value.real > double(bound) : value.number > bound; };
        std::string shown = real ? javaDouble(value.real) : std::to_string(value.number);
        if (range->orMinusOne) {
            if (!real && value.number == -1) return Status::success();
            if (below(range->min) || (range->max && above(*range->max)))
                return invalidConfigValue(key, shown,
                                          "Value must be between " + std::to_string(range->min) + " and " +
                                              std::to_string(range->max.value_or(0)) + " or equal to -1");
            return Status::success();
        }
        if (below(range->min))
            return invalidConfigValue(key, shown, "Value must be at least " + std::to_string(range->min));
        if (range->max && above(*range->max))
            return invalidConfigValue(key, shown, "Value must be no more than " + std::to_string(*range->max));
        return Status::success();
    }
    // "[a, b, c]": the value (or each list item) must be one of them.
    std::vector<std::string> choices = splitList(rule.substr(1, rule.size() - 2));
    auto allowed = [&](const std::string& item) {
        return std::find(choices.begin(), choices.end(), item) != choices.end();
    };
    const std::string oneOf = "String must be one of: " + joinList(choices, ", ");
    if (def.type == ConfigType::List) {
        for (const std::string& item : value.list)
            if (!allowed(item)) return invalidConfigValue(key, item, oneOf);
    } else if (!allowed(value.text)) {
        return invalidConfigValue(key, value.text, oneOf);
    }
    return Status::success();
}

// Utils.getHost/getPort: "[::1]:9092", "host:9092", optionally after "scheme://".
std::optional<std::pair<std::string, int32_t>> parseHostPort(std::string_view address) {
    if (size_t scheme = address.find("://"); scheme != std::string_view::npos) address.remove_prefix(scheme + 3);
    size_t colon = address.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view host = address.substr(0, colon);
    if (host.starts_with('[')) host.remove_prefix(1);
    if (host.ends_with(']')) host.remove_suffix(1);
    auto port = parseJavaInteger(address.substr(colon + 1), 0, 65535);
    if (host.empty() || !port || address[colon + 1] == '+' || address[colon + 1] == '-') return std::nullopt;
    for (char c : host)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_' && c != '%' && c != ':')
            return std::nullopt;
    return std::pair<std::string, int32_t>(std::string(host), static_cast<int32_t>(*port));
}

// One endpoint of a listener list before its security protocol is known.
struct Endpoint {
    std::string name;  // normalised (upper case)
    std::string host;
    uint16_t port = 0;
};

// EndPoint.createEndPoint's syntax: NAME://host:port, NAME://[ipv6]:port, or NAME://:port for every interface.
Result<std::vector<Endpoint>> parseEndpoints(std::string_view key, std::string_view value) {
    std::vector<Endpoint> endpoints;
    for (const std::string& entry : splitList(javaTrim(value))) {
        if (entry.empty()) continue;
        auto fail = [&] {
            return invalidConfigValue(key, value,
                                      "Unable to parse " + entry + " to a broker endpoint (NAME://host:port)");
        };
        size_t scheme = entry.rfind("://");
        if (scheme == std::string::npos || scheme == 0) return fail();
        std::string_view rest = std::string_view(entry).substr(scheme + 3);
        size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) return fail();
        std::string_view host = rest.substr(0, colon);
        if (host.starts_with('[')) host.remove_prefix(1);
        if (host.ends_with(']')) host.remove_suffix(1);
        for (char c : host)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '%' && c != '.' && c != '_' &&
                c != ':')
                return fail();
        std::string_view portText = rest.substr(colon + 1);
        if (portText.empty() || portText.front() == '+') return fail();
        auto port = parseJavaInteger(portText, kInt64Min, kInt64Max);
        if (!port) return fail();
        if (*port < 0 || *port > 65535)
            return invalidConfigValue(key, value,
                                      "Port " + std::string(portText) + " of " + entry + " is not in [0,...,65535]");
        endpoints.push_back(Endpoint{upper(std::string_view(entry).substr(0, scheme)), std::string(host),
                                     static_cast<uint16_t>(*port)});
    }
    return endpoints;
}

// listener.security.protocol.map: NAME:PROTOCOL pairs, split at the last colon as CoreUtils.parseCsvMap does.
Result<std::map<std::string, std::string>> parseProtocolMap(std::string_view key, std::string_view value) {
    std::map<std::string, std::string> map;
    std::string_view trimmed = javaTrim(value);
    if (trimmed.empty()) return map;
    for (const std::string& entry : splitList(trimmed)) {
        size_t colon = entry.rfind(':');
        if (colon == std::string::npos)
            return invalidConfigValue(key, value, "Each entry must be LISTENER_NAME:SECURITY_PROTOCOL, not " + entry);
        std::string protocol = upper(javaTrim(std::string_view(entry).substr(colon + 1)));
        if (std::find(kSecurityProtocols.begin(), kSecurityProtocols.end(), protocol) == kSecurityProtocols.end())
            return invalidConfig("Invalid security protocol `" + std::string(javaTrim(entry.substr(colon + 1))) +
                                 "` defined in " + std::string(key));
        map[upper(javaTrim(std::string_view(entry).substr(0, colon)))] = protocol;
    }
    return map;
}

// Checks of a value's syntax that Kafka makes where it uses the value rather than in the ConfigDef.
Status checkSyntax(std::string_view key, std::string_view raw, const Value& value) {
    if (key == "listeners" || key == "advertised.listeners") {
        auto parsed = parseEndpoints(key, raw);
        if (!parsed) return parsed.error();
    } else if (key == "listener.security.protocol.map") {
        auto parsed = parseProtocolMap(key, raw);
        if (!parsed) return parsed.error();
    } else if (key == "security.inter.broker.protocol") {
        if (std::find(kSecurityProtocols.begin(), kSecurityProtocols.end(), value.text) == kSecurityProtocols.end())
            return invalidConfigValue(key, value.text,
                                      "String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    } else if (key == "process.roles") {
        std::set<std::string> seen(value.list.begin(), value.list.end());
        if (seen.size() != value.list.size())
            return invalidConfig("Duplicate role names found in `process.roles`: " + joinList(value.list, ","));
    } else if (key == "max.connections.per.ip.overrides") {
        for (const std::string& entry : splitList(value.text)) {
            size_t colon = entry.rfind(':');
            if (colon == std::string::npos || colon == 0 ||
                !parseJavaInteger(javaTrim(std::string_view(entry).substr(colon + 1)), kInt32Min, kInt32Max))
                return invalidConfigValue(key, value.text, "Each entry must be host:count, not " + entry);
        }
    }
    return Status::success();
}

// The definition that governs a key: its own, or for a listener-scoped key the one of the key it scopes.
// `accepted` without a definition: a key Kafka passes to plugins (config providers, remote storage).
struct KeyInfo {
    const BrokerConfigDef* def = nullptr;
    bool accepted = false;
};

KeyInfo resolveKey(std::string_view name, const std::map<std::string, std::string>* all = nullptr) {
    if (const BrokerConfigDef* def = findBrokerConfig(name)) return {def, true};
    constexpr std::string_view kListenerPrefix = "listener.name.";
    if (name.starts_with(kListenerPrefix)) {
        std::string_view rest = name.substr(kListenerPrefix.size());
        size_t dot = rest.find('.');
        if (dot == std::string_view::npos || dot == 0) return {};
        rest.remove_prefix(dot + 1);
        if (const BrokerConfigDef* def = findBrokerConfig(rest)) return {def, true};
        // "<mechanism>.sasl.*": per-mechanism SASL settings (e.g. scram-sha-256.sasl.jaas.config).
        size_t mechanismEnd = rest.find('.');
        if (mechanismEnd != std::string_view::npos && mechanismEnd > 0) {
            std::string_view scoped = rest.substr(mechanismEnd + 1);
            if (scoped.starts_with("sasl."))
                if (const BrokerConfigDef* def = findBrokerConfig(scoped)) return {def, true};
        }
        return {};
    }
    if (name == "config.providers" || name.starts_with("config.providers.")) return {nullptr, true};
    // partitad's own: where /metrics is served (Kafka leaves this to a JMX exporter agent).
    if (name == kPrometheusListener) return {nullptr, true};
    // Remote storage plugins read every key under their (configurable) prefixes.
    for (std::string_view prefixKey :
         {"remote.log.storage.manager.impl.prefix", "remote.log.metadata.manager.impl.prefix"}) {
        std::string prefix(findBrokerConfig(prefixKey)->defaultValue);
        if (all != nullptr)
            if (auto it = all->find(std::string(prefixKey)); it != all->end())
                prefix = std::string(javaTrim(it->second));
        if (!prefix.empty() && name.starts_with(prefix)) return {nullptr, true};
    }
    return {};
}

// Type, rule and syntax of one value of a known key.
Result<Value> checkValue(std::string_view key, const BrokerConfigDef& def, std::string_view raw) {
    auto parsed = parseTyped(key, def, raw);
    if (!parsed) return parsed.error();
    // Through logconfig, so broker and topic agree on log.message.format.version (3.8's list there).
    if (def.name != "log.message.format.version")
        if (Status status = checkRule(key, def, *parsed); !status) return status.error();
    if (Status status = checkSyntax(def.name, raw, *parsed); !status) return status.error();
    return parsed;
}

bool isIpv4(const std::string& host) {
    in_addr addr{};
    return ::inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool isIpv6(const std::string& host) {
    in6_addr addr{};
    return ::inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// Kafka's rule for `listeners`: distinct names, and distinct ports (0 excepted) unless exactly two listeners
// share one, one on an IPv4 address and the other on an IPv6 address.
Status checkDistinct(std::string_view key, std::string_view raw, const std::vector<Endpoint>& endpoints,
                     bool requireDistinctPorts) {
    std::set<std::string> names;
    for (const Endpoint& endpoint : endpoints)
        if (!names.insert(endpoint.name).second)
            return invalidConfigValue(key, raw,
                                      "Each listener must have a different name (" + endpoint.name + " repeats)");
    if (!requireDistinctPorts) return Status::success();
    std::map<uint16_t, std::vector<const Endpoint*>> byPort;
    for (const Endpoint& endpoint : endpoints)
        if (endpoint.port != 0) byPort[endpoint.port].push_back(&endpoint);
    for (const auto& [port, group] : byPort) {
        if (group.size() < 2) continue;
        bool dualStack = group.size() == 2 && ((isIpv4(group[0]->host) && isIpv6(group[1]->host)) ||
                                               (isIpv6(group[0]->host) && isIpv4(group[1]->host)));
        if (!dualStack)
            return invalidConfigValue(
                key, raw,
                "Each listener must have a different port unless exactly one listener has an IPv4 "
                "address and the other an IPv6 address (port " +
                    std::to_string(port) + " repeats)");
    }
    return Status::success();
}

// Kafka advertises an unset host as the machine's canonical host name; partitad uses the host name without a
// DNS lookup (which could block start-up), or localhost.
std::string advertisedHostName() {
    std::array<char, 256> name{};
    if (::gethostname(name.data(), name.size() - 1) == 0 && name[0] != '\0') return std::string(name.data());
    return "localhost";
}

// Reads of already validated values, falling back to the default.
class Effective {
public:
    explicit Effective(const std::map<std::string, std::string>& values) : m_values(values) {}

    std::optional<Value> get(std::string_view name) const {
        const BrokerConfigDef* def = findBrokerConfig(name);
        auto it = m_values.find(std::string(name));
        if (it != m_values.end()) {
            auto parsed = parseTyped(name, *def, it->second);
            return parsed ? std::optional<Value>(std::move(*parsed)) : std::nullopt;
        }
        if (!def->hasDefault) return std::nullopt;
        auto parsed = parseTyped(name, *def, def->defaultValue);
        return parsed ? std::optional<Value>(std::move(*parsed)) : std::nullopt;
    }
    bool isSet(std::string_view name) const { return m_values.count(std::string(name)) > 0; }
    int64_t number(std::string_view name) const { return get(name).value_or(Value{}).number; }
    int32_t int32(std::string_view name) const { return static_cast<int32_t>(number(name)); }
    bool boolean(std::string_view name) const { return get(name).value_or(Value{}).boolean; }
    std::string text(std::string_view name) const { return get(name).value_or(Value{}).text; }
    std::vector<std::string> list(std::string_view name) const { return get(name).value_or(Value{}).list; }
    std::optional<std::string> raw(std::string_view name) const {
        auto it = m_values.find(std::string(name));
        return it == m_values.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

private:
    const std::map<std::string, std::string>& m_values;
};

bool contains(const std::vector<std::string>& items, std::string_view item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

// The KRaft rules Kafka checks once process.roles is set.
Status checkKRaft(const BrokerConfig& config, const Effective& eff, const std::vector<std::string>& advertisedNames,
                  const std::map<std::string, std::string>& protocolMap) {
    const bool broker = contains(config.processRoles, "broker");
    const bool controller = contains(config.processRoles, "controller");
    const std::string votersShown = [&] {
        std::vector<std::string> ids;
        for (const auto& [id, address] : config.controllerQuorumVoters) ids.push_back(std::to_string(id));
        return "{" + joinList(ids, ", ") + "}";
    }();
    if (config.controllerQuorumVoters.empty())
        return invalidConfig(
            "If using process.roles, controller.quorum.voters must contain a parseable set of voters.");
    if (eff.isSet("control.plane.listener.name"))
        return invalidConfig("control.plane.listener.name is not supported in KRaft mode.");
    std::vector<std::string> listenerNames;
    for (const Listener& listener : config.listeners) listenerNames.push_back(listener.name);
    const bool isVoter = config.controllerQuorumVoters.count(config.nodeId) > 0;

    if (broker)
        for (const std::string& name : advertisedNames)
            if (contains(config.controllerListenerNames, name))
                return invalidConfig(
                    "The advertised.listeners config must not contain KRaft controller listeners from "
                    "controller.listener.names when process.roles contains the broker role (found " +
                    name + ")");
    if (controller) {
        if (!isVoter)
            return invalidConfig("If process.roles contains the 'controller' role, the node id " +
                                 std::to_string(config.nodeId) +
                                 " must be included in the set of voters controller.quorum.voters=" + votersShown);
        bool anyControllerListener = false;
        for (const std::string& name : config.controllerListenerNames) {
            if (!contains(listenerNames, name))
                return invalidConfig(
                    "controller.listener.names must only contain values appearing in the 'listeners' "
                    "configuration when running the KRaft controller role (" +
                    name + " does not)");
            anyControllerListener = true;
        }
        if (!anyControllerListener)
            return invalidConfig(
                "controller.listener.names must contain at least one value appearing in the "
                "'listeners' configuration when running the KRaft controller role");
        if (!broker) {
            if (eff.isSet("advertised.listeners"))
                return invalidConfig("The advertised.listeners config must be empty when process.roles=controller");
            if (!config.advertisedListeners.empty())
                return invalidConfig(
                    "The listeners config must only contain KRaft controller listeners from "
                    "controller.listener.names when process.roles=controller");
        }
    } else {
        if (isVoter)
            return invalidConfig("If process.roles contains just the 'broker' role, the node id " +
                                 std::to_string(config.nodeId) +
                                 " must not be included in the set of voters controller.quorum.voters=" + votersShown);
        if (config.controllerListenerNames.empty())
            return invalidConfig(
                "controller.listener.names must contain at least one value when running KRaft with just the broker "
                "role");
        for (const std::string& name : config.controllerListenerNames) {
            if (contains(listenerNames, name))
                return invalidConfig(
                    "controller.listener.names must not contain a value appearing in the 'listeners' "
                    "configuration when running KRaft with just the broker role (" +
                    name + " does)");
            if (protocolMap.count(name) == 0)
                return invalidConfig(
                    "Controller listener with name " + name +
                    " defined in controller.listener.names not found in listener.security.protocol.map");
        }
    }
    return Status::success();
}

// The rules Kafka checks across configs that are not about listeners.
Status checkCombinations(const Effective& eff) {
    const int64_t cleanerThreads = eff.number("log.cleaner.threads");
    if (cleanerThreads > 0 && eff.number("log.cleaner.dedupe.buffer.size") / cleanerThreads <= 1024 * 1024)
        return invalidConfig("log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.");
    if (eff.number("replica.fetch.wait.max.ms") > eff.number("replica.socket.timeout.ms"))
        return invalidConfig(
            "replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary "
            "socket timeouts");
    if (eff.number("replica.fetch.wait.max.ms") > eff.number("replica.lag.time.max.ms"))
        return invalidConfig(
            "replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent "
            "frequent changes in ISR");
    const int64_t requiredAcks = eff.number("offsets.commit.required.acks");
    if (requiredAcks < -1 || requiredAcks > eff.number("offsets.topic.replication.factor"))
        return invalidConfig(
            "offsets.commit.required.acks must be greater or equal -1 and less or equal to "
            "offsets.topic.replication.factor");
    const int64_t queuedBytes = eff.number("queued.max.request.bytes");
    if (queuedBytes > 0 && queuedBytes < eff.number("socket.request.max.bytes"))
        return invalidConfig("queued.max.request.bytes must be larger or equal to socket.request.max.bytes");
    if (eff.number("max.connections.per.ip") == 0 && eff.text("max.connections.per.ip.overrides").empty())
        return invalidConfig(
            "max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.");
    const int64_t idleMs = eff.number("connections.max.idle.ms");
    const int64_t authDelayMs = eff.number("connection.failed.authentication.delay.ms");
    if (idleMs >= 0 && authDelayMs >= idleMs)
        return invalidConfig("connection.failed.authentication.delay.ms=" + std::to_string(authDelayMs) +
                             " should always be less than connections.max.idle.ms=" + std::to_string(idleMs) +
                             " to prevent failed authentication responses from timing out");
    // The consumer group protocol's (KIP-848) bounds must contain their defaults.
    struct Bound {
        std::string_view low, high;
        std::string_view relation;
    };
    constexpr std::array<Bound, 6> kOrdered{{
        {"group.consumer.min.heartbeat.interval.ms", "group.consumer.max.heartbeat.interval.ms",
         "greater than or equals"},
        {"group.consumer.min.heartbeat.interval.ms", "group.consumer.heartbeat.interval.ms", "greater than or equals"},
        {"group.consumer.heartbeat.interval.ms", "group.consumer.max.heartbeat.interval.ms", "less than or equals"},
        {"group.consumer.min.session.timeout.ms", "group.consumer.max.session.timeout.ms", "greater than or equals"},
        {"group.consumer.min.session.timeout.ms", "group.consumer.session.timeout.ms", "greater than or equals"},
        {"group.consumer.session.timeout.ms", "group.consumer.max.session.timeout.ms", "less than or equals"},
    }};
    for (const Bound& bound : kOrdered) {
        if (eff.number(bound.low) <= eff.number(bound.high)) continue;
        bool aboutHigh = bound.relation == "greater than or equals";
        std::string_view subject = aboutHigh ? bound.high : bound.low;
        std::string_view other = aboutHigh ? bound.low : bound.high;
        return invalidConfig(std::string(subject) + " must be " + std::string(bound.relation) + " to " +
                             std::string(other));
    }
    return Status::success();
}

}  // namespace

bool feedsTopicDefaults(std::string_view name) {
    for (const storage::TopicConfigDef& topic : storage::topicConfigDefs())
        if (topic.brokerName == name) return true;
    return name == "log.retention.minutes" || name == "log.retention.hours" || name == "log.roll.hours" ||
           name == "log.roll.jitter.hours" || name == "log.flush.scheduler.interval.ms" ||
           name == "remote.log.storage.system.enable";
}

Status validateBrokerConfigValue(std::string_view name, std::string_view value) {
    KeyInfo info = resolveKey(name);
    if (!info.accepted) return invalidConfig("Unknown broker config: " + std::string(name));
    if (info.def == nullptr) return Status::success();
    auto parsed = checkValue(name, *info.def, value);
    if (!parsed) return parsed.error();
    if (info.def->name == name && feedsTopicDefaults(name)) {
        auto logConfig = storage::makeLogConfig({}, {{std::string(name), std::string(value)}});
        if (!logConfig) return logConfig.error();
    }
    return Status::success();
}

Result<BrokerConfig> makeBrokerConfig(std::map<std::string, std::string> properties) {
    // Every key first, so a typo is reported as such rather than as a consequence.
    for (const auto& [name, value] : properties)
        if (!resolveKey(name, &properties).accepted) return invalidConfig("Unknown broker config: " + name);
    for (const auto& [name, value] : properties) {
        KeyInfo info = resolveKey(name, &properties);
        if (info.def == nullptr) continue;
        auto parsed = checkValue(name, *info.def, value);
        if (!parsed) return parsed.error();
    }

    BrokerConfig config;
    config.values = std::move(properties);
    const Effective eff(config.values);

    // node.id and broker.id are synonyms; partitad has no id generation, so one of them is required.
    std::optional<int64_t> nodeId = eff.isSet("node.id") ? std::optional(eff.number("node.id")) : std::nullopt;
    std::optional<int64_t> brokerId = eff.isSet("broker.id") ? std::optional(eff.number("broker.id")) : std::nullopt;
    if (nodeId && brokerId && *nodeId != *brokerId)
        return invalidConfig("You must set `node.id` to the same value as `broker.id` (node.id=" +
                             std::to_string(*nodeId) + ", broker.id=" + std::to_string(*brokerId) + ").");
    if (!nodeId) nodeId = brokerId;
    if (!nodeId)
        return invalidConfig("Missing required configuration `node.id` (or `broker.id`) which has no default value.");
    if (*nodeId < 0) return invalidConfigValue("node.id", std::to_string(*nodeId), "Value must be at least 0");
    config.nodeId = static_cast<int32_t>(*nodeId);
    config.processRoles = eff.list("process.roles");

    // Listener names and their security protocols.
    for (const std::string& name : splitList(javaTrim(eff.text("controller.listener.names"))))
        if (!name.empty()) config.controllerListenerNames.push_back(upper(name));
    std::map<std::string, std::string> protocolMap;
    if (auto explicitMap = eff.raw("listener.security.protocol.map")) {
        protocolMap = *parseProtocolMap("listener.security.protocol.map", *explicitMap);
    } else {
        protocolMap = *parseProtocolMap("listener.security.protocol.map", kDefaultProtocolMap);
        // As Kafka does in KRaft: controller listeners not mapped explicitly speak PLAINTEXT.
        for (const std::string& name : config.controllerListenerNames) protocolMap.emplace(name, "PLAINTEXT");
    }
    auto toListeners = [&](std::string_view key,
                           const std::vector<Endpoint>& endpoints) -> Result<std::vector<Listener>> {
        std::vector<Listener> listeners;
        for (const Endpoint& endpoint : endpoints) {
            auto protocol = protocolMap.find(endpoint.name);
            if (protocol == protocolMap.end())
                return invalidConfig("No security protocol defined for listener " + endpoint.name + " in " +
                                     std::string(key) + " (add it to listener.security.protocol.map)");
            listeners.push_back(Listener{endpoint.name, protocol->second, endpoint.host, endpoint.port});
        }
        return listeners;
    };

    const std::string listenersRaw = eff.text("listeners");
    auto endpoints = parseEndpoints("listeners", listenersRaw);
    if (!endpoints) return endpoints.error();
    if (Status status = checkDistinct("listeners", listenersRaw, *endpoints, true); !status) return status.error();
    auto listeners = toListeners("listeners", *endpoints);
    if (!listeners) return listeners.error();
    config.listeners = std::move(*listeners);

    if (auto advertisedRaw = eff.raw("advertised.listeners")) {
        auto advertised = parseEndpoints("advertised.listeners", *advertisedRaw);
        if (!advertised) return advertised.error();
        // Unlike listeners, advertised ports may repeat (a listener may advertise another's address).
        if (Status status = checkDistinct("advertised.listeners", *advertisedRaw, *advertised, false); !status)
            return status.error();
        for (const Endpoint& endpoint : *advertised)
            if (endpoint.host == "0.0.0.0")
                return invalidConfig(
                    "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.");
        auto converted = toListeners("advertised.listeners", *advertised);
        if (!converted) return converted.error();
        config.advertisedListeners = std::move(*converted);
    } else {
        for (const Listener& listener : config.listeners)
            if (!contains(config.controllerListenerNames, listener.name))
                config.advertisedListeners.push_back(listener);
    }
    // Kafka leaves 0.0.0.0 in a defaulted advertisement to fail its own check; partitad advertises the host name
    // instead, as it does for an empty host, so `listeners=PLAINTEXT://0.0.0.0:9092` alone works.
    for (Listener& listener : config.advertisedListeners)
        if (listener.host.empty() || listener.host == "0.0.0.0" || listener.host == "::")
            listener.host = advertisedHostName();

    std::vector<std::string> listenerNames, advertisedNames;
    for (const Listener& listener : config.listeners) listenerNames.push_back(listener.name);
    for (const Listener& listener : config.advertisedListeners) advertisedNames.push_back(listener.name);

    const bool brokerRole = config.processRoles.empty() || contains(config.processRoles, "broker");
    if (brokerRole) {
        if (config.advertisedListeners.empty())
            return invalidConfig(std::string("There must be at least one advertised listener.") +
                                 (config.controllerListenerNames.empty()
                                      ? ""
                                      : " Perhaps all listeners appear in controller.listener.names?"));
        for (const std::string& name : advertisedNames)
            if (!contains(listenerNames, name))
                return invalidConfig(
                    "advertised.listeners listener names must be equal to or a subset of the ones "
                    "defined in listeners. Found " +
                    joinList(advertisedNames, ",") +
                    ". The valid options based on the current "
                    "configuration are " +
                    joinList(listenerNames, ","));
    }

    // The listener brokers use between themselves: named, or the one named after the security protocol.
    if (auto named = eff.raw("inter.broker.listener.name")) {
        if (eff.isSet("security.inter.broker.protocol"))
            return invalidConfig(
                "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.");
        config.interBrokerListenerName = upper(javaTrim(*named));
        if (protocolMap.count(config.interBrokerListenerName) == 0)
            return invalidConfig("Listener with name " + config.interBrokerListenerName +
                                 " defined in inter.broker.listener.name not found in listener.security.protocol.map.");
    } else {
        config.interBrokerListenerName = eff.text("security.inter.broker.protocol");
    }
    if (brokerRole && !contains(advertisedNames, config.interBrokerListenerName))
        return invalidConfig(
            "inter.broker.listener.name must be a listener name defined in advertised.listeners. The "
            "valid options based on currently configured listeners are " +
            joinList(advertisedNames, ","));
    const std::string interBrokerProtocol = protocolMap.count(config.interBrokerListenerName)
                                                ? protocolMap.at(config.interBrokerListenerName)
                                                : config.interBrokerListenerName;
    config.saslEnabledMechanisms = eff.list("sasl.enabled.mechanisms");
    if (interBrokerProtocol == "SASL_PLAINTEXT" || interBrokerProtocol == "SASL_SSL") {
        std::vector<std::string> mechanisms = config.saslEnabledMechanisms;
        if (auto scoped =
                eff.raw("listener.name." + lower(config.interBrokerListenerName) + ".sasl.enabled.mechanisms"))
            mechanisms = splitList(javaTrim(*scoped));
        if (!contains(mechanisms, eff.text("sasl.mechanism.inter.broker.protocol")))
            return invalidConfig(
                "sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms "
                "when SASL is used for inter-broker communication");
    }

    for (const std::string& entry : eff.list("controller.quorum.voters")) {
        size_t at = entry.find('@');
        auto address = parseHostPort(std::string_view(entry).substr(at + 1));
        config.controllerQuorumVoters[static_cast<int32_t>(*parseJavaInteger(
            entry.substr(0, at), kInt32Min, kInt32Max))] = address->first + ":" + std::to_string(address->second);
    }
    if (!config.processRoles.empty())
        if (Status status = checkKRaft(config, eff, advertisedNames, protocolMap); !status) return status.error();

    // log.dirs wins over log.dir; partitad keeps every partition in the first directory.
    for (const std::string& dir : splitList(javaTrim(eff.raw("log.dirs").value_or(eff.text("log.dir")))))
        if (!dir.empty()) config.logDirs.push_back(dir);
    if (config.logDirs.empty())
        return invalidConfig("At least one log directory must be defined via log.dirs or log.dir.");
    config.logDir = config.logDirs.front();

    if (Status status = checkCombinations(eff); !status) return status.error();
    auto logConfig = storage::makeLogConfig({}, config.values);
    if (!logConfig) return logConfig.error();
    config.defaultLogConfig = std::move(*logConfig);

    storage::LogManagerConfig& lm = config.logManagerConfig;
    lm.dataDir = config.logDir;
    lm.retentionCheckIntervalMs = eff.number("log.retention.check.interval.ms");
    lm.flushSchedulerIntervalMs = eff.number("log.flush.scheduler.interval.ms");
    lm.flushOffsetCheckpointIntervalMs = eff.number("log.flush.offset.checkpoint.interval.ms");
    lm.flushStartOffsetCheckpointIntervalMs = eff.number("log.flush.start.offset.checkpoint.interval.ms");
    lm.cleanerEnable = eff.boolean("log.cleaner.enable");
    lm.cleanerDedupeBufferBytes = eff.number("log.cleaner.dedupe.buffer.size");
    lm.cleanerBackoffMs = eff.number("log.cleaner.backoff.ms");
    lm.producerIdExpirationMs = eff.number("producer.id.expiration.ms");
    lm.producerIdExpirationCheckIntervalMs = eff.number("producer.id.expiration.check.interval.ms");

    config.brokerRack = eff.text("broker.rack");
    if (auto it = config.values.find(std::string(kPrometheusListener)); it != config.values.end())
        config.prometheusListener = std::string(javaTrim(it->second));
    config.numNetworkThreads = eff.int32("num.network.threads");
    config.numIoThreads = eff.int32("num.io.threads");
    config.backgroundThreads = eff.int32("background.threads");
    config.queuedMaxRequests = eff.int32("queued.max.requests");
    config.requestTimeoutMs = eff.int32("request.timeout.ms");
    config.autoCreateTopicsEnable = eff.boolean("auto.create.topics.enable");
    config.deleteTopicEnable = eff.boolean("delete.topic.enable");
    config.numPartitions = eff.int32("num.partitions");
    const int64_t replicationFactor = eff.number("default.replication.factor");
    // An INT in Kafka, but a partition's replica count travels as an INT16 in CreateTopics.
    if (replicationFactor < 1 || replicationFactor > std::numeric_limits<int16_t>::max())
        return invalidConfigValue("default.replication.factor", std::to_string(replicationFactor),
                                  "Value must be between 1 and 32767");
    config.defaultReplicationFactor = static_cast<int16_t>(replicationFactor);
    config.messageMaxBytes = eff.int32("message.max.bytes");
    config.socketRequestMaxBytes = eff.int32("socket.request.max.bytes");
    config.socketSendBufferBytes = eff.int32("socket.send.buffer.bytes");
    config.socketReceiveBufferBytes = eff.int32("socket.receive.buffer.bytes");
    config.socketListenBacklogSize = eff.int32("socket.listen.backlog.size");
    config.connectionsMaxIdleMs = eff.number("connections.max.idle.ms");
    config.maxConnections = eff.int32("max.connections");
    config.maxConnectionsPerIp = eff.int32("max.connections.per.ip");
    config.fetchMaxBytes = eff.int32("fetch.max.bytes");
    config.maxIncrementalFetchSessionCacheSlots = eff.int32("max.incremental.fetch.session.cache.slots");
    config.replicaFetchMaxBytes = eff.int32("replica.fetch.max.bytes");
    config.replicaLagTimeMaxMs = eff.number("replica.lag.time.max.ms");

    config.groupInitialRebalanceDelayMs = eff.int32("group.initial.rebalance.delay.ms");
    config.groupMinSessionTimeoutMs = eff.int32("group.min.session.timeout.ms");
    config.groupMaxSessionTimeoutMs = eff.int32("group.max.session.timeout.ms");
    config.groupMaxSize = eff.int32("group.max.size");
    config.offsetsTopicReplicationFactor = static_cast<int16_t>(eff.number("offsets.topic.replication.factor"));
    config.offsetsTopicNumPartitions = eff.int32("offsets.topic.num.partitions");
    config.offsetsTopicSegmentBytes = eff.int32("offsets.topic.segment.bytes");
    config.offsetsRetentionMinutes = eff.int32("offsets.retention.minutes");
    config.offsetsRetentionCheckIntervalMs = eff.number("offsets.retention.check.interval.ms");
    config.offsetCommitTimeoutMs = eff.int32("offsets.commit.timeout.ms");
    config.offsetMetadataMaxBytes = eff.int32("offset.metadata.max.bytes");

    config.transactionStateLogReplicationFactor =
        static_cast<int16_t>(eff.number("transaction.state.log.replication.factor"));
    config.transactionStateLogNumPartitions = eff.int32("transaction.state.log.num.partitions");
    config.transactionStateLogMinIsr = eff.int32("transaction.state.log.min.isr");
    config.transactionStateLogSegmentBytes = eff.int32("transaction.state.log.segment.bytes");
    config.transactionMaxTimeoutMs = eff.int32("transaction.max.timeout.ms");
    config.transactionPartitionVerificationEnable = eff.boolean("transaction.partition.verification.enable");
    config.transactionalIdExpirationMs = eff.int32("transactional.id.expiration.ms");
    config.transactionAbortTimedOutTransactionCleanupIntervalMs =
        eff.int32("transaction.abort.timed.out.transaction.cleanup.interval.ms");
    config.transactionRemoveExpiredTransactionCleanupIntervalMs =
        eff.int32("transaction.remove.expired.transaction.cleanup.interval.ms");
    config.producerIdExpirationMs = eff.int32("producer.id.expiration.ms");
    return config;
}

Result<BrokerConfig> loadBrokerConfig(const std::string& propertiesPath, const std::vector<std::string>& overrides) {
    auto properties = protocol::parsePropertiesFile(propertiesPath);
    if (!properties) return properties.error();
    for (const std::string& override : overrides) {
        size_t equals = override.find('=');
        if (equals == std::string::npos || equals == 0)
            return invalidConfig("Invalid --override '" + override + "': expected key=value");
        (*properties)[override.substr(0, equals)] = override.substr(equals + 1);
    }
    return makeBrokerConfig(std::move(*properties));
}

std::optional<std::string> brokerConfigValue(const BrokerConfig& config, std::string_view name) {
    if (name == "node.id" || name == "broker.id") return std::to_string(config.nodeId);
    KeyInfo info = resolveKey(name, &config.values);
    if (!info.accepted) return std::nullopt;
    auto given = config.values.find(std::string(name));
    if (info.def == nullptr) return given == config.values.end() ? std::nullopt : std::optional(given->second);
    const BrokerConfigDef& def = *info.def;
    if (def.sensitive) return std::nullopt;
    if (given == config.values.end()) {
        if (def.name != name || !def.hasDefault) return std::nullopt;
        return std::string(def.defaultValue);
    }
    auto parsed = parseTyped(name, def, given->second);
    if (!parsed) return given->second;
    switch (def.type) {
        case ConfigType::Boolean:
            return std::string(parsed->boolean ? "true" : "false");
        case ConfigType::Int:
        case ConfigType::Long:
            return std::to_string(parsed->number);
        case ConfigType::Double:
            return javaDouble(parsed->real);
        case ConfigType::List:
            return joinList(parsed->list, ",");
        case ConfigType::String:
        case ConfigType::Password:
        case ConfigType::Class:
            return parsed->text;
    }
    return std::nullopt;
}

}  // namespace partita::broker
