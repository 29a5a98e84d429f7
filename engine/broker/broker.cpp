// Request dispatch: decode, version checks, the handler, encode; Kafka's answers to what cannot be served.
#include "engine/broker/broker.h"

#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/brokermetrics.h"
#include "engine/broker/handlers.h"
#include "engine/broker/recordslices.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/apiregistry.h"
#include "engine/protocol/apiversionssupport.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/fetch.h"
#include "engine/protocol/messages/produce.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace partita::broker {

namespace {
constexpr int16_t kApiVersionsKey = 18;

// A producer with acks=0 reads no answer. As Kafka does, the connection is closed when any
// partition failed, so the client notices and refreshes its metadata; otherwise nothing is sent.
std::optional<net::ResponseFrame> acksZeroOutcome(const net::ConnectionInfo& connection,
                                                  const protocol::RequestHeader& header,
                                                  const protocol::ProduceResponse& response) {
    std::string failures;
    for (const auto& topic : response.responses) {
        for (const auto& partition : topic.partitionResponses) {
            if (partition.errorCode == 0) continue;
            if (!failures.empty()) failures += ", ";
            failures += topic.name + "-" + std::to_string(partition.index) + " -> " +
                        std::string(protocol::errorName(partition.errorCode));
        }
    }
    if (failures.empty()) return std::nullopt;
    spdlog::info("closing connection from {}: produce with acks=0 failed (correlation id {}, client id {}): {}",
                 connection.peer, header.correlationId, header.clientId.value_or(""), failures);
    return net::ResponseFrame{};
}

double millisSince(std::chrono::steady_clock::time_point start, std::chrono::steady_clock::time_point end) {
    return std::chrono::duration<double, std::milli>(end - start).count();
}

// BrokerTopicMetrics of a fetch: the bytes each topic's partitions returned, and the partitions that failed.
void countFetch(BrokerContext& context, int16_t version, const protocol::FetchResponse& response,
                const RecordSlices& slices) {
    for (const auto& topic : response.responses) {
        std::string name = topic.topic;
        if (version >= 13) {
            auto info = context.metadata().topicById(topic.topicId);
            if (!info) continue;
            name = info->name;
        }
        for (const auto& partition : topic.partitions) {
            if (partition.errorCode != 0) {
                context.metrics().fetchFailed(name);
            } else {
                context.metrics().fetched(name, partition.records ? slices.recordBytes(*partition.records) : 0);
            }
        }
    }
}

// Counts a request in the queue from the moment it was read until it is answered.
class InFlight {
public:
    InFlight(BrokerMetrics& metrics, bool counted) : m_metrics(metrics), m_counted(counted) {
        if (m_counted) m_metrics.requestStarted();
    }
    ~InFlight() {
        if (m_counted) m_metrics.requestFinished();
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    BrokerMetrics& m_metrics;
    bool m_counted;
};
}  // namespace

Broker::Broker(BrokerContext& context) : m_context(context), m_handlers(makeAllHandlers(context)) {
    for (auto& handler : m_handlers) m_byKey[handler->apiKey()] = handler.get();
}

Broker::~Broker() = default;

boost::asio::awaitable<std::optional<net::ResponseFrame>> Broker::handleFrame(const net::ConnectionInfo& connection,
                                                                              Bytes frame) {
    const auto received = std::chrono::steady_clock::now();
    auto prefix = protocol::peekRequestHeader(frame.span());
    if (prefix) {
        auto it = m_byKey.find(prefix->apiKey);
        if (it != m_byKey.end() &&
            (prefix->apiVersion < it->second->minVersion() || prefix->apiVersion > it->second->maxVersion())) {
            if (prefix->apiKey == kApiVersionsKey) {
                co_return net::ResponseFrame(protocol::encodeApiVersionsFallbackResponse(prefix->correlationId));
            }
            spdlog::warn("closing connection from {}: {} v{} is not supported (versions {}-{})", connection.peer,
                         protocol::findApi(prefix->apiKey) ? protocol::findApi(prefix->apiKey)->name : "API",
                         prefix->apiVersion, it->second->minVersion(), it->second->maxVersion());
            co_return net::ResponseFrame{};
        }
        if (it == m_byKey.end()) {
            spdlog::warn("closing connection from {}: API key {} is not served", connection.peer, prefix->apiKey);
            co_return net::ResponseFrame{};
        }
    }
    auto decoded = protocol::decodeRequest(frame);
    if (auto* error = std::get_if<protocol::RequestDecodeError>(&decoded)) {
        if (error->prefix && error->prefix->apiKey == kApiVersionsKey &&
            error->failure == protocol::RequestDecodeFailure::UnsupportedVersion) {
            co_return net::ResponseFrame(protocol::encodeApiVersionsFallbackResponse(error->prefix->correlationId));
        }
        spdlog::warn("closing connection from {}: cannot parse request: {}", connection.peer, error->message);
        co_return net::ResponseFrame{};
    }
    auto& request = std::get<protocol::DecodedRequest>(decoded);
    const auto& header = request.header;
    ApiHandler& handler = *m_byKey.at(header.requestApiKey);
    const bool isFetch = header.requestApiKey == protocol::FetchRequest::kApiKey;
    // A fetch long-polls: Kafka keeps it in purgatory, out of the request queue and off the busy time.
    InFlight inFlight(m_context.metrics(), !isFetch);
    // Plaintext connections get fetched records straight from the page cache (sendfile).
    RecordSlices slices;
    RequestContext context{connection, header.requestApiVersion, header.correlationId,
                           header.clientId.value_or(std::string()), &slices};
    const auto handlerStarted = std::chrono::steady_clock::now();
    std::unique_ptr<protocol::ApiMessage> response = co_await handler.handle(context, *request.body);
    const auto handlerDone = std::chrono::steady_clock::now();
    m_context.metrics().requestCompleted(header.requestApiKey, header.requestApiVersion,
                                         millisSince(received, handlerDone), millisSince(received, handlerStarted),
                                         true);
    if (!isFetch) m_context.metrics().addBusyTime(handlerDone - received);
    if (!response) co_return std::nullopt;
    if (isFetch)
        countFetch(m_context, header.requestApiVersion, static_cast<const protocol::FetchResponse&>(*response), slices);
    if (header.requestApiKey == protocol::ProduceRequest::kApiKey &&
        static_cast<const protocol::ProduceRequest&>(*request.body).acks == 0) {
        co_return acksZeroOutcome(connection, header, static_cast<const protocol::ProduceResponse&>(*response));
    }
    auto encoded =
        protocol::encodeResponse(header.correlationId, header.requestApiKey, header.requestApiVersion, *response);
    if (!encoded) {
        // A response this version cannot carry is a bug here, not the client's: say so and close.
        spdlog::error("cannot encode {} v{} response: {}", response->messageName(), header.requestApiVersion,
                      encoded.error().message);
        co_return net::ResponseFrame{};
    }
    if (slices.empty()) co_return net::ResponseFrame(std::move(*encoded));
    auto split = slices.split(*encoded, response->isFlexible(header.requestApiVersion));
    if (!split) {
        spdlog::error("cannot place the records of a {} v{} response; closing the connection", response->messageName(),
                      header.requestApiVersion);
        co_return net::ResponseFrame{};
    }
    co_return std::move(*split);
}

}  // namespace partita::broker
