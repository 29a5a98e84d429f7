// IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on topic config overrides and dynamic broker configs.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/configentries.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/incrementalalterconfigs.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::IncrementalAlterConfigsRequest;
using protocol::IncrementalAlterConfigsResponse;

enum class Operation : int8_t { Set = 0, Delete = 1, Append = 2, Subtract = 3 };

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// A LIST config's items as Kafka parses them: comma separated, trimmed, an empty value being no item.
std::vector<std::string> splitList(std::string_view value) {
    std::vector<std::string> items;
    if (trim(value).empty()) return items;
    size_t start = 0;
    for (;;) {
        size_t comma = value.find(',', start);
        items.emplace_back(trim(value.substr(start, comma == std::string_view::npos ? comma : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

std::string joinList(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

class IncrementalAlterConfigsHandler final
    : public TypedHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> {
public:
    explicit IncrementalAlterConfigsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(
        const RequestContext&, IncrementalAlterConfigsRequest& request) override {
        auto response = std::make_unique<IncrementalAlterConfigsResponse>();
        response->responses = alterEachResource<IncrementalAlterConfigsResponse::AlterConfigsResourceResponse>(
            request.resources, [&](const auto& resource) { return alter(resource, request.validateOnly); });
        co_return response;
    }

private:
    ApiError alter(const IncrementalAlterConfigsRequest::AlterConfigsResource& resource, bool validateOnly) {
        std::set<std::string> keys;
        for (const auto& config : resource.configs) {
            if (!keys.insert(config.name).second) {
                return apiError(ErrorCode::InvalidRequest, "Error due to duplicate config keys");
            }
            if (config.configOperation < 0 || config.configOperation > 3) {
                return apiError(ErrorCode::InvalidRequest,
                                "Unknown alter config operation type " + std::to_string(config.configOperation));
            }
        }
        switch (static_cast<ResourceType>(resource.resourceType)) {
            case ResourceType::Topic:
                return alterTopic(resource, validateOnly);
            case ResourceType::Broker:
                return alterBroker(resource, validateOnly);
            case ResourceType::BrokerLogger: {
                if (resource.resourceName.empty())
                    return apiError(ErrorCode::InvalidRequest, "Broker id must not be empty");
                if (ApiError e = checkBrokerResourceName(m_context, resource.resourceName); !e.ok()) return e;
                // DescribeConfigs lists no loggers, so none can be changed.
                if (!keys.empty())
                    return apiError(ErrorCode::InvalidConfig, "Logger " + *keys.begin() + " does not exist!");
                return {};
            }
            default:
                return apiError(ErrorCode::InvalidRequest,
                                "Unsupported resource type: " + resourceTypeName(resource.resourceType));
        }
    }

    // SET, DELETE, APPEND and SUBTRACT of one resource on its current set. `typeOf` says a key's type (nullopt:
    // unknown, refused for APPEND/SUBTRACT with `unknownPrefix` + name); a list with no current entry starts
    // from `inherited(name)`.
    template <class TypeOf, class Inherited>
    static ApiError applyOperations(const IncrementalAlterConfigsRequest::AlterConfigsResource& resource,
                                    std::map<std::string, std::string>& configs, TypeOf&& typeOf,
                                    const std::string& unknownPrefix, Inherited&& inherited) {
        for (const auto& config : resource.configs) {
            switch (static_cast<Operation>(config.configOperation)) {
                case Operation::Set:
                    // A null value is no value: the setting goes, as DELETE.
                    if (config.value) {
                        configs[config.name] = *config.value;
                    } else {
                        configs.erase(config.name);
                    }
                    break;
                case Operation::Delete:
                    configs.erase(config.name);
                    break;
                case Operation::Append:
                case Operation::Subtract: {
                    std::optional<storage::ConfigType> type = typeOf(config.name);
                    if (!type) return apiError(ErrorCode::InvalidConfig, unknownPrefix + config.name);
                    const char* op = config.configOperation == int8_t(Operation::Append) ? "APPEND" : "SUBTRACT";
                    if (*type != storage::ConfigType::List) {
                        return apiError(ErrorCode::InvalidConfig, std::string("Can't ") + op + " to key " +
                                                                      config.name + " because its type is not LIST.");
                    }
                    if (!config.value) {
                        return apiError(ErrorCode::InvalidRequest,
                                        std::string("Null value not supported for ") + op + " of " + config.name);
                    }
                    auto current = configs.find(config.name);
                    std::vector<std::string> items =
                        splitList(current != configs.end() ? current->second : inherited(config.name));
                    for (const std::string& item : splitList(*config.value)) {
                        auto at = std::find(items.begin(), items.end(), item);
                        if (config.configOperation == int8_t(Operation::Append)) {
                            if (at == items.end()) items.push_back(item);
                        } else {
                            items.erase(std::remove(items.begin(), items.end(), item), items.end());
                        }
                    }
                    configs[config.name] = joinList(items);
                    break;
                }
            }
        }
        return {};
    }

    ApiError alterBroker(const IncrementalAlterConfigsRequest::AlterConfigsResource& resource, bool validateOnly) {
        auto change = [&](std::map<std::string, std::string>& configs) {
            // A list not set at this level starts from the value in force, as DescribeConfigs shows it.
            const std::map<std::string, std::string> inForce = m_context.effectiveValues();
            BrokerConfig effective = m_context.config();
            effective.values = inForce;
            return applyOperations(
                resource, configs,
                [](const std::string& name) -> std::optional<storage::ConfigType> {
                    const BrokerConfigDef* def = findBrokerConfig(name);
                    if (def == nullptr) return std::nullopt;
                    return def->type;
                },
                "Unknown broker config: ",
                [&](const std::string& name) { return brokerConfigValue(effective, name).value_or(""); });
        };
        return alterBrokerConfigs(m_context, resource.resourceName, change, validateOnly);
    }

    ApiError alterTopic(const IncrementalAlterConfigsRequest::AlterConfigsResource& resource, bool validateOnly) {
        if (ApiError e = checkTopicResourceName(resource.resourceName); !e.ok()) return e;
        auto info = m_context.metadata().topic(resource.resourceName);
        if (!info) {
            return apiError(ErrorCode::UnknownTopicOrPartition,
                            "The topic '" + resource.resourceName + "' does not exist.");
        }
        std::map<std::string, std::string> overrides = info->configs;
        const storage::LogConfig defaults = m_context.defaultLogConfig();
        ApiError applied = applyOperations(
            resource, overrides,
            [](const std::string& name) -> std::optional<storage::ConfigType> {
                const storage::TopicConfigDef* def = storage::findTopicConfig(name);
                if (def == nullptr) return std::nullopt;
                return def->type;
            },
            "Unknown topic config name: ",
            // Without an override the list starts from what the topic gets from the broker.
            [&](const std::string& name) { return storage::topicConfigValue(defaults, name).value_or(""); });
        if (!applied.ok()) return applied;
        if (ApiError e = validateTopicOverrides(m_context, overrides); !e.ok()) return e;
        if (validateOnly) return {};
        return replaceTopicOverrides(m_context, resource.resourceName, overrides);
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeIncrementalAlterConfigsHandler(BrokerContext& context) {
    return std::make_unique<IncrementalAlterConfigsHandler>(context);
}

}  // namespace partita::broker
