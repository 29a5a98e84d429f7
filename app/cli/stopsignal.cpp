// StopSignal: SIGINT / SIGTERM ask a long-running command to finish cleanly.
#include "stopsignal.h"

#include <atomic>
#include <csignal>

namespace partita::cli {

namespace {

std::atomic<bool> g_stop{false};

void onSignal(int) {
    g_stop.store(true);
}

}  // namespace

void installStopHandler() {
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a read of stdin returns EINTR so the command notices at once; SA_RESETHAND
    // lets a second Ctrl-C kill the process.
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool stopRequested() {
    return g_stop.load(std::memory_order_relaxed);
}

}  // namespace partita::cli
