// OffsetFetch: committed offsets of named partitions or of all (null topics), for one group or many (v8+).
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/messages/offsetfetch.h"

#include <map>

namespace partita::broker {

namespace {

using protocol::OffsetFetchRequest;
using protocol::OffsetFetchResponse;

// One group's answer, before it is laid out in the version's shape.
struct GroupOffsets {
    int16_t errorCode = 0;
    std::vector<coordinator::FetchedOffset> offsets;
};

// Both request shapes name topics with partition lists; null means every committed partition.
template <class Topics>
std::optional<std::vector<coordinator::TopicPartition>> wanted(const std::optional<Topics>& topics) {
    if (!topics) return std::nullopt;
    std::vector<coordinator::TopicPartition> out;
    for (const auto& t : *topics) {
        for (int32_t p : t.partitionIndexes) out.push_back({t.name, p});
    }
    return out;
}

// Groups the offsets by topic, keeping the order topics were asked in (or sorted for "all").
template <class TopicOut>
std::vector<TopicOut> byTopic(const GroupOffsets& group, bool errorPerPartition) {
    std::vector<TopicOut> topics;
    std::map<std::string, size_t> index;
    for (const auto& f : group.offsets) {
        auto [it, added] = index.try_emplace(f.partition.topic, topics.size());
        if (added) {
            topics.emplace_back();
            topics.back().name = f.partition.topic;
        }
        typename decltype(TopicOut::partitions)::value_type p;
        p.partitionIndex = f.partition.partition;
        p.committedOffset = f.offset;
        p.committedLeaderEpoch = f.leaderEpoch;
        p.metadata = f.metadata;
        p.errorCode = errorPerPartition && group.errorCode ? group.errorCode : f.errorCode;
        topics[it->second].partitions.push_back(std::move(p));
    }
    return topics;
}

class OffsetFetchHandler final : public TypedHandler<OffsetFetchRequest, OffsetFetchResponse> {
public:
    explicit OffsetFetchHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        OffsetFetchRequest& request) override {
        auto response = std::make_unique<OffsetFetchResponse>();
        if (context.apiVersion >= 8) {
            for (const auto& g : request.groups) {
                GroupOffsets group = fetch(g.groupId, wanted(g.topics), request.requireStable);
                OffsetFetchResponse::OffsetFetchResponseGroup out;
                out.groupId = g.groupId;
                out.errorCode = group.errorCode;
                out.topics = byTopic<OffsetFetchResponse::OffsetFetchResponseTopics>(group, false);
                response->groups.push_back(std::move(out));
            }
            co_return response;
        }
        // Before v2 there is no top-level error: a group error is repeated on each partition.
        GroupOffsets group =
            fetch(request.groupId, wanted(request.topics), context.apiVersion >= 7 && request.requireStable);
        if (context.apiVersion >= 2) response->errorCode = group.errorCode;
        response->topics = byTopic<OffsetFetchResponse::OffsetFetchResponseTopic>(group, context.apiVersion < 2);
        co_return response;
    }

private:
    // requireStable (v7+): partitions with a transactional commit in flight answer UNSTABLE_OFFSET_COMMIT.
    GroupOffsets fetch(const std::string& groupId,
                       const std::optional<std::vector<coordinator::TopicPartition>>& partitions, bool requireStable) {
        GroupOffsets out;
        out.errorCode = m_context.groups().fetchOffsets(groupId, partitions, out.offsets, requireStable);
        if (out.errorCode != 0 && out.offsets.empty() && partitions) {
            for (const auto& p : *partitions) out.offsets.push_back({p, -1, -1, "", 0});
        }
        return out;
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeOffsetFetchHandler(BrokerContext& context) {
    return std::make_unique<OffsetFetchHandler>(context);
}

}  // namespace partita::broker
