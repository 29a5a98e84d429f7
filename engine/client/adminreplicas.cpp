// Admin's replica operations: describeLogDirs (per broker), electLeaders and partition
// reassignments (at the controller).
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/alterpartitionreassignments.h"
#include "engine/protocol/messages/describelogdirs.h"
#include "engine/protocol/messages/electleaders.h"
#include "engine/protocol/messages/listpartitionreassignments.h"

#include <algorithm>
#include <map>

namespace partita::client {

using namespace adminsupport;

namespace {

template <class Resp>
std::shared_ptr<RetrySpec<Resp>> controllerSpec(std::function<std::unique_ptr<protocol::ApiMessage>()> make) {
    auto spec = std::make_shared<RetrySpec<Resp>>();
    spec->target = [] { return Target::controller(); };
    spec->makeRequest = std::move(make);
    spec->retryCode = [](const Resp& r) { return isControllerError(r.errorCode) ? r.errorCode : int16_t{0}; };
    // The cached controller moved: refresh metadata so the next attempt finds the new one.
    spec->onRetry = [](KafkaClient& client, int16_t) {
        client.refreshMetadata({}, [](Result<std::shared_ptr<const ClusterMetadata>>) {});
    };
    return spec;
}

void describeLogDirsOf(const std::shared_ptr<KafkaClient>& client, std::vector<int32_t> brokers,
                       Admin::Done<std::vector<BrokerLogDirs>> done) {
    auto join = joinPerItem<BrokerLogDirs>(brokers.size(), done);
    for (size_t i = 0; i < brokers.size(); ++i) {
        const int32_t id = brokers[i];
        join->state().results[i].brokerId = id;
        auto request = std::make_unique<protocol::DescribeLogDirsRequest>();
        request->topics = std::nullopt;  // every partition
        client->call<protocol::DescribeLogDirsResponse>(
            Target::node(id), std::move(request),
            [join, i, id](Result<TypedResponse<protocol::DescribeLogDirsResponse>> result) {
                join->arrive([&](auto& s) {
                    if (!result.ok()) return s.fail(i, result.error());
                    auto& out = s.results[i];
                    const auto& response = *result.value();
                    const std::string context = "broker " + std::to_string(id);
                    out.status = statusOf(response.errorCode, context);
                    for (const auto& r : response.results) {
                        LogDirDescription dir;
                        dir.path = r.logDir;
                        dir.status = statusOf(r.errorCode, context + " " + r.logDir);
                        for (const auto& t : r.topics)
                            for (const auto& p : t.partitions)
                                dir.partitions.push_back(
                                    {{t.name, p.partitionIndex}, p.partitionSize, p.offsetLag, p.isFutureKey});
                        std::sort(dir.partitions.begin(), dir.partitions.end(),
                                  [](const auto& a, const auto& b) { return a.partition < b.partition; });
                        if (result.value().version >= 4) {
                            if (r.totalBytes >= 0) dir.totalBytes = r.totalBytes;
                            if (r.usableBytes >= 0) dir.usableBytes = r.usableBytes;
                        }
                        out.dirs.push_back(std::move(dir));
                    }
                });
            });
    }
}

std::vector<PartitionStatus> statusesInOrder(const std::vector<TopicPartition>& order,
                                             const std::map<TopicPartition, Status>& answered,
                                             const std::string& what) {
    std::vector<PartitionStatus> out;
    for (const auto& tp : order) {
        auto it = answered.find(tp);
        out.push_back(
            {tp, it != answered.end()
                     ? it->second
                     : Status(Error{ErrorKind::Malformed,
                                    formatPartition(tp) + ": the controller did not answer for it (" + what + ")"})});
    }
    return out;
}

}  // namespace

void Admin::describeLogDirs(std::vector<int32_t> brokers, Done<std::vector<BrokerLogDirs>> done) {
    if (!brokers.empty()) return describeLogDirsOf(m_client, std::move(brokers), std::move(done));
    std::weak_ptr<KafkaClient> weak = m_client;
    describeCluster([weak, done](Result<ClusterDescription> cluster) {
        if (!cluster.ok()) return done(cluster.error());
        auto client = weak.lock();
        if (!client) return done(clientGone());
        std::vector<int32_t> ids;
        for (const auto& b : cluster.value().brokers) ids.push_back(b.id);
        if (ids.empty()) return done(std::vector<BrokerLogDirs>{});
        describeLogDirsOf(client, std::move(ids), done);
    });
}

void Admin::electLeaders(ElectionType type, std::optional<std::vector<TopicPartition>> partitions,
                         Done<std::vector<PartitionStatus>> done) {
    auto make = [type, partitions] {
        auto request = std::make_unique<protocol::ElectLeadersRequest>();
        request->electionType = static_cast<int8_t>(type);
        if (!partitions) {
            request->topicPartitions = std::nullopt;  // every partition
        } else {
            std::map<std::string, std::vector<int32_t>> byTopic;
            for (const auto& tp : *partitions) byTopic[tp.topic].push_back(tp.partition);
            request->topicPartitions.emplace();
            for (auto& [topic, ids] : byTopic) request->topicPartitions->push_back({topic, std::move(ids), {}});
        }
        return request;
    };
    auto spec = controllerSpec<protocol::ElectLeadersResponse>(make);
    // v0 can only ask for the preferred leader.
    if (type == ElectionType::Unclean) spec->options.minVersion = 1;
    callWithRetry<protocol::ElectLeadersResponse>(
        m_client, CallBudget(*m_client), spec,
        [partitions, done](Result<TypedResponse<protocol::ElectLeadersResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            if (response.errorCode != 0) return done(brokerError(response.errorCode, "ElectLeaders"));
            std::map<TopicPartition, Status> answered;
            std::vector<TopicPartition> order;
            for (const auto& t : response.replicaElectionResults) {
                for (const auto& p : t.partitionResult) {
                    TopicPartition tp{t.topic, p.partitionId};
                    answered[tp] = statusOf(p.errorCode, formatPartition(tp), p.errorMessage);
                    if (!partitions) order.push_back(tp);
                }
            }
            if (partitions) order = *partitions;
            std::sort(order.begin(), order.end());
            done(statusesInOrder(order, answered, "ElectLeaders"));
        });
}

void Admin::alterPartitionReassignments(std::map<TopicPartition, std::optional<std::vector<int32_t>>> reassignments,
                                        Done<std::vector<PartitionStatus>> done) {
    if (reassignments.empty()) return done(std::vector<PartitionStatus>{});
    const int32_t timeoutMs = m_client->config().requestTimeoutMs;
    auto make = [reassignments, timeoutMs] {
        auto request = std::make_unique<protocol::AlterPartitionReassignmentsRequest>();
        request->timeoutMs = timeoutMs;
        std::map<std::string, std::vector<protocol::AlterPartitionReassignmentsRequest::ReassignablePartition>> byTopic;
        for (const auto& [tp, replicas] : reassignments) byTopic[tp.topic].push_back({tp.partition, replicas, {}});
        for (auto& [topic, parts] : byTopic) request->topics.push_back({topic, std::move(parts), {}});
        return request;
    };
    std::vector<TopicPartition> order;
    for (const auto& [tp, replicas] : reassignments) order.push_back(tp);
    callWithRetry<protocol::AlterPartitionReassignmentsResponse>(
        m_client, CallBudget(*m_client), controllerSpec<protocol::AlterPartitionReassignmentsResponse>(make),
        [order, done](Result<TypedResponse<protocol::AlterPartitionReassignmentsResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            if (response.errorCode != 0)
                return done(brokerError(response.errorCode, "AlterPartitionReassignments",
                                        response.errorMessage.value_or(std::string())));
            std::map<TopicPartition, Status> answered;
            for (const auto& t : response.responses)
                for (const auto& p : t.partitions) {
                    TopicPartition tp{t.name, p.partitionIndex};
                    answered[tp] = statusOf(p.errorCode, formatPartition(tp), p.errorMessage);
                }
            done(statusesInOrder(order, answered, "AlterPartitionReassignments"));
        });
}

void Admin::listPartitionReassignments(std::optional<std::vector<TopicPartition>> partitions,
                                       Done<std::vector<PartitionReassignment>> done) {
    const int32_t timeoutMs = m_client->config().requestTimeoutMs;
    auto make = [partitions, timeoutMs] {
        auto request = std::make_unique<protocol::ListPartitionReassignmentsRequest>();
        request->timeoutMs = timeoutMs;
        if (partitions) {
            std::map<std::string, std::vector<int32_t>> byTopic;
            for (const auto& tp : *partitions) byTopic[tp.topic].push_back(tp.partition);
            request->topics.emplace();
            for (auto& [topic, ids] : byTopic) request->topics->push_back({topic, std::move(ids), {}});
        }
        return request;
    };
    callWithRetry<protocol::ListPartitionReassignmentsResponse>(
        m_client, CallBudget(*m_client), controllerSpec<protocol::ListPartitionReassignmentsResponse>(make),
        [done](Result<TypedResponse<protocol::ListPartitionReassignmentsResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            if (response.errorCode != 0)
                return done(brokerError(response.errorCode, "ListPartitionReassignments",
                                        response.errorMessage.value_or(std::string())));
            std::vector<PartitionReassignment> out;
            for (const auto& t : response.topics)
                for (const auto& p : t.partitions)
                    out.push_back({{t.name, p.partitionIndex}, p.replicas, p.addingReplicas, p.removingReplicas});
            std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.partition < b.partition; });
            done(std::move(out));
        });
}

}  // namespace partita::client
