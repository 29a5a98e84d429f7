// AppWiring: the desktop app's objects and their lifetime: the main window (shown at once), a
// session per cluster (the local cluster and the saved connections, or a given bootstrap), the local
// cluster's processes and their panel, sample data, and a clean shutdown.
#pragma once

#include "engine/client/clientconfig.h"
#include "engine/protocol/result.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <map>
#include <memory>

namespace partita::models {
class ClusterSession;
class MonitoringHub;
}  // namespace partita::models
namespace partita::ui {
class MainWindow;
class LocalClusterPanel;
class AlertDashboardPanel;
class AlertTray;
class MetricsPanel;
}  // namespace partita::ui

namespace partita::app {

class LocalCluster;
class LocalClusterController;
class SampleData;
class SavedClusters;

class AppWiring : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString bootstrap;  // empty: the saved clusters, else the local cluster
        bool sampleData = false;
        bool exitWhenReady = false;  // quit once the first cluster's data is shown (startup benchmark)
        QString screenshot;          // save the window here once the data (and sample data) is shown, then quit
    };

    // The local cluster's id in the window and in saved tabs.
    static constexpr const char* kLocalClusterId = "local";
    // Whether the local cluster ran when the app last quit (it is started again then).
    static constexpr const char* kLocalWasRunningKey = "localCluster/wasRunning";

    explicit AppWiring(Options options, QObject* parent = nullptr);
    ~AppWiring() override;

    // Shows the window and starts connecting; returns at once.
    void start();
    // Closes the window and stops the local cluster (unless it is to keep running), then emits
    // finished (what Ctrl+Q does).
    void quit();

signals:
    // Everything is shut down (window closed, local cluster stopped): the app may exit.
    void finished(int exitCode);

private:
    void startLocalCluster();
    void onLocalBrokerState();
    void onLocalBootstrapChanged();
    // The Processes panel under the local cluster, and its controller.
    void addLocalPanel();
    // Adds a cluster to the window with a new session on `config` (an invalid one stays Lost with
    // the reason); `bootstrap` makes a plain-text config.
    void addCluster(const QString& id, const QString& name, Result<client::ClientConfig> config);
    void addCluster(const QString& id, const QString& name, const QString& bootstrap);
    void removeCluster(const QString& id);
    // Metric collection and alerts for every cluster, the alert dashboard and the tray.
    void startMonitoring();
    QStringList prometheusEndpoints(const QString& clusterId) const;
    void openAlertSubject(const QString& clusterId, const QString& subject);
    // The cluster's Metrics entry: charts of its history against the alert thresholds.
    void addMetricsPanel(const QString& clusterId);
    void watchFirstSnapshot(models::ClusterSession* session);
    void startSampleData();
    void takeScreenshotAndQuit();
    void shutdown();
    void finishWhenStopped();

    Options m_options;
    std::unique_ptr<ui::MainWindow> m_window;
    std::map<QString, std::unique_ptr<models::ClusterSession>> m_sessions;
    LocalCluster* m_localCluster = nullptr;
    ui::LocalClusterPanel* m_localPanel = nullptr;  // owned by the window
    LocalClusterController* m_localController = nullptr;
    models::MonitoringHub* m_monitoring = nullptr;
    ui::AlertTray* m_tray = nullptr;
    ui::AlertDashboardPanel* m_alertsPanel = nullptr;               // owned by the window
    std::map<QString, QPointer<ui::MetricsPanel>> m_metricsPanels;  // owned by the window
    SavedClusters* m_savedClusters = nullptr;
    SampleData* m_sampleData = nullptr;
    bool m_sampleDataStarted = false;
    bool m_sampleDataDone = false;
    bool m_screenshotTaken = false;
    bool m_ready = false;
    bool m_shuttingDown = false;
    int m_exitCode = 0;
};

}  // namespace partita::app
