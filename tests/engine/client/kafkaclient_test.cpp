// KafkaClient against partitad, librdkafka's mock cluster and misbehaving fake brokers: routing,
// version negotiation, timeouts, cancellation, reconnects and the shared pool.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/kafkaclient.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/createtopics.h"
#include "engine/protocol/messages/describeacls.h"
#include "engine/protocol/messages/listoffsets.h"
#include "engine/protocol/messages/metadata.h"

#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using partita::tests::waitFor;

namespace {

using MetadataResult = Result<std::shared_ptr<const ClusterMetadata>>;

MetadataResult fetchMetadata(KafkaClient& client, std::vector<std::string> topics = {}) {
    return waitFor<std::shared_ptr<const ClusterMetadata>>(
        [&](auto done) { client.refreshMetadata(std::move(topics), std::move(done)); });
}

Result<Response> sendAndWait(KafkaClient& client, Target target, std::unique_ptr<protocol::ApiMessage> request,
                             RequestOptions options = {}) {
    return waitFor<Response>(
        [&](auto done) { client.send(std::move(target), std::move(request), std::move(done), options); });
}

std::unique_ptr<protocol::MetadataRequest> metadataRequest(const std::string& topic) {
    auto request = std::make_unique<protocol::MetadataRequest>();
    protocol::MetadataRequest::MetadataRequestTopic t;
    t.name = topic;
    request->topics->push_back(t);
    return request;
}

// A fake broker on a thread: answers ApiVersions properly, then misbehaves with the next
// request as told: never answers, or sends half a response and closes.
class FakeBroker {
public:
    enum class Behaviour { NeverAnswer, CloseMidResponse };

    explicit FakeBroker(Behaviour behaviour) : m_behaviour(behaviour) {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_listener, 8);
        socklen_t length = sizeof address;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~FakeBroker() {
        m_stop = true;
        ::shutdown(m_listener, SHUT_RDWR);
        ::close(m_listener);
        m_thread.join();
    }
    QString bootstrap() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    int connections() const { return m_connections.load(); }

private:
    bool readFrame(int fd, std::vector<uint8_t>& frame) {
        uint8_t size[4];
        if (!readAll(fd, size, 4)) return false;
        frame.resize((size_t(size[0]) << 24) | (size_t(size[1]) << 16) | (size_t(size[2]) << 8) | size[3]);
        return readAll(fd, frame.data(), frame.size());
    }
    static bool readAll(int fd, uint8_t* data, size_t size) {
        while (size > 0) {
            ssize_t n = ::read(fd, data, size);
            if (n <= 0) return false;
            data += n;
            size -= size_t(n);
        }
        return true;
    }
    void serve() {
        std::vector<std::thread> sessions;
        while (!m_stop) {
            int fd = ::accept(m_listener, nullptr, nullptr);
            if (fd < 0) break;
            ++m_connections;
            sessions.emplace_back([this, fd] { session(fd); });
        }
        for (auto& s : sessions) s.join();
    }
    void session(int fd) {
        std::vector<uint8_t> frame;
        while (!m_stop && readFrame(fd, frame)) {
            auto prefix = protocol::peekRequestHeader(frame);
            if (!prefix) break;
            if (prefix->apiKey == protocol::ApiVersionsRequest::kApiKey) {
                protocol::ApiVersionsResponse response;
                response.apiKeys.push_back({protocol::ApiVersionsRequest::kApiKey, 0, 3, {}});
                response.apiKeys.push_back({protocol::MetadataRequest::kApiKey, 0, 12, {}});
                response.apiKeys.push_back({protocol::CreateTopicsRequest::kApiKey, 0, 7, {}});
                auto bytes =
                    protocol::encodeResponse(prefix->correlationId, prefix->apiKey, prefix->apiVersion, response);
                if (::write(fd, bytes->data(), bytes->size()) < 0) break;
                continue;
            }
            if (m_behaviour == Behaviour::CloseMidResponse) {
                const uint8_t half[6] = {0, 0, 0, 100, 0, 0};  // announces 100 bytes, sends 2
                if (::write(fd, half, sizeof half) < 0) break;
                break;
            }
            // NeverAnswer: keep reading so the client's writes never block, answer nothing.
        }
        ::close(fd);
    }

    Behaviour m_behaviour;
    int m_listener = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_connections{0};
    std::thread m_thread;
};

}  // namespace

