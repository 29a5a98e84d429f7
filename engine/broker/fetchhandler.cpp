// Fetch: whole batches per partition within the byte limits, waiting up to max.wait.ms for min.bytes.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/fetch.h"
#include "engine/storage/partitionlog.h"

#include <algorithm>
#include <chrono>

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::FetchRequest;
using protocol::FetchResponse;

constexpr int8_t kReadCommitted = 1;

class FetchHandler final : public TypedHandler<FetchRequest, FetchResponse> {
public:
    explicit FetchHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        FetchRequest& request) override {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(0, request.maxWaitMs));
        for (;;) {
            size_t bytes = 0;
            bool anyError = false;
            auto response = readAll(context, request, bytes, anyError);
            // Answer now if there is enough, if something went wrong, or if the wait is over.
            if (bytes >= size_t(std::max(request.minBytes, 0)) || anyError ||
                std::chrono::steady_clock::now() >= deadline) {
                co_return response;
            }
            co_await m_context.waiters().waitUntil(deadline);
        }
    }

private:
    std::unique_ptr<FetchResponse> readAll(const RequestContext& context, const FetchRequest& request, size_t& bytes,
                                           bool& anyError) {
        auto response = std::make_unique<FetchResponse>();
        // Sessions are Kafka's optimisation, not a duty: session id 0 means "none was created",
        // and clients then send full fetch requests, which every client handles.
        response->sessionId = 0;
        size_t responseLimit = size_t(std::max(request.maxBytes, 0));
        bool first = true;
        for (const auto& topic : request.topics) {
            FetchResponse::FetchableTopicResponse topicResponse;
            std::string name = topic.topic;
            if (context.apiVersion >= 13) {
                auto info = m_context.metadata().topicById(topic.topicId);
                name = info ? info->name : std::string();
                topicResponse.topicId = topic.topicId;
            } else {
                topicResponse.topic = topic.topic;
            }
            for (const auto& partition : topic.partitions) {
                FetchResponse::PartitionData out;
                out.partitionIndex = partition.partition;
                if (name.empty()) {
                    out.errorCode = protocol::code(ErrorCode::UnknownTopicId);
                    anyError = true;
                } else {
                    readPartition(request, name, partition, responseLimit, first, bytes, out);
                    anyError |= out.errorCode != 0;
                }
                topicResponse.partitions.push_back(std::move(out));
            }
            response->responses.push_back(std::move(topicResponse));
        }
        return response;
    }

    void readPartition(const FetchRequest& request, const std::string& topic,
                       const FetchRequest::FetchPartition& partition, size_t& responseLimit, bool& first, size_t& bytes,
                       FetchResponse::PartitionData& out) {
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(topic, partition.partition, log); !e.ok()) {
            out.errorCode = e.code;
            return;
        }
        // No transactions yet: the last stable offset is the high watermark.
        int64_t limit = log->highWatermark();
        size_t maxBytes = std::min<size_t>(size_t(std::max(partition.partitionMaxBytes, 0)), responseLimit);
        // Kafka's progress rule: the first partition with data returns at least one whole batch
        // even when it is bigger than the limits, so a consumer is never stuck behind it.
        auto read = log->read(partition.fetchOffset, maxBytes, limit, first);
        if (!read) {
            out.errorCode = storageError(read.error()).code;
            out.highWatermark = log->highWatermark();
            out.lastStableOffset = out.highWatermark;
            out.logStartOffset = log->logStartOffset();
            return;
        }
        out.highWatermark = read->highWatermark;
        out.lastStableOffset = read->highWatermark;
        out.logStartOffset = read->logStartOffset;
        if (request.isolationLevel == kReadCommitted)
            out.abortedTransactions = std::vector<FetchResponse::AbortedTransaction>{};
        if (read->records.empty()) {
            out.records = Bytes();
            return;
        }
        auto data = read->records.read();
        if (!data) {
            out.errorCode = storageError(data.error()).code;
            return;
        }
        bytes += data->size();
        responseLimit -= std::min(responseLimit, data->size());
        first = false;
        out.records = std::move(*data);
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeFetchHandler(BrokerContext& context) {
    return std::make_unique<FetchHandler>(context);
}

}  // namespace partita::broker
