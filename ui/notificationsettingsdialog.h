// NotificationSettingsDialog: where alert notifications go (webhooks with their format, minimum
// severity and switch; desktop messages; a sound for critical alerts), a "Send test" per webhook,
// and the notifier's log of every attempt.
#pragma once

#include "models/alertnotifier.h"

#include <QDialog>
#include <QPointer>

#include <vector>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace partita::ui {

class NotificationSettingsDialog : public QDialog {
    Q_OBJECT
public:
    enum WebhookColumn { WebhookEnabled, WebhookUrl, WebhookFormat, WebhookMinSeverity, WebhookColumnCount };
    enum LogColumn { LogTime, LogChannel, LogAlert, LogTransition, LogResult, LogAttempt, LogDetail, LogColumnCount };

    // Starts from the notifier's webhooks; nothing reaches the notifier before the caller applies
    // webhooks() after OK (Send test uses a throwaway notifier).
    // `rules` name the alerts in the log (a log entry only has the alert's key).
    explicit NotificationSettingsDialog(models::AlertNotifier* notifier, std::vector<models::AlertRule> rules = {},
                                        QWidget* parent = nullptr);
    ~NotificationSettingsDialog() override;

    void setWebhooks(const std::vector<models::AlertNotifier::Webhook>& webhooks);
    // The rows with a non-empty URL.
    std::vector<models::AlertNotifier::Webhook> webhooks() const;
    void setDesktopEnabled(bool on);
    bool desktopEnabled() const;
    void setSoundForCritical(bool on);
    bool soundForCritical() const;

    QTableWidget* webhookTable() const { return m_webhooks; }
    QTableWidget* logTable() const { return m_log; }
    QCheckBox* desktopCheck() const { return m_desktop; }
    QCheckBox* soundCheck() const { return m_sound; }
    QPushButton* addWebhookButton() const { return m_addWebhook; }
    QPushButton* removeWebhookButton() const { return m_removeWebhook; }
    QPushButton* sendTestButton() const { return m_sendTest; }
    QLabel* testResultLabel() const { return m_testResult; }
    QLabel* errorLabel() const { return m_error; }
    QPushButton* okButton() const;

public slots:
    void addWebhook();
    void removeSelectedWebhook();
    // Posts a made-up firing alert to the selected webhook (once, no retries); the outcome shows
    // under the table and in the log.
    void sendTest();

private:
    void addWebhookRow(const models::AlertNotifier::Webhook& webhook);
    void appendLog(const models::AlertNotifier::LogEntry& entry);
    // "Broker down · local · broker:2" for an alert key (rule id + cluster, metric, subject).
    QString describeKey(const QString& key) const;
    void updateValidation();

    QPointer<models::AlertNotifier> m_notifier;
    std::vector<models::AlertRule> m_rules;
    QTableWidget* m_webhooks = nullptr;
    QTableWidget* m_log = nullptr;
    QCheckBox* m_desktop = nullptr;
    QCheckBox* m_sound = nullptr;
    QPushButton* m_addWebhook = nullptr;
    QPushButton* m_removeWebhook = nullptr;
    QPushButton* m_sendTest = nullptr;
    QLabel* m_testResult = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace partita::ui
