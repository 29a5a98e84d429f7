// One connection to a broker: connect, TLS, ApiVersions negotiation, SASL, pipelined requests.
#include "engine/client/brokerconnection.h"

#include "engine/client/pendingrequest.h"
#include "engine/protocol/apiregistry.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/requestheader.h"
#include "engine/protocol/messages/saslauthenticate.h"
#include "engine/protocol/messages/saslhandshake.h"
#include "engine/protocol/records/byteorder.h"
#include "engine/security/saslclient.h"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace partita::client::detail {

namespace asio = boost::asio;
using asio::use_awaitable;

namespace {

// Thrown inside the handshake coroutine only, caught at its top: turns a refusal into an Error.
struct HandshakeFailure {
    Error error;
};

constexpr int16_t kApiVersionsKey = protocol::ApiVersionsRequest::kApiKey;

Error networkError(const std::string& who, const boost::system::error_code& ec) {
    return Error{ErrorKind::Network, who + ": " + ec.message()};
}

}  // namespace

BrokerConnection::BrokerConnection(asio::io_context& io, int32_t nodeId, HostPort address,
                                   std::shared_ptr<const ConnectionSettings> settings, ReadyHandler onReady,
                                   ClosedHandler onClosed)
    : m_strand(asio::make_strand(io)),
      m_stream(m_strand, *settings->tls),
      m_connectTimer(m_strand),
      m_nodeId(nodeId),
      m_address(std::move(address)),
      m_settings(std::move(settings)),
      m_onReady(std::move(onReady)),
      m_onClosed(std::move(onClosed)) {}

BrokerConnection::~BrokerConnection() = default;

std::string BrokerConnection::describe() const {
    std::string where = m_address.host + ":" + std::to_string(m_address.port);
    if (m_nodeId < 0) return "bootstrap server " + where;
    return "broker " + std::to_string(m_nodeId) + " (" + where + ")";
}

void BrokerConnection::start() {
    asio::co_spawn(m_strand, connectAndHandshake(), asio::detached);
}

void BrokerConnection::submit(std::shared_ptr<PendingRequest> request) {
    asio::post(m_strand, [self = shared_from_this(), request = std::move(request)]() mutable {
        switch (self->m_state.load()) {
            case State::Connecting:
                self->m_waiting.push_back(std::move(request));
                return;
            case State::Ready:
                self->encodeAndQueue(std::move(request));
                return;
            case State::Closed:
                // Lost the race with a close: hand it back like the others.
                self->m_onClosed(*self, self->m_closeReason, {std::move(request)});
                return;
        }
    });
}

void BrokerConnection::close(Error why) {
    asio::post(m_strand, [self = shared_from_this(), why = std::move(why)]() mutable { self->fail(std::move(why)); });
}

void BrokerConnection::stageDone(Stage stage, const std::string& detail) {
    if (m_stageObserver) m_stageObserver(stage, true, detail);
}

void BrokerConnection::fail(Error why) {
    const State before = m_state.exchange(State::Closed);
    if (before == State::Closed) return;
    if (before == State::Connecting && m_stageObserver) m_stageObserver(m_stage, false, why.message);
    m_closeReason = why;
    boost::system::error_code ignored;
    m_connectTimer.cancel();
    m_stream.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    m_stream.next_layer().close(ignored);
    std::vector<std::shared_ptr<PendingRequest>> pending = std::move(m_waiting);
    for (auto& entry : m_writeQueue) pending.push_back(std::move(entry.second));
    for (auto& entry : m_inFlight) pending.push_back(std::move(entry.request));
    m_writeQueue.clear();
    m_inFlight.clear();
    spdlog::debug("client: {} closed: {}", describe(), why.message);
    m_onClosed(*this, why, std::move(pending));
}

