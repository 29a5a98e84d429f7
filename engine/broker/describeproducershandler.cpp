// DescribeProducers: the idempotent and transactional producers each partition knows.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/protocol/messages/describeproducers.h"
#include "engine/storage/partitionlog.h"

namespace partita::broker {

namespace {

using protocol::DescribeProducersRequest;
using protocol::DescribeProducersResponse;

class DescribeProducersHandler final : public TypedHandler<DescribeProducersRequest, DescribeProducersResponse> {
public:
    explicit DescribeProducersHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        DescribeProducersRequest& request) override {
        auto response = std::make_unique<DescribeProducersResponse>();
        for (const auto& topic : request.topics) {
            DescribeProducersResponse::TopicResponse out;
            out.name = topic.name;
            for (int32_t p : topic.partitionIndexes) {
                DescribeProducersResponse::PartitionResponse partition;
                partition.partitionIndex = p;
                std::shared_ptr<storage::PartitionLog> log;
                if (ApiError e = m_context.leaderLog(topic.name, p, log); !e.ok()) {
                    partition.errorCode = e.code;
                    partition.errorMessage = e.message;
                } else {
                    for (const auto& producer : log->producers()) {
                        DescribeProducersResponse::ProducerState state;
                        state.producerId = producer.producerId;
                        state.producerEpoch = producer.epoch;
                        state.lastSequence = producer.lastSequence;
                        state.lastTimestamp = producer.lastTimestamp;
                        state.coordinatorEpoch = producer.coordinatorEpoch;
                        state.currentTxnStartOffset = producer.currentTxnFirstOffset;
                        partition.activeProducers.push_back(state);
                    }
                }
                out.partitions.push_back(std::move(partition));
            }
            response->topics.push_back(std::move(out));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDescribeProducersHandler(BrokerContext& context) {
    return std::make_unique<DescribeProducersHandler>(context);
}

}  // namespace partita::broker
