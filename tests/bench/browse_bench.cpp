// browse_bench: the message browser (ui::MessageBrowserPanel over models::MessageModel) on a big
// topic: time to first rows at the end and at an offset, scrolling within the loaded window, and
// peak memory while paging through the whole topic, searching it, and exporting it. Prints RESULT
// lines for tests/bench/browse_bench.sh; one measurement per process so each peak RSS is its own.
//
//   browse_bench BOOTSTRAP TOPIC open RUNS       first rows + paint: new panel, Last 500 again, random offsets
//   browse_bench BOOTSTRAP TOPIC scroll COUNT    scrollTo(random row) + repaint over the loaded window
//   browse_bench BOOTSTRAP TOPIC page-all        fetchMore from the beginning to the end (peak RSS)
//   browse_bench BOOTSTRAP TOPIC scan-capped     TopicScanner, match-all filter, maxResults 20,000 (peak RSS)
//   browse_bench BOOTSTRAP TOPIC search-all FROM the model's search `offset >= FROM` over everything (peak RSS)
//   browse_bench BOOTSTRAP TOPIC export-all FILE MessageExporter writing every record (peak RSS)
#include "clienttestutil.h"

#include "engine/client/kafkaclient.h"
#include "engine/client/topicscanner.h"
#include "models/clustersession.h"
#include "models/messageexporter.h"
#include "models/messagemodel.h"
#include "ui/messagebrowserpanel.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <random>
#include <vector>

using namespace partita;

namespace {

long statusKb(const char* field) {
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : file.readAll().split('\n'))
        if (line.startsWith(field)) return line.mid(qsizetype(std::strlen(field))).trimmed().split(' ')[0].toLong();
    return -1;
}
long peakMb() {
    return statusKb("VmHWM:") / 1024;
}
long rssMb() {
    return statusKb("VmRSS:") / 1024;
}

double ms(const QElapsedTimer& timer) {
    return double(timer.nsecsElapsed()) / 1e6;
}

// Runs the event loop until `done` or `timeoutMs`; false on timeout. Waits for events rather than
// spinning, so the engine's threads keep the cores.
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 60000) {
    QElapsedTimer timer;
    timer.start();
    QTimer tick;  // wakes the loop now and then in case nothing else does
    tick.start(5);
    while (!done()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[(v.size() - 1) / 2];
}
double maximum(const std::vector<double>& v) {
    return v.empty() ? -1 : *std::max_element(v.begin(), v.end());
}

QString list(const std::vector<double>& v) {
    QStringList parts;
    for (double x : v) parts << QString::number(x, 'f', 1);
    return parts.join(',');
}

// Waits for the first rows, then paints them: returns {rows ms, rows+painted ms} since `timer` started.
std::pair<double, double> firstRows(ui::MessageBrowserPanel& panel, const QElapsedTimer& timer) {
    // open() empties the model at once: rows seen now would be the previous window's.
    if (panel.view()->model()->rowCount() > 0) std::fprintf(stderr, "warning: rows before the open returned\n");
    if (!waitUntil([&] { return panel.view()->model()->rowCount() > 0; })) return {-1, -1};
    const double rows = ms(timer);
    panel.view()->viewport()->repaint();
    return {rows, ms(timer)};
}

std::unique_ptr<ui::MessageBrowserPanel> newPanel(models::ClusterSession& session, const QString& topic) {
    auto panel = std::make_unique<ui::MessageBrowserPanel>(&session, topic);
    panel->resize(1400, 900);
    panel->show();
    return panel;
}

int open(models::ClusterSession& session, const QString& topic, int runs) {
    std::vector<double> newRows, newPainted, lastRows, lastPainted, jumpRows, jumpPainted;
    std::mt19937_64 random(42);
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        auto panel = newPanel(session, topic);  // opens at "Last 500"
        auto [rows, painted] = firstRows(*panel, timer);
        newRows.push_back(rows);
        newPainted.push_back(painted);
        waitUntil([&] { return !panel->model()->isLoading(); });

        panel->startCombo()->setCurrentIndex(ui::MessageBrowserPanel::LastN);
        timer.restart();
        panel->openMessages();
        std::tie(rows, painted) = firstRows(*panel, timer);
        lastRows.push_back(rows);
        lastPainted.push_back(painted);
        waitUntil([&] { return !panel->model()->isLoading(); });

        // Every partition from the same random offset below the last ones just shown.
        qint64 lastOffset = 1;
        for (int row = 0; row < panel->model()->rowCount(); ++row)
            lastOffset =
                std::max(lastOffset, panel->model()->index(row, 0).data(models::MessageModel::OffsetRole).toLongLong());
        panel->startCombo()->setCurrentIndex(ui::MessageBrowserPanel::AtOffset);
        panel->offsetSpin()->setValue(int(random() % uint64_t(lastOffset)));
        timer.restart();
        panel->openMessages();
        std::tie(rows, painted) = firstRows(*panel, timer);
        jumpRows.push_back(rows);
        jumpPainted.push_back(painted);
        waitUntil([&] { return !panel->model()->isLoading(); });
        std::printf("run %d: new panel %.1f/%.1f ms, last 500 %.1f/%.1f ms, offset %d: %.1f/%.1f ms (rows/painted)\n",
                    run + 1, newRows.back(), newPainted.back(), lastRows.back(), lastPainted.back(),
                    panel->offsetSpin()->value(), jumpRows.back(), jumpPainted.back());
    }
    std::printf(
        "RESULT mode=open runs=%d new_rows_ms=%.1f new_painted_ms=%.1f last_rows_ms=%.1f last_painted_ms=%.1f "
        "jump_rows_ms=%.1f jump_painted_ms=%.1f peak_rss_mb=%ld\n",
        runs, median(newRows), median(newPainted), median(lastRows), median(lastPainted), median(jumpRows),
        median(jumpPainted), peakMb());
    std::printf("RESULT-LISTS new_painted=%s last_painted=%s jump_painted=%s\n", qPrintable(list(newPainted)),
                qPrintable(list(lastPainted)), qPrintable(list(jumpPainted)));
    return 0;
}

