// MetricChartView: the metric time chart (series, range presets, zoom / pan, hover, thresholds).
#include "ui/metricchartview.h"

#include "models/metrichistory.h"
#include "models/metricnames.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPushButton>
#include <QRegularExpression>
#include <QRubberBand>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace partita::ui {

namespace {

constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
// Below this the time axis stops zooming in: a few collection rounds stay visible.
constexpr qint64 kMinZoomMs = 30'000;

QColor severityColor(models::Severity severity) {
    // Amber for warnings, red for critical, as the alert dashboard shows them.
    switch (severity) {
        case models::Severity::Critical:
            return QColor(220, 38, 38);
        case models::Severity::Warning:
            return QColor(245, 158, 11);
        case models::Severity::Info:
            break;
    }
    return QColor(59, 130, 246);
}

// Line colours that stay clear of the amber and red of the alert bands.
QColor lineColor(qsizetype index) {
    static const QColor colors[] = {QColor(37, 99, 235),  QColor(124, 58, 237), QColor(13, 148, 136),
                                    QColor(219, 39, 119), QColor(75, 85, 99),   QColor(8, 145, 178),
                                    QColor(101, 163, 13)};
    return colors[index % qsizetype(std::size(colors))];
}

QString severityTitle(models::Severity severity) {
    switch (severity) {
        case models::Severity::Critical:
            return MetricChartView::tr("critical");
        case models::Severity::Warning:
            return MetricChartView::tr("warning");
        case models::Severity::Info:
            break;
    }
    return MetricChartView::tr("info");
}

bool globMatches(const QString& pattern, const QString& text) {
    if (pattern.isEmpty() || pattern == QLatin1String("*")) return true;
    const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(pattern));
    return re.match(text).hasMatch();
}

// The name a rule's subject pattern is matched against: "orders" for "topic:orders", the group for
// "group:g|topic:t", "" for cluster-wide series.
QString subjectName(const QString& subject) {
    const QString first = subject.section(QLatin1Char('|'), 0, 0);
    const qsizetype colon = first.indexOf(QLatin1Char(':'));
    return colon < 0 ? first : first.mid(colon + 1);
}

QString seriesTitle(const models::SeriesKey& key) {
    const models::MetricInfo* info = models::metricInfo(key.metric.toUtf8().constData());
    const QString title = info != nullptr ? QCoreApplication::translate("MetricNames", info->title) : key.metric;
    if (key.subject.isEmpty()) return title;
    return QStringLiteral("%1 · %2").arg(title, subjectName(key.subject));
}

QString formatValue(double value) {
    if (std::abs(value) >= 1000 || value == std::floor(value)) return QString::number(value, 'f', 0);
    return QString::number(value, 'g', 4);
}

// The nearest point to ms in points sorted by x, or -1.
qsizetype nearestIndex(const QList<QPointF>& points, double ms) {
    if (points.isEmpty()) return -1;
    const auto it =
        std::lower_bound(points.begin(), points.end(), ms, [](const QPointF& p, double x) { return p.x() < x; });
    if (it == points.begin()) return 0;
    if (it == points.end()) return points.size() - 1;
    const qsizetype after = it - points.begin();
    return (it->x() - ms) < (ms - (it - 1)->x()) ? after : after - 1;
}

}  // namespace

