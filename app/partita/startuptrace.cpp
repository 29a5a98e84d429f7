// StartupTrace: measures from the process's creation time in /proc, not from main(), because the
// dynamic loader's work before main is part of what a user waits for.
#include "startuptrace.h"

#include <QFile>

#include <unistd.h>
#include <cstdio>
#include <ctime>

namespace partita::app::startuptrace {

namespace {

bool g_enabled = false;
double g_startSeconds = -1;  // process creation, in CLOCK_BOOTTIME seconds

// Field 22 of /proc/self/stat: start time in clock ticks after boot. The command name (field 2) may
// hold spaces, so the fields are counted after its closing parenthesis.
double processStartSeconds() {
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly)) return -1;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    // After the name, field 3 is index 0, so field 22 is index 19.
    if (fields.size() < 20) return -1;
    return fields[19].toDouble() / double(sysconf(_SC_CLK_TCK));
}

double nowSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

}  // namespace

void enable() {
    g_enabled = true;
    g_startSeconds = processStartSeconds();
    mark("main");
}

bool enabled() {
    return g_enabled;
}

void mark(const char* event) {
    if (!g_enabled) return;
    const double ms = g_startSeconds >= 0 ? (nowSeconds() - g_startSeconds) * 1000.0 : -1;
    std::fprintf(stderr, "startup-trace: %.1f %s\n", ms, event);
    std::fflush(stderr);
}

}  // namespace partita::app::startuptrace
