// partitad's produce path as a raw client sees it: the topic's compression.type decides what is stored.
#include "engine/protocol/messages/addpartitionstotxn.h"
#include "engine/protocol/messages/createtopics.h"
#include "engine/protocol/messages/describeproducers.h"
#include "engine/protocol/messages/describetransactions.h"
#include "engine/protocol/messages/endtxn.h"
#include "engine/protocol/messages/fetch.h"
#include "engine/protocol/messages/initproducerid.h"
#include "engine/protocol/messages/listtransactions.h"
#include "engine/protocol/messages/produce.h"
#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/crc32c.h"
#include "engine/protocol/records/legacymessageset.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"
#include "partitadprocess.h"
#include "rawclient.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace partita;
using namespace partita::protocol;
using partita::tests::call;
using partita::tests::PartitadProcess;
namespace records = partita::protocol::records;

namespace {

void createTopic(QTcpSocket& socket, const std::string& name, const std::string& compression) {
    CreateTopicsRequest request;
    CreateTopicsRequest::CreatableTopic topic;
    topic.name = name;
    topic.numPartitions = 1;
    topic.replicationFactor = 1;
    topic.configs.push_back({"compression.type", compression, {}});
    request.topics.push_back(topic);
    QCOMPARE(call<CreateTopicsResponse>(socket, request, 7)->topics.at(0).errorCode, int16_t(0));
}

// Ten records of a producer, starting at `firstSequence`, with acks=all; the partition's answer.
// A transactionalId makes the batch transactional and names the transaction in the request.
ProduceResponse::PartitionProduceResponse produceAs(QTcpSocket& socket, const std::string& topic,
                                                    records::CompressionType codec, int64_t producerId, int16_t epoch,
                                                    int32_t firstSequence,
                                                    const std::optional<std::string>& transactionalId = {}) {
    records::RecordBatchBuilder builder;
    builder.setCompression(codec);
    builder.setProducer(producerId, epoch, firstSequence);
    builder.setTransactional(transactionalId.has_value());
    for (int i = 0; i < 10; ++i) {
        std::string key = "k" + std::to_string(i), value = "value number " + std::to_string(i);
        records::HeaderView header{"h", std::span(reinterpret_cast<const uint8_t*>(key.data()), key.size())};
        auto st = builder.append(
            1'700'000'000'000 + i, std::span(reinterpret_cast<const uint8_t*>(key.data()), key.size()),
            std::span(reinterpret_cast<const uint8_t*>(value.data()), value.size()), std::span(&header, 1));
        if (!st) qFatal("append: %s", st.error().message.c_str());
    }
    ProduceRequest request;
    request.acks = -1;
    request.timeoutMs = 5000;
    request.transactionalId = transactionalId;
    ProduceRequest::TopicProduceData t;
    t.name = topic;
    ProduceRequest::PartitionProduceData p;
    p.records = Bytes::fromVector(*builder.build());
    t.partitionData.push_back(p);
    request.topicData.push_back(t);
    return call<ProduceResponse>(socket, request, 9)->responses.at(0).partitionResponses.at(0);
}

// Ten records from producer 77 starting at `firstSequence` (a repeat would be a retry), accepted.
void produce(QTcpSocket& socket, const std::string& topic, records::CompressionType codec, int32_t firstSequence = 0) {
    QCOMPARE(produceAs(socket, topic, codec, 77, 3, firstSequence).errorCode, int16_t(0));
}

// The stored batch of the topic, as a consumer fetches it.
records::RecordBatchView storedBatch(QTcpSocket& socket, const std::string& topic) {
    FetchRequest request;
    request.maxWaitMs = 0;
    FetchRequest::FetchTopic t;
    t.topic = topic;
    FetchRequest::FetchPartition p;
    p.partitionMaxBytes = 1 << 20;
    t.partitions.push_back(p);
    request.topics.push_back(t);
    auto response = call<FetchResponse>(socket, request, 11);
    auto batch = records::RecordBatchView::parse(*response->responses.at(0).partitions.at(0).records);
    if (!batch) qFatal("no batch: %s", batch.error().message.c_str());
    return *batch;
}

}  // namespace

