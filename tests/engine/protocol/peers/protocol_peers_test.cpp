// protocol_peers_test: the bytes real Kafka clients send, captured and checked with Partita's codec.
//
// kcat, confluent-kafka-python, kafka-python and kafkajs produce to a capture broker; every request
// they send must decode, re-encode to the same bytes and carry exactly the records, headers and
// codec the client was given.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTest>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "captureserver.h"
#include "engine/protocol/apiregistry.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/initproducerid.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/protocol/messages/produce.h"

#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/legacymessageset.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/protocol/records/recordset.h"

using namespace partita;
using namespace partita::protocol;
using partita::tests::CapturedFrame;
using partita::tests::CaptureServer;

namespace {

using namespace std::chrono_literals;

// Generous bounds: a client that needs longer than this is stuck, not slow.
constexpr int kClientTimeoutMs = 45000;
constexpr auto kFramesTimeout = 20s;
constexpr int16_t kProduceKey = ProduceRequest::kApiKey;
constexpr int16_t kMetadataKey = MetadataRequest::kApiKey;
constexpr int16_t kApiVersionsKey = ApiVersionsRequest::kApiKey;
constexpr int16_t kInitProducerIdKey = InitProducerIdRequest::kApiKey;

enum class Client { Kcat, Confluent, KafkaPython, Kafkajs };

QString clientName(Client c) {
    switch (c) {
        case Client::Kcat:
            return "kcat";
        case Client::Confluent:
            return "confluent";
        case Client::KafkaPython:
            return "kafka-python";
        case Client::Kafkajs:
            return "kafkajs";
    }
    return {};
}

std::optional<Client> clientFromName(const QString& name) {
    for (Client c : {Client::Kcat, Client::Confluent, Client::KafkaPython, Client::Kafkajs})
        if (clientName(c) == name) return c;
    return std::nullopt;
}

QString clientIdFor(Client c) {
    return "partita-peers-" + clientName(c);
}
QString topicFor(Client c, const QString& codec) {
    return "partita-peers-" + clientName(c) + "-" + codec;
}

struct PeerMessage {
    std::optional<QByteArray> key;
    std::optional<QByteArray> value;
    std::vector<std::pair<QByteArray, std::optional<QByteArray>>> headers;
};

// Large and repetitive, so that every codec really shrinks the batch: librdkafka sends a batch
// uncompressed when compressing would not make it smaller.
QByteArray compressibleValue() {
    return QByteArray("partita ").repeated(400);
}

// What each client is asked to produce, chosen to cover what its API can express: null keys,
// binary and empty values, tombstones, UTF-8, repeated and null-valued headers.
std::vector<PeerMessage> messagesFor(Client c) {
    if (c == Client::Kcat) {
        // kcat reads "key:value" lines and puts the same -H headers on every message.
        const std::vector<std::pair<QByteArray, std::optional<QByteArray>>> headers = {{"app", "partita"},
                                                                                       {"trace", "kcat"}};
        return {
            {"k-0", "hello from kcat", headers},
            {"k-1", compressibleValue(), headers},
            {QByteArray("ключ-ü"), QByteArray("значение-ü"), headers},
            {"k-3", "last", headers},
        };
    }
    const QByteArray name = clientName(c).toUtf8();
    std::vector<PeerMessage> m = {
        {"k-0", "hello from " + name, {{"trace", "0001"}, {"app", "partita"}}},
        {std::nullopt, QByteArray::fromHex("000102fffe00"), {}},
        {QByteArray("ключ-ü"), compressibleValue(), {{"dup", "a"}, {"dup", "b"}}},
        {"k-3", QByteArray(""), {{"empty", QByteArray("")}}},
        {"tombstone", std::nullopt, {{"null-value", std::nullopt}}},
    };
    // Neither kafkajs nor kafka-python's send() accepts a header with a null value.
    if (c == Client::Kafkajs || c == Client::KafkaPython) m.back().headers = {{"last", "x"}};
    return m;
}

QString sourceDir() {
    const QByteArray env = qgetenv("PARTITA_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(PARTITA_SOURCE_DIR_FALLBACK) : QString::fromLocal8Bit(env);
}
QString peersDir() {
    return sourceDir() + "/tests/engine/protocol/peers";
}
QString requestCorpusDir() {
    return sourceDir() + "/tests/fuzz/corpus/request_frame";
}

std::string hexHead(const std::vector<uint8_t>& bytes, size_t max = 64) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < bytes.size() && i < max; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    if (bytes.size() > max) out += "...";
    return out;
}

std::string apiName(int16_t key) {
    const ApiInfo* api = findApi(key);
    return api ? api->name : "key " + std::to_string(key);
}
QString qApiName(int16_t key) {
    return QString::fromStdString(apiName(key));
}

// The magic-2 batch headers of a record set, read straight from the fixed layout (FORMATS.md
// section 1): independent of the records API, so the wait below and the codec check work
// even while that API is being written.
struct BatchPeek {
    int8_t magic = -1;
    int16_t attributes = 0;
    int64_t producerId = 0;
    int16_t producerEpoch = 0;
    int32_t baseSequence = 0;
    int32_t recordCount = 0;
};

int64_t be(const uint8_t* p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);  // sign-extend
    return static_cast<int64_t>(v);
}

std::vector<BatchPeek> peekBatches(const Bytes& records) {
    std::vector<BatchPeek> out;
    size_t pos = 0;
    const uint8_t* d = records.data();
    while (records.size() - pos >= 61) {
        const int64_t length = be(d + pos + 8, 4);
        if (length < 49 || static_cast<size_t>(length) > records.size() - pos - 12) break;
        BatchPeek b;
        b.magic = static_cast<int8_t>(d[pos + 16]);
        if (b.magic != 2) break;  // a legacy message: not this layout
        b.attributes = static_cast<int16_t>(be(d + pos + 21, 2));
        b.producerId = be(d + pos + 43, 8);
        b.producerEpoch = static_cast<int16_t>(be(d + pos + 51, 2));
        b.baseSequence = static_cast<int32_t>(be(d + pos + 53, 4));
        b.recordCount = static_cast<int32_t>(be(d + pos + 57, 4));
        out.push_back(b);
        pos += 12 + static_cast<size_t>(length);
    }
    return out;
}