MetricChartView::MetricChartView(models::MetricHistory* history, QWidget* parent)
    : QWidget(parent),
      m_history(history),
      m_chart(new QChart),
      m_view(new QChartView(m_chart, this)),
      m_timeAxis(new QDateTimeAxis(m_chart)),
      m_valueAxis(new QValueAxis(m_chart)),
      m_rangeCombo(new QComboBox(this)),
      m_resetZoom(new QPushButton(tr("Reset zoom"), this)),
      m_status(new QLabel(this)),
      m_hoverLabel(new QLabel(m_view->viewport())),
      m_rubberBand(new QRubberBand(QRubberBand::Rectangle, m_view->viewport())),
      m_zoomQueryTimer(new QTimer(this)) {
    m_rangeCombo->addItem(tr("Live (15 min)"), int(Range::Live));
    m_rangeCombo->addItem(tr("Last 15 minutes"), int(Range::Minutes15));
    m_rangeCombo->addItem(tr("Last hour"), int(Range::Hour1));
    m_rangeCombo->addItem(tr("Last 6 hours"), int(Range::Hours6));
    m_rangeCombo->addItem(tr("Last 24 hours"), int(Range::Hours24));
    m_rangeCombo->addItem(tr("Last 7 days"), int(Range::Days7));
    m_rangeCombo->addItem(tr("Last 30 days"), int(Range::Days30));
    m_resetZoom->setEnabled(false);
    m_resetZoom->setToolTip(tr("Show the whole range again"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Range:"), this));
    bar->addWidget(m_rangeCombo);
    bar->addWidget(m_resetZoom);
    bar->addWidget(m_status, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_timeAxis->setTickCount(6);
    m_timeAxis->setTitleText(tr("Time"));
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);

    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFocusPolicy(Qt::StrongFocus);
    m_view->setToolTip(tr("Drag to zoom in on a time span, wheel to zoom, shift + drag or arrow keys to pan"));
    m_view->viewport()->setMouseTracking(true);
    m_view->viewport()->installEventFilter(this);
    m_view->installEventFilter(this);

    m_hoverLabel->setAutoFillBackground(true);
    m_hoverLabel->setFrameShape(QFrame::StyledPanel);
    m_hoverLabel->setTextFormat(Qt::RichText);
    m_hoverLabel->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_hoverLabel->hide();
    m_hoverLine = new QGraphicsLineItem(m_chart);
    m_hoverLine->setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DotLine));
    m_hoverLine->setZValue(1000);
    m_hoverLine->hide();

    m_zoomQueryTimer->setSingleShot(true);
    m_zoomQueryTimer->setInterval(200);
    connect(m_zoomQueryTimer, &QTimer::timeout, this, [this] {
        if (m_zoomed) query(m_viewFromMs, m_viewToMs, false);
    });
    connect(m_rangeCombo, &QComboBox::activated, this,
            [this](int index) { setRange(Range(m_rangeCombo->itemData(index).toInt())); });
    connect(m_resetZoom, &QPushButton::clicked, this, &MetricChartView::resetZoom);
    connect(m_chart, &QChart::plotAreaChanged, this, [this] { updateThresholdGeometry(); });

    applyTheme();
    setRange(Range::Live);
}

MetricChartView::~MetricChartView() = default;

qint64 MetricChartView::rangeSpanMs(Range range) {
    switch (range) {
        case Range::Live:
        case Range::Minutes15:
            return 15 * kMinute;
        case Range::Hour1:
            return kHour;
        case Range::Hours6:
            return 6 * kHour;
        case Range::Hours24:
            return kDay;
        case Range::Days7:
            return 7 * kDay;
        case Range::Days30:
            return 30 * kDay;
    }
    return 15 * kMinute;
}

void MetricChartView::setSeries(const std::vector<models::SeriesKey>& keys) {
    m_keys = keys;
    m_fullData.assign(m_keys.size(), {});
    m_shownData.assign(m_keys.size(), {});
    m_haveFullData = false;
    m_thresholds = applicableThresholds();
    rebuildChart();
    if (!m_zoomed) {
        // A new pick looks at the range up to now.
        m_toMs = QDateTime::currentMSecsSinceEpoch();
        m_fromMs = m_toMs - rangeSpanMs(m_range);
        setAxisWindow(m_fromMs, m_toMs);
    }
    reload();
}

void MetricChartView::setThresholds(std::vector<models::AlertRule> rules) {
    m_rules = std::move(rules);
    m_thresholds = applicableThresholds();
    rebuildChart();
    showData(m_shownData);
}

