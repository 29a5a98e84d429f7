// AlertRule: validation, JSON form and the shipped default rules.
#include "models/alertrule.h"

#include "models/lagstatus.h"
#include "models/metricnames.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QRegularExpression>

#include <cmath>

namespace partita::models {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("AlertRule", text);
}

bool validGlob(const QString& pattern) {
    return QRegularExpression(QRegularExpression::wildcardToRegularExpression(pattern)).isValid();
}

// The scope a metric's subject kind allows ("group" also covers group-topic metrics).
bool scopeFits(const QString& scope, const QString& subjectKind) {
    if (scope == subjectKind) return true;
    return scope == QLatin1String("group") && subjectKind == QLatin1String("group-topic");
}

}  // namespace

QString severityName(Severity severity) {
    switch (severity) {
        case Severity::Info:
            return QStringLiteral("info");
        case Severity::Warning:
            return QStringLiteral("warning");
        case Severity::Critical:
            return QStringLiteral("critical");
    }
    return QStringLiteral("warning");
}

std::optional<Severity> severityFromName(const QString& name) {
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Critical})
        if (severityName(s) == name) return s;
    return std::nullopt;
}

QString AlertRule::opSymbol(Op op) {
    switch (op) {
        case Op::Gt:
            return QStringLiteral(">");
        case Op::Ge:
            return QStringLiteral(">=");
        case Op::Lt:
            return QStringLiteral("<");
        case Op::Le:
            return QStringLiteral("<=");
        case Op::Eq:
            return QStringLiteral("==");
        case Op::Ne:
            return QStringLiteral("!=");
    }
    return QStringLiteral(">");
}

QString AlertRule::opDisplay(Op op) {
    switch (op) {
        case Op::Gt:
            return QStringLiteral(">");
        case Op::Ge:
            return QStringLiteral("≥");
        case Op::Lt:
            return QStringLiteral("<");
        case Op::Le:
            return QStringLiteral("≤");
        case Op::Eq:
            return QStringLiteral("=");
        case Op::Ne:
            break;
    }
    return QStringLiteral("≠");
}

std::optional<AlertRule::Op> AlertRule::opFromSymbol(const QString& symbol) {
    for (Op op : {Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Eq, Op::Ne})
        if (opSymbol(op) == symbol) return op;
    return std::nullopt;
}

bool AlertRule::holds(double value) const {
    switch (op) {
        case Op::Gt:
            return value > threshold;
        case Op::Ge:
            return value >= threshold;
        case Op::Lt:
            return value < threshold;
        case Op::Le:
            return value <= threshold;
        case Op::Eq:
            return value == threshold;
        case Op::Ne:
            return value != threshold;
    }
    return false;
}

QString AlertRule::validate() const {
    if (id.trimmed().isEmpty()) return tr("the rule has no id");
    if (name.trimmed().isEmpty()) return tr("the rule has no name");
    const MetricInfo* info = metricInfo(metric);
    if (!info) return tr("unknown metric \"%1\"").arg(metric);
    static const QStringList scopes{QStringLiteral("cluster"), QStringLiteral("broker"), QStringLiteral("topic"),
                                    QStringLiteral("group")};
    if (!scopes.contains(scopeKind)) return tr("unknown scope \"%1\"").arg(scopeKind);
    if (!scopeFits(scopeKind, QString::fromLatin1(info->subjectKind)))
        return tr("metric \"%1\" is measured per %2, not per %3")
            .arg(metric, QString::fromLatin1(info->subjectKind), scopeKind);
    if (clusterPattern.isEmpty() || !validGlob(clusterPattern))
        return tr("bad cluster pattern \"%1\"").arg(clusterPattern);
    if (subjectPattern.isEmpty() || !validGlob(subjectPattern))
        return tr("bad subject pattern \"%1\"").arg(subjectPattern);
    if (!std::isfinite(threshold)) return tr("the threshold is not a number");
    if (forMs < 0) return tr("the duration is negative");
    return {};
}

QJsonObject AlertRule::toJson() const {
    QJsonObject o;
    o[QStringLiteral("id")] = id;
    o[QStringLiteral("name")] = name;
    o[QStringLiteral("metric")] = metric;
    o[QStringLiteral("scope")] = scopeKind;
    o[QStringLiteral("cluster")] = clusterPattern;
    o[QStringLiteral("subject")] = subjectPattern;
    o[QStringLiteral("op")] = opSymbol(op);
    o[QStringLiteral("threshold")] = threshold;
    o[QStringLiteral("forMs")] = double(forMs);
    o[QStringLiteral("severity")] = severityName(severity);
    o[QStringLiteral("enabled")] = enabled;
    if (!description.isEmpty()) o[QStringLiteral("description")] = description;
    return o;
}

