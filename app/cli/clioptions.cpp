// CommonOptions: the options every command shares and the client settings built from them.
#include "clioptions.h"

#include "clierrors.h"
#include "engine/protocol/propertiesfile.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace partita::cli {

void addCommonOptions(CLI::App& app, CommonOptions& options) {
    app.add_option("-b,--bootstrap-server", options.bootstrap,
                   "Brokers to connect to, host:port[,host:port...] (default: $PARTITA_BOOTSTRAP)");
    app.add_option("-X,--property", options.properties,
                   "A client property key=value under Kafka's names (repeatable), e.g. -X security.protocol=SSL")
        ->allow_extra_args(false);
    app.add_option("--command-config,--config", options.commandConfig,
                   "A Java client .properties file (security settings, timeouts, ...)");
    app.add_option("--timeout", options.timeoutMs, "How long an operation may take, in ms (request.timeout.ms)")
        ->check(CLI::Range(1, std::numeric_limits<int>::max()));
    app.add_flag("--json", options.json, "Machine-readable JSON output");
}

std::pair<std::string, std::string> parseKeyValue(const std::string& text, const std::string& option) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError(option + " expects key=value, got '" + text + "'");
    return {text.substr(0, eq), text.substr(eq + 1)};
}

std::map<std::string, std::string> clientProperties(const CommonOptions& options,
                                                    const std::map<std::string, std::string>& overrides) {
    std::map<std::string, std::string> properties;
    if (!options.commandConfig.empty()) {
        auto file = protocol::parsePropertiesFile(options.commandConfig);
        if (!file.ok()) throw UsageError(file.error().message);
        properties = std::move(file.value());
    }
    for (const auto& entry : options.properties) {
        auto [key, value] = parseKeyValue(entry, "-X");
        properties[key] = value;
    }
    for (const auto& [key, value] : overrides) properties[key] = value;

    // librdkafka's spelling counts as given too.
    const bool inProperties = properties.count("bootstrap.servers") || properties.count("metadata.broker.list");
    if (!options.bootstrap.empty()) {
        properties.erase("metadata.broker.list");
        properties["bootstrap.servers"] = options.bootstrap;
    } else if (!inProperties) {
        const char* env = std::getenv("PARTITA_BOOTSTRAP");
        if (env == nullptr || *env == '\0')
            throw UsageError(
                "no brokers given: use -b host:port, bootstrap.servers in --command-config, or "
                "$PARTITA_BOOTSTRAP");
        properties["bootstrap.servers"] = env;
    }
    if (!properties.count("client.id")) properties["client.id"] = "partita-cli";
    if (options.timeoutMs > 0) properties["request.timeout.ms"] = std::to_string(options.timeoutMs);
    return properties;
}

client::ClientConfig clientConfig(const CommonOptions& options, const std::map<std::string, std::string>& overrides) {
    auto config = client::ClientConfig::fromProperties(clientProperties(options, overrides));
    if (!config.ok()) throw UsageError(config.error().message);
    // A connection attempt must not outlast the whole operation.
    if (options.timeoutMs > 0) config->connectTimeoutMs = std::min(config->connectTimeoutMs, options.timeoutMs);
    return std::move(config.value());
}

}  // namespace partita::cli
