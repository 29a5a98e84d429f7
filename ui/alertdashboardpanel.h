// AlertDashboardPanel: the alert engine's active alerts (firing, then pending) and their history,
// with acknowledge / silence, "show chart" / "go to subject", a filter, and the Rules… and
// Notifications… dialogs.
#pragma once

#include "models/alertengine.h"
#include "models/alertnotifier.h"
#include "models/alertrule.h"
#include "models/metricseries.h"

#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace partita::ui {

class AlertDashboardPanel : public QWidget {
    Q_OBJECT
public:
    // What the Notifications… dialog edits; the notifier itself has no getters, so the panel keeps
    // the last applied copy (the app loads it from its settings and persists it on change).
    struct NotificationSettings {
        std::vector<models::AlertNotifier::Webhook> webhooks;
        bool desktop = true;
        bool soundForCritical = false;
    };

    // Column indexes of the active table (tests and the lead's wiring name them).
    enum ActiveColumn {
        ActiveName,
        ActiveState,
        ActiveCluster,
        ActiveSubject,
        ActiveValue,
        ActiveSince,
        ActiveHandled,
        ActiveColumnCount
    };
    enum HistoryColumn {
        HistoryName,
        HistoryCluster,
        HistorySubject,
        HistoryValue,
        HistoryStarted,
        HistoryResolved,
        HistoryDuration,
        HistoryColumnCount
    };

    explicit AlertDashboardPanel(models::AlertEngine* engine, QWidget* parent = nullptr);
    ~AlertDashboardPanel() override;

    // The Notifications… button stays disabled until a notifier is given.
    void setNotifier(models::AlertNotifier* notifier, const NotificationSettings& settings);
    const NotificationSettings& notificationSettings() const { return m_notificationSettings; }

    // The clock for "since" texts and silences (tests pass a fixed one); wall clock by default.
    void setClock(std::function<qint64()> nowMs);

    QTableWidget* activeTable() const { return m_active; }
    QTableWidget* historyTable() const { return m_history; }
    QLabel* countsLabel() const { return m_counts; }
    QComboBox* severityFilter() const { return m_severityFilter; }
    QLineEdit* textFilter() const { return m_textFilter; }
    QPushButton* acknowledgeButton() const { return m_acknowledge; }
    QPushButton* silenceButton() const { return m_silence; }
    QPushButton* unsilenceButton() const { return m_unsilence; }
    QPushButton* showChartButton() const { return m_showChart; }
    QPushButton* openSubjectButton() const { return m_openSubject; }
    QPushButton* rulesButton() const { return m_rulesButton; }
    QPushButton* notificationsButton() const { return m_notificationsButton; }

    // The key (AlertInstance::key()) of the selected active alert, or "".
    QString selectedKey() const;
    // Selects the active alert with this key; false when it is not listed (e.g. filtered out).
    bool selectKey(const QString& key);

public slots:
    // Rebuilds both tables from the engine, keeping the selection and scroll position.
    void refresh();
    void acknowledgeSelected();
    void silenceSelected(qint64 durationMs);
    void unsilenceSelected();
    void showChartOfSelected();
    void openSubjectOfSelected();
    // Modal dialogs; on OK the engine gets the rules / the notifier the settings, and the
    // matching signal tells the app to persist them.
    void editRules();
    void editNotifications();

signals:
    void showChartRequested(const partita::models::SeriesKey& series);
    void openSubjectRequested(const QString& cluster, const QString& subject);
    void rulesEdited(const std::vector<partita::models::AlertRule>& rules);
    void notificationSettingsEdited(const partita::ui::AlertDashboardPanel::NotificationSettings& settings);

private:
    qint64 now() const;
    // The selected alert in whichever table has the focus' selection (active first), if any.
    const models::AlertInstance* selectedAlert() const;
    void fillActive();
    void fillHistory();
    void updateActions();
    bool passesFilter(const models::AlertInstance& alert) const;
    // "5000 messages (> 1000)": the value against its rule's condition.
    QString valueText(const models::AlertInstance& alert) const;

    models::AlertEngine* m_engine;
    QPointer<models::AlertNotifier> m_notifier;
    NotificationSettings m_notificationSettings;
    std::function<qint64()> m_clock;
    // Copies of what the tables show, indexed by row (the engine's containers change under us).
    std::vector<models::AlertInstance> m_activeRows;
    std::vector<models::AlertInstance> m_historyRows;

    QLabel* m_counts = nullptr;
    QComboBox* m_severityFilter = nullptr;
    QLineEdit* m_textFilter = nullptr;
    QTableWidget* m_active = nullptr;
    QTableWidget* m_history = nullptr;
    QPushButton* m_acknowledge = nullptr;
    QPushButton* m_silence = nullptr;
    QPushButton* m_unsilence = nullptr;
    QPushButton* m_showChart = nullptr;
    QPushButton* m_openSubject = nullptr;
    QPushButton* m_rulesButton = nullptr;
    QPushButton* m_notificationsButton = nullptr;
};

}  // namespace partita::ui
