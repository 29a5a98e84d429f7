// AddPartitionsToTxn: partitions join a producer's transaction (v4+: several transactions, or verifyOnly).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/transactionerrors.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/messages/addpartitionstotxn.h"

namespace partita::broker {

namespace {

using protocol::AddPartitionsToTxnRequest;
using protocol::AddPartitionsToTxnResponse;
using TopicResults = std::vector<AddPartitionsToTxnResponse::AddPartitionsToTxnTopicResult>;

class AddPartitionsToTxnHandler final : public TypedHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> {
public:
    explicit AddPartitionsToTxnHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        AddPartitionsToTxnRequest& request) override {
        auto response = std::make_unique<AddPartitionsToTxnResponse>();
        if (context.apiVersion < 4) {
            response->resultsByTopicV3AndBelow =
                add(request.v3AndBelowTransactionalId, request.v3AndBelowProducerId, request.v3AndBelowProducerEpoch,
                    false, request.v3AndBelowTopics, context.apiVersion);
            co_return response;
        }
        for (const auto& txn : request.transactions) {
            AddPartitionsToTxnResponse::AddPartitionsToTxnResult result;
            result.transactionalId = txn.transactionalId;
            result.topicResults = add(txn.transactionalId, txn.producerId, txn.producerEpoch, txn.verifyOnly,
                                      txn.topics, context.apiVersion);
            response->resultsByTransaction.push_back(std::move(result));
        }
        co_return response;
    }

private:
    TopicResults add(const std::string& transactionalId, int64_t producerId, int16_t producerEpoch, bool verifyOnly,
                     const std::vector<AddPartitionsToTxnRequest::AddPartitionsToTxnTopic>& topics, int16_t version) {
        std::vector<coordinator::TopicPartition> partitions;
        for (const auto& t : topics) {
            for (int32_t p : t.partitions) partitions.push_back({t.name, p});
        }
        std::vector<int16_t> errors;
        m_context.transactions().addPartitions(transactionalId, producerId, producerEpoch, partitions, verifyOnly,
                                               errors);
        TopicResults out;
        size_t next = 0;
        for (const auto& t : topics) {
            AddPartitionsToTxnResponse::AddPartitionsToTxnTopicResult topic;
            topic.name = t.name;
            for (int32_t p : t.partitions) {
                AddPartitionsToTxnResponse::AddPartitionsToTxnPartitionResult r;
                r.partitionIndex = p;
                r.partitionErrorCode = fencedForVersion(errors[next++], version, 2);
                topic.resultsByPartition.push_back(r);
            }
            out.push_back(std::move(topic));
        }
        return out;
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeAddPartitionsToTxnHandler(BrokerContext& context) {
    return std::make_unique<AddPartitionsToTxnHandler>(context);
}

}  // namespace partita::broker
