// Topic configs: Kafka's names, types, defaults and rules, broker-level defaults, cross-config rules, describe output.
#include <QtTest>

#include <map>
#include <string>
#include <vector>

#include "engine/storage/logconfig.h"

using namespace partita;
using namespace partita::storage;

namespace {

using Props = std::map<std::string, std::string>;

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

const Props kTieredStorageOn = {{"remote.log.storage.system.enable", "true"}};

// Valid, non-default values for every topic config, as a user would set them.
const std::map<std::string, std::vector<std::string>> kSamples = {
    {"cleanup.policy", {"compact", "compact,delete", "delete, compact", ""}},
    {"compression.gzip.level", {"9", "1"}},
    {"compression.lz4.level", {"17", "1"}},
    {"compression.type", {"zstd", "gzip", "lz4", "snappy", "uncompressed"}},
    {"compression.zstd.level", {"-5", "22"}},
    {"delete.retention.ms", {"0", "1000"}},
    {"file.delete.delay.ms", {"1000"}},
    {"flush.messages", {"1", "500"}},
    {"flush.ms", {"0", "1000"}},
    {"follower.replication.throttled.replicas", {"*", "0:1,1:2"}},
    {"index.interval.bytes", {"0", "8192"}},
    {"leader.replication.throttled.replicas", {"0:1", "*"}},
    {"local.retention.bytes", {"-1", "100"}},
    {"local.retention.ms", {"-1", "1000"}},
    {"max.compaction.lag.ms", {"1000", "1"}},
    {"max.message.bytes", {"0", "2147483647"}},
    {"message.downconversion.enable", {"false"}},
    {"message.format.version", {"2.8", "3.7-IV4"}},
    {"message.timestamp.after.max.ms", {"3600000", "0"}},
    {"message.timestamp.before.max.ms", {"0", "86400000"}},
    {"message.timestamp.difference.max.ms", {"1000"}},
    {"message.timestamp.type", {"LogAppendTime"}},
    {"min.cleanable.dirty.ratio", {"0.0001", "1", "0", "0.75"}},
    {"min.compaction.lag.ms", {"100"}},
    {"min.insync.replicas", {"2"}},
    {"preallocate", {"true"}},
    {"remote.storage.enable", {"true"}},
    {"retention.bytes", {"-5", "1000"}},
    {"retention.ms", {"-1", "0", "3600000"}},
    {"segment.bytes", {"14", "2147483647"}},
    {"segment.index.bytes", {"4"}},
    {"segment.jitter.ms", {"100"}},
    {"segment.ms", {"1", "3600000"}},
    {"unclean.leader.election.enable", {"true"}},
};

}  // namespace

class LogConfigTest : public QObject {
    Q_OBJECT

private slots:
    void listsExactlyKafkasTopicConfigs() {
        const std::vector<std::string_view> expected = {
            "cleanup.policy",
            "compression.gzip.level",
            "compression.lz4.level",
            "compression.type",
            "compression.zstd.level",
            "delete.retention.ms",
            "file.delete.delay.ms",
            "flush.messages",
            "flush.ms",
            "follower.replication.throttled.replicas",
            "index.interval.bytes",
            "leader.replication.throttled.replicas",
            "local.retention.bytes",
            "local.retention.ms",
            "max.compaction.lag.ms",
            "max.message.bytes",
            "message.downconversion.enable",
            "message.format.version",
            "message.timestamp.after.max.ms",
            "message.timestamp.before.max.ms",
            "message.timestamp.difference.max.ms",
            "message.timestamp.type",
            "min.cleanable.dirty.ratio",
            "min.compaction.lag.ms",
            "min.insync.replicas",
            "preallocate",
            "remote.storage.enable",
            "retention.bytes",
            "retention.ms",
            "segment.bytes",
            "segment.index.bytes",
            "segment.jitter.ms",
            "segment.ms",
            "unclean.leader.election.enable",
        };
        auto defs = topicConfigDefs();
        QCOMPARE(defs.size(), expected.size());
        for (size_t i = 0; i < defs.size(); ++i) {
            QCOMPARE(qs(defs[i].name), qs(expected[i]));
            QCOMPARE(findTopicConfig(defs[i].name), &defs[i]);
        }
        QCOMPARE(findTopicConfig("log.retention.ms"), nullptr);
        QCOMPARE(findTopicConfig(""), nullptr);
    }

