// AlertRule: one alert rule (metric, condition, threshold, duration, severity, scope with glob
// patterns), its validation, JSON form and the shipped defaults.
#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>
#include <vector>

namespace partita::models {

enum class Severity { Info, Warning, Critical };
QString severityName(Severity severity);  // "info","warning","critical" (JSON/webhook ids)
std::optional<Severity> severityFromName(const QString& name);

struct AlertRule {
    QString id;         // stable (uuid or slug); unique among the rules
    QString name;       // "Under-replicated partitions"
    QString metric;     // a metricnames.h name
    QString scopeKind;  // "cluster", "broker", "topic", "group" (must match the metric's subject kind;
                        // "group" also covers group-topic metrics, whose subject name is the group's)
    // Globs (QRegularExpression::wildcardToRegularExpression: * ? [..]) on the cluster id and on the
    // subject's name: "orders" for topic:orders, "1" for broker:1, the URL for endpoint:<url>,
    // "billing" for group:billing and group:billing|topic:orders; ignored for cluster scope.
    QString clusterPattern = QStringLiteral("*");
    QString subjectPattern = QStringLiteral("*");
    enum class Op { Gt, Ge, Lt, Le, Eq, Ne } op = Op::Gt;
    double threshold = 0;
    qint64 forMs = 0;  // the condition must hold this long (by frame time) before firing
    Severity severity = Severity::Warning;
    bool enabled = true;
    QString description;

    QString validate() const;         // "" or why not (translated), naming nothing: callers prefix the rule
    bool holds(double value) const;   // value <op> threshold
    static QString opSymbol(Op op);   // ">", ">=", "<", "<=", "==", "!="
    static QString opDisplay(Op op);  // as people read it: ">", "≥", "<", "≤", "=", "≠"
    static std::optional<Op> opFromSymbol(const QString& symbol);

    // {"id","name","metric","scope","cluster" (glob),"subject" (glob),"op" (">" ...),"threshold","forMs","severity"
    //  ("info"/"warning"/"critical"),"enabled","description"}; fromJson validates too.
    QJsonObject toJson() const;
    static std::optional<AlertRule> fromJson(const QJsonObject& object, QString* error);
    static std::vector<AlertRule> defaults();

    friend bool operator==(const AlertRule&, const AlertRule&) = default;
};

}  // namespace partita::models

Q_DECLARE_METATYPE(partita::models::AlertRule)
