// Kafka's ConfigDef value syntax shared by topic and broker configs: trimming, joining, the parsed value, the error.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace partita::storage {

// A config value parsed as its type; only the member for that type is meaningful.
struct ConfigValue {
    bool boolean = false;
    int64_t number = 0;
    double real = 0;
    std::string text;
    std::vector<std::string> list;
};

// Kafka's ConfigException wording: "Invalid value <shown> for configuration <key>: <rule>".
Error invalidConfigValue(std::string_view key, std::string_view shown, std::string_view rule);

// Java's String.trim(): every character up to and including the space, on both ends (Kafka trims
// every value before parsing it).
std::string_view javaTrim(std::string_view s);

// Java's String.equalsIgnoreCase for ASCII names (config booleans, group and transaction states).
bool equalsIgnoreCase(std::string_view a, std::string_view b);

// Java's regex \s, which Kafka's list splitting strips around each comma.
bool isRegexSpace(char c);

std::string joinList(const std::vector<std::string>& items, std::string_view separator);

}  // namespace partita::storage
