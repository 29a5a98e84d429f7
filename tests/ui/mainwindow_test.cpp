// Tests of the main window against a real partitad: what a user sees in the navigator, the brokers
// and topics panels, a partitions tab and the status bar; and a screenshot with sample data.
#include "app/localcluster/sampledata.h"
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "models/alertengine.h"
#include "models/clustersession.h"
#include "models/groupmodel.h"
#include "models/metrichistory.h"
#include "models/monitoringhub.h"
#include "models/topicmodel.h"
#include "ui/brokerspanel.h"
#include "ui/grouppanel.h"
#include "ui/groupspanel.h"
#include "ui/mainwindow.h"
#include "ui/messagebrowserpanel.h"
#include "ui/metricchartview.h"
#include "ui/partitionspanel.h"
#include "ui/quickswitcher.h"
#include "ui/sparklinedelegate.h"
#include "ui/topicfilterproxy.h"
#include "ui/topicspanel.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace partita;
using partita::models::ClusterSession;
using partita::tests::PartitadProcess;
using partita::ui::MainWindow;

namespace {

// The topic names the topics panel shows, top to bottom.
QStringList shownTopics(const ui::TopicsPanel* panel) {
    QStringList names;
    for (int row = 0; row < panel->view()->model()->rowCount(); ++row) names << panel->topicAt(row);
    return names;
}

client::ClientConfig quickConfig(const QString& bootstrap) {
    // Short timeouts so a stopped broker shows as lost quickly.
    return tests::clientConfig(bootstrap,
                               {{"request.timeout.ms", "2000"}, {"socket.connection.setup.timeout.ms", "2000"}});
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;

private slots:
    void initTestCase() {
        // Window geometry goes to a throw-away settings file, not the user's.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PartitaTest"));
        QCoreApplication::setApplicationName(QStringLiteral("mainwindow_test"));
    }

    void showsTheClusterAndFollowsIt() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=3"}));
        ClusterSession session(quickConfig(partitad.bootstrap()));
        session.setRefreshInterval(1000);
        QVERIFY(session.admin().has_value());
        QVERIFY(tests::createTopic(*session.admin(), "orders", 3).isEmpty());
        QVERIFY(tests::createTopic(*session.admin(), "payments", 2).isEmpty());

        MainWindow window(&session, QStringLiteral("Test cluster"));
        window.show();
        session.refreshNow();

        // Navigator: the cluster with Brokers, Topics and Consumer groups under it.
        QCOMPARE(window.navigator()->topLevelItemCount(), 1);
        QTreeWidgetItem* cluster = window.navigator()->topLevelItem(0);
        QCOMPARE(cluster->text(0), QStringLiteral("Test cluster"));
        QCOMPARE(cluster->childCount(), 3);
        QVERIFY(cluster->child(2)->text(0).startsWith(QStringLiteral("Consumer groups")));
        QVERIFY(cluster->child(0)->text(0).startsWith(QStringLiteral("Brokers")));
        QVERIFY(cluster->child(1)->text(0).startsWith(QStringLiteral("Topics")));

        ui::TopicsPanel* topics = window.topicsPanel();
        ui::BrokersPanel* brokers = window.brokersPanel();
        QVERIFY(topics && brokers);
        QTRY_VERIFY_WITH_TIMEOUT(shownTopics(topics).contains("payments"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(window.stateText(), QStringLiteral("Connected"), 30000);
        QCOMPARE(shownTopics(topics), (QStringList{"orders", "payments"}));  // internal topics hidden
        QCOMPARE(cluster->child(0)->text(0), QStringLiteral("Brokers (1)"));
        QCOMPARE(cluster->child(1)->text(0), QStringLiteral("Topics (2)"));

        // The broker row.
        QAbstractItemModel* brokerRows = brokers->view()->model();
        QCOMPARE(brokerRows->rowCount(), 1);
        QCOMPARE(brokerRows->index(0, 0).data().toInt(), 1);
        QCOMPARE(brokerRows->index(0, 1).data().toString(), QStringLiteral("localhost:%1").arg(partitad.port()));
        QVERIFY(window.healthText().contains(QStringLiteral("Brokers: 1")));
        QVERIFY(window.healthText().contains(QStringLiteral("Under-replicated: 0")));
        QVERIFY(window.healthText().contains(QStringLiteral("Offline: 0")));

        // Filtering as you type hides what does not match; clearing brings it back.
        QTest::keyClicks(topics->filterEdit(), QStringLiteral("ORD"));
        QCOMPARE(shownTopics(topics), QStringList{"orders"});
        topics->filterEdit()->clear();
        QCOMPARE(shownTopics(topics).size(), 2);

        // Internal topics behind the toggle (partitad has __consumer_offsets once a group exists;
        // the toggle must at least not hide user topics).
        topics->showInternalCheckBox()->setChecked(true);
        QVERIFY(shownTopics(topics).contains("orders"));
        topics->showInternalCheckBox()->setChecked(false);
        for (const QString& name : shownTopics(topics)) QVERIFY(!name.startsWith("__"));

        // Double-clicking "orders" opens its partitions tab with 3 rows and a summary.
        const int ordersRow = int(shownTopics(topics).indexOf("orders"));
        const QModelIndex ordersIndex = topics->view()->model()->index(ordersRow, 0);
        const QRect cell = topics->view()->visualRect(ordersIndex);
        QTest::mouseDClick(topics->view()->viewport(), Qt::LeftButton, {}, cell.center());
        ui::PartitionsPanel* partitions = window.partitionsPanel(QStringLiteral("orders"));
        if (!partitions) {
            // Some platforms need a press before the double-click; the panel's slot is what it calls.
            topics->openTopicAt(ordersIndex);
            partitions = window.partitionsPanel(QStringLiteral("orders"));
        }
        QVERIFY(partitions);
        QCOMPARE(window.tabs()->currentWidget(), partitions);
        QCOMPARE(window.tabs()->tabText(window.tabs()->currentIndex()), QStringLiteral("Partitions: orders"));
        QCOMPARE(partitions->view()->model()->rowCount(), 3);
        QVERIFY(partitions->summaryLabel()->text().startsWith(QStringLiteral("Topic orders: 3 partition")));
        // Opening it again switches to the same tab.
        const int tabCount = window.tabs()->count();
        QCOMPARE(window.showPartitions(QStringLiteral("orders")), partitions);
        QCOMPARE(window.tabs()->count(), tabCount);

        // Tabs close; the navigator reopens them.
        emit window.tabs()->tabCloseRequested(window.tabs()->indexOf(window.brokersPanel()));
        QVERIFY(!window.tabs()->isAncestorOf(brokers) || window.tabs()->indexOf(brokers) < 0);
        window.showBrokers();
        QTRY_VERIFY(window.brokersPanel() && window.brokersPanel()->view()->model()->rowCount() == 1);

        // Losing the broker shows in the status bar.
        partitad.stop();
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(window.stateText().startsWith(QStringLiteral("Lost")), 60000);
        // What was last seen stays visible.
        QCOMPARE(shownTopics(topics), (QStringList{"orders", "payments"}));
    }

    void geometryIsRestored() {
        QTemporaryDir dir;
        ClusterSession session(quickConfig(QStringLiteral("localhost:1")));
        {
            MainWindow window(&session, QStringLiteral("c"));
            window.resize(900, 650);
            window.show();
            window.close();
        }
        MainWindow again(&session, QStringLiteral("c"));
        QCOMPARE(again.size(), QSize(900, 650));
    }

    void openTabsAreRestored() {
        QSettings().clear();
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=2"}));
        ClusterSession session(quickConfig(partitad.bootstrap()));
        QStringList titles;
        {
            MainWindow window(&session, QStringLiteral("c"));
            window.show();
            // First start: Brokers and Topics.
            QCOMPARE(window.tabs()->count(), 2);
            window.showPartitions(QStringLiteral("orders"));
            window.showGroups();
            window.tabs()->removeTab(window.tabs()->indexOf(window.brokersPanel()));
            window.tabs()->setCurrentWidget(window.partitionsPanel(QStringLiteral("orders")));
            for (int i = 0; i < window.tabs()->count(); ++i) titles << window.tabs()->tabText(i);
            window.close();
        }
        QCOMPARE(titles, (QStringList{"Topics", "Partitions: orders", "Consumer groups"}));
        MainWindow again(&session, QStringLiteral("c"));
        QStringList restored;
        for (int i = 0; i < again.tabs()->count(); ++i) restored << again.tabs()->tabText(i);
        QCOMPARE(restored, titles);
        QCOMPARE(again.tabs()->currentWidget(), again.partitionsPanel(QStringLiteral("orders")));
        QVERIFY(!again.brokersPanel());
        QSettings().clear();
    }

    void appPanelsAboveTheClusters() {
        QSettings().clear();
        ClusterSession session(quickConfig(QStringLiteral("localhost:1")));
        {
            MainWindow window(&session, QStringLiteral("c"));
            window.show();
            auto* alerts = new QLabel(QStringLiteral("alerts here"));
            window.addAppPanel(QStringLiteral("alerts"), QStringLiteral("Alerts"), alerts);
            QCOMPARE(window.navigator()->topLevelItem(0)->text(0), QStringLiteral("Alerts"));
            QCOMPARE(window.appPanel(QStringLiteral("alerts")), static_cast<QWidget*>(alerts));
            const int before = window.tabs()->count();
            emit window.navigator()->itemClicked(window.navigator()->topLevelItem(0), 0);
            QCOMPARE(window.tabs()->count(), before + 1);
            QCOMPARE(window.tabs()->currentWidget(), static_cast<QWidget*>(alerts));
            QCOMPARE(window.tabs()->tabText(window.tabs()->currentIndex()), QStringLiteral("Alerts"));
            // The status bar still speaks of the cluster while the app-wide tab is in front.
            QCOMPARE(window.currentClusterId(), QStringLiteral("default"));
            window.close();
        }
        // Reopened on the next start; closing its tab only hides it.
        MainWindow again(&session, QStringLiteral("c"));
        auto* alerts = new QLabel;
        again.addAppPanel(QStringLiteral("alerts"), QStringLiteral("Alerts"), alerts);
        const int index = again.tabs()->indexOf(alerts);
        QVERIFY(index >= 0);
        emit again.tabs()->tabCloseRequested(index);
        QCOMPARE(again.tabs()->indexOf(alerts), -1);
        QCOMPARE(again.appPanel(QStringLiteral("alerts")), static_cast<QWidget*>(alerts));
        QSettings().clear();
    }

    void groupPanelChartsItsLag() {
        QSettings().clear();
        QTemporaryDir dir;
        models::MonitoringHub hub(dir.filePath("metrics.sqlite"), dir.filePath("rules.json"));
        ClusterSession session(quickConfig(QStringLiteral("localhost:1")));
        MainWindow window(&session, QStringLiteral("c"));
        window.setMonitoring(&hub);
        ui::GroupPanel* panel = window.showGroup(QStringLiteral("billing"));
        QVERIFY(panel);
        auto* chart = qobject_cast<ui::MetricChartView*>(panel->lagChart());
        QVERIFY(chart);
        QCOMPARE(chart->seriesKeys().size(), size_t(1));
        QCOMPARE(chart->seriesKeys().front().metric, QStringLiteral("group_lag"));
        QCOMPARE(chart->seriesKeys().front().subject, QStringLiteral("group:billing"));
        QCOMPARE(chart->seriesKeys().front().cluster, QStringLiteral("default"));
        // Its threshold lines follow the saved rules.
        const qsizetype lines = chart->thresholdSeries().size();
        std::vector<models::AlertRule> rules = hub.alerts()->rules();
        models::AlertRule warning;
        warning.id = QStringLiteral("billing-lag");
        warning.name = QStringLiteral("Billing lag");
        warning.metric = QStringLiteral("group_lag");
        warning.scopeKind = QStringLiteral("group");
        warning.threshold = 500;
        rules.push_back(warning);
        QString error;
        QVERIFY2(hub.setRules(rules, &error), qPrintable(error));
        QCOMPARE(chart->thresholdSeries().size(), lines + 1);

        // A topic's panel charts the lag of the groups reading it (known from the history).
        models::MetricFrame frame;
        frame.cluster = QStringLiteral("default");
        frame.ms = QDateTime::currentMSecsSinceEpoch();
        frame.values.push_back({{frame.cluster, "group_topic_lag", "group:billing|topic:orders"}, 42});
        frame.values.push_back({{frame.cluster, "group_topic_lag", "group:billing|topic:other"}, 7});
        QSignalSpy recorded(hub.history(), &models::MetricHistory::recorded);
        hub.history()->record(frame);
        QVERIFY(recorded.wait(10000));
        ui::PartitionsPanel* partitions = window.showPartitions(QStringLiteral("orders"));
        auto* topicChart = qobject_cast<ui::MetricChartView*>(partitions->lagChart());
        QVERIFY(topicChart);
        QTRY_COMPARE_WITH_TIMEOUT(topicChart->seriesKeys().front().metric, QStringLiteral("group_topic_lag"), 10000);
        QCOMPARE(topicChart->seriesKeys().size(), size_t(1));
        QCOMPARE(topicChart->seriesKeys().front().subject, QStringLiteral("group:billing|topic:orders"));

        // The lists draw the recent lag and message rate in their trend columns.
        window.showGroups();
        QTableView* groups = window.groupsPanel()->view();
        QVERIFY(!groups->isColumnHidden(models::GroupModel::TrendColumn));
        QVERIFY(qobject_cast<ui::SparklineDelegate*>(groups->itemDelegateForColumn(models::GroupModel::TrendColumn)));
        QVERIFY(!window.topicsPanel()->view()->isColumnHidden(models::TopicModel::TrendColumn));
        QSettings().clear();
    }

    void trendColumnsHiddenWithoutMonitoring() {
        ClusterSession session(quickConfig(QStringLiteral("localhost:1")));
        MainWindow window(&session, QStringLiteral("c"));
        window.showGroups();
        QVERIFY(window.groupsPanel()->view()->isColumnHidden(models::GroupModel::TrendColumn));
        QVERIFY(window.topicsPanel()->view()->isColumnHidden(models::TopicModel::TrendColumn));
    }

    void panelSplittersAreRestored() {
        QSettings().clear();
        ClusterSession session(quickConfig(QStringLiteral("localhost:1")));
        QList<int> sizes;
        {
            MainWindow window(&session, QStringLiteral("c"));
            window.resize(1000, 700);
            window.show();
            auto* splitter = window.brokersPanel()->findChild<QSplitter*>();
            QVERIFY(splitter);
            splitter->setSizes({120, 480});
            QTest::qWait(50);
            sizes = splitter->sizes();
            window.close();
        }
        MainWindow again(&session, QStringLiteral("c"));
        again.resize(1000, 700);
        again.show();
        QTest::qWait(50);
        QCOMPARE(again.brokersPanel()->findChild<QSplitter*>()->sizes(), sizes);
        QSettings().clear();
    }

    void clustersSideBySide() {
        QSettings().clear();
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=1"}));
        ClusterSession good(quickConfig(partitad.bootstrap()));
        QVERIFY(tests::createTopic(*good.admin(), "side-a", 1).isEmpty());
        ClusterSession broken(QStringLiteral("bootstrap.servers: missing port in 'nowhere'"));

        MainWindow window;
        window.addCluster(QStringLiteral("a"), QStringLiteral("Dev"), &good);
        window.addCluster(QStringLiteral("b"), QStringLiteral("Prod"), &broken);
        window.show();
        QCOMPARE(window.navigator()->topLevelItemCount(), 2);
        QCOMPARE(window.clusterIds(), (QStringList{"a", "b"}));
        // Each cluster's tabs say whose they are, and the status bar follows the current tab.
        QCOMPARE(window.tabs()->count(), 4);
        QCOMPARE(window.tabs()->tabText(0), QStringLiteral("Dev · Brokers"));
        window.showBrokers(QStringLiteral("b"));
        QCOMPARE(window.tabs()->tabText(window.tabs()->currentIndex()), QStringLiteral("Prod · Brokers"));
        QVERIFY2(window.stateText().startsWith(QStringLiteral("Prod: Lost: bootstrap.servers")),
                 qPrintable(window.stateText()));
        QVERIFY(window.navigator()->topLevelItem(1)->text(0).contains(QStringLiteral("lost")));
        // Its tabs carry the mark too, with the reason; the healthy cluster's do not.
        QVERIFY(!window.tabs()->tabIcon(window.tabs()->currentIndex()).isNull());
        QVERIFY(window.tabs()->tabToolTip(window.tabs()->currentIndex()).contains(QStringLiteral("missing port")));
        QVERIFY(window.tabs()->tabIcon(0).isNull());
        window.showTopics(QStringLiteral("a"));
        QTRY_COMPARE_WITH_TIMEOUT(window.stateText(), QStringLiteral("Dev: Connected"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(shownTopics(window.topicsPanel(QStringLiteral("a"))).contains("side-a"), 30000);

        // Ctrl+K finds a topic by part of its name and opens its partitions.
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        auto* switcher = window.findChild<ui::QuickSwitcher*>();
        QVERIFY(switcher);
        QTRY_VERIFY(switcher->isVisible());
        QTest::keyClicks(switcher->lineEdit(), QStringLiteral("sida"));
        QVERIFY(switcher->visibleCount() >= 1);
        QCOMPARE(switcher->visibleEntry(0).text, QStringLiteral("side-a — Dev"));
        QTest::keyClick(switcher->lineEdit(), Qt::Key_Return);
        QVERIFY(window.partitionsPanel(QStringLiteral("side-a"), QStringLiteral("a")));
        QCOMPARE(window.tabs()->currentWidget(), window.partitionsPanel(QStringLiteral("side-a"), QStringLiteral("a")));

        // The topics panel's Messages action opens the topic's message browser in a tab of its own.
        ui::TopicsPanel* topicsA = window.topicsPanel(QStringLiteral("a"));
        QVERIFY(topicsA->selectTopic(QStringLiteral("side-a")));
        QVERIFY(topicsA->messagesAction()->isEnabled());
        topicsA->messagesAction()->trigger();
        ui::MessageBrowserPanel* messages = window.messagesPanel(QStringLiteral("side-a"), QStringLiteral("a"));
        QVERIFY(messages);
        QCOMPARE(window.tabs()->currentWidget(), messages);
        QCOMPARE(window.tabs()->tabText(window.tabs()->currentIndex()), QStringLiteral("Dev · Messages: side-a"));

        // Removing a cluster closes its tabs only.
        window.removeCluster(QStringLiteral("b"));
        QCOMPARE(window.navigator()->topLevelItemCount(), 1);
        for (int i = 0; i < window.tabs()->count(); ++i)
            QVERIFY(!window.tabs()->tabText(i).startsWith(QStringLiteral("Prod")));
        QCOMPARE(window.tabs()->tabText(0), QStringLiteral("Brokers"));
        window.close();
        QSettings().clear();
    }

    void screenshotWithSampleData() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=3"}));
        ClusterSession session(quickConfig(partitad.bootstrap()));
        session.setRefreshInterval(1000);

        app::SampleData sample(session.client());
        QSignalSpy finished(&sample, &app::SampleData::finished);
        sample.start();
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));

        MainWindow window(&session, QStringLiteral("Local cluster"));
        window.resize(1200, 800);
        window.show();
        session.refreshNow();
        ui::TopicsPanel* topics = window.topicsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(shownTopics(topics).contains("users") && shownTopics(topics).contains("orders") &&
                                     shownTopics(topics).contains("user-events"),
                                 30000);
        // Sizes arrive with the log dirs; wait for them so the picture shows real numbers.
        QTRY_VERIFY_WITH_TIMEOUT(
            !topics->view()->model()->index(0, models::TopicModel::SizeColumn).data().toString().isEmpty(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(window.stateText(), QStringLiteral("Connected"), 30000);
        window.showPartitions(QStringLiteral("user-events"));
        window.showTopics();
        QTest::qWait(200);  // let layouts settle before painting

        const QImage image = window.grab().toImage();
        QCOMPARE(image.size() / image.devicePixelRatio(), QSize(1200, 800));
        QVERIFY(QDir().mkpath(QStringLiteral(PARTITA_SCREENSHOT_DIR)));
        // Under Xvfb (the xcb platform) the picture is the one a real X server draws.
        const QString suffix =
            QGuiApplication::platformName() == QLatin1String("xcb") ? QStringLiteral("-xvfb") : QString();
        const QString path = QStringLiteral(PARTITA_SCREENSHOT_DIR "/mainwindow%1.png").arg(suffix);
        QVERIFY(image.save(path));
        qInfo("screenshot: %s", qPrintable(path));

        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 8, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));

        // The partitions and brokers tabs too, to look at the other kinds of panel.
        window.showPartitions(QStringLiteral("user-events"));
        QTest::qWait(100);
        QVERIFY(window.grab().save(QStringLiteral(PARTITA_SCREENSHOT_DIR "/mainwindow-partitions.png")));
        window.showBrokers();
        QTest::qWait(100);
        QVERIFY(window.grab().save(QStringLiteral(PARTITA_SCREENSHOT_DIR "/mainwindow-brokers.png")));
    }
};

QTEST_MAIN(MainWindowTest)
#include "mainwindow_test.moc"
