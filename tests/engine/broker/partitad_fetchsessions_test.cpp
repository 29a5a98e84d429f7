// partitad's incremental fetch sessions, driven with raw Fetch requests (v12 by name, v13 by topic id) as the Java
// client sends them.
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/fetch.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/protocol/messages/produce.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "partitadprocess.h"
#include "rawclient.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace partita;
using namespace partita::protocol;
using partita::tests::call;
using partita::tests::PartitadProcess;

namespace {

void produce(QTcpSocket& socket, const std::string& topic, const std::string& value) {
    records::RecordBatchBuilder builder;
    auto span = std::span(reinterpret_cast<const uint8_t*>(value.data()), value.size());
    (void)builder.append(0, std::nullopt, span);
    ProduceRequest request;
    request.acks = 1;
    request.timeoutMs = 5000;
    ProduceRequest::TopicProduceData t;
    t.name = topic;
    ProduceRequest::PartitionProduceData p;
    p.index = 0;
    p.records = Bytes::fromVector(*builder.build());
    t.partitionData.push_back(p);
    request.topicData.push_back(t);
    auto response = call<ProduceResponse>(socket, request, 9);
    QCOMPARE(response->responses[0].partitionResponses[0].errorCode, int16_t(0));
}

FetchRequest fetch(int32_t session, int32_t epoch) {
    FetchRequest request;
    request.maxWaitMs = 0;
    request.minBytes = 0;
    request.sessionId = session;
    request.sessionEpoch = epoch;
    return request;
}

void addPartition(FetchRequest& request, const std::string& topic, const Uuid& id, int32_t partition, int64_t offset) {
    FetchRequest::FetchTopic t;
    t.topic = topic;
    t.topicId = id;
    FetchRequest::FetchPartition p;
    p.partition = partition;
    p.fetchOffset = offset;
    p.partitionMaxBytes = 1 << 20;
    t.partitions.push_back(p);
    request.topics.push_back(t);
}

}  // namespace

class TestPartitadFetchSessions : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY2(m_broker->start({"num.partitions=2"}), qPrintable(m_broker->output()));
        m_socket.connectToHost("localhost", quint16(m_broker->port()));
        QVERIFY(m_socket.waitForConnected(5000));
        MetadataRequest metadata;
        MetadataRequest::MetadataRequestTopic topic;
        topic.name = "sessions";
        metadata.topics = std::vector{topic};
        auto created = call<MetadataResponse>(m_socket, metadata, 12);
        QCOMPARE(created->topics[0].errorCode, int16_t(0));
        m_topicId = created->topics[0].topicId;
        QVERIFY(!m_topicId.isZero());
    }

    void incrementalFetchesCarryOnlyPartitionsWithNews_data() {
        QTest::addColumn<int>("version");
        QTest::newRow("v12 by name") << 12;
        QTest::newRow("v13 by topic id") << 13;
    }

    void incrementalFetchesCarryOnlyPartitionsWithNews() {
        QFETCH(int, version);
        produce(m_socket, "sessions", "before");
        // Epoch 0: a full fetch that opens a session and reports both partitions.
        auto full = fetch(0, 0);
        addPartition(full, "sessions", m_topicId, 0, 0);
        addPartition(full, "sessions", m_topicId, 1, 0);
        auto opened = call<FetchResponse>(m_socket, full, int16_t(version));
        QCOMPARE(opened->errorCode, int16_t(0));
        QVERIFY(opened->sessionId != 0);
        QCOMPARE(opened->responses.size(), size_t(1));
        QCOMPARE(opened->responses[0].partitions.size(), size_t(2));
        int64_t next = opened->responses[0].partitions[0].highWatermark;

        // Epoch 1, position of partition 0 moved: nothing new anywhere, so nothing in the answer.
        auto quiet = fetch(opened->sessionId, 1);
        addPartition(quiet, "sessions", m_topicId, 0, next);
        auto none = call<FetchResponse>(m_socket, quiet, int16_t(version));
        QCOMPARE(none->errorCode, int16_t(0));
        QCOMPARE(none->sessionId, opened->sessionId);
        QVERIFY(none->responses.empty());

        // New records on partition 0: epoch 2 names no partition and still gets them.
        produce(m_socket, "sessions", "after");
        auto news = call<FetchResponse>(m_socket, fetch(opened->sessionId, 2), int16_t(version));
        QCOMPARE(news->responses.size(), size_t(1));
        QCOMPARE(news->responses[0].partitions.size(), size_t(1));
        QCOMPARE(news->responses[0].partitions[0].partitionIndex, 0);
        QVERIFY(news->responses[0].partitions[0].records && !news->responses[0].partitions[0].records->empty());

        // A skipped epoch and an unknown session get Kafka's errors.
        auto skipped = call<FetchResponse>(m_socket, fetch(opened->sessionId, 9), int16_t(version));
        QCOMPARE(skipped->errorCode, int16_t(71));  // INVALID_FETCH_SESSION_EPOCH
        auto unknown = call<FetchResponse>(m_socket, fetch(opened->sessionId + 1, 1), int16_t(version));
        QCOMPARE(unknown->errorCode, int16_t(70));  // FETCH_SESSION_ID_NOT_FOUND
        // Epoch -1 closes it; the session id is then unknown.
        auto close = fetch(opened->sessionId, -1);
        QCOMPARE(call<FetchResponse>(m_socket, close, int16_t(version))->sessionId, 0);
        QCOMPARE(call<FetchResponse>(m_socket, fetch(opened->sessionId, 3), int16_t(version))->errorCode, int16_t(70));
    }

    void cleanupTestCase() { QCOMPARE(m_broker->stop(), 0); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    QTcpSocket m_socket;
    Uuid m_topicId;
};

QTEST_GUILESS_MAIN(TestPartitadFetchSessions)
#include "partitad_fetchsessions_test.moc"