asio::awaitable<void> BrokerConnection::connectAndHandshake() {
    auto self = shared_from_this();
    const ClientConfig& config = m_settings->config;
    // A stalled connect or handshake is cut by closing the socket, which fails the pending operation.
    m_connectTimer.expires_after(std::chrono::milliseconds(config.connectTimeoutMs));
    m_connectTimer.async_wait([self](boost::system::error_code ec) {
        if (!ec && self->m_state.load() == State::Connecting)
            self->fail(Error{ErrorKind::Timeout, self->describe() + ": no connection within " +
                                                     std::to_string(self->m_settings->config.connectTimeoutMs) +
                                                     " ms (socket.connection.setup.timeout.ms)"});
    });
    std::string step = "resolve";
    try {
        asio::ip::tcp::resolver resolver(m_strand);
        auto endpoints = co_await resolver.async_resolve(m_address.host, std::to_string(m_address.port), use_awaitable);
        if (!endpoints.empty()) stageDone(Stage::Resolve, endpoints.begin()->endpoint().address().to_string());
        step = "connect";
        m_stage = Stage::Connect;
        auto reached = co_await asio::async_connect(m_stream.next_layer(), endpoints, use_awaitable);
        m_stream.next_layer().set_option(asio::ip::tcp::no_delay(true));
        stageDone(Stage::Connect, reached.address().to_string() + ":" + std::to_string(reached.port()));
        if (m_settings->useTls) {
            step = "TLS handshake";
            m_stage = Stage::Tls;
            SSL_set_tlsext_host_name(m_stream.native_handle(), m_address.host.c_str());
            // OpenSSL checks the name itself, so a mismatch reads "hostname mismatch" in the error.
            if (config.sslVerifyHostname) {
                boost::system::error_code notAnAddress;
                asio::ip::make_address(m_address.host, notAnAddress);
                X509_VERIFY_PARAM* param = SSL_get0_param(m_stream.native_handle());
                if (!notAnAddress)
                    X509_VERIFY_PARAM_set1_ip_asc(param, m_address.host.c_str());
                else
                    SSL_set1_host(m_stream.native_handle(), m_address.host.c_str());
            }
            co_await m_stream.async_handshake(asio::ssl::stream_base::client, use_awaitable);
            stageDone(Stage::Tls, std::string(SSL_get_version(m_stream.native_handle())) + ", " +
                                      SSL_get_cipher_name(m_stream.native_handle()));
        }
        step = "API versions";
        m_stage = Stage::ApiVersions;
        co_await negotiateApiVersions();
        stageDone(Stage::ApiVersions, std::to_string(m_apiRanges ? m_apiRanges->size() : 0) + " APIs");
        if (config.securityProtocol == SecurityProtocol::SaslPlaintext ||
            config.securityProtocol == SecurityProtocol::SaslSsl) {
            step = "SASL authentication";
            m_stage = Stage::Sasl;
            co_await authenticate();
            stageDone(Stage::Sasl, config.saslMechanism);
        }
    } catch (const HandshakeFailure& failure) {
        fail(failure.error);
        co_return;
    } catch (const boost::system::system_error& e) {
        if (m_state.load() == State::Closed) co_return;  // the connect timer (or close()) got there first
        Error error = networkError(describe() + ": " + step + " failed", e.code());
        // TLS 1.3 servers refuse a missing client certificate after the handshake, so the alert
        // arrives during the first request: any TLS-level error before Ready is an authentication failure.
        if (step == "TLS handshake" || e.code().category() == asio::error::get_ssl_category() ||
            e.code() == asio::ssl::error::stream_truncated) {
            error.kind = ErrorKind::Authentication;
            error.message = describe() + ": TLS " + (step == "TLS handshake" ? "handshake" : step) +
                            " failed: " + e.code().message();
            // OpenSSL's verify result says why a certificate was refused (expired, unknown CA, wrong host).
            long verify = SSL_get_verify_result(m_stream.native_handle());
            if (verify != X509_V_OK)
                error.message += std::string(" (certificate: ") + X509_verify_cert_error_string(verify) + ")";
        }
        fail(std::move(error));
        co_return;
    }
    if (m_state.load() == State::Closed) co_return;
    m_connectTimer.cancel();
    m_state.store(State::Ready);
    asio::co_spawn(m_strand, readLoop(), asio::detached);
    m_onReady(*this);
    for (auto& request : std::exchange(m_waiting, {})) encodeAndQueue(std::move(request));
}

