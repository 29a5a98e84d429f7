// Produce: appends each partition's records to its log and answers per partition (acks 0, 1 and all).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/brokermetrics.h"
#include "engine/broker/handlers.h"
#include "engine/broker/internaltopics.h"
#include "engine/cluster/metadatastore.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/produce.h"
#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordconstants.h"
#include "engine/protocol/records/recordconverter.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"

#include <spdlog/spdlog.h>

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::ProduceRequest;
using protocol::ProduceResponse;

class ProduceHandler final : public TypedHandler<ProduceRequest, ProduceResponse> {
public:
    explicit ProduceHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        ProduceRequest& request) override {
        auto response = std::make_unique<ProduceResponse>();
        bool appended = false;
        for (auto& topic : request.topicData) {
            ProduceResponse::TopicProduceResponse topicResponse;
            topicResponse.name = topic.name;
            for (auto& partition : topic.partitionData) {
                topicResponse.partitionResponses.push_back(produce(request, topic.name, partition, appended));
            }
            response->responses.push_back(std::move(topicResponse));
        }
        if (appended) m_context.waiters().notifyAll();
        // acks=0 too: the dispatcher sends nothing, or closes the connection if a partition failed.
        co_return response;
    }

private:
    ProduceResponse::PartitionProduceResponse produce(const ProduceRequest& request, const std::string& topic,
                                                      ProduceRequest::PartitionProduceData& data, bool& appended) {
        ProduceResponse::PartitionProduceResponse out;
        out.index = data.index;
        auto failWith = [&](const ApiError& error) {
            m_context.metrics().produceFailed(topic);
            out.errorCode = error.code;
            out.errorMessage = error.message;
            out.baseOffset = -1;
            return out;
        };
        if (request.acks != 0 && request.acks != 1 && request.acks != -1) {
            return failWith({protocol::code(ErrorCode::InvalidRequiredAcks), "acks must be 0, 1 or -1"});
        }
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(topic, data.index, log); !e.ok()) return failWith(e);
        // The coordinators own their topics; a client's records there would be read back as their state.
        if (isCoordinatorTopic(topic)) {
            return failWith(
                {protocol::code(ErrorCode::InvalidTopicException), "Cannot append to internal topic " + topic});
        }
        storage::LogConfig config = log->config();
        if (request.acks == -1) {
            auto info = m_context.metadata().topic(topic);
            size_t isr = info ? info->partitions[size_t(data.index)].isr.size() : 0;
            if (int64_t(isr) < config.minInsyncReplicas) {
                return failWith({protocol::code(ErrorCode::NotEnoughReplicas),
                                 "The size of the current ISR " + std::to_string(isr) +
                                     " is insufficient to satisfy the min.isr requirement of " +
                                     std::to_string(config.minInsyncReplicas)});
            }
        }
        if (!data.records || data.records->empty()) {
            return failWith({protocol::code(ErrorCode::InvalidRecord), "the produce request has no records"});
        }
        const Bytes& records = *data.records;
        std::vector<uint8_t> converted;
        std::span<uint8_t> writable;
        if (records.size() > protocol::records::kMagicOffset && records.data()[protocol::records::kMagicOffset] < 2) {
            // Old clients send magic 0/1 message sets; the log holds RecordBatch v2 only.
            auto upConverted = protocol::records::upConvertToV2(records);
            if (!upConverted) return failWith(storageError(upConverted.error()));
            converted = std::move(*upConverted);
            writable = converted;
        } else {
            // The request frame is this connection's own receive buffer, read for this request
            // only: offsets and the leader epoch are written into it in place, with no copy.
            writable = std::span<uint8_t>(const_cast<uint8_t*>(records.data()), records.size());
        }
        if (ApiError e =
                validateRecords(Bytes(nullptr, writable.data(), writable.size()), config, m_context.clock().nowMs());
            !e.ok()) {
            return failWith(e);
        }
        if (ApiError e = verifyTransaction(request, topic, data.index, writable); !e.ok()) return failWith(e);
        // compression.type other than "producer": the broker stores the topic's codec, as Kafka does.
        if (config.compressionType != "producer") {
            auto recompressed = recompress(config, Bytes(nullptr, writable.data(), writable.size()));
            if (!recompressed) return failWith(storageError(recompressed.error()));
            if (*recompressed) {
                converted = std::move(**recompressed);
                writable = converted;
            }
        }
        auto info = m_context.metadata().topic(topic);
        int32_t leaderEpoch = info ? info->partitions[size_t(data.index)].leaderEpoch : 0;
        auto result = log->appendAsLeader(writable, leaderEpoch);
        if (!result) {
            ApiError error = storageError(result.error());
            spdlog::debug("produce to {}-{} rejected: {}", topic, data.index, error.message);
            return failWith(error);
        }
        // One replica on one broker: what the leader has is committed as soon as it is written.
        log->updateHighWatermark(log->logEndOffset());
        appended = true;
        if (!result->duplicate) m_context.metrics().produced(topic, uint64_t(result->recordCount), result->bytes);
        out.baseOffset = result->firstOffset;
        out.logAppendTimeMs = result->logAppendTime;
        out.logStartOffset = result->logStartOffset;
        return out;
    }

    // Kafka's LogValidator reads every record of a produced batch, decompressing it: a batch whose
    // records do not decode is refused before anything is written, so consumers never get it.
    // Transaction markers come from the coordinator, never from a producer.
    // KIP-890 (transaction.partition.verification.enable): transactional records go only to a
    // partition already in the producer's ongoing transaction, so a late write of a transaction
    // that was aborted meanwhile cannot open a new one that never ends.
    ApiError verifyTransaction(const ProduceRequest& request, const std::string& topic, int32_t partition,
                               std::span<uint8_t> records) {
        if (!m_context.config().transactionPartitionVerificationEnable || !request.transactionalId) return {};
        auto batch = protocol::records::RecordBatchView::parse(Bytes(nullptr, records.data(), records.size()));
        if (!batch || !batch->isTransactional() || batch->isControl() || batch->producerId() < 0) return {};
        std::vector<int16_t> errors;
        int16_t error = m_context.transactions().addPartitions(
            *request.transactionalId, batch->producerId(), batch->producerEpoch(), {{topic, partition}}, true, errors);
        if (error == 0 && !errors.empty()) error = errors.front();
        if (error == 0) return {};
        if (error == protocol::code(ErrorCode::ProducerFenced)) {
            return apiError(ErrorCode::InvalidProducerEpoch, "the producer's epoch is fenced");
        }
        return apiError(ErrorCode::InvalidTxnState, "partition " + topic + "-" + std::to_string(partition) +
                                                        " is not in the ongoing transaction of " +
                                                        *request.transactionalId);
    }

    static ApiError validateRecords(const Bytes& records, const storage::LogConfig& config, int64_t nowMs) {
        size_t limit = decompressionLimit(config);
        for (size_t at = 0; at < records.size();) {
            auto batch = protocol::records::RecordBatchView::parse(records.slice(at, records.size() - at));
            if (!batch) return storageError(batch.error());
            at += batch->sizeInBytes();
            if (batch->isControl()) {
                return apiError(ErrorCode::InvalidRecord, "a producer cannot write transaction markers");
            }
            auto reader = protocol::records::RecordReader::open(*batch, limit);
            if (!reader) return apiError(ErrorCode::CorruptMessage, reader.error().message);
            protocol::records::RecordView record;
            bool createTime =
                !config.logAppendTime && batch->timestampType() == protocol::records::TimestampType::CreateTime;
            while (reader->next(record)) {
                // Kafka checks every record's CreateTime against the topic's bounds, not only the batch's.
                if (createTime && record.timestamp >= 0 &&
                    ((config.messageTimestampBeforeMaxMs != storage::kInt64Max &&
                      nowMs - record.timestamp > config.messageTimestampBeforeMaxMs) ||
                     (config.messageTimestampAfterMaxMs != storage::kInt64Max &&
                      record.timestamp - nowMs > config.messageTimestampAfterMaxMs))) {
                    return apiError(ErrorCode::InvalidTimestamp,
                                    "Timestamp " + std::to_string(record.timestamp) + " of record at offset delta " +
                                        std::to_string(record.offsetDelta) +
                                        " is out of range (message.timestamp.before.max.ms / after.max.ms)");
                }
            }
            Status valid = reader->status();
            if (!valid) {
                return apiError(ErrorCode::CorruptMessage,
                                "record batch at byte " + std::to_string(at - batch->sizeInBytes()) +
                                    " of the partition's records does not decode: " + valid.error().message);
            }
        }
        return {};
    }

    static Result<std::optional<std::vector<uint8_t>>> recompress(const storage::LogConfig& config,
                                                                  const Bytes& records) {
        using protocol::records::CompressionType;
        std::optional<CompressionType> target =
            config.compressionType == "uncompressed"
                ? CompressionType::None
                : protocol::records::compressionTypeFromName(config.compressionType);
        if (!target) return makeError(ErrorKind::Unsupported, "unknown compression.type " + config.compressionType);
        std::optional<int> level;
        if (*target == CompressionType::Gzip && config.compressionGzipLevel != -1) level = config.compressionGzipLevel;
        if (*target == CompressionType::Lz4) level = config.compressionLz4Level;
        if (*target == CompressionType::Zstd) level = config.compressionZstdLevel;
        size_t limit = decompressionLimit(config);
        return protocol::records::recompressBatches(records, *target, level, limit);
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeProduceHandler(BrokerContext& context) {
    return std::make_unique<ProduceHandler>(context);
}

}  // namespace partita::broker
