// LocalCluster: supervises the local cluster's partitad child processes (one per broker) for the app.
#pragma once

#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QTimer;

namespace partita::app {

// Each broker is a real `partitad node-<id>/server.properties` child process, so "stop broker 2"
// is a real process stop and a crash of one never takes another down. Data lives under
// dataDir()/node-<id>. Brokers listen on localhost from firstPort() on, skipping ports something
// else holds; a broker keeps its port across restarts while that port stays free, so the bootstrap
// address users copied keeps working.
//
// A broker that exits without being asked to is Crashed, and stays so: it is NOT restarted
// automatically (a broker that crashes at start would otherwise spin), the UI shows its exit
// status and last log lines and offers restartBroker().
//
// By default the processes are stopped (SIGTERM, then SIGKILL after 20 s) when the LocalCluster
// is destroyed. With keepRunningOnQuit set when a broker starts, it is launched detached instead:
// its output goes to node-<id>/partitad.log (tailed for the log view), its pid is recorded in
// dataDir()/pids, and it survives the app. A later LocalCluster on the same data dir adopts it in
// startBroker() (Running at once, same port) and can stop it. The exit status of a detached
// broker is not knowable (it is not our child): its crash reports only that it exited.
class LocalCluster : public QObject {
    Q_OBJECT
public:
    enum class BrokerState { Stopped, Starting, Running, Stopping, Crashed };
    Q_ENUM(BrokerState)

    // What the UI shows about one broker.
    struct BrokerStatus {
        int id = 0;
        BrokerState state = BrokerState::Stopped;
        int port = 0;            // 0 until first started
        int prometheusPort = 0;  // where partitad serves /metrics (prometheus.listener); 0: none
        qint64 pid = 0;          // 0 when not running
        QString exitSummary;     // why it stopped last, e.g. "killed by signal 9" (empty while running)
        int exitCode = 0;        // the exit code, or the signal number when crashedBySignal
        bool crashedBySignal = false;
    };

    // Log lines kept per broker (older ones are dropped).
    static constexpr int kLogLines = 500;
    // How long a broker may take to exit after SIGTERM before it is killed.
    static constexpr int kStopTimeoutMs = 20000;

    explicit LocalCluster(QObject* parent = nullptr);
    // Stops every broker (waits for them, at most kStopTimeoutMs each before killing).
    ~LocalCluster() override;

    // Settings; change them while every broker is stopped.
    static QString defaultDataDir();       // <GenericDataLocation>/partita/local-cluster
    static QString defaultPartitadPath();  // partitad next to the application binary
    void setDataDir(const QString& dir);
    QString dataDir() const { return m_dataDir; }
    void setPartitadPath(const QString& path);
    QString partitadPath() const { return m_partitadPath; }
    void setFirstPort(int port);
    int firstPort() const { return m_firstPort; }
    // Brokers get ids 1..count. Only 1 is useful until partitad nodes can form one cluster.
    void setBrokerCount(int count);
    int brokerCount() const { return int(m_brokers.size()); }
    // Takes effect for brokers started afterwards (a running child cannot be detached).
    void setKeepRunningOnQuit(bool keep) { m_keepRunningOnQuit = keep; }
    bool keepRunningOnQuit() const { return m_keepRunningOnQuit; }
    QString nodeDir(int id) const;

    // Starts every broker that is Stopped or Crashed (adopting one left running by an earlier
    // LocalCluster with keepRunningOnQuit). Returns false (see lastError()) when one
    // could not be set up (no free port, unwritable data dir); the others still start. Running is
    // reached asynchronously (brokerStateChanged).
    bool start();
    bool startBroker(int id);
    // SIGTERM; SIGKILL if it is still running after kStopTimeoutMs. Asynchronous.
    void stopBroker(int id);
    // Stops the broker if it runs, then starts it again with the same data (and port if still free).
    void restartBroker(int id);
    // Stops every broker. Asynchronous: each reports Stopped through brokerStateChanged.
    void stop();
    // Deletes the data directory. Refuses (false, lastError()) while any broker is not stopped or
    // crashed: stop() first.
    bool wipe();

    // "localhost:9092" (comma separated with several brokers); empty before the first start.
    QString bootstrapServers() const;
    // "http://127.0.0.1:7071/metrics": the broker's Prometheus endpoint (JMX exporter names); empty
    // before its first start or when no port was free for it.
    QString prometheusUrl(int id) const;
    bool isRunning() const;  // some broker is Starting, Running or Stopping
    BrokerState brokerState(int id) const;
    BrokerStatus brokerStatus(int id) const;
    // The broker's most recent log lines (its stdout and stderr), oldest first.
    QStringList brokerLog(int id) const;
    QString lastError() const { return m_lastError; }

signals:
    void brokerStateChanged(int id, partita::app::LocalCluster::BrokerState state);
    void brokerLogLine(int id, const QString& line);
    void bootstrapChanged(const QString& bootstrapServers);

private:
    struct Broker {
        BrokerStatus status;
        QProcess* process = nullptr;  // attached child
        qint64 detachedPid = 0;       // detached (keepRunningOnQuit) or adopted process
        qint64 logOffset = 0;         // how far partitad.log of a detached broker has been read
        QTimer* killTimer = nullptr;
        QStringList log;
        QByteArray partialLine;
        bool restartWhenStopped = false;
    };

    Broker* broker(int id);
    const Broker* broker(int id) const;
    int pickPort(int id) const;
    int pickPrometheusPort(int id, int kafkaPort) const;
    bool writeProperties(const Broker& b, QString* error) const;
    void setState(Broker& b, BrokerState state);
    void readOutput(int id);
    void consumeOutput(Broker& b, const QByteArray& bytes);
    void appendLog(Broker& b, const QString& line);
    void onFinished(int id, int exitCode, QProcess::ExitStatus status);
    void onProcessError(int id, QProcess::ProcessError error);
    void releaseProcess(Broker& b);
    void stopAllAndWait();
    bool active(const Broker& b) const { return b.process || b.detachedPid > 0; }
    bool launchDetached(Broker& b, QString* error);
    bool adopt(Broker& b);
    void watchDetached();
    void readDetachedLog(Broker& b);
    void detachedExited(Broker& b);
    void savePids() const;
    QString pidsFile() const { return m_dataDir + QStringLiteral("/pids"); }
    QString detachedLogFile(int id) const { return nodeDir(id) + QStringLiteral("/partitad.log"); }
    QString propertiesFile(int id) const { return nodeDir(id) + QStringLiteral("/server.properties"); }

    QString m_dataDir;
    QString m_partitadPath;
    int m_firstPort = 9092;
    bool m_keepRunningOnQuit = false;
    QTimer* m_watchTimer = nullptr;
    std::vector<std::unique_ptr<Broker>> m_brokers;
    QString m_lastError;
};

}  // namespace partita::app