    void typesDefaultsAndBrokerNamesAreKafkas() {
        struct Expect {
            std::string_view name;
            ConfigType type;
            std::string_view defaultValue;
            std::string_view brokerName;
            std::string_view validValues;
        };
        const std::vector<Expect> expected = {
            {"cleanup.policy", ConfigType::List, "delete", "log.cleanup.policy", "[compact, delete]"},
            {"compression.type", ConfigType::String, "producer", "compression.type",
             "[uncompressed, zstd, lz4, snappy, gzip, producer]"},
            {"delete.retention.ms", ConfigType::Long, "86400000", "log.cleaner.delete.retention.ms", "[0,...]"},
            {"file.delete.delay.ms", ConfigType::Long, "60000", "log.segment.delete.delay.ms", "[0,...]"},
            {"flush.ms", ConfigType::Long, "9223372036854775807", "log.flush.interval.ms", "[0,...]"},
            {"max.message.bytes", ConfigType::Int, "1048588", "message.max.bytes", "[0,...]"},
            {"min.cleanable.dirty.ratio", ConfigType::Double, "0.5", "log.cleaner.min.cleanable.ratio", "[0,...,1]"},
            {"remote.storage.enable", ConfigType::Boolean, "false", "", ""},
            {"retention.bytes", ConfigType::Long, "-1", "log.retention.bytes", ""},
            {"retention.ms", ConfigType::Long, "604800000", "log.retention.ms", "[-1,...]"},
            {"segment.bytes", ConfigType::Int, "1073741824", "log.segment.bytes", "[14,...]"},
            {"segment.index.bytes", ConfigType::Int, "10485760", "log.index.size.max.bytes", "[4,...]"},
            {"segment.ms", ConfigType::Long, "604800000", "log.roll.ms", "[1,...]"},
            {"leader.replication.throttled.replicas", ConfigType::List, "", "",
             "[partitionId]:[brokerId],[partitionId]:[brokerId],..."},
        };
        for (const Expect& e : expected) {
            const TopicConfigDef* def = findTopicConfig(e.name);
            QVERIFY2(def != nullptr, e.name.data());
            QCOMPARE(def->type, e.type);
            QCOMPARE(qs(def->defaultValue), qs(e.defaultValue));
            QCOMPARE(qs(def->brokerName), qs(e.brokerName));
            QCOMPARE(qs(def->validValues), qs(e.validValues));
        }
    }

    void everyDefaultValidatesAndMatchesTheStructDefaults() {
        const LogConfig defaults;
        for (const TopicConfigDef& def : topicConfigDefs()) {
            Status status = validateTopicConfig(def.name, def.defaultValue);
            QVERIFY2(status.ok(), status.ok() ? "" : status.error().message.c_str());
            auto printed = topicConfigValue(defaults, def.name);
            QVERIFY2(printed.has_value(), def.name.data());
            QCOMPARE(qs(*printed), qs(def.defaultValue));
        }
        auto made = makeLogConfig({});
        QVERIFY(made.ok());
        QVERIFY(*made == defaults);
        QVERIFY(!topicConfigValue(defaults, "no.such.config").has_value());
    }

    void configTypesUseKafkasNames() {
        QCOMPARE(QString(configTypeName(ConfigType::Boolean)), QString("BOOLEAN"));
        QCOMPARE(QString(configTypeName(ConfigType::String)), QString("STRING"));
        QCOMPARE(QString(configTypeName(ConfigType::Int)), QString("INT"));
        QCOMPARE(QString(configTypeName(ConfigType::Long)), QString("LONG"));
        QCOMPARE(QString(configTypeName(ConfigType::Double)), QString("DOUBLE"));
        QCOMPARE(QString(configTypeName(ConfigType::List)), QString("LIST"));
        QCOMPARE(QString(configTypeName(ConfigType::Password)), QString("PASSWORD"));
        QCOMPARE(QString(configTypeName(ConfigType::Class)), QString("CLASS"));
    }

    void valuesParseAndFailAsOnKafka_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("error");  // empty: accepted

        auto ok = [](const char* tag, const char* name, const char* value) {
            QTest::newRow(tag) << QString(name) << QString(value) << QString();
        };
        auto bad = [](const char* tag, const char* name, const char* value, const char* error) {
            QTest::newRow(tag) << QString(name) << QString(value) << QString(error);
        };

