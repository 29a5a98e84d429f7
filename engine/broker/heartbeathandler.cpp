// Heartbeat: a member is alive; the answer tells it when the group rebalances.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/messages/heartbeat.h"

namespace partita::broker {

namespace {

using protocol::HeartbeatRequest;
using protocol::HeartbeatResponse;

class HeartbeatHandler final : public TypedHandler<HeartbeatRequest, HeartbeatResponse> {
public:
    explicit HeartbeatHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        HeartbeatRequest& request) override {
        auto response = std::make_unique<HeartbeatResponse>();
        response->errorCode = m_context.groups().heartbeat(request.groupId, request.memberId, request.groupInstanceId,
                                                           request.generationId);
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeHeartbeatHandler(BrokerContext& context) {
    return std::make_unique<HeartbeatHandler>(context);
}

}  // namespace partita::broker
