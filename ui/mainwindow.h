// MainWindow: the desktop app's window: a navigator with a branch per cluster, the tabbed work area
// (tabs restored on the next start), the status bar with the current cluster's state and health,
// the menus and the quick switcher.
#pragma once

#include "models/clustersession.h"
#include "models/metricseries.h"

#include <QHash>
#include <QIcon>
#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <vector>

class QAction;
class QLabel;
class QMenu;
class QSplitter;

class QTabWidget;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;

namespace partita::models {
class MonitoringHub;
}

namespace partita::ui {

class BrokersPanel;
class ClusterWorkspace;
class GroupPanel;
class GroupsPanel;
class MessageBrowserPanel;
class MetricChartView;
class PartitionsPanel;
class QuickSwitcher;
class TopicsPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    // A window on one cluster (id "default"), as the tests and `--bootstrap` use it.
    MainWindow(models::ClusterSession* session, const QString& clusterName, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Adds a cluster's branch to the navigator and reopens the tabs it had when the app last closed
    // (Brokers and Topics the first time). The session must outlive the window or removeCluster().
    void addCluster(const QString& id, const QString& name, models::ClusterSession* session);
    // Closes the cluster's tabs and removes its branch.
    void removeCluster(const QString& id);
    QStringList clusterIds() const;
    // An entry under a cluster for a panel of the app's own (the local cluster's processes); the
    // window owns the panel, closing its tab hides it. Reopened on start if it was open.
    void addClusterPanel(const QString& clusterId, const QString& key, const QString& title, QWidget* panel);
    void showClusterPanel(const QString& clusterId, const QString& key);
    // An app-wide panel (alerts across every cluster): an entry above the clusters' branches; the
    // window owns the panel, closing its tab hides it; reopened on start if it was open.
    void addAppPanel(const QString& key, const QString& title, QWidget* panel, const QIcon& icon = {});
    void showAppPanel(const QString& key);
    QWidget* appPanel(const QString& key) const;
    // Metric history and alert thresholds for the charts in group panels (none without it).
    void setMonitoring(models::MonitoringHub* monitoring);

    // The cluster of the current tab (else of the navigator's selection, else the first); empty when
    // there is none.
    QString currentClusterId() const;
    models::ClusterSession* session(const QString& clusterId = {}) const;

    QTabWidget* tabs() const { return m_tabs; }
    QTreeWidget* navigator() const { return m_navigator; }
    QMenu* clusterMenu() const { return m_clusterMenu; }
    QMenu* viewMenu() const { return m_viewMenu; }
    QAction* refreshAction() const { return m_refreshAction; }
    QAction* quitAction() const { return m_quitAction; }

    // The open panels of a cluster (empty id: the current cluster); nullptr when their tab is closed.
    BrokersPanel* brokersPanel(const QString& clusterId = {}) const;
    TopicsPanel* topicsPanel(const QString& clusterId = {}) const;
    PartitionsPanel* partitionsPanel(const QString& topic, const QString& clusterId = {}) const;
    MessageBrowserPanel* messagesPanel(const QString& topic, const QString& clusterId = {}) const;
    GroupsPanel* groupsPanel(const QString& clusterId = {}) const;
    GroupPanel* groupPanel(const QString& groupId, const QString& clusterId = {}) const;

    // What the status bar shows: "Connected", "Lost: <error>", and the health line.
    QString stateText() const;
    QString healthText() const;

public slots:
    // Each opens its tab (of the current cluster when no id is given), or switches to it.
    void showBrokers(const QString& clusterId = {});
    void showTopics(const QString& clusterId = {});
    PartitionsPanel* showPartitions(const QString& topic, const QString& clusterId = {});
    // The message browser of a topic (opened at its last 500 messages).
    MessageBrowserPanel* showMessages(const QString& topic, const QString& clusterId = {});
    void showGroups(const QString& clusterId = {});
    // nullptr when the session has no Admin (an invalid config).
    GroupPanel* showGroup(const QString& groupId, const QString& clusterId = {});
    // Ctrl+K: jump to any cluster, panel, topic or group by name.
    void showQuickSwitcher();

signals:
    // The user asked to add a cluster, or to edit or remove one (the app owns connections).
    void addClusterRequested();
    void editClusterRequested(const QString& clusterId);
    void removeClusterRequested(const QString& clusterId);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createNavigator();
    void restoreSettings();
    void saveSettings() const;
    ClusterWorkspace* workspace(const QString& clusterId) const;
    // Opens a tab by its saved key ("brokers", "partitions/<topic>", ...).
    void openTab(ClusterWorkspace* workspace, const QString& key);
    void activate(ClusterWorkspace* workspace, QWidget* panel, const QString& key, const QString& title);
    QWidget* findTab(const QString& clusterId, const QString& key) const;
    void closeTab(int index);
    void onNavigatorActivated(QTreeWidgetItem* item);
    void onNavigatorMenu(const QPoint& pos);
    void updateStatus();
    void updateTitles();
    void markLostTabs(ClusterWorkspace* workspace);
    // A sparkline of the metric's recent values per row in the view's trend column (hidden without
    // monitoring); the row's subject is `subjectPrefix` + the name column's text.
    // A chart of series from the metric history, against the alert thresholds, following new frames.
    MetricChartView* newHistoryChart(const std::vector<models::SeriesKey>& series);
    MetricChartView* newTopicChart(const QString& clusterId, const QString& topic);
    void showTopicsTrend(ClusterWorkspace* workspace);
    void showGroupsTrend(ClusterWorkspace* workspace);
    void showTrend(QTableView* view, int trendColumn, int nameColumn, const QString& clusterId, const QString& metric,
                   const QString& subjectPrefix);

    std::vector<ClusterWorkspace*> m_workspaces;
    // Panels of the app's own, by cluster id and key.
    QHash<QString, QPointer<QWidget>> m_extraPanels;
    QHash<QString, QString> m_extraTitles;
    int m_appItems = 0;
    QPointer<models::MonitoringHub> m_monitoring;  // app-wide navigator entries, at the top
    // Tabs saved at the last close ("<cluster>\t<key>"), reopened as their clusters are added.
    QStringList m_savedTabs;
    QString m_savedCurrentTab;
    QSplitter* m_splitter = nullptr;
    QTreeWidget* m_navigator = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_stateLabel = nullptr;
    QLabel* m_healthLabel = nullptr;
    QMenu* m_clusterMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_quitAction = nullptr;
    QuickSwitcher* m_switcher = nullptr;
};

}  // namespace partita::ui