// Records announced by the Produce requests captured so far (decoded with the codec).
int producedRecordCount(const std::vector<CapturedFrame>& frames) {
    int total = 0;
    for (const CapturedFrame& f : frames) {
        auto prefix = peekRequestHeader(f.bytes);
        if (!prefix || prefix->apiKey != kProduceKey) continue;
        auto decoded = decodeRequest(Bytes::copyOf(std::span<const uint8_t>(f.bytes)));
        if (!std::holds_alternative<DecodedRequest>(decoded)) continue;
        const auto& produce = static_cast<const ProduceRequest&>(*std::get<DecodedRequest>(decoded).body);
        for (const auto& t : produce.topicData)
            for (const auto& p : t.partitionData)
                if (p.records)
                    for (const BatchPeek& b : peekBatches(*p.records)) total += b.recordCount;
    }
    return total;
}

bool hasProduce(const std::vector<CapturedFrame>& frames) {
    for (const CapturedFrame& f : frames) {
        auto prefix = peekRequestHeader(f.bytes);
        if (prefix && prefix->apiKey == kProduceKey) return true;
    }
    return false;
}

int codecId(const QString& codec) {
    static const QStringList names = {"none", "gzip", "snappy", "lz4", "zstd"};
    return static_cast<int>(names.indexOf(codec));
}

QByteArray toQ(std::span<const uint8_t> s) {
    return QByteArray(reinterpret_cast<const char*>(s.data()), qsizetype(s.size()));
}
QByteArray toQ(const Bytes& b) {
    return toQ(b.span());
}

QString describeOptional(const std::optional<QByteArray>& v) {
    return v ? "'" + QString::fromUtf8(v->left(40)) + "' (" + QString::number(v->size()) + " bytes)" : QString("null");
}

struct Expectation {
    Client client = Client::Kcat;
    QString codec = "none";
    int acks = -1;
    bool idempotent = false;
    std::vector<int16_t> apiVersionsSequence;  // versions of the ApiVersions requests opening connection 0
    std::set<int16_t> metadataVersions;
    int16_t produceVersion = 7;
    // What a non-idempotent batch carries as ProducerEpoch and BaseSequence: -1 in Kafka's
    // clients, 0 in kafkajs (its RecordBatch encoder defaults them to 0).
    int16_t noProducerEpoch = -1;
    int32_t noSequence = -1;
    // Record format of the Produce requests: 2 (RecordBatch), or 1 / 0 (legacy message sets,
    // which kafka-python writes when told the broker is older than 0.11).
    int8_t magic = 2;
    // librdkafka sends a batch uncompressed when compressing does not make it smaller (as for a
    // batch holding only a short record); the other clients always use the codec asked for.
    bool mayLeaveSmallBatchesUncompressed = false;
    QString kafkaPythonApiVersion;  // "0.10.0" etc.: skips kafka-python's probe
    std::vector<PeerMessage> messages;
};

// One decoded capture, in arrival order per connection.
struct Decoded {
    int connection = 0;
    int index = 0;
    std::vector<uint8_t> raw;
    DecodedRequest request;
};

}  // namespace

class ProtocolPeersTest : public QObject {
    Q_OBJECT

private slots:
    void kcat_data();
    void kcat();
    void confluentKafka_data();
    void confluentKafka();
    void kafkaPython_data();
    void kafkaPython();
    void kafkaPythonLegacy_data();
    void kafkaPythonLegacy();
    void kafkajs_data();
    void kafkajs();
    void apiVersionsFallback_data();
    void apiVersionsFallback();
    void savedFrames_data();
    void savedFrames();

private:
    void runAndVerify(const Expectation& expected, int16_t maxApiVersionsVersion, const QString& seedName);
    // Each returns false after recording a test failure.
    bool decodeAll(const std::vector<CapturedFrame>& frames, const Expectation& expected, std::vector<Decoded>& out);
    void verifyConversation(const std::vector<Decoded>& decoded, const Expectation& expected);
    void verifyRecords(const std::vector<Bytes>& recordSets, const Expectation& expected);
    void verifyLegacyRecords(const std::vector<Bytes>& recordSets, const Expectation& expected);
    void saveSeeds(const std::vector<Decoded>& decoded, const Expectation& expected, const QString& seedName);
};

