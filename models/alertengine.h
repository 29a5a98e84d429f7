// AlertEngine: evaluates alert rules on metric frames; one pending -> firing -> resolved state
// machine per (rule, series), like Prometheus; keeps the active alerts and a bounded history.
#pragma once

#include "models/alertrule.h"
#include "models/metricseries.h"

#include <QObject>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace partita::models {

struct AlertInstance {
    enum class State { Pending, Firing, Resolved };
    QString ruleId;
    QString ruleName;
    Severity severity = Severity::Warning;
    SeriesKey series;
    State state = State::Pending;
    double value = 0;  // the newest value seen while active (the last true one once resolved)
    double threshold = 0;
    qint64 pendingSince = 0, firingSince = 0, resolvedAt = 0;  // frame ms
    bool acknowledged = false;
    qint64 silencedUntil = 0;  // ms since epoch; notifications are skipped while transition ms < this

    QString key() const;  // ruleId + series.toString()
};
QString alertStateName(AlertInstance::State state);  // "pending","firing","resolved"

struct AlertTransition {
    AlertInstance alert;  // the instance after the transition
    AlertInstance::State from = AlertInstance::State::Pending;
    AlertInstance::State to = AlertInstance::State::Pending;
    qint64 ms = 0;  // the frame's ms
};

class AlertEngine : public QObject {
    Q_OBJECT
public:
    explicit AlertEngine(QObject* parent = nullptr);
    ~AlertEngine() override;

    // Active alerts of rules that keep their id stay (with the rule's new name, severity and
    // threshold; the next frame re-checks them); those of removed rules are dropped.
    void setRules(std::vector<AlertRule> rules);
    const std::vector<AlertRule>& rules() const;

    // Evaluates every enabled rule on the frame's series; returns (and emits) the transitions:
    // Pending (condition true, forMs not yet held; from == to == Pending), Firing (from Pending;
    // with forMs 0 this is the only transition), Resolved (from Firing: condition false again, or its
    // series vanished from a frame of its cluster). A pending alert whose condition clears goes away
    // without a transition. Timing uses frame.ms only.
    std::vector<AlertTransition> evaluate(const MetricFrame& frame);

    std::vector<AlertInstance> active() const;         // pending + firing; firing first, then severity, then since
    const std::deque<AlertInstance>& history() const;  // resolved, newest first, at most 1,000
    std::optional<AlertInstance> find(const QString& key) const;  // an active alert
    void acknowledge(const QString& key);
    // Silences the key (also a later re-firing of it) until untilMs; state still moves, notifications
    // are skipped (AlertNotifier checks alert.silencedUntil). untilMs <= now lifts it.
    void silence(const QString& key, qint64 untilMs);

    // {"version":1,"rules":[...]}; import validates every rule and names the bad one in `error`.
    static bool exportRules(const QString& path, const std::vector<AlertRule>& rules, QString* error);
    static std::optional<std::vector<AlertRule>> importRules(const QString& path, QString* error);

signals:
    void transitioned(const partita::models::AlertTransition& transition);
    void alertsChanged();  // active set, values, acknowledgement, silence or history changed

private:
    struct Private;
    std::unique_ptr<Private> m_d;
};

}  // namespace partita::models

Q_DECLARE_METATYPE(partita::models::AlertInstance)
Q_DECLARE_METATYPE(partita::models::AlertTransition)
