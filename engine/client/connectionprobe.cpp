// ConnectionProbe: drives one BrokerConnection on a private engine thread and turns its handshake
// stages, then a Metadata request, into per-step results.
#include "engine/client/connectionprobe.h"

#include "engine/client/brokerconnection.h"
#include "engine/client/pendingrequest.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/security/tlsclientcontext.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <mutex>
#include <optional>

namespace partita::client {

namespace asio = boost::asio;
using detail::BrokerConnection;

namespace {

bool usesTls(const ClientConfig& config) {
    return config.securityProtocol == SecurityProtocol::Ssl || config.securityProtocol == SecurityProtocol::SaslSsl;
}

bool usesSasl(const ClientConfig& config) {
    return config.securityProtocol == SecurityProtocol::SaslPlaintext ||
           config.securityProtocol == SecurityProtocol::SaslSsl;
}

ConnectionProbe::Step stepOf(BrokerConnection::Stage stage) {
    switch (stage) {
        case BrokerConnection::Stage::Resolve:
            return ConnectionProbe::Step::Dns;
        case BrokerConnection::Stage::Connect:
            return ConnectionProbe::Step::Tcp;
        case BrokerConnection::Stage::Tls:
            return ConnectionProbe::Step::Tls;
        case BrokerConnection::Stage::ApiVersions:
            return ConnectionProbe::Step::ApiVersions;
        case BrokerConnection::Stage::Sasl:
            return ConnectionProbe::Step::Sasl;
    }
    return ConnectionProbe::Step::Dns;
}

}  // namespace

// Everything here runs on the probe's single engine thread, except cancel() which takes the mutex.
// Handlers capture a plain Impl*: they all run on (or die with) `io`, which lives inside Impl, and a
// shared_ptr in a handler that never runs (the thread is stopped) would keep Impl alive for ever.
struct ConnectionProbe::Impl {
    asio::io_context io;  // first member: destroyed last, after what refers to it
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    asio::steady_timer deadline{io};
    ClientConfig config;
    std::chrono::milliseconds timeout{0};
    std::shared_ptr<BrokerConnection> connection;
    bool finished = false;
    Summary summary;

    // Held while a callback runs, so cancel() returning means no callback is running or will run.
    std::recursive_mutex callbackMutex;
    StepCallback onStep;
    DoneCallback onDone;

    void report(Step step, bool ok, std::string message) {
        if (finished) return;
        StepResult result{step, ok, std::move(message)};
        summary.steps.push_back(result);
        std::lock_guard lock(callbackMutex);
        if (onStep) onStep(result);
    }

    void finish(bool ok) {
        if (finished) return;
        finished = true;
        summary.ok = ok;
        deadline.cancel();
        if (connection) connection->close(Error{ErrorKind::Cancelled, "connection test finished"});
        std::lock_guard lock(callbackMutex);
        if (onDone) onDone(summary);
        onStep = nullptr;
        onDone = nullptr;
    }

    void fail(Step step, std::string message) {
        report(step, false, std::move(message));
        finish(false);
    }

    void run() {
        if (config.bootstrapServers.empty()) return fail(Step::Dns, "no bootstrap servers (bootstrap.servers)");
        auto address = parseHostPort(config.bootstrapServers.front());
        if (!address.ok()) return fail(Step::Dns, address.error().message);
        auto settings = std::make_shared<detail::ConnectionSettings>();
        settings->config = config;
        settings->useTls = usesTls(config);
        if (settings->useTls) {
            // A CA or key file that cannot be read fails before any network step: say so as a TLS failure.
            auto tls = security::makeTlsClientContext(
                {config.sslCaLocation, config.sslCertificateLocation, config.sslKeyLocation, config.sslKeyPassword});
            if (!tls.ok()) return fail(Step::Tls, tls.error().message);
            settings->tls = tls.value();
        } else {
            settings->tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
        }

        deadline.expires_after(timeout);
        deadline.async_wait([self = this](boost::system::error_code ec) {
            if (ec || self->finished || !self->connection) return;
            self->connection->close(
                Error{ErrorKind::Timeout, "no answer within " + std::to_string(self->timeout.count()) + " ms"});
        });

        Impl* self = this;  // the connection lives inside this object and runs on its io_context
        connection = std::make_shared<BrokerConnection>(
            io, -1, std::move(address.value()), std::move(settings),
            [self](BrokerConnection& ready) { self->askMetadata(ready); },
            [self](BrokerConnection&, const Error& why, std::vector<std::shared_ptr<detail::PendingRequest>> pending) {
                // Handshake failures were reported by the stage observer; this is a loss after it.
                for (auto& request : pending) request->complete(why);
                if (!self->finished) self->fail(Step::Metadata, why.message);
            });
        connection->setStageObserver([self](BrokerConnection::Stage stage, bool ok, const std::string& detail) {
            if (self->finished) return;
            const Step step = stepOf(stage);
            if (!ok) return self->fail(step, detail);
            std::string message = detail;
            if (step == Step::ApiVersions) message = self->describeApis();
            self->report(step, true, message);
        });
        connection->start();
    }

