// DynamicBrokerConfigs: the broker configs changed at runtime (this broker's and the cluster-wide defaults), their
// checks and their file in the data directory.
#pragma once

#include "engine/protocol/result.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace partita::broker {

class DynamicBrokerConfigs {
public:
    // A BROKER resource named by this broker's id, or the empty name: the defaults of every broker.
    enum class Level { Broker, ClusterDefault };

    // Why a change is refused; `invalidRequest` is Kafka's INVALID_REQUEST, otherwise INVALID_CONFIG.
    struct Refusal {
        bool invalidRequest = false;
        std::string message;
    };

    // The file, in the broker's data directory, holding both levels.
    static constexpr std::string_view kFileName = "partita-dynamic-broker-configs.json";

    explicit DynamicBrokerConfigs(std::string path);

    const std::string& path() const { return m_path; }

    // Reads the file; a missing file is no dynamic configs. A file that cannot be read or parsed, or that holds
    // a key or value that cannot be applied, is an error naming the file and what is wrong, and leaves both
    // levels empty.
    Status load();

    std::map<std::string, std::string> current(Level level) const;

    // server.properties overlaid with the cluster-wide defaults, then with this broker's configs (Kafka's order).
    std::map<std::string, std::string> effective(const std::map<std::string, std::string>& staticValues) const;

    // Stores the complete set of one level and writes the file (a temporary file renamed over the old one); the
    // file failing leaves everything as it was.
    Status replace(Level level, std::map<std::string, std::string> configs);

    // Held by an alter from reading the current set to storing the new one, so concurrent alters do not lose
    // each other's changes.
    std::mutex& alterMutex() { return m_alterMutex; }

    // Whether partitad applies the key without a restart: Kafka allows it dynamically and it is a topic default
    // (the broker setting a topic without an override follows).
    static bool isDynamic(std::string_view name);

    // Kafka's checks of a complete set for one level, worded as Kafka words them; nullopt when it is acceptable.
    static std::optional<Refusal> check(Level level, const std::map<std::string, std::string>& configs);

private:
    Status write(const std::map<std::string, std::string>& broker,
                 const std::map<std::string, std::string>& defaults) const;

    const std::string m_path;
    mutable std::mutex m_mutex;  // guards the two maps (readers are request threads)
    std::map<std::string, std::string> m_broker;
    std::map<std::string, std::string> m_defaults;
    std::mutex m_alterMutex;
};

}  // namespace partita::broker
