// ListOffsets: earliest, latest, max timestamp and by-timestamp offsets per partition.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/listoffsets.h"
#include "engine/storage/logsegment.h"
#include "engine/storage/partitionlog.h"

#include <map>
#include <string>
#include <utility>

namespace partita::broker {

namespace {

using protocol::ListOffsetsRequest;
using protocol::ListOffsetsResponse;

constexpr int64_t kLatest = -1;
constexpr int64_t kEarliest = -2;
constexpr int64_t kMaxTimestamp = -3;
constexpr int64_t kEarliestLocal = -4;
constexpr int64_t kLatestTiered = -5;

class ListOffsetsHandler final : public TypedHandler<ListOffsetsRequest, ListOffsetsResponse> {
public:
    explicit ListOffsetsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        ListOffsetsRequest& request) override {
        auto response = std::make_unique<ListOffsetsResponse>();
        // From v1 on, Kafka answers INVALID_REQUEST for every partition named twice in a request.
        std::map<std::pair<std::string, int32_t>, int> named;
        for (const auto& topic : request.topics)
            for (const auto& partition : topic.partitions) ++named[{topic.name, partition.partitionIndex}];
        for (const auto& topic : request.topics) {
            ListOffsetsResponse::ListOffsetsTopicResponse topicResponse;
            topicResponse.name = topic.name;
            for (const auto& partition : topic.partitions) {
                if (context.apiVersion >= 1 && named[{topic.name, partition.partitionIndex}] > 1) {
                    topicResponse.partitions.push_back(failed(partition, protocol::ErrorCode::InvalidRequest));
                } else if (context.apiVersion >= 1 && !timestampSupported(partition.timestamp, context.apiVersion)) {
                    topicResponse.partitions.push_back(failed(partition, protocol::ErrorCode::UnsupportedVersion));
                } else {
                    topicResponse.partitions.push_back(
                        lookup(context, topic.name, partition, request.isolationLevel == 1));
                }
            }
            response->topics.push_back(std::move(topicResponse));
        }
        co_return response;
    }

private:
    // The special timestamps and the first version that knows each (Kafka's table); any other
    // negative timestamp is UNSUPPORTED_VERSION.
    static bool timestampSupported(int64_t timestamp, int16_t version) {
        switch (timestamp) {
            case kLatest:
            case kEarliest:
                return version >= 1;
            case kMaxTimestamp:
                return version >= 7;
            case kEarliestLocal:
                return version >= 8;
            case kLatestTiered:
                return version >= 9;
            default:
                return timestamp >= 0;
        }
    }

    static ListOffsetsResponse::ListOffsetsPartitionResponse failed(
        const ListOffsetsRequest::ListOffsetsPartition& wanted, protocol::ErrorCode error) {
        ListOffsetsResponse::ListOffsetsPartitionResponse out;
        out.partitionIndex = wanted.partitionIndex;
        out.errorCode = protocol::code(error);
        return out;
    }

    // read_committed (isolation level 1) sees the log up to the last stable offset only.
    ListOffsetsResponse::ListOffsetsPartitionResponse lookup(const RequestContext& context, const std::string& topic,
                                                             const ListOffsetsRequest::ListOffsetsPartition& wanted,
                                                             bool readCommitted) {
        ListOffsetsResponse::ListOffsetsPartitionResponse out;
        out.partitionIndex = wanted.partitionIndex;
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(topic, wanted.partitionIndex, log); !e.ok()) {
            out.errorCode = e.code;
            return out;
        }
        // One leader epoch per partition until leadership can move (the replication issue).
        auto info = m_context.metadata().topic(topic);
        int32_t leaderEpoch = info ? info->partitions[size_t(wanted.partitionIndex)].leaderEpoch : -1;
        int64_t offset = -1, timestamp = -1;
        const int64_t visibleEnd = readCommitted ? log->lastStableOffset() : log->highWatermark();
        switch (wanted.timestamp) {
            case kLatest:
                offset = visibleEnd;
                break;
            case kEarliest:
            case kEarliestLocal:
                offset = log->logStartOffset();
                break;
            case kLatestTiered:
                // No tiered storage: nothing is in remote storage (Kafka answers -1 with epoch -1).
                break;
            case kMaxTimestamp: {
                // The record with the largest timestamp: the segment holding it, then its first record at it.
                int64_t largest = -1;
                for (const auto& segment : log->segments()) {
                    auto ts = segment->largestTimestamp();
                    if (ts && segment->size() > 0) largest = std::max(largest, *ts);
                }
                if (largest >= 0) {
                    auto found = log->offsetForTimestamp(largest);
                    if (found && *found) {
                        offset = (*found)->offset;
                        timestamp = (*found)->timestamp;
                    }
                }
                break;
            }
            default: {
                auto found = log->offsetForTimestamp(wanted.timestamp);
                if (!found) {
                    out.errorCode = storageError(found.error()).code;
                    return out;
                }
                // Past the high watermark (or LSO) is not there yet for consumers: no answer, as Kafka.
                if (*found && (*found)->offset < visibleEnd) {
                    offset = (*found)->offset;
                    timestamp = (*found)->timestamp;
                }
                break;
            }
        }
        if (context.apiVersion == 0) {
            // v0 answers a list of offsets (at most maxNumOffsets).
            if (offset >= 0 && wanted.maxNumOffsets > 0) out.oldStyleOffsets.push_back(offset);
            return out;
        }
        out.offset = offset;
        out.timestamp = timestamp;
        // LeaderEpoch exists from v4 on; an older response cannot carry anything but its default.
        if (context.apiVersion >= 4) out.leaderEpoch = offset >= 0 ? leaderEpoch : -1;
        return out;
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeListOffsetsHandler(BrokerContext& context) {
    return std::make_unique<ListOffsetsHandler>(context);
}

}  // namespace partita::broker
