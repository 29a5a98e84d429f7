// FindCoordinator: the broker coordinating a group or a transactional id (this one), one key or a batch (v4+).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/internaltopics.h"
#include "engine/cluster/metadatastore.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/coordinator/transactionrecords.h"
#include "engine/net/framehandler.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/findcoordinator.h"

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::FindCoordinatorRequest;
using protocol::FindCoordinatorResponse;

constexpr int8_t kGroupKey = 0;
constexpr int8_t kTransactionKey = 1;

class FindCoordinatorHandler final : public TypedHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
public:
    explicit FindCoordinatorHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        FindCoordinatorRequest& request) override {
        auto response = std::make_unique<FindCoordinatorResponse>();
        if (context.apiVersion >= 4) {
            for (const auto& key : request.coordinatorKeys) {
                response->coordinators.push_back(find(context, key, request.keyType));
            }
            co_return response;
        }
        auto one = find(context, request.key, context.apiVersion == 0 ? kGroupKey : request.keyType);
        response->errorCode = one.errorCode;
        response->errorMessage = one.errorMessage;
        response->nodeId = one.nodeId;
        response->host = one.host;
        response->port = one.port;
        co_return response;
    }

private:
    FindCoordinatorResponse::Coordinator find(const RequestContext& context, const std::string& key, int8_t keyType) {
        FindCoordinatorResponse::Coordinator out;
        out.key = key;
        out.nodeId = -1;
        out.port = -1;
        auto fail = [&out](ErrorCode error, std::string message) {
            out.errorCode = protocol::code(error);
            out.errorMessage = std::move(message);
            return out;
        };
        if (keyType != kGroupKey && keyType != kTransactionKey) {
            return fail(ErrorCode::InvalidRequest, "Unknown coordinator type " + std::to_string(keyType));
        }
        // Every partition of the internal topics is led here: this broker coordinates everything.
        const std::string topic =
            keyType == kGroupKey ? coordinator::kOffsetsTopic : coordinator::kTransactionStateTopic;
        if (ApiError e = m_context.ensureInternalTopic(topic); !e.ok()) {
            return fail(ErrorCode::CoordinatorNotAvailable, "Cannot create " + topic + ": " + e.message);
        }
        for (const auto& broker : m_context.metadata().brokersOn(context.connection.listenerName)) {
            if (broker.nodeId != m_context.nodeId()) continue;
            out.nodeId = broker.nodeId;
            out.host = broker.host;
            out.port = broker.port;
            out.errorMessage = std::nullopt;
            return out;
        }
        return fail(ErrorCode::CoordinatorNotAvailable,
                    "This broker has no endpoint on listener " + context.connection.listenerName);
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeFindCoordinatorHandler(BrokerContext& context) {
    return std::make_unique<FindCoordinatorHandler>(context);
}

}  // namespace partita::broker
