// Tests of the consumer groups panels against a real partitad and a real group: the groups list,
// a group's lag tab and totals, resetting its offsets through the dialog, deleting it, and a
// screenshot of the group tab.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "models/clustersession.h"
#include "models/grouplagmodel.h"
#include "models/offsetresetplan.h"
#include "ui/grouppanel.h"
#include "ui/groupspanel.h"
#include "ui/mainwindow.h"
#include "ui/resetoffsetsdialog.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace partita;
using partita::models::ClusterSession;
using partita::models::GroupLagModel;
using partita::models::OffsetResetPlan;
using partita::tests::PartitadProcess;
using partita::ui::MainWindow;

namespace {

const char* kTopic = "orders";

// The text of a navigator item below the cluster, by its position.
QString navigatorText(const MainWindow& window, int child) {
    return window.navigator()->topLevelItem(0)->child(child)->text(0);
}

// The value of a column in the lag table's row of a partition, as the user reads it.
QString lagCell(const ui::GroupPanel* panel, int partition, int column) {
    const auto* model = panel->view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, GroupLagModel::TopicColumn).data().toString() == kTopic &&
            model->index(row, GroupLagModel::PartitionColumn).data().toInt() == partition)
            return model->index(row, column).data().toString();
    }
    return {};
}

}  // namespace

class GroupsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PartitaTest"));
        QCoreApplication::setApplicationName(QStringLiteral("groups_test"));
    }

    // A group a real consumer (kcat) committed for: every row of the lag tab says what kcat (log end
    // offsets) and `partita-cli groups lag` (committed offsets and lag) say.
    void lagTableMatchesKcatAndCli() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=3"}));
        const QString bootstrap = partitad.bootstrap();
        QByteArray lines;
        for (int i = 0; i < 90; ++i) lines += "k" + QByteArray::number(i) + ":v" + QByteArray::number(i) + "\n";
        auto produced = tests::runKcat({"-b", bootstrap, "-P", "-t", "clicks", "-K", ":"}, lines);
        QCOMPARE(produced.exitCode, 0);
        // kcat's balanced consumer reads 40 of the 90 records and commits what it read.
        auto consumed = tests::runKcat(
            {"-b", bootstrap, "-G", "kcat-readers", "-c", "40", "-e", "-X", "auto.offset.reset=earliest", "clicks"});
        QVERIFY2(consumed.exitCode == 0, qPrintable(consumed.err));

        auto cli = tests::runTool(QStringLiteral(PARTITA_CLI_BINARY),
                                  {"-b", bootstrap, "--json", "groups", "lag", "kcat-readers"});
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        const QJsonObject report = QJsonDocument::fromJson(cli.out.toUtf8()).object();
        const qint64 totalLag = report.value("total_lag").toInteger();
        // Only partitions the group committed for are listed (kcat reads ahead unevenly).
        const QJsonArray partitions = report.value("partitions").toArray();
        QVERIFY(!partitions.isEmpty());
        QVERIFY(totalLag > 0);

        ClusterSession session(tests::clientConfig(bootstrap));
        MainWindow window(&session, QStringLiteral("Test cluster"));
        window.show();
        ui::GroupPanel* panel = window.showGroup(QStringLiteral("kcat-readers"));
        QVERIFY(panel);
        const auto* model = panel->view()->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(partitions.size()), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->summaryLabel()->text().contains(QStringLiteral("Total lag: %1").arg(totalLag)),
                                 30000);
        for (const QJsonValue& value : partitions) {
            const QJsonObject p = value.toObject();
            const int partition = p.value("partition").toInt();
            auto cell = [&](int column) {
                for (int row = 0; row < model->rowCount(); ++row)
                    if (model->index(row, GroupLagModel::PartitionColumn).data().toInt() == partition)
                        return model->index(row, column).data().toString();
                return QString();
            };
            QCOMPARE(cell(GroupLagModel::CommittedColumn), QString::number(p.value("committed").toInteger()));
            QCOMPARE(cell(GroupLagModel::LagColumn), QString::number(p.value("lag").toInteger()));
            QCOMPARE(cell(GroupLagModel::EndOffsetColumn), QString::number(p.value("end").toInteger()));
            // kcat -Q with timestamp -1 answers the log end offset: "clicks [0] offset 30".
            auto end = tests::runKcat({"-b", bootstrap, "-Q", "-t", QStringLiteral("clicks:%1:-1").arg(partition)});
            QCOMPARE(end.exitCode, 0);
            QVERIFY2(end.out.contains(QStringLiteral("offset %1").arg(cell(GroupLagModel::EndOffsetColumn))),
                     qPrintable(end.out + " vs " + cell(GroupLagModel::EndOffsetColumn)));
        }
    }

    void listOpenResetAndDelete() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=2"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        QVERIFY(session.admin().has_value());
        client::Admin admin = *session.admin();

        const QString created = tests::createTopic(admin, kTopic, 2);
        QVERIFY2(created.isEmpty(), qPrintable(created));
        const QString produced = tests::produceValues(session.client(), kTopic, 100, 2);
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        // 50 records in each partition; the group committed 30 and 20: lag 20 + 30.
        auto committed = tests::waitFor<std::vector<client::PartitionStatus>>([&](auto done) {
            admin.alterConsumerGroupOffsets("billing", {{{kTopic, 0}, {30, -1, {}}}, {{kTopic, 1}, {20, -1, {}}}},
                                            done);
        });
        QVERIFY(committed.ok());
        QVERIFY(client::firstFailure(committed.value()).ok());

        MainWindow window(&session, QStringLiteral("Test cluster"));
        window.show();
        session.refreshNow();

        // The navigator counts the groups; the groups panel lists it and filters as you type.
        QTRY_COMPARE_WITH_TIMEOUT(navigatorText(window, 2), QStringLiteral("Consumer groups (1)"), 30000);
        window.showGroups();
        ui::GroupsPanel* groups = window.groupsPanel();
        QVERIFY(groups);
        QCOMPARE(window.tabs()->currentWidget(), groups);
        QTRY_VERIFY_WITH_TIMEOUT(groups->viewRowOf("billing") >= 0, 30000);
        QTest::keyClicks(groups->filterEdit(), "nomatch");
        QCOMPARE(groups->view()->model()->rowCount(), 0);
        groups->filterEdit()->clear();
        QTest::keyClicks(groups->filterEdit(), "BILL");
        QCOMPARE(groups->view()->model()->rowCount(), 1);

        // Double-click opens the group's tab.
        const QModelIndex cell = groups->view()->model()->index(groups->viewRowOf("billing"), 0);
        groups->view()->scrollTo(cell);
        const QPoint at = groups->view()->visualRect(cell).center();
        QTest::mouseClick(groups->view()->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(groups->view()->viewport(), Qt::LeftButton, {}, at);
        ui::GroupPanel* panel = window.groupPanel("billing");
        QVERIFY(panel);
        QCOMPARE(window.tabs()->currentWidget(), panel);
        QCOMPARE(window.tabs()->tabText(window.tabs()->currentIndex()), QStringLiteral("Group: billing"));

        // The lag rows and totals.
        QTRY_COMPARE_WITH_TIMEOUT(panel->view()->model()->rowCount(), 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->summaryLabel()->text().contains("Total lag: 50"), 30000);
        QVERIFY2(panel->summaryLabel()->text().contains("orders: 50"), qPrintable(panel->summaryLabel()->text()));
        QVERIFY2(panel->stateLabel()->text().contains("Empty"), qPrintable(panel->stateLabel()->text()));
        QCOMPARE(lagCell(panel, 0, GroupLagModel::CommittedColumn), QStringLiteral("30"));
        QCOMPARE(lagCell(panel, 0, GroupLagModel::LagColumn), QStringLiteral("20"));
        QCOMPARE(lagCell(panel, 1, GroupLagModel::LagColumn), QStringLiteral("30"));

        // The screenshot of the group tab.
        QTest::qWait(200);
        const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(window.grab().save(shots + "/group.png"));

        // Reset to earliest: Apply needs a preview first.
        QTest::mouseClick(panel->resetButton(), Qt::LeftButton);
        ui::ResetOffsetsDialog* dialog = panel->resetDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->strategyCombo()->count(), 5);
        QVERIFY(!dialog->applyButton()->isEnabled());
        dialog->strategyCombo()->setCurrentIndex(ui::ResetOffsetsDialog::ToOffsetIndex);
        QVERIFY(dialog->valueEdit()->isEnabled());
        dialog->strategyCombo()->setCurrentIndex(ui::ResetOffsetsDialog::ToDateTimeIndex);
        QVERIFY(dialog->dateTimeEdit()->isEnabled());
        QVERIFY(!dialog->valueEdit()->isEnabled());
        dialog->strategyCombo()->setCurrentIndex(ui::ResetOffsetsDialog::EarliestIndex);
        QVERIFY(!dialog->valueEdit()->isEnabled());
        QVERIFY(!dialog->dateTimeEdit()->isEnabled());

        QTest::mouseClick(dialog->previewButton(), Qt::LeftButton);
        QVERIFY(dialog->progressBar()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(dialog->applyButton()->isEnabled(), 30000);
        QVERIFY(!dialog->progressBar()->isVisible());
        QTest::qWait(200);
        QVERIFY(dialog->grab().save(shots + "/resetoffsets.png"));
        const auto* planView = dialog->view()->model();
        QCOMPARE(planView->rowCount(), 2);
        for (int row = 0; row < 2; ++row) {
            QCOMPARE(planView->index(row, OffsetResetPlan::NewOffsetColumn).data().toString(), QStringLiteral("0"));
            QCOMPARE(planView->index(row, OffsetResetPlan::LagAfterColumn).data().toString(), QStringLiteral("50"));
        }

        // Changing the inputs makes the preview stale: Apply waits for a new one.
        dialog->strategyCombo()->setCurrentIndex(ui::ResetOffsetsDialog::LatestIndex);
        QVERIFY(!dialog->applyButton()->isEnabled());
        dialog->strategyCombo()->setCurrentIndex(ui::ResetOffsetsDialog::EarliestIndex);
        QTest::mouseClick(dialog->previewButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->applyButton()->isEnabled(), 30000);

        QSignalSpy reset(panel, &ui::GroupPanel::offsetsReset);
        QTest::mouseClick(dialog->applyButton(), Qt::LeftButton);
        QVERIFY(reset.wait(30000));
        QVERIFY2(dialog->statusLabel()->text().contains("committed"), qPrintable(dialog->statusLabel()->text()));
        QVERIFY(!dialog->applyButton()->isEnabled());

        // The panel refreshed itself: the lag is now every record.
        QTRY_VERIFY_WITH_TIMEOUT(panel->summaryLabel()->text().contains("Total lag: 100"), 30000);
        QCOMPARE(lagCell(panel, 0, GroupLagModel::CommittedColumn), QStringLiteral("0"));
        QCOMPARE(lagCell(panel, 1, GroupLagModel::LagColumn), QStringLiteral("50"));
        dialog->close();
        QTRY_VERIFY(!panel->resetDialog());

        // Deleting the (empty) group; it leaves the groups list.
        QSignalSpy deleted(panel, &ui::GroupPanel::groupDeleted);
        QSignalSpy failed(panel, &ui::GroupPanel::deleteFailed);
        panel->deleteGroup();
        QTRY_VERIFY_WITH_TIMEOUT(deleted.count() + failed.count() > 0, 30000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(groups->viewRowOf("billing") < 0, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(navigatorText(window, 2), QStringLiteral("Consumer groups (0)"), 30000);
    }
};

QTEST_MAIN(GroupsTest)
#include "groups_test.moc"
