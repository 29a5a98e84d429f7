// MainWindow: wires the session to the shared broker and topic models, the navigator to the tabs,
// and the session's state and snapshots to the status bar.
#include "ui/mainwindow.h"

#include "models/brokermodel.h"
#include "models/clustersnapshot.h"
#include "models/groupmodel.h"
#include "models/topicmodel.h"
#include "ui/brokerspanel.h"
#include "ui/grouppanel.h"
#include "ui/groupspanel.h"
#include "ui/partitionspanel.h"
#include "ui/topicspanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeWidget>

namespace partita::ui {

using models::ClusterSession;

namespace {

// What a navigator item opens (stored in its UserRole).
enum class NavTarget { Cluster, Brokers, Topics, Groups };

const char* kGeometryKey = "mainWindow/geometry";
const char* kStateKey = "mainWindow/state";
const char* kSplitterKey = "mainWindow/splitter";

}  // namespace

MainWindow::MainWindow(ClusterSession* session, const QString& clusterName, QWidget* parent)
    : QMainWindow(parent),
      m_session(session),
      m_clusterName(clusterName),
      m_brokerModel(new models::BrokerModel(this)),
      m_topicModel(new models::TopicModel(this)),
      m_groupModel(new models::GroupModel(this)) {
    setWindowTitle(tr("Partita — %1").arg(clusterName));
    // saveState() identifies the window by name; without one it warns and saves nothing useful.
    setObjectName(QStringLiteral("PartitaMainWindow"));

    connect(session, &ClusterSession::snapshotReady, m_brokerModel, &models::BrokerModel::setSnapshot);
    connect(session, &ClusterSession::snapshotReady, m_topicModel, &models::TopicModel::setSnapshot);
    connect(session, &ClusterSession::snapshotReady, m_groupModel, &models::GroupModel::setSnapshot);
    // With the session's Admin the groups table also shows member counts.
    m_groupModel->setAdmin(session->admin());
    connect(session, &ClusterSession::snapshotReady, this, &MainWindow::onSnapshot);
    connect(session, &ClusterSession::stateChanged, this, &MainWindow::onStateChanged);

    m_tabs = new QTabWidget(this);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);

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

    // The session may have delivered before the window existed (the app creates the window once
    // connected): start from what it has.
    if (auto snapshot = session->snapshot()) {
        m_brokerModel->setSnapshot(*snapshot);
        m_topicModel->setSnapshot(*snapshot);
        m_groupModel->setSnapshot(*snapshot);
        onSnapshot(*snapshot);
    } else {
        m_healthLabel->setText(tr("No data yet"));
    }
    onStateChanged(session->state(), session->lastError());

    showBrokers();
    showTopics();
    resize(1200, 800);
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setStatusTip(tr("Refresh the cluster now"));
    connect(m_refreshAction, &QAction::triggered, m_session, &ClusterSession::refreshNow);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    // Closing the window (not QApplication::quit) so closeEvent saves the layout and the app can
    // stop the local cluster before it exits.
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    auto* clusterMenu = menuBar()->addMenu(tr("&Cluster"));
    clusterMenu->addAction(m_refreshAction);
    clusterMenu->addSeparator();
    clusterMenu->addAction(m_quitAction);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("&Brokers"), this, &MainWindow::showBrokers);
    viewMenu->addAction(tr("&Topics"), this, &MainWindow::showTopics);
    viewMenu->addAction(tr("&Consumer groups"), this, &MainWindow::showGroups);

    auto* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setMovable(false);
    toolbar->addAction(m_refreshAction);
}

void MainWindow::createNavigator() {
    m_navigator = new QTreeWidget(this);
    m_navigator->setHeaderHidden(true);
    m_navigator->setMinimumWidth(160);
    auto* cluster = new QTreeWidgetItem(m_navigator, {m_clusterName});
    cluster->setData(0, Qt::UserRole, int(NavTarget::Cluster));
    cluster->setToolTip(0, m_clusterName);
    m_brokersItem = new QTreeWidgetItem(cluster, {tr("Brokers")});
    m_brokersItem->setData(0, Qt::UserRole, int(NavTarget::Brokers));
    m_topicsItem = new QTreeWidgetItem(cluster, {tr("Topics")});
    m_topicsItem->setData(0, Qt::UserRole, int(NavTarget::Topics));
    m_groupsItem = new QTreeWidgetItem(cluster, {tr("Consumer groups")});
    m_groupsItem->setData(0, Qt::UserRole, int(NavTarget::Groups));
    m_navigator->expandAll();
    // A single click opens, as in a file manager's side bar; activated also covers Enter.
    connect(m_navigator, &QTreeWidget::itemClicked, this, &MainWindow::onNavigatorActivated);
    connect(m_navigator, &QTreeWidget::itemActivated, this, &MainWindow::onNavigatorActivated);
}

void MainWindow::onNavigatorActivated(QTreeWidgetItem* item) {
    if (!item) return;
    switch (NavTarget(item->data(0, Qt::UserRole).toInt())) {
        case NavTarget::Brokers:
            showBrokers();
            break;
        case NavTarget::Topics:
            showTopics();
            break;
        case NavTarget::Groups:
            showGroups();
            break;
        case NavTarget::Cluster:
            break;
    }
}