// Loads the window from the beginning (fetchMore, as scrolling down does) up to the model's cap.
bool loadWindow(ui::MessageBrowserPanel& panel) {
    auto* model = panel.model();
    panel.startCombo()->setCurrentIndex(ui::MessageBrowserPanel::Beginning);
    panel.openMessages();
    return waitUntil(
        [&] {
            if (model->isLoading()) return false;
            if (model->rowCount() >= model->maxRows() || !model->canFetchMore({})) return true;
            model->fetchMore({});
            return false;
        },
        300000);
}

int scroll(models::ClusterSession& session, const QString& topic, int count) {
    auto panel = newPanel(session, topic);
    waitUntil([&] { return !panel->model()->isLoading() && panel->model()->rowCount() > 0; });
    QElapsedTimer load;
    load.start();
    if (!loadWindow(*panel)) return std::fprintf(stderr, "loading the window timed out\n"), 1;
    const int rows = panel->model()->rowCount();
    std::printf("window: %d rows loaded from the beginning in %.0f ms (cap %d)\n", rows, ms(load),
                panel->model()->maxRows());
    std::mt19937 random(7);
    std::vector<double> times;
    QTableView* view = panel->view();
    for (int i = 0; i < count; ++i) {
        const int total = view->model()->rowCount();
        const QModelIndex index = view->model()->index(int(random() % unsigned(total)), 1);
        QElapsedTimer timer;
        timer.start();
        view->scrollTo(index, QAbstractItemView::PositionAtCenter);
        view->viewport()->repaint();
        times.push_back(ms(timer));
        // What the scroll set off (a page at the bottom) happens between measurements.
        QCoreApplication::processEvents();
    }
    std::printf("RESULT mode=scroll rows=%d count=%d scroll_median_ms=%.2f scroll_max_ms=%.2f peak_rss_mb=%ld\n", rows,
                count, median(times), maximum(times), peakMb());
    return 0;
}

int pageAll(models::ClusterSession& session, const QString& topic) {
    auto panel = newPanel(session, topic);
    auto* model = panel->model();
    waitUntil([&] { return !model->isLoading() && model->rowCount() > 0; });
    const long before = peakMb();
    panel->startCombo()->setCurrentIndex(ui::MessageBrowserPanel::Beginning);
    panel->openMessages();
    QElapsedTimer timer;
    timer.start();
    qint64 pages = 0;
    const bool ok = waitUntil(
        [&] {
            if (model->isLoading()) return false;
            if (model->atEnd() || !model->canFetchMore({})) return true;
            model->fetchMore({});
            ++pages;
            // The view follows the bottom, as a user holding End would.
            if (pages % 20 == 0) panel->view()->scrollToBottom();
            return false;
        },
        900000);
    if (!ok) return std::fprintf(stderr, "paging timed out\n"), 1;
    const qint64 last = model->index(model->rowCount() - 1, 0).data(models::MessageModel::OffsetRole).toLongLong();
    std::printf(
        "RESULT mode=page-all pages=%lld rows_kept=%d last_offset=%lld seconds=%.1f peak_rss_mb=%ld "
        "peak_before_mb=%ld rss_mb=%ld\n",
        pages, model->rowCount(), last, ms(timer) / 1000, peakMb(), before, rssMb());
    return 0;
}

