// CreatePartitions: more partitions for existing topics, spread over the brokers or as assigned.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/createpartitions.h"

#include <algorithm>
#include <map>

namespace partita::broker {

namespace {

using protocol::CreatePartitionsRequest;
using protocol::CreatePartitionsResponse;
using protocol::ErrorCode;

class CreatePartitionsHandler final : public TypedHandler<CreatePartitionsRequest, CreatePartitionsResponse> {
public:
    explicit CreatePartitionsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        CreatePartitionsRequest& request) override {
        auto response = std::make_unique<CreatePartitionsResponse>();
        std::map<std::string, int> seen;
        for (const auto& topic : request.topics) ++seen[topic.name];
        for (const auto& topic : request.topics) {
            CreatePartitionsResponse::CreatePartitionsTopicResult result;
            result.name = topic.name;
            ApiError error = seen[topic.name] > 1 ? apiError(ErrorCode::InvalidRequest, "Duplicate topic name.")
                                                  : grow(topic, request.validateOnly);
            result.errorCode = error.code;
            if (!error.ok()) result.errorMessage = error.message;
            response->results.push_back(std::move(result));
        }
        co_return response;
    }

private:
    ApiError grow(const CreatePartitionsRequest::CreatePartitionsTopic& topic, bool validateOnly) {
        auto info = m_context.metadata().topic(topic.name);
        if (!info) {
            return apiError(ErrorCode::UnknownTopicOrPartition, "This server does not host this topic-partition.");
        }
        const int32_t current = int32_t(info->partitions.size());
        if (topic.count < current) {
            return apiError(ErrorCode::InvalidPartitions,
                            "The topic " + topic.name + " currently has " + std::to_string(current) +
                                " partition(s); " + std::to_string(topic.count) + " would not be an increase.");
        }
        if (topic.count == current) {
            return apiError(ErrorCode::InvalidPartitions,
                            "Topic already has " + std::to_string(current) + " partition(s).");
        }
        if (int64_t(topic.count) - int64_t(current) > kMaxPartitionsPerRequest) {
            return apiError(ErrorCode::InvalidPartitions,
                            "Adding " + std::to_string(int64_t(topic.count) - int64_t(current)) +
                                " partitions is over the limit of " + std::to_string(kMaxPartitionsPerRequest) +
                                " per request.");
        }
        const size_t additional = size_t(topic.count - current);
        const size_t factor = info->partitions.empty() ? 1 : info->partitions.front().replicas.size();
        std::vector<int32_t> brokerIds;
        for (const auto& broker : m_context.metadata().brokers()) brokerIds.push_back(broker.nodeId);

        std::vector<std::vector<int32_t>> assignment;
        if (topic.assignments) {
            if (topic.assignments->size() != additional) {
                return apiError(ErrorCode::InvalidReplicaAssignment, "Attempted to add " + std::to_string(additional) +
                                                                         " additional partition(s), but only " +
                                                                         std::to_string(topic.assignments->size()) +
                                                                         " assignment(s) were specified.");
            }
            for (const auto& wanted : *topic.assignments) {
                const auto& list = wanted.brokerIds;
                if (list.size() != factor) {
                    return apiError(
                        ErrorCode::InvalidReplicaAssignment,
                        "The manual partition assignment includes a partition with " + std::to_string(list.size()) +
                            " replica(s), but this is not consistent with previous partitions, which have " +
                            std::to_string(factor) + " replica(s).");
                }
                for (int32_t id : list) {
                    if (std::find(brokerIds.begin(), brokerIds.end(), id) == brokerIds.end()) {
                        return apiError(ErrorCode::InvalidReplicaAssignment,
                                        "The manual partition assignment includes broker " + std::to_string(id) +
                                            ", but no such broker is registered.");
                    }
                    if (std::count(list.begin(), list.end(), id) > 1) {
                        return apiError(ErrorCode::InvalidReplicaAssignment,
                                        "The manual partition assignment includes the broker " + std::to_string(id) +
                                            " more than once.");
                    }
                }
                assignment.push_back(list);
            }
        } else {
            if (factor > brokerIds.size()) {
                return apiError(ErrorCode::InvalidReplicationFactor,
                                "Unable to replicate the partition " + std::to_string(factor) +
                                    " time(s): The target replication factor of " + std::to_string(factor) +
                                    " cannot be reached because only " + std::to_string(brokerIds.size()) +
                                    " broker(s) are registered.");
            }
            // Round-robin as createTopic spreads them: partition p starts at broker p (mod the broker count).
            for (size_t i = 0; i < additional; ++i) {
                const size_t p = size_t(current) + i;
                std::vector<int32_t> list;
                for (size_t r = 0; r < factor; ++r) list.push_back(brokerIds[(p + r) % brokerIds.size()]);
                assignment.push_back(std::move(list));
            }
        }
        if (validateOnly) return {};
        if (Status st = m_context.metadata().addPartitions(topic.name, assignment); !st) {
            return apiError(ErrorCode::UnknownServerError, st.error().message);
        }
        return {};
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeCreatePartitionsHandler(BrokerContext& context) {
    return std::make_unique<CreatePartitionsHandler>(context);
}

}  // namespace partita::broker