class KafkaClientTest : public QObject {
    Q_OBJECT

private slots:
    void metadataAndRoutingOnPartitad() {
        QTemporaryDir dir;
        tests::PartitadProcess broker(dir.path());
        QVERIFY(broker.start({"num.partitions=3"}));
        auto client = KafkaClient::create(clientConfig(broker.bootstrap()));
        QVERIFY(client.ok());

        // Auto-creation through Metadata, then the cache knows the topic and its leaders.
        auto created = waitFor<std::shared_ptr<const ClusterMetadata>>(
            [&](auto done) { (*client)->refreshMetadata({"orders"}, std::move(done), true); });
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        auto metadata = fetchMetadata(**client, {"orders"});
        QVERIFY(metadata.ok());
        const TopicInfo* topic = (*metadata)->topic("orders");
        QVERIFY(topic != nullptr);
        QCOMPARE(topic->partitions.size(), size_t(3));
        QCOMPARE((*metadata)->brokers.size(), size_t(1));
        QCOMPARE((*metadata)->brokers.front().nodeId, 1);
        QCOMPARE(topic->partitions[2].leader, 1);
        QVERIFY(!(*metadata)->clusterId.empty());

        // A request routed to a partition leader comes back from that broker at a negotiated version.
        auto answer = sendAndWait(**client, Target::leader("orders", 2), metadataRequest("orders"));
        QVERIFY2(answer.ok(), answer.ok() ? "" : answer.error().message.c_str());
        QCOMPARE(answer->nodeId, 1);
        QCOMPARE(answer->version, int16_t(12));

        // The controller and ApiVersions of a node.
        auto controller = sendAndWait(**client, Target::controller(), metadataRequest("orders"));
        QVERIFY(controller.ok());
        QCOMPARE(controller->nodeId, 1);
        auto versions =
            waitFor<std::vector<KafkaClient::ApiRange>>([&](auto done) { (*client)->apiVersions(1, std::move(done)); });
        QVERIFY(versions.ok());
        QVERIFY(std::any_of(versions->begin(), versions->end(),
                            [](const auto& r) { return r.apiKey == 0 && r.maxVersion >= 9; }));

        // A partition that does not exist is a clear error, not a hang.
        auto missing = sendAndWait(**client, Target::leader("orders", 7), metadataRequest("orders"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, ErrorKind::Broker);
        QVERIFY2(missing.error().message.find("orders-7") != std::string::npos, missing.error().message.c_str());
        QVERIFY(missing.error().message.find("UNKNOWN_TOPIC_OR_PARTITION") != std::string::npos);
    }

    void unsupportedApiSaysSo() {
        QTemporaryDir dir;
        tests::PartitadProcess broker(dir.path());
        QVERIFY(broker.start());
        auto client = KafkaClient::create(clientConfig(broker.bootstrap()));
        QVERIFY(client.ok());
        // partitad has no ACLs yet: the caller learns which API is missing, from which broker.
        auto answer = sendAndWait(**client, Target::anyBroker(), std::make_unique<protocol::DescribeAclsRequest>());
        QVERIFY(!answer.ok());
        QCOMPARE(answer.error().kind, ErrorKind::Unsupported);
        QVERIFY2(answer.error().message.find("does not support DescribeAcls") != std::string::npos,
                 answer.error().message.c_str());
        // A minimum version above the broker's highest is refused the same way.
        RequestOptions options;
        options.minVersion = 99;
        auto tooNew = sendAndWait(**client, Target::anyBroker(), metadataRequest("x"), options);
        QVERIFY(!tooNew.ok());
        QCOMPARE(tooNew.error().kind, ErrorKind::Unsupported);
        QVERIFY2(tooNew.error().message.find("only up to v") != std::string::npos, tooNew.error().message.c_str());
    }

    void reconnectsAfterBrokerRestart() {
        QTemporaryDir dir;
        tests::PartitadProcess broker(dir.path());
        QVERIFY(broker.start());
        auto config = clientConfig(broker.bootstrap(), {{"request.timeout.ms", "3000"}});
        auto client = KafkaClient::create(config);
        QVERIFY(client.ok());
        QVERIFY(fetchMetadata(**client).ok());

        broker.stop();
        auto down = fetchMetadata(**client);
        QVERIFY(!down.ok());
        QVERIFY2(down.error().kind == ErrorKind::Network || down.error().kind == ErrorKind::Timeout,
                 down.error().message.c_str());

        QVERIFY(broker.start());
        auto back = fetchMetadata(**client);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QCOMPARE((*back)->brokers.size(), size_t(1));
    }

    void bootstrapSkipsDeadAddress() {
        QTemporaryDir dir;
        tests::PartitadProcess broker(dir.path());
        QVERIFY(broker.start());
        // Port 1 on loopback refuses connections; the client moves on to the next address.
        auto client = KafkaClient::create(clientConfig("127.0.0.1:1," + broker.bootstrap()));
        QVERIFY(client.ok());
        auto metadata = fetchMetadata(**client);
        QVERIFY2(metadata.ok(), metadata.ok() ? "" : metadata.error().message.c_str());
    }

    void unreachableClusterReportsTheCause() {
        auto client = KafkaClient::create(clientConfig("127.0.0.1:1", {{"request.timeout.ms", "1500"}}));
        QVERIFY(client.ok());
        auto metadata = fetchMetadata(**client);
        QVERIFY(!metadata.ok());
        QVERIFY2(metadata.error().message.find("127.0.0.1:1") != std::string::npos, metadata.error().message.c_str());
        QVERIFY2(metadata.error().message.find("onnection refused") != std::string::npos,
                 metadata.error().message.c_str());
    }

    void brokerThatNeverAnswersTimesOut() {
        FakeBroker fake(FakeBroker::Behaviour::NeverAnswer);
        auto client = KafkaClient::create(clientConfig(fake.bootstrap(), {{"request.timeout.ms", "800"}}));
        QVERIFY(client.ok());
        auto answer = sendAndWait(**client, Target::anyBroker(), metadataRequest("t"));
        QVERIFY(!answer.ok());
        QCOMPARE(answer.error().kind, ErrorKind::Timeout);
        QVERIFY2(answer.error().message.find("Metadata") != std::string::npos, answer.error().message.c_str());
    }

    void brokerClosingMidResponseIsANetworkError() {
        FakeBroker fake(FakeBroker::Behaviour::CloseMidResponse);
        auto client = KafkaClient::create(clientConfig(fake.bootstrap(), {{"request.timeout.ms", "3000"}}));
        QVERIFY(client.ok());
        // Metadata is read-only, so the client tries again on a new connection before giving up.
        auto answer = sendAndWait(**client, Target::anyBroker(), metadataRequest("t"));
        QVERIFY(!answer.ok());
        QVERIFY2(answer.error().kind == ErrorKind::Network || answer.error().kind == ErrorKind::Timeout,
                 answer.error().message.c_str());
        QVERIFY(fake.connections() >= 2);
        // A request that changes state is not sent twice: one connection, one clear error.
        FakeBroker fresh(FakeBroker::Behaviour::CloseMidResponse);
        auto other = KafkaClient::create(clientConfig(fresh.bootstrap(), {{"request.timeout.ms", "3000"}}));
        QVERIFY(other.ok());
        auto refused = sendAndWait(**other, Target::anyBroker(), std::make_unique<protocol::CreateTopicsRequest>());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::Network);
        QVERIFY2(refused.error().message.find("closed the connection") != std::string::npos,
                 refused.error().message.c_str());
        QCOMPARE(fresh.connections(), 1);
    }