        // INT
        ok("int at minimum", "segment.bytes", "14");
        ok("int padded", "segment.bytes", " 1024\t");
        ok("int plus sign", "segment.bytes", "+1024");
        bad("int below minimum", "segment.bytes", "12",
            "Invalid value 12 for configuration segment.bytes: Value must be at least 14");
        bad("int minimum shows parsed value", "segment.bytes", " +012 ",
            "Invalid value 12 for configuration segment.bytes: Value must be at least 14");
        bad("int not a number", "segment.bytes", "1GB",
            "Invalid value 1GB for configuration segment.bytes: Not a number of type INT");
        bad("int overflow", "segment.bytes", "2147483648",
            "Invalid value 2147483648 for configuration segment.bytes: Not a number of type INT");
        bad("int empty", "max.message.bytes", "",
            "Invalid value  for configuration max.message.bytes: Not a number of type INT");
        bad("int decimal", "min.insync.replicas", "1.5",
            "Invalid value 1.5 for configuration min.insync.replicas: Not a number of type INT");
        bad("index bytes", "segment.index.bytes", "3",
            "Invalid value 3 for configuration segment.index.bytes: Value must be at least 4");
        bad("min isr", "min.insync.replicas", "0",
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1");
        // LONG
        ok("long max", "retention.ms", "9223372036854775807");
        ok("retention unlimited", "retention.ms", "-1");
        ok("retention bytes any negative", "retention.bytes", "-12345");
        bad("long overflow", "retention.ms", "9223372036854775808",
            "Invalid value 9223372036854775808 for configuration retention.ms: Not a number of type LONG");
        bad("long below minimum", "retention.ms", "-2",
            "Invalid value -2 for configuration retention.ms: Value must be at least -1");
        bad("long with unit", "retention.ms", "7d",
            "Invalid value 7d for configuration retention.ms: Not a number of type LONG");
        bad("max compaction lag", "max.compaction.lag.ms", "0",
            "Invalid value 0 for configuration max.compaction.lag.ms: Value must be at least 1");
        bad("flush messages", "flush.messages", "0",
            "Invalid value 0 for configuration flush.messages: Value must be at least 1");
        bad("segment ms", "segment.ms", "0", "Invalid value 0 for configuration segment.ms: Value must be at least 1");
        ok("local retention derived", "local.retention.ms", "-2");
        bad("local retention", "local.retention.bytes", "-3",
            "Invalid value -3 for configuration local.retention.bytes: Value must be at least -2");
        bad("timestamp before", "message.timestamp.before.max.ms", "-1",
            "Invalid value -1 for configuration message.timestamp.before.max.ms: Value must be at least 0");
        // Compression levels
        ok("gzip default level", "compression.gzip.level", "-1");
        bad("gzip zero", "compression.gzip.level", "0",
            "Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1");
        bad("gzip ten", "compression.gzip.level", "10",
            "Invalid value 10 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1");
        bad("lz4 above", "compression.lz4.level", "18",
            "Invalid value 18 for configuration compression.lz4.level: Value must be no more than 17");
        bad("lz4 below", "compression.lz4.level", "0",
            "Invalid value 0 for configuration compression.lz4.level: Value must be at least 1");
        ok("zstd fastest", "compression.zstd.level", "-131072");
        bad("zstd below", "compression.zstd.level", "-131073",
            "Invalid value -131073 for configuration compression.zstd.level: Value must be at least -131072");
        bad("zstd above", "compression.zstd.level", "23",
            "Invalid value 23 for configuration compression.zstd.level: Value must be no more than 22");
        // DOUBLE
        ok("double", "min.cleanable.dirty.ratio", "0.25");
        ok("double exponent", "min.cleanable.dirty.ratio", "1e-4");
        ok("double leading point", "min.cleanable.dirty.ratio", ".5");
        ok("double java suffix", "min.cleanable.dirty.ratio", "0.5d");
        bad("double above", "min.cleanable.dirty.ratio", "1.5",
            "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1");
        bad("double shown as java prints it", "min.cleanable.dirty.ratio", "2",
            "Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1");
        bad("double below", "min.cleanable.dirty.ratio", "-0.1",
            "Invalid value -0.1 for configuration min.cleanable.dirty.ratio: Value must be at least 0");
        bad("double huge", "min.cleanable.dirty.ratio", "1e999",
            "Invalid value Infinity for configuration min.cleanable.dirty.ratio: Value must be no more than 1");
        bad("double word", "min.cleanable.dirty.ratio", "half",
            "Invalid value half for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE");
        bad("double nan", "min.cleanable.dirty.ratio", "NaN",
            "Invalid value NaN for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE");
        bad("double comma decimal", "min.cleanable.dirty.ratio", "0,5",
            "Invalid value 0,5 for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE");
        // BOOLEAN
        ok("bool upper case", "preallocate", "TRUE");
        ok("bool mixed case padded", "unclean.leader.election.enable", " False ");
        bad("bool yes", "preallocate", "yes",
            "Invalid value yes for configuration preallocate: Expected value to be either true or false");
        bad("bool one", "remote.storage.enable", "1",
            "Invalid value 1 for configuration remote.storage.enable: Expected value to be either true or false");
        // STRING enums are case-sensitive on Kafka
        ok("compression padded", "compression.type", " zstd ");
        bad("compression upper case", "compression.type", "GZIP",
            "Invalid value GZIP for configuration compression.type: String must be one of: uncompressed, zstd, lz4, "
            "snappy, gzip, producer");
        bad("compression none", "compression.type", "none",
            "Invalid value none for configuration compression.type: String must be one of: uncompressed, zstd, lz4, "
            "snappy, gzip, producer");
        ok("timestamp type", "message.timestamp.type", "LogAppendTime");
        bad("timestamp type lower case", "message.timestamp.type", "logappendtime",
            "Invalid value logappendtime for configuration message.timestamp.type: String must be one of: CreateTime, "
            "LogAppendTime");
        // LIST
        ok("list both", "cleanup.policy", "compact, delete");
        ok("list spaced", "cleanup.policy", " delete ,compact ");
        ok("list empty", "cleanup.policy", "");
        bad("list bad element", "cleanup.policy", "compact,Delete",
            "Invalid value Delete for configuration cleanup.policy: String must be one of: compact, delete");
        bad("list trailing comma", "cleanup.policy", "compact,",
            "Invalid value  for configuration cleanup.policy: String must be one of: compact, delete");
        bad("list semicolons", "cleanup.policy", "compact;delete",
            "Invalid value compact;delete for configuration cleanup.policy: String must be one of: compact, delete");
        ok("throttled wildcard", "leader.replication.throttled.replicas", "*");
        ok("throttled pairs", "follower.replication.throttled.replicas", "0:101, 1:102");
        bad("throttled bad pair", "leader.replication.throttled.replicas", "0:1, x",
            "Invalid value [0:1, x] for configuration leader.replication.throttled.replicas: Value must be the "
            "literal '*' or a list of [partitionId]:[brokerId],[partitionId]:[brokerId],...");
        bad("throttled wildcard mixed", "follower.replication.throttled.replicas", "*,0:1",
            "Invalid value [*, 0:1] for configuration follower.replication.throttled.replicas: Value must be the "
            "literal '*' or a list of [partitionId]:[brokerId],[partitionId]:[brokerId],...");
        // message.format.version: Kafka's MetadataVersion strings
        ok("format release", "message.format.version", "2.8");
        ok("format full", "message.format.version", "3.7-IV4");
        ok("format patch release", "message.format.version", "0.10.2.1");
        ok("format unstable full", "message.format.version", "3.9-IV0");
        bad("format unknown", "message.format.version", "9.9",
            "Invalid value 9.9 for configuration message.format.version: Version 9.9 is not a valid version");
        bad("format unstable release", "message.format.version", "3.9",
            "Invalid value 3.9 for configuration message.format.version: Version 3.9 is not a valid version");
        // Names
        bad("unknown name", "foo", "1", "Unknown topic config name: foo");
        bad("broker name is not a topic name", "log.retention.ms", "1", "Unknown topic config name: log.retention.ms");
    }

