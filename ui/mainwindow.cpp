// MainWindow: wires each cluster's workspace to the navigator and the tabs, keeps the status bar on
// the current cluster, and saves and restores the window's layout and open tabs.
#include "ui/mainwindow.h"

#include "models/alertengine.h"
#include "models/clustersnapshot.h"
#include "models/groupmodel.h"
#include "models/metrichistory.h"
#include "models/metricnames.h"
#include "models/monitoringhub.h"
#include "models/topicmodel.h"
#include "ui/brokerspanel.h"
#include "ui/clusterworkspace.h"
#include "ui/grouppanel.h"
#include "ui/groupspanel.h"
#include "ui/icons.h"
#include "ui/messagebrowserpanel.h"
#include "ui/metricchartview.h"
#include "ui/partitionspanel.h"
#include "ui/quickswitcher.h"
#include "ui/sparklinedelegate.h"
#include "ui/theme.h"
#include "ui/topicspanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeWidget>

#include <algorithm>

namespace partita::ui {

using models::ClusterSession;
using NavTarget = ClusterWorkspace::NavTarget;

namespace {

const char* kGeometryKey = "mainWindow/geometry";
const char* kStateKey = "mainWindow/state";
const char* kSplitterKey = "mainWindow/splitter";
const char* kTabsKey = "mainWindow/tabs";
const char* kCurrentTabKey = "mainWindow/currentTab";

// Each tab's panel carries its cluster, its key (what reopens it) and its title without the
// cluster's name.
const char* kClusterProperty = "partitaCluster";
const char* kKeyProperty = "partitaTabKey";
const char* kTitleProperty = "partitaTabTitle";

const QString kBrokersKey = QStringLiteral("brokers");
const QString kTopicsKey = QStringLiteral("topics");
const QString kGroupsKey = QStringLiteral("groups");
const QString kPartitionsPrefix = QStringLiteral("partitions/");
const QString kGroupPrefix = QStringLiteral("group/");
const QString kMessagesPrefix = QStringLiteral("messages/");
const QString kExtraPrefix = QStringLiteral("extra/");
// A navigator item of an app-wide panel (not under a cluster) holds its key in this role.
constexpr int kAppPanelRole = ClusterWorkspace::kExtraKeyRole + 10;

// Splitters inside panels (the brokers panel's configs pane, ...) keep their sizes per kind of panel.
QString splitterKey(const QWidget* panel, int index) {
    return QStringLiteral("panelSplitters/%1/%2").arg(QLatin1String(panel->metaObject()->className())).arg(index);
}

void restorePanelSplitters(QWidget* panel) {
    QSettings settings;
    const auto splitters = panel->findChildren<QSplitter*>();
    for (int i = 0; i < splitters.size(); ++i) {
        const QByteArray state = settings.value(splitterKey(panel, i)).toByteArray();
        if (!state.isEmpty()) splitters[i]->restoreState(state);
    }
}

void savePanelSplitters(const QWidget* panel) {
    QSettings settings;
    const auto splitters = panel->findChildren<QSplitter*>();
    for (int i = 0; i < splitters.size(); ++i) settings.setValue(splitterKey(panel, i), splitters[i]->saveState());
}

QString tabId(const QString& clusterId, const QString& key) {
    return clusterId + QLatin1Char('\t') + key;
}

QString tabId(const QWidget* panel) {
    return tabId(panel->property(kClusterProperty).toString(), panel->property(kKeyProperty).toString());
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Partita"));
    // saveState() identifies the window by name; without one it warns and saves nothing useful.
    setObjectName(QStringLiteral("PartitaMainWindow"));

    m_tabs = new QTabWidget(this);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatus);

    createNavigator();
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(m_navigator);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({220, 980});
    setCentralWidget(m_splitter);

    m_stateLabel = new QLabel(this);
    m_healthLabel = new QLabel(this);
    // Room between the two permanent labels, which the status bar otherwise packs edge to edge.
    m_stateLabel->setContentsMargins(12, 0, 6, 0);
    m_healthLabel->setContentsMargins(6, 0, 12, 0);
    statusBar()->addPermanentWidget(m_healthLabel);
    statusBar()->addPermanentWidget(m_stateLabel);
    createActions();