namespace {

// The program, arguments, stdin and environment that make `c` produce `expected.messages`.
struct Launch {
    QString program;
    QStringList arguments;
    QByteArray input;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString missing;  // why the client cannot run, when it cannot
};

QString requirePythonModules(const QStringList& modules, const QString& debianPackages) {
    if (!QFileInfo::exists("/usr/bin/python3")) return "/usr/bin/python3 is missing (Debian package python3)";
    QProcess p;
    p.start("/usr/bin/python3", {"-c", "import " + modules.join(", ")});
    if (!p.waitForFinished(20000) || p.exitCode() != 0) {
        p.kill();
        p.waitForFinished(2000);
        return "Debian's /usr/bin/python3 cannot import " + modules.join(", ") + " (Debian package(s) " +
               debianPackages + ", listed in cmake/debian-packages.txt: run `make deps`): " +
               QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
    }
    return {};
}

QByteArray jsonSpec(const Expectation& e, const QString& bootstrap) {
    QJsonArray messages;
    auto hexOrNull = [](const std::optional<QByteArray>& v) {
        return v ? QJsonValue(QString::fromLatin1(v->toHex())) : QJsonValue(QJsonValue::Null);
    };
    for (const PeerMessage& m : e.messages) {
        QJsonArray headers;
        for (const auto& [name, value] : m.headers)
            headers.append(QJsonArray{QString::fromUtf8(name), hexOrNull(value)});
        messages.append(QJsonObject{{"key", hexOrNull(m.key)}, {"value", hexOrNull(m.value)}, {"headers", headers}});
    }
    QJsonArray apiVersion;
    for (const QString& part : e.kafkaPythonApiVersion.split('.', Qt::SkipEmptyParts)) apiVersion.append(part.toInt());
    QJsonObject spec{{"bootstrap", bootstrap},
                     {"apiVersion", apiVersion},
                     {"topic", topicFor(e.client, e.codec)},
                     {"clientId", clientIdFor(e.client)},
                     {"compression", e.codec},
                     {"acks", e.acks},
                     {"idempotence", e.idempotent},
                     {"messages", messages}};
    return QJsonDocument(spec).toJson(QJsonDocument::Compact);
}

Launch launchFor(const Expectation& e, const QString& bootstrap) {
    Launch l;
    switch (e.client) {
        case Client::Kcat: {
            l.program = QStandardPaths::findExecutable("kcat");
            if (l.program.isEmpty()) {
                l.missing =
                    "kcat is not installed (Debian package kcat, listed in cmake/debian-packages.txt: run `make deps`)";
                break;
            }
            l.arguments = {"-P", "-b", bootstrap, "-t", topicFor(e.client, e.codec), "-K", ":", "-z", e.codec, "-X",
                           "client.id=" + clientIdFor(e.client), "-X", "acks=" + QString::number(e.acks), "-X",
                           "enable.idempotence=" + QString(e.idempotent ? "true" : "false"),
                           // One batch for every line, so all records share one compressed set.
                           "-X", "linger.ms=200", "-X", "message.timeout.ms=15000"};
            for (const auto& [name, value] : e.messages.front().headers)
                l.arguments << "-H" << QString::fromUtf8(name + "=" + value.value_or(QByteArray()));
            for (const PeerMessage& m : e.messages) l.input += *m.key + ":" + *m.value + "\n";
            break;
        }
        case Client::Confluent:
            l.program = "/usr/bin/python3";
            l.missing = requirePythonModules({"confluent_kafka"}, "python3-confluent-kafka");
            l.arguments = {peersDir() + "/clients/confluent_produce.py"};
            l.input = jsonSpec(e, bootstrap);
            break;
        case Client::KafkaPython: {
            l.program = "/usr/bin/python3";
            QStringList modules = {"kafka"};
            QString packages = "python3-kafka";
            // kafka-python's optional codecs come from their own Debian packages.
            if (e.codec == "snappy") modules << "snappy", packages += " python3-snappy";
            if (e.codec == "lz4") modules << "lz4.frame", packages += " python3-lz4";
            // Magic-0 LZ4 needs xxhash to write the old (wrong) frame header checksum.
            if (e.codec == "lz4" && e.magic == 0) modules << "xxhash", packages += " python3-xxhash";
            if (e.codec == "zstd") modules << "zstandard", packages += " python3-zstandard";
            l.missing = requirePythonModules(modules, packages);
            l.arguments = {peersDir() + "/clients/kafka_python_produce.py"};
            l.input = jsonSpec(e, bootstrap);
            break;
        }
        case Client::Kafkajs: {
            l.program = QStandardPaths::findExecutable("node");
            const QString modules = sourceDir() + "/tests/peers/node_modules";
            if (l.program.isEmpty())
                l.missing = "node is not installed (Debian package nodejs, listed in cmake/debian-packages.txt)";
            else if (!QFileInfo::exists(modules + "/kafkajs/package.json"))
                l.missing = "kafkajs is not installed in " + modules + " (run `make deps`, which runs npm ci there)";
            l.arguments = {peersDir() + "/clients/kafkajs_produce.js"};
            l.environment.insert("NODE_PATH", modules);
            l.input = jsonSpec(e, bootstrap);
            break;
        }
    }
    return l;
}

Expectation expectationFor(Client client, const QString& codec, int acks, bool idempotent) {
    Expectation e;
    e.client = client;
    e.codec = codec;
    e.acks = acks;
    e.idempotent = idempotent;
    e.messages = messagesFor(client);
    // The versions CLIENT-VERSIONS.md says each client sends to a Kafka 3.7 broker.
    switch (client) {
        case Client::Kcat:
        case Client::Confluent:
            e.mayLeaveSmallBatchesUncompressed = true;
            e.apiVersionsSequence = {3};
            e.metadataVersions = {4};
            e.produceVersion = 7;
            break;
        case Client::KafkaPython:
            e.apiVersionsSequence = {0};
            e.metadataVersions = {0, 1};  // v0 for the version probe, v1 for the client's refresh
            e.produceVersion = 7;
            break;
        case Client::Kafkajs:
            e.apiVersionsSequence = {2};
            e.metadataVersions = {6};
            e.produceVersion = 7;
            e.noProducerEpoch = 0;
            e.noSequence = 0;
            break;
    }
    return e;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Test data: one row per client configuration.

void ProtocolPeersTest::kcat_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<int>("acks");
    QTest::addColumn<QString>("seed");
    QTest::newRow("none") << "none" << -1 << "kcat";
    QTest::newRow("gzip") << "gzip" << -1 << "";
    QTest::newRow("snappy") << "snappy" << -1 << "kcat";  // raw Snappy, no xerial framing
    QTest::newRow("lz4") << "lz4" << -1 << "";
    QTest::newRow("zstd") << "zstd" << -1 << "kcat";
    // acks=0: the broker must not answer, and kcat must still finish.
    QTest::newRow("none-acks0") << "none" << 0 << "";
    QTest::newRow("gzip-acks1") << "gzip" << 1 << "";
}

void ProtocolPeersTest::kcat() {
    QFETCH(QString, codec);
    QFETCH(int, acks);
    QFETCH(QString, seed);
    runAndVerify(expectationFor(Client::Kcat, codec, acks, false), 3, seed);
}

void ProtocolPeersTest::confluentKafka_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<bool>("idempotent");
    QTest::addColumn<QString>("seed");
    QTest::newRow("none") << "none" << false << "";
    // Idempotent producers first ask for a producer id, then stamp it on every batch.
    QTest::newRow("gzip-idempotent") << "gzip" << true << "";
    QTest::newRow("snappy") << "snappy" << false << "";
    QTest::newRow("lz4-idempotent") << "lz4" << true << "confluent";
    QTest::newRow("zstd") << "zstd" << false << "";
}

