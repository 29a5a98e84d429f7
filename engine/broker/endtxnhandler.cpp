// EndTxn: commits or aborts a producer's transaction (markers in every partition it touched).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/transactionerrors.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/messages/endtxn.h"

namespace partita::broker {

namespace {

using protocol::EndTxnRequest;
using protocol::EndTxnResponse;

class EndTxnHandler final : public TypedHandler<EndTxnRequest, EndTxnResponse> {
public:
    explicit EndTxnHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        EndTxnRequest& request) override {
        auto response = std::make_unique<EndTxnResponse>();
        const int16_t error = m_context.transactions().endTransaction(request.transactionalId, request.producerId,
                                                                      request.producerEpoch, request.committed);
        response->errorCode = fencedForVersion(error, context.apiVersion, 2);
        if (context.apiVersion >= 5) {
            // Transactions v2 report the producer's id and epoch after the transaction; without the
            // per-transaction epoch bump they are the ones the producer sent.
            response->producerId = request.producerId;
            response->producerEpoch = request.producerEpoch;
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeEndTxnHandler(BrokerContext& context) {
    return std::make_unique<EndTxnHandler>(context);
}

}  // namespace partita::broker
