// DeleteRecords: moves partitions' log start offsets up to a given offset or the high watermark.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/deleterecords.h"
#include "engine/storage/partitionlog.h"

#include <algorithm>

namespace partita::broker {

namespace {

using protocol::DeleteRecordsRequest;
using protocol::DeleteRecordsResponse;
using protocol::ErrorCode;

constexpr int64_t kHighWatermark = -1;

class DeleteRecordsHandler final : public TypedHandler<DeleteRecordsRequest, DeleteRecordsResponse> {
public:
    explicit DeleteRecordsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        DeleteRecordsRequest& request) override {
        auto response = std::make_unique<DeleteRecordsResponse>();
        for (const auto& topic : request.topics) {
            DeleteRecordsResponse::DeleteRecordsTopicResult topicResult;
            topicResult.name = topic.name;
            for (const auto& partition : topic.partitions) {
                topicResult.partitions.push_back(deleteUpTo(topic.name, partition));
            }
            response->topics.push_back(std::move(topicResult));
        }
        co_return response;
    }

private:
    DeleteRecordsResponse::DeleteRecordsPartitionResult deleteUpTo(
        const std::string& topic, const DeleteRecordsRequest::DeleteRecordsPartition& wanted) {
        DeleteRecordsResponse::DeleteRecordsPartitionResult out;
        out.partitionIndex = wanted.partitionIndex;
        out.lowWatermark = -1;
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(topic, wanted.partitionIndex, log); !e.ok()) {
            out.errorCode = e.code;
            return out;
        }
        // Only the delete policy lets records go before their time; a compact-only topic keeps every key's
        // latest value.
        if (!log->config().deleteEnabled) {
            out.errorCode = protocol::code(ErrorCode::PolicyViolation);
            return out;
        }
        const int64_t highWatermark = log->highWatermark();
        const int64_t offset = wanted.offset == kHighWatermark ? highWatermark : wanted.offset;
        if (offset < 0 || offset > highWatermark) {
            out.errorCode = protocol::code(ErrorCode::OffsetOutOfRange);
            return out;
        }
        if (Status st = log->advanceLogStartOffset(offset); !st) {
            out.errorCode = storageError(st.error()).code;
            return out;
        }
        out.lowWatermark = log->logStartOffset();
        return out;
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDeleteRecordsHandler(BrokerContext& context) {
    return std::make_unique<DeleteRecordsHandler>(context);
}

}  // namespace partita::broker
