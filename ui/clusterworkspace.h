// ClusterWorkspace: what the main window keeps per cluster: its session, the list models the panels
// share, its branch of the navigator, and the status texts of its connection and health.
#pragma once

#include "models/clustersession.h"

#include <QObject>
#include <QPointer>
#include <QString>

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
class GroupsPanel;
class TopicsPanel;

class ClusterWorkspace : public QObject {
    Q_OBJECT
public:
    // What a navigator item opens (its Qt::UserRole); the cluster id is in UserRole + 1.
    enum class NavTarget { Cluster, Brokers, Topics, Groups, Extra };
    static constexpr int kTargetRole = Qt::UserRole;
    static constexpr int kClusterRole = Qt::UserRole + 1;
    static constexpr int kExtraKeyRole = Qt::UserRole + 2;

    // Adds the cluster's branch to the navigator. The session must outlive the workspace.
    ClusterWorkspace(const QString& id, const QString& name, models::ClusterSession* session, QTreeWidget* navigator,
                     QObject* parent);
    // Removes the branch from the navigator.
    ~ClusterWorkspace() override;

    QString id() const { return m_id; }
    QString name() const { return m_name; }
    models::ClusterSession* session() const { return m_session; }
    models::BrokerModel* brokerModel() const { return m_brokerModel; }
    models::TopicModel* topicModel() const { return m_topicModel; }
    models::GroupModel* groupModel() const { return m_groupModel; }
    QTreeWidgetItem* rootItem() const { return m_root; }
    // An entry under the cluster for a panel of the app's own (e.g. the local cluster's processes).
    QTreeWidgetItem* addExtraItem(const QString& key, const QString& title);

    // "Connected", "Lost: <error>", ... and the health line ("Brokers: 3 · Under-replicated: 0 ...").
    QString stateText() const { return m_stateText; }
    QString stateToolTip() const { return m_stateToolTip; }
    QString healthText() const { return m_healthText; }
    QString healthToolTip() const { return m_healthToolTip; }
    bool isLost() const { return m_session->state() == models::ClusterSession::State::Lost; }

    // The shared panels while their tab is open.
    QPointer<BrokersPanel> brokersPanel;
    QPointer<TopicsPanel> topicsPanel;
    QPointer<GroupsPanel> groupsPanel;

signals:
    // The state or health texts changed.
    void statusChanged();

private:
    QTreeWidgetItem* addItem(QTreeWidgetItem* parent, NavTarget target, const QString& title);
    void onStateChanged(models::ClusterSession::State state, const QString& error);
    void onSnapshot(const models::ClusterSnapshot& snapshot);

    QString m_id;
    QString m_name;
    models::ClusterSession* m_session;
    models::BrokerModel* m_brokerModel;
    models::TopicModel* m_topicModel;
    models::GroupModel* m_groupModel;
    QTreeWidgetItem* m_root = nullptr;
    QTreeWidgetItem* m_brokersItem = nullptr;
    QTreeWidgetItem* m_topicsItem = nullptr;
    QTreeWidgetItem* m_groupsItem = nullptr;
    QString m_stateText;
    QString m_stateToolTip;
    QString m_healthText;
    QString m_healthToolTip;
};

}  // namespace partita::ui
