// OffsetDelete: removes a group's committed offsets for partitions its members do not consume.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/offsetdelete.h"

namespace partita::broker {

namespace {

using protocol::OffsetDeleteRequest;
using protocol::OffsetDeleteResponse;

class OffsetDeleteHandler final : public TypedHandler<OffsetDeleteRequest, OffsetDeleteResponse> {
public:
    explicit OffsetDeleteHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        OffsetDeleteRequest& request) override {
        std::vector<coordinator::TopicPartition> partitions;
        std::vector<int16_t> errors;
        for (const auto& topic : request.topics) {
            for (const auto& p : topic.partitions) {
                partitions.push_back({topic.name, p.partitionIndex});
                errors.push_back(m_context.hasPartition(topic.name, p.partitionIndex)
                                     ? int16_t(0)
                                     : protocol::code(protocol::ErrorCode::UnknownTopicOrPartition));
            }
        }
        auto response = std::make_unique<OffsetDeleteResponse>();
        response->errorCode = m_context.groups().deleteOffsets(request.groupId, partitions, errors);
        if (response->errorCode != 0) co_return response;
        size_t next = 0;
        for (const auto& topic : request.topics) {
            OffsetDeleteResponse::OffsetDeleteResponseTopic out;
            out.name = topic.name;
            for (const auto& p : topic.partitions) {
                OffsetDeleteResponse::OffsetDeleteResponsePartition partition;
                partition.partitionIndex = p.partitionIndex;
                partition.errorCode = errors[next++];
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

std::unique_ptr<ApiHandler> makeOffsetDeleteHandler(BrokerContext& context) {
    return std::make_unique<OffsetDeleteHandler>(context);
}

}  // namespace partita::broker