void MainWindow::activate(QWidget* panel, const QString& title) {
    int index = m_tabs->indexOf(panel);
    if (index < 0) index = m_tabs->addTab(panel, title);
    m_tabs->setCurrentIndex(index);
}

void MainWindow::showBrokers() {
    if (!m_brokersPanel) m_brokersPanel = new BrokersPanel(m_brokerModel, m_tabs);
    activate(m_brokersPanel, tr("Brokers"));
}

void MainWindow::showTopics() {
    if (!m_topicsPanel) {
        m_topicsPanel = new TopicsPanel(m_topicModel, m_tabs);
        connect(m_topicsPanel, &TopicsPanel::openPartitionsRequested, this, &MainWindow::showPartitions);
    }
    activate(m_topicsPanel, tr("Topics"));
}

BrokersPanel* MainWindow::brokersPanel() const {
    return m_brokersPanel;
}
TopicsPanel* MainWindow::topicsPanel() const {
    return m_topicsPanel;
}

PartitionsPanel* MainWindow::partitionsPanel(const QString& topic) const {
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto* panel = qobject_cast<PartitionsPanel*>(m_tabs->widget(i));
        if (panel && panel->topic() == topic) return panel;
    }
    return nullptr;
}

PartitionsPanel* MainWindow::showPartitions(const QString& topic) {
    PartitionsPanel* panel = partitionsPanel(topic);
    if (!panel) panel = new PartitionsPanel(m_session, topic, m_tabs);
    activate(panel, tr("Partitions: %1").arg(topic));
    return panel;
}

GroupsPanel* MainWindow::groupsPanel() const {
    return m_groupsPanel;
}

void MainWindow::showGroups() {
    if (!m_groupsPanel) {
        m_groupsPanel = new GroupsPanel(m_groupModel, m_tabs);
        connect(m_groupsPanel, &GroupsPanel::openGroupRequested, this, &MainWindow::showGroup);
    }
    activate(m_groupsPanel, tr("Consumer groups"));
}

GroupPanel* MainWindow::groupPanel(const QString& groupId) const {
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto* panel = qobject_cast<GroupPanel*>(m_tabs->widget(i));
        if (panel && panel->groupId() == groupId) return panel;
    }
    return nullptr;
}

GroupPanel* MainWindow::showGroup(const QString& groupId) {
    GroupPanel* panel = groupPanel(groupId);
    if (!panel) {
        if (!m_session->admin()) return nullptr;
        panel = new GroupPanel(m_session, groupId, m_tabs);
        // Deleting or resetting changes the group list: show it without waiting for the timer.
        connect(panel, &GroupPanel::groupDeleted, m_session, &ClusterSession::refreshNow);
        connect(panel, &GroupPanel::offsetsReset, m_session, &ClusterSession::refreshNow);
    }
    activate(panel, tr("Group: %1").arg(groupId));
    return panel;
}

void MainWindow::closeTab(int index) {
    QWidget* panel = m_tabs->widget(index);
    m_tabs->removeTab(index);
    // Later, not now: the close request may come from inside the panel's own event handling.
    if (panel) panel->deleteLater();
}

QString MainWindow::stateText() const {
    return m_stateLabel->text();
}
QString MainWindow::healthText() const {
    return m_healthLabel->text();
}

void MainWindow::onStateChanged(ClusterSession::State state, const QString& error) {
    QString text;
    switch (state) {
        case ClusterSession::State::Connecting:
            text = tr("Connecting…");
            break;
        case ClusterSession::State::Connected:
            text = tr("Connected");
            break;
        case ClusterSession::State::Lost:
            text = error.isEmpty() ? tr("Lost") : tr("Lost: %1").arg(error);
            break;
    }
    m_stateLabel->setText(text);
    m_stateLabel->setToolTip(error);
}

void MainWindow::onSnapshot(const models::ClusterSnapshot& snapshot) {
    int unreachable = 0;
    for (const auto& broker : snapshot.brokers)
        if (!broker.reachable) ++unreachable;
    int underReplicated = 0;
    int offline = 0;
    int userTopics = 0;
    for (const auto& topic : snapshot.topics) {
        if (!topic.internal) ++userTopics;
        underReplicated += topic.underReplicatedCount();
        offline += topic.offlineCount();
    }
    // Labelled counts rather than "%n broker(s)": they read right without a plural translation.
    QString text = tr("Brokers: %1").arg(snapshot.brokers.size());
    if (unreachable > 0) text += tr(" (%1 unreachable)").arg(unreachable);
    text += tr(" · Under-replicated: %1 · Offline: %2").arg(underReplicated).arg(offline);
    m_healthLabel->setText(text);
    m_brokersItem->setText(0, tr("Brokers (%1)").arg(snapshot.brokers.size()));
    m_topicsItem->setText(0, tr("Topics (%1)").arg(userTopics));
    m_groupsItem->setText(0, tr("Consumer groups (%1)").arg(snapshot.groups.size()));
    m_healthLabel->setToolTip(snapshot.warnings.join(QLatin1Char('\n')));
}

void MainWindow::restoreSettings() {
    QSettings settings;
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    restoreState(settings.value(kStateKey).toByteArray());
    const QByteArray splitter = settings.value(kSplitterKey).toByteArray();
    if (!splitter.isEmpty()) m_splitter->restoreState(splitter);
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kSplitterKey, m_splitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    event->accept();
}

}  // namespace partita::ui
