// ListGroups: every group this coordinator knows, filtered by state (v4+) and type (v5+).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/messages/listgroups.h"
#include "engine/storage/configsyntax.h"

#include <algorithm>

namespace partita::broker {

namespace {

using protocol::ListGroupsRequest;
using protocol::ListGroupsResponse;

// The groups served here use the classic protocol (KIP-848 calls it that).
constexpr const char* kClassicGroupType = "classic";

bool listed(const std::vector<std::string>& filter, const std::string& value) {
    return filter.empty() || std::any_of(filter.begin(), filter.end(),
                                         [&](const std::string& f) { return storage::equalsIgnoreCase(f, value); });
}

class ListGroupsHandler final : public TypedHandler<ListGroupsRequest, ListGroupsResponse> {
public:
    explicit ListGroupsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        ListGroupsRequest& request) override {
        auto response = std::make_unique<ListGroupsResponse>();
        for (const auto& g : m_context.groups().listGroups()) {
            const std::string state(coordinator::groupStateName(g.state));
            if (!listed(request.statesFilter, state) || !listed(request.typesFilter, kClassicGroupType)) continue;
            ListGroupsResponse::ListedGroup out;
            out.groupId = g.groupId;
            out.protocolType = g.protocolType;
            if (context.apiVersion >= 4) out.groupState = state;
            if (context.apiVersion >= 5) out.groupType = kClassicGroupType;
            response->groups.push_back(std::move(out));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeListGroupsHandler(BrokerContext& context) {
    return std::make_unique<ListGroupsHandler>(context);
}

}  // namespace partita::broker
