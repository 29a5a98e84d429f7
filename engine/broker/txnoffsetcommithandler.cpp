// TxnOffsetCommit: a transactional producer commits its consumer's offsets, visible when the transaction commits.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/transactionerrors.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/txnoffsetcommit.h"

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::TxnOffsetCommitRequest;
using protocol::TxnOffsetCommitResponse;

class TxnOffsetCommitHandler final : public TypedHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse> {
public:
    explicit TxnOffsetCommitHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        TxnOffsetCommitRequest& request) override {
        std::vector<coordinator::OffsetCommitEntry> entries;
        for (const auto& topic : request.topics) {
            for (const auto& p : topic.partitions) {
                coordinator::OffsetCommitEntry e;
                e.partition = {topic.name, p.partitionIndex};
                e.offset = p.committedOffset;
                e.leaderEpoch = p.committedLeaderEpoch;
                e.metadata = p.committedMetadata;
                if (!m_context.hasPartition(topic.name, p.partitionIndex)) {
                    e.errorCode = protocol::code(ErrorCode::UnknownTopicOrPartition);
                }
                entries.push_back(std::move(e));
            }
        }
        // The producer must be the transactional id's current one.
        const int16_t producerError =
            m_context.transactions().checkProducer(request.transactionalId, request.producerId, request.producerEpoch);
        if (producerError != 0) {
            for (auto& e : entries) e.errorCode = producerError;
        } else {
            m_context.groups().commitTxnOffsets(request.groupId, request.producerId, request.producerEpoch,
                                                request.memberId, request.groupInstanceId, request.generationId,
                                                entries);
        }
        auto response = std::make_unique<TxnOffsetCommitResponse>();
        size_t next = 0;
        for (const auto& topic : request.topics) {
            TxnOffsetCommitResponse::TxnOffsetCommitResponseTopic out;
            out.name = topic.name;
            for (const auto& p : topic.partitions) {
                TxnOffsetCommitResponse::TxnOffsetCommitResponsePartition partition;
                partition.partitionIndex = p.partitionIndex;
                partition.errorCode = fencedForVersion(entries[next++].errorCode, context.apiVersion, 3);
                out.partitions.push_back(partition);
            }
            response->topics.push_back(std::move(out));
        }
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeTxnOffsetCommitHandler(BrokerContext& context) {
    return std::make_unique<TxnOffsetCommitHandler>(context);
}

}  // namespace partita::broker