    resize(1200, 800);
    restoreSettings();
    updateStatus();
}

MainWindow::MainWindow(ClusterSession* session, const QString& clusterName, QWidget* parent) : MainWindow(parent) {
    addCluster(QStringLiteral("default"), clusterName, session);
}

MainWindow::~MainWindow() {
    // Before the navigator goes (it is a child widget, destroyed before child objects created
    // after it): each workspace removes its own navigator branch.
    for (auto* ws : m_workspaces) delete ws;
}

void MainWindow::createActions() {
    m_refreshAction = new QAction(icon(QStringLiteral("refresh")), tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setStatusTip(tr("Refresh the current cluster now"));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        if (auto* s = session()) s->refreshNow();
    });

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    // Closing the window (not QApplication::quit) so closeEvent saves the layout and the app can
    // stop the local cluster before it exits.
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_clusterMenu = menuBar()->addMenu(tr("&Cluster"));
    auto* addCluster = m_clusterMenu->addAction(icon(QStringLiteral("add")), tr("&Add cluster…"), this,
                                                &MainWindow::addClusterRequested);
    addCluster->setShortcut(QKeySequence(tr("Ctrl+Shift+N")));
    m_clusterMenu->addAction(tr("&Edit connection…"), this, [this] {
        if (!currentClusterId().isEmpty()) emit editClusterRequested(currentClusterId());
    });
    m_clusterMenu->addAction(tr("Re&move cluster"), this, [this] {
        if (!currentClusterId().isEmpty()) emit removeClusterRequested(currentClusterId());
    });
    m_clusterMenu->addSeparator();
    m_clusterMenu->addAction(m_refreshAction);
    // The app adds its own actions (local cluster, sample data) before this separator.
    m_clusterMenu->addSeparator();
    m_clusterMenu->addAction(m_quitAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    auto* switcher =
        m_viewMenu->addAction(icon(QStringLiteral("search")), tr("&Go to…"), this, &MainWindow::showQuickSwitcher);
    switcher->setShortcut(QKeySequence(tr("Ctrl+K")));
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("&Brokers"), QKeySequence(tr("Ctrl+1")), this, [this] { showBrokers(); });
    m_viewMenu->addAction(tr("&Topics"), QKeySequence(tr("Ctrl+2")), this, [this] { showTopics(); });
    m_viewMenu->addAction(tr("&Consumer groups"), QKeySequence(tr("Ctrl+3")), this, [this] { showGroups(); });
    m_viewMenu->addSeparator();
    auto* themeMenu = m_viewMenu->addMenu(tr("T&heme"));
    auto* themes = new QActionGroup(themeMenu);
    const Theme current = themeFromSettings();
    for (auto [theme, title] : {std::pair{Theme::System, tr("Follow the &system")},
                                std::pair{Theme::Light, tr("&Light")}, std::pair{Theme::Dark, tr("&Dark")}}) {
        QAction* action = themeMenu->addAction(title);
        action->setCheckable(true);
        action->setChecked(theme == current);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [theme] {
            saveTheme(theme);
            applyTheme(*qApp, theme);
        });
    }
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("Close &tab"), QKeySequence::Close, this, [this] {
        if (m_tabs->currentIndex() >= 0) closeTab(m_tabs->currentIndex());
    });

    auto* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setMovable(false);
    toolbar->addAction(m_refreshAction);
    toolbar->addAction(switcher);
    toolbar->addAction(addCluster);
}