void ProtocolPeersTest::confluentKafka() {
    QFETCH(QString, codec);
    QFETCH(bool, idempotent);
    QFETCH(QString, seed);
    runAndVerify(expectationFor(Client::Confluent, codec, -1, idempotent), 3, seed);
}

void ProtocolPeersTest::kafkaPython_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<QString>("seed");
    QTest::newRow("none") << "none"
                          << "";
    QTest::newRow("gzip") << "gzip"
                          << "kafka-python";
    QTest::newRow("snappy") << "snappy"
                            << "kafka-python";  // xerial-framed Snappy
    QTest::newRow("lz4") << "lz4"
                         << "";
}

void ProtocolPeersTest::kafkaPython() {
    QFETCH(QString, codec);
    QFETCH(QString, seed);
    runAndVerify(expectationFor(Client::KafkaPython, codec, -1, false), 3, seed);
}

void ProtocolPeersTest::kafkaPythonLegacy_data() {
    QTest::addColumn<QString>("apiVersion");
    QTest::addColumn<QString>("codec");
    QTest::addColumn<int>("produceVersion");
    QTest::addColumn<int>("magic");
    QTest::addColumn<QString>("seed");
    // Told the broker is 0.10.0, kafka-python writes magic-1 message sets (Produce v2); told
    // 0.9 or 0.8.2, magic 0 (Produce v1, v0). Compressed sets are one wrapper message whose
    // value holds the compressed inner messages.
    QTest::newRow("0.10.0-none") << "0.10.0"
                                 << "none" << 2 << 1 << "kafka-python-magic1";
    QTest::newRow("0.10.0-gzip") << "0.10.0"
                                 << "gzip" << 2 << 1 << "kafka-python-magic1";
    QTest::newRow("0.10.0-snappy") << "0.10.0"
                                   << "snappy" << 2 << 1 << "";
    QTest::newRow("0.10.0-lz4") << "0.10.0"
                                << "lz4" << 2 << 1 << "";
    QTest::newRow("0.9-gzip") << "0.9"
                              << "gzip" << 1 << 0 << "kafka-python-magic0";
    // Magic-0 LZ4 carries the broken header checksum of KAFKA-3160.
    QTest::newRow("0.9-lz4") << "0.9"
                             << "lz4" << 1 << 0 << "kafka-python-magic0";
    QTest::newRow("0.8.2-none") << "0.8.2"
                                << "none" << 0 << 0 << "kafka-python-magic0";
}

void ProtocolPeersTest::kafkaPythonLegacy() {
    QFETCH(QString, apiVersion);
    QFETCH(QString, codec);
    QFETCH(int, produceVersion);
    QFETCH(int, magic);
    QFETCH(QString, seed);
    Expectation e = expectationFor(Client::KafkaPython, codec, -1, false);
    e.kafkaPythonApiVersion = apiVersion;
    e.magic = static_cast<int8_t>(magic);
    e.produceVersion = static_cast<int16_t>(produceVersion);
    e.apiVersionsSequence = {};  // a configured api_version skips the probe
    e.metadataVersions = {static_cast<int16_t>(apiVersion == "0.10.0" ? 1 : 0)};  // v1 from 0.10 on
    // Headers need magic 2.
    for (PeerMessage& m : e.messages) m.headers.clear();
    runAndVerify(e, 3, seed);
}

void ProtocolPeersTest::kafkajs_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<QString>("seed");
    QTest::newRow("none") << "none"
                          << "";
    QTest::newRow("gzip") << "gzip"
                          << "kafkajs";
}

void ProtocolPeersTest::kafkajs() {
    QFETCH(QString, codec);
    QFETCH(QString, seed);
    runAndVerify(expectationFor(Client::Kafkajs, codec, -1, false), 3, seed);
}

void ProtocolPeersTest::apiVersionsFallback_data() {
    QTest::addColumn<QString>("client");
    QTest::addColumn<int>("maxApiVersionsVersion");
    QTest::addColumn<QList<int>>("sequence");
    // A broker that knows ApiVersions only up to v2 (Kafka 2.1-2.3) answers librdkafka's v3
    // with Kafka's v0-framed UNSUPPORTED_VERSION. librdkafka 2.0.2 reads that body as a flexible
    // v3 one, fails to parse the api array ("Protocol parse failure for ApiVersion v3(flex)"),
    // and so retries with v0 rather than with the advertised max; it must still carry on.
    QTest::newRow("kcat-max2") << "kcat" << 2 << QList<int>{3, 0};
    // kafkajs walks down v2, v1, v0 on UNSUPPORTED_VERSION.
    QTest::newRow("kafkajs-max1") << "kafkajs" << 1 << QList<int>{2, 1};
    QTest::newRow("kafkajs-max0") << "kafkajs" << 0 << QList<int>{2, 1, 0};
}

void ProtocolPeersTest::apiVersionsFallback() {
    QFETCH(QString, client);
    QFETCH(int, maxApiVersionsVersion);
    QFETCH(QList<int>, sequence);
    Expectation e = expectationFor(*clientFromName(client), "none", -1, false);
    e.apiVersionsSequence.assign(sequence.begin(), sequence.end());
    runAndVerify(e, static_cast<int16_t>(maxApiVersionsVersion), "");
}

// ---------------------------------------------------------------------------------------------
// The run: start the capture broker, run the client to completion, check what it sent.

