// StopSignal: Ctrl-C (SIGINT) and SIGTERM ask a long-running command (produce, consume --follow) to
// finish cleanly: flush what it has, commit, print its summary.
#pragma once

namespace partita::cli {

// Installs the handlers; a second signal ends the process at once.
void installStopHandler();
bool stopRequested();

}  // namespace partita::cli