void MetricChartView::setRange(Range range) {
    m_range = range;
    const int index = m_rangeCombo->findData(int(range));
    if (index >= 0 && m_rangeCombo->currentIndex() != index) m_rangeCombo->setCurrentIndex(index);
    m_toMs = QDateTime::currentMSecsSinceEpoch();
    m_fromMs = m_toMs - rangeSpanMs(range);
    m_zoomed = false;
    m_resetZoom->setEnabled(false);
    m_fullData.assign(m_keys.size(), {});
    m_haveFullData = false;
    setAxisWindow(m_fromMs, m_toMs);
    reload();
}

qint64 MetricChartView::visibleFromMs() const {
    return m_viewFromMs;
}

qint64 MetricChartView::visibleToMs() const {
    return m_viewToMs;
}

int MetricChartView::maxPoints() const {
    if (m_maxPointsOverride > 0) return m_maxPointsOverride;
    // One point per horizontal pixel is all a line can show; a floor keeps a hidden view useful.
    const int width = int(m_chart->plotArea().width());
    return std::max(width > 0 ? width : m_view->width(), 300);
}

QList<QLineSeries*> MetricChartView::dataSeries() const {
    return m_lines;
}

void MetricChartView::reload() {
    if (m_zoomed)
        query(m_viewFromMs, m_viewToMs, false);
    else
        query(m_fromMs, m_toMs, true);
}

void MetricChartView::query(qint64 fromMs, qint64 toMs, bool full) {
    ++m_generation;
    m_incoming.assign(m_keys.size(), {});
    m_framesWhileLoading.clear();
    m_pendingIsFull = full;
    m_pending = int(m_keys.size());
    updateStatus();
    if (m_keys.empty() || m_history == nullptr) {
        m_pending = 0;
        showData(m_shownData);
        emit loaded();
        return;
    }
    const quint64 generation = m_generation;
    const int limit = maxPoints();
    for (size_t i = 0; i < m_keys.size(); ++i) {
        m_history->query(m_keys[i], fromMs, toMs, limit, this,
                         [this, generation, i](std::vector<models::Sample> samples) {
                             // An answer for a range, series set or zoom the user has since left is dropped.
                             if (generation != m_generation || i >= m_incoming.size()) return;
                             QList<QPointF>& points = m_incoming[i];
                             points.reserve(qsizetype(samples.size()));
                             for (const models::Sample& sample : samples)
                                 points.append(QPointF(double(sample.ms), sample.value));
                             if (--m_pending > 0) return;
                             std::vector<QList<QPointF>> data = std::move(m_incoming);
                             m_incoming.clear();
                             if (m_pendingIsFull) {
                                 m_fullData = data;
                                 m_haveFullData = true;
                             }
                             showData(data);
                             updateStatus();
                             // Frames that came while the answer was on its way (Live) are not lost.
                             std::vector<models::MetricFrame> frames = std::move(m_framesWhileLoading);
                             m_framesWhileLoading.clear();
                             for (const models::MetricFrame& frame : frames) appendFrame(frame);
                             emit loaded();
                         });
    }
}

void MetricChartView::applyTheme() {
    // The chart follows the app's light or dark palette (Qt Charts has its own themes).
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (m_chart->theme() == theme) return;
    m_chart->setTheme(theme);
    // A theme recolours every series: ours get their colours back.
    rebuildChart();
    showData(m_shownData);
}

void MetricChartView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) applyTheme();
}

