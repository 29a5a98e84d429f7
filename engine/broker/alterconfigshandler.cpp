// AlterConfigs: replaces a topic's whole set of config overrides (the legacy, non-incremental API).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/configentries.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/alterconfigs.h"

#include <map>
#include <utility>

namespace partita::broker {

namespace {

using protocol::AlterConfigsRequest;
using protocol::AlterConfigsResponse;
using protocol::ErrorCode;

class AlterConfigsHandler final : public TypedHandler<AlterConfigsRequest, AlterConfigsResponse> {
public:
    explicit AlterConfigsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        AlterConfigsRequest& request) override {
        auto response = std::make_unique<AlterConfigsResponse>();
        response->responses = alterEachResource<AlterConfigsResponse::AlterConfigsResourceResponse>(
            request.resources, [&](const auto& resource) { return alter(resource, request.validateOnly); });
        co_return response;
    }

private:
    ApiError alter(const AlterConfigsRequest::AlterConfigsResource& resource, bool validateOnly) {
        switch (static_cast<ResourceType>(resource.resourceType)) {
            case ResourceType::Topic: {
                if (ApiError e = checkTopicResourceName(resource.resourceName); !e.ok()) return e;
                if (!m_context.metadata().topic(resource.resourceName)) {
                    return apiError(ErrorCode::UnknownTopicOrPartition,
                                    "The topic '" + resource.resourceName + "' does not exist.");
                }
                // The request is the complete new set: anything left out returns to its default, and a
                // null value means "not set".
                std::map<std::string, std::string> overrides;
                for (const auto& config : resource.configs) {
                    if (config.value) {
                        overrides[config.name] = *config.value;
                    } else {
                        overrides.erase(config.name);
                    }
                }
                if (ApiError e = validateTopicOverrides(m_context, overrides); !e.ok()) return e;
                if (validateOnly) return {};
                return replaceTopicOverrides(m_context, resource.resourceName, overrides);
            }
            case ResourceType::Broker:
                // Likewise the complete new dynamic set of this broker, or of the cluster-wide defaults.
                return alterBrokerConfigs(
                    m_context, resource.resourceName,
                    [&](std::map<std::string, std::string>& configs) {
                        configs.clear();
                        for (const auto& config : resource.configs) {
                            if (config.value) configs[config.name] = *config.value;
                        }
                        return ApiError{};
                    },
                    validateOnly);
            case ResourceType::BrokerLogger:
                return apiError(ErrorCode::InvalidRequest,
                                "AlterConfigs is deprecated and does not support the resource type BROKER_LOGGER");
            default:
                return apiError(ErrorCode::InvalidRequest,
                                "Unsupported resource type: " + resourceTypeName(resource.resourceType));
        }
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeAlterConfigsHandler(BrokerContext& context) {
    return std::make_unique<AlterConfigsHandler>(context);
}

}  // namespace partita::broker
