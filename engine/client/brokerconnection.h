// BrokerConnection: one TCP (optionally TLS) connection to a broker: connect, ApiVersions, SASL,
// then pipelined requests matched to responses by correlation id.
#pragma once

#include "engine/client/clientconfig.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/bytes.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace partita::client::detail {

struct PendingRequest;

// What every connection of one client shares.
struct ConnectionSettings {
    ClientConfig config;
    // Always set (an unused one for PLAINTEXT / SASL_PLAINTEXT: the stream type needs a context).
    std::shared_ptr<boost::asio::ssl::context> tls;
    bool useTls = false;
};

class BrokerConnection : public std::enable_shared_from_this<BrokerConnection> {
public:
    enum class State { Connecting, Ready, Closed };
    using ApiRanges = std::vector<KafkaClient::ApiRange>;
    // Everything still pending when the connection closed, for the owner to retry or fail.
    using ClosedHandler =
        std::function<void(BrokerConnection&, const Error&, std::vector<std::shared_ptr<PendingRequest>>)>;
    using ReadyHandler = std::function<void(BrokerConnection&)>;
    // The steps of the handshake, in the order they run.
    enum class Stage { Resolve, Connect, Tls, ApiVersions, Sasl };
    // Told when each step ends (ok, with a detail such as the address reached) or fails (with the
    // error), so a connection test can say which step went wrong; runs on the connection's strand.
    using StageObserver = std::function<void(Stage, bool ok, const std::string& detail)>;

    BrokerConnection(boost::asio::io_context& io, int32_t nodeId, HostPort address,
                     std::shared_ptr<const ConnectionSettings> settings, ReadyHandler onReady, ClosedHandler onClosed);
    ~BrokerConnection();

    // Before start() only.
    void setStageObserver(StageObserver observer) { m_stageObserver = std::move(observer); }
    // Starts connecting; requests submitted meanwhile wait for the handshake.
    void start();
    // Thread-safe. Encodes at the highest version both sides support and sends.
    void submit(std::shared_ptr<PendingRequest> request);
    // Thread-safe. Fails nothing itself: pending requests go to the ClosedHandler.
    void close(Error why);

    State state() const { return m_state.load(); }
    int32_t nodeId() const { return m_nodeId; }
    const HostPort& address() const { return m_address; }
    // "broker 2 (kafka-2:9092)" or "bootstrap server kafka-1:9092".
    std::string describe() const;
    // Valid once Ready.
    std::shared_ptr<const ApiRanges> apiRanges() const { return m_apiRanges; }

private:
    struct InFlight {
        int32_t correlationId;
        int16_t apiKey;
        int16_t version;
        std::shared_ptr<PendingRequest> request;
    };

    boost::asio::awaitable<void> connectAndHandshake();
    boost::asio::awaitable<void> negotiateApiVersions();
    boost::asio::awaitable<void> authenticate();
    boost::asio::awaitable<Bytes> roundTrip(const protocol::ApiMessage& request, int16_t version);
    boost::asio::awaitable<Bytes> readFrame();
    boost::asio::awaitable<void> readLoop();
    boost::asio::awaitable<void> writeLoop();
    void encodeAndQueue(std::shared_ptr<PendingRequest> request);
    void onResponse(Bytes frame);
    void fail(Error why);
    void stageDone(Stage stage, const std::string& detail);
    int16_t negotiatedVersion(int16_t apiKey) const;  // -1: the broker lacks the API

    boost::asio::strand<boost::asio::io_context::executor_type> m_strand;
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> m_stream;
    boost::asio::steady_timer m_connectTimer;
    const int32_t m_nodeId;
    const HostPort m_address;
    std::shared_ptr<const ConnectionSettings> m_settings;
    ReadyHandler m_onReady;
    ClosedHandler m_onClosed;
    StageObserver m_stageObserver;
    Stage m_stage = Stage::Resolve;  // the handshake step under way

    std::atomic<State> m_state{State::Connecting};
    std::shared_ptr<const ApiRanges> m_apiRanges;
    Error m_closeReason{ErrorKind::Network, "connection closed"};  // why it closed, for late submits
    std::vector<int16_t> m_maxVersionByKey;                        // negotiated, indexed by API key; -1 when absent
    int32_t m_nextCorrelationId = 1;
    std::vector<std::shared_ptr<PendingRequest>> m_waiting;  // submitted before Ready
    std::deque<std::pair<Bytes, std::shared_ptr<PendingRequest>>> m_writeQueue;
    bool m_writing = false;
    std::deque<InFlight> m_inFlight;  // responses come back in request order
};

}  // namespace partita::client::detail
