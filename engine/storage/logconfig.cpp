// LogConfig: Kafka's topic-level config table, value parsing and validation, broker-level defaults and printing.
#include "engine/storage/logconfig.h"

#include "engine/storage/configsyntax.h"
#include "engine/storage/javanumbers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <system_error>
#include <utility>

namespace partita::storage {
namespace {

// How a value is checked once it parsed as its type; each one words its failure as Kafka's validator does.
enum class Rule { None, AtLeast, Between, GzipLevel, OneOf, ListOf, ThrottledReplicas, MetadataVersion };

// A server.properties key that supplies a topic default when the primary one is absent, e.g.
// log.retention.hours for retention.ms. `type` is the broker key's own type (hours are an INT there, so
// a value too large for 32 bits fails as it does on Kafka); `unitMs` converts it to the topic's unit.
struct BrokerFallback {
    std::string_view name;
    ConfigType type;
    int64_t unitMs;
};

struct Spec {
    TopicConfigDef def;
    Rule rule = Rule::None;
    int64_t min = 0;
    int64_t max = 0;
    std::span<const std::string_view> choices = {};
    std::span<const BrokerFallback> fallbacks = {};
};

constexpr int64_t kMsPerMinute = int64_t{60} * 1000;
constexpr int64_t kMsPerHour = 60 * kMsPerMinute;
constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

constexpr std::array<std::string_view, 2> kCleanupPolicies{"compact", "delete"};
// Kafka's BrokerCompressionType order, which its error messages list.
constexpr std::array<std::string_view, 6> kCompressionTypes{"uncompressed", "zstd", "lz4",
                                                            "snappy",       "gzip", "producer"};
constexpr std::array<std::string_view, 2> kTimestampTypes{"CreateTime", "LogAppendTime"};

// Every MetadataVersion Kafka 3.8 knows, as message.format.version accepts them.
constexpr std::array<std::string_view, 55> kMetadataVersions{
    "0.8.0",      "0.8.1",      "0.8.2",      "0.9.0",      "0.10.0-IV0", "0.10.0-IV1", "0.10.1-IV0", "0.10.1-IV1",
    "0.10.1-IV2", "0.10.2-IV0", "0.11.0-IV0", "0.11.0-IV1", "0.11.0-IV2", "1.0-IV0",    "1.1-IV0",    "2.0-IV0",
    "2.0-IV1",    "2.1-IV0",    "2.1-IV1",    "2.1-IV2",    "2.2-IV0",    "2.2-IV1",    "2.3-IV0",    "2.3-IV1",
    "2.4-IV0",    "2.4-IV1",    "2.5-IV0",    "2.6-IV0",    "2.7-IV0",    "2.7-IV1",    "2.7-IV2",    "2.8-IV0",
    "2.8-IV1",    "3.0-IV0",    "3.0-IV1",    "3.1-IV0",    "3.2-IV0",    "3.3-IV0",    "3.3-IV1",    "3.3-IV2",
    "3.3-IV3",    "3.4-IV0",    "3.5-IV0",    "3.5-IV1",    "3.5-IV2",    "3.6-IV0",    "3.6-IV1",    "3.6-IV2",
    "3.7-IV0",    "3.7-IV1",    "3.7-IV2",    "3.7-IV3",    "3.7-IV4",    "3.8-IV0",    "3.9-IV0"};
// The last entry (3.9-IV0) is not yet a production version in 3.8, so its bare release "3.9" is refused.
constexpr size_t kProductionMetadataVersions = kMetadataVersions.size() - 1;

constexpr std::array<BrokerFallback, 1> kRollFallbacks{{{"log.roll.hours", ConfigType::Int, kMsPerHour}}};
constexpr std::array<BrokerFallback, 1> kJitterFallbacks{{{"log.roll.jitter.hours", ConfigType::Int, kMsPerHour}}};
constexpr std::array<BrokerFallback, 2> kRetentionFallbacks{{
    {"log.retention.minutes", ConfigType::Int, kMsPerMinute},
    {"log.retention.hours", ConfigType::Int, kMsPerHour},
}};
constexpr std::array<BrokerFallback, 1> kFlushFallbacks{{{"log.flush.scheduler.interval.ms", ConfigType::Long, 1}}};

constexpr std::string_view kThrottledRule = "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
constexpr std::string_view kLongMax = "9223372036854775807";

constexpr std::array kSpecs{
    Spec{.def = {"cleanup.policy", ConfigType::List, "delete", "log.cleanup.policy", "[compact, delete]"},
         .rule = Rule::ListOf,
         .choices = kCleanupPolicies},
    Spec{.def = {"compression.gzip.level", ConfigType::Int, "-1", "compression.gzip.level", "[1,...,9] or -1"},
         .rule = Rule::GzipLevel,
         .min = 1,
         .max = 9},
    Spec{.def = {"compression.lz4.level", ConfigType::Int, "9", "compression.lz4.level", "[1,...,17]"},
         .rule = Rule::Between,
         .min = 1,
         .max = 17},
    Spec{.def = {"compression.type", ConfigType::String, "producer", "compression.type",
                 "[uncompressed, zstd, lz4, snappy, gzip, producer]"},
         .rule = Rule::OneOf,
         .choices = kCompressionTypes},
    // zstd's own bounds (ZSTD_minCLevel() is -(1 << 17)), which Kafka takes from the library.
    Spec{.def = {"compression.zstd.level", ConfigType::Int, "3", "compression.zstd.level", "[-131072,...,22]"},
         .rule = Rule::Between,
         .min = -131072,
         .max = 22},
    Spec{.def = {"delete.retention.ms", ConfigType::Long, "86400000", "log.cleaner.delete.retention.ms", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{.def = {"file.delete.delay.ms", ConfigType::Long, "60000", "log.segment.delete.delay.ms", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{.def = {"flush.messages", ConfigType::Long, kLongMax, "log.flush.interval.messages", "[1,...]"},
         .rule = Rule::AtLeast,
         .min = 1},
    Spec{.def = {"flush.ms", ConfigType::Long, kLongMax, "log.flush.interval.ms", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0,
         .fallbacks = kFlushFallbacks},
    Spec{.def = {"follower.replication.throttled.replicas", ConfigType::List, "", "", kThrottledRule},
         .rule = Rule::ThrottledReplicas},
    Spec{.def = {"index.interval.bytes", ConfigType::Int, "4096", "log.index.interval.bytes", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{.def = {"leader.replication.throttled.replicas", ConfigType::List, "", "", kThrottledRule},
         .rule = Rule::ThrottledReplicas},
    Spec{.def = {"local.retention.bytes", ConfigType::Long, "-2", "log.local.retention.bytes", "[-2,...]"},
         .rule = Rule::AtLeast,
         .min = -2},
    Spec{.def = {"local.retention.ms", ConfigType::Long, "-2", "log.local.retention.ms", "[-2,...]"},
         .rule = Rule::AtLeast,
         .min = -2},
    Spec{.def = {"max.compaction.lag.ms", ConfigType::Long, kLongMax, "log.cleaner.max.compaction.lag.ms", "[1,...]"},
         .rule = Rule::AtLeast,
         .min = 1},
    Spec{.def = {"max.message.bytes", ConfigType::Int, "1048588", "message.max.bytes", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{
        .def = {"message.downconversion.enable", ConfigType::Boolean, "true", "log.message.downconversion.enable", ""}},
    Spec{.def = {"message.format.version", ConfigType::String, "3.0-IV1", "log.message.format.version",
                 "[0.8.0, 0.8.1, 0.8.2, 0.9.0, 0.10.0-IV0, 0.10.0-IV1, 0.10.1-IV0, 0.10.1-IV1, 0.10.1-IV2, 0.10.2-IV0, "
                 "0.11.0-IV0, 0.11.0-IV1, 0.11.0-IV2, 1.0-IV0, 1.1-IV0, 2.0-IV0, 2.0-IV1, 2.1-IV0, 2.1-IV1, 2.1-IV2, "
                 "2.2-IV0, 2.2-IV1, 2.3-IV0, 2.3-IV1, 2.4-IV0, 2.4-IV1, 2.5-IV0, 2.6-IV0, 2.7-IV0, 2.7-IV1, 2.7-IV2, "
                 "2.8-IV0, 2.8-IV1, 3.0-IV0, 3.0-IV1, 3.1-IV0, 3.2-IV0, 3.3-IV0, 3.3-IV1, 3.3-IV2, 3.3-IV3, 3.4-IV0, "
                 "3.5-IV0, 3.5-IV1, 3.5-IV2, 3.6-IV0, 3.6-IV1, 3.6-IV2, 3.7-IV0, 3.7-IV1, 3.7-IV2, 3.7-IV3, 3.7-IV4, "
                 "3.8-IV0, 3.9-IV0]"},
         .rule = Rule::MetadataVersion},
    Spec{.def = {"message.timestamp.after.max.ms", ConfigType::Long, kLongMax, "log.message.timestamp.after.max.ms",
                 "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{.def = {"message.timestamp.before.max.ms", ConfigType::Long, kLongMax, "log.message.timestamp.before.max.ms",
                 "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{.def = {"message.timestamp.difference.max.ms", ConfigType::Long, kLongMax,
                 "log.message.timestamp.difference.max.ms", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{.def = {"message.timestamp.type", ConfigType::String, "CreateTime", "log.message.timestamp.type",
                 "[CreateTime, LogAppendTime]"},
         .rule = Rule::OneOf,
         .choices = kTimestampTypes},
    Spec{
        .def = {"min.cleanable.dirty.ratio", ConfigType::Double, "0.5", "log.cleaner.min.cleanable.ratio", "[0,...,1]"},
        .rule = Rule::Between,
        .min = 0,
        .max = 1},
    Spec{.def = {"min.compaction.lag.ms", ConfigType::Long, "0", "log.cleaner.min.compaction.lag.ms", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0},
    Spec{.def = {"min.insync.replicas", ConfigType::Int, "1", "min.insync.replicas", "[1,...]"},
         .rule = Rule::AtLeast,
         .min = 1},
    Spec{.def = {"preallocate", ConfigType::Boolean, "false", "log.preallocate", ""}},
    Spec{.def = {"remote.storage.enable", ConfigType::Boolean, "false", "", ""}},
    // Any value: Kafka treats every negative retention.bytes as "no limit".
    Spec{.def = {"retention.bytes", ConfigType::Long, "-1", "log.retention.bytes", ""}},
    Spec{.def = {"retention.ms", ConfigType::Long, "604800000", "log.retention.ms", "[-1,...]"},
         .rule = Rule::AtLeast,
         .min = -1,
         .fallbacks = kRetentionFallbacks},
    // 14 bytes: the smallest legacy (v0) record, Kafka's floor for a segment.
    Spec{.def = {"segment.bytes", ConfigType::Int, "1073741824", "log.segment.bytes", "[14,...]"},
         .rule = Rule::AtLeast,
         .min = 14},
    Spec{.def = {"segment.index.bytes", ConfigType::Int, "10485760", "log.index.size.max.bytes", "[4,...]"},
         .rule = Rule::AtLeast,
         .min = 4},
    Spec{.def = {"segment.jitter.ms", ConfigType::Long, "0", "log.roll.jitter.ms", "[0,...]"},
         .rule = Rule::AtLeast,
         .min = 0,
         .fallbacks = kJitterFallbacks},
    Spec{.def = {"segment.ms", ConfigType::Long, "604800000", "log.roll.ms", "[1,...]"},
         .rule = Rule::AtLeast,
         .min = 1,
         .fallbacks = kRollFallbacks},
    Spec{.def = {"unclean.leader.election.enable", ConfigType::Boolean, "false", "unclean.leader.election.enable", ""}},
};

constexpr auto kDefs = [] {
    std::array<TopicConfigDef, kSpecs.size()> defs{};
    for (size_t i = 0; i < kSpecs.size(); ++i) defs[i] = kSpecs[i].def;
    return defs;
}();

// findTopicConfig() relies on the order (binary search), and describe output follows it.
static_assert([] {
    for (size_t i = 1; i < kSpecs.size(); ++i)
        if (!(kSpecs[i - 1].def.name < kSpecs[i].def.name)) return false;
    return true;
}());

using Value = ConfigValue;

const Spec& specOf(const TopicConfigDef* def) {
    return kSpecs[static_cast<size_t>(def - kDefs.data())];
}

Error unknownName(std::string_view name) {
    return makeError(ErrorKind::InvalidArgument, "Unknown topic config name: " + std::string(name));
}

// Kafka's list syntax: empty means an empty list; otherwise split on commas, dropping the whitespace
// around each comma and keeping empty elements ("a,,b" has three).
std::vector<std::string> splitList(std::string_view trimmed) {
    std::vector<std::string> items;
    if (trimmed.empty()) return items;
    size_t start = 0;
    while (true) {
        size_t comma = trimmed.find(',', start);
        std::string_view item = trimmed.substr(start, comma == std::string_view::npos ? trimmed.npos : comma - start);
        while (!item.empty() && isRegexSpace(item.front())) item.remove_prefix(1);
        while (!item.empty() && isRegexSpace(item.back())) item.remove_suffix(1);
        items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

std::string joinChoices(std::span<const std::string_view> choices) {
    std::string out;
    for (size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) out += ", ";
        out += choices[i];
    }
    return out;
}

Result<Value> parseTyped(std::string_view key, ConfigType type, std::string_view raw) {
    std::string_view trimmed = javaTrim(raw);
    Value value;
    switch (type) {
        case ConfigType::Boolean:
            if (equalsIgnoreCase(trimmed, "true")) {
                value.boolean = true;
            } else if (!equalsIgnoreCase(trimmed, "false")) {
                return invalidConfigValue(key, raw, "Expected value to be either true or false");
            }
            break;
        case ConfigType::Int:
        case ConfigType::Long: {
            bool isInt = type == ConfigType::Int;
            auto parsed = parseJavaInteger(trimmed, isInt ? kInt32Min : std::numeric_limits<int64_t>::min(),
                                           isInt ? kInt32Max : kInt64Max);
            if (!parsed)
                return invalidConfigValue(key, raw, isInt ? "Not a number of type INT" : "Not a number of type LONG");
            value.number = *parsed;
            break;
        }
        case ConfigType::Double: {
            auto parsed = parseJavaDouble(trimmed);
            // Java would accept NaN and let it slip past every range check; a NaN ratio means nothing.
            if (!parsed || std::isnan(*parsed)) return invalidConfigValue(key, raw, "Not a number of type DOUBLE");
            value.real = *parsed;
            break;
        }
        case ConfigType::List:
            value.list = splitList(trimmed);
            break;
        case ConfigType::String:
        case ConfigType::Password:
        case ConfigType::Class:
            value.text = std::string(trimmed);
            break;
    }
    return value;
}

// What MetadataVersion.fromVersionString accepts: a full version ("2.8-IV1"), a production release
// ("2.8"), or either followed by more dot-separated parts ("2.8.2", "0.10.2.1").
bool isMetadataVersion(std::string_view version) {
    size_t keep = version.starts_with("0.") ? 3 : 2;
    size_t end = 0;
    for (size_t segment = 0; segment < keep; ++segment) {
        end = version.find('.', segment == 0 ? 0 : end + 1);
        if (end == std::string_view::npos) break;
    }
    std::string_view key = end == std::string_view::npos ? version : version.substr(0, end);
    for (size_t i = 0; i < kMetadataVersions.size(); ++i) {
        std::string_view full = kMetadataVersions[i];
        if (key == full) return true;
        if (i < kProductionMetadataVersions && key == full.substr(0, full.find('-'))) return true;
    }
    return false;
}

bool isThrottledReplicaEntry(std::string_view entry) {
    if (entry.empty()) return true;  // Kafka's pattern makes the whole pair optional
    size_t colon = entry.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == entry.size()) return false;
    for (size_t i = 0; i < entry.size(); ++i)
        if (i != colon && (entry[i] < '0' || entry[i] > '9')) return false;
    return true;
}

// Applies the spec's rule to a parsed value; `shown` replaces the value in the message when the caller
// converted it (log.roll.hours checked as milliseconds but reported as the hours the user wrote).
Status checkRule(std::string_view key, const Spec& spec, const Value& value, std::string_view shown = {}) {
    const ConfigType type = spec.def.type;
    auto display = [&] {
        if (!shown.empty()) return std::string(shown);
        if (type == ConfigType::Double) return javaDouble(value.real);
        if (type == ConfigType::String) return value.text;
        return std::to_string(value.number);
    };
    switch (spec.rule) {
        case Rule::None:
            break;
        case Rule::AtLeast:
            if (value.number < spec.min)
                return invalidConfigValue(key, display(), "Value must be at least " + std::to_string(spec.min));
            break;
        case Rule::Between:
            if (type == ConfigType::Double) {
                if (value.real < static_cast<double>(spec.min))
                    return invalidConfigValue(key, display(), "Value must be at least " + std::to_string(spec.min));
                if (value.real > static_cast<double>(spec.max))
                    return invalidConfigValue(key, display(), "Value must be no more than " + std::to_string(spec.max));
            } else {
                if (value.number < spec.min)
                    return invalidConfigValue(key, display(), "Value must be at least " + std::to_string(spec.min));
                if (value.number > spec.max)
                    return invalidConfigValue(key, display(), "Value must be no more than " + std::to_string(spec.max));
            }
            break;
        case Rule::GzipLevel:
            // -1 is zlib's "default compression", allowed besides 1..9.
            if (value.number > spec.max || (value.number < spec.min && value.number != -1))
                return invalidConfigValue(key, display(),
                                          "Value must be between " + std::to_string(spec.min) + " and " +
                                              std::to_string(spec.max) + " or equal to -1");
            break;
        case Rule::OneOf:
            for (std::string_view choice : spec.choices)
                if (value.text == choice) return Status::success();
            return invalidConfigValue(key, display(), "String must be one of: " + joinChoices(spec.choices));
        case Rule::ListOf:
            for (const std::string& item : value.list) {
                bool known = false;
                for (std::string_view choice : spec.choices) known = known || item == choice;
                if (!known) return invalidConfigValue(key, item, "String must be one of: " + joinChoices(spec.choices));
            }
            break;
        case Rule::ThrottledReplicas: {
            bool allPairs = true;
            for (const std::string& item : value.list) allPairs = allPairs && isThrottledReplicaEntry(javaTrim(item));
            if (!allPairs && joinList(value.list, "") != "*")
                return invalidConfigValue(key, "[" + joinList(value.list, ", ") + "]",
                                          "Value must be the literal '*' or a list of " + std::string(kThrottledRule));
            break;
        }
        case Rule::MetadataVersion:
            if (!isMetadataVersion(value.text))
                return invalidConfigValue(key, value.text, "Version " + value.text + " is not a valid version");
            break;
    }
    return Status::success();
}

Result<Value> parseChecked(std::string_view key, const Spec& spec, std::string_view raw) {
    auto parsed = parseTyped(key, spec.def.type, raw);
    if (!parsed) return parsed.error();
    if (Status status = checkRule(key, spec, *parsed); !status) return status.error();
    return parsed;
}

void apply(LogConfig& config, std::string_view name, const Value& v) {
    const auto n32 = static_cast<int32_t>(v.number);
    if (name == "cleanup.policy") {
        config.deleteEnabled = false;
        config.compactEnabled = false;
        for (const std::string& policy : v.list) {
            config.deleteEnabled = config.deleteEnabled || policy == "delete";
            config.compactEnabled = config.compactEnabled || policy == "compact";
        }
    } else if (name == "compression.gzip.level") {
        config.compressionGzipLevel = n32;
    } else if (name == "compression.lz4.level") {
        config.compressionLz4Level = n32;
    } else if (name == "compression.type") {
        config.compressionType = v.text;
    } else if (name == "compression.zstd.level") {
        config.compressionZstdLevel = n32;
    } else if (name == "delete.retention.ms") {
        config.deleteRetentionMs = v.number;
    } else if (name == "file.delete.delay.ms") {
        config.fileDeleteDelayMs = v.number;
    } else if (name == "flush.messages") {
        config.flushMessages = v.number;
    } else if (name == "flush.ms") {
        config.flushMs = v.number;
    } else if (name == "follower.replication.throttled.replicas") {
        config.followerReplicationThrottledReplicas = v.list;
    } else if (name == "index.interval.bytes") {
        config.indexIntervalBytes = n32;
    } else if (name == "leader.replication.throttled.replicas") {
        config.leaderReplicationThrottledReplicas = v.list;
    } else if (name == "local.retention.bytes") {
        config.localRetentionBytes = v.number;
    } else if (name == "local.retention.ms") {
        config.localRetentionMs = v.number;
    } else if (name == "max.compaction.lag.ms") {
        config.maxCompactionLagMs = v.number;
    } else if (name == "max.message.bytes") {
        config.maxMessageBytes = n32;
    } else if (name == "message.downconversion.enable") {
        config.messageDownconversionEnable = v.boolean;
    } else if (name == "message.format.version") {
        config.messageFormatVersion = v.text;
    } else if (name == "message.timestamp.after.max.ms") {
        config.messageTimestampAfterMaxMs = v.number;
    } else if (name == "message.timestamp.before.max.ms") {
        config.messageTimestampBeforeMaxMs = v.number;
    } else if (name == "message.timestamp.difference.max.ms") {
        config.messageTimestampDifferenceMaxMs = v.number;
    } else if (name == "message.timestamp.type") {
        config.logAppendTime = v.text == "LogAppendTime";
    } else if (name == "min.cleanable.dirty.ratio") {
        config.minCleanableDirtyRatio = v.real;
    } else if (name == "min.compaction.lag.ms") {
        config.minCompactionLagMs = v.number;
    } else if (name == "min.insync.replicas") {
        config.minInsyncReplicas = n32;
    } else if (name == "preallocate") {
        config.preallocate = v.boolean;
    } else if (name == "remote.storage.enable") {
        config.remoteStorageEnable = v.boolean;
    } else if (name == "retention.bytes") {
        config.retentionBytes = v.number;
    } else if (name == "retention.ms") {
        config.retentionMs = v.number;
    } else if (name == "segment.bytes") {
        config.segmentBytes = n32;
    } else if (name == "segment.index.bytes") {
        config.segmentIndexBytes = n32;
    } else if (name == "segment.jitter.ms") {
        config.segmentJitterMs = v.number;
    } else if (name == "segment.ms") {
        config.segmentMs = v.number;
    } else if (name == "unclean.leader.election.enable") {
        config.uncleanLeaderElectionEnable = v.boolean;
    }
}

// The broker-level default for one topic config, if server.properties sets it: the primary key first, then
// its fallbacks in Kafka's order (log.retention.ms, then .minutes, then .hours).
Result<std::optional<Value>> brokerDefault(const Spec& spec, const std::map<std::string, std::string>& brokerConfig) {
    if (spec.def.brokerName.empty()) return std::optional<Value>{};
    BrokerFallback chosen{spec.def.brokerName, spec.def.type, 1};
    auto found = brokerConfig.find(std::string(spec.def.brokerName));
    for (const BrokerFallback& fallback : spec.fallbacks) {
        if (found != brokerConfig.end()) break;
        found = brokerConfig.find(std::string(fallback.name));
        chosen = fallback;
    }
    if (found == brokerConfig.end()) return std::optional<Value>{};

    auto parsed = parseTyped(chosen.name, chosen.type, found->second);
    if (!parsed) return parsed.error();
    Value value = std::move(*parsed);
    const std::string asWritten = std::to_string(value.number);
    if (chosen.unitMs != 1) value.number *= chosen.unitMs;  // an INT times an hour cannot overflow 64 bits

    if (spec.def.name == "retention.ms") {
        // The broker reads any negative retention as unlimited, and refuses zero.
        if (value.number < 0) value.number = -1;
        if (value.number == 0)
            return invalidConfigValue(chosen.name, asWritten, "Value must be -1 (unlimited) or at least 1");
        return std::optional<Value>{std::move(value)};
    }
    bool isNumber = spec.def.type == ConfigType::Int || spec.def.type == ConfigType::Long;
    if (Status status =
            checkRule(chosen.name, spec, value, isNumber ? std::string_view(asWritten) : std::string_view{});
        !status)
        return status.error();
    return std::optional<Value>{std::move(value)};
}

// The checks Kafka makes across configs when a topic is created or altered.
Status checkCombination(const LogConfig& config, bool remoteStorageSystemEnabled) {
    if (config.minCompactionLagMs > config.maxCompactionLagMs)
        return invalidConfigValue(
            "min.compaction.lag.ms", std::to_string(config.minCompactionLagMs),
            "Value must not be more than max.compaction.lag.ms (" + std::to_string(config.maxCompactionLagMs) + ")");
    if (!config.remoteStorageEnable) return Status::success();
    if (!remoteStorageSystemEnabled)
        return invalidConfigValue("remote.storage.enable", "true",
                                  "Tiered storage is disabled on this broker (remote.log.storage.system.enable=false)");
    if (config.compactEnabled)
        return invalidConfigValue("remote.storage.enable", "true",
                                  "Remote log storage is not supported for compacted topics");
    if (config.retentionBytes > -1 && config.localRetentionBytes != -2) {
        if (config.localRetentionBytes == -1)
            return invalidConfigValue(
                "local.retention.bytes", "-1",
                "Value must not be -1 when retention.bytes is " + std::to_string(config.retentionBytes));
        if (config.localRetentionBytes > config.retentionBytes)
            return invalidConfigValue(
                "local.retention.bytes", std::to_string(config.localRetentionBytes),
                "Value must not be more than retention.bytes (" + std::to_string(config.retentionBytes) + ")");
    }
    if (config.retentionMs != -1 && config.localRetentionMs != -2) {
        if (config.localRetentionMs == -1)
            return invalidConfigValue(
                "local.retention.ms", "-1",
                "Value must not be -1 when retention.ms is " + std::to_string(config.retentionMs));
        if (config.localRetentionMs > config.retentionMs)
            return invalidConfigValue(
                "local.retention.ms", std::to_string(config.localRetentionMs),
                "Value must not be more than retention.ms (" + std::to_string(config.retentionMs) + ")");
    }
    return Status::success();
}

}  // namespace

const char* configTypeName(ConfigType type) {
    switch (type) {
        case ConfigType::Boolean:
            return "BOOLEAN";
        case ConfigType::String:
            return "STRING";
        case ConfigType::Int:
            return "INT";
        case ConfigType::Long:
            return "LONG";
        case ConfigType::Double:
            return "DOUBLE";
        case ConfigType::List:
            return "LIST";
        case ConfigType::Password:
            return "PASSWORD";
        case ConfigType::Class:
            return "CLASS";
    }
    return "UNKNOWN";
}

std::span<const TopicConfigDef> topicConfigDefs() {
    return kDefs;
}

const TopicConfigDef* findTopicConfig(std::string_view name) {
    auto it = std::lower_bound(kDefs.begin(), kDefs.end(), name,
                               [](const TopicConfigDef& def, std::string_view key) { return def.name < key; });
    return it != kDefs.end() && it->name == name ? &*it : nullptr;
}

Status validateTopicConfig(std::string_view name, std::string_view value) {
    const TopicConfigDef* def = findTopicConfig(name);
    if (def == nullptr) return unknownName(name);
    auto parsed = parseChecked(name, specOf(def), value);
    if (!parsed) return parsed.error();
    return Status::success();
}

Result<LogConfig> makeLogConfig(const std::map<std::string, std::string>& topicOverrides,
                                const std::map<std::string, std::string>& brokerConfig) {
    // Like Kafka, every name is checked before any value, so a typo is reported as such.
    for (const auto& [name, value] : topicOverrides)
        if (findTopicConfig(name) == nullptr) return unknownName(name);

    bool remoteStorageSystemEnabled = false;
    if (auto it = brokerConfig.find("remote.log.storage.system.enable"); it != brokerConfig.end()) {
        auto parsed = parseTyped(it->first, ConfigType::Boolean, it->second);
        if (!parsed) return parsed.error();
        remoteStorageSystemEnabled = parsed->boolean;
    }

    LogConfig config;
    for (const Spec& spec : kSpecs) {
        auto fromBroker = brokerDefault(spec, brokerConfig);
        if (!fromBroker) return fromBroker.error();
        // Since inter-broker protocol 3.0 Kafka validates log.message.format.version but hands topics
        // the 3.0 default regardless.
        if (*fromBroker && spec.def.name != "message.format.version") apply(config, spec.def.name, **fromBroker);
    }
    for (const auto& [name, raw] : topicOverrides) {
        const TopicConfigDef* def = findTopicConfig(name);
        auto parsed = parseChecked(name, specOf(def), raw);
        if (!parsed) return parsed.error();
        apply(config, def->name, *parsed);
    }

    // The deprecated difference limit still bounds both directions while before/after are left at their
    // default, so topics configured before Kafka 3.6 keep their behaviour.
    if (config.messageTimestampBeforeMaxMs == kInt64Max)
        config.messageTimestampBeforeMaxMs = config.messageTimestampDifferenceMaxMs;
    if (config.messageTimestampAfterMaxMs == kInt64Max)
        config.messageTimestampAfterMaxMs = config.messageTimestampDifferenceMaxMs;

    if (Status status = checkCombination(config, remoteStorageSystemEnabled); !status) return status.error();
    return config;
}

std::optional<std::string> topicConfigValue(const LogConfig& config, std::string_view name) {
    const TopicConfigDef* def = findTopicConfig(name);
    if (def == nullptr) return std::nullopt;
    auto number = [](int64_t v) { return std::optional<std::string>(std::to_string(v)); };
    auto boolean = [](bool v) { return std::optional<std::string>(v ? "true" : "false"); };
    // before/after hold the effective limits; when one merely inherited the difference limit, Kafka
    // describes it as still at its default.
    auto timestampLimit = [&](int64_t effective) {
        return number(effective == config.messageTimestampDifferenceMaxMs ? kInt64Max : effective);
    };

    if (name == "cleanup.policy") {
        std::vector<std::string> policies;
        if (config.compactEnabled) policies.emplace_back("compact");
        if (config.deleteEnabled) policies.emplace_back("delete");
        return joinList(policies, ",");
    }
    if (name == "compression.gzip.level") return number(config.compressionGzipLevel);
    if (name == "compression.lz4.level") return number(config.compressionLz4Level);
    if (name == "compression.type") return config.compressionType;
    if (name == "compression.zstd.level") return number(config.compressionZstdLevel);
    if (name == "delete.retention.ms") return number(config.deleteRetentionMs);
    if (name == "file.delete.delay.ms") return number(config.fileDeleteDelayMs);
    if (name == "flush.messages") return number(config.flushMessages);
    if (name == "flush.ms") return number(config.flushMs);
    if (name == "follower.replication.throttled.replicas")
        return joinList(config.followerReplicationThrottledReplicas, ",");
    if (name == "index.interval.bytes") return number(config.indexIntervalBytes);
    if (name == "leader.replication.throttled.replicas")
        return joinList(config.leaderReplicationThrottledReplicas, ",");
    if (name == "local.retention.bytes") return number(config.localRetentionBytes);
    if (name == "local.retention.ms") return number(config.localRetentionMs);
    if (name == "max.compaction.lag.ms") return number(config.maxCompactionLagMs);
    if (name == "max.message.bytes") return number(config.maxMessageBytes);
    if (name == "message.downconversion.enable") return boolean(config.messageDownconversionEnable);
    if (name == "message.format.version") return config.messageFormatVersion;
    if (name == "message.timestamp.after.max.ms") return timestampLimit(config.messageTimestampAfterMaxMs);
    if (name == "message.timestamp.before.max.ms") return timestampLimit(config.messageTimestampBeforeMaxMs);
    if (name == "message.timestamp.difference.max.ms") return number(config.messageTimestampDifferenceMaxMs);
    if (name == "message.timestamp.type") return std::string(config.logAppendTime ? "LogAppendTime" : "CreateTime");
    if (name == "min.cleanable.dirty.ratio") return javaDouble(config.minCleanableDirtyRatio);
    if (name == "min.compaction.lag.ms") return number(config.minCompactionLagMs);
    if (name == "min.insync.replicas") return number(config.minInsyncReplicas);
    if (name == "preallocate") return boolean(config.preallocate);
    if (name == "remote.storage.enable") return boolean(config.remoteStorageEnable);
    if (name == "retention.bytes") return number(config.retentionBytes);
    if (name == "retention.ms") return number(config.retentionMs);
    if (name == "segment.bytes") return number(config.segmentBytes);
    if (name == "segment.index.bytes") return number(config.segmentIndexBytes);
    if (name == "segment.jitter.ms") return number(config.segmentJitterMs);
    if (name == "segment.ms") return number(config.segmentMs);
    if (name == "unclean.leader.election.enable") return boolean(config.uncleanLeaderElectionEnable);
    return std::nullopt;
}

}  // namespace partita::storage