void ProtocolPeersTest::runAndVerify(const Expectation& expected, int16_t maxApiVersionsVersion,
                                     const QString& seedName) {
    CaptureServer::Options options;
    options.maxApiVersionsVersion = maxApiVersionsVersion;
    CaptureServer server(options);
    std::string error;
    QVERIFY2(server.start(&error), error.c_str());

    Launch launch = launchFor(expected, QString::fromStdString(server.bootstrap()));
    QVERIFY2(launch.missing.isEmpty(), qPrintable("peer client missing: " + launch.missing));

    QProcess process;
    process.setProcessEnvironment(launch.environment);
    process.start(launch.program, launch.arguments);
    QVERIFY2(process.waitForStarted(10000),
             qPrintable("cannot start " + launch.program + ": " + process.errorString()));
    process.write(launch.input);
    process.closeWriteChannel();

    const bool finished = process.waitForFinished(kClientTimeoutMs);
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    const QString clientOutput = QString::fromLocal8Bit(process.readAllStandardError()).right(20000) +
                                 QString::fromLocal8Bit(process.readAllStandardOutput()).right(1000);
    auto serverNotes = [&] {
        QString out;
        for (const std::string& n : server.notes()) out += "\n  server: " + QString::fromStdString(n);
        return out;
    };
    if (qEnvironmentVariableIsSet("PARTITA_PEERS_VERBOSE")) qInfo("client output:\n%s", qPrintable(clientOutput));
    QVERIFY2(finished,
             qPrintable(clientName(expected.client) + " did not finish; it printed:\n" + clientOutput + serverNotes()));
    // Exit status 0 means the client saw every message acknowledged by our answers.
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
             qPrintable(clientName(expected.client) + " failed (exit " + QString::number(process.exitCode()) +
                        "); it printed:\n" + clientOutput + serverNotes()));

    // With acks=0 the client may exit before the server thread has read its last bytes.
    // Legacy sets cannot be counted without decompressing; their clients wait for acks anyway.
    const int wanted = expected.magic == 2 ? static_cast<int>(expected.messages.size()) : 0;
    QVERIFY2(
        server.waitFor([&](const auto& frames) { return producedRecordCount(frames) >= wanted && hasProduce(frames); },
                       kFramesTimeout),
        qPrintable("the Produce requests never carried all " + QString::number(wanted) + " records" + serverNotes()));
    server.stop();

    std::vector<Decoded> decoded;
    if (!decodeAll(server.frames(), expected, decoded)) return;
    if (qEnvironmentVariableIsSet("PARTITA_PEERS_VERBOSE")) {
        for (const Decoded& d : decoded) {
            QString batches;
            if (d.request.header.requestApiKey == kProduceKey) {
                const auto& p = static_cast<const ProduceRequest&>(*d.request.body);
                for (const auto& t : p.topicData)
                    for (const auto& part : t.partitionData)
                        if (part.records)
                            for (const BatchPeek& b : peekBatches(*part.records))
                                batches +=
                                    QString(" [batch: %1 records, codec %2]").arg(b.recordCount).arg(b.attributes & 7);
            }
            qInfo("connection %d request %d: %s v%d%s", d.connection, d.index,
                  apiName(d.request.header.requestApiKey).c_str(), d.request.header.requestApiVersion,
                  qPrintable(batches));
        }
    }
    verifyConversation(decoded, expected);
    if (QTest::currentTestFailed()) return;
    if (!seedName.isEmpty()) saveSeeds(decoded, expected, seedName);
}

bool ProtocolPeersTest::decodeAll(const std::vector<CapturedFrame>& frames, const Expectation& expected,
                                  std::vector<Decoded>& out) {
    [&] { QVERIFY2(!frames.empty(), "no request captured"); }();
    for (const CapturedFrame& f : frames) {
        const std::string where = "connection " + std::to_string(f.connection) + " request " +
                                  std::to_string(f.indexOnConnection) + " (" + hexHead(f.bytes) + ")";
        auto result = decodeRequest(Bytes::copyOf(std::span<const uint8_t>(f.bytes)));
        if (auto* failure = std::get_if<RequestDecodeError>(&result)) {
            QTest::qFail(("cannot decode " + where + ": " + failure->message).c_str(), __FILE__, __LINE__);
            return false;
        }
        Decoded d{f.connection, f.indexOnConnection, f.bytes, std::move(std::get<DecodedRequest>(result))};
        const RequestHeader& h = d.request.header;

        // Every request carries the client.id the client was configured with.
        if (h.clientId.value_or("<null>") != clientIdFor(expected.client).toStdString()) {
            QTest::qFail(("client id '" + h.clientId.value_or("<null>") + "' in " + where).c_str(), __FILE__, __LINE__);
            return false;
        }
        // Decoding then encoding gives back the client's exact bytes, so nothing is lost or
        // reordered (unknown tagged fields included) when the engine re-encodes a request.
        Result<Bytes> again = encodeRequest(h, *d.request.body);
        if (!again) {
            QTest::qFail(("cannot re-encode " + where + ": " + again.error().message).c_str(), __FILE__, __LINE__);
            return false;
        }
        const std::vector<uint8_t> reencoded(again->data() + 4, again->data() + again->size());
        if (reencoded != f.bytes) {
            size_t at = 0;
            while (at < reencoded.size() && at < f.bytes.size() && reencoded[at] == f.bytes[at]) ++at;
            QTest::qFail((apiName(h.requestApiKey) + " v" + std::to_string(h.requestApiVersion) +
                          " re-encodes differently from byte " + std::to_string(at) + ": " + where)
                             .c_str(),
                         __FILE__, __LINE__);
            return false;
        }
        out.push_back(std::move(d));
    }
    return !QTest::currentTestFailed();
}

