// AlertNotifier: sends alert transitions (Firing, Resolved) to the desktop, a sound and webhooks
// (generic JSON or Slack), with retries, at most once per transition, logging every attempt.
#pragma once

#include "models/alertengine.h"

#include <QObject>
#include <QSet>

#include <deque>
#include <functional>
#include <vector>

class QNetworkAccessManager;

namespace partita::models {

class AlertNotifier : public QObject {
    Q_OBJECT
public:
    struct Webhook {
        QString url;
        bool slack = false;  // Slack incoming-webhook body {"text": ...} instead of the generic JSON
        Severity minSeverity = Severity::Warning;
        bool enabled = true;
    };
    struct LogEntry {
        qint64 ms = 0;    // wall clock of the attempt's outcome
        QString channel;  // "desktop", "sound", "webhook <url>"
        QString alertKey;
        QString transition;  // "firing", "resolved"
        bool ok = false;
        int attempt = 1;  // 1-based
        QString detail;   // "HTTP 200", the network error, "retrying in 2 s", ...
    };

    explicit AlertNotifier(QObject* parent = nullptr);
    ~AlertNotifier() override;

    void setWebhooks(const std::vector<Webhook>& webhooks);
    const std::vector<Webhook>& webhooks() const;
    // attempts in total per webhook and transition (1 = no retry); delays double from firstDelayMs.
    // Retries happen on network errors (including the 10 s timeout) and HTTP 5xx only.
    void setRetry(int attempts = 3, int firstDelayMs = 1000);
    void setDesktop(std::function<void(const AlertTransition&)> show);  // the ui's tray message; null: none
    void setSound(std::function<void()> play);                          // the ui's beep; null: none
    void setSoundForCritical(bool on);                                  // play on critical Firing (default off)

    // Firing and Resolved only (Pending is ignored); skipped when alert.silencedUntil > t.ms; a
    // transition already notified (same key, state and time) is ignored.
    void notify(const AlertTransition& transition);
    const std::deque<LogEntry>& log() const;  // oldest first, at most 1,000

    // The bodies (exposed for tests and a "send test notification" button).
    static QByteArray jsonBody(const AlertTransition& transition);
    static QByteArray slackBody(const AlertTransition& transition);

signals:
    void logged(const partita::models::AlertNotifier::LogEntry& entry);

private:
    void post(const Webhook& webhook, const AlertTransition& transition, const QByteArray& body, int attempt);
    void addLog(LogEntry entry);

    QNetworkAccessManager* m_network;
    std::vector<Webhook> m_webhooks;
    int m_attempts = 3;
    int m_firstDelayMs = 1000;
    std::function<void(const AlertTransition&)> m_desktop;
    std::function<void()> m_sound;
    bool m_soundForCritical = false;
    std::deque<LogEntry> m_log;
    QSet<QString> m_notified;
    std::deque<QString> m_notifiedOrder;  // bounds m_notified
};

}  // namespace partita::models

Q_DECLARE_METATYPE(partita::models::AlertNotifier::LogEntry)