void MetricChartView::rebuildChart() {
    hideHover();
    m_chart->removeAllSeries();
    m_lines.clear();
    m_thresholdLines.clear();
    m_bands.clear();
    qDeleteAll(m_thresholdLabels);
    m_thresholdLabels.clear();

    // Bands first so the data lines are drawn over them.
    for (const Threshold& threshold : m_thresholds) {
        if (threshold.direction == 0) continue;
        auto* upper = new QLineSeries(m_chart);
        auto* lower = new QLineSeries(m_chart);
        auto* band = new QAreaSeries(upper, lower);
        // The band does not own its edges: parented to it, they go when the series are removed.
        upper->setParent(band);
        lower->setParent(band);
        QColor fill = severityColor(threshold.severity);
        fill.setAlpha(48);
        band->setBrush(fill);
        band->setPen(Qt::NoPen);
        band->setName(threshold.label);
        m_chart->addSeries(band);
        band->attachAxis(m_timeAxis);
        band->attachAxis(m_valueAxis);
        for (QLegendMarker* marker : m_chart->legend()->markers(band)) marker->setVisible(false);
        m_bands.append(band);
    }
    for (const models::SeriesKey& key : m_keys) {
        auto* line = new QLineSeries(m_chart);
        line->setName(seriesTitle(key));
        line->setUseOpenGL(false);
        m_chart->addSeries(line);
        line->attachAxis(m_timeAxis);
        line->attachAxis(m_valueAxis);
        line->setPen(QPen(lineColor(m_lines.size()), 2));
        m_lines.append(line);
    }
    for (const Threshold& threshold : m_thresholds) {
        auto* line = new QLineSeries(m_chart);
        line->setName(threshold.label);
        line->setPen(QPen(severityColor(threshold.severity), 1.5, Qt::DashLine));
        m_chart->addSeries(line);
        line->attachAxis(m_timeAxis);
        line->attachAxis(m_valueAxis);
        for (QLegendMarker* marker : m_chart->legend()->markers(line)) marker->setVisible(false);
        m_thresholdLines.append(line);
        auto* label = new QGraphicsSimpleTextItem(threshold.label, m_chart);
        const bool dark = m_chart->theme() == QChart::ChartThemeDark;
        label->setBrush(dark ? severityColor(threshold.severity).lighter(120)
                             : severityColor(threshold.severity).darker(120));
        label->setZValue(900);
        m_thresholdLabels.append(label);
    }
    m_valueAxis->setTitleText(unitText());
}

void MetricChartView::showData(const std::vector<QList<QPointF>>& data) {
    m_shownData = data;
    m_shownData.resize(m_lines.size());
    for (qsizetype i = 0; i < m_lines.size(); ++i) m_lines[i]->replace(m_shownData[size_t(i)]);
    updateValueAxis();
    updateThresholdGeometry();
}

void MetricChartView::setAxisWindow(qint64 fromMs, qint64 toMs) {
    m_viewFromMs = fromMs;
    m_viewToMs = toMs;
    const qint64 span = toMs - fromMs;
    m_timeAxis->setFormat(span <= kDay       ? QStringLiteral("HH:mm")
                          : span <= 7 * kDay ? QStringLiteral("ddd HH:mm")
                                             : QStringLiteral("dd MMM"));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    updateThresholdGeometry();
    emit visibleRangeChanged(fromMs, toMs);
}

void MetricChartView::updateValueAxis() {
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    for (const QList<QPointF>& points : m_shownData)
        for (const QPointF& p : points) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    for (const Threshold& threshold : m_thresholds) {
        lo = std::min(lo, threshold.value);
        hi = std::max(hi, threshold.value);
    }
    if (lo > hi) {
        lo = 0;
        hi = 1;
    }
    // Counts and sizes read best from zero; a little headroom keeps the top line off the frame.
    if (lo > 0) lo = 0;
    if (hi - lo <= 0) hi = lo + 1;
    hi += (hi - lo) * 0.05;
    // Round ticks (1, 2, 2.5, 5 x 10^k) about five of them, without QValueAxis::applyNiceNumbers'
    // habit of doubling the range (half the plot empty).
    const double raw = (hi - lo) / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude * 10;
    for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * magnitude) {
            step = m * magnitude;
            break;
        }
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
    m_valueAxis->setRange(lo, hi);
    m_valueAxis->setTickCount(int(std::lround((hi - lo) / step)) + 1);
    m_valueAxis->setLabelFormat(step == std::floor(step) ? QStringLiteral("%.0f") : QStringLiteral("%.2f"));
}

