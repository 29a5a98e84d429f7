// Output helpers shared by the commands: JSON lines on stdout, errors on stderr, value formatting.
#include "output.h"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace partita::cli {

void printJson(const boost::json::value& value) {
    std::cout << boost::json::serialize(value) << '\n';
}

void printError(const std::string& message) {
    std::cout.flush();
    std::cerr << "partita-cli: " << message << std::endl;
}

void printWarning(const std::string& message) {
    std::cerr << "partita-cli: warning: " << message << std::endl;
}

boost::json::value errorJson(const Status& status) {
    if (status.ok()) return nullptr;
    return boost::json::string(status.error().message);
}

boost::json::array idsJson(const std::vector<int32_t>& ids) {
    boost::json::array out;
    for (int32_t id : ids) out.push_back(id);
    return out;
}

std::string joinIds(const std::vector<int32_t>& ids) {
    std::string out;
    for (int32_t id : ids) {
        if (!out.empty()) out += ',';
        out += std::to_string(id);
    }
    return out;
}

std::string valueOr(const std::optional<std::string>& value, const std::string& fallback) {
    return value ? *value : fallback;
}

std::string valueOr(const std::optional<int64_t>& value, const std::string& fallback) {
    return value ? std::to_string(*value) : fallback;
}

boost::json::value nullIfEmpty(const std::string& value) {
    if (value.empty()) return nullptr;
    return boost::json::string(value);
}

std::string partitionName(const std::string& topic, int32_t partition) {
    return topic + "-" + std::to_string(partition);
}

}  // namespace partita::cli