void MainWindow::createNavigator() {
    m_navigator = new QTreeWidget(this);
    m_navigator->setHeaderHidden(true);
    m_navigator->setMinimumWidth(160);
    m_navigator->setContextMenuPolicy(Qt::CustomContextMenu);
    // A single click opens, as in a file manager's side bar; activated also covers Enter.
    connect(m_navigator, &QTreeWidget::itemClicked, this, &MainWindow::onNavigatorActivated);
    connect(m_navigator, &QTreeWidget::itemActivated, this, &MainWindow::onNavigatorActivated);
    connect(m_navigator, &QTreeWidget::customContextMenuRequested, this, &MainWindow::onNavigatorMenu);
    connect(m_navigator, &QTreeWidget::currentItemChanged, this, &MainWindow::updateStatus);
}

void MainWindow::addCluster(const QString& id, const QString& name, ClusterSession* session) {
    if (workspace(id)) return;
    auto* ws = new ClusterWorkspace(id, name, session, m_navigator, this);
    m_workspaces.push_back(ws);
    connect(ws, &ClusterWorkspace::statusChanged, this, &MainWindow::updateStatus);
    connect(ws, &ClusterWorkspace::statusChanged, this, [this, ws] { markLostTabs(ws); });
    updateTitles();

    bool restored = false;
    for (const QString& saved : m_savedTabs) {
        const QString clusterId = saved.section(QLatin1Char('\t'), 0, 0);
        const QString key = saved.section(QLatin1Char('\t'), 1);
        if (clusterId != id || key.startsWith(kExtraPrefix)) continue;
        openTab(ws, key);
        restored = true;
    }
    if (!restored) {
        openTab(ws, kBrokersKey);
        openTab(ws, kTopicsKey);
    }
    if (QWidget* current = findTab(m_savedCurrentTab.section(QLatin1Char('\t'), 0, 0),
                                   m_savedCurrentTab.section(QLatin1Char('\t'), 1)))
        m_tabs->setCurrentWidget(current);
    updateStatus();
}

void MainWindow::removeCluster(const QString& id) {
    ClusterWorkspace* ws = workspace(id);
    if (!ws) return;
    for (int i = m_tabs->count() - 1; i >= 0; --i)
        if (m_tabs->widget(i)->property(kClusterProperty).toString() == id) closeTab(i);
    for (auto it = m_extraPanels.begin(); it != m_extraPanels.end();) {
        if (it.key().section(QLatin1Char('\t'), 0, 0) == id) {
            delete it.value();
            it = m_extraPanels.erase(it);
        } else {
            ++it;
        }
    }
    m_workspaces.erase(std::find(m_workspaces.begin(), m_workspaces.end(), ws));
    delete ws;
    updateTitles();
    updateStatus();
}

QStringList MainWindow::clusterIds() const {
    QStringList ids;
    for (const auto* ws : m_workspaces) ids << ws->id();
    return ids;
}

void MainWindow::addClusterPanel(const QString& clusterId, const QString& key, const QString& title, QWidget* panel) {
    ClusterWorkspace* ws = workspace(clusterId);
    if (!ws) return;
    panel->setParent(this);
    panel->hide();
    m_extraPanels.insert(tabId(clusterId, key), panel);
    m_extraTitles.insert(tabId(clusterId, key), title);
    ws->addExtraItem(key, title);
    if (m_savedTabs.contains(tabId(clusterId, kExtraPrefix + key))) openTab(ws, kExtraPrefix + key);
}

void MainWindow::showClusterPanel(const QString& clusterId, const QString& key) {
    if (ClusterWorkspace* ws = workspace(clusterId)) openTab(ws, kExtraPrefix + key);
}

void MainWindow::addAppPanel(const QString& key, const QString& title, QWidget* panel, const QIcon& itemIcon) {
    const QString id = tabId(QString(), kExtraPrefix + key);
    panel->setParent(this);
    panel->hide();
    panel->setProperty(kClusterProperty, QString());
    panel->setProperty(kKeyProperty, kExtraPrefix + key);
    panel->setProperty(kTitleProperty, title);
    m_extraPanels.insert(id, panel);
    m_extraTitles.insert(id, title);
    // App-wide entries go first, above the clusters' branches.
    auto* item = new QTreeWidgetItem({title});
    item->setIcon(0, itemIcon);
    item->setData(0, kAppPanelRole, key);
    m_navigator->insertTopLevelItem(m_appItems++, item);
    if (m_savedTabs.contains(id)) showAppPanel(key);
}

