// Test helpers for engine/client: a librdkafka mock cluster process and a way to wait for callbacks.
#pragma once

#include "engine/client/clientconfig.h"
#include "engine/protocol/result.h"

#include <QProcess>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <future>
#include <memory>

namespace partita::tests {

// librdkafka's mock cluster (tests/engine/client/rdkafkamockcluster.cpp) as a child process.
class MockCluster {
public:
    ~MockCluster();
    // `topics` as "name:partitions:replicationFactor".
    bool start(int brokers, const QStringList& topics = {});
    QString bootstrap() const { return m_bootstrap; }
    // Sends one command ("leader t 0 2", "down 1", "errors 0 6 3") and waits for its "ok".
    bool command(const QString& line);
    void stop();

private:
    std::unique_ptr<QProcess> m_process;
    QString m_bootstrap;
};

// A client config with only bootstrap.servers set (plus `extra` properties).
client::ClientConfig clientConfig(const QString& bootstrap, std::map<std::string, std::string> extra = {});

// Runs `start(callback)` and waits for the callback's result (or a Timeout error after `timeout`).
template <class T>
Result<T> waitFor(const std::function<void(std::function<void(Result<T>)>)>& start,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    auto once = std::make_shared<std::once_flag>();
    start([promise, once](Result<T> result) { std::call_once(*once, [&] { promise->set_value(std::move(result)); }); });
    if (future.wait_for(timeout) != std::future_status::ready)
        return Error{ErrorKind::Timeout, "the test gave up waiting for the callback"};
    return future.get();
}

// Same for Status callbacks.
Status waitForStatus(const std::function<void(std::function<void(Status)>)>& start,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace partita::tests
