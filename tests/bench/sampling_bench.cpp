// sampling_bench: what metric sampling costs the desktop app on a large cluster (issue 11): a
// ClusterSession refreshing as the app does, a MetricCollector every --interval ms recording
// into a MetricHistory on disk, for --rounds rounds; per round the round time, the values per
// frame, process CPU (% of one core, getrusage), RSS and the store's size; then the growth per
// day extrapolated. The cluster is set up by sampling_bench.sh. Nothing is asserted.
//
//   sampling_bench -b HOST:PORT [--rounds 12] [--interval 10000] [--refresh 30000] [--db PATH]
#include "clienttestutil.h"

#include "models/clustersession.h"
#include "models/metriccollector.h"
#include "models/metricstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>

using namespace partita;

namespace {

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long long statusKb(const char* field) {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(strlen(field))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// The store's files together (the WAL holds recent pages until a checkpoint).
qint64 storeBytes(const QString& path) {
    qint64 total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) total += QFileInfo(path + QLatin1String(suffix)).size();
    return total;
}

// Runs the event loop until `done` holds (false after timeoutMs). Checked on a timer: the loop
// sleeps in between, so waiting costs the measured process no CPU.
bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    if (done()) return true;
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done()) loop.quit();
    });
    check.start(20);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QString bootstrap;
    int rounds = 12;
    int interval = 10'000;
    int refresh = 30'000;
    QTemporaryDir tmp;
    QString db = tmp.filePath(QStringLiteral("metrics.sqlite"));
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString next = args.value(i + 1);
        if (args[i] == QLatin1String("-b"))
            bootstrap = next, ++i;
        else if (args[i] == QLatin1String("--rounds"))
            rounds = next.toInt(), ++i;
        else if (args[i] == QLatin1String("--interval"))
            interval = next.toInt(), ++i;
        else if (args[i] == QLatin1String("--refresh"))
            refresh = next.toInt(), ++i;
        else if (args[i] == QLatin1String("--db"))
            db = next, ++i;
    }
    if (bootstrap.isEmpty()) {
        std::fprintf(stderr,
                     "usage: sampling_bench -b HOST:PORT [--rounds N] [--interval MS] [--refresh MS] [--db PATH]\n");
        return 2;
    }

    models::ClusterSession session(tests::clientConfig(bootstrap, {{"request.timeout.ms", "120000"}}));
    session.setRefreshInterval(refresh);
    QElapsedTimer t;
    t.start();
    if (!waitUntil([&] { return session.snapshot() != nullptr; }, 300'000)) {
        std::fprintf(stderr, "no snapshot: %s\n", qPrintable(session.lastError()));
        return 1;
    }
    const auto snap = session.snapshot();
    size_t partitions = 0;
    for (const auto& topic : snap->topics) partitions += topic.partitions.size();
    std::printf("cluster: %zu topics, %zu partitions, %zu groups (first snapshot %.1f s)\n", snap->topics.size(),
                partitions, snap->groups.size(), double(t.elapsed()) / 1000);

    models::MetricHistory history(db);
    models::MetricCollector collector(&session, QStringLiteral("bench"));
    collector.setInterval(interval);
    int problems = 0;
    QObject::connect(&collector, &models::MetricCollector::problem, [&](const QString& p) {
        if (problems++ < 5) std::fprintf(stderr, "problem: %s\n", qPrintable(p));
    });
    int recorded = 0;
    QObject::connect(&history, &models::MetricHistory::recorded, [&] { ++recorded; });
    QObject::connect(&collector, &models::MetricCollector::sampled, &history,
                     [&](const models::MetricFrame& frame) { history.record(frame); });

    QElapsedTimer wall;
    qint64 roundStart = 0;
    QObject::connect(&collector, &models::MetricCollector::sampled, [&](const models::MetricFrame& frame) {
        std::printf("round: %zu values, %zu group offsets, collected in %lld ms\n", frame.values.size(),
                    frame.groupOffsets.size(), QDateTime::currentMSecsSinceEpoch() - roundStart);
        std::fflush(stdout);
    });
    QObject::connect(&collector, &models::MetricCollector::sampled, [&] { roundStart = 0; });

    // The first round warms up (interning every series); the measurement starts after it.
    roundStart = QDateTime::currentMSecsSinceEpoch();
    collector.collectNow();
    if (!waitUntil([&] { return recorded > 0; }, 300'000)) return 1;
    const qint64 sizeAfterFirst = storeBytes(db);
    const double cpu0 = cpuSeconds();
    wall.start();
    std::printf("%-6s %10s %10s %12s %12s\n", "round", "cpu %", "rss MB", "store MB", "grew KB");
    qint64 lastSize = sizeAfterFirst;
    double lastCpu = cpu0;
    qint64 lastWall = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        roundStart = QDateTime::currentMSecsSinceEpoch();
        collector.collectNow();
    });
    ticker.start(interval);
    for (int r = 1; r < rounds; ++r) {
        const int before = recorded;
        if (!waitUntil([&] { return recorded > before; }, 600'000)) return 1;
        const double cpu = cpuSeconds();
        const qint64 now = wall.elapsed();
        const qint64 size = storeBytes(db);
        std::printf("%-6d %10.1f %10.1f %12.2f %12.1f\n", r, 100 * (cpu - lastCpu) / (double(now - lastWall) / 1000),
                    double(statusKb("VmRSS:")) / 1024, double(size) / 1048576, double(size - lastSize) / 1024);
        std::fflush(stdout);
        lastCpu = cpu;
        lastWall = now;
        lastSize = size;
    }
    ticker.stop();
    const double seconds = double(wall.elapsed()) / 1000;
    const double perRound = double(storeBytes(db) - sizeAfterFirst) / std::max(1, rounds - 1);
    const double roundsPerDay = 86'400'000.0 / interval;
    std::printf("\n%-50s %.1f %%\n", "CPU over the measured rounds (% of one core)",
                100 * (cpuSeconds() - cpu0) / seconds);
    std::printf("%-50s %.1f MB (peak %.1f MB)\n", "resident memory", double(statusKb("VmRSS:")) / 1024,
                double(statusKb("VmHWM:")) / 1024);
    std::printf("%-50s %.1f KB\n", "store growth per round", perRound / 1024);
    std::printf("%-50s %.0f MB (raw retention then caps it: 6 h of raw = %.0f MB)\n",
                "store growth per day, extrapolated (raw)", perRound * roundsPerDay / 1048576,
                perRound * roundsPerDay / 4 / 1048576);
    std::printf("%-50s %d\n", "problems reported", problems);

    // What the worker thread spends on a chart's query and on a compaction that moves every
    // raw sample to the per-minute table (as 6 hours later), on the store just filled.
    qint64 queryMs = -1, compactMs = -1, points = 0;
    bool measured = false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    history.withStore(
        [&](models::MetricStore& store) {
            QElapsedTimer timer;
            timer.start();
            const auto keys = store.series(QStringLiteral("bench"), QStringLiteral("group_lag"));
            if (!keys.empty()) points = qint64(store.query(keys.front(), now - 86'400'000, now, 2000).size());
            queryMs = timer.elapsed();
            timer.restart();
            store.compact(now + 7 * 3'600'000LL);
            compactMs = timer.elapsed();
        },
        &app, [&] { measured = true; });
    waitUntil([&] { return measured; }, 600'000);
    std::printf("%-50s %lld ms (%lld points)\n", "query of one series over 24 h", queryMs, points);
    std::printf("%-50s %lld ms\n", "compaction moving every raw sample to minutes", compactMs);
    return 0;
}