void MainWindow::showAppPanel(const QString& key) {
    QWidget* panel = m_extraPanels.value(tabId(QString(), kExtraPrefix + key));
    if (!panel) return;
    int index = m_tabs->indexOf(panel);
    if (index < 0) {
        index = m_tabs->addTab(panel, m_extraTitles.value(tabId(panel)));
        restorePanelSplitters(panel);
    }
    m_tabs->setCurrentIndex(index);
}

void MainWindow::setMonitoring(models::MonitoringHub* monitoring) {
    m_monitoring = monitoring;
    // Lists opened before (the first tabs of a cluster) get their trends now.
    for (ClusterWorkspace* ws : m_workspaces) {
        if (ws->topicsPanel) showTopicsTrend(ws);
        if (ws->groupsPanel) showGroupsTrend(ws);
    }
}

MetricChartView* MainWindow::newHistoryChart(const std::vector<models::SeriesKey>& series) {
    auto* chart = new MetricChartView(m_monitoring->history());
    chart->setSeries(series);
    chart->setThresholds(m_monitoring->alerts()->rules());
    connect(m_monitoring, &models::MonitoringHub::frameReady, chart, &MetricChartView::appendFrame);
    connect(m_monitoring, &models::MonitoringHub::rulesChanged, chart,
            [hub = m_monitoring, chart] { chart->setThresholds(hub->alerts()->rules()); });
    return chart;
}

MetricChartView* MainWindow::newTopicChart(const QString& clusterId, const QString& topic) {
    // The lag of each group reading the topic, once the history says which groups those are; the
    // topic's message rate until then (and when nobody reads it).
    const QString topicSubject = QStringLiteral("topic:") + topic;
    MetricChartView* chart =
        newHistoryChart({{clusterId, QString::fromLatin1(models::metrics::topicMessagesInPerSec), topicSubject}});
    m_monitoring->history()->listSeries(clusterId, QString::fromLatin1(models::metrics::groupTopicLag), chart,
                                        [chart, topicSubject](std::vector<models::SeriesKey> keys) {
                                            std::erase_if(keys, [&](const models::SeriesKey& k) {
                                                return !k.subject.endsWith(QLatin1Char('|') + topicSubject);
                                            });
                                            if (!keys.empty()) chart->setSeries(keys);
                                        });
    return chart;
}

void MainWindow::showTopicsTrend(ClusterWorkspace* ws) {
    showTrend(ws->topicsPanel->view(), models::TopicModel::TrendColumn, models::TopicModel::NameColumn, ws->id(),
              QString::fromLatin1(models::metrics::topicMessagesInPerSec), QStringLiteral("topic:"));
}

void MainWindow::showGroupsTrend(ClusterWorkspace* ws) {
    showTrend(ws->groupsPanel->view(), models::GroupModel::TrendColumn, models::GroupModel::GroupIdColumn, ws->id(),
              QString::fromLatin1(models::metrics::groupLag), QStringLiteral("group:"));
}

void MainWindow::showTrend(QTableView* view, int trendColumn, int nameColumn, const QString& clusterId,
                           const QString& metric, const QString& subjectPrefix) {
    view->setColumnHidden(trendColumn, !m_monitoring);  // nothing collected: no trend to draw
    if (!m_monitoring) return;
    auto* delegate = new SparklineDelegate(view);
    QPointer<models::MonitoringHub> hub = m_monitoring;
    delegate->setValuesFunction([hub, clusterId, metric, subjectPrefix, nameColumn](const QModelIndex& index) {
        if (!hub) return QList<double>();
        const QString name = index.siblingAtColumn(nameColumn).data().toString();
        return hub->recent({clusterId, metric, subjectPrefix + name});
    });
    view->setItemDelegateForColumn(trendColumn, delegate);
    connect(m_monitoring, &models::MonitoringHub::frameReady, view->viewport(), qOverload<>(&QWidget::update));
}