    std::string describeApis() {
        auto ranges = connection->apiRanges();
        summary.apiCount = ranges ? int(ranges->size()) : 0;
        std::string message = std::to_string(summary.apiCount) + " APIs";
        if (ranges)
            for (const auto& range : *ranges)
                if (range.apiKey == protocol::MetadataRequest::kApiKey)
                    message += ", Metadata up to v" + std::to_string(range.maxVersion);
        return message;
    }

    void askMetadata(BrokerConnection& ready) {
        auto request = std::make_unique<protocol::MetadataRequest>();
        // No topics: the answer stays small on clusters with thousands of them (v0 can only ask for all).
        request->topics = std::vector<protocol::MetadataRequest::MetadataRequestTopic>{};
        Impl* self = this;
        auto pending = std::make_shared<detail::PendingRequest>(
            io, Target::anyBroker(), std::move(request),
            [self](Result<Response> result) {
                asio::post(self->io, [self, result = std::move(result)]() mutable { self->onMetadata(result); });
            },
            RequestOptions{}, std::chrono::steady_clock::now() + timeout);
        ready.submit(std::move(pending));
    }

    void onMetadata(Result<Response>& result) {
        if (finished) return;
        if (!result.ok()) return fail(Step::Metadata, result.error().message);
        const auto* response = dynamic_cast<const protocol::MetadataResponse*>(result->body.get());
        if (response == nullptr) return fail(Step::Metadata, "unexpected response type");
        summary.clusterId = response->clusterId.value_or("");
        summary.brokerCount = int(response->brokers.size());
        std::string message = std::to_string(summary.brokerCount) + (summary.brokerCount == 1 ? " broker" : " brokers");
        if (!summary.clusterId.empty()) message += ", cluster id " + summary.clusterId;
        report(Step::Metadata, true, message);
        finish(true);
    }
};

const char* ConnectionProbe::stepName(Step step) {
    switch (step) {
        case Step::Dns:
            return "DNS";
        case Step::Tcp:
            return "TCP";
        case Step::Tls:
            return "TLS";
        case Step::ApiVersions:
            return "API versions";
        case Step::Sasl:
            return "SASL";
        case Step::Metadata:
            return "Metadata";
    }
    return "?";
}

std::vector<ConnectionProbe::Step> ConnectionProbe::stepsFor(const ClientConfig& config) {
    std::vector<Step> steps{Step::Dns, Step::Tcp};
    if (usesTls(config)) steps.push_back(Step::Tls);
    steps.push_back(Step::ApiVersions);
    if (usesSasl(config)) steps.push_back(Step::Sasl);
    steps.push_back(Step::Metadata);
    return steps;
}

std::unique_ptr<ConnectionProbe> ConnectionProbe::start(ClientConfig config, std::chrono::milliseconds timeout,
                                                        StepCallback onStep, DoneCallback onDone) {
    auto impl = std::make_shared<Impl>();
    impl->config = std::move(config);
    impl->timeout = timeout;
    impl->onStep = std::move(onStep);
    impl->onDone = std::move(onDone);
    std::unique_ptr<ConnectionProbe> probe(new ConnectionProbe(impl));
    asio::post(impl->io, [raw = impl.get()] { raw->run(); });
    probe->m_thread = std::thread([impl] { impl->io.run(); });
    return probe;
}

ConnectionProbe::ConnectionProbe(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

void ConnectionProbe::cancel() {
    {
        std::lock_guard lock(m_impl->callbackMutex);
        m_impl->onStep = nullptr;
        m_impl->onDone = nullptr;
    }
    asio::post(m_impl->io, [impl = m_impl.get()] {
        if (impl->finished) return;
        impl->finished = true;
        impl->deadline.cancel();
        if (impl->connection) impl->connection->close(Error{ErrorKind::Cancelled, "connection test cancelled"});
    });
}

ConnectionProbe::~ConnectionProbe() {
    cancel();
    m_impl->work.reset();
    m_impl->io.stop();
    if (m_thread.get_id() == std::this_thread::get_id()) {
        // Destroyed from one of its own callbacks: the thread ends once that callback returns.
        m_thread.detach();
        return;
    }
    if (m_thread.joinable()) m_thread.join();
    // Break the cycle through the connection's handlers before the io_context goes.
    m_impl->connection.reset();
}

}  // namespace partita::client
