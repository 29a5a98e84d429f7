// InitProducerId: a producer id and epoch for an idempotent producer (transactional ids: the transaction coordinator).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/produceridmanager.h"
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
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        InitProducerIdRequest& request) override {
        auto response = std::make_unique<InitProducerIdResponse>();
        response->producerId = -1;
        response->producerEpoch = -1;
        if (request.transactionalId) {
            // Transactions are the transaction coordinator's (issue 7); until it serves them, the
            // producer is told plainly that no coordinator can.
            response->errorCode = protocol::code(request.transactionalId->empty() ? ErrorCode::InvalidRequest
                                                                                  : ErrorCode::CoordinatorNotAvailable);
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