QWidget* MainWindow::appPanel(const QString& key) const {
    return m_extraPanels.value(tabId(QString(), kExtraPrefix + key));
}

ClusterWorkspace* MainWindow::workspace(const QString& clusterId) const {
    const QString id = clusterId.isEmpty() ? currentClusterId() : clusterId;
    for (auto* ws : m_workspaces)
        if (ws->id() == id) return ws;
    return nullptr;
}

QString MainWindow::currentClusterId() const {
    // An app-wide tab (no cluster) leaves the choice to the navigator.
    if (QWidget* tab = m_tabs->currentWidget(); tab && !tab->property(kClusterProperty).toString().isEmpty())
        return tab->property(kClusterProperty).toString();
    if (QTreeWidgetItem* item = m_navigator->currentItem())
        return item->data(0, ClusterWorkspace::kClusterRole).toString();
    return m_workspaces.empty() ? QString() : m_workspaces.front()->id();
}

ClusterSession* MainWindow::session(const QString& clusterId) const {
    ClusterWorkspace* ws = workspace(clusterId);
    return ws ? ws->session() : nullptr;
}

void MainWindow::onNavigatorActivated(QTreeWidgetItem* item) {
    if (!item) return;
    if (const QVariant key = item->data(0, kAppPanelRole); key.isValid()) return showAppPanel(key.toString());
    ClusterWorkspace* ws = workspace(item->data(0, ClusterWorkspace::kClusterRole).toString());
    if (!ws) return;
    switch (NavTarget(item->data(0, ClusterWorkspace::kTargetRole).toInt())) {
        case NavTarget::Brokers:
            openTab(ws, kBrokersKey);
            break;
        case NavTarget::Topics:
            openTab(ws, kTopicsKey);
            break;
        case NavTarget::Groups:
            openTab(ws, kGroupsKey);
            break;
        case NavTarget::Extra:
            openTab(ws, kExtraPrefix + item->data(0, ClusterWorkspace::kExtraKeyRole).toString());
            break;
        case NavTarget::Cluster:
            updateStatus();
            break;
    }
}

void MainWindow::onNavigatorMenu(const QPoint& pos) {
    QTreeWidgetItem* item = m_navigator->itemAt(pos);
    if (!item) return;
    const QString id = item->data(0, ClusterWorkspace::kClusterRole).toString();
    ClusterWorkspace* ws = workspace(id);
    if (!ws) return;
    QMenu menu(this);
    menu.addAction(tr("Refresh"), ws->session(), &ClusterSession::refreshNow);
    menu.addSeparator();
    menu.addAction(tr("Edit connection…"), this, [this, id] { emit editClusterRequested(id); });
    menu.addAction(tr("Remove cluster"), this, [this, id] { emit removeClusterRequested(id); });
    menu.exec(m_navigator->viewport()->mapToGlobal(pos));
}