std::optional<AlertRule> AlertRule::fromJson(const QJsonObject& o, QString* error) {
    auto fail = [error](const QString& why) -> std::optional<AlertRule> {
        if (error) *error = why;
        return std::nullopt;
    };
    AlertRule r;
    auto text = [&o](const char* field, QString* out) {
        const QJsonValue v = o.value(QLatin1String(field));
        if (v.isUndefined()) return true;  // keep the default
        if (!v.isString()) return false;
        *out = v.toString();
        return true;
    };
    for (auto [field, out] : {std::pair{"id", &r.id}, std::pair{"name", &r.name}, std::pair{"metric", &r.metric},
                              std::pair{"scope", &r.scopeKind}, std::pair{"cluster", &r.clusterPattern},
                              std::pair{"subject", &r.subjectPattern}, std::pair{"description", &r.description}})
        if (!text(field, out)) return fail(tr("\"%1\" is not a string").arg(QLatin1String(field)));

    const QJsonValue op = o.value(QLatin1String("op"));
    if (!op.isUndefined()) {
        const auto parsed = opFromSymbol(op.toString());
        if (!parsed) return fail(tr("unknown condition \"%1\"").arg(op.toString()));
        r.op = *parsed;
    }
    const QJsonValue threshold = o.value(QLatin1String("threshold"));
    if (!threshold.isDouble()) return fail(tr("\"threshold\" is missing or not a number"));
    r.threshold = threshold.toDouble();
    const QJsonValue forMs = o.value(QLatin1String("forMs"));
    if (!forMs.isUndefined()) {
        if (!forMs.isDouble()) return fail(tr("\"forMs\" is not a number"));
        r.forMs = qint64(forMs.toDouble());
    }
    const QJsonValue severity = o.value(QLatin1String("severity"));
    if (!severity.isUndefined()) {
        const auto parsed = severityFromName(severity.toString());
        if (!parsed) return fail(tr("unknown severity \"%1\"").arg(severity.toString()));
        r.severity = *parsed;
    }
    const QJsonValue enabled = o.value(QLatin1String("enabled"));
    if (!enabled.isUndefined()) {
        if (!enabled.isBool()) return fail(tr("\"enabled\" is not true or false"));
        r.enabled = enabled.toBool();
    }
    const QString why = r.validate();
    if (!why.isEmpty()) return fail(why);
    return r;
}

std::vector<AlertRule> AlertRule::defaults() {
    using namespace metrics;
    auto rule = [](const char* id, const char* name, const char* metric, const char* scope, Op op, double threshold,
                   qint64 forMs, Severity severity, const char* description) {
        AlertRule r;
        r.id = QString::fromLatin1(id);
        r.name = tr(name);
        r.metric = QString::fromLatin1(metric);
        r.scopeKind = QString::fromLatin1(scope);
        r.op = op;
        r.threshold = threshold;
        r.forMs = forMs;
        r.severity = severity;
        r.description = tr(description);
        return r;
    };
    constexpr qint64 minute = 60 * 1000;
    return {
        rule("broker-down", QT_TRANSLATE_NOOP("AlertRule", "Broker down"), brokerUp, "broker", Op::Lt, 1, 30 * 1000,
             Severity::Critical, QT_TRANSLATE_NOOP("AlertRule", "A broker of the cluster does not answer.")),
        rule("under-replicated", QT_TRANSLATE_NOOP("AlertRule", "Under-replicated partitions"),
             underReplicatedPartitions, "cluster", Op::Gt, 0, 5 * minute, Severity::Critical,
             QT_TRANSLATE_NOOP("AlertRule", "Some partitions have fewer in-sync replicas than replicas.")),
        rule("offline-partitions", QT_TRANSLATE_NOOP("AlertRule", "Offline partitions"), offlinePartitions, "cluster",
             Op::Gt, 0, 0, Severity::Critical,
             QT_TRANSLATE_NOOP("AlertRule", "Some partitions have no leader: they can be neither read nor written.")),
        rule("active-controller", QT_TRANSLATE_NOOP("AlertRule", "Active controller count"), activeControllerCount,
             "cluster", Op::Ne, 1, 0, Severity::Critical,
             QT_TRANSLATE_NOOP("AlertRule", "The cluster must have exactly one active controller.")),
        rule("consumer-lag", QT_TRANSLATE_NOOP("AlertRule", "Consumer lag"), groupLag, "group", Op::Gt, 1000000, 0,
             Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "A consumer group is more than 1,000,000 messages behind.")),
        rule("lag-growing", QT_TRANSLATE_NOOP("AlertRule", "Consumer lag growing"), groupLagStatus, "group", Op::Ge,
             double(static_cast<int>(LagStatus::Warn)), 15 * minute, Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "A consumer group's lag status has not been OK for 15 minutes.")),
        rule("disk-usage-warning", QT_TRANSLATE_NOOP("AlertRule", "Disk usage above 80 %"), brokerDiskUsedRatio,
             "broker", Op::Gt, 0.8, 0, Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "A broker's log disk is more than 80 % full.")),
        rule("disk-usage-critical", QT_TRANSLATE_NOOP("AlertRule", "Disk usage above 90 %"), brokerDiskUsedRatio,
             "broker", Op::Gt, 0.9, 0, Severity::Critical,
             QT_TRANSLATE_NOOP("AlertRule", "A broker's log disk is more than 90 % full.")),
        rule("request-queue", QT_TRANSLATE_NOOP("AlertRule", "Request queue"), requestQueueSize, "broker", Op::Gt, 100,
             5 * minute, Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "More than 100 requests wait in a broker's request queue.")),
        rule("producer-errors", QT_TRANSLATE_NOOP("AlertRule", "Producer error rate"), produceErrorRatio, "broker",
             Op::Gt, 0.01, 0, Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "More than 1 % of produce requests fail.")),
        rule("rebalances", QT_TRANSLATE_NOOP("AlertRule", "Frequent rebalances"), groupRebalancesPerHour, "group",
             Op::Gt, 5, 0, Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "A consumer group rebalances more than 5 times an hour.")),
        rule("request-handler-idle", QT_TRANSLATE_NOOP("AlertRule", "Request handlers busy"), requestHandlerIdleRatio,
             "broker", Op::Lt, 0.2, 0, Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "A broker's request handler threads are idle less than 20 % of the time.")),
        rule("network-processor-idle", QT_TRANSLATE_NOOP("AlertRule", "Network processors busy"),
             networkProcessorIdleRatio, "broker", Op::Lt, 0.2, 0, Severity::Warning,
             QT_TRANSLATE_NOOP("AlertRule", "A broker's network threads are idle less than 20 % of the time.")),
    };
}

}  // namespace partita::models
