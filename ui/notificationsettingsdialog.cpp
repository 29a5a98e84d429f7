// NotificationSettingsDialog: webhook list, desktop / sound switches, test sends and the log.
#include "ui/notificationsettingsdialog.h"

#include "ui/readonlytable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace partita::ui {

namespace {

const char* const kTestRuleId = "partita-test";

QComboBox* formatCombo(bool slack, QWidget* parent) {
    auto* combo = new QComboBox(parent);
    combo->addItem(NotificationSettingsDialog::tr("Generic JSON"), false);
    combo->addItem(NotificationSettingsDialog::tr("Slack"), true);
    combo->setCurrentIndex(slack ? 1 : 0);
    return combo;
}

QComboBox* severityCombo(models::Severity minimum, QWidget* parent) {
    auto* combo = new QComboBox(parent);
    combo->addItem(NotificationSettingsDialog::tr("Info and above"), int(models::Severity::Info));
    combo->addItem(NotificationSettingsDialog::tr("Warning and above"), int(models::Severity::Warning));
    combo->addItem(NotificationSettingsDialog::tr("Critical only"), int(models::Severity::Critical));
    combo->setCurrentIndex(combo->findData(int(minimum)));
    return combo;
}

bool validUrl(const QString& text) {
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) &&
           !url.host().isEmpty();
}

}  // namespace

NotificationSettingsDialog::NotificationSettingsDialog(models::AlertNotifier* notifier,
                                                       std::vector<models::AlertRule> rules, QWidget* parent)
    : QDialog(parent), m_notifier(notifier), m_rules(std::move(rules)) {
    setWindowTitle(tr("Alert notifications"));
    auto* layout = new QVBoxLayout(this);

    auto* desktopBox = new QGroupBox(tr("Desktop"), this);
    auto* desktopLayout = new QVBoxLayout(desktopBox);
    m_desktop = new QCheckBox(tr("Show a desktop notification when an alert fires or resolves"), desktopBox);
    m_sound = new QCheckBox(tr("Play a sound when a critical alert fires"), desktopBox);
    desktopLayout->addWidget(m_desktop);
    desktopLayout->addWidget(m_sound);
    layout->addWidget(desktopBox);

    auto* webhookBox = new QGroupBox(tr("Webhooks"), this);
    auto* webhookLayout = new QVBoxLayout(webhookBox);
    m_webhooks = new QTableWidget(0, WebhookColumnCount, webhookBox);
    m_webhooks->setHorizontalHeaderLabels({tr("On"), tr("URL"), tr("Format"), tr("Send")});
    m_webhooks->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_webhooks->setSelectionMode(QAbstractItemView::SingleSelection);
    m_webhooks->verticalHeader()->hide();
    m_webhooks->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_webhooks->horizontalHeader()->setSectionResizeMode(WebhookUrl, QHeaderView::Stretch);
    m_webhooks->setMinimumHeight(120);
    webhookLayout->addWidget(m_webhooks);
    auto* webhookButtons = new QHBoxLayout;
    m_addWebhook = new QPushButton(tr("Add"), webhookBox);
    m_removeWebhook = new QPushButton(tr("Remove"), webhookBox);
    m_sendTest = new QPushButton(tr("Send test"), webhookBox);
    m_sendTest->setToolTip(tr("Posts a made-up firing alert to the selected webhook"));
    m_testResult = new QLabel(webhookBox);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    webhookButtons->addWidget(m_addWebhook);
    webhookButtons->addWidget(m_removeWebhook);
    webhookButtons->addWidget(m_sendTest);
    webhookButtons->addWidget(m_testResult, 1);
    webhookLayout->addLayout(webhookButtons);
    layout->addWidget(webhookBox, 1);

    auto* logBox = new QGroupBox(tr("Log (newest first)"), this);
    auto* logLayout = new QVBoxLayout(logBox);
    m_log = new QTableWidget(0, LogColumnCount, logBox);
    m_log->setHorizontalHeaderLabels(
        {tr("Time"), tr("Channel"), tr("Alert"), tr("Transition"), tr("Result"), tr("Attempt"), tr("Detail")});
    setUpReadOnlyTable(m_log, 60);
    m_log->horizontalHeader()->setStretchLastSection(true);
    m_log->setWordWrap(false);
    logLayout->addWidget(m_log);
    layout->addWidget(logBox, 2);

    m_error = new QLabel(this);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, palette().color(QPalette::BrightText));
    m_error->setPalette(errorPalette);
    m_error->hide();
    layout->addWidget(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_addWebhook, &QPushButton::clicked, this, &NotificationSettingsDialog::addWebhook);
    connect(m_removeWebhook, &QPushButton::clicked, this, &NotificationSettingsDialog::removeSelectedWebhook);
    connect(m_sendTest, &QPushButton::clicked, this, &NotificationSettingsDialog::sendTest);
    connect(m_webhooks, &QTableWidget::itemChanged, this, [this] { updateValidation(); });
    connect(m_webhooks->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { updateValidation(); });

    if (m_notifier) {
        for (const auto& entry : m_notifier->log()) appendLog(entry);
        connect(m_notifier, &models::AlertNotifier::logged, this, &NotificationSettingsDialog::appendLog);
        setWebhooks(m_notifier->webhooks());
    }
    m_desktop->setChecked(true);
    updateValidation();
    resize(900, 680);
}