void MainWindow::openTab(ClusterWorkspace* ws, const QString& key) {
    if (key == kBrokersKey) {
        if (!ws->brokersPanel) {
            ws->brokersPanel = new BrokersPanel(ws->brokerModel(), m_tabs);
            ws->brokersPanel->setSession(ws->session());
        }
        activate(ws, ws->brokersPanel, key, tr("Brokers"));
    } else if (key == kTopicsKey) {
        if (!ws->topicsPanel) {
            ws->topicsPanel = new TopicsPanel(ws->topicModel(), m_tabs);
            ws->topicsPanel->setSession(ws->session());
            const QString id = ws->id();
            connect(ws->topicsPanel, &TopicsPanel::openPartitionsRequested, this,
                    [this, id](const QString& topic) { showPartitions(topic, id); });
            connect(ws->topicsPanel, &TopicsPanel::openMessagesRequested, this,
                    [this, id](const QString& topic) { showMessages(topic, id); });
            showTopicsTrend(ws);
        }
        activate(ws, ws->topicsPanel, key, tr("Topics"));
    } else if (key == kGroupsKey) {
        if (!ws->groupsPanel) {
            ws->groupsPanel = new GroupsPanel(ws->groupModel(), m_tabs);
            const QString id = ws->id();
            connect(ws->groupsPanel, &GroupsPanel::openGroupRequested, this,
                    [this, id](const QString& group) { showGroup(group, id); });
            showGroupsTrend(ws);
        }
        activate(ws, ws->groupsPanel, key, tr("Consumer groups"));
    } else if (key.startsWith(kPartitionsPrefix)) {
        const QString topic = key.mid(kPartitionsPrefix.size());
        QWidget* panel = findTab(ws->id(), key);
        if (!panel) {
            auto* partitions = new PartitionsPanel(ws->session(), topic, m_tabs);
            if (m_monitoring) partitions->setLagChart(newTopicChart(ws->id(), topic));
            panel = partitions;
        }
        activate(ws, panel, key, tr("Partitions: %1").arg(topic));
    } else if (key.startsWith(kMessagesPrefix)) {
        const QString topic = key.mid(kMessagesPrefix.size());
        QWidget* panel = findTab(ws->id(), key);
        if (!panel) panel = new MessageBrowserPanel(ws->session(), topic, m_tabs);
        activate(ws, panel, key, tr("Messages: %1").arg(topic));
    } else if (key.startsWith(kGroupPrefix)) {
        const QString groupId = key.mid(kGroupPrefix.size());
        QWidget* panel = findTab(ws->id(), key);
        if (!panel) {
            if (!ws->session()->admin()) return;
            auto* groupPanel = new GroupPanel(ws->session(), groupId, m_tabs);
            // Deleting or resetting changes the group list: show it without waiting for the timer.
            connect(groupPanel, &GroupPanel::groupDeleted, ws->session(), &ClusterSession::refreshNow);
            connect(groupPanel, &GroupPanel::offsetsReset, ws->session(), &ClusterSession::refreshNow);
            // The group's lag over time, against the alert rules that apply to it.
            if (m_monitoring)
                groupPanel->setLagChart(newHistoryChart(
                    {{ws->id(), QString::fromLatin1(models::metrics::groupLag), QStringLiteral("group:") + groupId}}));
            panel = groupPanel;
        }
        activate(ws, panel, key, tr("Group: %1").arg(groupId));
    } else if (key.startsWith(kExtraPrefix)) {
        const QString id = tabId(ws->id(), key.mid(kExtraPrefix.size()));
        if (QWidget* panel = m_extraPanels.value(id)) activate(ws, panel, key, m_extraTitles.value(id));
    }
}

void MainWindow::activate(ClusterWorkspace* ws, QWidget* panel, const QString& key, const QString& title) {
    int index = m_tabs->indexOf(panel);
    if (index < 0) {
        panel->setProperty(kClusterProperty, ws->id());
        panel->setProperty(kKeyProperty, key);
        panel->setProperty(kTitleProperty, title);
        index = m_tabs->addTab(panel, m_workspaces.size() > 1 ? tr("%1 · %2").arg(ws->name(), title) : title);
        restorePanelSplitters(panel);
        markLostTabs(ws);
    }
    m_tabs->setCurrentIndex(index);
}

QWidget* MainWindow::findTab(const QString& clusterId, const QString& key) const {
    const QString id = tabId(clusterId, key);
    for (int i = 0; i < m_tabs->count(); ++i)
        if (tabId(m_tabs->widget(i)) == id) return m_tabs->widget(i);
    return nullptr;
}

void MainWindow::updateTitles() {
    // With several clusters, a tab says whose it is.
    for (int i = 0; i < m_tabs->count(); ++i) {
        QWidget* panel = m_tabs->widget(i);
        const QString title = panel->property(kTitleProperty).toString();
        ClusterWorkspace* ws = workspace(panel->property(kClusterProperty).toString());
        m_tabs->setTabText(i, ws && m_workspaces.size() > 1 ? tr("%1 · %2").arg(ws->name(), title) : title);
    }
    setWindowTitle(m_workspaces.size() == 1 ? tr("Partita — %1").arg(m_workspaces.front()->name()) : tr("Partita"));
}

