// Output helpers shared by the commands: JSON lines on stdout, errors on stderr, value formatting.
#pragma once

#include "engine/protocol/result.h"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace partita::cli {

// One compact JSON document and a newline on stdout.
void printJson(const boost::json::value& value);

// "partita-cli: <message>" on stderr.
void printError(const std::string& message);
void printWarning(const std::string& message);

// null for success, else the error message: the "error" field of JSON items.
boost::json::value errorJson(const Status& status);

boost::json::array idsJson(const std::vector<int32_t>& ids);
// "1,2,3", as Kafka's tools print replica lists.
std::string joinIds(const std::vector<int32_t>& ids);
std::string valueOr(const std::optional<std::string>& value, const std::string& fallback);
std::string valueOr(const std::optional<int64_t>& value, const std::string& fallback);
// JSON null for an empty string.
boost::json::value nullIfEmpty(const std::string& value);
// "orders-3", the way Kafka prints a partition.
std::string partitionName(const std::string& topic, int32_t partition);

}  // namespace partita::cli
