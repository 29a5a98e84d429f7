// DescribeCluster: the cluster id, the controller and every broker's endpoint on the request's listener.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/net/framehandler.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/describecluster.h"

#include <climits>

namespace partita::broker {

namespace {

using protocol::DescribeClusterRequest;
using protocol::DescribeClusterResponse;
using protocol::ErrorCode;

constexpr int8_t kBrokerEndpoint = 1;
constexpr int8_t kControllerEndpoint = 2;

// Kafka's AclOperation codes a CLUSTER resource supports; without an authorizer every one is allowed.
constexpr int32_t clusterOperations() {
    constexpr int kCreate = 5, kAlter = 7, kDescribe = 8, kClusterAction = 9, kDescribeConfigs = 10, kAlterConfigs = 11,
                  kIdempotentWrite = 12, kCreateTokens = 13, kDescribeTokens = 14;
    int32_t bits = 0;
    for (int op : {kCreate, kAlter, kDescribe, kClusterAction, kDescribeConfigs, kAlterConfigs, kIdempotentWrite,
                   kCreateTokens, kDescribeTokens}) {
        bits |= int32_t(1) << op;
    }
    return bits;
}

class DescribeClusterHandler final : public TypedHandler<DescribeClusterRequest, DescribeClusterResponse> {
public:
    explicit DescribeClusterHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        DescribeClusterRequest& request) override {
        auto response = std::make_unique<DescribeClusterResponse>();
        if (context.apiVersion >= 1 && request.endpointType != kBrokerEndpoint) {
            // partitad nodes are brokers; a client that wanted a controller endpoint reached the wrong one.
            if (request.endpointType == kControllerEndpoint) {
                response->errorCode = protocol::code(ErrorCode::MismatchedEndpointType);
                response->errorMessage =
                    "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER";
            } else {
                response->errorCode = protocol::code(ErrorCode::UnsupportedEndpointType);
                response->errorMessage = "Unsupported endpoint type " + std::to_string(request.endpointType);
            }
            co_return response;
        }
        cluster::MetadataStore& metadata = m_context.metadata();
        response->clusterId = metadata.clusterId();
        response->controllerId = metadata.controllerId();
        for (const cluster::AdvertisedBroker& broker : metadata.brokersOn(context.connection.listenerName)) {
            DescribeClusterResponse::DescribeClusterBroker out;
            out.brokerId = broker.nodeId;
            out.host = broker.host;
            out.port = broker.port;
            out.rack = broker.rack;
            response->brokers.push_back(std::move(out));
        }
        response->clusterAuthorizedOperations =
            request.includeClusterAuthorizedOperations ? clusterOperations() : INT32_MIN;
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDescribeClusterHandler(BrokerContext& context) {
    return std::make_unique<DescribeClusterHandler>(context);
}

}  // namespace partita::broker