void MainWindow::markLostTabs(ClusterWorkspace* ws) {
    // Every tab of a cluster that cannot be reached says so, not only the status bar.
    const QIcon lost = ws->isLost() ? icon(QStringLiteral("error")) : QIcon();
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->widget(i)->property(kClusterProperty).toString() != ws->id()) continue;
        m_tabs->setTabIcon(i, lost);
        m_tabs->setTabToolTip(i, ws->isLost() ? ws->stateText() : QString());
    }
}

void MainWindow::showBrokers(const QString& clusterId) {
    if (ClusterWorkspace* ws = workspace(clusterId)) openTab(ws, kBrokersKey);
}

void MainWindow::showTopics(const QString& clusterId) {
    if (ClusterWorkspace* ws = workspace(clusterId)) openTab(ws, kTopicsKey);
}

void MainWindow::showGroups(const QString& clusterId) {
    if (ClusterWorkspace* ws = workspace(clusterId)) openTab(ws, kGroupsKey);
}

PartitionsPanel* MainWindow::showPartitions(const QString& topic, const QString& clusterId) {
    ClusterWorkspace* ws = workspace(clusterId);
    if (!ws) return nullptr;
    openTab(ws, kPartitionsPrefix + topic);
    return partitionsPanel(topic, ws->id());
}

MessageBrowserPanel* MainWindow::showMessages(const QString& topic, const QString& clusterId) {
    ClusterWorkspace* ws = workspace(clusterId);
    if (!ws) return nullptr;
    openTab(ws, kMessagesPrefix + topic);
    return messagesPanel(topic, ws->id());
}

MessageBrowserPanel* MainWindow::messagesPanel(const QString& topic, const QString& clusterId) const {
    ClusterWorkspace* ws = workspace(clusterId);
    return ws ? qobject_cast<MessageBrowserPanel*>(findTab(ws->id(), kMessagesPrefix + topic)) : nullptr;
}

GroupPanel* MainWindow::showGroup(const QString& groupId, const QString& clusterId) {
    ClusterWorkspace* ws = workspace(clusterId);
    if (!ws) return nullptr;
    openTab(ws, kGroupPrefix + groupId);
    return groupPanel(groupId, ws->id());
}

BrokersPanel* MainWindow::brokersPanel(const QString& clusterId) const {
    ClusterWorkspace* ws = workspace(clusterId);
    return ws ? ws->brokersPanel.data() : nullptr;
}

TopicsPanel* MainWindow::topicsPanel(const QString& clusterId) const {
    ClusterWorkspace* ws = workspace(clusterId);
    return ws ? ws->topicsPanel.data() : nullptr;
}

GroupsPanel* MainWindow::groupsPanel(const QString& clusterId) const {
    ClusterWorkspace* ws = workspace(clusterId);
    return ws ? ws->groupsPanel.data() : nullptr;
}

PartitionsPanel* MainWindow::partitionsPanel(const QString& topic, const QString& clusterId) const {
    ClusterWorkspace* ws = workspace(clusterId);
    return ws ? qobject_cast<PartitionsPanel*>(findTab(ws->id(), kPartitionsPrefix + topic)) : nullptr;
}

GroupPanel* MainWindow::groupPanel(const QString& groupId, const QString& clusterId) const {
    ClusterWorkspace* ws = workspace(clusterId);
    return ws ? qobject_cast<GroupPanel*>(findTab(ws->id(), kGroupPrefix + groupId)) : nullptr;
}

void MainWindow::closeTab(int index) {
    QWidget* panel = m_tabs->widget(index);
    m_tabs->removeTab(index);
    if (!panel) return;
    savePanelSplitters(panel);
    // The app's own panels live on for their navigator entry; the others are rebuilt on demand.
    if (m_extraPanels.contains(tabId(panel))) {
        panel->hide();
        return;
    }
    // Later, not now: the close request may come from inside the panel's own event handling.
    panel->deleteLater();
}

