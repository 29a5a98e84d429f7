// LeaveGroup: one member (v0-2) or a batch of members, static ones by instance id (v3+), leave a group.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/messages/leavegroup.h"

namespace partita::broker {

namespace {

using protocol::LeaveGroupRequest;
using protocol::LeaveGroupResponse;

class LeaveGroupHandler final : public TypedHandler<LeaveGroupRequest, LeaveGroupResponse> {
public:
    explicit LeaveGroupHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        LeaveGroupRequest& request) override {
        auto response = std::make_unique<LeaveGroupResponse>();
        std::vector<coordinator::LeavingMember> leaving;
        if (context.apiVersion < 3) {
            leaving.push_back({request.memberId, std::nullopt, 0});
        } else {
            for (const auto& m : request.members) leaving.push_back({m.memberId, m.groupInstanceId, 0});
        }
        response->errorCode = m_context.groups().leave(request.groupId, leaving);
        if (context.apiVersion < 3) {
            // One member: its error is the answer.
            if (response->errorCode == 0) response->errorCode = leaving.front().errorCode;
            co_return response;
        }
        if (response->errorCode == 0) {
            for (const auto& m : leaving) {
                LeaveGroupResponse::MemberResponse out;
                out.memberId = m.memberId;
                out.groupInstanceId = m.groupInstanceId;
                out.errorCode = m.errorCode;
                response->members.push_back(std::move(out));
            }
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeLeaveGroupHandler(BrokerContext& context) {
    return std::make_unique<LeaveGroupHandler>(context);
}

}  // namespace partita::broker