NotificationSettingsDialog::~NotificationSettingsDialog() = default;

QPushButton* NotificationSettingsDialog::okButton() const {
    return m_buttons->button(QDialogButtonBox::Ok);
}

void NotificationSettingsDialog::setWebhooks(const std::vector<models::AlertNotifier::Webhook>& webhooks) {
    m_webhooks->setRowCount(0);
    for (const auto& webhook : webhooks) addWebhookRow(webhook);
    if (m_webhooks->rowCount() > 0) m_webhooks->selectRow(0);
    updateValidation();
}

std::vector<models::AlertNotifier::Webhook> NotificationSettingsDialog::webhooks() const {
    std::vector<models::AlertNotifier::Webhook> result;
    for (int row = 0; row < m_webhooks->rowCount(); ++row) {
        models::AlertNotifier::Webhook webhook;
        webhook.url =
            m_webhooks->item(row, WebhookUrl) ? m_webhooks->item(row, WebhookUrl)->text().trimmed() : QString();
        if (webhook.url.isEmpty()) continue;
        webhook.enabled = m_webhooks->item(row, WebhookEnabled)->checkState() == Qt::Checked;
        webhook.slack = static_cast<QComboBox*>(m_webhooks->cellWidget(row, WebhookFormat))->currentData().toBool();
        webhook.minSeverity = models::Severity(
            static_cast<QComboBox*>(m_webhooks->cellWidget(row, WebhookMinSeverity))->currentData().toInt());
        result.push_back(webhook);
    }
    return result;
}

void NotificationSettingsDialog::setDesktopEnabled(bool on) {
    m_desktop->setChecked(on);
}
bool NotificationSettingsDialog::desktopEnabled() const {
    return m_desktop->isChecked();
}
void NotificationSettingsDialog::setSoundForCritical(bool on) {
    m_sound->setChecked(on);
}
bool NotificationSettingsDialog::soundForCritical() const {
    return m_sound->isChecked();
}

void NotificationSettingsDialog::addWebhookRow(const models::AlertNotifier::Webhook& webhook) {
    const int row = m_webhooks->rowCount();
    const QSignalBlocker block(m_webhooks);
    m_webhooks->insertRow(row);
    auto* enabled = new QTableWidgetItem;
    enabled->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    enabled->setCheckState(webhook.enabled ? Qt::Checked : Qt::Unchecked);
    m_webhooks->setItem(row, WebhookEnabled, enabled);
    m_webhooks->setItem(row, WebhookUrl, new QTableWidgetItem(webhook.url));
    m_webhooks->setCellWidget(row, WebhookFormat, formatCombo(webhook.slack, m_webhooks));
    m_webhooks->setCellWidget(row, WebhookMinSeverity, severityCombo(webhook.minSeverity, m_webhooks));
}

void NotificationSettingsDialog::addWebhook() {
    addWebhookRow({});
    const int row = m_webhooks->rowCount() - 1;
    m_webhooks->selectRow(row);
    m_webhooks->editItem(m_webhooks->item(row, WebhookUrl));
    updateValidation();
}

void NotificationSettingsDialog::removeSelectedWebhook() {
    const auto rows = m_webhooks->selectionModel()->selectedRows();
    if (rows.isEmpty()) return;
    m_webhooks->removeRow(rows.first().row());
    updateValidation();
}

void NotificationSettingsDialog::updateValidation() {
    QString error;
    for (int row = 0; row < m_webhooks->rowCount() && error.isEmpty(); ++row) {
        const QTableWidgetItem* url = m_webhooks->item(row, WebhookUrl);
        const QString text = url ? url->text().trimmed() : QString();
        if (!text.isEmpty() && !validUrl(text))
            error = tr("Webhook %1: \"%2\" is not an http:// or https:// URL.").arg(row + 1).arg(text);
    }
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    okButton()->setEnabled(error.isEmpty());
    const auto rows = m_webhooks->selectionModel()->selectedRows();
    bool testable = false;
    if (!rows.isEmpty())
        if (const QTableWidgetItem* url = m_webhooks->item(rows.first().row(), WebhookUrl))
            testable = validUrl(url->text());
    m_removeWebhook->setEnabled(!rows.isEmpty());
    m_sendTest->setEnabled(testable);
}