void ProtocolPeersTest::verifyConversation(const std::vector<Decoded>& decoded, const Expectation& expected) {
    const std::string topic = topicFor(expected.client, expected.codec).toStdString();
    std::map<int, std::vector<const Decoded*>> byConnection;
    for (const Decoded& d : decoded) byConnection[d.connection].push_back(&d);

    // Connection 0 is the bootstrap connection: it opens with the ApiVersions exchange.
    const auto& first = byConnection.begin()->second;
    QVERIFY2(first.size() >= expected.apiVersionsSequence.size(), "bootstrap connection closed too early");
    for (size_t i = 0; i < expected.apiVersionsSequence.size(); ++i) {
        const RequestHeader& h = first[i]->request.header;
        QCOMPARE(qApiName(h.requestApiKey), qApiName(kApiVersionsKey));
        QCOMPARE(h.requestApiVersion, expected.apiVersionsSequence[i]);
    }
    // kafka-python's version probe: ApiVersions v0 followed by Metadata v0 for all topics.
    if (expected.client == Client::KafkaPython && expected.kafkaPythonApiVersion.isEmpty()) {
        QVERIFY2(first.size() >= 2, "kafka-python sent no Metadata after its ApiVersions probe");
        const RequestHeader& h = first[1]->request.header;
        QCOMPARE(qApiName(h.requestApiKey), qApiName(kMetadataKey));
        QCOMPARE(h.requestApiVersion, int16_t(0));
        QVERIFY(static_cast<const MetadataRequest&>(*first[1]->request.body).topics.value().empty());
    }
    // Every other connection of a client that negotiates also opens with ApiVersions at the
    // version the bootstrap connection settled on.
    for (const auto& [connection, requests] : byConnection) {
        if (expected.client == Client::KafkaPython) break;  // its later connections reuse the probe
        const RequestHeader& h = requests.front()->request.header;
        QVERIFY2(h.requestApiKey == kApiVersionsKey,
                 qPrintable("connection " + QString::number(connection) + " opened with " +
                            QString::fromStdString(apiName(h.requestApiKey))));
    }

    bool sawTopicMetadata = false;
    int produceCount = 0;
    int initProducerIdCount = 0;
    std::vector<Bytes> recordSets;
    for (const Decoded& d : decoded) {
        const RequestHeader& h = d.request.header;
        const std::string what = apiName(h.requestApiKey) + " v" + std::to_string(h.requestApiVersion);
        if (h.requestApiKey == kMetadataKey) {
            QVERIFY2(expected.metadataVersions.count(h.requestApiVersion), ("unexpected " + what).c_str());
            const auto& m = static_cast<const MetadataRequest&>(*d.request.body);
            if (m.topics)
                for (const auto& t : *m.topics) sawTopicMetadata |= t.name.value_or("") == topic;
        } else if (h.requestApiKey == kProduceKey) {
            ++produceCount;
            QCOMPARE(h.requestApiVersion, expected.produceVersion);
            const auto& p = static_cast<const ProduceRequest&>(*d.request.body);
            QCOMPARE(p.acks, static_cast<int16_t>(expected.acks));
            QVERIFY2(!p.transactionalId, "a non-transactional producer sent a transactional id");
            QVERIFY(p.timeoutMs > 0);
            QCOMPARE(p.topicData.size(), size_t(1));
            QCOMPARE(QString::fromStdString(p.topicData[0].name), QString::fromStdString(topic));
            QCOMPARE(p.topicData[0].partitionData.size(), size_t(1));
            QCOMPARE(p.topicData[0].partitionData[0].index, 0);
            QVERIFY2(p.topicData[0].partitionData[0].records.has_value(), "Produce without records");
            recordSets.push_back(*p.topicData[0].partitionData[0].records);
        } else if (h.requestApiKey == kInitProducerIdKey) {
            ++initProducerIdCount;
            // librdkafka 2.0.2 prefers v3-4 (KIP-360) and sends the transactional id as null.
            QCOMPARE(h.requestApiVersion, int16_t(4));
            const auto& ip = static_cast<const InitProducerIdRequest&>(*d.request.body);
            QVERIFY(!ip.transactionalId.has_value());
        } else if (h.requestApiKey != kApiVersionsKey) {
            QFAIL(("unexpected request " + what + " on connection " + std::to_string(d.connection)).c_str());
        }
    }
    QVERIFY2(sawTopicMetadata, ("no Metadata request named the topic " + topic).c_str());
    QVERIFY(produceCount >= 1);
    QCOMPARE(initProducerIdCount > 0, expected.idempotent);
    verifyRecords(recordSets, expected);
}

