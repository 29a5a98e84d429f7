// Test helpers for engine/client: a librdkafka mock cluster process, peer tools (kcat, python), an
// Admin fixture, group polling and a way to wait for callbacks.
#pragma once

#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/clientconfig.h"
#include "engine/client/groupconsumer.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/result.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace partita::client {
// How QCOMPARE prints a partition when a comparison fails (found by argument-dependent lookup).
char* toString(const TopicPartition& tp);
}  // namespace partita::client

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

// What a peer tool did: its exit code (-1 when it did not start, crashed or hung) and its output.
struct ToolRun {
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs `program` with `input` on its stdin and waits for it to finish.
ToolRun runTool(const QString& program, const QStringList& arguments, const QByteArray& input = {});
// kcat, as a user runs it.
ToolRun runKcat(const QStringList& arguments, const QByteArray& input = {});
// A python3 script (with confluent_kafka and kafka-python at hand) given as text.
ToolRun runPython(const QString& script, const QStringList& arguments);

// kcat -P of `lines` to one partition, with `extra` arguments ("-K:", "-z", "lz4"); warns with kcat's
// stderr when it fails.
bool kcatProduce(const QString& bootstrap, const QString& topic, int partition, const QStringList& lines,
                 const QStringList& extra = {});
// "record-0" .. "record-<count-1>" to one partition with kcat.
bool kcatProduceNumbered(const QString& bootstrap, const QString& topic, int partition, int count);

// Creates one topic (replication factor 1); empty, or why it failed.
QString createTopic(client::Admin admin, const std::string& name, int partitions,
                    std::map<std::string, std::string> configs = {});
// Produces "v0" .. "v<count-1>" with our producer, record i to partition i % partitions, and waits
// for every delivery; empty, or why it failed.
QString produceValues(std::shared_ptr<client::KafkaClient> client, const std::string& topic, int count, int partitions);

bool contains(const std::string& text, const std::string& part);
// The errors' messages joined, for a failure message.
QString describe(const std::vector<Error>& errors);

// Polls a group consumer once: each record goes to `onRecord`, each partition error to `errors`.
// False when the poll itself failed (its error is in `errors` too).
bool pollGroupOnce(client::GroupConsumer& consumer, std::vector<Error>& errors,
                   const std::function<void(int32_t partition, const client::FetchedRecord&)>& onRecord);

// What the Admin tests start from: a cluster (a fresh partitad, or one somebody else runs), a
// KafkaClient on it and an Admin. Test classes derive from it beside QObject.
class AdminFixture {
protected:
    ~AdminFixture();
    // Starts partitad in a temporary directory with `overrides`, then connects.
    bool startPartitad(const QStringList& overrides = {});
    bool connectTo(const QString& bootstrap);
    // True when every topic was created.
    bool createTopics(std::vector<client::NewTopic> topics);
    // The Admin and client first, then partitad.
    void stopCluster();

    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    std::shared_ptr<client::KafkaClient> m_client;
    std::unique_ptr<client::Admin> m_admin;
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