void MetricChartView::updateThresholdGeometry() {
    // The lines and bands span the visible window (plus a margin so panning never shows their ends).
    const qint64 margin = std::max<qint64>(m_viewToMs - m_viewFromMs, kMinute);
    const double x0 = double(m_viewFromMs - margin);
    const double x1 = double(m_viewToMs + margin);
    const double top = m_valueAxis->max();
    const double bottom = m_valueAxis->min();
    qsizetype band = 0;
    for (qsizetype i = 0; i < m_thresholdLines.size() && size_t(i) < m_thresholds.size(); ++i) {
        const Threshold& threshold = m_thresholds[size_t(i)];
        m_thresholdLines[i]->replace({QPointF(x0, threshold.value), QPointF(x1, threshold.value)});
        if (threshold.direction != 0 && band < m_bands.size()) {
            // A band ends where the next one in its direction starts (warning up to critical), so
            // they never overlap into a third colour.
            double edge = threshold.direction > 0 ? top : bottom;
            for (const Threshold& other : m_thresholds) {
                if (other.direction != threshold.direction) continue;
                if (threshold.direction > 0 && other.value > threshold.value) edge = std::min(edge, other.value);
                if (threshold.direction < 0 && other.value < threshold.value) edge = std::max(edge, other.value);
            }
            m_bands[band]->upperSeries()->replace(
                {QPointF(x0, std::max(edge, threshold.value)), QPointF(x1, std::max(edge, threshold.value))});
            m_bands[band]->lowerSeries()->replace(
                {QPointF(x0, std::min(edge, threshold.value)), QPointF(x1, std::min(edge, threshold.value))});
            ++band;
        }
        if (i < m_thresholdLabels.size()) {
            QGraphicsSimpleTextItem* label = m_thresholdLabels[i];
            const QRectF plot = m_chart->plotArea();
            const QPointF at =
                m_chart->mapToPosition(QPointF(double(m_viewFromMs), threshold.value), m_thresholdLines[i]);
            const QRectF box = label->boundingRect();
            // Just above the line at the left of the plot, inside the plot.
            label->setPos(plot.left() + 6,
                          std::clamp(at.y() - box.height() - 2, plot.top(), plot.bottom() - box.height()));
            label->setVisible(plot.isValid() && at.y() >= plot.top() - 1 && at.y() <= plot.bottom() + 1);
        }
    }
}

void MetricChartView::updateStatus() {
    if (m_pending > 0) {
        m_status->setText(tr("Loading…"));
        return;
    }
    bool any = false;
    for (const QList<QPointF>& points : m_shownData) any = any || !points.isEmpty();
    if (m_keys.empty())
        m_status->setText(tr("Pick a metric to chart"));
    else if (!any)
        m_status->setText(tr("No data in this range yet"));
    else
        m_status->clear();
}

void MetricChartView::zoomTo(qint64 fromMs, qint64 toMs) {
    if (toMs < fromMs) std::swap(fromMs, toMs);
    if (toMs - fromMs < kMinZoomMs) {
        const qint64 center = (fromMs + toMs) / 2;
        fromMs = center - kMinZoomMs / 2;
        toMs = center + kMinZoomMs / 2;
    }
    m_zoomed = true;
    m_resetZoom->setEnabled(true);
    setAxisWindow(fromMs, toMs);
    // Ask for the zoomed window's detail once the user stops zooming.
    m_zoomQueryTimer->start();
}

void MetricChartView::panBy(double fraction) {
    const qint64 shift = qint64(double(m_viewToMs - m_viewFromMs) * fraction);
    zoomTo(m_viewFromMs + shift, m_viewToMs + shift);
}

void MetricChartView::resetZoom() {
    m_zoomQueryTimer->stop();
    const bool wasZoomed = m_zoomed;
    m_zoomed = false;
    m_resetZoom->setEnabled(false);
    setAxisWindow(m_fromMs, m_toMs);
    if (wasZoomed && !m_haveFullData) {
        reload();
    } else if (wasZoomed) {
        // The range's data is still here: no need to ask again, and answers to the zoom are stale.
        ++m_generation;
        m_pending = 0;
        showData(m_fullData);
        updateStatus();
    }
}