void NotificationSettingsDialog::sendTest() {
    const auto rows = m_webhooks->selectionModel()->selectedRows();
    if (rows.isEmpty()) return;
    const int row = rows.first().row();
    const std::vector<models::AlertNotifier::Webhook> all = webhooks();
    const QString url = m_webhooks->item(row, WebhookUrl)->text().trimmed();
    models::AlertNotifier::Webhook webhook;
    for (const auto& candidate : all)
        if (candidate.url == url) webhook = candidate;
    if (!validUrl(webhook.url)) return;
    // The test must reach this webhook whatever its switch and threshold, and only it: a throwaway
    // notifier keeps the real one's dedup memory and log of real alerts clean.
    webhook.enabled = true;
    webhook.minSeverity = models::Severity::Info;
    auto* tester = new models::AlertNotifier(this);
    tester->setRetry(1, 0);
    tester->setWebhooks({webhook});
    connect(tester, &models::AlertNotifier::logged, this, [this, tester](const models::AlertNotifier::LogEntry& entry) {
        appendLog(entry);
        m_testResult->setText(entry.ok ? tr("Test sent: %1").arg(entry.detail)
                                       : tr("Test failed: %1").arg(entry.detail));
        tester->deleteLater();
    });
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    models::AlertTransition transition;
    transition.alert.ruleId = QLatin1String(kTestRuleId);
    transition.alert.ruleName = tr("Test notification from Partita");
    transition.alert.severity = models::Severity::Warning;
    transition.alert.series = {QStringLiteral("test"), QStringLiteral("brokers_up"), QString()};
    transition.alert.state = models::AlertInstance::State::Firing;
    transition.alert.value = 1;
    transition.alert.threshold = 0;
    transition.alert.pendingSince = now;
    transition.alert.firingSince = now;
    transition.from = models::AlertInstance::State::Pending;
    transition.to = models::AlertInstance::State::Firing;
    transition.ms = now;
    m_testResult->setText(tr("Sending…"));
    tester->notify(transition);
}

QString NotificationSettingsDialog::describeKey(const QString& key) const {
    const QStringList parts = key.split(QLatin1Char('\x1f'));
    if (parts.size() != 3) return key;
    const QString& head = parts[0];  // rule id and cluster id, unseparated
    if (head.startsWith(QLatin1String(kTestRuleId))) return tr("Test notification");
    // The longest rule id that prefixes the head splits it (ids may prefix one another).
    const models::AlertRule* match = nullptr;
    for (const auto& rule : m_rules)
        if (!rule.id.isEmpty() && head.startsWith(rule.id) && (!match || rule.id.size() > match->id.size()))
            match = &rule;
    QStringList shown;
    if (match)
        shown << match->name << head.mid(match->id.size());
    else
        shown << parts[1];
    if (!parts[2].isEmpty()) shown << parts[2];
    return shown.join(QStringLiteral(" · "));
}

void NotificationSettingsDialog::appendLog(const models::AlertNotifier::LogEntry& entry) {
    // Newest first: the latest outcome is what the user came to see.
    m_log->insertRow(0);
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(entry.ms);
    auto* time = new QTableWidgetItem(QLocale().toString(when, QLocale::ShortFormat));
    time->setToolTip(QLocale().toString(when, QLocale::LongFormat));
    m_log->setItem(0, LogTime, time);
    m_log->setItem(0, LogChannel, new QTableWidgetItem(entry.channel));
    auto* alert = new QTableWidgetItem(describeKey(entry.alertKey));
    alert->setToolTip(QString(entry.alertKey).replace(QLatin1Char('\x1f'), QLatin1Char(' ')));
    m_log->setItem(0, LogAlert, alert);
    m_log->setItem(0, LogTransition, new QTableWidgetItem(entry.transition));
    auto* result = new QTableWidgetItem(entry.ok ? tr("OK") : tr("Failed"));
    result->setIcon(style()->standardIcon(entry.ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning));
    m_log->setItem(0, LogResult, result);
    m_log->setItem(0, LogAttempt, new QTableWidgetItem(QString::number(entry.attempt)));
    m_log->setItem(0, LogDetail, new QTableWidgetItem(entry.detail));
}

}  // namespace partita::ui
