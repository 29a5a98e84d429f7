// MonitoringHub: the app's monitoring in one place. A MetricCollector per connected cluster feeds
// its frames through lag status, into the metric history and the alert engine, whose transitions
// go to the notifier. Alert rules and notification settings are saved here.
#pragma once

#include "models/alertnotifier.h"
#include "models/alertrule.h"
#include "models/lagstatus.h"
#include "models/metricseries.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <vector>

namespace partita::models {

class AlertEngine;
class ClusterSession;
class MetricCollector;
class MetricHistory;

class MonitoringHub : public QObject {
    Q_OBJECT
public:
    // `storePath`: the metric history's SQLite file; `rulesPath`: the saved alert rules (the shipped
    // defaults while it does not exist).
    explicit MonitoringHub(const QString& storePath, const QString& rulesPath = defaultRulesPath(),
                           QObject* parent = nullptr);
    ~MonitoringHub() override;

    static QString defaultRulesPath();  // the config dir's alert-rules.json

    MetricHistory* history() const { return m_history; }
    AlertEngine* alerts() const { return m_alerts; }
    AlertNotifier* notifier() const { return m_notifier; }
    const LagEvaluator& lag() const { return m_lag; }
    // The last values (oldest first, at most kRecentValues) of the series the lists draw trends of:
    // group_lag and topic_messages_in_per_sec.
    static constexpr int kRecentValues = 30;
    QList<double> recent(const SeriesKey& key) const { return m_recent.value(key.toString()); }

    // Collects the cluster every interval() while it is added. `prometheus`: "url" or "N=url"
    // entries (see MetricCollector::setPrometheusEndpoints). The session must outlive the cluster.
    void addCluster(const QString& id, ClusterSession* session, const QStringList& prometheus = {});
    void removeCluster(const QString& id);
    MetricCollector* collector(const QString& id) const;
    QStringList clusters() const { return m_collectors.keys(); }
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }

    // Saves the rules (rulesPath) and applies them; false with the reason when a rule is invalid or
    // the file cannot be written (then nothing changes).
    bool setRules(const std::vector<AlertRule>& rules, QString* error = nullptr);
    // Webhooks, desktop notifications and the critical sound, saved in QSettings ("alerts/...").
    void setWebhooks(const std::vector<AlertNotifier::Webhook>& webhooks);
    void setDesktopNotifications(bool on);
    bool desktopNotifications() const { return m_desktop; }
    void setSoundForCritical(bool on);
    bool soundForCritical() const { return m_sound; }

signals:
    // Every collected frame after lag status annotated it (live charts, sparklines).
    void frameReady(const partita::models::MetricFrame& frame);
    void collectorProblem(const QString& cluster, const QString& message);
    // A rules file that could not be read at start (the defaults are used instead).
    void rulesProblem(const QString& message);
    // setRules() applied new rules (charts redraw their thresholds).
    void rulesChanged();

private:
    void onSampled(MetricFrame frame);
    void loadSettings();

    MetricHistory* m_history;
    AlertEngine* m_alerts;
    AlertNotifier* m_notifier;
    LagEvaluator m_lag;
    QHash<QString, QList<double>> m_recent;  // SeriesKey::toString() -> last values
    QString m_rulesPath;
    QHash<QString, QPointer<MetricCollector>> m_collectors;
    int m_intervalMs = 10000;
    bool m_desktop = true;
    bool m_sound = false;
};

}  // namespace partita::models