    void valuesParseAndFailAsOnKafka() {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, error);
        Status status = validateTopicConfig(name.toStdString(), value.toStdString());
        if (error.isEmpty()) {
            QVERIFY2(status.ok(), status.ok() ? "" : status.error().message.c_str());
            // What validates alone also builds a config.
            QVERIFY(makeLogConfig({{name.toStdString(), value.toStdString()}}, kTieredStorageOn).ok());
        } else {
            QVERIFY(!status.ok());
            QCOMPARE(status.error().kind, ErrorKind::InvalidArgument);
            QCOMPARE(qs(status.error().message), error);
            auto made = makeLogConfig({{name.toStdString(), value.toStdString()}});
            QVERIFY(!made.ok());
            QCOMPARE(qs(made.error().message), error);
        }
    }

    void everyListedFormatVersionIsAccepted() {
        std::string_view rule = findTopicConfig("message.format.version")->validValues;
        QVERIFY(rule.starts_with('[') && rule.ends_with(']'));
        rule = rule.substr(1, rule.size() - 2);
        int count = 0;
        while (!rule.empty()) {
            size_t comma = rule.find(", ");
            std::string version(rule.substr(0, comma));
            QVERIFY2(validateTopicConfig("message.format.version", version).ok(), version.c_str());
            ++count;
            rule = comma == std::string_view::npos ? std::string_view{} : rule.substr(comma + 2);
        }
        QCOMPARE(count, 55);
    }

    void overridesSetTheFieldsTheLogReads() {
        auto made = makeLogConfig({{"cleanup.policy", "compact"},
                                   {"compression.type", "lz4"},
                                   {"max.message.bytes", "2000000"},
                                   {"message.timestamp.type", "LogAppendTime"},
                                   {"min.cleanable.dirty.ratio", "0.1"},
                                   {"retention.ms", "-1"},
                                   {"segment.bytes", "1048576"},
                                   {"segment.ms", "3600000"},
                                   {"leader.replication.throttled.replicas", "0:1, 1:2"}});
        QVERIFY(made.ok());
        QVERIFY(made->compactEnabled);
        QVERIFY(!made->deleteEnabled);
        QCOMPARE(qs(made->compressionType), QString("lz4"));
        QCOMPARE(made->maxMessageBytes, 2000000);
        QVERIFY(made->logAppendTime);
        QCOMPARE(made->minCleanableDirtyRatio, 0.1);
        QCOMPARE(made->retentionMs, int64_t{-1});
        QCOMPARE(made->segmentBytes, 1048576);
        QCOMPARE(made->segmentMs, int64_t{3600000});
        QCOMPARE(made->leaderReplicationThrottledReplicas, (std::vector<std::string>{"0:1", "1:2"}));

        auto none = makeLogConfig({{"cleanup.policy", ""}});
        QVERIFY(none.ok());
        QVERIFY(!none->compactEnabled && !none->deleteEnabled);
    }

    void brokerNamesSupplyTheSameValuesAsTopicNames() {
        for (const TopicConfigDef& def : topicConfigDefs()) {
            if (def.brokerName.empty() || def.name == "message.format.version") continue;
            const std::string& sample = kSamples.at(std::string(def.name)).front();
            auto viaBroker = makeLogConfig({}, {{std::string(def.brokerName), sample}});
            auto viaTopic = makeLogConfig({{std::string(def.name), sample}});
            QVERIFY2(viaBroker.ok(), viaBroker.ok() ? "" : viaBroker.error().message.c_str());
            QVERIFY2(viaTopic.ok(), def.name.data());
            QVERIFY2(*viaBroker == *viaTopic, def.name.data());
            QVERIFY2(!(*viaBroker == LogConfig{}), def.name.data());
        }
    }

    void brokerValuesAreValidatedUnderTheirOwnName() {
        auto made = makeLogConfig({}, {{"log.segment.bytes", "10"}});
        QVERIFY(!made.ok());
        QCOMPARE(made.error().kind, ErrorKind::InvalidArgument);
        QCOMPARE(qs(made.error().message),
                 QString("Invalid value 10 for configuration log.segment.bytes: Value must be at least 14"));

        made = makeLogConfig({}, {{"log.cleanup.policy", "compact,forever"}});
        QVERIFY(!made.ok());
        QCOMPARE(qs(made.error().message),
                 QString("Invalid value forever for configuration log.cleanup.policy: String must be one of: compact, "
                         "delete"));

        made = makeLogConfig({}, {{"log.cleaner.min.cleanable.ratio", "1.01"}});
        QVERIFY(!made.ok());
        QCOMPARE(qs(made.error().message),
                 QString("Invalid value 1.01 for configuration log.cleaner.min.cleanable.ratio: Value must be no more "
                         "than 1"));

        made = makeLogConfig({}, {{"remote.log.storage.system.enable", "maybe"}});
        QVERIFY(!made.ok());
        QCOMPARE(qs(made.error().message),
                 QString("Invalid value maybe for configuration remote.log.storage.system.enable: Expected value to be "
                         "either true or false"));

        // Ignored since Kafka 3.0 (topics get 3.0-IV1), yet still checked.
        made = makeLogConfig({}, {{"log.message.format.version", "2.8"}});
        QVERIFY(made.ok());
        QCOMPARE(qs(made->messageFormatVersion), QString("3.0-IV1"));
        made = makeLogConfig({}, {{"log.message.format.version", "9.9"}});
        QVERIFY(!made.ok());

        // Keys the topic table does not read are not this function's business.
        QVERIFY(makeLogConfig({}, {{"num.partitions", "x"}, {"retention.ms", "oops"}}).ok());
    }

    void retentionMsWinsOverMinutesWinsOverHours() {
        auto hours = makeLogConfig({}, {{"log.retention.hours", "2"}});
        QVERIFY(hours.ok());
        QCOMPARE(hours->retentionMs, int64_t{2} * 3600 * 1000);

        auto minutes = makeLogConfig({}, {{"log.retention.hours", "2"}, {"log.retention.minutes", "5"}});
        QVERIFY(minutes.ok());
        QCOMPARE(minutes->retentionMs, int64_t{5} * 60 * 1000);

        auto ms = makeLogConfig(
            {}, {{"log.retention.hours", "2"}, {"log.retention.minutes", "5"}, {"log.retention.ms", "1234"}});
        QVERIFY(ms.ok());
        QCOMPARE(ms->retentionMs, int64_t{1234});

        // The hours key is an INT on Kafka; the product is computed in 64 bits.
        auto bigHours = makeLogConfig({}, {{"log.retention.hours", "2147483647"}});
        QVERIFY(bigHours.ok());
        QCOMPARE(bigHours->retentionMs, int64_t{2147483647} * 3600 * 1000);
        auto tooBig = makeLogConfig({}, {{"log.retention.hours", "2147483648"}});
        QVERIFY(!tooBig.ok());
        QCOMPARE(qs(tooBig.error().message),
                 QString("Invalid value 2147483648 for configuration log.retention.hours: Not a number of type INT"));

        // Any negative broker retention means unlimited; zero is refused.
        auto negative = makeLogConfig({}, {{"log.retention.minutes", "-5"}});
        QVERIFY(negative.ok());
        QCOMPARE(negative->retentionMs, int64_t{-1});
        auto zero = makeLogConfig({}, {{"log.retention.hours", "0"}});
        QVERIFY(!zero.ok());
        QCOMPARE(qs(zero.error().message),
                 QString("Invalid value 0 for configuration log.retention.hours: Value must be -1 (unlimited) or at "
                         "least 1"));
        // ...unless a higher-priority key is set: the hours are then never read.
        auto shadowed = makeLogConfig({}, {{"log.retention.hours", "0"}, {"log.retention.ms", "1000"}});
        QVERIFY(shadowed.ok());
        QCOMPARE(shadowed->retentionMs, int64_t{1000});
    }

    void rollJitterAndFlushFallBackAsOnKafka() {
        auto roll = makeLogConfig({}, {{"log.roll.hours", "2"}, {"log.roll.jitter.hours", "1"}});
        QVERIFY(roll.ok());
        QCOMPARE(roll->segmentMs, int64_t{2} * 3600 * 1000);
        QCOMPARE(roll->segmentJitterMs, int64_t{3600} * 1000);

        auto rollMs =
            makeLogConfig({}, {{"log.roll.hours", "2"}, {"log.roll.ms", "60000"}, {"log.roll.jitter.ms", "7"}});
        QVERIFY(rollMs.ok());
        QCOMPARE(rollMs->segmentMs, int64_t{60000});
        QCOMPARE(rollMs->segmentJitterMs, int64_t{7});

        auto zeroHours = makeLogConfig({}, {{"log.roll.hours", "0"}});
        QVERIFY(!zeroHours.ok());
        QCOMPARE(qs(zeroHours.error().message),
                 QString("Invalid value 0 for configuration log.roll.hours: Value must be at least 1"));
        auto negativeJitter = makeLogConfig({}, {{"log.roll.jitter.hours", "-1"}});
        QVERIFY(!negativeJitter.ok());
        QCOMPARE(qs(negativeJitter.error().message),
                 QString("Invalid value -1 for configuration log.roll.jitter.hours: Value must be at least 0"));

        auto scheduler = makeLogConfig({}, {{"log.flush.scheduler.interval.ms", "5000"}});
        QVERIFY(scheduler.ok());
        QCOMPARE(scheduler->flushMs, int64_t{5000});
        auto interval =
            makeLogConfig({}, {{"log.flush.scheduler.interval.ms", "5000"}, {"log.flush.interval.ms", "9"}});
        QVERIFY(interval.ok());
        QCOMPARE(interval->flushMs, int64_t{9});
        auto negativeFlush = makeLogConfig({}, {{"log.flush.interval.ms", "-1"}});
        QVERIFY(!negativeFlush.ok());
        QCOMPARE(qs(negativeFlush.error().message),
                 QString("Invalid value -1 for configuration log.flush.interval.ms: Value must be at least 0"));
    }

    void topicOverridesWinOverBrokerConfig() {
        const Props broker = {{"log.retention.hours", "1"},
                              {"log.cleanup.policy", "compact"},
                              {"compression.type", "gzip"},
                              {"log.segment.bytes", "1048576"},
                              {"min.insync.replicas", "2"}};
        auto brokerOnly = makeLogConfig({}, broker);
        QVERIFY(brokerOnly.ok());
        QCOMPARE(brokerOnly->retentionMs, int64_t{3600000});
        QVERIFY(brokerOnly->compactEnabled && !brokerOnly->deleteEnabled);
        QCOMPARE(qs(brokerOnly->compressionType), QString("gzip"));
        QCOMPARE(brokerOnly->segmentBytes, 1048576);
        QCOMPARE(brokerOnly->minInsyncReplicas, 2);

        auto overridden = makeLogConfig({{"retention.ms", "5000"}, {"cleanup.policy", "delete"}}, broker);
        QVERIFY(overridden.ok());
        QCOMPARE(overridden->retentionMs, int64_t{5000});
        QVERIFY(!overridden->compactEnabled && overridden->deleteEnabled);
        // What the topic does not override still comes from the broker.
        QCOMPARE(qs(overridden->compressionType), QString("gzip"));
        QCOMPARE(overridden->minInsyncReplicas, 2);

        // A bad broker value fails even when the topic overrides it, as the broker would not start.
        QVERIFY(!makeLogConfig({{"segment.bytes", "1048576"}}, {{"log.segment.bytes", "1"}}).ok());
    }

    void unknownNamesAreReportedBeforeBadValues() {
        auto made = makeLogConfig({{"segment.bytes", "1"}, {"zzz.unknown", "1"}});
        QVERIFY(!made.ok());
        QCOMPARE(made.error().kind, ErrorKind::InvalidArgument);
        QCOMPARE(qs(made.error().message), QString("Unknown topic config name: zzz.unknown"));
    }

    void compactionLagsMustBeOrdered() {
        auto made = makeLogConfig({{"min.compaction.lag.ms", "10"}, {"max.compaction.lag.ms", "5"}});
        QVERIFY(!made.ok());
        QCOMPARE(made.error().kind, ErrorKind::InvalidArgument);
        QCOMPARE(qs(made.error().message),
                 QString("Invalid value 10 for configuration min.compaction.lag.ms: Value must not be more than "
                         "max.compaction.lag.ms (5)"));
        QVERIFY(makeLogConfig({{"min.compaction.lag.ms", "5"}, {"max.compaction.lag.ms", "5"}}).ok());
        // The rule holds across levels: a topic maximum below the broker's minimum is refused.
        auto mixed = makeLogConfig({{"max.compaction.lag.ms", "100"}}, {{"log.cleaner.min.compaction.lag.ms", "500"}});
        QVERIFY(!mixed.ok());
        QCOMPARE(qs(mixed.error().message),
                 QString("Invalid value 500 for configuration min.compaction.lag.ms: Value must not be more than "
                         "max.compaction.lag.ms (100)"));
    }

    void remoteStorageNeedsTieredStorageAndConsistentRetention() {
        auto disabled = makeLogConfig({{"remote.storage.enable", "true"}});
        QVERIFY(!disabled.ok());
        QVERIFY(qs(disabled.error().message)
                    .startsWith("Invalid value true for configuration remote.storage.enable: Tiered storage is "
                                "disabled"));
        auto enabled = makeLogConfig({{"remote.storage.enable", "true"}}, kTieredStorageOn);
        QVERIFY(enabled.ok());
        QVERIFY(enabled->remoteStorageEnable);

        auto compacted =
            makeLogConfig({{"remote.storage.enable", "true"}, {"cleanup.policy", "compact"}}, kTieredStorageOn);
        QVERIFY(!compacted.ok());
        QCOMPARE(qs(compacted.error().message),
                 QString("Invalid value true for configuration remote.storage.enable: Remote log storage is not "
                         "supported for compacted topics"));

        auto localAboveTotal = makeLogConfig(
            {{"remote.storage.enable", "true"}, {"retention.bytes", "1000"}, {"local.retention.bytes", "2000"}},
            kTieredStorageOn);
        QVERIFY(!localAboveTotal.ok());
        QCOMPARE(qs(localAboveTotal.error().message),
                 QString("Invalid value 2000 for configuration local.retention.bytes: Value must not be more than "
                         "retention.bytes (1000)"));
        auto localUnlimited =
            makeLogConfig({{"remote.storage.enable", "true"}, {"retention.ms", "60000"}, {"local.retention.ms", "-1"}},
                          kTieredStorageOn);
        QVERIFY(!localUnlimited.ok());
        QCOMPARE(qs(localUnlimited.error().message),
                 QString("Invalid value -1 for configuration local.retention.ms: Value must not be -1 when "
                         "retention.ms is 60000"));
        auto localTooLong =
            makeLogConfig({{"remote.storage.enable", "true"}, {"local.retention.ms", "700000000"}}, kTieredStorageOn);
        QVERIFY(!localTooLong.ok());
        QCOMPARE(qs(localTooLong.error().message),
                 QString("Invalid value 700000000 for configuration local.retention.ms: Value must not be more than "
                         "retention.ms (604800000)"));
        // Unlimited total retention allows any local retention; without remote storage nothing is compared.
        QVERIFY(makeLogConfig({{"remote.storage.enable", "true"}, {"retention.ms", "-1"}, {"local.retention.ms", "-1"}},
                              kTieredStorageOn)
                    .ok());
        QVERIFY(makeLogConfig({{"retention.bytes", "1000"}, {"local.retention.bytes", "2000"}}).ok());
    }

    void timestampDifferenceStandsInForBeforeAndAfter() {
        auto legacy = makeLogConfig({{"message.timestamp.difference.max.ms", "1000"}});
        QVERIFY(legacy.ok());
        QCOMPARE(legacy->messageTimestampBeforeMaxMs, int64_t{1000});
        QCOMPARE(legacy->messageTimestampAfterMaxMs, int64_t{1000});
        // Described as Kafka does: before/after still at their default, the difference as set.
        QCOMPARE(qs(*topicConfigValue(*legacy, "message.timestamp.before.max.ms")), QString("9223372036854775807"));
        QCOMPARE(qs(*topicConfigValue(*legacy, "message.timestamp.after.max.ms")), QString("9223372036854775807"));
        QCOMPARE(qs(*topicConfigValue(*legacy, "message.timestamp.difference.max.ms")), QString("1000"));

        auto mixed = makeLogConfig(
            {{"message.timestamp.difference.max.ms", "1000"}, {"message.timestamp.before.max.ms", "500"}});
        QVERIFY(mixed.ok());
        QCOMPARE(mixed->messageTimestampBeforeMaxMs, int64_t{500});
        QCOMPARE(mixed->messageTimestampAfterMaxMs, int64_t{1000});
        QCOMPARE(qs(*topicConfigValue(*mixed, "message.timestamp.before.max.ms")), QString("500"));

        // A broker-level difference applies the same way, and a topic's before/after still win.
        auto broker = makeLogConfig({{"message.timestamp.after.max.ms", "20"}},
                                    {{"log.message.timestamp.difference.max.ms", "3000"}});
        QVERIFY(broker.ok());
        QCOMPARE(broker->messageTimestampBeforeMaxMs, int64_t{3000});
        QCOMPARE(broker->messageTimestampAfterMaxMs, int64_t{20});
    }

    void describeOutputIsKafkas() {
        LogConfig config;
        config.minCleanableDirtyRatio = 0.0001;
        QCOMPARE(qs(*topicConfigValue(config, "min.cleanable.dirty.ratio")), QString("1.0E-4"));
        config.minCleanableDirtyRatio = 1;
        QCOMPARE(qs(*topicConfigValue(config, "min.cleanable.dirty.ratio")), QString("1.0"));
        config.minCleanableDirtyRatio = 0;
        QCOMPARE(qs(*topicConfigValue(config, "min.cleanable.dirty.ratio")), QString("0.0"));
        config.compactEnabled = true;
        QCOMPARE(qs(*topicConfigValue(config, "cleanup.policy")), QString("compact,delete"));
        config.deleteEnabled = false;
        QCOMPARE(qs(*topicConfigValue(config, "cleanup.policy")), QString("compact"));
        config.followerReplicationThrottledReplicas = {"0:1", "1:2"};
        QCOMPARE(qs(*topicConfigValue(config, "follower.replication.throttled.replicas")), QString("0:1,1:2"));
        config.preallocate = true;
        QCOMPARE(qs(*topicConfigValue(config, "preallocate")), QString("true"));
        config.logAppendTime = true;
        QCOMPARE(qs(*topicConfigValue(config, "message.timestamp.type")), QString("LogAppendTime"));
        // Set directly (as the log's own code may), before/after describe as set.
        config.messageTimestampBeforeMaxMs = 42;
        QCOMPARE(qs(*topicConfigValue(config, "message.timestamp.before.max.ms")), QString("42"));
    }

    void everyValueRoundTripsThroughDescribe() {
        for (const TopicConfigDef& def : topicConfigDefs()) {
            auto samples = kSamples.find(std::string(def.name));
            QVERIFY2(samples != kSamples.end(), def.name.data());
            for (const std::string& sample : samples->second) {
                const std::string what = std::string(def.name) + "=" + sample;
                auto first = makeLogConfig({{std::string(def.name), sample}}, kTieredStorageOn);
                QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
                auto printed = topicConfigValue(*first, def.name);
                QVERIFY2(printed.has_value(), what.c_str());
                auto second = makeLogConfig({{std::string(def.name), *printed}}, kTieredStorageOn);
                QVERIFY2(second.ok(), what.c_str());
                QVERIFY2(*second == *first, what.c_str());
                QCOMPARE(qs(*topicConfigValue(*second, def.name)), qs(*printed));
            }
        }
    }

    void aWholeDescribedConfigRebuildsTheSameConfig() {
        auto original = makeLogConfig({{"cleanup.policy", "compact"},
                                       {"compression.type", "zstd"},
                                       {"compression.zstd.level", "-3"},
                                       {"message.timestamp.difference.max.ms", "1000"},
                                       {"message.timestamp.after.max.ms", "10"},
                                       {"min.cleanable.dirty.ratio", "0.3"},
                                       {"leader.replication.throttled.replicas", "*"},
                                       {"retention.bytes", "-1"},
                                       {"segment.jitter.ms", "5"},
                                       {"unclean.leader.election.enable", "true"}},
                                      {{"log.retention.minutes", "90"}, {"log.roll.hours", "3"}});
        QVERIFY(original.ok());
        Props described;
        for (const TopicConfigDef& def : topicConfigDefs())
            described[std::string(def.name)] = *topicConfigValue(*original, def.name);
        auto rebuilt = makeLogConfig(described);
        QVERIFY2(rebuilt.ok(), rebuilt.ok() ? "" : rebuilt.error().message.c_str());
        QVERIFY(*rebuilt == *original);
    }
};

QTEST_APPLESS_MAIN(LogConfigTest)
#include "logconfig_test.moc"