int scanCapped(models::ClusterSession& session, const QString& topic) {
    client::TopicScanner scanner(session.client());
    client::ScanRequest request{.topic = topic.toStdString(), .maxResults = 20000};
    request.filter = *client::RecordFilter::parse("offset >= 0");
    std::vector<client::ScanMatch> kept;  // what a window of 20,000 holds
    std::promise<Result<client::ScanSummary>> done;
    QElapsedTimer timer;
    timer.start();
    scanner.start(request, {.onResults =
                                [&](std::vector<client::ScanMatch> matches) {
                                    for (auto& m : matches) kept.push_back(std::move(m));
                                },
                            .onProgress = nullptr,
                            .onDone = [&](Result<client::ScanSummary> r) { done.set_value(std::move(r)); }});
    auto summary = done.get_future().get();
    if (!summary.ok()) return std::fprintf(stderr, "scan: %s\n", summary.error().message.c_str()), 1;
    std::printf("RESULT mode=scan-capped scanned=%llu matched=%llu kept=%zu seconds=%.2f peak_rss_mb=%ld\n",
                (unsigned long long)summary.value().totals.scanned, (unsigned long long)summary.value().totals.matched,
                kept.size(), ms(timer) / 1000, peakMb());
    return 0;
}

int searchAll(models::ClusterSession& session, const QString& topic, qint64 fromOffset) {
    auto panel = newPanel(session, topic);
    auto* model = panel->model();
    waitUntil([&] { return !model->isLoading() && model->rowCount() > 0; });
    // Tests every record and matches those from `fromOffset` on in each partition (the last 20,000
    // of the topic with the script's numbers): the scan goes through the whole topic and the
    // model's window fills to its cap at the end.
    const QString expression = QStringLiteral("offset >= %1").arg(fromOffset);
    QElapsedTimer timer;
    timer.start();
    bool finished = false;
    QObject::connect(model, &models::MessageModel::searchFinished, [&] { finished = true; });
    if (!model->search(topic, {}, expression, {})) return std::fprintf(stderr, "search refused\n"), 1;
    if (!waitUntil([&] { return finished; }, 600000)) return std::fprintf(stderr, "search timed out\n"), 1;
    const auto& stats = model->searchStats();
    std::printf(
        "RESULT mode=search-all scanned=%llu matched=%llu rows=%d limit=%d seconds=%.2f peak_rss_mb=%ld "
        "expression='%s'\n",
        (unsigned long long)stats.scanned, (unsigned long long)stats.matched, model->rowCount(),
        int(stats.limitReached), ms(timer) / 1000, peakMb(), qPrintable(expression));
    return 0;
}

int exportAll(models::ClusterSession& session, const QString& topic, const QString& file) {
    models::MessageExporter exporter;
    bool finished = false;
    qint64 written = -1;
    QString error;
    QObject::connect(&exporter, &models::MessageExporter::finished, [&](qint64 n, bool, const QString& e) {
        finished = true;
        written = n;
        error = e;
    });
    QElapsedTimer timer;
    timer.start();
    QString startError;
    if (!exporter.exportScan(file, models::MessageExporter::formatForFileName(file), session.client(),
                             client::ScanRequest{.topic = topic.toStdString()}, &startError))
        return std::fprintf(stderr, "export: %s\n", qPrintable(startError)), 1;
    if (!waitUntil([&] { return finished; }, 600000)) return std::fprintf(stderr, "export timed out\n"), 1;
    if (!error.isEmpty()) return std::fprintf(stderr, "export: %s\n", qPrintable(error)), 1;
    const qint64 bytes = QFile(file).size();
    QFile::remove(file);
    std::printf("RESULT mode=export-all written=%lld file_mb=%lld seconds=%.2f peak_rss_mb=%ld\n", written,
                bytes / (1024 * 1024), ms(timer) / 1000, peakMb());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc < 4) {
        std::fprintf(stderr,
                     "usage: browse_bench BOOTSTRAP TOPIC open RUNS | scroll COUNT | page-all | scan-capped | "
                     "search-all FROM | export-all FILE\n");
        return 2;
    }
    const QString bootstrap = QString::fromLocal8Bit(argv[1]);
    const QString topic = QString::fromLocal8Bit(argv[2]);
    const QByteArray mode = argv[3];
    models::ClusterSession session(tests::clientConfig(bootstrap));
    session.setRefreshInterval(24 * 3600 * 1000);
    // A user opens the browser from a connected session: wait for its first snapshot.
    if (!waitUntil([&] { return session.snapshot() != nullptr; }, 30000))
        return std::fprintf(stderr, "no cluster snapshot\n"), 1;
    if (mode == "open") return open(session, topic, argc > 4 ? std::atoi(argv[4]) : 5);
    if (mode == "scroll") return scroll(session, topic, argc > 4 ? std::atoi(argv[4]) : 200);
    if (mode == "page-all") return pageAll(session, topic);
    if (mode == "scan-capped") return scanCapped(session, topic);
    if (mode == "search-all") return searchAll(session, topic, argc > 4 ? std::atoll(argv[4]) : 0);
    if (mode == "export-all" && argc > 4) return exportAll(session, topic, QString::fromLocal8Bit(argv[4]));
    std::fprintf(stderr, "unknown mode %s\n", mode.constData());
    return 2;
}
