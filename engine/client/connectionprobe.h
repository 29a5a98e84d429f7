// ConnectionProbe: a step-by-step connection test of a cluster's first bootstrap server (DNS, TCP,
// TLS, API versions, SASL, Metadata) that says which step failed and why.
#pragma once

#include "engine/client/clientconfig.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace partita::client {

class ConnectionProbe {
public:
    // In the order they run: SASL follows ApiVersions because the broker's SASL versions come from it.
    enum class Step { Dns, Tcp, Tls, ApiVersions, Sasl, Metadata };
    static const char* stepName(Step step);

    struct StepResult {
        Step step = Step::Dns;
        bool ok = false;
        std::string message;  // what was found ("127.0.0.1:9092", "cluster id ...") or why it failed
    };
    struct Summary {
        bool ok = false;
        std::vector<StepResult> steps;  // those that ran, the failing one last
        int apiCount = 0;               // APIs the broker advertised
        std::string clusterId;
        int brokerCount = -1;
    };
    using StepCallback = std::function<void(const StepResult&)>;
    using DoneCallback = std::function<void(const Summary&)>;

    // The steps a config goes through (TLS only for SSL / SASL_SSL, SASL only for SASL_*).
    static std::vector<Step> stepsFor(const ClientConfig& config);

    // Starts probing on the probe's own engine thread: `onStep` runs as each step ends, then
    // `onDone` once. `timeout` bounds the whole probe; the connect step is also bounded by
    // socket.connection.setup.timeout.ms.
    static std::unique_ptr<ConnectionProbe> start(ClientConfig config, std::chrono::milliseconds timeout,
                                                  StepCallback onStep, DoneCallback onDone);

    // Cancels and waits for the engine thread: no callback runs after it returns.
    ~ConnectionProbe();
    ConnectionProbe(const ConnectionProbe&) = delete;
    ConnectionProbe& operator=(const ConnectionProbe&) = delete;

    // Thread-safe (also from inside a callback); no callback starts after it returns.
    void cancel();

    struct Impl;

private:
    explicit ConnectionProbe(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
    std::thread m_thread;
};

}  // namespace partita::client
