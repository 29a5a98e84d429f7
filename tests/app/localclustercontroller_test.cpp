// Tests of the local cluster's panel driven by real partitad processes: what a user sees when the
// broker starts, crashes, is restarted, stopped and wiped from the panel.
#include "app/localcluster/localclustercontroller.h"
#include "app/localcluster/localcluster.h"
#include "ui/localclusterpanel.h"

#include <QCheckBox>
#include <QDir>
#include <QHostAddress>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using partita::app::LocalCluster;
using partita::app::LocalClusterController;
using partita::ui::LocalClusterPanel;

namespace {

constexpr int kTimeoutMs = 30000;

int freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::Any, 0);
    return probe.serverPort();
}

QString cell(const LocalClusterPanel& panel, int column) {
    const QTableWidgetItem* item = panel.table()->item(0, column);
    return item ? item->text() : QString();
}

enum Column { IdColumn, StateColumn, AddressColumn, PidColumn, LastExitColumn };

}  // namespace

class LocalClusterControllerTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_tmp.path() + "/settings");
        QCoreApplication::setOrganizationName(QStringLiteral("PartitaTest"));
        QCoreApplication::setApplicationName(QStringLiteral("localclustercontroller_test"));
    }

    void startCrashRestartStopWipe() {
        LocalCluster cluster;
        cluster.setDataDir(m_tmp.path() + "/cluster");
        cluster.setPartitadPath(QStringLiteral(PARTITA_BINARY_DIR "/partitad"));
        cluster.setFirstPort(freePort());
        LocalClusterPanel panel;
        LocalClusterController controller(&cluster, &panel);
        panel.resize(900, 500);
        panel.show();

        // Before the first start: one stopped broker, start offered, wipe allowed.
        QCOMPARE(panel.table()->rowCount(), 1);
        QCOMPARE(cell(panel, StateColumn), QStringLiteral("Stopped"));
        QVERIFY(panel.startButton()->isEnabled());
        QVERIFY(!panel.stopButton()->isEnabled());

        QTest::mouseClick(panel.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, StateColumn), QStringLiteral("Running"), kTimeoutMs);
        QVERIFY(cell(panel, AddressColumn).startsWith(QStringLiteral("localhost:")));
        const qint64 pid = cell(panel, PidColumn).toLongLong();
        QVERIFY(pid > 0);
        QVERIFY(!panel.startButton()->isEnabled());
        QVERIFY(panel.stopButton()->isEnabled());
        // Wiping a running cluster is not offered.
        QVERIFY(!panel.wipeButton()->isEnabled());
        // The broker's own output is in the log pane (partitad says "started;" once it listens).
        QTRY_VERIFY_WITH_TIMEOUT(panel.logView()->toPlainText().contains(QStringLiteral("started")), kTimeoutMs);

        // A crash shows as such, with how it ended, and the broker is not restarted behind the user's back.
        ::kill(pid_t(pid), SIGKILL);
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, StateColumn), QStringLiteral("Crashed"), kTimeoutMs);
        QVERIFY(QDir().mkpath(QStringLiteral(PARTITA_SCREENSHOT_DIR)));
        QVERIFY(panel.grab().save(QStringLiteral(PARTITA_SCREENSHOT_DIR "/localcluster-crashed.png")));
        QVERIFY2(cell(panel, LastExitColumn).contains(QStringLiteral("9")), qPrintable(cell(panel, LastExitColumn)));
        QVERIFY(panel.table()->item(0, StateColumn)->foreground().color() != QColor(Qt::black));

        panel.table()->selectRow(0);
        QVERIFY(panel.restartButton()->isEnabled());
        QTest::mouseClick(panel.restartButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, StateColumn), QStringLiteral("Running"), kTimeoutMs);
        QVERIFY(cell(panel, PidColumn).toLongLong() != pid);

        QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, StateColumn), QStringLiteral("Stopped"), kTimeoutMs);
        QVERIFY(panel.wipeButton()->isEnabled());

        QVERIFY(QDir(cluster.dataDir()).exists());
        // The wipe button asks first; what it asks for once confirmed:
        emit panel.wipeRequested();
        QVERIFY(!QDir(cluster.dataDir()).exists());
        QVERIFY(panel.errorLabel()->isHidden());
    }

    void keepRunningIsSavedAndApplied() {
        LocalCluster cluster;
        cluster.setDataDir(m_tmp.path() + "/keep");
        LocalClusterPanel panel;
        LocalClusterController controller(&cluster, &panel);
        QVERIFY(!cluster.keepRunningOnQuit());
        panel.keepRunningCheckBox()->setChecked(true);
        QVERIFY(cluster.keepRunningOnQuit());
        QCOMPARE(QSettings().value(LocalClusterController::kKeepRunningKey).toBool(), true);

        // The next app start reads the choice before starting brokers.
        LocalCluster next;
        LocalClusterController::applySavedKeepRunning(&next);
        QVERIFY(next.keepRunningOnQuit());
        LocalClusterPanel nextPanel;
        LocalClusterController nextController(&next, &nextPanel);
        QVERIFY(nextPanel.keepRunningCheckBox()->isChecked());
    }

    void startFailureIsShownInThePanel() {
        LocalCluster cluster;
        // A data dir that cannot be created: the start fails and says why.
        cluster.setDataDir(QStringLiteral("/proc/partita-cannot-write"));
        cluster.setPartitadPath(QStringLiteral(PARTITA_BINARY_DIR "/partitad"));
        LocalClusterPanel panel;
        LocalClusterController controller(&cluster, &panel);
        QTest::mouseClick(panel.startButton(), Qt::LeftButton);
        QVERIFY(!panel.errorLabel()->isHidden());
        QVERIFY2(!panel.errorLabel()->text().isEmpty(), "no error text");
    }
};

QTEST_MAIN(LocalClusterControllerTest)
#include "localclustercontroller_test.moc"