class TestPartitadProduce : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY2(m_broker->start(), qPrintable(m_broker->output()));
        m_socket.connectToHost("localhost", quint16(m_broker->port()));
        QVERIFY(m_socket.waitForConnected(5000));
    }

    void topicCompressionTypeDecidesTheStoredCodec_data() {
        QTest::addColumn<QString>("topicCodec");
        QTest::addColumn<int>("producerCodec");
        QTest::addColumn<int>("storedCodec");
        QTest::newRow("producer keeps gzip") << "producer" << 1 << 1;
        QTest::newRow("lz4 topic, uncompressed producer") << "lz4" << 0 << 3;
        QTest::newRow("zstd topic, snappy producer") << "zstd" << 2 << 4;
        QTest::newRow("uncompressed topic, gzip producer") << "uncompressed" << 1 << 0;
        QTest::newRow("gzip topic, gzip producer") << "gzip" << 1 << 1;
    }

    void topicCompressionTypeDecidesTheStoredCodec() {
        QFETCH(QString, topicCodec);
        QFETCH(int, producerCodec);
        QFETCH(int, storedCodec);
        std::string topic = "codec-" + std::string(QTest::currentDataTag()).substr(0, 3) +
                            std::to_string(producerCodec) + topicCodec.toStdString();
        createTopic(m_socket, topic, topicCodec.toStdString());
        produce(m_socket, topic, records::CompressionType(producerCodec));
        records::RecordBatchView batch = storedBatch(m_socket, topic);
        QCOMPARE(batch.codecId(), storedCodec);
        QVERIFY(batch.validate());
        // Everything else of the batch is as the producer sent it.
        QCOMPARE(batch.producerId(), int64_t(77));
        QCOMPARE(batch.producerEpoch(), int16_t(3));
        QCOMPARE(batch.recordCount(), 10);
        auto reader = records::RecordReader::open(batch, 1 << 20);
        QVERIFY(reader);
        records::RecordView record;
        int i = 0;
        while (reader->next(record)) {
            std::string value(record.value->begin(), record.value->end());
            QCOMPARE(value, "value number " + std::to_string(i));
            QCOMPARE(record.offset, int64_t(i));
            QCOMPARE(record.timestamp, int64_t(1'700'000'000'000 + i));
            QCOMPARE(record.headerCount, 1);
            ++i;
        }
        QCOMPARE(i, 10);
    }

    void oldFetchVersionsGetLegacyMessageSets_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<int>("magic");
        QTest::newRow("v0") << 0 << 0;
        QTest::newRow("v1") << 1 << 0;
        QTest::newRow("v2") << 2 << 1;
        QTest::newRow("v3") << 3 << 1;
    }

    void oldFetchVersionsGetLegacyMessageSets() {
        QFETCH(int, version);
        QFETCH(int, magic);
        std::string topic = "legacy-v" + std::to_string(version);
        createTopic(m_socket, topic, "producer");
        produce(m_socket, topic, records::CompressionType::Lz4);
        produce(m_socket, topic, records::CompressionType::None, 10);
        FetchRequest request;
        request.maxWaitMs = 0;
        FetchRequest::FetchTopic t;
        t.topic = topic;
        FetchRequest::FetchPartition p;
        p.fetchOffset = 3;
        p.partitionMaxBytes = 1 << 20;
        t.partitions.push_back(p);
        request.topics.push_back(t);
        auto response = call<FetchResponse>(m_socket, request, int16_t(version));
        const auto& partition = response->responses.at(0).partitions.at(0);
        QCOMPARE(partition.errorCode, int16_t(0));
        QCOMPARE(partition.highWatermark, int64_t(20));
        auto messages = records::LegacyMessageSet::decode(*partition.records, 1 << 20);
        QVERIFY2(messages, messages ? "" : messages.error().message.c_str());
        // Whole batches from the one holding offset 3: both batches, all 20 messages, as magic `magic`.
        QCOMPARE(messages->size(), size_t(20));
        for (size_t i = 0; i < messages->size(); ++i) {
            const auto& m = (*messages)[i];
            QCOMPARE(m.offset, int64_t(i));
            QCOMPARE(int(m.magic), magic);
            QCOMPARE(std::string(m.value->view()), "value number " + std::to_string(i % 10));
            if (magic == 1) QCOMPARE(m.timestamp, int64_t(1'700'000'000'000 + int64_t(i % 10)));
        }
    }

    void recordsThatDoNotDecodeAreRefusedEvenWithAValidCrc() {
        std::string topic = "undecodable";
        createTopic(m_socket, topic, "producer");
        records::RecordBatchBuilder builder;
        std::string value = "intact";
        QVERIFY(
            builder.append(1, std::nullopt, std::span(reinterpret_cast<const uint8_t*>(value.data()), value.size())));
        auto bytes = *builder.build();
        // The first record's length varint claims far more bytes than there are; the CRC is made right.
        bytes[records::batch::kHeaderSize] = 0xFE;
        bytes[records::batch::kHeaderSize + 1] = 0x7F;
        records::storeBe32(bytes.data() + records::batch::kCrc,
                           records::crc32c(std::span(bytes).subspan(records::batch::kAttributes)));
        ProduceRequest request;
        request.acks = 1;
        request.timeoutMs = 5000;
        ProduceRequest::TopicProduceData t;
        t.name = topic;
        ProduceRequest::PartitionProduceData p;
        p.records = Bytes::fromVector(bytes);
        t.partitionData.push_back(p);
        request.topicData.push_back(t);
        auto response = call<ProduceResponse>(m_socket, request, 9);
        const auto& partition = response->responses.at(0).partitionResponses.at(0);
        QCOMPARE(partition.errorCode, int16_t(2));  // CORRUPT_MESSAGE
        QVERIFY(partition.errorMessage && partition.errorMessage->find("does not decode") != std::string::npos);
        // Nothing was written.
        FetchRequest fetch;
        FetchRequest::FetchTopic ft;
        ft.topic = topic;
        FetchRequest::FetchPartition fp;
        fp.partitionMaxBytes = 1 << 20;
        ft.partitions.push_back(fp);
        fetch.topics.push_back(ft);
        QCOMPARE(call<FetchResponse>(m_socket, fetch, 11)->responses.at(0).partitions.at(0).highWatermark, int64_t(0));
    }

    void idempotentRetriesGetTheirOriginalOffsetsAndSequenceErrorsAreKafkas() {
        const std::string topic = "idempotent";
        createTopic(m_socket, topic, "producer");
        InitProducerIdRequest init;
        init.transactionalId = std::nullopt;
        init.transactionTimeoutMs = 60000;
        auto first = call<InitProducerIdResponse>(m_socket, init, 4);
        auto second = call<InitProducerIdResponse>(m_socket, init, 1);
        QCOMPARE(first->errorCode, int16_t(0));
        QCOMPARE(first->producerEpoch, int16_t(0));
        QVERIFY(first->producerId >= 0);
        QVERIFY(second->producerId != first->producerId);
        const int64_t id = first->producerId;
        const auto none = records::CompressionType::None;

        QCOMPARE(produceAs(m_socket, topic, none, id, 0, 0).baseOffset, int64_t(0));
        QCOMPARE(produceAs(m_socket, topic, none, id, 0, 10).baseOffset, int64_t(10));
        // The first batch again (a retry after a lost answer): its offset, and nothing new written.
        auto retry = produceAs(m_socket, topic, none, id, 0, 0);
        QCOMPARE(retry.errorCode, int16_t(0));
        QCOMPARE(retry.baseOffset, int64_t(0));
        QCOMPARE(produceAs(m_socket, topic, none, id, 0, 30).errorCode, int16_t(45));  // OUT_OF_ORDER_SEQUENCE_NUMBER
        QCOMPARE(produceAs(m_socket, topic, none, id, 1, 0).baseOffset, int64_t(20));  // a bumped epoch starts over
        QCOMPARE(produceAs(m_socket, topic, none, id, 0, 20).errorCode, int16_t(47));  // INVALID_PRODUCER_EPOCH
        FetchRequest fetch;
        FetchRequest::FetchTopic ft;
        ft.topic = topic;
        FetchRequest::FetchPartition fp;
        fp.partitionMaxBytes = 1 << 20;
        ft.partitions.push_back(fp);
        fetch.topics.push_back(ft);
        QCOMPARE(call<FetchResponse>(m_socket, fetch, 11)->responses.at(0).partitions.at(0).highWatermark, int64_t(30));
        // A transactional id needs the transaction coordinator.
        init.transactionalId = "";
        QCOMPARE(call<InitProducerIdResponse>(m_socket, init, 4)->errorCode, int16_t(42));  // INVALID_REQUEST
    }

    void transactionsAreDescribedListedAndTheirProducersShown() {
        const std::string topic = "txn-admin";
        createTopic(m_socket, topic, "producer");
        createTopic(m_socket, "txn-elsewhere", "producer");
        InitProducerIdRequest init;
        init.transactionalId = "raw-txn";
        init.transactionTimeoutMs = 60000;
        auto id = call<InitProducerIdResponse>(m_socket, init, 4);
        QCOMPARE(id->errorCode, int16_t(0));
        AddPartitionsToTxnRequest add;
        add.v3AndBelowTransactionalId = "raw-txn";
        add.v3AndBelowProducerId = id->producerId;
        add.v3AndBelowProducerEpoch = id->producerEpoch;
        add.v3AndBelowTopics.push_back({topic, {0}, {}});
        auto added = call<AddPartitionsToTxnResponse>(m_socket, add, 3);
        QCOMPARE(added->resultsByTopicV3AndBelow.at(0).resultsByPartition.at(0).partitionErrorCode, int16_t(0));
        const auto none = records::CompressionType::None;
        // A transactional write to a partition outside the transaction is refused (KIP-890).
        QCOMPARE(produceAs(m_socket, "txn-elsewhere", none, id->producerId, id->producerEpoch, 0, "raw-txn").errorCode,
                 int16_t(48));  // INVALID_TXN_STATE
        QCOMPARE(produceAs(m_socket, topic, none, id->producerId, id->producerEpoch, 0, "raw-txn").errorCode,
                 int16_t(0));

        DescribeTransactionsRequest describe;
        describe.transactionalIds = {"raw-txn", "nobody"};
        auto described = call<DescribeTransactionsResponse>(m_socket, describe, 0);
        QCOMPARE(described->transactionStates.at(0).transactionState, std::string("Ongoing"));
        QCOMPARE(described->transactionStates.at(0).producerId, id->producerId);
        QCOMPARE(described->transactionStates.at(0).topics.at(0).topic, topic);
        QCOMPARE(described->transactionStates.at(1).errorCode, int16_t(105));  // TRANSACTIONAL_ID_NOT_FOUND
        ListTransactionsRequest list;
        list.stateFilters = {"Ongoing", "Bogus"};
        auto listed = call<ListTransactionsResponse>(m_socket, list, 0);
        QCOMPARE(listed->transactionStates.size(), size_t(1));
        QCOMPARE(listed->transactionStates.at(0).transactionalId, std::string("raw-txn"));
        QCOMPARE(listed->unknownStateFilters, std::vector<std::string>{"Bogus"});
        DescribeProducersRequest producers;
        producers.topics.push_back({topic, {0}, {}});
        auto state = call<DescribeProducersResponse>(m_socket, producers, 0)->topics.at(0).partitions.at(0);
        QCOMPARE(state.activeProducers.size(), size_t(1));
        QCOMPARE(state.activeProducers.at(0).producerId, id->producerId);
        QCOMPARE(state.activeProducers.at(0).currentTxnStartOffset, int64_t(0));

        // While it is open a read_committed fetch stops before it; committed, the marker moves both ends.
        FetchRequest fetch;
        fetch.isolationLevel = 1;
        FetchRequest::FetchTopic ft;
        ft.topic = topic;
        FetchRequest::FetchPartition fp;
        fp.partitionMaxBytes = 1 << 20;
        ft.partitions.push_back(fp);
        fetch.topics.push_back(ft);
        auto open = call<FetchResponse>(m_socket, fetch, 11)->responses.at(0).partitions.at(0);
        QCOMPARE(open.highWatermark, int64_t(10));
        QCOMPARE(open.lastStableOffset, int64_t(0));
        EndTxnRequest end;
        end.transactionalId = "raw-txn";
        end.producerId = id->producerId;
        end.producerEpoch = id->producerEpoch;
        end.committed = true;
        QCOMPARE(call<EndTxnResponse>(m_socket, end, 3)->errorCode, int16_t(0));
        QCOMPARE(call<DescribeTransactionsResponse>(m_socket, describe, 0)->transactionStates.at(0).transactionState,
                 std::string("CompleteCommit"));
        auto committed = call<FetchResponse>(m_socket, fetch, 11)->responses.at(0).partitions.at(0);
        QCOMPARE(committed.highWatermark, int64_t(11));
        QCOMPARE(committed.lastStableOffset, int64_t(11));
        QVERIFY(committed.abortedTransactions && committed.abortedTransactions->empty());
    }

    void everyRecordsTimestampIsChecked() {
        std::string topic = "timestamps";
        CreateTopicsRequest create;
        CreateTopicsRequest::CreatableTopic t;
        t.name = topic;
        t.numPartitions = 1;
        t.replicationFactor = 1;
        t.configs.push_back({"message.timestamp.before.max.ms", "86400000", {}});
        create.topics.push_back(t);
        QCOMPARE(call<CreateTopicsResponse>(m_socket, create, 7)->topics.at(0).errorCode, int16_t(0));
        // The batch starts now, so its header looks fine; the second record is two days old.
        int64_t now = QDateTime::currentMSecsSinceEpoch();
        records::RecordBatchBuilder builder;
        std::string value = "v";
        auto span = std::span(reinterpret_cast<const uint8_t*>(value.data()), value.size());
        QVERIFY(builder.append(now, std::nullopt, span));
        QVERIFY(builder.append(now - 2 * 86400000LL, std::nullopt, span));
        ProduceRequest request;
        request.acks = 1;
        request.timeoutMs = 5000;
        ProduceRequest::TopicProduceData td;
        td.name = topic;
        ProduceRequest::PartitionProduceData p;
        p.records = Bytes::fromVector(*builder.build());
        td.partitionData.push_back(p);
        request.topicData.push_back(td);
        auto response = call<ProduceResponse>(m_socket, request, 9);
        QCOMPARE(response->responses.at(0).partitionResponses.at(0).errorCode, int16_t(32));  // INVALID_TIMESTAMP
    }

    void cleanupTestCase() { QCOMPARE(m_broker->stop(), 0); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    QTcpSocket m_socket;
};

QTEST_GUILESS_MAIN(TestPartitadProduce)
#include "partitad_produce_test.moc"
