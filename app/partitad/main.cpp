// partitad: the embedded Kafka-compatible broker, started as Kafka is: partitad server.properties [--override k=v]...
#include "engine/broker/broker.h"
#include "engine/broker/brokerconfig.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/brokermetrics.h"
#include "engine/broker/metaproperties.h"
#include "engine/cluster/metadatastore.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/http/httpserver.h"
#include "engine/metrics/metricsregistry.h"
#include "engine/net/tcpserver.h"
#include "engine/storage/clock.h"
#include "engine/storage/logmanager.h"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio.hpp>

#include <malloc.h>
#include <cstdio>
#include <thread>
#include <vector>

using namespace partita;

namespace {

int fail(const std::string& message) {
    spdlog::error("{}", message);
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"partitad: a Kafka-compatible broker. Configured with Kafka's server.properties names."};
    std::string propertiesPath;
    std::vector<std::string> overrides;
    app.add_option("config", propertiesPath, "server.properties file")->required();
    app.add_option("--override", overrides, "key=value, overriding the file (repeatable)");
    CLI11_PARSE(app, argc, argv);
    // Request and fetch buffers are large and short-lived: keep them in the heap for reuse instead
    // of a fresh mmap (and a page fault per 4 KiB) for every one.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    spdlog::set_pattern("[%Y-%m-%d %H:%M:%S,%e] %^%l%$ %v");
    // Each line out at once, also into a pipe or a file (the app and the tests read it live).
    spdlog::flush_on(spdlog::level::info);

    auto config = broker::loadBrokerConfig(propertiesPath, overrides);
    if (!config) return fail(config.error().message);
    auto meta = broker::loadOrCreateMetaProperties(config->logDir, config->nodeId);
    if (!meta) return fail(meta.error().message);
    auto metadata =
        cluster::MetadataStore::open(config->logDir + "/partita-metadata.json", meta->clusterId, config->nodeId);
    if (!metadata) return fail(metadata.error().message);

    cluster::BrokerInfo self;
    self.nodeId = config->nodeId;
    if (!config->brokerRack.empty()) self.rack = config->brokerRack;
    for (const auto& listener : config->advertisedListeners) {
        self.endpoints.push_back({listener.name, listener.securityProtocol, listener.host, int32_t(listener.port)});
    }
    (*metadata)->registerBroker(self);

    auto& metadataStore = **metadata;
    auto logs = storage::LogManager::open(
        config->logManagerConfig,
        [&](const std::string& topic) {
            std::map<std::string, std::string> overridesOfTopic;
            if (auto info = metadataStore.topic(topic)) overridesOfTopic = info->configs;
            auto logConfig = storage::makeLogConfig(overridesOfTopic, config->values);
            return logConfig ? *logConfig : config->defaultLogConfig;
        },
        storage::systemClock());
    if (!logs) return fail(logs.error().message);
    for (const auto& note : (*logs)->recoveryReport()) spdlog::warn("recovery: {}", note);
    (*logs)->startBackgroundTasks();

    broker::BrokerContext context(*config, metadataStore, **logs, storage::systemClock());
    // Groups and committed offsets come back from __consumer_offsets before any client connects.
    if (Status st = context.groups().load(); !st) return fail("loading __consumer_offsets: " + st.error().message);
    // Transactions likewise; one being ended when the broker stopped is ended now.
    if (Status st = context.transactions().load(); !st) {
        return fail("loading __transaction_state: " + st.error().message);
    }
    context.groups().startBackgroundTasks();
    context.transactions().startBackgroundTasks();
    broker::Broker broker(context);
    boost::asio::io_context io(config->numNetworkThreads);
    net::ServerOptions options;
    options.maxFrameBytes = size_t(config->socketRequestMaxBytes);
    options.idleTimeout = std::chrono::milliseconds(config->connectionsMaxIdleMs);
    net::TcpServer server(io, broker, options);
    for (const auto& listener : config->listeners) {
        auto port = server.listen(listener.host, listener.port, listener.name);
        if (!port) return fail(port.error().message);
        spdlog::info("listening on {}://{}:{} ({})", listener.name, listener.host.empty() ? "0.0.0.0" : listener.host,
                     *port, listener.securityProtocol);
    }
    // prometheus.listener: /metrics in the Prometheus text format, on the same threads as the broker.
    std::unique_ptr<http::HttpServer> metricsServer;
    if (!config->prometheusListener.empty()) {
        auto endpoint = http::parseHttpListener(config->prometheusListener);
        if (!endpoint) return fail("prometheus.listener: " + endpoint.error().message);
        auto& registry = context.metrics().registry();
        registry.addCollector(
            "kafka_server_socket_server_metrics_connection_count", "Open client connections",
            metrics::MetricType::Gauge, [&server](auto& out) {
                out.push_back(
                    {"kafka_server_socket_server_metrics_connection_count", {}, double(server.connectionCount()), {}});
            });
        metricsServer = std::make_unique<http::HttpServer>(io, [&registry](const http::HttpRequest& request) {
            if (request.path == "/metrics")
                return http::HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", registry.exposition()};
            if (request.path == "/")
                return http::HttpResponse{200, "text/plain; charset=utf-8", "partitad: see /metrics\n"};
            return http::HttpResponse{404, "text/plain; charset=utf-8", "not found\n"};
        });
        // A metrics port taken by another process costs the metrics, not the broker: the local
        // cluster picks free ports, but another program may take one between the pick and here.
        if (auto port = metricsServer->listen(endpoint->host, endpoint->port)) {
            spdlog::info("serving Prometheus metrics on http://{}:{}/metrics",
                         endpoint->host.empty() ? "0.0.0.0" : endpoint->host, *port);
        } else {
            spdlog::error("prometheus.listener: {}; running without /metrics", port.error().message);
            metricsServer.reset();
        }
    }
    spdlog::info("partitad node {} of cluster {} started; data in {}", config->nodeId, meta->clusterId, config->logDir);

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int signal) {
        spdlog::info("signal {}: shutting down", signal);
        server.stop();
        if (metricsServer) metricsServer->stop();
        io.stop();
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < config->numNetworkThreads; ++i) threads.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& thread : threads) thread.join();
    context.transactions().stop();
    context.groups().stop();
    if (Status st = (*logs)->shutdown(); !st) return fail("shutdown: " + st.error().message);
    spdlog::info("partitad stopped cleanly");
    return 0;
}
