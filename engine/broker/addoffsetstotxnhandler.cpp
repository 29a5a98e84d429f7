// AddOffsetsToTxn: a group's __consumer_offsets partition joins the transaction (for TxnOffsetCommit).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/transactionerrors.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/messages/addoffsetstotxn.h"

namespace partita::broker {

namespace {

using protocol::AddOffsetsToTxnRequest;
using protocol::AddOffsetsToTxnResponse;

class AddOffsetsToTxnHandler final : public TypedHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> {
public:
    explicit AddOffsetsToTxnHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        AddOffsetsToTxnRequest& request) override {
        auto response = std::make_unique<AddOffsetsToTxnResponse>();
        if (ApiError e = m_context.ensureInternalTopic(coordinator::kOffsetsTopic); !e.ok()) {
            response->errorCode = protocol::code(protocol::ErrorCode::CoordinatorNotAvailable);
            co_return response;
        }
        const coordinator::TopicPartition offsetsPartition{coordinator::kOffsetsTopic,
                                                           m_context.groups().partitionFor(request.groupId)};
        std::vector<int16_t> errors;
        int16_t error = m_context.transactions().addPartitions(
            request.transactionalId, request.producerId, request.producerEpoch, {offsetsPartition}, false, errors);
        if (error == 0 && !errors.empty()) error = errors.front();
        response->errorCode = fencedForVersion(error, context.apiVersion, 2);
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeAddOffsetsToTxnHandler(BrokerContext& context) {
    return std::make_unique<AddOffsetsToTxnHandler>(context);
}

}  // namespace partita::broker
