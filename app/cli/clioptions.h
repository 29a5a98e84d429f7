// CommonOptions: the options every command shares (bootstrap servers, -X properties, a client
// properties file, the timeout, --json) and the client settings built from them.
#pragma once

#include "engine/client/clientconfig.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace partita::cli {

struct CommonOptions {
    std::string bootstrap;                // -b host:port[,host:port...]
    std::vector<std::string> properties;  // -X key=value, Kafka's property names
    std::string commandConfig;            // --command-config client.properties
    int timeoutMs = 0;                    // --timeout; 0: request.timeout.ms
    bool json = false;                    // --json: machine-readable output
};

// Registers the options on the top-level app; subcommands fall through to them, so they may
// appear before or after the command.
void addCommonOptions(CLI::App& app, CommonOptions& options);

// "key=value" split at the first '='; UsageError naming `option` otherwise.
std::pair<std::string, std::string> parseKeyValue(const std::string& text, const std::string& option);

// The client properties: the --command-config file, then -X, then `overrides` (a command's own
// flags such as produce -z), each later one winning; bootstrap.servers from -b, else the
// properties, else $PARTITA_BOOTSTRAP. Throws UsageError for a missing bootstrap, an unreadable
// file or a bad -X entry.
std::map<std::string, std::string> clientProperties(const CommonOptions& options,
                                                    const std::map<std::string, std::string>& overrides = {});

// The ClientConfig of those properties, with --timeout applied; UsageError for a bad value.
client::ClientConfig clientConfig(const CommonOptions& options,
                                  const std::map<std::string, std::string>& overrides = {});

}  // namespace partita::cli