void ProtocolPeersTest::verifyRecords(const std::vector<Bytes>& recordSets, const Expectation& expected) {
    if (expected.magic != 2) {
        verifyLegacyRecords(recordSets, expected);
        return;
    }
    // The batch headers, read from the fixed layout: format, codec and producer fields.
    int peekedRecords = 0;
    int sequence = 0;
    int batchesWithCodec = 0;
    for (const Bytes& set : recordSets) {
        const auto batches = peekBatches(set);
        QVERIFY2(!batches.empty(), "a Produce request holds no complete record batch");
        for (const BatchPeek& b : batches) {
            QCOMPARE(b.magic, int8_t(2));
            const int codec = b.attributes & 0x07;
            if (codec == codecId(expected.codec))
                ++batchesWithCodec;
            else if (!(codec == 0 && expected.mayLeaveSmallBatchesUncompressed))
                QCOMPARE(codec, codecId(expected.codec));
            QCOMPARE(b.attributes & 0x30, 0);  // neither transactional nor control
            QCOMPARE(b.producerId, expected.idempotent ? int64_t(1000) : int64_t(-1));
            QCOMPARE(b.producerEpoch, expected.idempotent ? int16_t(0) : expected.noProducerEpoch);
            QCOMPARE(b.baseSequence, expected.idempotent ? sequence : expected.noSequence);
            sequence += b.recordCount;
            peekedRecords += b.recordCount;
        }
    }
    QCOMPARE(peekedRecords, static_cast<int>(expected.messages.size()));
    // The batch with the large, repetitive record is always worth compressing.
    QVERIFY2(batchesWithCodec > 0, qPrintable("no batch is compressed with " + expected.codec));

    using namespace partita::protocol::records;
    size_t next = 0;
    for (const Bytes& set : recordSets) {
        RecordSetReader reader(set);
        for (;;) {
            auto batch = reader.nextBatch();
            QVERIFY2(batch.ok(), batch.ok() ? "" : batch.error().message.c_str());
            if (!batch.value()) break;
            const RecordBatchView& view = *batch.value();
            // The client's CRC-32C must match ours, and the codec must be the one asked for.
            QVERIFY2(view.isCrcValid(), "CRC-32C mismatch");
            Status valid = view.validate();
            QVERIFY2(valid.ok(), valid.ok() ? "" : valid.error().message.c_str());
            if (!(view.compression() == CompressionType::None && expected.mayLeaveSmallBatchesUncompressed))
                QCOMPARE(QString(compressionTypeName(view.compression())), expected.codec);
            QCOMPARE(view.timestampType(), TimestampType::CreateTime);

            auto records = view.decodeRecords(16 * 1024 * 1024);
            QVERIFY2(records.ok(), records.ok() ? "" : records.error().message.c_str());
            QCOMPARE(records->size(), static_cast<size_t>(view.recordCount()));
            for (size_t i = 0; i < records->size(); ++i, ++next) {
                QVERIFY2(next < expected.messages.size(), "more records than messages produced");
                const Record& r = (*records)[i];
                const PeerMessage& m = expected.messages[next];
                const QString where = QString("record %1: ").arg(next);
                QCOMPARE(r.offset, view.baseOffset() + static_cast<int64_t>(i));
                // Clients stamp CreateTime with their wall clock (after 2020, and set).
                QVERIFY2(r.timestamp > 1577836800000, qPrintable(where + "no create time"));
                std::optional<QByteArray> key, value;
                if (r.key) key = toQ(*r.key);
                if (r.value) value = toQ(*r.value);
                QVERIFY2(key == m.key,
                         qPrintable(where + "key " + describeOptional(key) + ", expected " + describeOptional(m.key)));
                QVERIFY2(value == m.value, qPrintable(where + "value " + describeOptional(value) + ", expected " +
                                                      describeOptional(m.value)));
                QCOMPARE(r.headers.size(), m.headers.size());
                for (size_t j = 0; j < m.headers.size(); ++j) {
                    QCOMPARE(QByteArray::fromStdString(r.headers[j].key), m.headers[j].first);
                    std::optional<QByteArray> hv;
                    if (r.headers[j].value) hv = toQ(*r.headers[j].value);
                    QVERIFY2(hv == m.headers[j].second,
                             qPrintable(where + "header " + QString::fromUtf8(m.headers[j].first) + " " +
                                        describeOptional(hv) + ", expected " + describeOptional(m.headers[j].second)));
                }
            }
        }
    }
    QCOMPARE(next, expected.messages.size());
}

// Legacy message sets: Offset int64 | MessageSize int32 | Crc int32 | Magic int8 | Attributes
// int8 ... (FORMATS.md section 2). The headers are peeked from the fixed layout, the messages
// decoded (wrappers unwrapped, CRC-32 checked) with the records API.
void ProtocolPeersTest::verifyLegacyRecords(const std::vector<Bytes>& recordSets, const Expectation& expected) {
    for (const Bytes& set : recordSets) {
        QVERIFY2(set.size() >= 18, "a Produce request holds no complete legacy message");
        size_t pos = 0;
        while (set.size() - pos >= 18) {
            const int64_t size = be(set.data() + pos + 8, 4);
            QVERIFY2(size >= 6 && static_cast<size_t>(size) <= set.size() - pos - 12, "truncated legacy message");
            QCOMPARE(static_cast<int>(set.data()[pos + 16]), static_cast<int>(expected.magic));
            // A compressed set is a single wrapper whose attributes name the codec.
            QCOMPARE(set.data()[pos + 17] & 0x07, codecId(expected.codec));
            pos += 12 + static_cast<size_t>(size);
        }
        QCOMPARE(pos, set.size());
    }
    using namespace partita::protocol::records;
    size_t next = 0;
    for (const Bytes& set : recordSets) {
        auto messages = LegacyMessageSet::decode(set, 16 * 1024 * 1024);
        QVERIFY2(messages.ok(), messages.ok() ? "" : messages.error().message.c_str());
        for (const LegacyMessage& m : *messages) {
            QVERIFY2(next < expected.messages.size(), "more messages than produced");
            const PeerMessage& want = expected.messages[next];
            const QString where = QString("message %1: ").arg(next);
            QCOMPARE(static_cast<int>(m.magic), static_cast<int>(expected.magic));
            QCOMPARE(m.attributes & 0x07, 0);  // inner messages are never compressed themselves
            if (expected.magic == 1)
                QVERIFY2(m.timestamp > 1577836800000, qPrintable(where + "no create time"));
            else
                QCOMPARE(m.timestamp, kNoTimestamp);
            std::optional<QByteArray> key, value;
            if (m.key) key = toQ(*m.key);
            if (m.value) value = toQ(*m.value);
            QVERIFY2(key == want.key,
                     qPrintable(where + "key " + describeOptional(key) + ", expected " + describeOptional(want.key)));
            QVERIFY2(value == want.value, qPrintable(where + "value " + describeOptional(value) + ", expected " +
                                                     describeOptional(want.value)));
            ++next;
        }
    }
    QCOMPARE(next, expected.messages.size());
}

