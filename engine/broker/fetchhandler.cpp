// Fetch: whole batches per partition within the byte limits, waiting up to max.wait.ms for min.bytes.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/broker/recordslices.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/fetch.h"
#include "engine/protocol/records/recordconstants.h"
#include "engine/protocol/records/recordconverter.h"
#include "engine/storage/partitionlog.h"

#include <algorithm>
#include <chrono>

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::FetchRequest;
using protocol::FetchResponse;

constexpr int8_t kReadCommitted = 1;
// Fetch v4 is the first that carries RecordBatch v2 (magic 2).
constexpr int16_t kFirstRecordBatchVersion = 4;

class FetchHandler final : public TypedHandler<FetchRequest, FetchResponse> {
public:
    explicit FetchHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        FetchRequest& request) override {
        // Before v7 there are no sessions: the defaults (session 0, epoch -1) mean sessionless.
        FetchSessions::Plan plan = m_context.fetchSessions().begin(request.sessionId, request.sessionEpoch,
                                                                   requestedPartitions(context, request),
                                                                   forgottenPartitions(context, request));
        if (plan.errorCode != 0) {
            auto response = std::make_unique<FetchResponse>();
            response->errorCode = plan.errorCode;
            co_return response;
        }
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(0, request.maxWaitMs));
        for (;;) {
            size_t bytes = 0;
            bool anyError = false;
            auto response = readAll(context, request, plan, bytes, anyError);
            // Answer now if there is enough, if something went wrong, or if the wait is over.
            if (bytes >= size_t(std::max(request.minBytes, 0)) || anyError ||
                std::chrono::steady_clock::now() >= deadline) {
                rememberReported(plan, *response, context.apiVersion);
                co_return response;
            }
            co_await m_context.waiters().waitUntil(deadline);
        }
    }

