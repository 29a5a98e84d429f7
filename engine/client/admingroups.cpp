// Admin's consumer group operations: list (every broker), describe (with the consumer protocol's
// subscriptions and assignments decoded) and delete.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/consumerprotocolassignment.h"
#include "engine/protocol/messages/consumerprotocolsubscription.h"
#include "engine/protocol/messages/deletegroups.h"
#include "engine/protocol/messages/describegroups.h"
#include "engine/protocol/messages/listgroups.h"
#include "engine/protocol/reader.h"

#include <algorithm>
#include <map>

namespace partita::client {

using namespace adminsupport;

namespace {

// The consumer protocol's bytes start with their version; a newer version than ours still
// decodes with our highest, since the protocol only ever appends fields (as Kafka's own
// ConsumerProtocol reads it).
template <class Message>
std::optional<Message> decodeConsumerProtocol(const Bytes& bytes) {
    if (bytes.size() < 2) return std::nullopt;
    protocol::Reader reader(bytes);
    const int16_t version = reader.readInt16();
    if (!reader.ok() || version < 0) return std::nullopt;
    Message message;
    message.decode(reader, std::min<int16_t>(version, Message::kHighestVersion));
    if (!reader.ok()) return std::nullopt;
    return message;
}

GroupMember memberOf(const protocol::DescribeGroupsResponse::DescribedGroupMember& m, bool consumerProtocol) {
    GroupMember member;
    member.memberId = m.memberId;
    member.groupInstanceId = m.groupInstanceId;
    member.clientId = m.clientId;
    member.host = m.clientHost;
    if (!consumerProtocol) return member;
    if (auto subscription = decodeConsumerProtocol<protocol::ConsumerProtocolSubscription>(m.memberMetadata))
        member.subscribedTopics = subscription->topics;
    if (auto assignment = decodeConsumerProtocol<protocol::ConsumerProtocolAssignment>(m.memberAssignment)) {
        for (const auto& t : assignment->assignedPartitions)
            for (int32_t p : t.partitions) member.assignment.push_back({t.topic, p});
        std::sort(member.assignment.begin(), member.assignment.end());
    }
    return member;
}

std::string groupContext(const std::string& group) {
    return "group " + group;
}

}  // namespace

void Admin::listConsumerGroups(ListGroupsOptions options, Done<GroupListings> done) {
    std::weak_ptr<KafkaClient> weak = m_client;
    describeCluster([weak, options, done](Result<ClusterDescription> cluster) {
        if (!cluster.ok()) return done(cluster.error());
        auto client = weak.lock();
        if (!client) return done(clientGone());
        const auto& brokers = cluster.value().brokers;
        if (brokers.empty()) return done(Error{ErrorKind::Network, "the cluster reported no brokers"});
        struct State {
            std::map<std::string, GroupListing> groups;
            std::vector<Error> errors;
            std::optional<Error> fatal;
        };
        const size_t brokerCount = brokers.size();
        auto join = std::make_shared<Join<State>>(brokerCount, [done, brokerCount](State& s) {
            if (s.fatal) return done(*s.fatal);
            if (s.errors.size() == brokerCount) return done(s.errors.front());
            GroupListings listings;
            for (auto& [id, listing] : s.groups) listings.groups.push_back(std::move(listing));
            listings.brokerErrors = std::move(s.errors);
            done(std::move(listings));
        });
        auto request = std::make_shared<protocol::ListGroupsRequest>();
        request->statesFilter = options.states;
        request->typesFilter = options.types;
        RequestOptions requestOptions;
        if (!options.states.empty()) requestOptions.minVersion = 4;
        if (!options.types.empty()) requestOptions.minVersion = 5;
        for (const auto& broker : brokers) {
            const int32_t id = broker.id;
            auto spec = std::make_shared<RetrySpec<protocol::ListGroupsResponse>>();
            spec->target = [id] { return Target::node(id); };
            spec->makeRequest = [request] { return std::make_unique<protocol::ListGroupsRequest>(*request); };
            // A broker still loading its groups says so; it will have them in a moment.
            spec->retryCode = [](const protocol::ListGroupsResponse& r) {
                return isCoordinatorError(r.errorCode) ? r.errorCode : int16_t{0};
            };
            spec->options = requestOptions;
            callWithRetry<protocol::ListGroupsResponse>(
                client, CallBudget(*client), spec,
                [join, id, options](Result<TypedResponse<protocol::ListGroupsResponse>> result) {
                    join->arrive([&](State& s) {
                        if (!result.ok()) {
                            if (result.error().kind == ErrorKind::Unsupported) s.fatal = result.error();
                            s.errors.push_back(result.error());
                            return;
                        }
                        const auto& response = *result.value();
                        if (response.errorCode != 0) {
                            s.errors.push_back(brokerError(response.errorCode, "broker " + std::to_string(id)));
                            return;
                        }
                        for (const auto& g : response.groups) {
                            const bool consumer = g.protocolType == "consumer" || g.protocolType.empty();
                            if (!consumer && !options.includeAllProtocolTypes) continue;
                            s.groups.insert_or_assign(
                                g.groupId, GroupListing{g.groupId, g.protocolType, g.groupState, g.groupType, id});
                        }
                    });
                });
        }
    });
}

void Admin::describeConsumerGroups(std::vector<std::string> groups, DescribeGroupsOptions options,
                                   Done<std::vector<ConsumerGroupDescription>> done) {
    if (groups.empty()) return done(std::vector<ConsumerGroupDescription>{});
    auto join = joinPerItem<ConsumerGroupDescription>(groups.size(), done);
    for (size_t i = 0; i < groups.size(); ++i) {
        const std::string group = groups[i];
        join->state().results[i].groupId = group;
        const bool authorized = options.includeAuthorizedOperations;
        auto spec = groupCoordinatorSpec<protocol::DescribeGroupsResponse>(
            group,
            [group, authorized] {
                auto request = std::make_unique<protocol::DescribeGroupsRequest>();
                request->groups = {group};
                request->includeAuthorizedOperations = authorized;
                return request;
            },
            [](const protocol::DescribeGroupsResponse& r) {
                const int16_t code = r.groups.empty() ? int16_t{0} : r.groups.front().errorCode;
                return isCoordinatorError(code) ? code : int16_t{0};
            });
        // Authorized operations came with v3; an older broker describes the group without them.
        spec->options.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
            if (version < 3) static_cast<protocol::DescribeGroupsRequest&>(message).includeAuthorizedOperations = false;
        };
        callWithRetry<protocol::DescribeGroupsResponse>(
            m_client, CallBudget(*m_client), spec,
            [join, i, group](Result<TypedResponse<protocol::DescribeGroupsResponse>> result) {
                join->arrive([&](auto& s) {
                    if (!result.ok()) return s.fail(i, result.error());
                    auto& out = s.results[i];
                    out.coordinatorId = result.value().nodeId;
                    const auto& response = *result.value();
                    auto it = std::find_if(response.groups.begin(), response.groups.end(),
                                           [&](const auto& g) { return g.groupId == group; });
                    if (it == response.groups.end()) {
                        out.status =
                            Error{ErrorKind::Malformed, groupContext(group) + ": the coordinator did not describe it"};
                        return;
                    }
                    out.status = statusOf(it->errorCode, groupContext(group));
                    out.state = it->groupState;
                    out.protocolType = it->protocolType;
                    out.protocol = it->protocolData;
                    const bool consumer = it->protocolType == "consumer";
                    for (const auto& m : it->members) out.members.push_back(memberOf(m, consumer));
                    out.authorizedOperations = authorizedOperationsFromBits(it->authorizedOperations);
                });
            });
    }
}

