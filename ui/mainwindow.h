// MainWindow: the desktop app's window: cluster navigator, tabbed work area, status bar with the
// session's state and the cluster's health, Refresh and Quit actions, saved geometry.
#pragma once

#include "models/clustersession.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

class QAction;
class QLabel;
class QSplitter;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace partita::models {
class BrokerModel;
class GroupModel;
class TopicModel;
struct ClusterSnapshot;
}  // namespace partita::models

namespace partita::ui {

class BrokersPanel;
class GroupPanel;
class GroupsPanel;
class PartitionsPanel;
class TopicsPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // The session must outlive the window. `clusterName` labels the cluster in the navigator
    // (e.g. "Local cluster" or the bootstrap address). Opens the Brokers and Topics tabs.
    MainWindow(models::ClusterSession* session, const QString& clusterName, QWidget* parent = nullptr);
    ~MainWindow() override;

    models::ClusterSession* session() const { return m_session; }
    QTabWidget* tabs() const { return m_tabs; }
    QTreeWidget* navigator() const { return m_navigator; }
    QAction* refreshAction() const { return m_refreshAction; }
    QAction* quitAction() const { return m_quitAction; }

    // The open panels (nullptr when their tab is closed).
    BrokersPanel* brokersPanel() const;
    TopicsPanel* topicsPanel() const;
    // The open partitions tab of a topic, or nullptr.
    PartitionsPanel* partitionsPanel(const QString& topic) const;
    GroupsPanel* groupsPanel() const;
    // The open tab of a consumer group, or nullptr.
    GroupPanel* groupPanel(const QString& groupId) const;

    // What the status bar shows: "Connected", "Lost: <error>", and the health line.
    QString stateText() const;
    QString healthText() const;

public slots:
    // Each opens its tab, or switches to it when it is open already.
    void showBrokers();
    void showTopics();
    PartitionsPanel* showPartitions(const QString& topic);
    void showGroups();
    // nullptr when the session has no Admin (an invalid config).
    GroupPanel* showGroup(const QString& groupId);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createNavigator();
    void restoreSettings();
    void saveSettings() const;
    void activate(QWidget* panel, const QString& title);
    void closeTab(int index);
    void onNavigatorActivated(QTreeWidgetItem* item);
    void onStateChanged(models::ClusterSession::State state, const QString& error);
    void onSnapshot(const models::ClusterSnapshot& snapshot);

    models::ClusterSession* m_session;
    QString m_clusterName;
    models::BrokerModel* m_brokerModel;
    models::TopicModel* m_topicModel;
    models::GroupModel* m_groupModel;
    QSplitter* m_splitter = nullptr;
    QTreeWidget* m_navigator = nullptr;
    QTreeWidgetItem* m_brokersItem = nullptr;
    QTreeWidgetItem* m_topicsItem = nullptr;
    QTreeWidgetItem* m_groupsItem = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_stateLabel = nullptr;
    QLabel* m_healthLabel = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_quitAction = nullptr;
    QPointer<BrokersPanel> m_brokersPanel;
    QPointer<TopicsPanel> m_topicsPanel;
    QPointer<GroupsPanel> m_groupsPanel;
};

}  // namespace partita::ui
