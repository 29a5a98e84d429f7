// AlertDashboardPanel: the alert tables, their actions and the two settings dialogs.
#include "ui/alertdashboardpanel.h"

#include "models/metricnames.h"
#include "ui/alertruledialog.h"
#include "ui/notificationsettingsdialog.h"
#include "ui/readonlytable.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace partita::ui {

namespace {

constexpr int KeyRole = Qt::UserRole + 1;

// Saturated mid-tone dots read on white and on near-black bases alike, unlike tinted rows.
QColor severityColor(models::Severity severity) {
    switch (severity) {
        case models::Severity::Critical:
            return QColor(0xe5, 0x48, 0x4d);
        case models::Severity::Warning:
            return QColor(0xf0, 0xa0, 0x20);
        case models::Severity::Info:
            break;
    }
    return QColor(0x3e, 0x8e, 0xf7);
}

// A filled dot for firing alerts, a ring for pending ones (the state is readable without colour).
QIcon severityIcon(models::Severity severity, bool filled) {
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor color = severityColor(severity);
    if (filled) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QRectF(5, 5, 22, 22));
    } else {
        painter.setPen(QPen(color, 4));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(QRectF(7, 7, 18, 18));
    }
    // The same pixmap when selected: the style's selected-mode tint would turn amber into brown.
    QIcon icon;
    icon.addPixmap(pixmap, QIcon::Normal);
    icon.addPixmap(pixmap, QIcon::Selected);
    return icon;
}

QString severityLabel(models::Severity severity) {
    switch (severity) {
        case models::Severity::Critical:
            return AlertDashboardPanel::tr("Critical");
        case models::Severity::Warning:
            return AlertDashboardPanel::tr("Warning");
        case models::Severity::Info:
            break;
    }
    return AlertDashboardPanel::tr("Info");
}

QString stateName(models::AlertInstance::State state) {
    switch (state) {
        case models::AlertInstance::State::Pending:
            return AlertDashboardPanel::tr("Pending");
        case models::AlertInstance::State::Firing:
            return AlertDashboardPanel::tr("Firing");
        case models::AlertInstance::State::Resolved:
            break;
    }
    return AlertDashboardPanel::tr("Resolved");
}

QString formatNumber(double value) {
    if (std::isnan(value)) return QStringLiteral("—");
    if (value == std::floor(value) && std::abs(value) < 1e15) return QString::number(qint64(value));
    return QString::number(value, 'g', 4);
}

QString unitOf(const QString& metric) {
    const models::MetricInfo* info = models::metricInfo(metric.toUtf8().constData());
    if (!info) return {};
    const QString unit = QString::fromUtf8(info->unit);
    // Counts and states read better bare ("3", not "3 count").
    if (unit == QLatin1String("count") || unit == QLatin1String("state") || unit == QLatin1String("status") ||
        unit == QLatin1String("ratio"))
        return {};
    return unit;
}

// "45 s", "5 min", "3 h 10 min", "2 d 4 h".
QString durationText(qint64 ms) {
    const qint64 s = std::max<qint64>(0, ms / 1000);
    if (s < 60) return AlertDashboardPanel::tr("%1 s").arg(s);
    if (s < 3600) return AlertDashboardPanel::tr("%1 min").arg(s / 60);
    if (s < 86400) {
        const qint64 minutes = (s % 3600) / 60;
        return minutes ? AlertDashboardPanel::tr("%1 h %2 min").arg(s / 3600).arg(minutes)
                       : AlertDashboardPanel::tr("%1 h").arg(s / 3600);
    }
    const qint64 hours = (s % 86400) / 3600;
    return hours ? AlertDashboardPanel::tr("%1 d %2 h").arg(s / 86400).arg(hours)
                 : AlertDashboardPanel::tr("%1 d").arg(s / 86400);
}

