// DeleteTopics: topics removed by name, or by topic id from v6.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/deletetopics.h"

#include <map>

namespace partita::broker {

namespace {

using protocol::DeleteTopicsRequest;
using protocol::DeleteTopicsResponse;
using protocol::ErrorCode;

class DeleteTopicsHandler final : public TypedHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
public:
    explicit DeleteTopicsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                        DeleteTopicsRequest& request) override {
        auto response = std::make_unique<DeleteTopicsResponse>();
        // v0-5 name the topics in topicNames; v6 sends name-or-id states.
        std::vector<DeleteTopicsRequest::DeleteTopicState> wanted;
        if (context.apiVersion >= 6) {
            wanted = request.topics;
        } else {
            for (const auto& name : request.topicNames) wanted.push_back({name, Uuid{}, {}});
        }
        std::map<std::string, int> names;
        std::map<std::string, int> ids;
        for (const auto& state : wanted) {
            if (state.name) ++names[*state.name];
            if (!state.topicId.isZero()) ++ids[state.topicId.toBase64()];
        }
        for (const auto& state : wanted) {
            response->responses.push_back(remove(state, names, ids));
        }
        co_return response;
    }

private:
    DeleteTopicsResponse::DeletableTopicResult remove(const DeleteTopicsRequest::DeleteTopicState& state,
                                                      const std::map<std::string, int>& names,
                                                      const std::map<std::string, int>& ids) {
        DeleteTopicsResponse::DeletableTopicResult out;
        out.name = state.name;
        out.topicId = state.topicId;
        auto failWith = [&](ErrorCode code, std::string message) {
            out.errorCode = protocol::code(code);
            out.errorMessage = std::move(message);
            return out;
        };
        const bool byName = state.name.has_value();
        const bool byId = !state.topicId.isZero();
        if (byName && byId)
            return failWith(ErrorCode::InvalidRequest, "You may not specify both topic name and topic id.");
        if (!byName && !byId) return failWith(ErrorCode::InvalidRequest, "Neither topic name nor id were specified.");
        if (byName && names.at(*state.name) > 1) return failWith(ErrorCode::InvalidRequest, "Duplicate topic name.");
        if (byId && ids.at(state.topicId.toBase64()) > 1) {
            return failWith(ErrorCode::InvalidRequest, "Duplicate topic id.");
        }

        std::optional<cluster::TopicInfo> topic =
            byName ? m_context.metadata().topic(*state.name) : m_context.metadata().topicById(state.topicId);
        if (!topic) {
            if (byName) {
                return failWith(ErrorCode::UnknownTopicOrPartition, "This server does not host this topic-partition.");
            }
            return failWith(ErrorCode::UnknownTopicId, "This server does not host this topic ID.");
        }
        out.name = topic->name;
        out.topicId = topic->id;
        ApiError error = m_context.deleteTopic(topic->name);
        out.errorCode = error.code;
        if (!error.ok()) out.errorMessage = error.message;
        return out;
    }

    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDeleteTopicsHandler(BrokerContext& context) {
    return std::make_unique<DeleteTopicsHandler>(context);
}

}  // namespace partita::broker