asio::awaitable<Bytes> BrokerConnection::readFrame() {
    uint8_t sizeBytes[4];
    if (m_settings->useTls)
        co_await asio::async_read(m_stream, asio::buffer(sizeBytes), use_awaitable);
    else
        co_await asio::async_read(m_stream.next_layer(), asio::buffer(sizeBytes), use_awaitable);
    const int32_t size = int32_t(protocol::records::loadBe32(sizeBytes));
    if (size < 4 || size > m_settings->config.maxResponseBytes)
        throw HandshakeFailure{Error{ErrorKind::Malformed, describe() + ": response of " + std::to_string(size) +
                                                               " bytes announced; is this a Kafka listener?"}};
    auto buffer = std::make_shared<std::vector<uint8_t>>(size_t(size));
    if (m_settings->useTls)
        co_await asio::async_read(m_stream, asio::buffer(*buffer), use_awaitable);
    else
        co_await asio::async_read(m_stream.next_layer(), asio::buffer(*buffer), use_awaitable);
    const uint8_t* data = buffer->data();
    co_return Bytes(std::move(buffer), data, size_t(size));
}

asio::awaitable<Bytes> BrokerConnection::roundTrip(const protocol::ApiMessage& request, int16_t version) {
    protocol::RequestHeader header;
    header.requestApiKey = request.messageApiKey();
    header.requestApiVersion = version;
    header.correlationId = m_nextCorrelationId++;
    header.clientId = m_settings->config.clientId;
    auto frame = protocol::encodeRequest(header, request);
    if (!frame.ok()) throw HandshakeFailure{frame.error()};
    if (m_settings->useTls)
        co_await asio::async_write(m_stream, asio::buffer(frame->data(), frame->size()), use_awaitable);
    else
        co_await asio::async_write(m_stream.next_layer(), asio::buffer(frame->data(), frame->size()), use_awaitable);
    co_return co_await readFrame();
}

asio::awaitable<void> BrokerConnection::negotiateApiVersions() {
    protocol::ApiVersionsRequest request;
    request.clientSoftwareName = "partita";
    request.clientSoftwareVersion = "0.1.0";
    int16_t version = 3;  // the newest request every Kafka since 2.4 knows
    for (int attempt = 0; attempt < 2; ++attempt) {
        Bytes frame = co_await roundTrip(request, version);
        auto decoded = protocol::decodeResponse(frame, kApiVersionsKey, version);
        // A broker that does not know our version answers in v0 with its own range (KIP-511).
        if (!decoded.ok()) decoded = protocol::decodeResponse(frame, kApiVersionsKey, 0);
        // Some brokers (librdkafka's mock) garble that v0 answer; its error code still says to step down.
        const bool refusedVersion = frame.size() >= 6 && int16_t(protocol::records::loadBe16(frame.data() + 4)) ==
                                                             protocol::code(protocol::ErrorCode::UnsupportedVersion);
        if (!decoded.ok() && refusedVersion && attempt == 0) {
            version = 0;
            continue;
        }
        if (!decoded.ok())
            throw HandshakeFailure{Error{ErrorKind::Malformed,
                                         describe() + ": unreadable ApiVersions answer: " + decoded.error().message}};
        auto& response = static_cast<protocol::ApiVersionsResponse&>(*decoded->body);
        if (response.errorCode == protocol::code(protocol::ErrorCode::UnsupportedVersion) && attempt == 0) {
            int16_t brokerMax = 0;  // v0 when the answer does not say
            for (const auto& key : response.apiKeys)
                if (key.apiKey == kApiVersionsKey) brokerMax = key.maxVersion;
            version = std::min<int16_t>(version, brokerMax);
            continue;
        }
        if (response.errorCode != 0)
            throw HandshakeFailure{brokerError(response.errorCode, describe() + ": ApiVersions")};
        auto ranges = std::make_shared<ApiRanges>();
        m_maxVersionByKey.assign(128, -1);
        for (const auto& key : response.apiKeys) {
            ranges->push_back({key.apiKey, key.minVersion, key.maxVersion});
            const protocol::ApiInfo* ours = protocol::findApi(key.apiKey);
            if (ours == nullptr || key.apiKey < 0) continue;
            if (size_t(key.apiKey) >= m_maxVersionByKey.size()) m_maxVersionByKey.resize(size_t(key.apiKey) + 1, -1);
            const int16_t top = std::min(ours->maxStableVersion(), key.maxVersion);
            if (top >= std::max(ours->minVersion, key.minVersion)) m_maxVersionByKey[size_t(key.apiKey)] = top;
        }
        m_apiRanges = std::move(ranges);
        co_return;
    }
    throw HandshakeFailure{Error{ErrorKind::Unsupported, describe() + ": no ApiVersions version in common"}};
}

