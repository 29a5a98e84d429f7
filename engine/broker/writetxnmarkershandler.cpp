// WriteTxnMarkers: COMMIT/ABORT markers written on a coordinator's request (Kafka's inter-broker API; admin tools
// use it to end hanging transactions).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/writetxnmarkers.h"

#include <spdlog/spdlog.h>

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::WriteTxnMarkersRequest;
using protocol::WriteTxnMarkersResponse;

class WriteTxnMarkersHandler final : public TypedHandler<WriteTxnMarkersRequest, WriteTxnMarkersResponse> {
public:
    explicit WriteTxnMarkersHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        WriteTxnMarkersRequest& request) override {
        auto response = std::make_unique<WriteTxnMarkersResponse>();
        for (const auto& marker : request.markers) {
            WriteTxnMarkersResponse::WritableTxnMarkerResult result;
            result.producerId = marker.producerId;
            for (const auto& topic : marker.topics) {
                WriteTxnMarkersResponse::WritableTxnMarkerTopicResult topicResult;
                topicResult.name = topic.name;
                for (int32_t p : topic.partitionIndexes) {
                    WriteTxnMarkersResponse::WritableTxnMarkerPartitionResult partition;
                    partition.partitionIndex = p;
                    const coordinator::TopicPartition tp{topic.name, p};
                    auto& markers = m_context.transactionMarkers();
                    if (!markers.hasPartition(tp)) {
                        partition.errorCode = protocol::code(ErrorCode::UnknownTopicOrPartition);
                    } else if (Status st = markers.writeMarker(tp, marker.producerId, marker.producerEpoch,
                                                               marker.transactionResult);
                               !st) {
                        spdlog::warn("WriteTxnMarkers {}-{}: {}", topic.name, p, st.error().message);
                        partition.errorCode = storageError(st.error()).code;
                    }
                    topicResult.partitions.push_back(partition);
                }
                result.topics.push_back(std::move(topicResult));
            }
            response->markers.push_back(std::move(result));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeWriteTxnMarkersHandler(BrokerContext& context) {
    return std::make_unique<WriteTxnMarkersHandler>(context);
}

}  // namespace partita::broker
