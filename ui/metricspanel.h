// MetricsPanel: the Metrics view of a cluster: pick a subject (the cluster, a broker, a topic, a
// group) and metrics of its kind, charted below by a MetricChartView.
#pragma once

#include "models/alertrule.h"
#include "models/metricseries.h"

#include <QSet>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QComboBox;
class QListWidget;

namespace partita::models {
class MetricHistory;
}

namespace partita::ui {

class MetricChartView;

class MetricsPanel : public QWidget {
    Q_OBJECT
public:
    // The history must outlive the panel; the subjects come from the history's series of the cluster
    // (and from setSubjects).
    MetricsPanel(models::MetricHistory* history, const QString& clusterId, QWidget* parent = nullptr);

    // Subjects known from elsewhere (the session's snapshot): "", "broker:1", "topic:orders", "group:g".
    void setSubjects(const QStringList& subjects);
    // Asks the history which subjects have series (done at construction; again after new ones appear).
    void refreshSubjects();
    // "Jump to chart": selects the series' subject and metric and shows it.
    void showSeries(const models::SeriesKey& key);
    void setThresholds(std::vector<models::AlertRule> rules);

    QString clusterId() const { return m_clusterId; }
    QString currentSubject() const;
    QStringList checkedMetrics() const;
    // "cluster", "broker", "topic", "group", "group-topic" (catalogue subject kinds).
    static QString subjectKind(const QString& subject);
    static QString subjectTitle(const QString& subject);

    MetricChartView* chartView() const { return m_chart; }
    QComboBox* subjectCombo() const { return m_subjects; }
    QListWidget* metricList() const { return m_metrics; }

public slots:
    void appendFrame(const partita::models::MetricFrame& frame);

private:
    void addSubjects(const QStringList& subjects);
    void fillMetrics();
    void chartChecked();

    models::MetricHistory* m_history;
    QString m_clusterId;
    QComboBox* m_subjects;
    QListWidget* m_metrics;
    MetricChartView* m_chart;
    // The metrics the user checked, kept across subjects of one kind.
    QSet<QString> m_checked;
    bool m_filling = false;
};

}  // namespace partita::ui
