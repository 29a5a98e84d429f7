// MonitoringHub: collectors, lag status, history, alerts and notifications wired together.
#include "models/monitoringhub.h"

#include "models/alertengine.h"
#include "models/metriccollector.h"
#include "models/metrichistory.h"
#include "models/metricnames.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>

namespace partita::models {

namespace {

const char* kWebhooksKey = "alerts/webhooks";
const char* kDesktopKey = "alerts/desktopNotifications";
const char* kSoundKey = "alerts/soundForCritical";

QJsonObject webhookToJson(const AlertNotifier::Webhook& webhook) {
    return {{QStringLiteral("url"), webhook.url},
            {QStringLiteral("slack"), webhook.slack},
            {QStringLiteral("minSeverity"), severityName(webhook.minSeverity)},
            {QStringLiteral("enabled"), webhook.enabled}};
}

AlertNotifier::Webhook webhookFromJson(const QJsonObject& json) {
    AlertNotifier::Webhook webhook;
    webhook.url = json.value(QStringLiteral("url")).toString();
    webhook.slack = json.value(QStringLiteral("slack")).toBool();
    webhook.minSeverity =
        severityFromName(json.value(QStringLiteral("minSeverity")).toString()).value_or(Severity::Warning);
    webhook.enabled = json.value(QStringLiteral("enabled")).toBool(true);
    return webhook;
}

}  // namespace

MonitoringHub::MonitoringHub(const QString& storePath, const QString& rulesPath, QObject* parent)
    : QObject(parent),
      m_history(new MetricHistory(storePath, this)),
      m_alerts(new AlertEngine(this)),
      m_notifier(new AlertNotifier(this)),
      m_rulesPath(rulesPath) {
    connect(m_alerts, &AlertEngine::transitioned, m_notifier, &AlertNotifier::notify);
    loadSettings();
}

MonitoringHub::~MonitoringHub() = default;

QString MonitoringHub::defaultRulesPath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("alert-rules.json"));
}

void MonitoringHub::loadSettings() {
    std::vector<AlertRule> rules = AlertRule::defaults();
    if (QFileInfo::exists(m_rulesPath)) {
        QString error;
        if (auto saved = AlertEngine::importRules(m_rulesPath, &error))
            rules = std::move(*saved);
        else
            // Reported once the app listens; the file is left alone so nothing the user wrote is lost.
            QMetaObject::invokeMethod(
                this, [this, error] { emit rulesProblem(tr("Alert rules not loaded: %1").arg(error)); },
                Qt::QueuedConnection);
    }
    m_alerts->setRules(std::move(rules));

    QSettings settings;
    std::vector<AlertNotifier::Webhook> webhooks;
    const QJsonArray saved = QJsonDocument::fromJson(settings.value(kWebhooksKey).toByteArray()).array();
    for (const QJsonValue& value : saved) webhooks.push_back(webhookFromJson(value.toObject()));
    m_notifier->setWebhooks(webhooks);
    m_desktop = settings.value(kDesktopKey, true).toBool();
    m_sound = settings.value(kSoundKey, false).toBool();
    m_notifier->setSoundForCritical(m_sound);
}

void MonitoringHub::addCluster(const QString& id, ClusterSession* session, const QStringList& prometheus) {
    removeCluster(id);
    auto* collector = new MetricCollector(session, id, this);
    collector->setInterval(m_intervalMs);
    collector->setPrometheusEndpoints(prometheus);
    connect(collector, &MetricCollector::sampled, this, &MonitoringHub::onSampled);
    connect(collector, &MetricCollector::problem, this,
            [this, id](const QString& message) { emit collectorProblem(id, message); });
    m_collectors.insert(id, collector);
    collector->start();
}

void MonitoringHub::removeCluster(const QString& id) {
    if (QPointer<MetricCollector> collector = m_collectors.take(id)) {
        collector->stop();
        collector->deleteLater();
    }
}

MetricCollector* MonitoringHub::collector(const QString& id) const {
    return m_collectors.value(id);
}

void MonitoringHub::setInterval(int ms) {
    m_intervalMs = qMax(100, ms);
    for (const auto& collector : m_collectors)
        if (collector) collector->setInterval(m_intervalMs);
}

void MonitoringHub::onSampled(MetricFrame frame) {
    // Lag status first, so its series are stored and the "lag growing" rule sees them.
    m_lag.add(frame.cluster, frame);
    m_lag.annotate(frame);
    for (const auto& [key, value] : frame.values) {
        if (key.metric != QLatin1String(metrics::groupLag) &&
            key.metric != QLatin1String(metrics::topicMessagesInPerSec))
            continue;
        QList<double>& values = m_recent[key.toString()];
        values.append(value);
        if (values.size() > kRecentValues) values.removeFirst();
    }
    m_history->record(frame);
    m_alerts->evaluate(frame);
    emit frameReady(frame);
}

bool MonitoringHub::setRules(const std::vector<AlertRule>& rules, QString* error) {
    for (const AlertRule& rule : rules) {
        if (const QString problem = rule.validate(); !problem.isEmpty()) {
            if (error) *error = tr("Rule \"%1\": %2").arg(rule.name, problem);
            return false;
        }
    }
    QDir().mkpath(QFileInfo(m_rulesPath).absolutePath());
    if (!AlertEngine::exportRules(m_rulesPath, rules, error)) return false;
    m_alerts->setRules(rules);
    emit rulesChanged();
    return true;
}

void MonitoringHub::setWebhooks(const std::vector<AlertNotifier::Webhook>& webhooks) {
    QJsonArray saved;
    for (const auto& webhook : webhooks) saved.append(webhookToJson(webhook));
    QSettings().setValue(kWebhooksKey, QJsonDocument(saved).toJson(QJsonDocument::Compact));
    m_notifier->setWebhooks(webhooks);
}

void MonitoringHub::setDesktopNotifications(bool on) {
    m_desktop = on;
    QSettings().setValue(kDesktopKey, on);
}

void MonitoringHub::setSoundForCritical(bool on) {
    m_sound = on;
    QSettings().setValue(kSoundKey, on);
    m_notifier->setSoundForCritical(on);
}

}  // namespace partita::models
