// DeleteGroups: removes empty groups and their committed offsets.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/messages/deletegroups.h"

namespace partita::broker {

namespace {

using protocol::DeleteGroupsRequest;
using protocol::DeleteGroupsResponse;

class DeleteGroupsHandler final : public TypedHandler<DeleteGroupsRequest, DeleteGroupsResponse> {
public:
    explicit DeleteGroupsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        DeleteGroupsRequest& request) override {
        auto response = std::make_unique<DeleteGroupsResponse>();
        for (const auto& id : request.groupsNames) {
            DeleteGroupsResponse::DeletableGroupResult result;
            result.groupId = id;
            result.errorCode = m_context.groups().deleteGroup(id);
            response->results.push_back(std::move(result));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDeleteGroupsHandler(BrokerContext& context) {
    return std::make_unique<DeleteGroupsHandler>(context);
}

}  // namespace partita::broker
