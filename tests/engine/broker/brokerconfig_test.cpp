// partitad configuration: .properties parsing, Kafka's broker config table and checks, meta.properties.
#include <QtTest>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "engine/broker/brokerconfig.h"
#include "engine/broker/metaproperties.h"
#include "engine/protocol/propertiesfile.h"

using namespace partita;
using namespace partita::broker;

namespace {

using Props = std::map<std::string, std::string>;

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// The smallest config partitad accepts, plus `extra`.
Props minimal(Props extra = {}) {
    Props props{{"node.id", "1"}, {"listeners", "PLAINTEXT://localhost:9092"}, {"log.dirs", "/tmp/partita-test"}};
    for (auto& [key, value] : extra) props[key] = value;
    return props;
}

std::string errorOf(const Result<BrokerConfig>& result) {
    return result.ok() ? std::string("<ok>") : result.error().message;
}

std::string tempDir(const char* name) {
    auto dir =
        std::filesystem::temp_directory_path() / ("partita-brokerconfig-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

}  // namespace

class BrokerConfigTest : public QObject {
    Q_OBJECT

private slots:
    void propertiesSeparatorsAndComments() {
        auto parsed = protocol::parsePropertiesText(
            "# comment\n! also a comment\n\n   \na=1\nb:2\nc 3\n  d  =  4  \ne\tx\nf=\ng\nh = a=b:c\n"
            "a=override\n",
            "test");
        QVERIFY(parsed.ok());
        Props expected{{"a", "override"}, {"b", "2"}, {"c", "3"}, {"d", "4  "},
                       {"e", "x"},        {"f", ""},  {"g", ""},  {"h", "a=b:c"}};
        QCOMPARE(*parsed, expected);
    }

    void propertiesEscapesAndContinuations() {
        auto parsed = protocol::parsePropertiesText(
            "list=a,\\\n    b,\\\r\n\tc\nkey\\ with\\=sep=v\ntab=x\\ty\\nz\nuni=\\u00e9\\u20AC\npair=\\uD83D\\uDE00\n"
            "back=c:\\\\dir\nother=\\q\n# comment \\\nnot=continued\nend=trailing\\",
            "test");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->at("list"), std::string("a,b,c"));
        QCOMPARE(parsed->at("key with=sep"), std::string("v"));
        QCOMPARE(parsed->at("tab"), std::string("x\ty\nz"));
        QCOMPARE(parsed->at("uni"), std::string("\xC3\xA9\xE2\x82\xAC"));
        QCOMPARE(parsed->at("pair"), std::string("\xF0\x9F\x98\x80"));
        QCOMPARE(parsed->at("back"), std::string("c:\\dir"));
        QCOMPARE(parsed->at("other"), std::string("q"));
        QCOMPARE(parsed->at("not"), std::string("continued"));  // a comment's backslash continues nothing
        QCOMPARE(parsed->at("end"), std::string("trailing"));
    }

    void propertiesErrorsNameFileAndLine() {
        auto parsed = protocol::parsePropertiesText("a=1\n\nb=2\\\n  3\nc=\\u12G4\n", "server.properties");
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ErrorKind::Malformed);
        QVERIFY2(parsed.error().message.starts_with("server.properties:5: Malformed \\uxxxx encoding"),
                 parsed.error().message.c_str());

        auto missing = protocol::parsePropertiesFile("/nonexistent/partita/server.properties");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, ErrorKind::Io);
        QVERIFY(missing.error().message.find("/nonexistent/partita/server.properties") != std::string::npos);
    }

    void defaults() {
        auto config = makeBrokerConfig(minimal());
        QVERIFY2(config.ok(), errorOf(config).c_str());
        QCOMPARE(config->nodeId, 1);
        QCOMPARE(config->numNetworkThreads, 3);
        QCOMPARE(config->numIoThreads, 8);
        QCOMPARE(config->numPartitions, 1);
        QCOMPARE(config->defaultReplicationFactor, int16_t{1});
        QCOMPARE(config->messageMaxBytes, 1048588);
        QCOMPARE(config->socketRequestMaxBytes, 104857600);
        QCOMPARE(config->connectionsMaxIdleMs, int64_t{600000});
        QVERIFY(config->autoCreateTopicsEnable);
        QVERIFY(config->deleteTopicEnable);
        QCOMPARE(config->offsetsTopicReplicationFactor, int16_t{3});
        QCOMPARE(config->groupInitialRebalanceDelayMs, 3000);
        QCOMPARE(config->transactionStateLogMinIsr, 2);
        QCOMPARE(config->logDir, std::string("/tmp/partita-test"));
        QCOMPARE(config->logManagerConfig.dataDir, std::string("/tmp/partita-test"));
        QCOMPARE(config->logManagerConfig.retentionCheckIntervalMs, int64_t{300000});
        QCOMPARE(config->defaultLogConfig, storage::LogConfig{});
        QCOMPARE(config->interBrokerListenerName, std::string("PLAINTEXT"));

        Props noDirs = minimal();
        noDirs.erase("log.dirs");
        auto fallback = makeBrokerConfig(noDirs);
        QVERIFY(fallback.ok());
        QCOMPARE(fallback->logDir, std::string("/tmp/kraft-combined-logs"));
        auto viaLogDir = makeBrokerConfig(Props{{"node.id", "1"}, {"log.dir", "/data/a"}});
        QVERIFY(viaLogDir.ok());
        QCOMPARE(viaLogDir->logDir, std::string("/data/a"));
        auto firstOfMany = makeBrokerConfig(minimal({{"log.dirs", " /d1 , /d2"}, {"log.dir", "/ignored"}}));
        QVERIFY(firstOfMany.ok());
        QCOMPARE(firstOfMany->logDir, std::string("/d1"));
        QCOMPARE(firstOfMany->logDirs, (std::vector<std::string>{"/d1", "/d2"}));
    }

    void nodeIdAndBrokerId() {
        Props props = minimal();
        props.erase("node.id");
        QVERIFY(errorOf(makeBrokerConfig(props)).find("node.id") != std::string::npos);
        props["broker.id"] = "7";
        auto viaBrokerId = makeBrokerConfig(props);
        QVERIFY(viaBrokerId.ok());
        QCOMPARE(viaBrokerId->nodeId, 7);
        props["node.id"] = "8";
        std::string mismatch = errorOf(makeBrokerConfig(props));
        QVERIFY2(mismatch.find("node.id=8") != std::string::npos && mismatch.find("broker.id=7") != std::string::npos,
                 mismatch.c_str());
        QVERIFY(!makeBrokerConfig(minimal({{"node.id", "-1"}})).ok());
    }

    void unknownKeysRejected() {
        auto result = makeBrokerConfig(minimal({{"num.partitons", "3"}}));
        QCOMPARE(errorOf(result), std::string("Unknown broker config: num.partitons"));
        QCOMPARE(result.error().kind, ErrorKind::InvalidArgument);
        QVERIFY(!validateBrokerConfigValue("foo", "1").ok());
        QCOMPARE(validateBrokerConfigValue("foo", "1").error().message, std::string("Unknown broker config: foo"));

        // Listener-scoped, config-provider and remote-storage plugin keys are accepted as Kafka reads them.
        auto scoped = makeBrokerConfig(
            minimal({{"listener.name.plaintext.ssl.keystore.location", "/k.jks"},
                     {"listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", "x required;"},
                     {"config.providers", "file"},
                     {"config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider"},
                     {"rsm.config.bucket", "b"}}));
        QVERIFY2(scoped.ok(), errorOf(scoped).c_str());
        QVERIFY(!makeBrokerConfig(minimal({{"listener.name.plaintext.nope", "1"}})).ok());
        QCOMPARE(errorOf(makeBrokerConfig(minimal({{"listener.name.plaintext.max.connections", "x"}}))),
                 std::string("Invalid value x for configuration listener.name.plaintext.max.connections: Not a "
                             "number of type INT"));
    }

    void typeValidation() {
        struct Case {
            std::string key, value, message;
        };
        const std::vector<Case> cases{
            {"num.partitions", "abc", "Invalid value abc for configuration num.partitions: Not a number of type INT"},
            {"num.partitions", "0", "Invalid value 0 for configuration num.partitions: Value must be at least 1"},
            {"num.partitions", "2147483648",
             "Invalid value 2147483648 for configuration num.partitions: Not a number of type INT"},
            {"connections.max.idle.ms", "1.5",
             "Invalid value 1.5 for configuration connections.max.idle.ms: Not a number of type LONG"},
            {"offsets.topic.replication.factor", "40000",
             "Invalid value 40000 for configuration offsets.topic.replication.factor: Not a number of type SHORT"},
            {"auto.create.topics.enable", "yes",
             "Invalid value yes for configuration auto.create.topics.enable: Expected value to be either true or "
             "false"},
            {"log.cleaner.min.cleanable.ratio", "x",
             "Invalid value x for configuration log.cleaner.min.cleanable.ratio: Not a number of type DOUBLE"},
            {"log.cleaner.min.cleanable.ratio", "1.5",
             "Invalid value 1.5 for configuration log.cleaner.min.cleanable.ratio: Value must be no more than 1"},
            {"process.roles", "broker,router",
             "Invalid value router for configuration process.roles: String must be one of: broker, controller"},
            {"log.cleanup.policy", "delete,archive",
             "Invalid value archive for configuration log.cleanup.policy: String must be one of: compact, delete"},
            {"ssl.client.auth", "maybe",
             "Invalid value maybe for configuration ssl.client.auth: String must be one of: required, requested, "
             "none"},
            {"compression.type", "brotli",
             "Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, "
             "lz4, snappy, gzip, producer"},
            {"inter.broker.protocol.version", "9.9",
             "Invalid value 9.9 for configuration inter.broker.protocol.version: Version 9.9 is not a valid version"},
            {"compression.gzip.level", "12",
             "Invalid value 12 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to "
             "-1"},
            {"remote.log.storage.manager.class.name", "",
             "Invalid value  for configuration remote.log.storage.manager.class.name: String must be non-empty"},
        };
        for (const Case& c : cases) {
            Status status = validateBrokerConfigValue(c.key, c.value);
            QVERIFY2(!status.ok(), c.key.c_str());
            QCOMPARE(qs(status.error().message), qs(c.message));
            QCOMPARE(status.error().kind, ErrorKind::InvalidArgument);
            QCOMPARE(qs(errorOf(makeBrokerConfig(minimal({{c.key, c.value}})))), qs(c.message));
        }
        for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
                 {"num.partitions", " +3 "},
                 {"auto.create.topics.enable", "FALSE"},
                 {"log.cleaner.min.cleanable.ratio", "0.25"},
                 {"inter.broker.protocol.version", "3.7"},
                 {"inter.broker.protocol.version", "3.6-IV2"},
                 {"compression.gzip.level", "-1"},
                 {"log.message.format.version", "2.8"},
                 {"sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256"},
                 {"controller.quorum.voters", "1@localhost:9093,2@[::1]:9094"},
                 {"ssl.keystore.password", "secret"},
             })
            QVERIFY2(validateBrokerConfigValue(key, value).ok(), key.c_str());
        // Rules that logconfig applies to broker-level topic defaults hold here too.
        QVERIFY(!validateBrokerConfigValue("log.retention.hours", "0").ok());
        QVERIFY(!validateBrokerConfigValue("log.message.format.version", "9.9").ok());
        QVERIFY(!validateBrokerConfigValue("controller.quorum.voters", "1@localhost").ok());
        QVERIFY(!validateBrokerConfigValue("listeners", "PLAINTEXT:/localhost:9092").ok());
    }

    void configTable() {
        auto defs = brokerConfigDefs();
        QVERIFY(defs.size() > 280);
        for (size_t i = 1; i < defs.size(); ++i) QVERIFY(defs[i - 1].name < defs[i].name);
        for (std::string_view name :
             {"process.roles", "controller.quorum.voters", "controller.listener.names", "node.id", "broker.id",
              "zookeeper.connect", "socket.send.buffer.bytes", "num.replica.fetchers", "offsets.retention.minutes",
              "transaction.max.timeout.ms", "group.max.size", "replica.lag.time.max.ms", "ssl.truststore.location",
              "sasl.jaas.config", "quota.window.num", "metric.reporters"})
            QVERIFY2(findBrokerConfig(name) != nullptr, std::string(name).c_str());
        // Every broker-level source of a topic default is a broker config of the same type.
        for (const storage::TopicConfigDef& topic : storage::topicConfigDefs()) {
            if (topic.brokerName.empty()) continue;
            const BrokerConfigDef* def = findBrokerConfig(topic.brokerName);
            QVERIFY2(def != nullptr, std::string(topic.brokerName).c_str());
            QCOMPARE(def->type, topic.type);
        }
        const BrokerConfigDef* password = findBrokerConfig("ssl.keystore.password");
        QVERIFY(password->sensitive);
        QCOMPARE(password->type, storage::ConfigType::Password);
        QCOMPARE(password->update, BrokerConfigDef::Update::PerBroker);
        QCOMPARE(findBrokerConfig("log.retention.ms")->update, BrokerConfigDef::Update::ClusterWide);
        QCOMPARE(findBrokerConfig("num.partitions")->update, BrokerConfigDef::Update::ReadOnly);
        QVERIFY(findBrokerConfig("offsets.topic.replication.factor")->isShort);
        QVERIFY(!findBrokerConfig("log.retention.ms")->hasDefault);
        QCOMPARE(findBrokerConfig("message.max.bytes")->defaultValue, std::string_view("1048588"));
    }

    void listeners() {
        auto config = makeBrokerConfig(
            minimal({{"listeners", "plaintext://:9092,SSL://127.0.0.1:9093,INTERNAL://[::1]:9094"},
                     {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,internal:sasl_plaintext"}}));
        QVERIFY2(config.ok(), errorOf(config).c_str());
        QCOMPARE(config->listeners.size(), size_t{3});
        QCOMPARE(config->listeners[0], (Listener{"PLAINTEXT", "PLAINTEXT", "", 9092}));
        QCOMPARE(config->listeners[1], (Listener{"SSL", "SSL", "127.0.0.1", 9093}));
        QCOMPARE(config->listeners[2], (Listener{"INTERNAL", "SASL_PLAINTEXT", "::1", 9094}));
        QVERIFY(!config->advertisedListeners[0].host.empty());  // advertised as the host name
        QCOMPARE(config->advertisedListeners[1].host, std::string("127.0.0.1"));

        const std::vector<std::pair<std::string, std::string>> bad{
            {"localhost:9092", "Unable to parse localhost:9092"},
            {"PLAINTEXT://localhost", "Unable to parse"},
            {"PLAINTEXT://localhost:99999", "is not in [0,...,65535]"},
            {"PLAINTEXT://local host:9092", "Unable to parse"},
            {"CLIENT://localhost:9092", "No security protocol defined for listener CLIENT"},
            {"PLAINTEXT://a:9092,PLAINTEXT://b:9093", "Each listener must have a different name"},
            {"PLAINTEXT://a:9092,SSL://b:9092", "Each listener must have a different port"},
        };
        for (const auto& [value, expected] : bad) {
            std::string message = errorOf(makeBrokerConfig(minimal({{"listeners", value}})));
            QVERIFY2(message.find(expected) != std::string::npos, (value + " -> " + message).c_str());
        }
        // Two listeners may share a port when one is on IPv4 and the other on IPv6.
        QVERIFY(makeBrokerConfig(minimal({{"listeners", "PLAINTEXT://127.0.0.1:9092,SSL://[::1]:9092"}})).ok());
        QVERIFY(!makeBrokerConfig(minimal({{"listener.security.protocol.map", "PLAINTEXT:TLS"}})).ok());
    }

    void advertisedListeners() {
        auto defaulted = makeBrokerConfig(minimal({{"listeners", "PLAINTEXT://0.0.0.0:9092"}}));
        QVERIFY2(defaulted.ok(), errorOf(defaulted).c_str());
        QCOMPARE(defaulted->listeners[0].host, std::string("0.0.0.0"));
        QVERIFY(defaulted->advertisedListeners[0].host != "0.0.0.0");
        QVERIFY(!defaulted->advertisedListeners[0].host.empty());

        auto explicitAd = makeBrokerConfig(minimal(
            {{"listeners", "PLAINTEXT://:9092"}, {"advertised.listeners", "PLAINTEXT://broker.example:19092"}}));
        QVERIFY(explicitAd.ok());
        QCOMPARE(explicitAd->advertisedListeners,
                 (std::vector<Listener>{{"PLAINTEXT", "PLAINTEXT", "broker.example", 19092}}));

        QVERIFY(errorOf(makeBrokerConfig(minimal({{"advertised.listeners", "PLAINTEXT://0.0.0.0:9092"}})))
                    .find("0.0.0.0") != std::string::npos);
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"advertised.listeners", "SSL://host:9093"}}))).find("subset") !=
                std::string::npos);

        // KRaft combined node: the controller listener is not advertised, and is PLAINTEXT without a map.
        auto kraft = makeBrokerConfig(minimal({{"process.roles", "broker,controller"},
                                               {"listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093"},
                                               {"controller.listener.names", "CONTROLLER"},
                                               {"controller.quorum.voters", "1@localhost:9093"}}));
        QVERIFY2(kraft.ok(), errorOf(kraft).c_str());
        QCOMPARE(kraft->listeners[1].securityProtocol, std::string("PLAINTEXT"));
        QCOMPARE(kraft->advertisedListeners.size(), size_t{1});
        QCOMPARE(kraft->advertisedListeners[0].name, std::string("PLAINTEXT"));
        QCOMPARE(kraft->controllerQuorumVoters.at(1), std::string("localhost:9093"));

        // Kafka's KRaft rules.
        auto notVoter =
            makeBrokerConfig(minimal({{"process.roles", "broker,controller"},
                                      {"listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093"},
                                      {"controller.listener.names", "CONTROLLER"},
                                      {"controller.quorum.voters", "2@localhost:9093"}}));
        QVERIFY(errorOf(notVoter).find("must be included in the set of voters") != std::string::npos);
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"process.roles", "broker"}}))).find("controller.quorum.voters") !=
                std::string::npos);
        QVERIFY(!makeBrokerConfig(minimal({{"process.roles", "broker,broker"}})).ok());
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"inter.broker.listener.name", "PLAINTEXT"},
                                                  {"security.inter.broker.protocol", "PLAINTEXT"}})))
                    .find("Only one of") != std::string::npos);
    }

    void crossChecks() {
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"replica.fetch.wait.max.ms", "40000"}}))).find("replica.") !=
                std::string::npos);
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"offsets.commit.required.acks", "5"}})))
                    .find("offsets.commit.required.acks") != std::string::npos);
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"queued.max.request.bytes", "1000"}})))
                    .find("queued.max.request.bytes") != std::string::npos);
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"log.cleaner.dedupe.buffer.size", "1000"}})))
                    .find("1MB per cleaner thread") != std::string::npos);
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"max.connections.per.ip", "0"}})))
                    .find("max.connections.per.ip.overrides") != std::string::npos);
        QVERIFY(makeBrokerConfig(
                    minimal({{"max.connections.per.ip", "0"}, {"max.connections.per.ip.overrides", "127.0.0.1:5"}}))
                    .ok());
        QVERIFY(errorOf(makeBrokerConfig(minimal({{"group.consumer.session.timeout.ms", "1000"}})))
                    .find("group.consumer.session.timeout.ms") != std::string::npos);
    }

    void logSettingsFlowIntoLogConfig() {
        auto config = makeBrokerConfig(minimal({{"log.retention.hours", "1"},
                                                {"log.segment.bytes", "1048576"},
                                                {"log.cleanup.policy", "compact"},
                                                {"log.roll.ms", "60000"},
                                                {"message.max.bytes", "2000000"},
                                                {"log.cleaner.enable", "false"},
                                                {"log.cleaner.backoff.ms", "500"},
                                                {"log.flush.offset.checkpoint.interval.ms", "1000"},
                                                {"log.retention.check.interval.ms", "2000"}}));
        QVERIFY2(config.ok(), errorOf(config).c_str());
        QCOMPARE(config->defaultLogConfig.retentionMs, int64_t{3600000});
        QCOMPARE(config->defaultLogConfig.segmentBytes, 1048576);
        QVERIFY(config->defaultLogConfig.compactEnabled);
        QVERIFY(!config->defaultLogConfig.deleteEnabled);
        QCOMPARE(config->defaultLogConfig.segmentMs, int64_t{60000});
        QCOMPARE(config->defaultLogConfig.maxMessageBytes, 2000000);
        QCOMPARE(config->messageMaxBytes, 2000000);
        QVERIFY(!config->logManagerConfig.cleanerEnable);
        QCOMPARE(config->logManagerConfig.cleanerBackoffMs, int64_t{500});
        QCOMPARE(config->logManagerConfig.flushOffsetCheckpointIntervalMs, int64_t{1000});
        QCOMPARE(config->logManagerConfig.retentionCheckIntervalMs, int64_t{2000});
        // log.retention.ms wins over the hours.
        auto ms = makeBrokerConfig(minimal({{"log.retention.hours", "1"}, {"log.retention.ms", "5000"}}));
        QVERIFY(ms.ok());
        QCOMPARE(ms->defaultLogConfig.retentionMs, int64_t{5000});
    }

    void describeValues() {
        auto config = makeBrokerConfig(minimal({{"num.partitions", " +3"},
                                                {"auto.create.topics.enable", "FALSE"},
                                                {"log.cleaner.min.cleanable.ratio", "0.50"},
                                                {"sasl.enabled.mechanisms", "PLAIN , SCRAM-SHA-256"},
                                                {"ssl.keystore.password", "secret"}}));
        QVERIFY2(config.ok(), errorOf(config).c_str());
        QCOMPARE(brokerConfigValue(*config, "num.partitions"), std::optional<std::string>("3"));
        QCOMPARE(brokerConfigValue(*config, "auto.create.topics.enable"), std::optional<std::string>("false"));
        QCOMPARE(brokerConfigValue(*config, "log.cleaner.min.cleanable.ratio"), std::optional<std::string>("0.5"));
        QCOMPARE(brokerConfigValue(*config, "sasl.enabled.mechanisms"),
                 std::optional<std::string>("PLAIN,SCRAM-SHA-256"));
        QCOMPARE(brokerConfigValue(*config, "ssl.keystore.password"), std::nullopt);
        QCOMPARE(brokerConfigValue(*config, "broker.id"), std::optional<std::string>("1"));
        QCOMPARE(brokerConfigValue(*config, "log.retention.hours"), std::optional<std::string>("168"));
        QCOMPARE(brokerConfigValue(*config, "log.retention.ms"), std::nullopt);  // Kafka's default is null
        QCOMPARE(brokerConfigValue(*config, "message.max.bytes"), std::optional<std::string>("1048588"));
        QCOMPARE(brokerConfigValue(*config, "no.such.key"), std::nullopt);
    }

    void overridesWin() {
        std::string dir = tempDir("overrides");
        std::string path = dir + "/server.properties";
        writeText(path,
                  "node.id=1\nlisteners=PLAINTEXT://localhost:9092\nlog.dirs=" + dir + "/data\nnum.partitions=2\n");
        auto config = loadBrokerConfig(path, {"num.partitions=6", "log.retention.ms=1000", "num.partitions=4"});
        QVERIFY2(config.ok(), errorOf(config).c_str());
        QCOMPARE(config->numPartitions, 4);
        QCOMPARE(config->values.at("num.partitions"), std::string("4"));
        QCOMPARE(config->defaultLogConfig.retentionMs, int64_t{1000});
        QVERIFY(!loadBrokerConfig(path, {"novalue"}).ok());
        QCOMPARE(errorOf(loadBrokerConfig(path, {"typo.key=1"})), std::string("Unknown broker config: typo.key"));
        std::filesystem::remove_all(dir);
    }

    void metaPropertiesCreateReloadMismatch() {
        std::string dir = tempDir("meta") + "/logs";
        auto created = loadOrCreateMetaProperties(dir, 3);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        QVERIFY(created->created);
        QCOMPARE(created->nodeId, 3);
        QCOMPARE(created->version, 1);
        QCOMPARE(created->clusterId.size(), size_t{22});
        QCOMPARE(created->directoryId.size(), size_t{22});
        QVERIFY(created->clusterId != std::string(22, 'A'));
        QVERIFY(!std::filesystem::exists(dir + "/meta.properties.tmp"));

        auto stored = protocol::parsePropertiesFile(dir + "/meta.properties");
        QVERIFY(stored.ok());
        QCOMPARE(stored->at("version"), std::string("1"));
        QCOMPARE(stored->at("node.id"), std::string("3"));
        QCOMPARE(stored->at("cluster.id"), created->clusterId);

        auto reloaded = loadOrCreateMetaProperties(dir, 3);
        QVERIFY(reloaded.ok());
        QVERIFY(!reloaded->created);
        QCOMPARE(reloaded->clusterId, created->clusterId);
        QCOMPARE(reloaded->directoryId, created->directoryId);

        auto mismatch = loadOrCreateMetaProperties(dir, 4);
        QVERIFY(!mismatch.ok());
        QVERIFY(mismatch.error().message.find("3") != std::string::npos);
        QVERIFY(mismatch.error().message.find("4") != std::string::npos);

        // A Kafka 3.6 directory without directory.id gains one and keeps its cluster id.
        writeText(dir + "/meta.properties", "#\nversion=1\ncluster.id=abcdefghijklmnopqrstuv\nnode.id=3\n");
        auto upgraded = loadOrCreateMetaProperties(dir, 3);
        QVERIFY(upgraded.ok());
        QCOMPARE(upgraded->clusterId, std::string("abcdefghijklmnopqrstuv"));
        QCOMPARE(upgraded->directoryId.size(), size_t{22});
        QCOMPARE(protocol::parsePropertiesFile(dir + "/meta.properties")->at("directory.id"), upgraded->directoryId);

        writeText(dir + "/meta.properties", "version=7\n");
        QVERIFY(!loadOrCreateMetaProperties(dir, 3).ok());
        std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
    }

    void randomIds() {
        std::set<std::string> seen;
        for (int i = 0; i < 200; ++i) {
            std::string id = randomKafkaUuid();
            QCOMPARE(id.size(), size_t{22});
            QVERIFY(id.front() != '-');
            for (char c : id) QVERIFY(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
            seen.insert(id);
        }
        QCOMPARE(seen.size(), size_t{200});
    }

    void sampleServerPropertiesLoads() {
        const char* source = std::getenv("PARTITA_SOURCE_DIR");
        if (source == nullptr) QSKIP("PARTITA_SOURCE_DIR is not set (run through CTest)");
        auto config = loadBrokerConfig(std::string(source) + "/resources/server.properties", {});
        QVERIFY2(config.ok(), errorOf(config).c_str());
        QCOMPARE(config->nodeId, 1);
        QCOMPARE(config->listeners, (std::vector<Listener>{{"PLAINTEXT", "PLAINTEXT", "localhost", 9092}}));
        QCOMPARE(config->advertisedListeners, config->listeners);
        QCOMPARE(config->numPartitions, 1);
        QCOMPARE(config->offsetsTopicReplicationFactor, int16_t{1});
        QCOMPARE(config->defaultLogConfig.retentionMs, int64_t{604800000});
        QVERIFY(config->logDir.starts_with("/tmp/"));
    }
};

QTEST_APPLESS_MAIN(BrokerConfigTest)
#include "brokerconfig_test.moc"