    void cancellationCompletesOnce() {
        FakeBroker fake(FakeBroker::Behaviour::NeverAnswer);
        auto client = KafkaClient::create(clientConfig(fake.bootstrap()));
        QVERIFY(client.ok());
        std::atomic<int> calls{0};
        auto result = waitFor<Response>([&](auto done) {
            RequestHandle handle =
                (*client)->send(Target::anyBroker(), metadataRequest("t"), [&calls, done](Result<Response> r) {
                    ++calls;
                    done(std::move(r));
                });
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            handle.cancel();
            handle.cancel();
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ErrorKind::Cancelled);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        QCOMPARE(calls.load(), 1);
    }

    void sharedPoolPerCluster() {
        auto config = clientConfig("127.0.0.1:9");
        auto a = KafkaClient::shared(config);
        auto b = KafkaClient::shared(config);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->get(), b->get());
        auto other = KafkaClient::shared(clientConfig("127.0.0.1:10"));
        QVERIFY(other->get() != a->get());
    }

    void followsLeaderMovesOnTheMockCluster() {
        tests::MockCluster mock;
        QVERIFY(mock.start(3, {"moving:2:3"}));
        auto client = KafkaClient::create(clientConfig(mock.bootstrap()));
        QVERIFY(client.ok());
        auto metadata = fetchMetadata(**client, {"moving"});
        QVERIFY2(metadata.ok(), metadata.ok() ? "" : metadata.error().message.c_str());
        QCOMPARE((*metadata)->brokers.size(), size_t(3));
        QCOMPARE((*metadata)->topic("moving")->partitions.size(), size_t(2));

        QVERIFY(mock.command("leader moving 0 3"));
        // What a caller does on NOT_LEADER_OR_FOLLOWER: forget the leader, and the next request finds the new one.
        (*client)->invalidateLeader("moving", 0);
        auto answer = sendAndWait(**client, Target::leader("moving", 0), metadataRequest("moving"));
        QVERIFY(answer.ok());
        QCOMPARE(answer->nodeId, 3);
        QVERIFY(mock.command("leader moving 0 2"));
        (*client)->invalidateLeader("moving", 0);
        answer = sendAndWait(**client, Target::leader("moving", 0), metadataRequest("moving"));
        QVERIFY(answer.ok());
        QCOMPARE(answer->nodeId, 2);

        // A broker taken down: requests pinned to it fail clearly; others still work.
        QVERIFY(mock.command("down 2"));
        RequestOptions quick;
        quick.timeoutMs = 1500;
        auto pinned = sendAndWait(**client, Target::node(2), metadataRequest("moving"), quick);
        QVERIFY(!pinned.ok());
        auto other = sendAndWait(**client, Target::node(1), metadataRequest("moving"), quick);
        QVERIFY2(other.ok(), other.ok() ? "" : other.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(KafkaClientTest)
#include "kafkaclient_test.moc"