void MetricChartView::appendFrame(const models::MetricFrame& frame) {
    if (m_range != Range::Live || m_keys.empty()) return;
    if (m_pending > 0) {
        m_framesWhileLoading.push_back(frame);
        return;
    }
    bool changed = false;
    for (const auto& [key, value] : frame.values) {
        const auto it = std::find(m_keys.begin(), m_keys.end(), key);
        if (it == m_keys.end()) continue;
        const size_t i = size_t(it - m_keys.begin());
        QList<QPointF>& points = m_fullData[i];
        if (!points.isEmpty() && points.last().x() >= double(frame.ms)) continue;
        points.append(QPointF(double(frame.ms), value));
        changed = true;
    }
    if (!changed && frame.ms <= m_toMs) return;
    // Scroll: the window ends at the newest frame; what fell out of it is dropped.
    m_toMs = std::max(m_toMs, frame.ms);
    m_fromMs = m_toMs - rangeSpanMs(Range::Live);
    for (QList<QPointF>& points : m_fullData) {
        const auto first = std::lower_bound(points.begin(), points.end(), double(m_fromMs),
                                            [](const QPointF& p, double x) { return p.x() < x; });
        // Keep one point before the window so the line enters it from the left edge.
        const qsizetype drop = std::max<qsizetype>(0, (first - points.begin()) - 1);
        if (drop > 0) points.remove(0, drop);
    }
    if (m_zoomed) return;  // the user is looking at something else; reset shows the new data
    setAxisWindow(m_fromMs, m_toMs);
    for (size_t i = 0; i < m_fullData.size() && i < size_t(m_lines.size()); ++i) {
        QLineSeries* line = m_lines[qsizetype(i)];
        const QList<QPointF>& points = m_fullData[i];
        // Appending one point is cheaper than replacing the line; a trimmed line is replaced.
        if (line->count() + 1 == points.size() && (line->count() == 0 || line->at(0) == points.first()))
            line->append(points.last());
        else if (line->count() != points.size() || (line->count() > 0 && line->at(0) != points.first()))
            line->replace(points);
    }
    m_shownData = m_fullData;
    updateValueAxis();
    updateThresholdGeometry();
    updateStatus();
    if (m_hoverMs >= 0) hideHover();
}

std::vector<MetricChartView::Threshold> MetricChartView::applicableThresholds() const {
    std::vector<Threshold> out;
    for (const models::AlertRule& rule : m_rules) {
        if (!rule.enabled) continue;
        bool applies = false;
        for (const models::SeriesKey& key : m_keys)
            applies = applies || (rule.metric == key.metric && globMatches(rule.clusterPattern, key.cluster) &&
                                  (rule.scopeKind == QLatin1String("cluster") ||
                                   globMatches(rule.subjectPattern, subjectName(key.subject))));
        if (!applies) continue;
        using Op = models::AlertRule::Op;
        Threshold threshold;
        threshold.value = rule.threshold;
        threshold.severity = rule.severity;
        threshold.direction = (rule.op == Op::Gt || rule.op == Op::Ge)   ? 1
                              : (rule.op == Op::Lt || rule.op == Op::Le) ? -1
                                                                         : 0;
        threshold.label = tr("%1 (%2): %3 %4")
                              .arg(rule.name, severityTitle(rule.severity), models::AlertRule::opDisplay(rule.op),
                                   formatValue(rule.threshold));
        const bool duplicate = std::any_of(out.begin(), out.end(), [&](const Threshold& t) {
            return t.value == threshold.value && t.direction == threshold.direction && t.severity == threshold.severity;
        });
        if (!duplicate) out.push_back(threshold);
    }
    return out;
}

