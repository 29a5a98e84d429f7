// DescribeTransactions: state, producer, timeout and partitions of transactional ids.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/describetransactions.h"

#include <map>

namespace partita::broker {

namespace {

using protocol::DescribeTransactionsRequest;
using protocol::DescribeTransactionsResponse;

class DescribeTransactionsHandler final
    : public TypedHandler<DescribeTransactionsRequest, DescribeTransactionsResponse> {
public:
    explicit DescribeTransactionsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        DescribeTransactionsRequest& request) override {
        auto response = std::make_unique<DescribeTransactionsResponse>();
        for (const auto& id : request.transactionalIds) {
            DescribeTransactionsResponse::TransactionState out;
            out.transactionalId = id;
            auto txn = m_context.transactions().describe(id);
            if (!txn) {
                out.errorCode = protocol::code(protocol::ErrorCode::TransactionalIdNotFound);
                response->transactionStates.push_back(std::move(out));
                continue;
            }
            out.transactionState = std::string(coordinator::txnStateName(txn->state));
            out.transactionTimeoutMs = txn->timeoutMs;
            out.transactionStartTimeMs = txn->startTimestampMs;
            out.producerId = txn->producerId;
            out.producerEpoch = txn->producerEpoch;
            std::map<std::string, std::vector<int32_t>> byTopic;
            for (const auto& tp : txn->partitions) byTopic[tp.topic].push_back(tp.partition);
            for (auto& [topic, partitions] : byTopic) {
                DescribeTransactionsResponse::TopicData data;
                data.topic = topic;
                data.partitions = std::move(partitions);
                out.topics.push_back(std::move(data));
            }
            response->transactionStates.push_back(std::move(out));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDescribeTransactionsHandler(BrokerContext& context) {
    return std::make_unique<DescribeTransactionsHandler>(context);
}

}  // namespace partita::broker
