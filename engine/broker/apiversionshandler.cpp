// ApiVersions: the APIs and version ranges this broker serves (exactly its registered handlers).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/protocol/apiversionssupport.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/apiversions.h"

#include <algorithm>

namespace partita::broker {

namespace {

class ApiVersionsHandler final : public TypedHandler<protocol::ApiVersionsRequest, protocol::ApiVersionsResponse> {
public:
    // The dispatcher fills the advertised list once every handler exists.
    void setAdvertised(std::vector<protocol::ApiVersionsResponse::ApiVersion> apis) { m_apis = std::move(apis); }

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(
        const RequestContext& context, protocol::ApiVersionsRequest& request) override {
        auto response = std::make_unique<protocol::ApiVersionsResponse>();
        if (context.apiVersion >= 3 && (!protocol::isValidClientSoftwareField(request.clientSoftwareName) ||
                                        !protocol::isValidClientSoftwareField(request.clientSoftwareVersion))) {
            response->errorCode = protocol::code(protocol::ErrorCode::InvalidRequest);
            co_return response;
        }
        response->apiKeys = m_apis;
        co_return response;
    }

private:
    std::vector<protocol::ApiVersionsResponse::ApiVersion> m_apis;
};

}  // namespace

std::unique_ptr<ApiHandler> makeApiVersionsHandler(BrokerContext&) {
    return std::make_unique<ApiVersionsHandler>();
}

void advertiseApis(ApiHandler& apiVersionsHandler, const std::vector<std::unique_ptr<ApiHandler>>& handlers) {
    std::vector<protocol::ApiVersionsResponse::ApiVersion> apis;
    for (const auto& handler : handlers) {
        protocol::ApiVersionsResponse::ApiVersion api;
        api.apiKey = handler->apiKey();
        api.minVersion = handler->minVersion();
        api.maxVersion = handler->maxVersion();
        apis.push_back(api);
    }
    std::sort(apis.begin(), apis.end(), [](const auto& a, const auto& b) { return a.apiKey < b.apiKey; });
    static_cast<ApiVersionsHandler&>(apiVersionsHandler).setAdvertised(std::move(apis));
}

}  // namespace partita::broker
