// Admin::describeCluster: the cluster id, controller and brokers.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/describecluster.h"
#include "engine/protocol/messages/metadata.h"

#include <algorithm>

namespace partita::client {

using namespace adminsupport;

namespace {

void sortAndFlag(ClusterDescription& cluster) {
    std::sort(cluster.brokers.begin(), cluster.brokers.end(),
              [](const BrokerDescription& a, const BrokerDescription& b) { return a.id < b.id; });
    for (auto& broker : cluster.brokers) broker.isController = broker.id == cluster.controllerId;
}

// Brokers older than DescribeCluster (Kafka < 2.8) answer the same through Metadata; an empty
// topic list (v1+) asks for no topics, so this stays cheap on large clusters.
void describeViaMetadata(const std::shared_ptr<KafkaClient>& client, Admin::Done<ClusterDescription> done) {
    auto request = std::make_unique<protocol::MetadataRequest>();
    RequestOptions options;
    options.minVersion = 1;
    client->call<protocol::MetadataResponse>(
        Target::anyBroker(), std::move(request),
        [done](Result<TypedResponse<protocol::MetadataResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            ClusterDescription cluster;
            cluster.clusterId = response.clusterId.value_or(std::string());
            cluster.controllerId = response.controllerId;
            for (const auto& b : response.brokers) cluster.brokers.push_back({b.nodeId, b.host, b.port, b.rack, false});
            sortAndFlag(cluster);
            done(std::move(cluster));
        },
        options);
}

}  // namespace

void Admin::describeCluster(Done<ClusterDescription> done) {
    std::weak_ptr<KafkaClient> weak = m_client;
    m_client->call<protocol::DescribeClusterResponse>(
        Target::anyBroker(), std::make_unique<protocol::DescribeClusterRequest>(),
        [weak, done](Result<TypedResponse<protocol::DescribeClusterResponse>> result) {
            if (!result.ok()) {
                if (result.error().kind != ErrorKind::Unsupported) return done(result.error());
                auto client = weak.lock();
                if (!client) return done(clientGone());
                return describeViaMetadata(client, done);
            }
            const auto& response = *result.value();
            if (response.errorCode != 0)
                return done(
                    brokerError(response.errorCode, "DescribeCluster", response.errorMessage.value_or(std::string())));
            ClusterDescription cluster;
            cluster.clusterId = response.clusterId;
            cluster.controllerId = response.controllerId;
            for (const auto& b : response.brokers)
                cluster.brokers.push_back({b.brokerId, b.host, b.port, b.rack, false});
            sortAndFlag(cluster);
            done(std::move(cluster));
        });
}

}  // namespace partita::client
