// DescribeConfigs: topic and broker configs with their values, sources, synonyms and types.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/configentries.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/describeconfigs.h"

#include <algorithm>

namespace partita::broker {

namespace {

using protocol::DescribeConfigsRequest;
using protocol::DescribeConfigsResponse;
using protocol::ErrorCode;

class DescribeConfigsHandler final : public TypedHandler<DescribeConfigsRequest, DescribeConfigsResponse> {
public:
    explicit DescribeConfigsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        DescribeConfigsRequest& request) override {
        auto response = std::make_unique<DescribeConfigsResponse>();
        // v0 has no includeSynonyms flag; synonyms are not encoded there anyway.
        const bool synonyms = context.apiVersion >= 1 && request.includeSynonyms;
        for (const auto& resource : request.resources) {
            DescribeConfigsResponse::DescribeConfigsResult result;
            result.resourceType = resource.resourceType;
            result.resourceName = resource.resourceName;
            std::vector<ConfigEntry> entries;
            ApiError error = describe(resource, entries);
            result.errorCode = error.code;
            // On success Kafka leaves the message at its default, the empty string.
            if (!error.ok()) result.errorMessage = error.message;
            for (ConfigEntry& entry : entries) {
                if (resource.configurationKeys &&
                    std::find(resource.configurationKeys->begin(), resource.configurationKeys->end(), entry.name) ==
                        resource.configurationKeys->end()) {
                    continue;
                }
                result.configs.push_back(toResponse(std::move(entry), context.apiVersion, synonyms));
            }
            response->results.push_back(std::move(result));
        }
        co_return response;
    }

private:
    ApiError describe(const DescribeConfigsRequest::DescribeConfigsResource& resource,
                      std::vector<ConfigEntry>& entries) {
        switch (static_cast<ResourceType>(resource.resourceType)) {
            case ResourceType::Topic: {
                if (ApiError e = checkTopicResourceName(resource.resourceName); !e.ok()) return e;
                if (!m_context.metadata().topic(resource.resourceName)) {
                    return {protocol::code(ErrorCode::UnknownTopicOrPartition),
                            "The topic '" + resource.resourceName + "' does not exist."};
                }
                entries = describeTopicConfigs(m_context, resource.resourceName);
                return {};
            }
            case ResourceType::Broker:
                // The empty name is the cluster-wide dynamic defaults, and lists only those.
                if (resource.resourceName.empty()) {
                    entries = describeDynamicDefaultConfigs(m_context);
                    return {};
                }
                if (ApiError e = checkBrokerResourceName(m_context, resource.resourceName); !e.ok()) return e;
                entries = describeBrokerConfigs(m_context);
                return {};
            case ResourceType::BrokerLogger:
                if (resource.resourceName.empty()) {
                    return {protocol::code(ErrorCode::InvalidRequest), "Broker id must not be empty"};
                }
                if (ApiError e = checkBrokerResourceName(m_context, resource.resourceName); !e.ok()) {
                    if (e.message.rfind("Unexpected", 0) == 0) {
                        e.message = "Unexpected broker id, expected " + std::to_string(m_context.nodeId()) +
                                    " but received " + resource.resourceName;
                    }
                    return e;
                }
                // Log levels are not exposed as loggers: an empty list, as from a broker with none.
                return {};
            default:
                return {protocol::code(ErrorCode::InvalidRequest),
                        "Unsupported resource type: " + resourceTypeName(resource.resourceType)};
        }
    }

    static DescribeConfigsResponse::DescribeConfigsResourceResult toResponse(ConfigEntry entry, int16_t version,
                                                                             bool withSynonyms) {
        DescribeConfigsResponse::DescribeConfigsResourceResult out;
        out.name = std::move(entry.name);
        out.value = std::move(entry.value);
        out.readOnly = entry.readOnly;
        out.isSensitive = entry.sensitive;
        if (version == 0) {
            out.isDefault = entry.source == ConfigSource::Default;
        } else {
            out.configSource = static_cast<int8_t>(entry.source);
        }
        if (withSynonyms) {
            for (ConfigSynonymEntry& synonym : entry.synonyms) {
                DescribeConfigsResponse::DescribeConfigsSynonym s;
                s.name = std::move(synonym.name);
                s.value = std::move(synonym.value);
                s.source = static_cast<int8_t>(synonym.source);
                out.synonyms.push_back(std::move(s));
            }
        }
        out.configType = entry.type;
        // Kafka's documentation texts are not shipped; null is what Kafka sends when it has none.
        out.documentation = std::nullopt;
        return out;
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDescribeConfigsHandler(BrokerContext& context) {
    return std::make_unique<DescribeConfigsHandler>(context);
}

}  // namespace partita::broker
