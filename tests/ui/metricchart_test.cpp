// metricchart_test: MetricChartView, MetricsPanel and SparklineDelegate on a MetricHistory in a temp
// directory fed with synthetic frames (no partitad): series and points per range, thresholds and
// bands, zoom / reset / pan, live append, stale answers, hover, and the lag chart screenshot.
#include "models/alertrule.h"
#include "models/metrichistory.h"
#include "models/metricnames.h"
#include "models/metricseries.h"
#include "ui/metricchartview.h"
#include "ui/metricspanel.h"
#include "ui/sparklinedelegate.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QWheelEvent>

#include <memory>

using namespace partita;
using models::SeriesKey;
using ui::MetricChartView;

namespace {

constexpr qint64 kStep = 30'000;  // one synthetic frame every 30 s
constexpr int kFrames = 240;      // two hours of them

const QString kCluster = QStringLiteral("c1");

SeriesKey lagKey(const QString& group) {
    return {kCluster, QString::fromUtf8(models::metrics::groupLag), QStringLiteral("group:") + group};
}

models::AlertRule lagRule(double threshold, models::Severity severity, const QString& subjectPattern = "*") {
    models::AlertRule rule;
    rule.id = QStringLiteral("lag-%1").arg(threshold);
    rule.name = QStringLiteral("Consumer lag");
    rule.metric = QString::fromUtf8(models::metrics::groupLag);
    rule.scopeKind = QStringLiteral("group");
    rule.subjectPattern = subjectPattern;
    rule.op = models::AlertRule::Op::Gt;
    rule.threshold = threshold;
    rule.severity = severity;
    return rule;
}

// Points of a series whose time is in [fromMs, toMs].
int pointsIn(const QLineSeries* series, qint64 fromMs, qint64 toMs) {
    int n = 0;
    for (const QPointF& p : series->points()) n += (p.x() >= double(fromMs) && p.x() <= double(toMs)) ? 1 : 0;
    return n;
}

}  // namespace

class MetricChartTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<models::MetricHistory> m_history;
    qint64 m_nowMs = 0;

    // Two groups' lag every 30 s over the last two hours: billing grows by 100 a frame, audit stays at 50.
    void recordHistory() {
        QSignalSpy recorded(m_history.get(), &models::MetricHistory::recorded);
        m_nowMs = QDateTime::currentMSecsSinceEpoch();
        for (int k = kFrames - 1; k >= 0; --k) {
            models::MetricFrame frame;
            frame.cluster = kCluster;
            frame.ms = m_nowMs - k * kStep;
            frame.values.push_back({lagKey("billing"), double((kFrames - k) * 100)});
            frame.values.push_back({lagKey("audit"), 50.0});
            m_history->record(frame);
        }
        QTRY_COMPARE_WITH_TIMEOUT(recorded.count(), kFrames, 30000);
    }

    static bool waitLoaded(MetricChartView& chart) {
        QSignalSpy loaded(&chart, &MetricChartView::loaded);
        if (!chart.isLoading()) return true;
        return loaded.wait(10000);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_history = std::make_unique<models::MetricHistory>(m_dir.filePath(QStringLiteral("metrics.sqlite")));
        recordHistory();
    }

    void cleanupTestCase() { m_history.reset(); }

    void seriesAndPointsPerRange() {
        MetricChartView chart(m_history.get());
        chart.resize(900, 500);
        chart.show();
        chart.setRange(MetricChartView::Range::Minutes15);
        chart.setSeries({lagKey("billing"), lagKey("audit")});
        QCOMPARE(chart.statusLabel()->text(), QStringLiteral("Loading…"));
        QVERIFY(waitLoaded(chart));
        QCOMPARE(chart.statusLabel()->text(), QString());
        QCOMPARE(chart.dataSeries().size(), 2);
        // 15 minutes of 30 s frames: 30 (31 when the range ends exactly on a frame).
        for (QLineSeries* series : chart.dataSeries()) {
            QVERIFY2(series->count() >= 30 && series->count() <= 31, qPrintable(QString::number(series->count())));
            QCOMPARE(pointsIn(series, chart.rangeFromMs(), chart.rangeToMs()), series->count());
        }
        QVERIFY(chart.dataSeries()[0]->name().contains(QStringLiteral("billing")));
        QCOMPARE(chart.dataSeries()[1]->at(0).y(), 50.0);
        QCOMPARE(chart.timeAxis()->min().toMSecsSinceEpoch(), chart.rangeFromMs());
        QCOMPARE(chart.timeAxis()->max().toMSecsSinceEpoch(), chart.rangeToMs());
        // The value axis reaches the billing group's largest value (100 per frame).
        QVERIFY(chart.valueAxis()->max() >= double(kFrames) * 100);

        chart.setRange(MetricChartView::Range::Hour1);
        QVERIFY(waitLoaded(chart));
        for (QLineSeries* series : chart.dataSeries())
            QVERIFY2(series->count() >= 120 && series->count() <= 121, qPrintable(QString::number(series->count())));
        QCOMPARE(chart.timeAxis()->max().toMSecsSinceEpoch() - chart.timeAxis()->min().toMSecsSinceEpoch(),
                 MetricChartView::rangeSpanMs(MetricChartView::Range::Hour1));

        // A long range asks for at most maxPoints points per series.
        chart.setMaxPoints(50);
        chart.setRange(MetricChartView::Range::Hours6);
        QVERIFY(waitLoaded(chart));
        for (QLineSeries* series : chart.dataSeries()) {
            QVERIFY(series->count() > 10);
            QVERIFY2(series->count() <= 50, qPrintable(QString::number(series->count())));
        }

        // A series with nothing recorded says so.
        chart.setSeries({{kCluster, QString::fromUtf8(models::metrics::groupLag), QStringLiteral("group:none")}});
        QVERIFY(waitLoaded(chart));
        QCOMPARE(chart.dataSeries().first()->count(), 0);
        QVERIFY(!chart.statusLabel()->text().isEmpty());
    }

    void thresholdsAndBands() {
        MetricChartView chart(m_history.get());
        chart.resize(900, 500);
        chart.show();
        chart.setRange(MetricChartView::Range::Hour1);
        chart.setSeries({lagKey("billing")});
        QVERIFY(waitLoaded(chart));

        models::AlertRule other = lagRule(5, models::Severity::Critical);
        other.metric = QString::fromUtf8(models::metrics::groupMembers);  // another metric: not drawn
        models::AlertRule elsewhere = lagRule(7, models::Severity::Critical, QStringLiteral("pay*"));  // another group
        models::AlertRule disabled = lagRule(9, models::Severity::Critical);
        disabled.enabled = false;
        chart.setThresholds(
            {lagRule(10000, models::Severity::Warning, QStringLiteral("bill*")), other, elsewhere, disabled});

        QCOMPARE(chart.thresholdSeries().size(), 1);
        QLineSeries* line = chart.thresholdSeries().first();
        QCOMPARE(line->count(), 2);
        QCOMPARE(line->at(0).y(), 10000.0);
        QCOMPARE(line->at(1).y(), 10000.0);
        QCOMPARE(line->pen().style(), Qt::DashLine);
        // It spans the shown window.
        QVERIFY(line->at(0).x() <= double(chart.visibleFromMs()));
        QVERIFY(line->at(1).x() >= double(chart.visibleToMs()));

        QCOMPARE(chart.bandSeries().size(), 1);
        QAreaSeries* band = chart.bandSeries().first();
        QCOMPARE(band->lowerSeries()->at(0).y(), 10000.0);
        QCOMPARE(band->upperSeries()->at(0).y(), chart.valueAxis()->max());
        QVERIFY(band->brush().color().alpha() < 255);                         // translucent
        QVERIFY(band->brush().color().red() > band->brush().color().blue());  // amber

        // A "below" rule puts its band under the line, down to the axis minimum; critical is red.
        models::AlertRule below = lagRule(2000, models::Severity::Critical);
        below.op = models::AlertRule::Op::Lt;
        chart.setThresholds({below});
        QCOMPARE(chart.bandSeries().size(), 1);
        QCOMPARE(chart.bandSeries().first()->upperSeries()->at(0).y(), 2000.0);
        QCOMPARE(chart.bandSeries().first()->lowerSeries()->at(0).y(), chart.valueAxis()->min());
        const QColor critical = chart.thresholdSeries().first()->pen().color();
        QVERIFY(critical.red() > 150 && critical.green() < 100);  // red

        // The data is still there after the rules changed.
        QVERIFY(chart.dataSeries().first()->count() >= 120);

        // A dark palette switches the chart to its dark theme, keeping lines, colours and thresholds.
        const QColor lineColor = chart.dataSeries().first()->pen().color();
        QPalette dark = chart.palette();
        dark.setColor(QPalette::Window, QColor(30, 30, 30));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        chart.setPalette(dark);
        QCOMPARE(chart.chart()->theme(), QChart::ChartThemeDark);
        QCOMPARE(chart.dataSeries().first()->pen().color(), lineColor);
        QVERIFY(chart.dataSeries().first()->count() >= 120);
        QCOMPARE(chart.thresholdSeries().size(), 1);
        QCOMPARE(chart.thresholdSeries().first()->pen().color(), critical);
        QVERIFY(QDir().mkpath(QStringLiteral(PARTITA_SCREENSHOT_DIR)));
        QTest::qWait(50);  // the chart lays its items out again on the next event loop pass
        QVERIFY(chart.grab().save(QStringLiteral(PARTITA_SCREENSHOT_DIR) + "/metricchart-dark.png"));
    }

    void zoomPanAndReset() {
        MetricChartView chart(m_history.get());
        chart.resize(900, 500);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setRange(MetricChartView::Range::Hour1);
        chart.setSeries({lagKey("billing")});
        QVERIFY(waitLoaded(chart));
        const qint64 from = chart.timeAxis()->min().toMSecsSinceEpoch();
        const qint64 to = chart.timeAxis()->max().toMSecsSinceEpoch();
        QVERIFY(!chart.resetZoomButton()->isEnabled());

        const qint64 quarter = (to - from) / 4;
        chart.zoomTo(from + quarter, to - quarter);
        QCOMPARE(chart.timeAxis()->min().toMSecsSinceEpoch(), from + quarter);
        QCOMPARE(chart.timeAxis()->max().toMSecsSinceEpoch(), to - quarter);
        QVERIFY(chart.isZoomed());
        QVERIFY(chart.resetZoomButton()->isEnabled());
        // The zoomed window is asked for at full detail.
        QSignalSpy loaded(&chart, &MetricChartView::loaded);
        QVERIFY(loaded.wait(5000));
        const int zoomedPoints = int(chart.dataSeries().first()->count());
        QVERIFY2(zoomedPoints >= 59 && zoomedPoints <= 61, qPrintable(QString::number(zoomedPoints)));

        // Arrow key pans back in time by a tenth of the window.
        chart.chartView()->setFocus();
        const qint64 zoomedSpan = chart.visibleToMs() - chart.visibleFromMs();
        QTest::keyClick(chart.chartView(), Qt::Key_Left);
        QCOMPARE(chart.timeAxis()->min().toMSecsSinceEpoch(), from + quarter + qint64(double(zoomedSpan) * -0.1));
        QVERIFY(chart.timeAxis()->min().toMSecsSinceEpoch() < from + quarter);

        // The wheel zooms in around the cursor.
        const qint64 spanBefore = chart.visibleToMs() - chart.visibleFromMs();
        const QPointF center = chart.chart()->plotArea().center();
        QWheelEvent wheel(center, chart.chartView()->viewport()->mapToGlobal(center), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(chart.chartView()->viewport(), &wheel);
        QVERIFY(chart.visibleToMs() - chart.visibleFromMs() < spanBefore);

        // A rubber band drag over the middle of the plot zooms to what it covered.
        chart.resetZoom();
        const QRectF plot = chart.chart()->plotArea();
        const QPoint a(int(plot.left() + plot.width() * 0.25), int(plot.center().y()));
        const QPoint b(int(plot.left() + plot.width() * 0.75), int(plot.center().y()));
        QTest::mousePress(chart.chartView()->viewport(), Qt::LeftButton, Qt::NoModifier, a);
        QTest::mouseMove(chart.chartView()->viewport(), b);
        QTest::mouseRelease(chart.chartView()->viewport(), Qt::LeftButton, Qt::NoModifier, b);
        QVERIFY(chart.isZoomed());
        const qint64 banded = chart.visibleToMs() - chart.visibleFromMs();
        QVERIFY2(banded > (to - from) * 4 / 10 && banded < (to - from) * 6 / 10, qPrintable(QString::number(banded)));

        QTest::mouseClick(chart.resetZoomButton(), Qt::LeftButton);
        QCOMPARE(chart.timeAxis()->min().toMSecsSinceEpoch(), from);
        QCOMPARE(chart.timeAxis()->max().toMSecsSinceEpoch(), to);
        QVERIFY(!chart.isZoomed());
        QVERIFY(!chart.resetZoomButton()->isEnabled());
        QVERIFY(chart.dataSeries().first()->count() >= 120);
    }

    void hoverShowsNearestValues() {
        MetricChartView chart(m_history.get());
        chart.resize(900, 500);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setRange(MetricChartView::Range::Minutes15);
        chart.setSeries({lagKey("billing"), lagKey("audit")});
        QVERIFY(waitLoaded(chart));
        // The readout at the newest frame: both groups' values.
        const QString text = chart.hoverTextAt(m_nowMs);
        QVERIFY2(text.contains(QStringLiteral("%1").arg(kFrames * 100)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("audit")) && text.contains(QStringLiteral(": 50 at")), qPrintable(text));
        // And the mouse over the plot shows one.
        const QPointF center = chart.chart()->plotArea().center();
        QTest::mouseMove(chart.chartView()->viewport(), center.toPoint());
        QTRY_VERIFY(!chart.hoverText().isEmpty());
        QVERIFY(chart.hoverText().contains(QStringLiteral("billing")));
    }

    void liveAppendsFrames() {
        MetricChartView chart(m_history.get());
        chart.resize(900, 500);
        chart.show();
        QCOMPARE(chart.range(), MetricChartView::Range::Live);
        chart.setSeries({lagKey("billing")});
        QVERIFY(waitLoaded(chart));
        const qsizetype before = chart.dataSeries().first()->count();
        QVERIFY(before >= 30);

        models::MetricFrame frame;
        frame.cluster = kCluster;
        frame.ms = chart.rangeToMs() + 10'000;
        frame.values.push_back({lagKey("billing"), 123456.0});
        frame.values.push_back({lagKey("other"), 1.0});
        chart.appendFrame(frame);
        QLineSeries* series = chart.dataSeries().first();
        QCOMPARE(series->at(series->count() - 1), QPointF(double(frame.ms), 123456.0));
        // The window scrolled to end at the new frame, and the axis follows the new value.
        QCOMPARE(chart.timeAxis()->max().toMSecsSinceEpoch(), frame.ms);
        QCOMPARE(chart.visibleToMs() - chart.visibleFromMs(),
                 MetricChartView::rangeSpanMs(MetricChartView::Range::Live));
        QVERIFY(chart.valueAxis()->max() >= 123456.0);
        // Points older than the window (but the one entering it) are gone.
        QVERIFY(pointsIn(series, 0, chart.visibleFromMs() - 1) <= 1);

        // A frame that arrives while a reload is on its way is kept.
        chart.reload();
        QVERIFY(chart.isLoading());
        frame.ms += 10'000;
        frame.values[0].second = 200000.0;
        chart.appendFrame(frame);
        QVERIFY(waitLoaded(chart));
        series = chart.dataSeries().first();
        QCOMPARE(series->at(series->count() - 1), QPointF(double(frame.ms), 200000.0));
    }

    void staleAnswersAreIgnored() {
        MetricChartView chart(m_history.get());
        chart.resize(900, 500);
        chart.show();
        chart.setRange(MetricChartView::Range::Days7);
        chart.setSeries({lagKey("billing")});
        QVERIFY(chart.isLoading());
        QSignalSpy loaded(&chart, &MetricChartView::loaded);
        // Changed before the 7-day answer came: that answer must not be drawn.
        chart.setRange(MetricChartView::Range::Minutes15);
        QVERIFY(loaded.wait(10000));
        QTest::qWait(300);
        QCOMPARE(loaded.count(), 1);
        QLineSeries* series = chart.dataSeries().first();
        QVERIFY2(series->count() >= 30 && series->count() <= 31, qPrintable(QString::number(series->count())));
        QCOMPARE(pointsIn(series, chart.rangeFromMs(), chart.rangeToMs()), series->count());
    }

    void panelPicksSubjectsAndLagChartScreenshot() {
        // A lag that grows across the warning threshold over the last 15 minutes, one frame every 10 s.
        QTemporaryDir dir;
        models::MetricHistory history(dir.filePath(QStringLiteral("lag.sqlite")));
        const SeriesKey lag{kCluster, QString::fromUtf8(models::metrics::groupLag), QStringLiteral("group:billing")};
        const SeriesKey topicLag{kCluster, QString::fromUtf8(models::metrics::groupTopicLag),
                                 QStringLiteral("group:billing|topic:orders")};
        QSignalSpy recorded(&history, &models::MetricHistory::recorded);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const int frames = 90;
        for (int k = frames - 1; k >= 0; --k) {
            models::MetricFrame frame;
            frame.cluster = kCluster;
            frame.ms = now - k * 10'000;
            const int i = frames - 1 - k;
            // Steady at first, then the consumer falls behind faster and faster.
            const double value = 1500 + 40.0 * i + (i > 30 ? 4.0 * (i - 30) * (i - 30) : 0.0) + (i % 3) * 120;
            frame.values.push_back({lag, value});
            frame.values.push_back({topicLag, value * 0.6});
            frame.values.push_back({{kCluster, QString::fromUtf8(models::metrics::groupConsumePerSec), lag.subject},
                                    std::max(0.0, 2400.0 - 20.0 * i)});
            frame.values.push_back(
                {{kCluster, QString::fromUtf8(models::metrics::topicMessages), QStringLiteral("topic:orders")},
                 10.0 * i});
            history.record(frame);
        }
        QTRY_COMPARE_WITH_TIMEOUT(recorded.count(), frames, 30000);

        ui::MetricsPanel panel(&history, kCluster);
        panel.resize(1100, 560);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        // The subjects the history has series for are offered.
        QTRY_VERIFY(panel.subjectCombo()->findData(QStringLiteral("group:billing")) >= 0);
        QVERIFY(panel.subjectCombo()->findData(QStringLiteral("topic:orders")) >= 0);
        QVERIFY(panel.subjectCombo()->findData(QString()) >= 0);
        QCOMPARE(panel.subjectCombo()->itemData(0).toString(), QString());  // the cluster first

        // Metrics offered are those of the subject's kind.
        panel.subjectCombo()->setCurrentIndex(panel.subjectCombo()->findData(QStringLiteral("topic:orders")));
        QVERIFY(panel.metricList()->count() > 0);
        for (int i = 0; i < panel.metricList()->count(); ++i)
            QVERIFY(panel.metricList()->item(i)->toolTip().startsWith(QStringLiteral("topic_")));
        QCOMPARE(panel.chartView()->seriesKeys().size(), size_t(1));

        panel.setThresholds({lagRule(10000, models::Severity::Warning), lagRule(20000, models::Severity::Critical)});
        panel.showSeries(lag);
        QCOMPARE(panel.currentSubject(), QStringLiteral("group:billing"));
        QCOMPARE(panel.checkedMetrics(), QStringList{lag.metric});
        QCOMPARE(panel.chartView()->seriesKeys().size(), size_t(1));
        QCOMPARE(panel.chartView()->seriesKeys().front(), lag);
        QVERIFY(waitLoaded(*panel.chartView()));
        QCOMPARE(panel.chartView()->dataSeries().first()->count(), frames);
        QCOMPARE(panel.chartView()->thresholdSeries().size(), 2);
        QCOMPARE(panel.chartView()->bandSeries().size(), 2);
        // The warning band stops where the critical one starts.
        QCOMPARE(panel.chartView()->bandSeries()[0]->lowerSeries()->at(0).y(), 10000.0);
        QCOMPARE(panel.chartView()->bandSeries()[0]->upperSeries()->at(0).y(), 20000.0);
        QCOMPARE(panel.chartView()->bandSeries()[1]->lowerSeries()->at(0).y(), 20000.0);

        // A second metric of the group on the same chart.
        for (int i = 0; i < panel.metricList()->count(); ++i)
            if (panel.metricList()->item(i)->toolTip() == QLatin1String(models::metrics::groupConsumePerSec))
                panel.metricList()->item(i)->setCheckState(Qt::Checked);
        QCOMPARE(panel.chartView()->seriesKeys().size(), size_t(2));
        QVERIFY(waitLoaded(*panel.chartView()));

        // Hover the middle of the plot for the screenshot.
        const QPointF center = panel.chartView()->chart()->plotArea().center();
        QTest::mouseMove(panel.chartView()->chartView()->viewport(),
                         QPoint(int(center.x() + 180), int(center.y() + 120)));
        QTRY_VERIFY(!panel.chartView()->hoverText().isEmpty());

        const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(panel.grab().save(shots + "/lagchart.png"));

        // Live frames reach the chart through the panel; other clusters' do not.
        models::MetricFrame next;
        next.cluster = kCluster;
        next.ms = now + 10'000;
        next.values.push_back({lag, 30000});
        panel.appendFrame(next);
        QCOMPARE(panel.chartView()->dataSeries().first()->count(), frames + 1);
        next.cluster = QStringLiteral("other");
        next.ms += 10'000;
        panel.appendFrame(next);
        QCOMPARE(panel.chartView()->dataSeries().first()->count(), frames + 1);
    }

    void sparklinePaintsValues() {
        QStandardItemModel model(2, 1);
        model.setData(model.index(0, 0), QVariant::fromValue(QList<double>{1, 3, 2, 5, 4, 8}),
                      ui::SparklineDelegate::ValuesRole);
        ui::SparklineDelegate delegate;
        delegate.setColor(Qt::red);
        QCOMPARE(delegate.valuesAt(model.index(0, 0)).size(), 6);

        const auto redPixels = [&](const QModelIndex& index) {
            QImage image(120, 24, QImage::Format_ARGB32);
            image.fill(Qt::white);
            QPainter painter(&image);
            QStyleOptionViewItem option;
            option.rect = image.rect();
            option.palette = QPalette();
            delegate.paint(&painter, option, index);
            painter.end();
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    n += (c.red() > 200 && c.green() < 120 && c.blue() < 120) ? 1 : 0;
                }
            return n;
        };
        QVERIFY(redPixels(model.index(0, 0)) > 20);
        QCOMPARE(redPixels(model.index(1, 0)), 0);  // no values: no line

        // A callback replaces the role.
        delegate.setValuesFunction([](const QModelIndex& index) {
            return index.row() == 1 ? QList<double>{5, 5, 5} : QList<double>{};
        });
        QVERIFY(redPixels(model.index(1, 0)) > 10);
        QCOMPARE(redPixels(model.index(0, 0)), 0);
    }
};

QTEST_MAIN(MetricChartTest)
#include "metricchart_test.moc"
