// KafkaClient: one cluster's connection pool, metadata cache and request routing, shared by
// the admin, producer and consumers of a process.
#pragma once

#include "engine/client/clientconfig.h"
#include "engine/client/clustermetadata.h"
#include "engine/protocol/apimessage.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace partita::client {

namespace detail {
class ClientCore;
struct PendingRequest;
}  // namespace detail

// A decoded response and how it was obtained.
struct Response {
    std::unique_ptr<protocol::ApiMessage> body;
    int16_t version = 0;  // the version both sides agreed on for this request
    int32_t nodeId = -1;  // the broker that answered (negative: a bootstrap address)
};

template <class T>
struct TypedResponse {
    std::unique_ptr<T> body;
    int16_t version = 0;
    int32_t nodeId = -1;
    T* operator->() const { return body.get(); }
    T& operator*() const { return *body; }
};

// Where a request goes. Leaders and coordinators are looked up (and cached) by the client;
// the caller reports NOT_LEADER_OR_FOLLOWER / NOT_COORDINATOR it finds inside responses
// through invalidateLeader / invalidateCoordinator so the next request goes elsewhere.
struct Target {
    enum class Kind { AnyBroker, Node, Controller, Leader, GroupCoordinator, TransactionCoordinator };
    Kind kind = Kind::AnyBroker;
    int32_t nodeId = -1;
    std::string name;  // topic (Leader) or group / transactional id (coordinators)
    int32_t partition = -1;

    static Target anyBroker() { return {}; }
    static Target node(int32_t id) { return {Kind::Node, id, {}, -1}; }
    static Target controller() { return {Kind::Controller, -1, {}, -1}; }
    static Target leader(std::string topic, int32_t partition) {
        return {Kind::Leader, -1, std::move(topic), partition};
    }
    static Target groupCoordinator(std::string group) { return {Kind::GroupCoordinator, -1, std::move(group), -1}; }
    static Target transactionCoordinator(std::string transactionalId) {
        return {Kind::TransactionCoordinator, -1, std::move(transactionalId), -1};
    }
};

// Requests to one broker travel on one connection per lane. Long polls (fetch) get their own
// lane so they never hold up an admin call behind them (a broker answers a connection's
// requests one at a time).
enum class Lane : uint8_t { Default = 0, Fetch = 1, Produce = 2 };

struct RequestOptions {
    int32_t timeoutMs = -1;      // -1: request.timeout.ms
    int16_t maxVersion = -1;     // cap the negotiated version (-1: the highest both sides know)
    int16_t minVersion = -1;     // refuse (Unsupported) when the broker's highest is below this
    bool expectResponse = true;  // false only for Produce with acks=0
    Lane lane = Lane::Default;
    // Adjusts the request for the version negotiated with the broker, before it is encoded:
    // for fields an older version cannot carry (e.g. Metadata's allowAutoTopicCreation before v4).
    std::function<void(protocol::ApiMessage& request, int16_t version)> prepareForVersion;
};

// Cancels a request: its callback runs once with a Cancelled error (unless it already ran).
class RequestHandle {
public:
    RequestHandle() = default;
    explicit RequestHandle(std::weak_ptr<detail::PendingRequest> pending) : m_pending(std::move(pending)) {}
    void cancel();

private:
    std::weak_ptr<detail::PendingRequest> m_pending;
};

using ResponseCallback = std::function<void(Result<Response>)>;
using MetadataCallback = std::function<void(Result<std::shared_ptr<const ClusterMetadata>>)>;

class KafkaClient {
public:
    // A client with its own pool and engine thread(s). Fails on an invalid config.
    static Result<std::shared_ptr<KafkaClient>> create(ClientConfig config);
    // The process-wide client of that cluster and identity (ClientConfig::poolKey): every
    // user in the process shares its connections and metadata.
    static Result<std::shared_ptr<KafkaClient>> shared(const ClientConfig& config);

    ~KafkaClient();
    KafkaClient(const KafkaClient&) = delete;
    KafkaClient& operator=(const KafkaClient&) = delete;

    const ClientConfig& config() const;

    // Sends `request` to `target` at the highest version both sides support. Never blocks;
    // `done` runs exactly once on an engine thread with the response or the error (Network,
    // Timeout, Cancelled, Authentication, Unsupported when the broker lacks the API, Broker
    // for routing failures such as an unknown topic). Requests not yet written are retried on
    // another connection attempt until the deadline; read-only requests also after a lost
    // connection.
    RequestHandle send(Target target, std::unique_ptr<protocol::ApiMessage> request, ResponseCallback done,
                       RequestOptions options = {});

    template <class Resp, class Req>
    RequestHandle call(Target target, std::unique_ptr<Req> request,
                       std::function<void(Result<TypedResponse<Resp>>)> done, RequestOptions options = {}) {
        return send(
            std::move(target), std::move(request),
            [done = std::move(done)](Result<Response> result) {
                if (!result.ok()) return done(result.error());
                Response& r = result.value();
                auto* typed = dynamic_cast<Resp*>(r.body.get());
                if (typed == nullptr) return done(Error{ErrorKind::Malformed, "unexpected response type"});
                r.body.release();
                done(TypedResponse<Resp>{std::unique_ptr<Resp>(typed), r.version, r.nodeId});
            },
            options);
    }

    // The latest snapshot (empty before the first Metadata answer).
    std::shared_ptr<const ClusterMetadata> metadata() const;
    // Fetches metadata for `topics` (empty: every topic) and merges it into the cache. Topics
    // asked for are remembered and kept fresh every metadata.max.age.ms.
    void refreshMetadata(std::vector<std::string> topics, MetadataCallback done, bool allowAutoCreate = false);
    // The cached snapshot if it knows every topic in `topics` with a leader for each
    // partition, otherwise a refresh.
    void metadataFor(std::vector<std::string> topics, MetadataCallback done);
    // A response said the cached leader or coordinator is wrong: forget it (the next request
    // refreshes first).
    void invalidateLeader(const std::string& topic, int32_t partition);
    void invalidateCoordinator(Target::Kind kind, const std::string& key);

    // The API version ranges a broker advertised (after connecting to it, which this does).
    struct ApiRange {
        int16_t apiKey;
        int16_t minVersion;
        int16_t maxVersion;
    };
    void apiVersions(int32_t nodeId, std::function<void(Result<std::vector<ApiRange>>)> done);

    // The engine threads' io_context, for timers of the producer and consumers.
    boost::asio::io_context& ioContext();

    // Closes every connection; pending requests fail with Cancelled. Called by the destructor.
    void close();

private:
    explicit KafkaClient(std::shared_ptr<detail::ClientCore> core);
    std::shared_ptr<detail::ClientCore> m_core;
};

// Formats a Broker error for a Kafka error code in a response, e.g.
// "orders-3: NOT_LEADER_OR_FOLLOWER (the broker is not the leader ...)"; retriable() tells callers
// whether trying again can help.
Error brokerError(int16_t code, const std::string& context, const std::string& serverMessage = {});
bool retriable(const Error& error);

}  // namespace partita::client
