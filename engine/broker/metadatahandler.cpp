// Metadata: brokers, cluster id, controller, topics with partitions, leaders, replicas and ISR; auto-creation.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/internaltopics.h"
#include "engine/cluster/metadatastore.h"
#include "engine/net/framehandler.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/metadata.h"

namespace partita::broker {

namespace {

using protocol::MetadataRequest;
using protocol::MetadataResponse;

class MetadataHandler final : public TypedHandler<MetadataRequest, MetadataResponse> {
public:
    explicit MetadataHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        MetadataRequest& request) override {
        auto response = std::make_unique<MetadataResponse>();
        cluster::MetadataStore& metadata = m_context.metadata();
        for (const cluster::AdvertisedBroker& broker : metadata.brokersOn(context.connection.listenerName)) {
            MetadataResponse::MetadataResponseBroker out;
            out.nodeId = broker.nodeId;
            out.host = broker.host;
            out.port = broker.port;
            out.rack = broker.rack;
            response->brokers.push_back(std::move(out));
        }
        response->clusterId = metadata.clusterId();
        response->controllerId = metadata.controllerId();

        // v0: an empty list means every topic; v1+: null means every topic, empty means none.
        bool all = !request.topics || (context.apiVersion == 0 && request.topics->empty());
        if (all) {
            for (const cluster::TopicInfo& topic : metadata.topics()) response->topics.push_back(describe(topic));
            co_return response;
        }
        bool mayCreate =
            m_context.config().autoCreateTopicsEnable && (context.apiVersion < 4 || request.allowAutoTopicCreation);
        for (const auto& wanted : *request.topics) {
            std::optional<cluster::TopicInfo> topic;
            if (wanted.name) {
                topic = metadata.topic(*wanted.name);
            } else if (!wanted.topicId.isZero()) {
                topic = metadata.topicById(wanted.topicId);
            }
            if (!topic && wanted.name && mayCreate) {
                // The coordinators' topics get their own settings whoever asks for them first.
                ApiError created = isCoordinatorTopic(*wanted.name)
                                       ? m_context.ensureInternalTopic(*wanted.name)
                                       : m_context.createTopic(*wanted.name, -1, -1, {}, {}, false);
                if (created.ok() || created.code == protocol::code(protocol::ErrorCode::TopicAlreadyExists)) {
                    topic = metadata.topic(*wanted.name);
                } else {
                    response->topics.push_back(error(wanted, created.code));
                    continue;
                }
            }
            if (!topic) {
                bool byId = !wanted.name;
                response->topics.push_back(
                    error(wanted, protocol::code(byId ? protocol::ErrorCode::UnknownTopicId
                                                      : protocol::ErrorCode::UnknownTopicOrPartition)));
                continue;
            }
            response->topics.push_back(describe(*topic));
        }
        co_return response;
    }

private:
    MetadataResponse::MetadataResponseTopic describe(const cluster::TopicInfo& topic) {
        MetadataResponse::MetadataResponseTopic out;
        out.name = topic.name;
        out.topicId = topic.id;
        out.isInternal = topic.internal;
        for (const cluster::PartitionInfo& partition : topic.partitions) {
            MetadataResponse::MetadataResponsePartition p;
            p.partitionIndex = partition.partition;
            p.leaderId = partition.leader;
            p.leaderEpoch = partition.leaderEpoch;
            p.replicaNodes = partition.replicas;
            p.isrNodes = partition.isr;
            p.offlineReplicas = partition.offlineReplicas;
            if (partition.leader < 0) p.errorCode = protocol::code(protocol::ErrorCode::LeaderNotAvailable);
            out.partitions.push_back(std::move(p));
        }
        return out;
    }

    static MetadataResponse::MetadataResponseTopic error(const MetadataRequest::MetadataRequestTopic& wanted,
                                                         int16_t code) {
        MetadataResponse::MetadataResponseTopic out;
        out.errorCode = code;
        out.name = wanted.name;
        out.topicId = wanted.topicId;
        return out;
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeMetadataHandler(BrokerContext& context) {
    return std::make_unique<MetadataHandler>(context);
}

}  // namespace partita::broker
