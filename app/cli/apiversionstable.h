// Prints the table of Kafka APIs and versions the codec supports.
#pragma once

#include <ostream>

namespace partita::cli {

// One line per API: key, name, version range, first flexible version, deprecated range and
// whether the newest version is still unstable upstream.
void printApiVersionsTable(std::ostream& out);

}  // namespace partita::cli
