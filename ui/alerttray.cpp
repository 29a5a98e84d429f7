// AlertTray: tray messages for alert transitions, with a silent fallback when there is no tray.
#include "ui/alerttray.h"

#include "models/alertengine.h"
#include "models/metricnames.h"
#include "ui/icons.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPointer>
#include <QSystemTrayIcon>

namespace partita::ui {

namespace {

QString number(double value) {
    return QString::number(value, 'g', 6);
}

}  // namespace

AlertTray::AlertTray(QObject* parent) : QObject(parent) {
    if (!QSystemTrayIcon::isSystemTrayAvailable()) return;
    m_tray = new QSystemTrayIcon(this);
    const QIcon appIcon = QApplication::windowIcon();
    m_tray->setIcon(appIcon.isNull() ? icon(QStringLiteral("cluster")) : appIcon);
    m_tray->setToolTip(tr("Partita alerts"));
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertTray::activated);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) emit activated();
    });
    m_tray->show();
}

AlertTray::~AlertTray() = default;

bool AlertTray::available() const {
    return m_tray != nullptr;
}

void AlertTray::setEnabled(bool on) {
    m_enabled = on;
}

QString AlertTray::title(const models::AlertTransition& transition) {
    const models::AlertInstance& alert = transition.alert;
    switch (transition.to) {
        case models::AlertInstance::State::Firing:
            switch (alert.severity) {
                case models::Severity::Critical:
                    return tr("Critical: %1").arg(alert.ruleName);
                case models::Severity::Warning:
                    return tr("Warning: %1").arg(alert.ruleName);
                case models::Severity::Info:
                    break;
            }
            return tr("Alert: %1").arg(alert.ruleName);
        case models::AlertInstance::State::Resolved:
            return tr("Resolved: %1").arg(alert.ruleName);
        case models::AlertInstance::State::Pending:
            break;
    }
    return {};
}

QString AlertTray::message(const models::AlertTransition& transition) {
    if (transition.to == models::AlertInstance::State::Pending) return {};
    const models::AlertInstance& alert = transition.alert;
    QString metric = alert.series.metric;
    if (const models::MetricInfo* info = models::metricInfo(metric.toUtf8().constData()))
        metric = QCoreApplication::translate("MetricNames", info->title);
    const QString where = alert.series.subject.isEmpty()
                              ? alert.series.cluster
                              : tr("%1 · %2").arg(alert.series.cluster, alert.series.subject);
    return tr("%1\n%2: %3 (threshold %4)").arg(where, metric, number(alert.value), number(alert.threshold));
}

void AlertTray::show(const models::AlertTransition& transition) {
    if (!m_enabled || transition.to == models::AlertInstance::State::Pending) return;
    m_lastTitle = title(transition);
    ++m_shown;
    if (!m_tray) return;
    const bool critical = transition.to == models::AlertInstance::State::Firing &&
                          transition.alert.severity == models::Severity::Critical;
    const QSystemTrayIcon::MessageIcon messageIcon =
        critical ? QSystemTrayIcon::Critical
                 : (transition.to == models::AlertInstance::State::Firing ? QSystemTrayIcon::Warning
                                                                          : QSystemTrayIcon::Information);
    m_tray->showMessage(m_lastTitle, message(transition), messageIcon, critical ? 0 : 10'000);
}

std::function<void(const models::AlertTransition&)> AlertTray::desktopCallback() {
    // The notifier may outlive the tray (both are owned by the app, destroyed in some order).
    QPointer<AlertTray> self(this);
    return [self](const models::AlertTransition& transition) {
        if (self) self->show(transition);
    };
}

std::function<void()> AlertTray::soundCallback() {
    return [] { QApplication::beep(); };
}

}  // namespace partita::ui
