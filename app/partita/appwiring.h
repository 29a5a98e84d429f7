// AppWiring: the desktop app's objects and their lifetime: local cluster (or a given bootstrap),
// cluster session, main window, optional sample data, and a clean shutdown.
#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace partita::models {
class ClusterSession;
}
namespace partita::ui {
class MainWindow;
}

namespace partita::app {

class LocalCluster;
class SampleData;

class AppWiring : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString bootstrap;  // empty: the configured cluster, else the local cluster
        bool sampleData = false;
    };

    // Settings key of the configured cluster's bootstrap.servers (absent: use the local cluster).
    static constexpr const char* kBootstrapKey = "cluster/bootstrap.servers";

    explicit AppWiring(Options options, QObject* parent = nullptr);
    ~AppWiring() override;

    // Starts the local cluster or connects at once; returns at once (the window appears once a
    // cluster is reachable to connect to).
    void start();
    // Closes the window and stops the local cluster, then emits finished (what Ctrl+Q does).
    void quit();

signals:
    // Everything is shut down (window closed, local cluster stopped): the app may exit.
    void finished(int exitCode);

private:
    void startLocalCluster();
    void onLocalBrokerState();
    void connectTo(const QString& bootstrap, const QString& clusterName);
    void onSessionState();
    void startSampleData();
    void shutdown();
    void fail(const QString& message);

    Options m_options;
    LocalCluster* m_localCluster = nullptr;
    std::unique_ptr<models::ClusterSession> m_session;
    std::unique_ptr<ui::MainWindow> m_window;
    SampleData* m_sampleData = nullptr;
    bool m_sampleDataStarted = false;
    bool m_shuttingDown = false;
    int m_exitCode = 0;
};

}  // namespace partita::app
