// LocalClusterController: translation between LocalCluster's states and the panel's rows.
#include "app/localcluster/localclustercontroller.h"

#include "app/localcluster/localcluster.h"
#include "ui/localclusterpanel.h"

#include <QSettings>

namespace partita::app {

using ui::LocalClusterPanel;

namespace {

LocalClusterPanel::State toPanelState(LocalCluster::BrokerState state) {
    switch (state) {
        case LocalCluster::BrokerState::Stopped:
            return LocalClusterPanel::State::Stopped;
        case LocalCluster::BrokerState::Starting:
            return LocalClusterPanel::State::Starting;
        case LocalCluster::BrokerState::Running:
            return LocalClusterPanel::State::Running;
        case LocalCluster::BrokerState::Stopping:
            return LocalClusterPanel::State::Stopping;
        case LocalCluster::BrokerState::Crashed:
            return LocalClusterPanel::State::Crashed;
    }
    return LocalClusterPanel::State::Stopped;
}

}  // namespace

void LocalClusterController::applySavedKeepRunning(LocalCluster* cluster) {
    cluster->setKeepRunningOnQuit(QSettings().value(kKeepRunningKey, false).toBool());
}

LocalClusterController::LocalClusterController(LocalCluster* cluster, LocalClusterPanel* panel, QObject* parent)
    : QObject(parent), m_cluster(cluster), m_panel(panel) {
    m_panel->setDataDir(cluster->dataDir());
    m_panel->setKeepRunning(cluster->keepRunningOnQuit());
    connect(cluster, &LocalCluster::brokerStateChanged, this, &LocalClusterController::updateBrokers);
    connect(cluster, &LocalCluster::bootstrapChanged, this, &LocalClusterController::updateBrokers);
    connect(cluster, &LocalCluster::brokerLogLine, panel, &LocalClusterPanel::appendLog);
    connect(panel, &LocalClusterPanel::selectedBrokerChanged, this, &LocalClusterController::showLogOf);
    connect(panel, &LocalClusterPanel::startRequested, this, [this] {
        if (!m_cluster->start()) m_panel->showError(m_cluster->lastError());
    });
    connect(panel, &LocalClusterPanel::stopRequested, cluster, &LocalCluster::stop);
    connect(panel, &LocalClusterPanel::restartRequested, cluster, &LocalCluster::restartBroker);
    connect(panel, &LocalClusterPanel::wipeRequested, this, &LocalClusterController::wipe);
    connect(panel, &LocalClusterPanel::sampleDataRequested, this, &LocalClusterController::sampleDataRequested);
    connect(panel, &LocalClusterPanel::keepRunningChanged, this, [this](bool keep) {
        m_cluster->setKeepRunningOnQuit(keep);
        QSettings().setValue(kKeepRunningKey, keep);
    });
    updateBrokers();
}

void LocalClusterController::updateBrokers() {
    QList<LocalClusterPanel::Broker> rows;
    for (int id = 1; id <= m_cluster->brokerCount(); ++id) {
        const LocalCluster::BrokerStatus status = m_cluster->brokerStatus(id);
        LocalClusterPanel::Broker row;
        row.id = id;
        row.state = toPanelState(status.state);
        row.address = status.port > 0 ? QStringLiteral("localhost:%1").arg(status.port) : QString();
        row.pid = status.pid;
        row.lastExit = status.exitSummary;
        rows << row;
    }
    m_panel->setBrokers(rows);
}

void LocalClusterController::showLogOf(int brokerId) {
    if (brokerId > 0) m_panel->setLog(brokerId, m_cluster->brokerLog(brokerId));
}

void LocalClusterController::wipe() {
    if (!m_cluster->wipe()) {
        m_panel->showError(m_cluster->lastError());
        return;
    }
    m_panel->setLog(m_panel->selectedBroker(), {});
    updateBrokers();
}

}  // namespace partita::app
