// partitad across restarts and over time: topics, topic ids and config overrides persist; idle connections are closed.
#include "engine/protocol/messages/createtopics.h"
#include "engine/protocol/messages/describeconfigs.h"
#include "engine/protocol/messages/metadata.h"
#include "partitadprocess.h"
#include "rawclient.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace partita;
using namespace partita::protocol;
using partita::tests::call;
using partita::tests::PartitadProcess;

namespace {

constexpr int8_t kTopicResource = 2;
constexpr int8_t kDynamicTopicConfig = 1;

std::unique_ptr<QTcpSocket> connectTo(const PartitadProcess& broker) {
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost("localhost", quint16(broker.port()));
    if (!socket->waitForConnected(5000)) qFatal("cannot connect");
    return socket;
}

MetadataResponse::MetadataResponseTopic describeTopic(QTcpSocket& socket, const std::string& name) {
    MetadataRequest request;
    MetadataRequest::MetadataRequestTopic topic;
    topic.name = name;
    request.topics = std::vector{topic};
    request.allowAutoTopicCreation = false;
    return call<MetadataResponse>(socket, request, 12)->topics.at(0);
}

std::optional<DescribeConfigsResponse::DescribeConfigsResourceResult> topicConfig(QTcpSocket& socket,
                                                                                  const std::string& topic,
                                                                                  const std::string& key) {
    DescribeConfigsRequest request;
    DescribeConfigsRequest::DescribeConfigsResource resource;
    resource.resourceType = kTopicResource;
    resource.resourceName = topic;
    resource.configurationKeys = std::vector{key};
    request.resources.push_back(resource);
    auto response = call<DescribeConfigsResponse>(socket, request, 4);
    for (const auto& config : response->results.at(0).configs) {
        if (config.name == key) return config;
    }
    return std::nullopt;
}

}  // namespace

class TestPartitadRestart : public QObject {
    Q_OBJECT

private slots:
    void topicsIdsAndConfigsSurviveARestart() {
        QTemporaryDir dir;
        PartitadProcess broker(dir.path());
        QVERIFY2(broker.start(), qPrintable(broker.output()));
        Uuid id;
        {
            auto socket = connectTo(broker);
            CreateTopicsRequest create;
            CreateTopicsRequest::CreatableTopic topic;
            topic.name = "kept";
            topic.numPartitions = 3;
            topic.replicationFactor = 1;
            topic.configs.push_back({"retention.ms", "3600000", {}});
            topic.configs.push_back({"cleanup.policy", "compact", {}});
            create.topics.push_back(topic);
            create.timeoutMs = 5000;
            auto created = call<CreateTopicsResponse>(*socket, create, 7);
            QCOMPARE(created->topics.at(0).errorCode, int16_t(0));
            id = describeTopic(*socket, "kept").topicId;
            QVERIFY(!id.isZero());
        }
        QCOMPARE(broker.stop(), 0);
        QVERIFY2(broker.start(), qPrintable(broker.output()));
        auto socket = connectTo(broker);
        auto topic = describeTopic(*socket, "kept");
        QCOMPARE(topic.errorCode, int16_t(0));
        QVERIFY(topic.topicId == id);
        QCOMPARE(topic.partitions.size(), size_t(3));
        auto retention = topicConfig(*socket, "kept", "retention.ms");
        QVERIFY(retention);
        QCOMPARE(retention->value.value_or(""), std::string("3600000"));
        QCOMPARE(retention->configSource, kDynamicTopicConfig);
        QCOMPARE(topicConfig(*socket, "kept", "cleanup.policy")->value.value_or(""), std::string("compact"));
        QCOMPARE(broker.stop(), 0);
    }

    void idleConnectionsAreClosedAfterConnectionsMaxIdleMs() {
        QTemporaryDir dir;
        PartitadProcess broker(dir.path());
        QVERIFY2(broker.start({"connections.max.idle.ms=1000"}), qPrintable(broker.output()));
        auto idle = connectTo(broker);
        auto busy = connectTo(broker);
        QElapsedTimer timer;
        timer.start();
        // The busy one keeps asking; the idle one says nothing and is closed after about a second.
        while (idle->state() == QAbstractSocket::ConnectedState && timer.elapsed() < 10000) {
            QCOMPARE(describeTopic(*busy, "none").errorCode, int16_t(3));  // UNKNOWN_TOPIC_OR_PARTITION
            idle->waitForDisconnected(200);
        }
        QCOMPARE(idle->state(), QAbstractSocket::UnconnectedState);
        QVERIFY(timer.elapsed() >= 900);
        QCOMPARE(busy->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(broker.stop(), 0);  // its log is complete once it has exited
        QVERIFY(broker.output().contains("idle for 1000 ms"));
    }
};

QTEST_GUILESS_MAIN(TestPartitadRestart)
#include "partitad_restart_test.moc"
