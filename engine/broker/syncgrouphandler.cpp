// SyncGroup: the leader hands out the assignment; every member waits for its own.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/messages/syncgroup.h"

namespace partita::broker {

namespace {

using protocol::SyncGroupRequest;
using protocol::SyncGroupResponse;

class SyncGroupHandler final : public TypedHandler<SyncGroupRequest, SyncGroupResponse> {
public:
    explicit SyncGroupHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        SyncGroupRequest& request) override {
        coordinator::SyncRequest sync;
        sync.groupId = request.groupId;
        sync.generationId = request.generationId;
        sync.memberId = request.memberId;
        sync.groupInstanceId = request.groupInstanceId;
        sync.protocolType = request.protocolType;
        sync.protocolName = request.protocolName;
        for (auto& a : request.assignments) sync.assignments.emplace_back(a.memberId, a.assignment);

        coordinator::SyncResult result = co_await m_context.groups().sync(std::move(sync));

        auto response = std::make_unique<SyncGroupResponse>();
        response->errorCode = result.errorCode;
        if (context.apiVersion >= 5) {
            response->protocolType = result.protocolType;
            response->protocolName = result.protocolName;
        }
        response->assignment = result.assignment;
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeSyncGroupHandler(BrokerContext& context) {
    return std::make_unique<SyncGroupHandler>(context);
}

}  // namespace partita::broker