QString MainWindow::stateText() const {
    return m_stateLabel->text();
}
QString MainWindow::healthText() const {
    return m_healthLabel->text();
}

void MainWindow::updateStatus() {
    ClusterWorkspace* ws = workspace(QString());
    if (!ws) {
        m_stateLabel->setText(tr("No cluster"));
        m_healthLabel->clear();
        return;
    }
    // With several clusters the status bar names the one it describes.
    const QString prefix = m_workspaces.size() > 1 ? ws->name() + QStringLiteral(": ") : QString();
    m_stateLabel->setText(prefix + ws->stateText());
    m_stateLabel->setToolTip(ws->stateToolTip());
    m_healthLabel->setText(ws->healthText());
    m_healthLabel->setToolTip(ws->healthToolTip());
}

void MainWindow::showQuickSwitcher() {
    // Built on demand from what the clusters' last snapshots hold, so it is never stale.
    using Kind = QuickSwitcher::Kind;
    QList<QuickSwitcher::Entry> entries;
    const bool several = m_workspaces.size() > 1;
    for (const ClusterWorkspace* ws : m_workspaces) {
        const QString in = several ? tr(" — %1").arg(ws->name()) : QString();
        const QString prefix = ws->id() + QLatin1Char('\t');
        entries.append({Kind::Cluster, ws->name(), icon(QStringLiteral("cluster")), prefix + kBrokersKey});
        entries.append({Kind::Panel, tr("Brokers") + in, icon(QStringLiteral("broker")), prefix + kBrokersKey});
        entries.append({Kind::Panel, tr("Topics") + in, icon(QStringLiteral("topic")), prefix + kTopicsKey});
        entries.append({Kind::Panel, tr("Consumer groups") + in, icon(QStringLiteral("group")), prefix + kGroupsKey});
        const auto snapshot = ws->session()->snapshot();
        if (!snapshot) continue;
        for (const auto& topic : snapshot->topics)
            entries.append(
                {Kind::Topic, topic.name + in, icon(QStringLiteral("topic")), prefix + kPartitionsPrefix + topic.name});
        for (const auto& group : snapshot->groups)
            entries.append({Kind::Group, group.groupId + in, icon(QStringLiteral("group")),
                            prefix + kGroupPrefix + group.groupId});
    }
    if (!m_switcher) {
        m_switcher = new QuickSwitcher(this);
        connect(m_switcher, &QuickSwitcher::activated, this, [this](QuickSwitcher::Kind, const QString& id) {
            if (ClusterWorkspace* ws = workspace(id.section(QLatin1Char('\t'), 0, 0)); ws && !ws->id().isEmpty())
                openTab(ws, id.section(QLatin1Char('\t'), 1));
        });
    }
    m_switcher->setEntries(entries);
    m_switcher->popupOver(this);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    restoreState(settings.value(kStateKey).toByteArray());
    const QByteArray splitter = settings.value(kSplitterKey).toByteArray();
    if (!splitter.isEmpty()) m_splitter->restoreState(splitter);
    m_savedTabs = settings.value(kTabsKey).toStringList();
    m_savedCurrentTab = settings.value(kCurrentTabKey).toString();
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kSplitterKey, m_splitter->saveState());
    QStringList tabs;
    for (int i = 0; i < m_tabs->count(); ++i) {
        tabs << tabId(m_tabs->widget(i));
        savePanelSplitters(m_tabs->widget(i));
    }
    // Tabs of clusters not connected this time are kept for when they are.
    for (const QString& saved : m_savedTabs)
        if (!workspace(saved.section(QLatin1Char('\t'), 0, 0)) && !tabs.contains(saved)) tabs << saved;
    settings.setValue(kTabsKey, tabs);
    settings.setValue(kCurrentTabKey, m_tabs->currentWidget() ? tabId(m_tabs->currentWidget()) : QString());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    event->accept();
}

}  // namespace partita::ui
