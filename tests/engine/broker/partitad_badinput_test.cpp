// partitad against bad input on raw sockets: garbage, oversized, corrupt, unknown, truncated and abandoned requests.
#include "partitadprocess.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "engine/protocol/bytes.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/listoffsets.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/protocol/messages/produce.h"
#include "engine/protocol/records/recordbatchbuilder.h"

#include <memory>
#include <string>

using namespace partita;
using namespace partita::protocol;
using partita::tests::PartitadProcess;

namespace {

constexpr int kWaitMs = 10000;
// Low, so that an over-limit frame is cheap to announce; every legitimate request here is far smaller.
constexpr int kMaxRequestBytes = 65536;

QByteArray toQt(const Bytes& bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

QByteArray bigEndian32(qint32 value) {
    QByteArray out(4, '\0');
    for (int i = 0; i < 4; ++i) out[i] = char((quint32(value) >> (24 - 8 * i)) & 0xff);
    return out;
}

QByteArray request(int16_t apiKey, int16_t version, int32_t correlationId, const ApiMessage& body) {
    RequestHeader header;
    header.requestApiKey = apiKey;
    header.requestApiVersion = version;
    header.correlationId = correlationId;
    header.clientId = "partita-badinput";
    auto encoded = encodeRequest(header, body);
    return encoded ? toQt(*encoded) : QByteArray();
}

// A request header with an arbitrary key and version (encodeRequest refuses what it does not know).
QByteArray rawHeaderFrame(int16_t apiKey, int16_t version, int32_t correlationId, const QByteArray& body = {}) {
    QByteArray frame;
    frame += char(apiKey >> 8), frame += char(apiKey & 0xff);
    frame += char(version >> 8), frame += char(version & 0xff);
    frame += bigEndian32(correlationId);
    frame += char(0), frame += char(4);
    frame += "test";
    frame += body;
    return bigEndian32(qint32(frame.size())) + frame;
}

bool connectTo(QTcpSocket& socket, int port) {
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    return socket.waitForConnected(kWaitMs);
}

// One response frame (without its length prefix), or nothing if the connection closed or stayed silent.
std::optional<QByteArray> readFrame(QTcpSocket& socket, int timeoutMs = kWaitMs) {
    QByteArray buffer;
    QDeadlineTimer deadline(timeoutMs);
    auto need = [&](qsizetype n) {
        while (buffer.size() < n && !deadline.hasExpired()) {
            if (socket.bytesAvailable() == 0 &&
                !socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
                if (socket.state() != QAbstractSocket::ConnectedState || deadline.hasExpired()) break;
            buffer += socket.read(n - buffer.size());
        }
        return buffer.size() >= n;
    };
    if (!need(4)) return std::nullopt;
    const auto* p = reinterpret_cast<const uchar*>(buffer.constData());
    qsizetype size = qsizetype(quint32(p[0]) << 24 | quint32(p[1]) << 16 | quint32(p[2]) << 8 | quint32(p[3]));
    if (!need(4 + size)) return std::nullopt;
    return buffer.mid(4);
}

// True when the peer closed the connection (within the wait) without sending anything more.
bool closedByPeer(QTcpSocket& socket, QByteArray* unexpected = nullptr) {
    QDeadlineTimer deadline(kWaitMs);
    while (!deadline.hasExpired()) {
        if (socket.bytesAvailable() > 0) {
            if (unexpected) *unexpected += socket.readAll();
            return false;
        }
        if (socket.state() == QAbstractSocket::UnconnectedState) return true;
        socket.waitForReadyRead(100);
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0) return true;
    }
    return false;
}

std::unique_ptr<ApiVersionsResponse> decodeApiVersions(const QByteArray& frame, int16_t version) {
    auto decoded =
        decodeResponse(Bytes::copyOf(std::string_view(frame.constData(), size_t(frame.size()))), 18, version);
    if (!decoded) return nullptr;
    return std::unique_ptr<ApiVersionsResponse>(static_cast<ApiVersionsResponse*>(decoded->body.release()));
}

}  // namespace

class TestPartitadBadInput : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY2(
            m_broker->start({QStringLiteral("socket.request.max.bytes=%1").arg(kMaxRequestBytes), "num.partitions=2"}),
            qPrintable(m_broker->output()));
        // A well-behaved client connected through every test: it must keep being served.
        QVERIFY(connectTo(m_bystander, m_broker->port()));
    }

    void cleanupTestCase() {
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    // After each case: the well-behaved connection and a new one are both still answered.
    void cleanup() {
        QVERIFY2(apiVersionsWorks(m_bystander), "the connection opened before the bad input is no longer served");
        QTcpSocket fresh;
        QVERIFY(connectTo(fresh, m_broker->port()));
        QVERIFY2(apiVersionsWorks(fresh), "a new connection is not served after the bad input");
    }

    void garbageFrameClosesTheConnection() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        // Letters where the header should be: key 0x6761 ("ga") is no API.
        QByteArray garbage = "garbage garbage garbage garbage!";
        socket.write(bigEndian32(qint32(garbage.size())) + garbage);
        socket.flush();
        QByteArray got;
        QVERIFY2(closedByPeer(socket, &got), got.toHex().constData());
        expectLogLine("API key 26465 is not served");
    }

    void zeroAndNegativeLengthsCloseTheConnection() {
        for (qint32 length : {0, -1, qint32(0x80000000)}) {
            QTcpSocket socket;
            QVERIFY(connectTo(socket, m_broker->port()));
            socket.write(bigEndian32(length) + QByteArray(8, 'x'));
            socket.flush();
            QVERIFY2(closedByPeer(socket), qPrintable(QString::number(length)));
        }
        expectLogLine("request of -1 bytes");
    }

    void frameOverTheLimitIsRefusedBeforeItArrives() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        // Only the length is sent: the broker must not wait for (or allocate) the body.
        socket.write(bigEndian32(kMaxRequestBytes + 1));
        socket.flush();
        QVERIFY(closedByPeer(socket));
        expectLogLine(QStringLiteral("request of %1 bytes is over socket.request.max.bytes (%2)")
                          .arg(kMaxRequestBytes + 1)
                          .arg(kMaxRequestBytes));
        // Exactly at the limit is allowed: an ApiVersions v3 padded through its client software name
        // and version (Kafka caps each string at 32767 bytes).
        ApiVersionsRequest padded;
        padded.clientSoftwareName = std::string(32767, 'p');
        padded.clientSoftwareVersion = "1";
        QByteArray frame = request(18, 3, 5, padded);
        padded.clientSoftwareVersion = std::string(size_t(kMaxRequestBytes + 4 - frame.size() + 1), 'v');
        frame = request(18, 3, 5, padded);
        // The compact length grew from one byte to three: take the difference back.
        padded.clientSoftwareVersion.resize(padded.clientSoftwareVersion.size() -
                                            size_t(frame.size() - 4 - kMaxRequestBytes));
        frame = request(18, 3, 5, padded);
        QCOMPARE(frame.size(), kMaxRequestBytes + 4);
        QTcpSocket atLimit;
        QVERIFY(connectTo(atLimit, m_broker->port()));
        atLimit.write(frame);
        auto answer = readFrame(atLimit);
        QVERIFY2(answer, "a request of exactly socket.request.max.bytes was not answered");
        auto response = decodeApiVersions(*answer, 3);
        QVERIFY(response);
        QCOMPARE(response->errorCode, int16_t(0));
    }

    void produceWithBadCrcGetsCorruptMessage() {
        ProduceRequest produce = crcProduce(true);

        // Auto-create the topic (num.partitions=2) with a Metadata request first.
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        MetadataRequest metadata;
        MetadataRequest::MetadataRequestTopic wanted;
        wanted.name = "badinput-crc";
        metadata.topics = std::vector<MetadataRequest::MetadataRequestTopic>{wanted};
        metadata.allowAutoTopicCreation = true;
        socket.write(request(3, 4, 1, metadata));
        QVERIFY(readFrame(socket));

        for (int16_t version : {3, 7, 9}) {
            socket.write(request(0, version, 10 + version, produce));
            auto frame = readFrame(socket);
            QVERIFY2(frame, qPrintable(QStringLiteral("no Produce v%1 answer").arg(version)));
            auto decoded =
                decodeResponse(Bytes::copyOf(std::string_view(frame->constData(), size_t(frame->size()))), 0, version);
            QVERIFY2(decoded, decoded ? "" : decoded.error().message.c_str());
            QCOMPARE(decoded->correlationId, 10 + version);
            auto& response = static_cast<ProduceResponse&>(*decoded->body);
            QCOMPARE(response.responses.size(), size_t(1));
            auto& partitions = response.responses[0].partitionResponses;
            QCOMPARE(partitions.size(), size_t(2));
            for (const auto& p : partitions) {
                if (p.index == 0) {
                    QCOMPARE(p.errorCode, int16_t(2));  // CORRUPT_MESSAGE
                    QCOMPARE(p.baseOffset, int64_t(-1));
                } else {
                    QCOMPARE(p.errorCode, int16_t(0));
                    QVERIFY(p.baseOffset >= 0);
                }
            }
        }
        // The corrupt batch never reached the log; the intact ones did (kcat reads both partitions).
        QStringList lines = kcatConsume("badinput-crc");
        QCOMPARE(lines.size(), 3);
        for (const QString& line : lines) QCOMPARE(line, QStringLiteral("1:this record arrives intact"));
    }

    // acks=0: no answer when it worked; a closed connection (and a log line) when a partition failed, as Kafka.
    void acksZeroProduceFailureClosesTheConnection() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        socket.write(request(0, 7, 30, crcProduce(false, 0)));
        QVERIFY2(apiVersionsWorks(socket), "an acks=0 produce was answered, or the connection was closed");
        socket.write(request(0, 7, 31, crcProduce(true, 0)));
        socket.flush();
        QVERIFY(closedByPeer(socket));
        expectLogLine(
            "produce with acks=0 failed (correlation id 31, client id partita-badinput): badinput-crc-0 -> "
            "CORRUPT_MESSAGE");
    }

    // Per-partition refusals of ListOffsets v1+: a partition named twice is INVALID_REQUEST (42),
    // a special timestamp older than its version (max timestamp before v7) UNSUPPORTED_VERSION (35).
    void listOffsetsRefusalsPerPartition() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        auto partition = [](int32_t index, int64_t timestamp) {
            ListOffsetsRequest::ListOffsetsPartition p;
            p.partitionIndex = index;
            p.timestamp = timestamp;
            return p;
        };
        ListOffsetsRequest listOffsets;
        listOffsets.replicaId = -1;
        ListOffsetsRequest::ListOffsetsTopic topic;
        topic.name = "badinput-lo";
        topic.partitions = {partition(0, -1), partition(0, -2), partition(1, -3)};
        listOffsets.topics = {topic};
        // Metadata first: the topic exists (auto-created with two partitions).
        MetadataRequest metadata;
        MetadataRequest::MetadataRequestTopic wanted;
        wanted.name = "badinput-lo";
        metadata.topics = std::vector<MetadataRequest::MetadataRequestTopic>{wanted};
        socket.write(request(3, 4, 1, metadata));
        QVERIFY(readFrame(socket));
        for (int16_t version : {1, 6, 7}) {
            socket.write(request(2, version, 20 + version, listOffsets));
            auto frame = readFrame(socket);
            QVERIFY2(frame, qPrintable(QStringLiteral("no ListOffsets v%1 answer").arg(version)));
            auto decoded =
                decodeResponse(Bytes::copyOf(std::string_view(frame->constData(), size_t(frame->size()))), 2, version);
            QVERIFY2(decoded, decoded ? "" : decoded.error().message.c_str());
            auto& response = static_cast<ListOffsetsResponse&>(*decoded->body);
            QCOMPARE(response.topics.size(), size_t(1));
            const auto& partitions = response.topics[0].partitions;
            QCOMPARE(partitions.size(), size_t(3));
            QCOMPARE(partitions[0].errorCode, int16_t(42));
            QCOMPARE(partitions[1].errorCode, int16_t(42));
            QCOMPARE(partitions[0].offset, int64_t(-1));
            QCOMPARE(partitions[2].errorCode, int16_t(version >= 7 ? 0 : 35));
        }
    }

    void unknownApiKeyClosesTheConnection() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        socket.write(rawHeaderFrame(1000, 0, 7));
        socket.flush();
        QVERIFY(closedByPeer(socket));
        expectLogLine("API key 1000 is not served");
    }

    void apiVersionsOutOfRangeGetsTheV0Fallback() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        // Whatever a v99 body would be: Kafka does not read it.
        socket.write(rawHeaderFrame(18, 99, 4242, QByteArray("\x00\x01\x02", 3)));
        auto frame = readFrame(socket);
        QVERIFY2(frame, "no answer to ApiVersions v99");
        auto response = decodeApiVersions(*frame, 0);
        QVERIFY(response);
        QCOMPARE(response->errorCode, int16_t(35));
        QCOMPARE(response->apiKeys.size(), size_t(1));
        QCOMPARE(response->apiKeys[0].apiKey, int16_t(18));
        // The fallback advertises the same ApiVersions range as a normal answer.
        socket.write(request(18, 0, 4243, ApiVersionsRequest()));
        auto normal = readFrame(socket);
        QVERIFY2(normal, "the connection was not kept after the fallback answer");
        auto advertised = decodeApiVersions(*normal, 0);
        QVERIFY(advertised);
        QCOMPARE(advertised->errorCode, int16_t(0));
        for (const auto& api : advertised->apiKeys) {
            if (api.apiKey != 18) continue;
            QCOMPARE(response->apiKeys[0].minVersion, api.minVersion);
            QCOMPARE(response->apiKeys[0].maxVersion, api.maxVersion);
        }
    }

    void otherApiOutOfRangeClosesTheConnection() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        socket.write(rawHeaderFrame(3, 99, 8));  // Metadata v99
        socket.flush();
        QVERIFY(closedByPeer(socket));
        expectLogLine("Metadata v99 is not supported");
    }

    void truncatedRequestClosesTheConnection() {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_broker->port()));
        // A whole frame whose Metadata v1 body stops inside its topics array.
        MetadataRequest metadata;
        MetadataRequest::MetadataRequestTopic wanted;
        wanted.name = "a-topic-name-that-gets-cut";
        metadata.topics = std::vector<MetadataRequest::MetadataRequestTopic>{wanted, wanted};
        QByteArray whole = request(3, 1, 9, metadata);
        QByteArray cut = whole.left(whole.size() - 10).mid(4);
        socket.write(bigEndian32(qint32(cut.size())) + cut);
        socket.flush();
        QVERIFY(closedByPeer(socket));
        expectLogLine("cannot parse request");
        // A frame too short to hold even a request header.
        QTcpSocket shortOne;
        QVERIFY(connectTo(shortOne, m_broker->port()));
        shortOne.write(bigEndian32(3) + QByteArray("\x00\x03\x00", 3));
        shortOne.flush();
        QVERIFY(closedByPeer(shortOne));
        expectLogLine("request shorter than its header");
    }

    void clientThatDisconnectsMidRequest() {
        {
            QTcpSocket socket;
            QVERIFY(connectTo(socket, m_broker->port()));
            QByteArray whole = request(18, 0, 11, ApiVersionsRequest());
            // Announces a longer frame, sends part of it and leaves (while others are served: see cleanup()).
            socket.write(bigEndian32(qint32(whole.size() + 100)) + whole.mid(4));
            socket.flush();
            QVERIFY(socket.waitForBytesWritten(kWaitMs) || socket.bytesToWrite() == 0);
            QTest::qWait(200);
            QVERIFY(apiVersionsWorks(m_bystander));
            socket.abort();
        }
        expectLogLine("closed in the middle of a request");
    }

    void kcatStillWorksAfterAllOfIt() {
        QProcess p;
        QString kcat = QStandardPaths::findExecutable("kcat");
        if (kcat.isEmpty()) QFAIL("kcat is missing (Debian package kcat): run `make deps`");
        p.start(kcat, {"-b", m_broker->bootstrap(), "-P", "-t", "badinput-after", "-p", "0"});
        QVERIFY(p.waitForStarted());
        p.write("still\nserving\n");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(45000));
        QCOMPARE(p.exitCode(), 0);
        QStringList lines = kcatConsume("badinput-after");
        QCOMPARE(lines, QStringList({"0:serving", "0:still"}));  // sorted
    }

