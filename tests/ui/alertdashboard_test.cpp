// Tests of the alert dashboard, the rule dialog, the notification settings dialog and the tray
// helper: an AlertEngine driven by synthetic frames at fixed times (no broker), and screenshots
// of the dashboard in the light and dark looks.
#include "models/alertengine.h"
#include "models/alertnotifier.h"
#include "models/alertrule.h"
#include "models/metricnames.h"
#include "models/metricseries.h"
#include "ui/alertdashboardpanel.h"
#include "ui/alertruledialog.h"
#include "ui/alerttray.h"
#include "ui/notificationsettingsdialog.h"
#include "ui/theme.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace partita;
using models::AlertEngine;
using models::AlertInstance;
using models::AlertRule;
using models::MetricFrame;
using models::SeriesKey;
using models::Severity;
using ui::AlertDashboardPanel;

namespace {

// 2026-11-25 12:00:00 UTC: fixed, so durations and "ago" texts are deterministic.
constexpr qint64 kT0 = 1795694400000;
constexpr qint64 kMinute = 60'000;
const QString kCluster = QStringLiteral("local");

AlertRule rule(const QString& id, const QString& name, const char* metric, const QString& scope, AlertRule::Op op,
               double threshold, qint64 forMs, Severity severity) {
    AlertRule r;
    r.id = id;
    r.name = name;
    r.metric = QString::fromUtf8(metric);
    r.scopeKind = scope;
    r.op = op;
    r.threshold = threshold;
    r.forMs = forMs;
    r.severity = severity;
    return r;
}

std::vector<AlertRule> testRules() {
    using Op = AlertRule::Op;
    return {
        rule("broker-down", "Broker down", models::metrics::brokerUp, "broker", Op::Lt, 1, 0, Severity::Critical),
        rule("urp", "Under-replicated partitions", models::metrics::underReplicatedPartitions, "cluster", Op::Gt, 0, 0,
             Severity::Warning),
        rule("lag", "Consumer lag", models::metrics::groupLag, "group", Op::Gt, 1000, 5 * kMinute, Severity::Warning),
        rule("offline", "Offline partitions", models::metrics::offlinePartitions, "cluster", Op::Gt, 0, 0,
             Severity::Critical)};
}

struct Values {
    double broker2Up = 1;
    double urp = 0;
    double lag = 10;
    double offline = 0;
};

MetricFrame frame(qint64 ms, const Values& v) {
    MetricFrame f;
    f.cluster = kCluster;
    f.ms = ms;
    f.values = {{{kCluster, models::metrics::brokerUp, "broker:1"}, 1},
                {{kCluster, models::metrics::brokerUp, "broker:2"}, v.broker2Up},
                {{kCluster, models::metrics::underReplicatedPartitions, ""}, v.urp},
                {{kCluster, models::metrics::groupLag, "group:billing"}, v.lag},
                {{kCluster, models::metrics::offlinePartitions, ""}, v.offline}};
    return f;
}

// Offline partitions fire at T0 and resolve at T0+2 min (history); at T0+3 min broker 2 goes down
// (critical), URP > 0 (warning) and the lag crosses its threshold (pending for 5 min).
void driveScenario(AlertEngine& engine) {
    engine.setRules(testRules());
    engine.evaluate(frame(kT0, {.offline = 2}));
    engine.evaluate(frame(kT0 + kMinute, {.offline = 2}));
    engine.evaluate(frame(kT0 + 2 * kMinute, {}));
    engine.evaluate(frame(kT0 + 3 * kMinute, {.broker2Up = 0, .urp = 3, .lag = 5000}));
}

int rowOf(QTableWidget* table, const QString& text, int column = 0) {
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, column) && table->item(row, column)->text() == text) return row;
    return -1;
}

}  // namespace

class AlertDashboardTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(ui::lightPalette());
    }

    void listsFiringAndPendingWithCounts() {
        AlertEngine engine;
        driveScenario(engine);
        AlertDashboardPanel panel(&engine);
        panel.setClock([] { return kT0 + 5 * kMinute; });
        QCOMPARE(panel.countsLabel()->text(), QStringLiteral("2 firing · 1 pending"));
        QTableWidget* active = panel.activeTable();
        QCOMPARE(active->rowCount(), 3);
        // Firing first (critical before warning), then pending.
        QCOMPARE(active->item(0, AlertDashboardPanel::ActiveName)->text(), QStringLiteral("Broker down"));
        QCOMPARE(active->item(0, AlertDashboardPanel::ActiveState)->text(), QStringLiteral("Firing"));
        QCOMPARE(active->item(0, AlertDashboardPanel::ActiveSubject)->text(), QStringLiteral("broker:2"));
        QCOMPARE(active->item(1, AlertDashboardPanel::ActiveName)->text(),
                 QStringLiteral("Under-replicated partitions"));
        QCOMPARE(active->item(2, AlertDashboardPanel::ActiveName)->text(), QStringLiteral("Consumer lag"));
        QCOMPARE(active->item(2, AlertDashboardPanel::ActiveState)->text(), QStringLiteral("Pending"));
        QCOMPARE(active->item(2, AlertDashboardPanel::ActiveSince)->text(), QStringLiteral("2 min ago"));
        QVERIFY(active->item(2, AlertDashboardPanel::ActiveValue)->text().contains(QStringLiteral("5000")));
        QVERIFY(active->item(2, AlertDashboardPanel::ActiveValue)->text().contains(QStringLiteral("> 1000")));
        QVERIFY(!active->item(0, AlertDashboardPanel::ActiveName)->icon().isNull());

        // History: the offline alert, 2 minutes long.
        QTableWidget* history = panel.historyTable();
        QCOMPARE(history->rowCount(), 1);
        QCOMPARE(history->item(0, AlertDashboardPanel::HistoryName)->text(), QStringLiteral("Offline partitions"));
        QCOMPARE(history->item(0, AlertDashboardPanel::HistoryDuration)->text(), QStringLiteral("2 min"));

        // Filters: severity and text.
        panel.severityFilter()->setCurrentIndex(panel.severityFilter()->findData(int(Severity::Critical)));
        QCOMPARE(active->rowCount(), 1);
        QCOMPARE(history->rowCount(), 1);
        panel.severityFilter()->setCurrentIndex(0);
        panel.textFilter()->setText(QStringLiteral("billing"));
        QCOMPARE(active->rowCount(), 1);
        QCOMPARE(active->item(0, AlertDashboardPanel::ActiveName)->text(), QStringLiteral("Consumer lag"));
        QCOMPARE(history->rowCount(), 0);
        // The counts stay those of all alerts.
        QCOMPARE(panel.countsLabel()->text(), QStringLiteral("2 firing · 1 pending"));
    }

    void acknowledgeAndSilence() {
        AlertEngine engine;
        driveScenario(engine);
        AlertDashboardPanel panel(&engine);
        const qint64 now = kT0 + 5 * kMinute;
        panel.setClock([now] { return now; });
        QTableWidget* active = panel.activeTable();
        const int row = rowOf(active, QStringLiteral("Under-replicated partitions"));
        QVERIFY(row >= 0);
        active->selectRow(row);
        const QString key = panel.selectedKey();
        QVERIFY(!key.isEmpty());
        QVERIFY(panel.acknowledgeButton()->isEnabled());
        QVERIFY(!panel.unsilenceButton()->isEnabled());

        panel.acknowledgeButton()->click();
        QVERIFY(engine.find(key)->acknowledged);
        QCOMPARE(panel.selectedKey(), key);
        const int ackRow = rowOf(active, QStringLiteral("Under-replicated partitions"));
        QVERIFY(
            active->item(ackRow, AlertDashboardPanel::ActiveHandled)->text().contains(QStringLiteral("Acknowledged")));
        QVERIFY(active->item(ackRow, AlertDashboardPanel::ActiveName)->font().italic());
        QVERIFY(!panel.acknowledgeButton()->isEnabled());

        // Silence for 1 hour (the menu's second entry).
        const QList<QAction*> actions = panel.silenceButton()->menu()->actions();
        QCOMPARE(actions.size(), 4);
        actions.at(1)->trigger();
        QCOMPARE(engine.find(key)->silencedUntil, now + 60 * kMinute);
        QVERIFY(
            active
                ->item(rowOf(active, QStringLiteral("Under-replicated partitions")), AlertDashboardPanel::ActiveHandled)
                ->text()
                .contains(QStringLiteral("Silenced until")));
        QVERIFY(panel.unsilenceButton()->isEnabled());
        panel.unsilenceButton()->click();
        QVERIFY(engine.find(key)->silencedUntil <= now);
        QVERIFY(!active
                     ->item(rowOf(active, QStringLiteral("Under-replicated partitions")),
                            AlertDashboardPanel::ActiveHandled)
                     ->text()
                     .contains(QStringLiteral("Silenced")));
    }

    void resolvedMovesToHistoryAndSelectionSurvives() {
        AlertEngine engine;
        driveScenario(engine);
        AlertDashboardPanel panel(&engine);
        panel.setClock([] { return kT0 + 6 * kMinute; });
        QTableWidget* active = panel.activeTable();
        // Select the pending lag alert (last row).
        active->selectRow(rowOf(active, QStringLiteral("Consumer lag")));
        const QString lagKey = panel.selectedKey();
        QVERIFY(lagKey.contains(QStringLiteral("group:billing")));

        // URP clears (resolves) and offline partitions fire again: rows move, the selection stays.
        engine.evaluate(frame(kT0 + 4 * kMinute, {.broker2Up = 0, .urp = 0, .lag = 6000, .offline = 1}));
        QCOMPARE(panel.selectedKey(), lagKey);
        QCOMPARE(active->item(active->currentRow(), AlertDashboardPanel::ActiveName)->text(),
                 QStringLiteral("Consumer lag"));
        QVERIFY(active->item(active->currentRow(), AlertDashboardPanel::ActiveValue)->text().contains("6000"));
        QCOMPARE(rowOf(active, QStringLiteral("Under-replicated partitions")), -1);
        QTableWidget* history = panel.historyTable();
        QCOMPARE(history->rowCount(), 2);
        // Newest first.
        QCOMPARE(history->item(0, AlertDashboardPanel::HistoryName)->text(),
                 QStringLiteral("Under-replicated partitions"));
        QCOMPARE(history->item(0, AlertDashboardPanel::HistoryDuration)->text(), QStringLiteral("1 min"));
        QCOMPARE(panel.countsLabel()->text(), QStringLiteral("2 firing · 1 pending"));
    }

    void showChartAndGoToSubject() {
        AlertEngine engine;
        driveScenario(engine);
        AlertDashboardPanel panel(&engine);
        panel.setClock([] { return kT0 + 5 * kMinute; });
        std::vector<SeriesKey> charts;
        std::vector<std::pair<QString, QString>> subjects;
        connect(&panel, &AlertDashboardPanel::showChartRequested, this,
                [&](const SeriesKey& key) { charts.push_back(key); });
        connect(&panel, &AlertDashboardPanel::openSubjectRequested, this,
                [&](const QString& cluster, const QString& subject) { subjects.emplace_back(cluster, subject); });
        QVERIFY(!panel.showChartButton()->isEnabled());
        panel.activeTable()->selectRow(rowOf(panel.activeTable(), QStringLiteral("Broker down")));
        panel.showChartButton()->click();
        QCOMPARE(charts.size(), size_t(1));
        QCOMPARE(charts[0], (SeriesKey{kCluster, QString::fromUtf8(models::metrics::brokerUp), "broker:2"}));
        panel.openSubjectButton()->click();
        QCOMPARE(subjects.size(), size_t(1));
        QCOMPARE(subjects[0].first, kCluster);
        QCOMPARE(subjects[0].second, QStringLiteral("broker:2"));

        // A history row charts too; acknowledging does not apply to it.
        panel.historyTable()->selectRow(0);
        QVERIFY(panel.selectedKey().isEmpty());
        QVERIFY(!panel.acknowledgeButton()->isEnabled());
        panel.showChartButton()->click();
        QCOMPARE(charts.size(), size_t(2));
        QCOMPARE(charts[1].metric, QString::fromUtf8(models::metrics::offlinePartitions));
    }

    void ruleDialogValidates() {
        ui::AlertRuleDialog dialog(testRules());
        QCOMPARE(dialog.table()->rowCount(), 4);
        QCOMPARE(dialog.table()->item(2, ui::AlertRuleDialog::ColumnCondition)->text(),
                 QStringLiteral("> 1000 for 5 min"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.errorLabel()->text().isEmpty());
        dialog.selectRow(2);
        QCOMPARE(dialog.nameEdit()->text(), QStringLiteral("Consumer lag"));
        QCOMPARE(dialog.scopeLabel()->text(), QStringLiteral("group"));
        QCOMPARE(dialog.durationSpin()->value(), 5);

        dialog.thresholdEdit()->setText(QStringLiteral("lots"));
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.errorLabel()->text().contains(QStringLiteral("number")));
        dialog.thresholdEdit()->setText(QStringLiteral("2e6"));
        QVERIFY(dialog.okButton()->isEnabled());
        QCOMPARE(dialog.rules()[2].threshold, 2e6);

        // The scope follows the metric.
        dialog.metricCombo()->setCurrentIndex(
            dialog.metricCombo()->findData(QString::fromUtf8(models::metrics::topicMessagesInPerSec)));
        QCOMPARE(dialog.rules()[2].scopeKind, QStringLiteral("topic"));
        QCOMPARE(dialog.scopeLabel()->text(), QStringLiteral("topic"));
        QVERIFY(dialog.okButton()->isEnabled());
        dialog.nameEdit()->clear();
        QVERIFY(!dialog.okButton()->isEnabled());
        dialog.nameEdit()->setText(QStringLiteral("Topic traffic"));
        QVERIFY(dialog.okButton()->isEnabled());

        // A rule naming a metric this version does not know: shown, and OK blocked until fixed.
        std::vector<AlertRule> bad = testRules();
        bad[1].metric = QStringLiteral("no_such_metric");
        ui::AlertRuleDialog badDialog(bad);
        QVERIFY(!badDialog.okButton()->isEnabled());
        QVERIFY(badDialog.errorLabel()->text().startsWith(QStringLiteral("Under-replicated partitions: ")));
        badDialog.selectRow(1);
        QVERIFY(badDialog.metricCombo()->currentText().contains(QStringLiteral("no_such_metric")));
        badDialog.metricCombo()->setCurrentIndex(
            badDialog.metricCombo()->findData(QString::fromUtf8(models::metrics::underReplicatedPartitions)));
        QVERIFY(badDialog.okButton()->isEnabled());
    }

    void ruleDialogEditsTheList() {
        ui::AlertRuleDialog dialog(testRules());
        dialog.selectRow(0);
        dialog.duplicateButton()->click();
        QCOMPARE(dialog.rules().size(), size_t(5));
        QCOMPARE(dialog.rules()[1].name, QStringLiteral("Broker down (copy)"));
        QVERIFY(dialog.rules()[1].id != dialog.rules()[0].id);
        dialog.deleteButton()->click();
        QCOMPARE(dialog.rules().size(), size_t(4));
        dialog.addButton()->click();
        QCOMPARE(dialog.rules().size(), size_t(5));
        QCOMPARE(dialog.currentRow(), 4);
        QVERIFY(dialog.okButton()->isEnabled());
        // Unchecking the switch disables the rule.
        dialog.table()->item(0, ui::AlertRuleDialog::ColumnEnabled)->setCheckState(Qt::Unchecked);
        QVERIFY(!dialog.rules()[0].enabled);

        dialog.restoreDefaults(false);
        QCOMPARE(dialog.rules(), AlertRule::defaults());
        QCOMPARE(dialog.table()->rowCount(), int(AlertRule::defaults().size()));
        QVERIFY(dialog.okButton()->isEnabled());
    }

    void ruleDialogImportExport() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("rules.json"));
        std::vector<AlertRule> rules = testRules();
        rules[3].enabled = false;
        rules[3].description = QStringLiteral("Partitions without a leader");
        ui::AlertRuleDialog exporter(rules);
        QCOMPARE(exporter.exportTo(path, true), QString());

        ui::AlertRuleDialog importer(AlertRule::defaults());
        QCOMPARE(importer.importFrom(path, true), QString());
        QCOMPARE(importer.rules(), rules);
        QCOMPARE(importer.table()->rowCount(), 4);

        // A broken file: an error (in a message box), the rules unchanged.
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not json");
        file.close();
        QString boxText;
        QTimer::singleShot(0, this, [&boxText] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                boxText = box->text();
                box->accept();
            }
        });
        const QString error = importer.importFrom(broken);
        QVERIFY(!error.isEmpty());
        QVERIFY2(boxText.contains(QStringLiteral("broken.json")), qPrintable(boxText));
        QCOMPARE(importer.rules(), rules);
        QVERIFY(!importer.importFrom(dir.filePath(QStringLiteral("missing.json")), true).isEmpty());
    }

    void notificationDialogListsLog() {
        models::AlertNotifier notifier;
        notifier.setRetry(1, 0);
        // Nothing listens on port 1: the attempt fails fast and is logged.
        notifier.setWebhooks({{QStringLiteral("http://127.0.0.1:1/hook"), false, Severity::Info, true}});
        ui::AlertTray tray;
        notifier.setDesktop(tray.desktopCallback());
        AlertEngine engine;
        engine.setRules(testRules());
        connect(&engine, &AlertEngine::transitioned, &notifier, &models::AlertNotifier::notify);
        engine.evaluate(frame(kT0, {.broker2Up = 0}));
        QTRY_VERIFY_WITH_TIMEOUT(notifier.log().size() >= 2, 15000);
        QCOMPARE(tray.shownCount(), 1);
        QCOMPARE(tray.lastTitle(), QStringLiteral("Critical: Broker down"));

        ui::NotificationSettingsDialog dialog(&notifier, testRules());
        QCOMPARE(dialog.logTable()->rowCount(), int(notifier.log().size()));
        bool webhookRow = false;
        for (int row = 0; row < dialog.logTable()->rowCount(); ++row) {
            if (dialog.logTable()->item(row, ui::NotificationSettingsDialog::LogChannel)->text() ==
                QStringLiteral("webhook http://127.0.0.1:1/hook")) {
                webhookRow = true;
                QCOMPARE(dialog.logTable()->item(row, ui::NotificationSettingsDialog::LogResult)->text(),
                         QStringLiteral("Failed"));
            }
        }
        QVERIFY(webhookRow);
        QCOMPARE(dialog.logTable()->item(0, ui::NotificationSettingsDialog::LogAlert)->text(),
                 QStringLiteral("Broker down · local · broker:2"));
        QCOMPARE(dialog.webhookTable()->rowCount(), 1);
        QCOMPARE(dialog.webhooks().size(), size_t(1));
        QCOMPARE(dialog.webhooks()[0].minSeverity, Severity::Info);

        // A later entry appears at the top while the dialog is open.
        const int before = dialog.logTable()->rowCount();
        engine.evaluate(frame(kT0 + kMinute, {}));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.logTable()->rowCount() > before, 15000);
        QCOMPARE(dialog.logTable()->item(0, ui::NotificationSettingsDialog::LogTransition)->text(),
                 QStringLiteral("resolved"));

        // Editing: a bad URL blocks OK; Send test reports the outcome of one attempt.
        dialog.addWebhook();
        dialog.webhookTable()->item(1, ui::NotificationSettingsDialog::WebhookUrl)->setText(QStringLiteral("nope"));
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.errorLabel()->text().contains(QStringLiteral("nope")));
        dialog.webhookTable()
            ->item(1, ui::NotificationSettingsDialog::WebhookUrl)
            ->setText(QStringLiteral("http://127.0.0.1:1/other"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.sendTestButton()->isEnabled());
        dialog.sendTestButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.testResultLabel()->text().startsWith(QStringLiteral("Test failed")), 15000);
        QCOMPARE(dialog.webhooks().size(), size_t(2));

        dialog.setSoundForCritical(true);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(dialog.grab().save(shots + "/alertnotifications.png"));
    }

    void screenshots() {
        AlertEngine engine;
        driveScenario(engine);
        AlertDashboardPanel panel(&engine);
        panel.setClock([] { return kT0 + 5 * kMinute; });
        panel.resize(1280, 560);
        // Broker down acknowledged, URP silenced: the handling column shows both.
        panel.activeTable()->selectRow(0);
        panel.acknowledgeSelected();
        panel.activeTable()->selectRow(1);
        panel.silenceSelected(60 * kMinute);
        panel.activeTable()->selectRow(2);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(panel.grab().save(shots + "/alertdashboard.png"));

        QApplication::setPalette(ui::darkPalette());
        QApplication::processEvents();
        QVERIFY(panel.grab().save(shots + "/alertdashboard-dark.png"));
        QApplication::setPalette(ui::lightPalette());

        ui::AlertRuleDialog rules(AlertRule::defaults());
        rules.selectRow(1);
        rules.show();
        QVERIFY(QTest::qWaitForWindowExposed(&rules));
        QVERIFY(rules.grab().save(shots + "/alertrules.png"));
    }
};

QTEST_MAIN(AlertDashboardTest)
#include "alertdashboard_test.moc"
