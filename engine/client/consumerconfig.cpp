// Reading the consumer's Kafka properties into a ConsumerConfig.
#include "engine/client/consumerconfig.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>

namespace partita::client {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

Error badValue(const std::string& key, const std::string& value, const std::string& expected) {
    return Error{ErrorKind::InvalidArgument, key + ": \"" + value + "\" is not valid; expected " + expected};
}

}  // namespace

const char* isolationLevelName(IsolationLevel level) {
    return level == IsolationLevel::ReadCommitted ? "read_committed" : "read_uncommitted";
}

const char* offsetResetPolicyName(OffsetResetPolicy policy) {
    switch (policy) {
        case OffsetResetPolicy::Latest:
            return "latest";
        case OffsetResetPolicy::Earliest:
            return "earliest";
        case OffsetResetPolicy::None:
            return "none";
    }
    return "latest";
}

Result<ConsumerConfig> ConsumerConfig::fromClientConfig(const ClientConfig& config) {
    ConsumerConfig out;
    constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

    const std::string isolation = config.stringProperty("isolation.level", "read_uncommitted");
    if (lower(isolation) == "read_uncommitted") {
        out.isolationLevel = IsolationLevel::ReadUncommitted;
    } else if (lower(isolation) == "read_committed") {
        out.isolationLevel = IsolationLevel::ReadCommitted;
    } else {
        return badValue("isolation.level", isolation, "read_uncommitted or read_committed");
    }

    const std::string reset = config.stringProperty("auto.offset.reset", "latest");
    const std::string resetLower = lower(reset);
    if (resetLower == "latest" || resetLower == "largest" || resetLower == "end") {
        out.autoOffsetReset = OffsetResetPolicy::Latest;
    } else if (resetLower == "earliest" || resetLower == "smallest" || resetLower == "beginning") {
        out.autoOffsetReset = OffsetResetPolicy::Earliest;
    } else if (resetLower == "none" || resetLower == "error") {
        out.autoOffsetReset = OffsetResetPolicy::None;
    } else {
        return badValue("auto.offset.reset", reset, "latest, earliest or none");
    }

    auto minBytes = config.intProperty("fetch.min.bytes", out.fetchMinBytes, 0, kIntMax);
    if (!minBytes) return minBytes.error();
    auto maxBytes = config.intProperty("fetch.max.bytes", out.fetchMaxBytes, 0, kIntMax);
    if (!maxBytes) return maxBytes.error();
    auto partitionBytes = config.intProperty("max.partition.fetch.bytes", out.maxPartitionFetchBytes, 0, kIntMax);
    if (!partitionBytes) return partitionBytes.error();
    auto maxWait = config.intProperty("fetch.max.wait.ms", out.fetchMaxWaitMs, 0, kIntMax);
    if (!maxWait) return maxWait.error();
    auto checkCrcs = config.boolProperty("check.crcs", out.checkCrcs);
    if (!checkCrcs) return checkCrcs.error();

    out.fetchMinBytes = int32_t(*minBytes);
    out.fetchMaxBytes = int32_t(*maxBytes);
    out.maxPartitionFetchBytes = int32_t(*partitionBytes);
    out.fetchMaxWaitMs = int32_t(*maxWait);
    out.checkCrcs = *checkCrcs;
    return out;
}

}  // namespace partita::client
