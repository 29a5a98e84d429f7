// Dynamic broker configs: the persistence file and its checks, and partitad changed at runtime by real clients
// (confluent-kafka-python's AdminClient, raw IncrementalAlterConfigs), across a restart.
#include "engine/broker/dynamicbrokerconfigs.h"
#include "engine/protocol/messages/alterconfigs.h"
#include "engine/protocol/messages/describeconfigs.h"
#include "engine/protocol/messages/incrementalalterconfigs.h"
#include "partitadprocess.h"
#include "rawclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace partita;
using partita::broker::DynamicBrokerConfigs;
using partita::tests::PartitadProcess;
using Level = DynamicBrokerConfigs::Level;

namespace {

// Kafka's DescribeConfigsResponse.ConfigSource ids.
constexpr int kDynamicBroker = 2;
constexpr int kDynamicDefault = 3;
constexpr int kStatic = 4;
constexpr int kDefault = 5;

QString sourceDir() {
    const QByteArray env = qgetenv("PARTITA_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(PARTITA_SOURCE_DIR_FALLBACK) : QString::fromLocal8Bit(env);
}

bool haveConfluent() {
    QProcess p;
    p.start("/usr/bin/python3", {"-c", "import confluent_kafka"});
    return p.waitForFinished(20000) && p.exitCode() == 0;
}

// One run of peers/confluent_dynamic_configs.py; its JSON answer.
QJsonObject peer(const QStringList& arguments) {
    QProcess p;
    p.start("/usr/bin/python3",
            QStringList{sourceDir() + "/tests/engine/broker/peers/confluent_dynamic_configs.py"} + arguments);
    if (!p.waitForFinished(90000)) {
        p.kill();
        p.waitForFinished(2000);
        qWarning() << "peer stuck:" << arguments;
        return {};
    }
    const QByteArray out = p.readAllStandardOutput();
    const QJsonDocument doc = QJsonDocument::fromJson(out.trimmed().split('\n').last());
    if (!doc.isObject()) qWarning() << "peer said:" << out << p.readAllStandardError();
    return doc.object();
}

QJsonObject describeEntry(const QString& bootstrap, const QString& kind, const QString& name, const QString& key) {
    const QJsonObject answer = peer({"describe", bootstrap, kind, name});
    if (answer.contains("error")) qWarning() << "describe failed:" << answer;
    return answer["configs"].toObject()[key].toObject();
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

std::unique_ptr<QTcpSocket> connectTo(const PartitadProcess& broker) {
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost("localhost", quint16(broker.port()));
    if (!socket->waitForConnected(5000)) qFatal("cannot connect");
    return socket;
}

// One IncrementalAlterConfigs of broker resource `name` (v1); the error code and message.
std::pair<int16_t, std::string> incremental(
    QTcpSocket& socket, const std::string& name,
    const std::vector<protocol::IncrementalAlterConfigsRequest::AlterableConfig>& configs) {
    protocol::IncrementalAlterConfigsRequest request;
    protocol::IncrementalAlterConfigsRequest::AlterConfigsResource resource;
    resource.resourceType = 4;
    resource.resourceName = name;
    resource.configs = configs;
    request.resources.push_back(resource);
    auto response = tests::call<protocol::IncrementalAlterConfigsResponse>(socket, request, 1);
    const auto& r = response->responses.at(0);
    return {r.errorCode, r.errorMessage.value_or("")};
}

// Legacy AlterConfigs (v1) of the cluster-wide defaults: confluent-kafka 1.7 refuses a resource named "".
int16_t replaceDefaults(QTcpSocket& socket, const std::map<std::string, std::string>& configs) {
    protocol::AlterConfigsRequest request;
    protocol::AlterConfigsRequest::AlterConfigsResource resource;
    resource.resourceType = 4;
    for (const auto& [key, value] : configs) resource.configs.push_back({key, value, {}});
    request.resources.push_back(resource);
    return tests::call<protocol::AlterConfigsResponse>(socket, request, 1)->responses.at(0).errorCode;
}

// DescribeConfigs (v4, synonyms) of the defaults resource: name -> (value, source).
std::map<std::string, std::pair<std::string, int>> describeDefaults(QTcpSocket& socket) {
    protocol::DescribeConfigsRequest request;
    protocol::DescribeConfigsRequest::DescribeConfigsResource resource;
    resource.resourceType = 4;
    resource.configurationKeys = std::nullopt;  // every key
    request.resources.push_back(resource);
    request.includeSynonyms = true;
    auto response = tests::call<protocol::DescribeConfigsResponse>(socket, request, 4);
    std::map<std::string, std::pair<std::string, int>> out;
    for (const auto& c : response->results.at(0).configs) out[c.name] = {c.value.value_or("<null>"), c.configSource};
    return out;
}

// The synonyms DescribeConfigs (v4) lists for one key of a BROKER resource: (name, value, source).
std::vector<std::tuple<std::string, std::string, int>> synonymsOf(QTcpSocket& socket, const std::string& name,
                                                                  const std::string& key) {
    protocol::DescribeConfigsRequest request;
    protocol::DescribeConfigsRequest::DescribeConfigsResource resource;
    resource.resourceType = 4;
    resource.resourceName = name;
    resource.configurationKeys = std::vector{key};
    request.resources.push_back(resource);
    request.includeSynonyms = true;
    auto response = tests::call<protocol::DescribeConfigsResponse>(socket, request, 4);
    std::vector<std::tuple<std::string, std::string, int>> out;
    for (const auto& c : response->results.at(0).configs)
        for (const auto& s : c.synonyms) out.emplace_back(s.name, s.value.value_or("<null>"), s.source);
    return out;
}

QString dynamicFile(const QTemporaryDir& dir) {
    return dir.path() + "/data/" + QString::fromStdString(std::string(DynamicBrokerConfigs::kFileName));
}

}  // namespace

class TestDynamicBrokerConfigs : public QObject {
    Q_OBJECT

private slots:
    void bothLevelsSurviveANewInstance() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("dynamic.json").toStdString();
        {
            DynamicBrokerConfigs configs(path);
            QVERIFY(configs.load());  // no file yet: nothing dynamic
            QVERIFY(configs.current(Level::Broker).empty());
            QVERIFY(configs.replace(Level::Broker, {{"log.retention.ms", "1000"}}));
            QVERIFY(configs.replace(Level::ClusterDefault,
                                    {{"log.retention.ms", "2000"}, {"log.segment.bytes", "2097152"}}));
        }
        QVERIFY(!QFileInfo::exists(dir.filePath("dynamic.json.tmp")));
        DynamicBrokerConfigs again(path);
        QVERIFY(again.load());
        QCOMPARE(again.current(Level::Broker), (std::map<std::string, std::string>{{"log.retention.ms", "1000"}}));
        QCOMPARE(again.current(Level::ClusterDefault).at("log.segment.bytes"), std::string("2097152"));
        // This broker's value beats the default, which beats server.properties.
        auto effective =
            again.effective({{"log.segment.bytes", "4096000"}, {"log.retention.hours", "1"}, {"node.id", "1"}});
        QCOMPARE(effective.at("log.retention.ms"), std::string("1000"));
        QCOMPARE(effective.at("log.segment.bytes"), std::string("2097152"));
        QCOMPARE(effective.at("node.id"), std::string("1"));
    }

    void aCorruptFileIsAnErrorNamingIt() {
        QTemporaryDir dir;
        const QString path = dir.filePath("dynamic.json");
        writeFile(path, "{\"broker\": {\"log.retention.ms\": ");
        DynamicBrokerConfigs configs(path.toStdString());
        Status st = configs.load();
        QVERIFY(!st);
        QVERIFY2(st.error().message.find(path.toStdString()) != std::string::npos, st.error().message.c_str());
        QVERIFY2(st.error().message.find("corrupt") != std::string::npos, st.error().message.c_str());
        QVERIFY(configs.current(Level::Broker).empty());

        // Well-formed but holding what could never have been stored: refused the same way.
        writeFile(path, "{\"broker\": {\"listeners\": \"PLAINTEXT://:1\"}}");
        st = configs.load();
        QVERIFY(!st);
        QVERIFY2(st.error().message.find("listeners") != std::string::npos, st.error().message.c_str());
        writeFile(path, "{\"clusterDefault\": {\"log.retention.ms\": 5}}");
        QVERIFY(!configs.load());
    }

    void checksWordedAsKafka() {
        auto refusal = DynamicBrokerConfigs::check(Level::Broker, {{"log.dirs", "/elsewhere"}, {"node.id", "2"}});
        QVERIFY(refusal);
        QVERIFY(refusal->invalidRequest);
        QCOMPARE(refusal->message, std::string("Cannot update these configs dynamically: Set(log.dirs, node.id)"));

        refusal = DynamicBrokerConfigs::check(Level::Broker, {{"log.retention.ms", "soon"}});
        QVERIFY(refusal);
        QVERIFY(!refusal->invalidRequest);
        QVERIFY2(refusal->message.find("log.retention.ms") != std::string::npos, refusal->message.c_str());

        refusal = DynamicBrokerConfigs::check(Level::ClusterDefault, {{"log.segment.bytes", "1"}});
        QVERIFY(refusal);
        QVERIFY(!refusal->invalidRequest);
        QVERIFY2(refusal->message.find("log.segment.bytes") != std::string::npos, refusal->message.c_str());

        refusal = DynamicBrokerConfigs::check(Level::Broker, {{"log.retention.mss", "1"}});
        QVERIFY(refusal);
        QVERIFY(!refusal->invalidRequest);
        QVERIFY2(refusal->message.find("log.retention.mss") != std::string::npos, refusal->message.c_str());

        QVERIFY(!DynamicBrokerConfigs::check(
            Level::ClusterDefault,
            {{"log.retention.ms", "1000"}, {"message.max.bytes", "2000"}, {"log.cleanup.policy", "compact,delete"}}));
        QVERIFY(DynamicBrokerConfigs::isDynamic("compression.type"));
        QVERIFY(!DynamicBrokerConfigs::isDynamic("log.retention.hours"));  // read-only in Kafka too
        QVERIFY(!DynamicBrokerConfigs::isDynamic("num.io.threads"));       // Kafka's is live, partitad's is not
    }

    void peerClientsChangeABrokerAtRuntime() {
        if (!haveConfluent()) QSKIP("/usr/bin/python3 cannot import confluent_kafka (Debian python3-confluent-kafka)");
        QTemporaryDir dir;
        PartitadProcess broker(dir.path());
        QVERIFY(broker.start());
        const QString bs = broker.bootstrap();
        QCOMPARE(peer({"create", bs, "plain"})["ok"].toBool(), true);

        // Before: the topic follows Kafka's default retention.
        QJsonObject retention = describeEntry(bs, "topic", "plain", "retention.ms");
        QCOMPARE(retention["value"].toString(), QString("604800000"));
        QCOMPARE(retention["source"].toInt(), kDefault);

        // The cluster-wide default, then this broker's own value on top.
        auto socket = connectTo(broker);
        QCOMPARE(replaceDefaults(*socket, {{"log.retention.ms", "7200000"}}), int16_t(0));
        retention = describeEntry(bs, "broker", "1", "log.retention.ms");
        QCOMPARE(retention["value"].toString(), QString("7200000"));
        QCOMPARE(retention["source"].toInt(), kDynamicDefault);
        QCOMPARE(retention["read_only"].toBool(), false);
        QCOMPARE(peer({"alter", bs, "broker", "1", "apply", "log.retention.ms=3600000", "message.max.bytes=2000"})["ok"]
                     .toBool(),
                 true);
        retention = describeEntry(bs, "broker", "1", "log.retention.ms");
        QCOMPARE(retention["value"].toString(), QString("3600000"));
        QCOMPARE(retention["source"].toInt(), kDynamicBroker);
        // Synonyms in Kafka's order (confluent-kafka keys them by name, which folds the two log.retention.ms).
        using Synonyms = std::vector<std::tuple<std::string, std::string, int>>;
        QCOMPARE(synonymsOf(*socket, "1", "log.retention.ms"),
                 (Synonyms{{"log.retention.ms", "3600000", kDynamicBroker},
                           {"log.retention.ms", "7200000", kDynamicDefault},
                           {"log.retention.hours", "168", kDefault}}));
        QCOMPARE(describeEntry(bs, "broker", "1", "listeners")["read_only"].toBool(), true);

        // The defaults resource lists the defaults only.
        using Entries = std::map<std::string, std::pair<std::string, int>>;
        QCOMPARE(describeDefaults(*socket), (Entries{{"log.retention.ms", {"7200000", kDynamicDefault}}}));

        // A topic without an override follows at once: it reports and enforces the new broker values.
        retention = describeEntry(bs, "topic", "plain", "retention.ms");
        QCOMPARE(retention["value"].toString(), QString("3600000"));
        QCOMPARE(retention["source"].toInt(), kDynamicBroker);
        QCOMPARE(describeEntry(bs, "topic", "plain", "max.message.bytes")["value"].toString(), QString("2000"));
        QCOMPARE(peer({"produce", bs, "plain", "5000"})["code"].toString(), QString("MSG_SIZE_TOO_LARGE"));

        // Refusals, each leaving the stored set alone.
        QJsonObject refused = peer({"alter", bs, "broker", "1", "apply", "listeners=PLAINTEXT://:9999"});
        QCOMPARE(refused["code"].toString(), QString("INVALID_REQUEST"));
        QVERIFY2(refused["error"].toString().contains("Cannot update these configs dynamically: Set(listeners)"),
                 qPrintable(refused["error"].toString()));
        refused = peer({"alter", bs, "broker", "1", "apply", "log.retention.ms=soon"});
        QCOMPARE(refused["code"].toString(), QString("INVALID_CONFIG"));
        QVERIFY2(refused["error"].toString().contains("log.retention.ms"), qPrintable(refused["error"].toString()));
        // Another broker's id (raw: librdkafka would send it to broker 2, which does not exist).
        using Op = protocol::IncrementalAlterConfigsRequest::AlterableConfig;
        QCOMPARE(incremental(*socket, "2", {Op{"log.retention.ms", 0, std::string("1"), {}}}).first,
                 int16_t(42));  // INVALID_REQUEST
        QCOMPARE(peer({"alter", bs, "broker", "1", "validate", "log.retention.ms=1000"})["ok"].toBool(), true);
        QCOMPARE(describeEntry(bs, "broker", "1", "log.retention.ms")["value"].toString(), QString("3600000"));

        // Stored in the data directory: a restart brings everything back.
        QVERIFY(QFileInfo::exists(dynamicFile(dir)));
        QVERIFY(broker.restart());
        QCOMPARE(describeEntry(bs, "broker", "1", "log.retention.ms")["value"].toString(), QString("3600000"));
        socket = connectTo(broker);
        QCOMPARE(describeDefaults(*socket), (Entries{{"log.retention.ms", {"7200000", kDynamicDefault}}}));
        QCOMPARE(describeEntry(bs, "topic", "plain", "retention.ms")["source"].toInt(), kDynamicBroker);
        QCOMPARE(peer({"produce", bs, "plain", "5000"})["code"].toString(), QString("MSG_SIZE_TOO_LARGE"));

        // IncrementalAlterConfigs: APPEND to a list, DELETE back to the level below.
        auto [code, message] = incremental(*socket, "", {Op{"log.cleanup.policy", 2, std::string("compact"), {}}});
        QCOMPARE(code, int16_t(0));
        QCOMPARE(describeDefaults(*socket).at("log.cleanup.policy").first, std::string("delete,compact"));
        const QJsonObject policy = describeEntry(bs, "topic", "plain", "cleanup.policy");
        QCOMPARE(policy["source"].toInt(), kDynamicDefault);
        const QStringList items = policy["value"].toString().split(',');
        QCOMPARE(QSet<QString>(items.begin(), items.end()), (QSet<QString>{"delete", "compact"}));
        std::tie(code, message) = incremental(*socket, "1", {Op{"log.dirs", 0, std::string("/elsewhere"), {}}});
        QCOMPARE(code, int16_t(42));  // INVALID_REQUEST
        QVERIFY2(message.find("Cannot update these configs dynamically: Set(log.dirs)") != std::string::npos,
                 message.c_str());
        std::tie(code, message) = incremental(
            *socket, "1", {Op{"log.retention.ms", 1, std::nullopt, {}}, Op{"message.max.bytes", 1, std::nullopt, {}}});
        QCOMPARE(code, int16_t(0));
        retention = describeEntry(bs, "topic", "plain", "retention.ms");
        QCOMPARE(retention["value"].toString(), QString("7200000"));
        QCOMPARE(retention["source"].toInt(), kDynamicDefault);
        const QJsonObject maxBytes = describeEntry(bs, "broker", "1", "message.max.bytes");
        QCOMPARE(maxBytes["value"].toString(), QString("1048588"));
        QCOMPARE(maxBytes["source"].toInt(), kDefault);
        QCOMPARE(peer({"produce", bs, "plain", "5000"})["ok"].toBool(), true);

        // Legacy AlterConfigs replaces the whole set: an empty one removes every default.
        QCOMPARE(replaceDefaults(*socket, {}), int16_t(0));
        QVERIFY(describeDefaults(*socket).empty());
        retention = describeEntry(bs, "topic", "plain", "retention.ms");
        QCOMPARE(retention["value"].toString(), QString("604800000"));
        QCOMPARE(retention["source"].toInt(), kDefault);
        QCOMPARE(describeEntry(bs, "broker", "1", "log.segment.bytes")["source"].toInt(), kDefault);
        QCOMPARE(broker.stop(), 0);
    }

    void aCorruptFileIsReportedAtStart() {
        QTemporaryDir dir;
        writeFile(dynamicFile(dir), "{ this is not json");
        PartitadProcess broker(dir.path());
        QVERIFY(broker.start({"log.segment.bytes=2097152"}));
        QVERIFY2(broker.output().contains("corrupt"), qPrintable(broker.output()));
        QVERIFY2(broker.output().contains(dynamicFile(dir)), qPrintable(broker.output()));
        // The broker runs on server.properties; the file is kept aside, not lost.
        QVERIFY(QFileInfo::exists(dynamicFile(dir) + ".corrupt"));
        if (haveConfluent()) {
            const QJsonObject segment = describeEntry(broker.bootstrap(), "broker", "1", "log.segment.bytes");
            QCOMPARE(segment["value"].toString(), QString("2097152"));
            QCOMPARE(segment["source"].toInt(), kStatic);
        }
        QCOMPARE(broker.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDynamicBrokerConfigs)
#include "dynamicbrokerconfigs_test.moc"
