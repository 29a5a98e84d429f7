// MetricChartView: several metric series on one time chart (Qt Charts) fed by MetricHistory: time
// range presets (Live scrolls with new frames), zoom and pan on the time axis, hover values, and the
// thresholds of the alert rules that apply drawn as dashed lines with a translucent alert band.
#pragma once

#include "models/alertrule.h"
#include "models/metricseries.h"

#include <QList>
#include <QPointF>
#include <QWidget>

#include <vector>

class QAreaSeries;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;
class QPushButton;
class QRubberBand;
class QTimer;
class QValueAxis;

namespace partita::models {
class MetricHistory;
}

namespace partita::ui {

class MetricChartView : public QWidget {
    Q_OBJECT
public:
    // Live: the last 15 minutes, scrolling as frames arrive; the others end at the time they were picked.
    enum class Range { Live, Minutes15, Hour1, Hours6, Hours24, Days7, Days30 };
    Q_ENUM(Range)

    // The history must outlive the view.
    explicit MetricChartView(models::MetricHistory* history, QWidget* parent = nullptr);
    ~MetricChartView() override;

    // The series shown (one line each), queried again at once.
    void setSeries(const std::vector<models::SeriesKey>& keys);
    const std::vector<models::SeriesKey>& seriesKeys() const { return m_keys; }
    // Alert rules: those that apply to a shown series (metric, cluster and subject patterns, enabled)
    // draw their threshold and band.
    void setThresholds(std::vector<models::AlertRule> rules);

    void setRange(Range range);
    Range range() const { return m_range; }
    static qint64 rangeSpanMs(Range range);

    // The time window on the axis (ms since the epoch) and the one of the range (what reset restores).
    qint64 visibleFromMs() const;
    qint64 visibleToMs() const;
    qint64 rangeFromMs() const { return m_fromMs; }
    qint64 rangeToMs() const { return m_toMs; }
    bool isZoomed() const { return m_zoomed; }
    // Shows [fromMs, toMs] on the time axis (what the rubber band and the wheel do); stops Live scrolling
    // and asks the history for that window at full detail.
    void zoomTo(qint64 fromMs, qint64 toMs);
    // Moves the window by a fraction of its width (negative: back in time).
    void panBy(double fraction);
    // Points asked per series: about the plot's width in pixels (0: automatic).
    void setMaxPoints(int points) { m_maxPointsOverride = points; }
    int maxPoints() const;

    bool isLoading() const { return m_pending > 0; }
    // The hover readout at a time: the nearest point's time and value of each series ("" when none).
    QString hoverTextAt(qint64 ms) const;
    QString hoverText() const;

    // For tests and the bench.
    QChart* chart() const { return m_chart; }
    QChartView* chartView() const { return m_view; }
    QComboBox* rangeCombo() const { return m_rangeCombo; }
    QPushButton* resetZoomButton() const { return m_resetZoom; }
    QLabel* statusLabel() const { return m_status; }
    QDateTimeAxis* timeAxis() const { return m_timeAxis; }
    QValueAxis* valueAxis() const { return m_valueAxis; }
    QList<QLineSeries*> dataSeries() const;
    QList<QLineSeries*> thresholdSeries() const { return m_thresholdLines; }
    QList<QAreaSeries*> bandSeries() const { return m_bands; }

public slots:
    // Live mode: the frame's values of the shown series are appended (and the window scrolls).
    void appendFrame(const partita::models::MetricFrame& frame);
    // The window of the range again (Live again when the range is Live).
    void resetZoom();
    // Asks the history again for the current window.
    void reload();

signals:
    // Every series of the latest request is drawn.
    void loaded();
    void visibleRangeChanged(qint64 fromMs, qint64 toMs);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Threshold {
        double value = 0;
        int direction = 0;  // +1 band above, -1 band below, 0 line only
        models::Severity severity = models::Severity::Warning;
        QString label;
    };

    void rebuildChart();
    void applyTheme();
    void query(qint64 fromMs, qint64 toMs, bool full);
    void showData(const std::vector<QList<QPointF>>& data);
    void setAxisWindow(qint64 fromMs, qint64 toMs);
    void updateValueAxis();
    void updateThresholdGeometry();
    void updateStatus();
    void updateHover(const QPointF& viewportPos);
    void hideHover();
    std::vector<Threshold> applicableThresholds() const;
    QString unitText() const;

    models::MetricHistory* m_history;
    QChart* m_chart;
    QChartView* m_view;
    QDateTimeAxis* m_timeAxis;
    QValueAxis* m_valueAxis;
    QComboBox* m_rangeCombo;
    QPushButton* m_resetZoom;
    QLabel* m_status;
    QLabel* m_hoverLabel;
    QGraphicsLineItem* m_hoverLine = nullptr;
    QRubberBand* m_rubberBand;
    QTimer* m_zoomQueryTimer;

    std::vector<models::SeriesKey> m_keys;
    std::vector<models::AlertRule> m_rules;
    std::vector<Threshold> m_thresholds;
    QList<QLineSeries*> m_lines;
    QList<QLineSeries*> m_thresholdLines;
    QList<QAreaSeries*> m_bands;
    QList<QGraphicsSimpleTextItem*> m_thresholdLabels;

    // The range's data (what reset shows again without asking) and what is on the chart.
    std::vector<QList<QPointF>> m_fullData;
    std::vector<QList<QPointF>> m_shownData;
    // Answers being collected for the latest request; older generations are ignored.
    std::vector<QList<QPointF>> m_incoming;
    std::vector<models::MetricFrame> m_framesWhileLoading;
    quint64 m_generation = 0;
    int m_pending = 0;
    bool m_pendingIsFull = true;
    bool m_haveFullData = false;

    Range m_range = Range::Live;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    qint64 m_viewFromMs = 0;
    qint64 m_viewToMs = 0;
    bool m_zoomed = false;
    int m_maxPointsOverride = 0;

    // Mouse: rubber band zoom (left drag), pan (middle or shift + left drag).
    QPoint m_pressPos;
    bool m_selecting = false;
    bool m_panning = false;
    qint64 m_panStartFrom = 0;
    qint64 m_panStartTo = 0;
    qint64 m_hoverMs = -1;
};

}  // namespace partita::ui
