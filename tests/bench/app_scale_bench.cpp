// app_scale_bench: the desktop app's models and panels against a large cluster (issue 9): refresh
// time, TopicModel::setSnapshot on the GUI thread, topic filter per keystroke, all-groups lag in
// the background with the GUI thread's largest stall, and peak resident memory.
//
//   app_scale_bench -b HOST:PORT [--topics 10000] [--partitions 5] [--groups 2000] [--runs 5]
//                   [--records 10] [--no-create] [--prefix scale] [--skip-setup | --setup-only]
//
// Creates the topics (Admin createTopics in batches), produces 10 records to each partition of
// the topics the groups commit to, and commits offset 0 for every group (Admin alter offsets on
// member-less groups), unless --skip-setup; --setup-only stops there. Prints one table of medians and maxima; asserts
// nothing.
#include "clienttestutil.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "models/clustersession.h"
#include "models/groupmodel.h"
#include "models/topicmodel.h"
#include "ui/groupspanel.h"
#include "ui/topicfilterproxy.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

using namespace partita;

namespace {

struct Options {
    QString bootstrap;
    int topics = 10000;
    int partitions = 5;
    int groups = 2000;
    int runs = 5;
    bool setup = true;
    bool setupOnly = false;
    bool createTopics = true;  // --no-create: the topics exist already (an earlier --setup-only)
    int records = 10;          // per partition of the topics the groups commit to
};

// --prefix: a fresh set of topics and groups on the same cluster.
std::string g_prefix = "scale";

std::string topicName(int i) {
    char name[32];
    std::snprintf(name, sizeof name, "-%05d", i);
    return g_prefix + name;
}

double ms(const QElapsedTimer& t) {
    return double(t.nsecsElapsed()) / 1e6;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double maxOf(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

qint64 statusKb(const char* field) {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(field)) return line.mid(int(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Runs `count` calls, at most `cap` at a time; `call(i, done)` must run `done` exactly once.
void runAll(int count, int cap, const std::function<void(int, std::function<void(bool)>)>& call, const char* what) {
    std::mutex mutex;
    std::condition_variable cv;
    int inFlight = 0;
    int failed = 0;
    int finished = 0;
    for (int i = 0; i < count; ++i) {
        {
            std::unique_lock lock(mutex);
            cv.wait(lock, [&] { return inFlight < cap; });
            ++inFlight;
        }
        call(i, [&](bool ok) {
            std::lock_guard lock(mutex);
            --inFlight;
            ++finished;
            if (!ok) ++failed;
            cv.notify_all();
        });
    }
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return finished == count; });
    if (failed > 0) std::fprintf(stderr, "setup: %d of %d %s failed\n", failed, count, what);
}

bool setUp(const Options& o, client::Admin admin) {
    QElapsedTimer t;
    t.start();
    const int batch = 500;
    const int batches = o.createTopics ? (o.topics + batch - 1) / batch : 0;
    runAll(
        batches, 2,
        [&](int b, std::function<void(bool)> done) {
            std::vector<client::NewTopic> topics;
            for (int i = b * batch; i < std::min(o.topics, (b + 1) * batch); ++i) {
                client::NewTopic topic;
                topic.name = topicName(i);
                topic.numPartitions = o.partitions;
                topic.replicationFactor = 1;
                topics.push_back(std::move(topic));
            }
            client::CreateTopicsOptions options;
            admin.createTopics(std::move(topics), options, [done](Result<std::vector<client::CreatedTopic>> r) {
                // Topics left from an earlier run answer TOPIC_ALREADY_EXISTS: fine for a benchmark.
                done(r.ok());
            });
        },
        "topic batches");
    std::printf("setup: %d topics x %d partitions created in %.1f s\n", o.topics, o.partitions, ms(t) / 1000);

    t.restart();
    auto producer = client::Producer::create(admin.client());
    if (!producer.ok()) {
        std::fprintf(stderr, "setup: no producer: %s\n", producer.error().message.c_str());
        return false;
    }
    const int lagTopics = std::min(o.topics, o.groups);
    int produced = 0;
    for (int i = 0; o.records > 0 && i < lagTopics; ++i) {
        for (int p = 0; p < o.partitions; ++p)
            for (int r = 0; r < o.records; ++r) {
                client::ProducerRecord record;
                record.topic = topicName(i);
                record.partition = p;
                record.value = "v" + std::to_string(r);
                if (producer.value()->produce(record).ok()) ++produced;
            }
        if (i % 200 == 199) (void)tests::waitForStatus([&](auto done) { producer.value()->flush(done); });
    }
    if (const Status flushed = tests::waitForStatus([&](auto done) { producer.value()->flush(done); }); !flushed.ok())
        std::fprintf(stderr, "setup: flush: %s\n", flushed.error().message.c_str());
    std::printf("setup: %d records produced in %.1f s\n", produced, ms(t) / 1000);

    t.restart();
    runAll(
        o.groups, 64,
        [&](int g, std::function<void(bool)> done) {
            std::map<client::TopicPartition, client::OffsetAndMetadata> offsets;
            for (int p = 0; p < o.partitions; ++p) offsets[{topicName(g % lagTopics), p}] = {0, -1, {}};
            admin.alterConsumerGroupOffsets(g_prefix + "-group-" + std::to_string(g), std::move(offsets),
                                            [done](Result<std::vector<client::PartitionStatus>> r) {
                                                done(r.ok() && client::firstFailure(r.value()).ok());
                                            });
        },
        "group commits");
    std::printf("setup: %d groups committed in %.1f s\n", o.groups, ms(t) / 1000);
    return true;
}

// Spins the event loop until `signal` of `sender` fires (or `timeoutMs`); false on timeout.
template <class Sender, class Signal>
bool waitFor(Sender* sender, Signal signal, int timeoutMs = 600000) {
    QEventLoop loop;
    bool fired = false;
    auto c = QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(c);
    return fired;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    // Progress lines reach a log file as they happen, not when the process exits.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Options o;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == "-b")
            o.bootstrap = next, ++i;
        else if (a == "--topics")
            o.topics = next.toInt(), ++i;
        else if (a == "--partitions")
            o.partitions = next.toInt(), ++i;
        else if (a == "--groups")
            o.groups = next.toInt(), ++i;
        else if (a == "--runs")
            o.runs = next.toInt(), ++i;
        else if (a == "--skip-setup")
            o.setup = false;
        else if (a == "--setup-only")
            o.setupOnly = true;
        else if (a == "--records")
            o.records = next.toInt(), ++i;
        else if (a == "--no-create")
            o.createTopics = false;
        else if (a == "--prefix")
            g_prefix = next.toStdString(), ++i;
    }
    if (o.bootstrap.isEmpty()) {
        std::fprintf(stderr,
                     "usage: app_scale_bench -b HOST:PORT [--topics N] [--partitions N] [--groups N] "
                     "[--runs N] [--records N] [--no-create] [--prefix P] [--skip-setup | --setup-only]\n");
        return 2;
    }

    // A generous timeout: describing 50,000 partitions is one large request.
    models::ClusterSession session(tests::clientConfig(o.bootstrap, {{"request.timeout.ms", "120000"}}));
    session.setRefreshInterval(24 * 3600 * 1000);
    if (!session.admin()) return 1;
    client::Admin admin = *session.admin();
    if (o.setup && !setUp(o, admin)) return 1;
    // Setup's producer buffers would count in the peak memory: the script sets up in a run of its own.
    if (o.setupOnly) return 0;
    const qint64 rssBefore = statusKb("VmRSS:");

    // Background refresh (the snapshot), timed from refreshNow to snapshotReady on the GUI thread.
    std::vector<double> refresh;
    for (int run = 0; run <= o.runs; ++run) {
        QElapsedTimer t;
        t.start();
        session.refreshNow();
        if (!waitFor(&session, &models::ClusterSession::snapshotReady)) {
            std::fprintf(stderr, "no snapshot: %s\n", qPrintable(session.lastError()));
            return 1;
        }
        if (run > 0) refresh.push_back(ms(t));  // the first one also connects
    }
    const auto snapshot = session.snapshot();
    int partitions = 0;
    qint64 messages = 0;
    for (const auto& t : snapshot->topics) {
        partitions += int(t.partitions.size());
        messages += std::max<qint64>(0, t.messageCount());
    }
    std::printf("snapshot: %zu topics, %d partitions, %lld messages, %zu groups, %lld warnings\n",
                snapshot->topics.size(), partitions, (long long)messages, snapshot->groups.size(),
                (long long)snapshot->warnings.size());
    for (const QString& w : snapshot->warnings.mid(0, 5)) std::printf("  warning: %s\n", qPrintable(w));

    // TopicModel::setSnapshot with a sorted proxy and a shown view, as the Topics panel has them:
    // the first fill (every row inserted) and a refresh of the same cluster (nothing changed).
    std::vector<double> fill, again, keystroke;
    const QString typed = QString::fromStdString(topicName(o.topics / 2));
    for (int run = 0; run < o.runs; ++run) {
        models::TopicModel model;
        ui::TopicFilterProxy proxy;
        proxy.setSourceModel(&model);
        QTableView view;
        view.setModel(&proxy);
        view.setSortingEnabled(true);
        view.sortByColumn(models::TopicModel::NameColumn, Qt::AscendingOrder);
        view.resize(1000, 700);
        view.show();
        QCoreApplication::processEvents();

        QElapsedTimer t;
        t.start();
        model.setSnapshot(*snapshot);
        QCoreApplication::processEvents();
        fill.push_back(ms(t));
        std::fprintf(stderr, "progress: fill %.1f ms\n", fill.back());
        t.restart();
        model.setSnapshot(*snapshot);
        QCoreApplication::processEvents();
        again.push_back(ms(t));
        std::fprintf(stderr, "progress: unchanged refresh %.1f ms\n", again.back());

        // Typing a topic's name letter by letter, then erasing it, one keystroke at a time.
        QStringList steps;
        for (int n = 1; n <= typed.size(); ++n) steps << typed.left(n);
        for (int n = typed.size() - 1; n >= 0; --n) steps << typed.left(n);
        for (const QString& text : steps) {
            t.restart();
            proxy.setNameFilter(text);
            QCoreApplication::processEvents();
            keystroke.push_back(ms(t));
            std::fprintf(stderr, "progress: filter '%s' %.1f ms\n", qPrintable(text), keystroke.back());
        }
    }

    // All-groups lag in the background, with the Groups panel shown and sorted by lag, while a
    // 10 ms timer on the GUI thread records its largest gap.
    std::vector<double> lag, stall, lagApply;
    qint64 totalLag = 0;
    int groupsWithLag = 0;
    // No groups, no lag computation (and no lagUpdated to wait for).
    for (int run = 0; run < o.runs && !snapshot->groups.empty(); ++run) {
        models::GroupModel model;
        model.setAdmin(admin);
        ui::GroupsPanel panel(&model);
        panel.view()->sortByColumn(models::GroupModel::LagColumn, Qt::DescendingOrder);
        panel.resize(1000, 700);
        panel.show();
        QCoreApplication::processEvents();

        QElapsedTimer tick;
        double largestGap = 0;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(10);
        QObject::connect(&timer, &QTimer::timeout, [&] {
            largestGap = std::max(largestGap, ms(tick));
            tick.restart();
        });
        timer.start();
        tick.start();
        QElapsedTimer t;
        t.start();
        model.setSnapshot(*snapshot);
        lagApply.push_back(ms(t));
        if (!waitFor(&model, &models::GroupModel::lagUpdated)) {
            std::fprintf(stderr, "no lag\n");
            return 1;
        }
        QCoreApplication::processEvents();
        lag.push_back(ms(t));
        timer.stop();
        stall.push_back(largestGap);
        totalLag = 0;
        groupsWithLag = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.group(row)->lag >= 0) ++groupsWithLag;
            totalLag += std::max<qint64>(0, model.group(row)->lag);
        }
    }
    std::printf("lag: %d groups with a known lag, total %lld\n", groupsWithLag, (long long)totalLag);

    std::printf("\n%-58s %10s %10s %8s\n", "measure", "median", "max", "goal");
    auto line = [](const char* what, const std::vector<double>& v, const char* unit, const char* goal) {
        std::printf("%-58s %8.1f %s %8.1f %s %8s\n", what, median(v), unit, maxOf(v), unit, goal);
    };
    line("background refresh (refreshNow -> snapshotReady)", refresh, "ms", "-");
    line("TopicModel::setSnapshot, first fill (GUI thread)", fill, "ms", "<200 ms");
    line("TopicModel::setSnapshot, unchanged refresh (GUI thread)", again, "ms", "<200 ms");
    line("topic filter, per keystroke", keystroke, "ms", "<50 ms");
    line("GroupModel::setSnapshot (GUI thread part)", lagApply, "ms", "-");
    line("all-groups lag (setSnapshot -> lagUpdated)", lag, "ms", "<5000 ms");
    line("largest GUI-thread gap between 10 ms ticks during lag", stall, "ms", "<50 ms");
    std::printf("%-58s %8lld MB (VmRSS after setup %lld MB)      <250 MB\n", "peak resident memory (VmHWM)",
                statusKb("VmHWM:") / 1024, rssBefore / 1024);
    return 0;
}
