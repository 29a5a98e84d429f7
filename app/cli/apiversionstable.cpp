// Prints the table of Kafka APIs and versions the codec supports.
#include "apiversionstable.h"

#include <iomanip>
#include <string>

#include "engine/protocol/apiregistry.h"

namespace partita::cli {

namespace {

std::string range(int lo, int hi) {
    if (lo < 0) return "-";
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

std::string listeners(uint8_t bits) {
    std::string out;
    if (bits & protocol::ListenerZkBroker) out += "zk ";
    if (bits & protocol::ListenerBroker) out += "broker ";
    if (bits & protocol::ListenerController) out += "controller ";
    if (!out.empty()) out.pop_back();
    return out;
}

}  // namespace

void printApiVersionsTable(std::ostream& out) {
    out << std::left << std::setw(4) << "key"
        << "  " << std::setw(30) << "api"
        << "  " << std::setw(8) << "versions"
        << "  " << std::setw(8) << "flexible"
        << "  " << std::setw(10) << "deprecated"
        << "  " << std::setw(8) << "unstable"
        << "  "
        << "listeners\n";
    for (const protocol::ApiInfo& api : protocol::allApis()) {
        std::string flexible = api.firstFlexibleVersion < 0 ? "-" : std::to_string(api.firstFlexibleVersion) + "+";
        out << std::left << std::setw(4) << api.key << "  " << std::setw(30) << api.name << "  " << std::setw(8)
            << range(api.minVersion, api.maxVersion) << "  " << std::setw(8) << flexible << "  " << std::setw(10)
            << range(api.deprecatedMin, api.deprecatedMax) << "  " << std::setw(8)
            << (api.latestVersionUnstable ? "v" + std::to_string(api.maxVersion) : "-") << "  "
            << listeners(api.listeners) << "\n";
    }
    out << protocol::allApis().size() << " APIs\n";
}

}  // namespace partita::cli
