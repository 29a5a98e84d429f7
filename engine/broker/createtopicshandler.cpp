// CreateTopics: new topics with broker-default or explicit partitions, replica assignments and configs.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/configentries.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/createtopics.h"

#include <algorithm>
#include <set>

namespace partita::broker {

namespace {

using protocol::CreateTopicsRequest;
using protocol::CreateTopicsResponse;
using protocol::ErrorCode;

// Kafka refuses a name that differs from an existing one only in '.' versus '_' (metric names collide).
std::string collisionKey(std::string name) {
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

class CreateTopicsHandler final : public TypedHandler<CreateTopicsRequest, CreateTopicsResponse> {
public:
    explicit CreateTopicsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        CreateTopicsRequest& request) override {
        auto response = std::make_unique<CreateTopicsResponse>();
        std::map<std::string, int> seen;
        for (const auto& topic : request.topics) ++seen[topic.name];
        for (const auto& topic : request.topics) {
            CreateTopicsResponse::CreatableTopicResult result;
            result.name = topic.name;
            // A name given twice is refused for both entries: which of the two was meant is unknowable.
            ApiError error = seen[topic.name] > 1 ? apiError(ErrorCode::InvalidRequest, "Duplicate topic name.")
                                                  : create(topic, request.validateOnly);
            result.errorCode = error.code;
            if (error.ok()) {
                result.errorMessage = std::nullopt;
                if (context.apiVersion >= 5) fillCreated(result, topic, request.validateOnly);
            } else {
                result.errorMessage = error.message;
            }
            response->topics.push_back(std::move(result));
        }
        co_return response;
    }

private:
    ApiError create(const CreateTopicsRequest::CreatableTopic& topic, bool validateOnly) {
        if (ApiError e = BrokerContext::validateTopicName(topic.name); !e.ok()) return e;
        if (!m_context.metadata().topic(topic.name)) {
            const std::string key = collisionKey(topic.name);
            for (const cluster::TopicInfo& existing : m_context.metadata().topics()) {
                if (collisionKey(existing.name) == key) {
                    return apiError(ErrorCode::InvalidTopicException,
                                    "Topic '" + topic.name + "' collides with existing topic: " + existing.name);
                }
            }
        }
        std::map<std::string, std::string> configs;
        std::vector<std::string> nullConfigs;
        for (const auto& config : topic.configs) {
            if (!config.value) {
                nullConfigs.push_back(config.name);
                continue;
            }
            configs[config.name] = *config.value;
        }
        if (!nullConfigs.empty()) {
            std::string names;
            for (const auto& name : nullConfigs) names += (names.empty() ? "" : ",") + name;
            return apiError(ErrorCode::InvalidConfig, "Null value not supported for topic configs: " + names);
        }
        std::vector<std::vector<int32_t>> assignment;
        if (!topic.assignments.empty()) {
            auto sorted = topic.assignments;
            std::sort(sorted.begin(), sorted.end(),
                      [](const auto& a, const auto& b) { return a.partitionIndex < b.partitionIndex; });
            for (size_t i = 0; i < sorted.size(); ++i) {
                if (sorted[i].partitionIndex != int32_t(i)) {
                    return apiError(ErrorCode::InvalidReplicaAssignment,
                                    "Partitions should be a consecutive 0-based integer sequence");
                }
                assignment.push_back(sorted[i].brokerIds);
            }
        }
        return m_context.createTopic(topic.name, topic.numPartitions, topic.replicationFactor, assignment, configs,
                                     validateOnly);
    }

    // v5+: what the topic was created with, so a client sees the defaults the broker picked.
    void fillCreated(CreateTopicsResponse::CreatableTopicResult& result,
                     const CreateTopicsRequest::CreatableTopic& topic, bool validateOnly) {
        std::map<std::string, std::string> overrides;
        for (const auto& config : topic.configs) overrides[config.name] = config.value.value_or("");
        std::vector<ConfigEntry> entries;
        if (auto info = m_context.metadata().topic(topic.name); info && !validateOnly) {
            result.topicId = info->id;
            result.numPartitions = int32_t(info->partitions.size());
            result.replicationFactor =
                info->partitions.empty() ? int16_t(-1) : int16_t(info->partitions.front().replicas.size());
            entries = describeTopicConfigs(m_context, topic.name);
        } else {
            if (!topic.assignments.empty()) {
                result.numPartitions = int32_t(topic.assignments.size());
                result.replicationFactor = int16_t(topic.assignments.front().brokerIds.size());
            } else {
                result.numPartitions =
                    topic.numPartitions == -1 ? m_context.config().numPartitions : topic.numPartitions;
                result.replicationFactor = topic.replicationFactor == -1 ? m_context.config().defaultReplicationFactor
                                                                         : topic.replicationFactor;
            }
            entries = describeTopicConfigs(m_context, overrides);
        }
        auto& configs = result.configs.emplace();
        for (const ConfigEntry& entry : entries) {
            CreateTopicsResponse::CreatableTopicConfigs out;
            out.name = entry.name;
            out.value = entry.value;
            out.readOnly = entry.readOnly;
            out.configSource = static_cast<int8_t>(entry.source);
            out.isSensitive = entry.sensitive;
            configs.push_back(std::move(out));
        }
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeCreateTopicsHandler(BrokerContext& context) {
    return std::make_unique<CreateTopicsHandler>(context);
}

}  // namespace partita::broker
