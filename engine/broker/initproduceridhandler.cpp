// InitProducerId: a producer id and epoch for an idempotent producer, or a transactional id's next epoch.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/transactionerrors.h"
#include "engine/coordinator/produceridmanager.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/initproducerid.h"

#include <spdlog/spdlog.h>

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::InitProducerIdRequest;
using protocol::InitProducerIdResponse;

class InitProducerIdHandler final : public TypedHandler<InitProducerIdRequest, InitProducerIdResponse> {
public:
    explicit InitProducerIdHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        InitProducerIdRequest& request) override {
        auto response = std::make_unique<InitProducerIdResponse>();
        response->producerId = -1;
        response->producerEpoch = -1;
        if (request.transactionalId) {
            if (request.transactionalId->empty()) {
                response->errorCode = protocol::code(ErrorCode::InvalidRequest);
                co_return response;
            }
            auto result = m_context.transactions().initProducerId(
                *request.transactionalId, request.transactionTimeoutMs, request.producerId, request.producerEpoch);
            response->errorCode = fencedForVersion(result.errorCode, context.apiVersion, 4);
            response->producerId = result.producerId;
            response->producerEpoch = result.producerEpoch;
            co_return response;
        }
        // An idempotent producer always gets a fresh id at epoch 0, also when it names its old one
        // to recover (KIP-360), as Kafka does without a transactional id.
        auto id = m_context.producerIds().next();
        if (!id) {
            spdlog::error("cannot reserve producer ids: {}", id.error().message);
            response->errorCode = protocol::code(ErrorCode::CoordinatorNotAvailable);
            co_return response;
        }
        response->producerId = *id;
        response->producerEpoch = 0;
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeInitProducerIdHandler(BrokerContext& context) {
    return std::make_unique<InitProducerIdHandler>(context);
}

}  // namespace partita::broker
