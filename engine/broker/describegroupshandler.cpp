// DescribeGroups: state, protocol and members (with subscriptions and assignments once stable) of groups.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/messages/describegroups.h"

namespace partita::broker {

namespace {

using protocol::DescribeGroupsRequest;
using protocol::DescribeGroupsResponse;

// What may be done to a group (ACL operation bits READ 3, DELETE 6, DESCRIBE 8): everything, as
// long as partitad has no authorizer.
constexpr int32_t kGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

class DescribeGroupsHandler final : public TypedHandler<DescribeGroupsRequest, DescribeGroupsResponse> {
public:
    explicit DescribeGroupsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        DescribeGroupsRequest& request) override {
        auto response = std::make_unique<DescribeGroupsResponse>();
        for (const auto& id : request.groups) {
            coordinator::GroupDescription d = m_context.groups().describeGroup(id);
            DescribeGroupsResponse::DescribedGroup out;
            out.errorCode = d.errorCode;
            out.groupId = id;
            out.groupState = std::string(coordinator::groupStateName(d.state));
            out.protocolType = d.protocolType;
            out.protocolData = d.protocolName;
            for (auto& m : d.members) {
                DescribeGroupsResponse::DescribedGroupMember member;
                member.memberId = m.memberId;
                member.groupInstanceId = m.groupInstanceId;
                member.clientId = m.clientId;
                member.clientHost = m.clientHost;
                member.memberMetadata = m.metadata;
                member.memberAssignment = m.assignment;
                out.members.push_back(std::move(member));
            }
            if (request.includeAuthorizedOperations) out.authorizedOperations = kGroupOperations;
            response->groups.push_back(std::move(out));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDescribeGroupsHandler(BrokerContext& context) {
    return std::make_unique<DescribeGroupsHandler>(context);
}

}  // namespace partita::broker
