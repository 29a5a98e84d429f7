// OffsetCommit: a group member (or an assign() consumer with generation -1) commits offsets to __consumer_offsets.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/offsetcommit.h"
#include "engine/storage/clock.h"

namespace partita::broker {

namespace {

using protocol::ErrorCode;
using protocol::OffsetCommitRequest;
using protocol::OffsetCommitResponse;

constexpr int64_t kDefaultRetentionTime = -1;

class OffsetCommitHandler final : public TypedHandler<OffsetCommitRequest, OffsetCommitResponse> {
public:
    explicit OffsetCommitHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        OffsetCommitRequest& request) override {
        // v2-v4 could ask for a retention of their own; the offsets then expire at a fixed time.
        std::optional<int64_t> expireAt;
        if (context.apiVersion >= 2 && context.apiVersion <= 4 && request.retentionTimeMs != kDefaultRetentionTime) {
            expireAt = m_context.clock().nowMs() + request.retentionTimeMs;
        }
        std::vector<coordinator::OffsetCommitEntry> entries;
        for (const auto& topic : request.topics) {
            for (const auto& p : topic.partitions) {
                coordinator::OffsetCommitEntry e;
                e.partition = {topic.name, p.partitionIndex};
                e.offset = p.committedOffset;
                e.leaderEpoch = p.committedLeaderEpoch;
                e.metadata = p.committedMetadata;
                e.expireTimestampMs = expireAt;
                if (!m_context.hasPartition(topic.name, p.partitionIndex)) {
                    e.errorCode = protocol::code(ErrorCode::UnknownTopicOrPartition);
                }
                entries.push_back(std::move(e));
            }
        }
        // v0 predates group membership: it commits like an assign() consumer.
        const int32_t generation = context.apiVersion == 0 ? -1 : request.generationIdOrMemberEpoch;
        m_context.groups().commitOffsets(request.groupId, request.memberId, request.groupInstanceId, generation,
                                         entries);

        auto response = std::make_unique<OffsetCommitResponse>();
        size_t next = 0;
        for (const auto& topic : request.topics) {
            OffsetCommitResponse::OffsetCommitResponseTopic out;
            out.name = topic.name;
            for (const auto& p : topic.partitions) {
                OffsetCommitResponse::OffsetCommitResponsePartition partition;
                partition.partitionIndex = p.partitionIndex;
                partition.errorCode = entries[next++].errorCode;
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

std::unique_ptr<ApiHandler> makeOffsetCommitHandler(BrokerContext& context) {
    return std::make_unique<OffsetCommitHandler>(context);
}

}  // namespace partita::broker
