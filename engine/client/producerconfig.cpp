// ProducerConfig: Kafka's producer property names, their librdkafka spellings, defaults and checks.
#include "engine/client/producerconfig.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

namespace partita::client {

namespace {

using protocol::records::CompressionType;

Error invalid(std::string message) {
    return Error{ErrorKind::InvalidArgument, std::move(message)};
}

std::string lowerTrimmed(std::string value) {
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    value.erase(value.begin(), std::find_if(value.begin(), value.end(), notSpace));
    value.erase(std::find_if(value.rbegin(), value.rend(), notSpace).base(), value.end());
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return value;
}

// The first of `names` the user set: Java's name first, then librdkafka's.
std::optional<std::string> firstSet(const ClientConfig& config, std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (config.properties.count(name) != 0) return std::string(name);
    return std::nullopt;
}

Status readInt(const ClientConfig& config, std::initializer_list<const char*> names, int64_t min, int64_t max,
               auto& out) {
    auto name = firstSet(config, names);
    if (!name) return Status::success();
    auto value = config.intProperty(*name, int64_t(out), min, max);
    if (!value.ok()) return value.error();
    out = static_cast<std::remove_reference_t<decltype(out)>>(value.value());
    return Status::success();
}

}  // namespace

Result<ProducerConfig> ProducerConfig::fromClientConfig(const ClientConfig& config) {
    ProducerConfig c;
    c.requestTimeoutMs = config.requestTimeoutMs;
    c.retryBackoffMs = config.retryBackoffMs;

    if (auto name = firstSet(config, {"transactional.id"}); name && !config.properties.at(*name).empty())
        return Error{ErrorKind::Unsupported,
                     "transactional.id: transactions are not supported by this producer yet (remove the setting)"};

    if (auto name = firstSet(config, {"acks", "request.required.acks"})) {
        const std::string value = lowerTrimmed(config.properties.at(*name));
        if (value == "all" || value == "-1")
            c.acks = -1;
        else if (value == "0")
            c.acks = 0;
        else if (value == "1")
            c.acks = 1;
        else
            return invalid(*name + ": expected all, -1, 0 or 1, got '" + config.properties.at(*name) + "'");
    }
    const int64_t intMax = std::numeric_limits<int32_t>::max();
    for (Status s :
         {readInt(config, {"linger.ms", "queue.buffering.max.ms"}, 0, 900000, c.lingerMs),
          readInt(config, {"batch.size"}, 0, 1000000000, c.batchSize),
          readInt(config, {"max.in.flight.requests.per.connection", "max.in.flight"}, 1, 1000000, c.maxInFlight),
          readInt(config, {"retries", "message.send.max.retries"}, 0, intMax, c.retries),
          readInt(config, {"delivery.timeout.ms", "message.timeout.ms"}, 1, intMax, c.deliveryTimeoutMs),
          readInt(config, {"buffer.memory"}, 1, std::numeric_limits<int64_t>::max(), c.bufferMemory),
          readInt(config, {"max.request.size", "message.max.bytes"}, 1000, intMax, c.maxRequestSize)}) {
        if (!s.ok()) return s.error();
    }
    if (auto name = firstSet(config, {"compression.type", "compression.codec"})) {
        const std::string value = lowerTrimmed(config.properties.at(*name));
        auto type = protocol::records::compressionTypeFromName(value);
        if (!type) return invalid(*name + ": expected none, gzip, snappy, lz4 or zstd, got '" + value + "'");
        c.compression = *type;
    }
    if (auto name = firstSet(config, {"partitioner"})) {
        const std::string value = lowerTrimmed(config.properties.at(*name));
        if (value != "murmur2" && value != "murmur2_random" && value != "default")
            return invalid(*name + ": '" + value +
                           "' is not supported; use murmur2 (Kafka's default partitioner, also murmur2_random)");
    }

    // Java (3.2+): idempotence is on by default and quietly off when a setting conflicts with it;
    // asked for explicitly, a conflict is an error.
    const bool explicitIdempotence = config.properties.count("enable.idempotence") != 0;
    auto idempotence = config.boolProperty("enable.idempotence", true);
    if (!idempotence.ok()) return idempotence.error();
    c.idempotence = idempotence.value();
    if (c.idempotence && (c.acks != -1 || c.maxInFlight > 5)) {
        if (explicitIdempotence) {
            if (c.acks != -1) return invalid("enable.idempotence=true needs acks=all");
            return invalid("enable.idempotence=true needs max.in.flight.requests.per.connection of at most 5");
        }
        c.idempotence = false;
    }

    // Java: delivery.timeout.ms must cover linger.ms + request.timeout.ms; an unset one is raised.
    const int64_t minDelivery = int64_t(c.lingerMs) + c.requestTimeoutMs;
    if (c.deliveryTimeoutMs < minDelivery) {
        if (firstSet(config, {"delivery.timeout.ms", "message.timeout.ms"}))
            return invalid("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms (" +
                           std::to_string(minDelivery) + ")");
        c.deliveryTimeoutMs = int32_t(std::min(minDelivery, intMax));
    }
    if (Status s = c.validate(); !s.ok()) return s.error();
    return c;
}

Status ProducerConfig::validate() const {
    if (acks != -1 && acks != 0 && acks != 1) return invalid("acks: expected all, -1, 0 or 1");
    if (idempotence && acks != -1) return invalid("enable.idempotence=true needs acks=all");
    if (idempotence && maxInFlight > 5)
        return invalid("enable.idempotence=true needs max.in.flight.requests.per.connection of at most 5");
    if (maxInFlight < 1) return invalid("max.in.flight.requests.per.connection must be at least 1");
    if (lingerMs < 0) return invalid("linger.ms must not be negative");
    if (batchSize < 0) return invalid("batch.size must not be negative");
    if (retries < 0) return invalid("retries must not be negative");
    if (deliveryTimeoutMs < 1) return invalid("delivery.timeout.ms must be positive");
    if (requestTimeoutMs < 1) return invalid("request.timeout.ms must be positive");
    if (retryBackoffMs < 0) return invalid("retry.backoff.ms must not be negative");
    if (bufferMemory < 1) return invalid("buffer.memory must be positive");
    if (maxRequestSize < 1000) return invalid("max.request.size must be at least 1000");
    return Status::success();
}

}  // namespace partita::client