private:
    // Partition 1 gets an intact batch; partition 0 a corrupted one if `corruptFirst`, else none.
    static ProduceRequest crcProduce(bool corruptFirst, int16_t acks = -1) {
        auto batch = [](const char* value) {
            records::RecordBatchBuilder builder;
            std::string_view v(value);
            auto appended =
                builder.append(1700000000000, std::nullopt,
                               std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), v.size()));
            Q_UNUSED(appended);
            return builder.build();
        };
        auto bad = batch("this record will be damaged in transit");
        auto good = batch("this record arrives intact");
        if (!bad || !good) qFatal("RecordBatchBuilder failed");
        bad->back() ^= 0x5a;  // the last value byte: covered by the CRC, not by any length
        ProduceRequest produce;
        produce.acks = acks;
        produce.timeoutMs = 5000;
        ProduceRequest::TopicProduceData topic;
        topic.name = "badinput-crc";
        ProduceRequest::PartitionProduceData p0, p1;
        p0.index = 0;
        p0.records = Bytes::fromVector(std::move(*bad));
        p1.index = 1;
        p1.records = Bytes::fromVector(std::move(*good));
        topic.partitionData = corruptFirst ? std::vector<ProduceRequest::PartitionProduceData>{p0, p1}
                                           : std::vector<ProduceRequest::PartitionProduceData>{p1};
        produce.topicData = {topic};
        return produce;
    }

    bool apiVersionsWorks(QTcpSocket& socket) {
        static int32_t correlation = 100000;
        int32_t id = ++correlation;
        socket.write(request(18, 0, id, ApiVersionsRequest()));
        auto frame = readFrame(socket);
        if (!frame) return false;
        auto decoded =
            decodeResponse(Bytes::copyOf(std::string_view(frame->constData(), size_t(frame->size()))), 18, 0);
        return decoded && decoded->correlationId == id &&
               static_cast<ApiVersionsResponse&>(*decoded->body).errorCode == 0;
    }

    void expectLogLine(const QString& text) {
        QDeadlineTimer deadline(kWaitMs);
        while (!m_broker->output().contains(text) && !deadline.hasExpired()) QTest::qWait(50);
        QVERIFY2(m_broker->output().contains(text),
                 qPrintable("partitad did not log \"" + text + "\":\n" + m_broker->output().right(3000)));
    }

    QStringList kcatConsume(const QString& topic) {
        QProcess p;
        p.start(QStandardPaths::findExecutable("kcat"),
                {"-b", m_broker->bootstrap(), "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%p:%s\\n"});
        if (!p.waitForFinished(45000)) p.kill();
        QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        lines.sort();
        return lines;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    QTcpSocket m_bystander;
};

QTEST_GUILESS_MAIN(TestPartitadBadInput)
#include "partitad_badinput_test.moc"
