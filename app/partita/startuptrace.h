// StartupTrace: `--startup-trace` timestamps of the app's start (milliseconds since the process was
// created, so loading the binary's libraries counts too), printed to stderr for the benchmarks.
#pragma once

namespace partita::app::startuptrace {

void enable();
bool enabled();
// Prints "startup-trace: <ms> <event>" when enabled; does nothing otherwise.
void mark(const char* event);

}  // namespace partita::app::startuptrace
