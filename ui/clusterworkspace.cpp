// ClusterWorkspace: feeds one cluster's shared models from its session and keeps its navigator
// branch and status texts current.
#include "ui/clusterworkspace.h"

#include "models/brokermodel.h"
#include "models/clustersnapshot.h"
#include "models/groupmodel.h"
#include "models/topicmodel.h"
#include "ui/icons.h"

#include <QTreeWidget>

namespace partita::ui {

using models::ClusterSession;

ClusterWorkspace::ClusterWorkspace(const QString& id, const QString& name, ClusterSession* session,
                                   QTreeWidget* navigator, QObject* parent)
    : QObject(parent),
      m_id(id),
      m_name(name),
      m_session(session),
      m_brokerModel(new models::BrokerModel(this)),
      m_topicModel(new models::TopicModel(this)),
      m_groupModel(new models::GroupModel(this)) {
    connect(session, &ClusterSession::snapshotReady, m_brokerModel, &models::BrokerModel::setSnapshot);
    connect(session, &ClusterSession::snapshotReady, m_topicModel, &models::TopicModel::setSnapshot);
    connect(session, &ClusterSession::snapshotReady, m_groupModel, &models::GroupModel::setSnapshot);
    // With the session's Admin the groups table also shows member counts.
    m_groupModel->setAdmin(session->admin());
    connect(session, &ClusterSession::snapshotReady, this, &ClusterWorkspace::onSnapshot);
    connect(session, &ClusterSession::stateChanged, this, &ClusterWorkspace::onStateChanged);

    m_root = new QTreeWidgetItem(navigator, {name});
    m_root->setData(0, kTargetRole, int(NavTarget::Cluster));
    m_root->setData(0, kClusterRole, id);
    m_root->setToolTip(0, name);
    m_brokersItem = addItem(m_root, NavTarget::Brokers, tr("Brokers"));
    m_brokersItem->setIcon(0, icon(QStringLiteral("broker")));
    m_topicsItem = addItem(m_root, NavTarget::Topics, tr("Topics"));
    m_topicsItem->setIcon(0, icon(QStringLiteral("topic")));
    m_groupsItem = addItem(m_root, NavTarget::Groups, tr("Consumer groups"));
    m_groupsItem->setIcon(0, icon(QStringLiteral("group")));
    m_root->setExpanded(true);

    // The session may have delivered before the workspace existed: start from what it has.
    if (auto snapshot = session->snapshot()) {
        m_brokerModel->setSnapshot(*snapshot);
        m_topicModel->setSnapshot(*snapshot);
        m_groupModel->setSnapshot(*snapshot);
        onSnapshot(*snapshot);
    } else {
        m_healthText = tr("No data yet");
    }
    onStateChanged(session->state(), session->lastError());
}

ClusterWorkspace::~ClusterWorkspace() {
    delete m_root;
}

QTreeWidgetItem* ClusterWorkspace::addItem(QTreeWidgetItem* parent, NavTarget target, const QString& title) {
    auto* item = new QTreeWidgetItem(parent, {title});
    item->setData(0, kTargetRole, int(target));
    item->setData(0, kClusterRole, m_id);
    return item;
}

QTreeWidgetItem* ClusterWorkspace::addExtraItem(const QString& key, const QString& title) {
    auto* item = addItem(m_root, NavTarget::Extra, title);
    item->setData(0, kExtraKeyRole, key);
    item->setIcon(0, icon(QStringLiteral("settings")));
    return item;
}

void ClusterWorkspace::onStateChanged(ClusterSession::State state, const QString& error) {
    switch (state) {
        case ClusterSession::State::Connecting:
            m_stateText = tr("Connecting…");
            break;
        case ClusterSession::State::Connected:
            m_stateText = tr("Connected");
            break;
        case ClusterSession::State::Lost:
            m_stateText = error.isEmpty() ? tr("Lost") : tr("Lost: %1").arg(error);
            break;
    }
    m_stateToolTip = error;
    // The navigator says which cluster is unreachable without opening it.
    m_root->setText(0, state == ClusterSession::State::Lost ? tr("%1 (lost)").arg(m_name) : m_name);
    m_root->setIcon(
        0, state == ClusterSession::State::Lost
               ? icon(QStringLiteral("error"))
               : icon(m_id == QLatin1String("local") ? QStringLiteral("local-cluster") : QStringLiteral("cluster")));
    emit statusChanged();
}

void ClusterWorkspace::onSnapshot(const models::ClusterSnapshot& snapshot) {
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
    m_healthText = text;
    m_healthToolTip = snapshot.warnings.join(QLatin1Char('\n'));
    m_brokersItem->setText(0, tr("Brokers (%1)").arg(snapshot.brokers.size()));
    m_topicsItem->setText(0, tr("Topics (%1)").arg(userTopics));
    m_groupsItem->setText(0, tr("Consumer groups (%1)").arg(snapshot.groups.size()));
    emit statusChanged();
}

}  // namespace partita::ui