private:
    static FetchKey keyOf(const RequestContext& context, const std::string& topic, const Uuid& topicId,
                          int32_t partition) {
        return context.apiVersion >= 13 ? FetchKey{{}, topicId, partition} : FetchKey{topic, {}, partition};
    }

    static std::vector<std::pair<FetchKey, FetchPosition>> requestedPartitions(const RequestContext& context,
                                                                               const FetchRequest& request) {
        std::vector<std::pair<FetchKey, FetchPosition>> out;
        for (const auto& topic : request.topics) {
            for (const auto& p : topic.partitions) {
                out.emplace_back(keyOf(context, topic.topic, topic.topicId, p.partition),
                                 FetchPosition{p.fetchOffset, p.partitionMaxBytes});
            }
        }
        return out;
    }

    static std::vector<FetchKey> forgottenPartitions(const RequestContext& context, const FetchRequest& request) {
        std::vector<FetchKey> out;
        for (const auto& topic : request.forgottenTopicsData) {
            for (int32_t p : topic.partitions) out.push_back(keyOf(context, topic.topic, topic.topicId, p));
        }
        return out;
    }

    std::unique_ptr<FetchResponse> readAll(const RequestContext& context, const FetchRequest& request,
                                           const FetchSessions::Plan& plan, size_t& bytes, bool& anyError) {
        auto response = std::make_unique<FetchResponse>();
        response->sessionId = plan.sessionId;
        // A new attempt of the long poll: the slices of the previous one are not in this response.
        if (context.recordSlices) context.recordSlices->clear();
        size_t responseLimit = size_t(std::max(request.maxBytes, 0));
        bool first = true;
        for (const auto& [key, position] : plan.partitions) {
            std::string name = key.topic;
            if (context.apiVersion >= 13) {
                auto info = m_context.metadata().topicById(key.topicId);
                name = info ? info->name : std::string();
            }
            FetchResponse::PartitionData out;
            out.partitionIndex = key.partition;
            if (name.empty()) {
                out.errorCode = protocol::code(ErrorCode::UnknownTopicId);
            } else {
                readPartition(request, context.apiVersion, name, key.partition, position, context.recordSlices,
                              responseLimit, first, bytes, out);
            }
            anyError |= out.errorCode != 0;
            bool hasData = out.records && !out.records->empty();
            // An incremental answer carries only partitions with news (KIP-227).
            if (plan.incremental &&
                !m_context.fetchSessions().hasNews(plan.sessionId, key, stateOf(out), hasData || out.errorCode != 0)) {
                continue;
            }
            if (response->responses.empty() || !sameTopic(context, response->responses.back(), key)) {
                FetchResponse::FetchableTopicResponse topic;
                if (context.apiVersion >= 13) {
                    topic.topicId = key.topicId;
                } else {
                    topic.topic = key.topic;
                }
                response->responses.push_back(std::move(topic));
            }
            response->responses.back().partitions.push_back(std::move(out));
        }
        return response;
    }

    static bool sameTopic(const RequestContext& context, const FetchResponse::FetchableTopicResponse& topic,
                          const FetchKey& key) {
        return context.apiVersion >= 13 ? topic.topicId == key.topicId : topic.topic == key.topic;
    }

    static ReportedState stateOf(const FetchResponse::PartitionData& out) {
        return {out.highWatermark, out.lastStableOffset, out.logStartOffset};
    }

    void rememberReported(const FetchSessions::Plan& plan, const FetchResponse& response, int16_t version) {
        if (plan.sessionId == 0) return;
        for (const auto& topic : response.responses) {
            for (const auto& p : topic.partitions) {
                FetchKey key = version >= 13 ? FetchKey{{}, topic.topicId, p.partitionIndex}
                                             : FetchKey{topic.topic, {}, p.partitionIndex};
                m_context.fetchSessions().remember(plan.sessionId, key, stateOf(p));
            }
        }
    }

    void readPartition(const FetchRequest& request, int16_t version, const std::string& topic, int32_t partition,
                       const FetchPosition& position, RecordSlices* recordSlices, size_t& responseLimit, bool& first,
                       size_t& bytes, FetchResponse::PartitionData& out) {
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(topic, partition, log); !e.ok()) {
            out.errorCode = e.code;
            return;
        }
        // read_committed consumers read up to the last stable offset, everyone else to the high watermark.
        const bool readCommitted = request.isolationLevel == kReadCommitted;
        const int64_t lastStable = log->lastStableOffset();
        int64_t limit = readCommitted ? lastStable : log->highWatermark();
        size_t maxBytes = std::min<size_t>(size_t(std::max(position.partitionMaxBytes, 0)), responseLimit);
        // Kafka's progress rule: the first partition with data returns at least one whole batch
        // even when it is bigger than the limits, so a consumer is never stuck behind it.
        auto read = log->read(position.fetchOffset, maxBytes, limit, first);
        if (!read) {
            out.errorCode = storageError(read.error()).code;
            out.highWatermark = log->highWatermark();
            out.lastStableOffset = lastStable;
            out.logStartOffset = log->logStartOffset();
            return;
        }
        out.highWatermark = read->highWatermark;
        out.lastStableOffset = std::min(lastStable, read->highWatermark);
        out.logStartOffset = read->logStartOffset;
        if (readCommitted) {
            // The transactions aborted inside what this fetch may return, so the client drops their records.
            out.abortedTransactions = std::vector<FetchResponse::AbortedTransaction>{};
            auto aborted = log->abortedTransactions(position.fetchOffset, limit);
            if (!aborted) {
                out.errorCode = storageError(aborted.error()).code;
                return;
            }
            for (const auto& txn : *aborted) {
                FetchResponse::AbortedTransaction a;
                a.producerId = txn.producerId;
                a.firstOffset = txn.firstOffset;
                out.abortedTransactions->push_back(a);
            }
        }
        if (read->records.empty()) {
            out.records = Bytes();
            return;
        }
        bytes += read->records.size();
        responseLimit -= std::min<size_t>(responseLimit, read->records.size());
        first = false;
        if (version < kFirstRecordBatchVersion) {
            downConvert(*log, read->records, version, out);
            return;
        }
        if (recordSlices) {
            out.records = recordSlices->add(read->records);
            return;
        }
        auto data = read->records.read();
        if (!data) {
            out.errorCode = storageError(data.error()).code;
            return;
        }
        out.records = std::move(*data);
    }

    // Fetch v0-3 clients read magic 0 (v0-1) or magic 1 (v2-3) message sets, not RecordBatch v2.
    static void downConvert(const storage::PartitionLog& log, const storage::FileSlice& slice, int16_t version,
                            FetchResponse::PartitionData& out) {
        storage::LogConfig config = log.config();
        if (!config.messageDownconversionEnable) {
            out.errorCode = protocol::code(ErrorCode::UnsupportedVersion);
            return;
        }
        auto data = slice.read();
        if (!data) {
            out.errorCode = storageError(data.error()).code;
            return;
        }
        int8_t magic = version < 2 ? protocol::records::kMagicV0 : protocol::records::kMagicV1;
        size_t limit = decompressionLimit(config);
        auto legacy = protocol::records::downConvertToLegacy(*data, magic, limit);
        if (!legacy) {
            out.errorCode = storageError(legacy.error()).code;
            return;
        }
        out.records = Bytes::fromVector(std::move(*legacy));
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeFetchHandler(BrokerContext& context) {
    return std::make_unique<FetchHandler>(context);
}

}  // namespace partita::broker