asio::awaitable<void> BrokerConnection::authenticate() {
    const ClientConfig& config = m_settings->config;
    auto mechanism = security::makeSaslClient(config.saslMechanism, config.saslUsername, config.saslPassword);
    if (!mechanism.ok()) throw HandshakeFailure{mechanism.error()};
    const int16_t handshakeVersion = negotiatedVersion(protocol::SaslHandshakeRequest::kApiKey);
    const int16_t authenticateVersion = negotiatedVersion(protocol::SaslAuthenticateRequest::kApiKey);
    if (handshakeVersion < 1 || authenticateVersion < 0)
        throw HandshakeFailure{
            Error{ErrorKind::Unsupported, describe() + ": the broker does not offer SASL (SaslHandshake v1 and "
                                                       "SaslAuthenticate); is this listener PLAINTEXT or SSL?"}};
    protocol::SaslHandshakeRequest handshake;
    handshake.mechanism = (*mechanism)->mechanism();
    Bytes frame = co_await roundTrip(handshake, handshakeVersion);
    auto decoded = protocol::decodeResponse(frame, handshake.messageApiKey(), handshakeVersion);
    if (!decoded.ok()) throw HandshakeFailure{decoded.error()};
    const auto& handshakeResponse = static_cast<const protocol::SaslHandshakeResponse&>(*decoded->body);
    if (handshakeResponse.errorCode != 0) {
        std::string offered;
        for (const auto& m : handshakeResponse.mechanisms) offered += (offered.empty() ? "" : ", ") + m;
        throw HandshakeFailure{Error{ErrorKind::Authentication,
                                     describe() + ": SASL mechanism " + handshake.mechanism +
                                         " refused; the broker offers: " + (offered.empty() ? "none" : offered),
                                     handshakeResponse.errorCode}};
    }
    auto message = (*mechanism)->start();
    while (true) {
        if (!message.ok()) throw HandshakeFailure{message.error()};
        protocol::SaslAuthenticateRequest authenticate;
        authenticate.authBytes = Bytes::copyOf(std::string_view(*message));
        Bytes answer = co_await roundTrip(authenticate, authenticateVersion);
        auto response = protocol::decodeResponse(answer, authenticate.messageApiKey(), authenticateVersion);
        if (!response.ok()) throw HandshakeFailure{response.error()};
        const auto& body = static_cast<const protocol::SaslAuthenticateResponse&>(*response->body);
        if (body.errorCode != 0)
            throw HandshakeFailure{
                Error{ErrorKind::Authentication,
                      describe() + ": SASL " + handshake.mechanism + " authentication failed: " +
                          body.errorMessage.value_or(std::string(protocol::errorName(body.errorCode))),
                      body.errorCode}};
        auto next = (*mechanism)->step(body.authBytes.view());
        if (!next.ok())
            throw HandshakeFailure{Error{ErrorKind::Authentication, describe() + ": " + next.error().message}};
        if (!next->has_value()) co_return;
        message = std::move(**next);
    }
}

int16_t BrokerConnection::negotiatedVersion(int16_t apiKey) const {
    if (apiKey < 0 || size_t(apiKey) >= m_maxVersionByKey.size()) return -1;
    return m_maxVersionByKey[size_t(apiKey)];
}