void Admin::deleteConsumerGroups(std::vector<std::string> groups, Done<std::vector<ItemStatus>> done) {
    if (groups.empty()) return done(std::vector<ItemStatus>{});
    auto join = joinPerItem<ItemStatus>(groups.size(), done);
    for (size_t i = 0; i < groups.size(); ++i) {
        const std::string group = groups[i];
        join->state().results[i].name = group;
        auto spec = groupCoordinatorSpec<protocol::DeleteGroupsResponse>(
            group,
            [group] {
                auto request = std::make_unique<protocol::DeleteGroupsRequest>();
                request->groupsNames = {group};
                return request;
            },
            [](const protocol::DeleteGroupsResponse& r) {
                const int16_t code = r.results.empty() ? int16_t{0} : r.results.front().errorCode;
                return isCoordinatorError(code) ? code : int16_t{0};
            });
        callWithRetry<protocol::DeleteGroupsResponse>(
            m_client, CallBudget(*m_client), spec,
            [join, i, group](Result<TypedResponse<protocol::DeleteGroupsResponse>> result) {
                join->arrive([&](auto& s) {
                    if (!result.ok()) return s.fail(i, result.error());
                    auto& out = s.results[i];
                    const auto& results = result.value()->results;
                    auto it =
                        std::find_if(results.begin(), results.end(), [&](const auto& r) { return r.groupId == group; });
                    if (it == results.end())
                        out.status = Error{ErrorKind::Malformed,
                                           groupContext(group) + ": the coordinator did not answer for it"};
                    else
                        out.status = statusOf(it->errorCode, groupContext(group));
                });
            });
    }
}

}  // namespace partita::client