QString MetricChartView::unitText() const {
    QStringList units;
    for (const models::SeriesKey& key : m_keys) {
        const models::MetricInfo* info = models::metricInfo(key.metric.toUtf8().constData());
        const QString unit = info != nullptr ? QCoreApplication::translate("MetricUnits", info->unit) : QString();
        if (!unit.isEmpty() && !units.contains(unit)) units.append(unit);
    }
    return units.join(QStringLiteral(", "));
}

QString MetricChartView::hoverTextAt(qint64 ms) const {
    QStringList lines;
    // The date only matters when the window spans days.
    const QString timeFormat =
        m_viewToMs - m_viewFromMs <= kDay ? QStringLiteral("HH:mm:ss") : QStringLiteral("yyyy-MM-dd HH:mm");
    for (size_t i = 0; i < m_shownData.size() && i < m_keys.size(); ++i) {
        const qsizetype at = nearestIndex(m_shownData[i], double(ms));
        if (at < 0) continue;
        const QPointF p = m_shownData[i][at];
        lines.append(tr("%1: %2 at %3")
                         .arg(seriesTitle(m_keys[i]), formatValue(p.y()),
                              QDateTime::fromMSecsSinceEpoch(qint64(p.x())).toString(timeFormat)));
    }
    return lines.join(QLatin1Char('\n'));
}

QString MetricChartView::hoverText() const {
    return m_hoverLabel->isVisible() ? hoverTextAt(m_hoverMs) : QString();
}

void MetricChartView::hideHover() {
    m_hoverMs = -1;
    m_hoverLabel->hide();
    if (m_hoverLine != nullptr) m_hoverLine->hide();
}

void MetricChartView::updateHover(const QPointF& viewportPos) {
    const QPointF chartPos = m_chart->mapFromScene(m_view->mapToScene(viewportPos.toPoint()));
    const QRectF plot = m_chart->plotArea();
    if (!plot.contains(chartPos) || m_lines.isEmpty()) {
        hideHover();
        return;
    }
    const QPointF value = m_chart->mapToValue(chartPos, m_lines.first());
    const QString text = hoverTextAt(qint64(value.x()));
    if (text.isEmpty()) {
        hideHover();
        return;
    }
    m_hoverMs = qint64(value.x());
    // Rich text with each line's colour, so the readout says which line is which.
    QStringList rows;
    const QStringList plain = text.split(QLatin1Char('\n'));
    qsizetype row = 0;
    for (size_t i = 0; i < m_shownData.size() && row < plain.size(); ++i) {
        if (m_shownData[i].isEmpty()) continue;
        rows.append(QStringLiteral("<span style=\"color:%1\">■</span> %2")
                        .arg(m_lines[qsizetype(i)]->color().name(), plain[row++].toHtmlEscaped()));
    }
    m_hoverLabel->setText(rows.join(QStringLiteral("<br>")));
    m_hoverLabel->adjustSize();
    QPoint at = viewportPos.toPoint() + QPoint(14, 14);
    const QSize area = m_view->viewport()->size();
    if (at.x() + m_hoverLabel->width() > area.width()) at.setX(viewportPos.toPoint().x() - 14 - m_hoverLabel->width());
    if (at.y() + m_hoverLabel->height() > area.height()) at.setY(area.height() - m_hoverLabel->height());
    m_hoverLabel->move(at);
    m_hoverLabel->show();
    m_hoverLabel->raise();
    m_hoverLine->setLine(QLineF(chartPos.x(), plot.top(), chartPos.x(), plot.bottom()));
    m_hoverLine->show();
}