void BrokerConnection::encodeAndQueue(std::shared_ptr<PendingRequest> request) {
    if (request->isCompleted()) return;  // timed out or cancelled while waiting
    const protocol::ApiMessage& body = *request->request;
    const int16_t apiKey = body.messageApiKey();
    int16_t version = negotiatedVersion(apiKey);
    if (request->options.maxVersion >= 0) version = std::min(version, request->options.maxVersion);
    const protocol::ApiInfo* api = protocol::findApi(apiKey);
    const char* name = api != nullptr ? api->name : "this API";
    if (version < 0 || version < request->options.minVersion) {
        const int16_t brokerMax = negotiatedVersion(apiKey);
        std::string detail = brokerMax < 0
                                 ? std::string(" does not support ") + name
                                 : std::string(" supports ") + name + " only up to v" + std::to_string(brokerMax) +
                                       ", this operation needs v" + std::to_string(request->options.minVersion);
        request->complete(Error{ErrorKind::Unsupported, describe() + detail});
        return;
    }
    if (request->options.prepareForVersion) request->options.prepareForVersion(*request->request, version);
    protocol::RequestHeader header;
    header.requestApiKey = apiKey;
    header.requestApiVersion = version;
    header.correlationId = m_nextCorrelationId++;
    header.clientId = m_settings->config.clientId;
    auto frame = protocol::encodeRequest(header, body);
    if (!frame.ok()) {
        request->complete(Error{ErrorKind::Unsupported, describe() + ": " + name + " v" + std::to_string(version) +
                                                            " cannot carry this request: " + frame.error().message});
        return;
    }
    request->connection = weak_from_this();
    if (request->options.expectResponse) m_inFlight.push_back({header.correlationId, apiKey, version, request});
    m_writeQueue.emplace_back(std::move(frame.value()), std::move(request));
    if (!m_writing) {
        m_writing = true;
        asio::co_spawn(m_strand, writeLoop(), asio::detached);
    }
}

asio::awaitable<void> BrokerConnection::writeLoop() {
    auto self = shared_from_this();
    // Frames queued together go out in one gathered write (a producer queues one per partition leader).
    std::vector<asio::const_buffer> buffers;
    std::vector<Bytes> frames;  // keeps the bytes alive during the write
    std::vector<std::shared_ptr<PendingRequest>> batch;
    while (!m_writeQueue.empty() && m_state.load() == State::Ready) {
        buffers.clear();
        frames.clear();
        batch.clear();
        while (!m_writeQueue.empty() && buffers.size() < 64) {
            auto& [bytes, request] = m_writeQueue.front();
            buffers.emplace_back(bytes.data(), bytes.size());
            frames.push_back(std::move(bytes));
            request->written = true;
            batch.push_back(std::move(request));
            m_writeQueue.pop_front();
        }
        try {
            if (m_settings->useTls)
                co_await asio::async_write(m_stream, buffers, use_awaitable);
            else
                co_await asio::async_write(m_stream.next_layer(), buffers, use_awaitable);
        } catch (const boost::system::system_error& e) {
            m_writing = false;
            Error error = networkError(describe() + ": send failed", e.code());
            // Requests that expect an answer are in m_inFlight and go back through fail(); the others fail here.
            for (auto& request : batch)
                if (!request->options.expectResponse) request->complete(error);
            fail(std::move(error));
            co_return;
        }
        for (auto& request : batch) {
            if (!request->options.expectResponse) request->complete(Response{nullptr, 0, m_nodeId});
        }
    }
    m_writing = false;
}

asio::awaitable<void> BrokerConnection::readLoop() {
    auto self = shared_from_this();
    try {
        while (m_state.load() == State::Ready) onResponse(co_await readFrame());
    } catch (const HandshakeFailure& failure) {
        fail(failure.error);
    } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::eof)
            fail(Error{ErrorKind::Network, describe() + ": the broker closed the connection"});
        else
            fail(networkError(describe() + ": receive failed", e.code()));
    }
}

void BrokerConnection::onResponse(Bytes frame) {
    const int32_t correlationId = int32_t(protocol::records::loadBe32(frame.data()));
    if (m_inFlight.empty() || m_inFlight.front().correlationId != correlationId) {
        fail(Error{ErrorKind::Malformed, describe() + ": response with unexpected correlation id " +
                                             std::to_string(correlationId) + "; closing the connection"});
        return;
    }
    InFlight entry = std::move(m_inFlight.front());
    m_inFlight.pop_front();
    if (entry.request->isCompleted()) return;
    auto decoded = protocol::decodeResponse(frame, entry.apiKey, entry.version);
    if (!decoded.ok()) {
        const protocol::ApiInfo* api = protocol::findApi(entry.apiKey);
        entry.request->complete(Error{ErrorKind::Malformed, describe() + ": unreadable " + (api ? api->name : "") +
                                                                " response: " + decoded.error().message});
        return;
    }
    entry.request->complete(Response{std::move(decoded->body), entry.version, m_nodeId});
}

}  // namespace partita::client::detail