// Writes the first ApiVersions, topic Metadata and Produce of a run as fuzz seeds and fixtures
// (frames without their length prefix), and the Produce's record set as a record_batch seed.
// Only when PARTITA_PEERS_SAVE_SEEDS names a directory: the committed fixtures are not
// rewritten by ordinary runs.
void ProtocolPeersTest::saveSeeds(const std::vector<Decoded>& decoded, const Expectation& expected,
                                  const QString& seedName) {
    const QString dir = qEnvironmentVariable("PARTITA_PEERS_SAVE_SEEDS");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir + "/request_frame");
    QDir().mkpath(dir + "/record_batch");
    auto write = [](const QString& path, const QByteArray& data) {
        QFile f(path);
        if (f.open(QIODevice::WriteOnly)) f.write(data);
    };
    std::set<int16_t> saved;
    for (const Decoded& d : decoded) {
        const int16_t key = d.request.header.requestApiKey;
        if (saved.count(key) || !(key == kApiVersionsKey || key == kMetadataKey || key == kProduceKey)) continue;
        if (key == kMetadataKey) {
            const auto& m = static_cast<const MetadataRequest&>(*d.request.body);
            if (!m.topics || m.topics->empty()) continue;  // keep the one that names the topic
        }
        saved.insert(key);
        const QString name = seedName + "-" + QString::fromStdString(apiName(key)).toLower() + "-v" +
                             QString::number(d.request.header.requestApiVersion) + "-" + expected.codec;
        if (key == kProduceKey) {
            const auto& p = static_cast<const ProduceRequest&>(*d.request.body);
            write(dir + "/record_batch/" + seedName + "-" + expected.codec + ".bin",
                  toQ(*p.topicData[0].partitionData[0].records));
        }
        write(dir + "/request_frame/" + name + ".bin", toQ(std::span<const uint8_t>(d.raw)));
    }
}

// ---------------------------------------------------------------------------------------------
// Frames captured from the clients once and committed (tests/fuzz/corpus/request_frame/, also the
// fuzzers' seeds): decoded without any client installed, so a codec change that breaks real
// clients' bytes fails here even on a machine with no peers.

void ProtocolPeersTest::savedFrames_data() {
    QTest::addColumn<QString>("file");
    const char* files[] = {
        "kcat-apiversions-v3-zstd.bin",
        "kcat-metadata-v4-zstd.bin",
        "kcat-produce-v7-zstd.bin",
        "confluent-apiversions-v3-lz4.bin",
        "confluent-metadata-v4-lz4.bin",
        "confluent-produce-v7-lz4.bin",
        "kafka-python-apiversions-v0-gzip.bin",
        "kafka-python-metadata-v1-gzip.bin",
        "kafka-python-produce-v7-gzip.bin",
        "kafkajs-apiversions-v2-gzip.bin",
        "kafkajs-metadata-v6-gzip.bin",
        "kafkajs-produce-v7-gzip.bin",
        // kafka-python told the broker is 0.10.0 / 0.9: legacy message sets, magic 1 and 0.
        "kafka-python-magic1-produce-v2-gzip.bin",
        "kafka-python-magic0-metadata-v0-gzip.bin",
        "kafka-python-magic0-produce-v1-gzip.bin",
        "kafka-python-magic0-produce-v1-lz4.bin",
        "kafka-python-magic0-produce-v0-none.bin",
        // Raw Snappy from librdkafka, xerial-framed Snappy from kafka-python.
        "kcat-produce-v7-snappy.bin",
        "kafka-python-produce-v7-snappy.bin",
    };
    for (const char* f : files) QTest::newRow(f) << QString(f);
}

void ProtocolPeersTest::savedFrames() {
    QFETCH(QString, file);
    QFile f(requestCorpusDir() + "/" + file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable("missing fixture " + f.fileName()));
    const QByteArray data = f.readAll();
    const std::vector<uint8_t> raw(data.begin(), data.end());

    // The name says client[-magicN]-api-vN-codec.bin (the codec of the run it was captured in).
    std::optional<Client> client;
    QString rest;
    for (Client c : {Client::KafkaPython, Client::Kafkajs, Client::Kcat, Client::Confluent}) {
        if (file.startsWith(clientName(c) + "-")) {
            client = c;
            rest = file.mid(clientName(c).size() + 1).chopped(4);
            break;
        }
    }
    QVERIFY(client);
    const QStringList parts = rest.split('-');
    QVERIFY(parts.size() == 3 || parts.size() == 4);
    const QString codec = parts.back();
    Expectation e = expectationFor(*client, codec, -1, *client == Client::Confluent);
    if (parts.size() == 4) {  // kafka-python-magicN-...: a legacy run, without headers
        QVERIFY(parts[0].startsWith("magic"));
        e.magic = static_cast<int8_t>(parts[0].mid(5).toInt());
        for (PeerMessage& m : e.messages) m.headers.clear();
    }
    const QString api = parts[parts.size() - 3];
    const QString version = parts[parts.size() - 2];

    std::vector<Decoded> decoded;
    CapturedFrame frame{0, 0, raw};
    if (!decodeAll({frame}, e, decoded)) return;
    const RequestHeader& h = decoded[0].request.header;
    QCOMPARE(qApiName(h.requestApiKey).toLower(), api);
    QCOMPARE("v" + QString::number(h.requestApiVersion), version);
    if (h.requestApiKey == kMetadataKey) {
        const auto& m = static_cast<const MetadataRequest&>(*decoded[0].request.body);
        QVERIFY(m.topics && m.topics->size() == 1);
        QCOMPARE(QString::fromStdString(m.topics->front().name.value_or("")), topicFor(*client, codec));
    }
    if (h.requestApiKey == kProduceKey) {
        const auto& p = static_cast<const ProduceRequest&>(*decoded[0].request.body);
        QCOMPARE(p.acks, int16_t(-1));
        QCOMPARE(p.topicData.size(), size_t(1));
        QCOMPARE(QString::fromStdString(p.topicData[0].name), topicFor(*client, codec));
        verifyRecords({*p.topicData[0].partitionData[0].records}, e);
    }
}

QTEST_GUILESS_MAIN(ProtocolPeersTest)
#include "protocol_peers_test.moc"
