// AlertTray: the system tray icon that shows one message per alert transition (Firing,
// Resolved), and the callbacks AlertNotifier takes for desktop messages and the critical sound.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

class QSystemTrayIcon;

namespace partita::models {
struct AlertTransition;
}  // namespace partita::models

namespace partita::ui {

class AlertTray : public QObject {
    Q_OBJECT
public:
    explicit AlertTray(QObject* parent = nullptr);
    ~AlertTray() override;

    // Whether the desktop has a tray; without one, show() does nothing (silently: the dashboard
    // and webhooks still tell the user).
    bool available() const;
    // Off: messages are dropped (the user's "desktop notifications" switch).
    void setEnabled(bool on);
    bool isEnabled() const { return m_enabled; }

    // The message for a transition ("" for Pending, which is not notified). Exposed for tests.
    static QString title(const models::AlertTransition& transition);
    static QString message(const models::AlertTransition& transition);

    // Shows the transition's message; Firing critical alerts use the Critical icon.
    void show(const models::AlertTransition& transition);
    // For AlertNotifier::setDesktop / setSound; the callbacks do nothing once this object is gone.
    std::function<void(const models::AlertTransition&)> desktopCallback();
    static std::function<void()> soundCallback();

    // How many messages were shown (tests; the offscreen platform has no tray).
    int shownCount() const { return m_shown; }
    QString lastTitle() const { return m_lastTitle; }

signals:
    // The user clicked a message or the icon: the app raises its window on the alerts view.
    void activated();

private:
    QSystemTrayIcon* m_tray = nullptr;
    bool m_enabled = true;
    int m_shown = 0;
    QString m_lastTitle;
};

}  // namespace partita::ui
