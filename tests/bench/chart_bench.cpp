// chart_bench: a 7-day metric chart at per-minute resolution (3 series of 10,080 samples in a
// MetricHistory, compacted as the app keeps it) from the range change to drawn: the queries answered,
// the series filled and the widget grabbed. Median of 5 runs; the goal is under 100 ms.
//
//   chart_bench [RUNS [PNG]]  prints RESULT lines (ms) for the default maxPoints (the plot's width) and
//                             for every point (maxPoints 10,080, the cost without downsampling); PNG:
//                             where to save the 7-day chart
#include "models/metrichistory.h"
#include "models/metricnames.h"
#include "models/metricseries.h"
#include "models/metricstore.h"
#include "ui/metricchartview.h"

#include <QApplication>
#include <QChartView>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QPixmap>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace partita;

namespace {

constexpr int kSamples = 7 * 24 * 60;  // 10,080: one a minute for a week

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void waitLoaded(ui::MetricChartView& chart) {
    while (chart.isLoading()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    // The offscreen platform's warning about size hints, once per status change, is noise here.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type != QtDebugMsg && !message.contains(QLatin1String("propagateSizeHints")))
            std::fprintf(stderr, "%s\n", qPrintable(message));
    });
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 5;

    QTemporaryDir dir;
    models::MetricHistory history(dir.filePath(QStringLiteral("metrics.sqlite")));
    const QString cluster = QStringLiteral("bench");
    const std::vector<models::SeriesKey> keys = {
        {cluster, QString::fromUtf8(models::metrics::groupLag), QStringLiteral("group:billing")},
        {cluster, QString::fromUtf8(models::metrics::groupLag), QStringLiteral("group:audit")},
        {cluster, QString::fromUtf8(models::metrics::groupLag), QStringLiteral("group:search")},
    };

    // Fill on the store's thread, then compact so older samples sit in the per-minute table as they
    // would after a week of running.
    QElapsedTimer fill;
    fill.start();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool filled = false;
    history.withStore(
        [&](models::MetricStore& store) {
            for (int i = 0; i < kSamples; ++i) {
                models::MetricFrame frame;
                frame.cluster = cluster;
                frame.ms = now - qint64(kSamples - 1 - i) * 60'000;
                for (size_t s = 0; s < keys.size(); ++s)
                    frame.values.push_back(
                        {keys[s], 1000.0 * double(s + 1) + 500.0 * std::sin(double(i) / (60.0 + double(s) * 17.0))});
                store.append(frame);
            }
            store.compact(now);
        },
        &app, [&] { filled = true; });
    while (!filled) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    std::printf("fill: %d samples x %zu series in %.0f ms\n", kSamples, keys.size(), double(fill.elapsed()));

    ui::MetricChartView chart(&history);
    chart.resize(1200, 600);
    chart.show();
    chart.setRange(ui::MetricChartView::Range::Hour1);
    chart.setSeries(keys);
    waitLoaded(chart);

    for (const int maxPoints : {0, kSamples}) {
        chart.setMaxPoints(maxPoints);
        std::vector<double> times;
        qsizetype points = 0;
        for (int run = 0; run < runs; ++run) {
            chart.setRange(ui::MetricChartView::Range::Hour1);
            waitLoaded(chart);
            chart.grab();
            QElapsedTimer timer;
            timer.start();
            chart.setRange(ui::MetricChartView::Range::Days7);
            waitLoaded(chart);
            // The axes' relayout is posted: run it, then paint the whole widget.
            QCoreApplication::processEvents();
            const QPixmap drawn = chart.grab();
            times.push_back(double(timer.nsecsElapsed()) / 1e6);
            points = chart.dataSeries().first()->count();
            if (drawn.isNull()) return 1;
            if (argc > 2 && maxPoints == 0 && run == 0) drawn.save(QString::fromLocal8Bit(argv[2]));
        }
        std::printf("RESULT chart_7d_%s_ms %.1f (median of %d; %lld points per series; runs:",
                    maxPoints == 0 ? "default" : "all", median(times), runs, static_cast<long long>(points));
        for (double t : times) std::printf(" %.1f", t);
        std::printf(")\n");
    }
    return 0;
}
