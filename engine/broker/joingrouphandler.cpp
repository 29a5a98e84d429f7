// JoinGroup: a member joins (or rejoins) a group and waits for the rebalance's answer.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/net/framehandler.h"
#include "engine/protocol/messages/joingroup.h"

namespace partita::broker {

namespace {

using protocol::JoinGroupRequest;
using protocol::JoinGroupResponse;

// Kafka reports the member's address as Java prints an InetAddress: "/127.0.0.1".
std::string clientHost(const net::ConnectionInfo& connection) {
    const auto colon = connection.peer.rfind(':');
    std::string host = connection.peer.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return "/" + host;
}

class JoinGroupHandler final : public TypedHandler<JoinGroupRequest, JoinGroupResponse> {
public:
    explicit JoinGroupHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        JoinGroupRequest& request) override {
        coordinator::JoinRequest join;
        join.groupId = request.groupId;
        join.memberId = request.memberId;
        join.groupInstanceId = request.groupInstanceId;
        join.clientId = context.clientId;
        join.clientHost = clientHost(context.connection);
        join.sessionTimeoutMs = request.sessionTimeoutMs;
        // v0 had one timeout for both.
        join.rebalanceTimeoutMs = context.apiVersion == 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs;
        join.protocolType = request.protocolType;
        for (auto& p : request.protocols) join.protocols.push_back({p.name, p.metadata});
        join.requireKnownMemberId = context.apiVersion >= 4;

        coordinator::JoinResult result = co_await m_context.groups().join(std::move(join));

        auto response = std::make_unique<JoinGroupResponse>();
        response->errorCode = result.errorCode;
        response->generationId = result.generationId;
        response->protocolType = result.protocolType;
        // Before v7 the protocol name is not nullable: an empty string stands for none.
        response->protocolName = result.protocolName;
        if (context.apiVersion < 7 && !response->protocolName) response->protocolName = "";
        response->leader = result.leaderId;
        response->skipAssignment = context.apiVersion >= 9 && result.skipAssignment;
        response->memberId = result.memberId;
        for (auto& m : result.members) {
            JoinGroupResponse::JoinGroupResponseMember member;
            member.memberId = m.memberId;
            member.groupInstanceId = m.groupInstanceId;
            member.metadata = m.metadata;
            response->members.push_back(std::move(member));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeJoinGroupHandler(BrokerContext& context) {
    return std::make_unique<JoinGroupHandler>(context);
}

}  // namespace partita::broker