QString relativeText(qint64 thenMs, qint64 nowMs) {
    if (nowMs - thenMs < 10'000) return AlertDashboardPanel::tr("just now");
    return AlertDashboardPanel::tr("%1 ago").arg(durationText(nowMs - thenMs));
}

QString exactText(qint64 ms) {
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::LongFormat);
}

QString shortTime(qint64 ms, qint64 nowMs) {
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(ms);
    // Same day: the time is enough; otherwise the date matters.
    if (when.date() == QDateTime::fromMSecsSinceEpoch(nowMs).date())
        return QLocale().toString(when.time(), QLocale::ShortFormat);
    return QLocale().toString(when, QLocale::ShortFormat);
}

qint64 startOf(const models::AlertInstance& alert) {
    return alert.state == models::AlertInstance::State::Pending || alert.firingSince == 0 ? alert.pendingSince
                                                                                          : alert.firingSince;
}

QString subjectText(const QString& subject) {
    return subject.isEmpty() ? AlertDashboardPanel::tr("(cluster)") : subject;
}

QTableWidgetItem* item(const QString& text, const QString& key) {
    auto* cell = new QTableWidgetItem(text);
    cell->setData(KeyRole, key);
    return cell;
}

}  // namespace

AlertDashboardPanel::AlertDashboardPanel(models::AlertEngine* engine, QWidget* parent)
    : QWidget(parent), m_engine(engine), m_clock([] { return QDateTime::currentMSecsSinceEpoch(); }) {
    auto* layout = new QVBoxLayout(this);

    auto* top = new QHBoxLayout;
    m_counts = new QLabel(this);
    QFont bold = m_counts->font();
    bold.setBold(true);
    m_counts->setFont(bold);
    top->addWidget(m_counts, 1);
    m_severityFilter = new QComboBox(this);
    m_severityFilter->addItem(tr("All severities"), -1);
    m_severityFilter->addItem(severityIcon(models::Severity::Critical, true), tr("Critical"),
                              int(models::Severity::Critical));
    m_severityFilter->addItem(severityIcon(models::Severity::Warning, true), tr("Warning and above"),
                              int(models::Severity::Warning));
    m_severityFilter->addItem(severityIcon(models::Severity::Info, true), tr("Info and above"),
                              int(models::Severity::Info));
    top->addWidget(m_severityFilter);
    m_textFilter = new QLineEdit(this);
    m_textFilter->setPlaceholderText(tr("Filter by cluster, subject or rule"));
    m_textFilter->setClearButtonEnabled(true);
    m_textFilter->setMinimumWidth(220);
    top->addWidget(m_textFilter);
    m_rulesButton = new QPushButton(tr("Rules…"), this);
    m_notificationsButton = new QPushButton(tr("Notifications…"), this);
    m_notificationsButton->setEnabled(false);
    top->addWidget(m_rulesButton);
    top->addWidget(m_notificationsButton);
    layout->addLayout(top);

    auto* actions = new QHBoxLayout;
    m_acknowledge = new QPushButton(tr("Acknowledge"), this);
    // A push button with a menu: the style leaves room for the arrow (a tool button crams it).
    m_silence = new QPushButton(tr("Silence"), this);
    auto* silenceMenu = new QMenu(m_silence);
    const std::pair<QString, qint64> durations[] = {{tr("For 15 minutes"), 15 * 60'000LL},
                                                    {tr("For 1 hour"), 3600'000LL},
                                                    {tr("For 4 hours"), 4 * 3600'000LL},
                                                    {tr("For 24 hours"), 24 * 3600'000LL}};
    for (const auto& [label, ms] : durations) {
        const qint64 duration = ms;
        silenceMenu->addAction(label, this, [this, duration] { silenceSelected(duration); });
    }
    m_silence->setMenu(silenceMenu);
    m_unsilence = new QPushButton(tr("Unsilence"), this);
    m_showChart = new QPushButton(tr("Show chart"), this);
    m_openSubject = new QPushButton(tr("Go to subject"), this);
    actions->addWidget(m_acknowledge);
    actions->addWidget(m_silence);
    actions->addWidget(m_unsilence);
    actions->addStretch(1);
    actions->addWidget(m_showChart);
    actions->addWidget(m_openSubject);
    layout->addLayout(actions);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    auto* activeBox = new QWidget(splitter);
    auto* activeLayout = new QVBoxLayout(activeBox);
    activeLayout->setContentsMargins(0, 0, 0, 0);
    activeLayout->addWidget(new QLabel(tr("Active alerts"), activeBox));
    m_active = new QTableWidget(0, ActiveColumnCount, activeBox);
    m_active->setHorizontalHeaderLabels(
        {tr("Alert"), tr("State"), tr("Cluster"), tr("Subject"), tr("Value"), tr("Since"), tr("Handling")});
    setUpReadOnlyTable(m_active);
    m_active->setSelectionMode(QAbstractItemView::SingleSelection);
    m_active->horizontalHeader()->setStretchLastSection(true);
    activeLayout->addWidget(m_active);

    auto* historyBox = new QWidget(splitter);
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(new QLabel(tr("History"), historyBox));
    m_history = new QTableWidget(0, HistoryColumnCount, historyBox);
    m_history->setHorizontalHeaderLabels(
        {tr("Alert"), tr("Cluster"), tr("Subject"), tr("Last value"), tr("Started"), tr("Resolved"), tr("Duration")});
    setUpReadOnlyTable(m_history);
    m_history->setSelectionMode(QAbstractItemView::SingleSelection);
    m_history->horizontalHeader()->setStretchLastSection(true);
    historyLayout->addWidget(m_history);
    splitter->addWidget(activeBox);
    splitter->addWidget(historyBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    // Selecting in one table clears the other, so the actions always mean one alert.
    connect(m_active->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_active->selectionModel()->selectedRows().isEmpty()) m_history->clearSelection();
        updateActions();
    });
    connect(m_history->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_history->selectionModel()->selectedRows().isEmpty()) m_active->clearSelection();
        updateActions();
    });
    connect(m_active, &QTableWidget::doubleClicked, this, &AlertDashboardPanel::showChartOfSelected);
    connect(m_history, &QTableWidget::doubleClicked, this, &AlertDashboardPanel::showChartOfSelected);
    connect(m_acknowledge, &QPushButton::clicked, this, &AlertDashboardPanel::acknowledgeSelected);
    connect(m_unsilence, &QPushButton::clicked, this, &AlertDashboardPanel::unsilenceSelected);
    connect(m_showChart, &QPushButton::clicked, this, &AlertDashboardPanel::showChartOfSelected);
    connect(m_openSubject, &QPushButton::clicked, this, &AlertDashboardPanel::openSubjectOfSelected);
    connect(m_rulesButton, &QPushButton::clicked, this, &AlertDashboardPanel::editRules);
    connect(m_notificationsButton, &QPushButton::clicked, this, &AlertDashboardPanel::editNotifications);
    connect(m_severityFilter, &QComboBox::currentIndexChanged, this, &AlertDashboardPanel::refresh);
    connect(m_textFilter, &QLineEdit::textChanged, this, &AlertDashboardPanel::refresh);
    if (m_engine) connect(m_engine, &models::AlertEngine::alertsChanged, this, &AlertDashboardPanel::refresh);
    // "5 min ago" ages even when no frame arrives (a stopped collector): redraw twice a minute.
    auto* ticker = new QTimer(this);
    ticker->setInterval(30'000);
    connect(ticker, &QTimer::timeout, this, [this] {
        if (isVisible()) refresh();
    });
    ticker->start();

    refresh();
}

AlertDashboardPanel::~AlertDashboardPanel() = default;

void AlertDashboardPanel::setNotifier(models::AlertNotifier* notifier, const NotificationSettings& settings) {
    m_notifier = notifier;
    m_notificationSettings = settings;
    m_notificationsButton->setEnabled(notifier != nullptr);
}

void AlertDashboardPanel::setClock(std::function<qint64()> nowMs) {
    m_clock = std::move(nowMs);
    refresh();
}

qint64 AlertDashboardPanel::now() const {
    return m_clock();
}

bool AlertDashboardPanel::passesFilter(const models::AlertInstance& alert) const {
    const int minimum = m_severityFilter->currentData().toInt();
    if (minimum >= 0 && int(alert.severity) < minimum) return false;
    const QString text = m_textFilter->text().trimmed();
    if (text.isEmpty()) return true;
    return alert.series.cluster.contains(text, Qt::CaseInsensitive) ||
           alert.series.subject.contains(text, Qt::CaseInsensitive) ||
           alert.ruleName.contains(text, Qt::CaseInsensitive);
}

QString AlertDashboardPanel::valueText(const models::AlertInstance& alert) const {
    const QString unit = unitOf(alert.series.metric);
    const QString value = formatNumber(alert.value) + (unit.isEmpty() ? QString() : QLatin1Char(' ') + unit);
    if (m_engine) {
        for (const models::AlertRule& rule : m_engine->rules())
            if (rule.id == alert.ruleId)
                return tr("%1 (%2 %3)").arg(value, models::AlertRule::opSymbol(rule.op), formatNumber(alert.threshold));
    }
    // The rule is gone (history of a deleted rule): the threshold alone.
    return tr("%1 (threshold %2)").arg(value, formatNumber(alert.threshold));
}

void AlertDashboardPanel::refresh() {
    // Reset + reselect by key: rows come and go with every evaluation, so the key, not the row,
    // is what the user selected.
    const QString activeKey = selectedKey();
    QString historyKey;
    qint64 historyResolvedAt = 0;
    if (const auto rows = m_history->selectionModel()->selectedRows(); !rows.isEmpty()) {
        const int row = rows.first().row();
        if (row >= 0 && row < int(m_historyRows.size())) {
            historyKey = m_historyRows[size_t(row)].key();
            historyResolvedAt = m_historyRows[size_t(row)].resolvedAt;
        }
    }
    const int activeScroll = m_active->verticalScrollBar()->value();
    const int historyScroll = m_history->verticalScrollBar()->value();

    fillActive();
    fillHistory();

    {
        const QSignalBlocker blockActive(m_active->selectionModel());
        const QSignalBlocker blockHistory(m_history->selectionModel());
        if (!activeKey.isEmpty()) selectKey(activeKey);
        if (!historyKey.isEmpty()) {
            for (size_t row = 0; row < m_historyRows.size(); ++row) {
                if (m_historyRows[row].key() == historyKey && m_historyRows[row].resolvedAt == historyResolvedAt) {
                    m_history->selectRow(int(row));
                    break;
                }
            }
        }
    }
    m_active->verticalScrollBar()->setValue(activeScroll);
    m_history->verticalScrollBar()->setValue(historyScroll);
    m_active->viewport()->update();
    m_history->viewport()->update();
    updateActions();
}

void AlertDashboardPanel::fillActive() {
    const qint64 nowMs = now();
    const std::vector<models::AlertInstance> all = m_engine ? m_engine->active() : std::vector<models::AlertInstance>{};
    int firing = 0;
    int pending = 0;
    for (const auto& alert : all) (alert.state == models::AlertInstance::State::Firing ? firing : pending)++;
    if (all.empty())
        m_counts->setText(tr("No active alerts"));
    else
        m_counts->setText(tr("%1 firing · %2 pending").arg(firing).arg(pending));

    m_activeRows.clear();
    for (const auto& alert : all)
        if (passesFilter(alert)) m_activeRows.push_back(alert);

    m_active->setSortingEnabled(false);
    m_active->setRowCount(int(m_activeRows.size()));
    for (size_t i = 0; i < m_activeRows.size(); ++i) {
        const auto& alert = m_activeRows[i];
        const int row = int(i);
        const QString key = alert.key();
        const bool isFiring = alert.state == models::AlertInstance::State::Firing;
        const bool silenced = alert.silencedUntil > nowMs;

        auto* name = item(alert.ruleName, key);
        name->setIcon(severityIcon(alert.severity, isFiring));
        name->setToolTip(tr("%1 · %2").arg(severityLabel(alert.severity), stateName(alert.state)));
        m_active->setItem(row, ActiveName, name);
        m_active->setItem(row, ActiveState, item(stateName(alert.state), key));
        m_active->setItem(row, ActiveCluster, item(alert.series.cluster, key));
        m_active->setItem(row, ActiveSubject, item(subjectText(alert.series.subject), key));
        auto* value = item(valueText(alert), key);
        value->setToolTip(alert.series.metric);
        m_active->setItem(row, ActiveValue, value);
        const qint64 since = startOf(alert);
        auto* sinceItem = item(relativeText(since, nowMs), key);
        sinceItem->setToolTip(isFiring ? tr("Firing since %1 (pending since %2)")
                                             .arg(exactText(alert.firingSince), exactText(alert.pendingSince))
                                       : tr("Pending since %1").arg(exactText(alert.pendingSince)));
        m_active->setItem(row, ActiveSince, sinceItem);
        QStringList handling;
        if (alert.acknowledged) handling << tr("Acknowledged");
        if (silenced) handling << tr("Silenced until %1").arg(shortTime(alert.silencedUntil, nowMs));
        auto* handled = item(handling.join(QStringLiteral(" · ")), key);
        if (silenced) handled->setToolTip(tr("No notifications until %1").arg(exactText(alert.silencedUntil)));
        m_active->setItem(row, ActiveHandled, handled);
        // Handled alerts recede (italic) without a hard-coded colour, so both looks stay readable.
        if (alert.acknowledged || silenced) {
            for (int column = 0; column < ActiveColumnCount; ++column) {
                QTableWidgetItem* cell = m_active->item(row, column);
                QFont font = cell->font();
                font.setItalic(true);
                cell->setFont(font);
            }
        }
    }
}

void AlertDashboardPanel::fillHistory() {
    const qint64 nowMs = now();
    m_historyRows.clear();
    if (m_engine)
        for (const auto& alert : m_engine->history())
            if (passesFilter(alert)) m_historyRows.push_back(alert);

    m_history->setRowCount(int(m_historyRows.size()));
    for (size_t i = 0; i < m_historyRows.size(); ++i) {
        const auto& alert = m_historyRows[i];
        const int row = int(i);
        const QString key = alert.key();
        const qint64 started = startOf(alert);
        auto* name = item(alert.ruleName, key);
        name->setIcon(severityIcon(alert.severity, true));
        name->setToolTip(severityLabel(alert.severity));
        m_history->setItem(row, HistoryName, name);
        m_history->setItem(row, HistoryCluster, item(alert.series.cluster, key));
        m_history->setItem(row, HistorySubject, item(subjectText(alert.series.subject), key));
        m_history->setItem(row, HistoryValue, item(valueText(alert), key));
        auto* startedItem = item(shortTime(started, nowMs), key);
        startedItem->setToolTip(exactText(started));
        m_history->setItem(row, HistoryStarted, startedItem);
        auto* resolved = item(relativeText(alert.resolvedAt, nowMs), key);
        resolved->setToolTip(exactText(alert.resolvedAt));
        m_history->setItem(row, HistoryResolved, resolved);
        m_history->setItem(row, HistoryDuration, item(durationText(alert.resolvedAt - started), key));
    }
}

QString AlertDashboardPanel::selectedKey() const {
    const auto rows = m_active->selectionModel()->selectedRows();
    if (rows.isEmpty()) return {};
    const int row = rows.first().row();
    if (row < 0 || row >= int(m_activeRows.size())) return {};
    return m_activeRows[size_t(row)].key();
}

bool AlertDashboardPanel::selectKey(const QString& key) {
    for (size_t row = 0; row < m_activeRows.size(); ++row) {
        if (m_activeRows[row].key() == key) {
            m_active->selectRow(int(row));
            return true;
        }
    }
    return false;
}

const models::AlertInstance* AlertDashboardPanel::selectedAlert() const {
    if (const auto rows = m_active->selectionModel()->selectedRows(); !rows.isEmpty()) {
        const int row = rows.first().row();
        if (row >= 0 && row < int(m_activeRows.size())) return &m_activeRows[size_t(row)];
    }
    if (const auto rows = m_history->selectionModel()->selectedRows(); !rows.isEmpty()) {
        const int row = rows.first().row();
        if (row >= 0 && row < int(m_historyRows.size())) return &m_historyRows[size_t(row)];
    }
    return nullptr;
}

void AlertDashboardPanel::updateActions() {
    const QString key = selectedKey();
    const models::AlertInstance* alert = selectedAlert();
    const bool active = !key.isEmpty();
    m_acknowledge->setEnabled(active && alert && !alert->acknowledged);
    m_silence->setEnabled(active);
    m_unsilence->setEnabled(active && alert && alert->silencedUntil > now());
    m_showChart->setEnabled(alert != nullptr);
    m_openSubject->setEnabled(alert != nullptr);
}

void AlertDashboardPanel::acknowledgeSelected() {
    const QString key = selectedKey();
    if (key.isEmpty() || !m_engine) return;
    m_engine->acknowledge(key);  // alertsChanged refreshes the tables
}

void AlertDashboardPanel::silenceSelected(qint64 durationMs) {
    const QString key = selectedKey();
    if (key.isEmpty() || !m_engine) return;
    m_engine->silence(key, now() + durationMs);  // alertsChanged refreshes the tables
}

void AlertDashboardPanel::unsilenceSelected() {
    const QString key = selectedKey();
    if (key.isEmpty() || !m_engine) return;
    m_engine->silence(key, 0);  // alertsChanged refreshes the tables
}

void AlertDashboardPanel::showChartOfSelected() {
    if (const models::AlertInstance* alert = selectedAlert()) emit showChartRequested(alert->series);
}

void AlertDashboardPanel::openSubjectOfSelected() {
    if (const models::AlertInstance* alert = selectedAlert())
        emit openSubjectRequested(alert->series.cluster, alert->series.subject);
}

void AlertDashboardPanel::editRules() {
    if (!m_engine) return;
    AlertRuleDialog dialog(m_engine->rules(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    const std::vector<models::AlertRule> rules = dialog.rules();
    m_engine->setRules(rules);
    emit rulesEdited(rules);
    refresh();
}

void AlertDashboardPanel::editNotifications() {
    if (!m_notifier) return;
    NotificationSettingsDialog dialog(m_notifier, m_engine ? m_engine->rules() : std::vector<models::AlertRule>{},
                                      this);
    dialog.setWebhooks(m_notificationSettings.webhooks);
    dialog.setDesktopEnabled(m_notificationSettings.desktop);
    dialog.setSoundForCritical(m_notificationSettings.soundForCritical);
    if (dialog.exec() != QDialog::Accepted) return;
    m_notificationSettings.webhooks = dialog.webhooks();
    m_notificationSettings.desktop = dialog.desktopEnabled();
    m_notificationSettings.soundForCritical = dialog.soundForCritical();
    m_notifier->setWebhooks(m_notificationSettings.webhooks);
    m_notifier->setSoundForCritical(m_notificationSettings.soundForCritical);
    emit notificationSettingsEdited(m_notificationSettings);
}

}  // namespace partita::ui