bool MetricChartView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        switch (key->key()) {
            case Qt::Key_Left:
                panBy(-0.1);
                return true;
            case Qt::Key_Right:
                panBy(0.1);
                return true;
            case Qt::Key_Plus:
            case Qt::Key_Equal:
            case Qt::Key_Up: {
                const qint64 quarter = (m_viewToMs - m_viewFromMs) / 4;
                zoomTo(m_viewFromMs + quarter / 2, m_viewToMs - quarter / 2);
                return true;
            }
            case Qt::Key_Minus:
            case Qt::Key_Down: {
                const qint64 quarter = (m_viewToMs - m_viewFromMs) / 4;
                zoomTo(m_viewFromMs - quarter, m_viewToMs + quarter);
                return true;
            }
            case Qt::Key_Escape:
            case Qt::Key_Home:
                resetZoom();
                return true;
            default:
                return false;
        }
    }
    if (watched != m_view->viewport()) return QWidget::eventFilter(watched, event);
    const auto timeAt = [this](const QPoint& viewportPos) {
        const QPointF chartPos = m_chart->mapFromScene(m_view->mapToScene(viewportPos));
        return qint64(m_chart->mapToValue(chartPos, m_lines.isEmpty() ? nullptr : m_lines.first()).x());
    };
    switch (event->type()) {
        case QEvent::MouseButtonPress: {
            auto* mouse = static_cast<QMouseEvent*>(event);
            m_view->setFocus();
            m_pressPos = mouse->position().toPoint();
            if (mouse->button() == Qt::MiddleButton ||
                (mouse->button() == Qt::LeftButton && (mouse->modifiers() & Qt::ShiftModifier))) {
                m_panning = true;
                m_panStartFrom = m_viewFromMs;
                m_panStartTo = m_viewToMs;
                return true;
            }
            if (mouse->button() == Qt::LeftButton) {
                m_selecting = true;
                const QRectF plot = m_chart->plotArea();
                m_rubberBand->setGeometry(QRect(m_pressPos.x(), int(plot.top()), 1, int(plot.height())));
                m_rubberBand->show();
                return true;
            }
            return true;  // no zoom-out on right click: the built-in one would also zoom the value axis
        }
        case QEvent::MouseMove: {
            auto* mouse = static_cast<QMouseEvent*>(event);
            const QPoint pos = mouse->position().toPoint();
            if (m_panning) {
                const double width = std::max(1.0, m_chart->plotArea().width());
                const qint64 shift =
                    qint64(double(pos.x() - m_pressPos.x()) / width * double(m_panStartTo - m_panStartFrom));
                zoomTo(m_panStartFrom - shift, m_panStartTo - shift);
                return true;
            }
            if (m_selecting) {
                const QRectF plot = m_chart->plotArea();
                // Only the time axis zooms: the band spans the plot's height.
                m_rubberBand->setGeometry(QRect(QPoint(std::min(pos.x(), m_pressPos.x()), int(plot.top())),
                                                QPoint(std::max(pos.x(), m_pressPos.x()), int(plot.bottom()))));
                return true;
            }
            updateHover(mouse->position());
            return false;
        }
        case QEvent::MouseButtonRelease: {
            auto* mouse = static_cast<QMouseEvent*>(event);
            if (m_panning) {
                m_panning = false;
                return true;
            }
            if (m_selecting) {
                m_selecting = false;
                m_rubberBand->hide();
                const QPoint pos = mouse->position().toPoint();
                if (std::abs(pos.x() - m_pressPos.x()) >= 4) zoomTo(timeAt(m_pressPos), timeAt(pos));
                return true;
            }
            return true;
        }
        case QEvent::MouseButtonDblClick:
            resetZoom();
            return true;
        case QEvent::Wheel: {
            auto* wheel = static_cast<QWheelEvent*>(event);
            const QPoint delta = wheel->angleDelta();
            if (delta.y() == 0 && delta.x() == 0) return true;
            if (delta.x() != 0 && delta.y() == 0) {  // horizontal scroll pans
                panBy(-double(delta.x()) / 1200.0);
                return true;
            }
            const double factor = std::pow(0.8, double(delta.y()) / 120.0);
            const qint64 center = std::clamp(timeAt(wheel->position().toPoint()), m_viewFromMs, m_viewToMs);
            zoomTo(center - qint64(double(center - m_viewFromMs) * factor),
                   center + qint64(double(m_viewToMs - center) * factor));
            return true;
        }
        case QEvent::Leave:
            hideHover();
            return false;
        default:
            return false;
    }
}

}  // namespace partita::ui
