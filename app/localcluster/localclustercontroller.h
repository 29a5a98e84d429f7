// LocalClusterController: keeps the local cluster's panel in step with its processes and carries the
// panel's requests (start, stop, restart, wipe, keep running) to the LocalCluster.
#pragma once

#include <QObject>
#include <QString>

namespace partita::ui {
class LocalClusterPanel;
}

namespace partita::app {

class LocalCluster;

class LocalClusterController : public QObject {
    Q_OBJECT
public:
    // Settings key of the "keep running when Partita quits" choice.
    static constexpr const char* kKeepRunningKey = "localCluster/keepRunning";

    // Neither is owned; both must outlive the controller (the panel's parent is the window).
    LocalClusterController(LocalCluster* cluster, ui::LocalClusterPanel* panel, QObject* parent = nullptr);

    // Reads the saved "keep running" choice into the cluster (before it starts brokers).
    static void applySavedKeepRunning(LocalCluster* cluster);

signals:
    void sampleDataRequested();

private:
    void updateBrokers();
    void showLogOf(int brokerId);
    void wipe();

    LocalCluster* m_cluster;
    ui::LocalClusterPanel* m_panel;
};

}  // namespace partita::app
