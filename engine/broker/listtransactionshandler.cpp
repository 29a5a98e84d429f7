// ListTransactions: transactional ids, filtered by state, producer id and (v1) how long they have been open.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/messages/listtransactions.h"
#include "engine/storage/clock.h"

#include <algorithm>
#include <set>

namespace partita::broker {

namespace {

using protocol::ListTransactionsRequest;
using protocol::ListTransactionsResponse;

class ListTransactionsHandler final : public TypedHandler<ListTransactionsRequest, ListTransactionsResponse> {
public:
    explicit ListTransactionsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        ListTransactionsRequest& request) override {
        auto response = std::make_unique<ListTransactionsResponse>();
        std::set<coordinator::TxnState> states;
        for (const auto& name : request.stateFilters) {
            if (auto state = coordinator::parseTxnState(name)) {
                states.insert(*state);
            } else {
                response->unknownStateFilters.push_back(name);
            }
        }
        // Only unknown states asked for: nothing can match.
        if (states.empty() && !request.stateFilters.empty()) co_return response;
        const std::set<int64_t> producers(request.producerIdFilters.begin(), request.producerIdFilters.end());
        const int64_t now = m_context.clock().nowMs();
        for (const auto& txn : m_context.transactions().list()) {
            if (!states.empty() && !states.count(txn.state)) continue;
            if (!producers.empty() && !producers.count(txn.producerId)) continue;
            // durationFilter: only transactions running longer than that (open ones have a start time).
            if (request.durationFilter >= 0 &&
                (txn.state != coordinator::TxnState::Ongoing || now - txn.startTimestampMs < request.durationFilter)) {
                continue;
            }
            ListTransactionsResponse::TransactionState out;
            out.transactionalId = txn.transactionalId;
            out.producerId = txn.producerId;
            out.transactionState = std::string(coordinator::txnStateName(txn.state));
            response->transactionStates.push_back(std::move(out));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeListTransactionsHandler(BrokerContext& context) {
    return std::make_unique<ListTransactionsHandler>(context);
}

}  // namespace partita::broker
