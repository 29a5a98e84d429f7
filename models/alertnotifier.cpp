// AlertNotifier: desktop / sound callbacks and webhook POSTs with retries, logged attempt by attempt.
#include "models/alertnotifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrl>

namespace partita::models {

namespace {

constexpr size_t kLogLimit = 1000;
constexpr qsizetype kNotifiedLimit = 10000;
constexpr int kTimeoutMs = 10000;

QString isoTime(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString subjectText(const SeriesKey& series) {
    return series.subject.isEmpty() ? AlertNotifier::tr("the cluster") : series.subject;
}

}  // namespace

AlertNotifier::AlertNotifier(QObject* parent) : QObject(parent), m_network(new QNetworkAccessManager(this)) {}

AlertNotifier::~AlertNotifier() = default;

void AlertNotifier::setWebhooks(const std::vector<Webhook>& webhooks) {
    m_webhooks = webhooks;
}

const std::vector<AlertNotifier::Webhook>& AlertNotifier::webhooks() const {
    return m_webhooks;
}

void AlertNotifier::setRetry(int attempts, int firstDelayMs) {
    m_attempts = std::max(1, attempts);
    m_firstDelayMs = std::max(0, firstDelayMs);
}

void AlertNotifier::setDesktop(std::function<void(const AlertTransition&)> show) {
    m_desktop = std::move(show);
}

void AlertNotifier::setSound(std::function<void()> play) {
    m_sound = std::move(play);
}

void AlertNotifier::setSoundForCritical(bool on) {
    m_soundForCritical = on;
}

const std::deque<AlertNotifier::LogEntry>& AlertNotifier::log() const {
    return m_log;
}

QByteArray AlertNotifier::jsonBody(const AlertTransition& t) {
    const AlertInstance& a = t.alert;
    QJsonObject o;
    o[QStringLiteral("status")] = alertStateName(t.to);
    o[QStringLiteral("rule")] = a.ruleName;
    o[QStringLiteral("ruleId")] = a.ruleId;
    o[QStringLiteral("severity")] = severityName(a.severity);
    o[QStringLiteral("cluster")] = a.series.cluster;
    o[QStringLiteral("subject")] = a.series.subject;
    o[QStringLiteral("metric")] = a.series.metric;
    o[QStringLiteral("value")] = a.value;
    o[QStringLiteral("threshold")] = a.threshold;
    o[QStringLiteral("since")] = isoTime(a.firingSince ? a.firingSince : a.pendingSince);
    if (t.to == AlertInstance::State::Resolved) o[QStringLiteral("resolvedAt")] = isoTime(a.resolvedAt);
    o[QStringLiteral("key")] = a.key();
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray AlertNotifier::slackBody(const AlertTransition& t) {
    const AlertInstance& a = t.alert;
    const QString text = t.to == AlertInstance::State::Resolved
                             ? tr("[RESOLVED] %1 (%2) on %3, cluster %4: value %5, threshold %6; firing since %7")
                                   .arg(a.ruleName, severityName(a.severity), subjectText(a.series), a.series.cluster)
                                   .arg(a.value)
                                   .arg(a.threshold)
                                   .arg(isoTime(a.firingSince))
                             : tr("[FIRING] %1 (%2) on %3, cluster %4: value %5, threshold %6; since %7")
                                   .arg(a.ruleName, severityName(a.severity), subjectText(a.series), a.series.cluster)
                                   .arg(a.value)
                                   .arg(a.threshold)
                                   .arg(isoTime(a.firingSince));
    QJsonObject o;
    o[QStringLiteral("text")] = text;
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void AlertNotifier::notify(const AlertTransition& t) {
    if (t.to != AlertInstance::State::Firing && t.to != AlertInstance::State::Resolved) return;
    if (t.alert.silencedUntil > t.ms) return;
    // Nothing twice for one transition (the engine and a replay could hand the same one again).
    const QString once = t.alert.key() + QLatin1Char('|') + alertStateName(t.to) + QLatin1Char('|') +
                         QString::number(t.alert.firingSince) + QLatin1Char('|') + QString::number(t.ms);
    if (m_notified.contains(once)) return;
    m_notified.insert(once);
    m_notifiedOrder.push_back(once);
    if (m_notifiedOrder.size() > size_t(kNotifiedLimit)) {
        m_notified.remove(m_notifiedOrder.front());
        m_notifiedOrder.pop_front();
    }

    const QString transition = alertStateName(t.to);
    if (m_desktop) {
        m_desktop(t);
        addLog({QDateTime::currentMSecsSinceEpoch(), QStringLiteral("desktop"), t.alert.key(), transition, true, 1,
                QString()});
    }
    if (m_soundForCritical && m_sound && t.to == AlertInstance::State::Firing &&
        t.alert.severity == Severity::Critical) {
        m_sound();
        addLog({QDateTime::currentMSecsSinceEpoch(), QStringLiteral("sound"), t.alert.key(), transition, true, 1,
                QString()});
    }
    for (const Webhook& w : m_webhooks) {
        if (!w.enabled || w.url.isEmpty() || int(t.alert.severity) < int(w.minSeverity)) continue;
        post(w, t, w.slack ? slackBody(t) : jsonBody(t), 1);
    }
}

void AlertNotifier::post(const Webhook& webhook, const AlertTransition& t, const QByteArray& body, int attempt) {
    QNetworkRequest request{QUrl(webhook.url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(kTimeoutMs);
    QNetworkReply* reply = m_network->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, webhook, t, body, attempt]() {
        reply->deleteLater();
        const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int status = statusAttr.isValid() ? statusAttr.toInt() : 0;
        const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
        // Only what may pass by itself is retried: no answer at all (network error, timeout) or a 5xx.
        const bool retryable = !ok && (status == 0 || status >= 500);
        QString detail = status ? tr("HTTP %1").arg(status) : reply->errorString();
        if (!ok && status && reply->error() != QNetworkReply::NoError)
            detail += QStringLiteral(": ") + reply->errorString();
        const bool again = retryable && attempt < m_attempts;
        const int delayMs = m_firstDelayMs << std::min(attempt - 1, 20);
        if (again) detail += tr("; retrying in %1 ms").arg(delayMs);
        addLog({QDateTime::currentMSecsSinceEpoch(), QStringLiteral("webhook ") + webhook.url, t.alert.key(),
                alertStateName(t.to), ok, attempt, detail});
        if (again) {
            QTimer::singleShot(delayMs, this,
                               [this, webhook, t, body, attempt]() { post(webhook, t, body, attempt + 1); });
        }
    });
}

void AlertNotifier::addLog(LogEntry entry) {
    m_log.push_back(entry);
    if (m_log.size() > kLogLimit) m_log.pop_front();
    emit logged(entry);
}

}  // namespace partita::models
