// LocalCluster: starting, watching and stopping the local cluster's partitad processes.
#include "localcluster.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include <sys/types.h>

namespace partita::app {

namespace {

// How far above the first port to look for a free one before giving up.
constexpr int kPortSearchRange = 100;
// The JMX exporter's usual port: the local brokers' /metrics start there.
constexpr int kFirstPrometheusPort = 7071;
// partitad prints this once it accepts connections (see app/partitad/main.cpp).
constexpr char kStartedMarker[] = "started;";

// How often detached brokers' logs and liveness are checked.
constexpr int kWatchIntervalMs = 250;
// How much of an adopted broker's log is read back for the log view.
constexpr qint64 kAdoptedLogTail = 64 * 1024;

// Whether `pid` is a live process (a zombie nobody reaped counts as gone).
bool processAlive(qint64 pid) {
    if (pid <= 0) return false;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH) return false;
#ifdef Q_OS_LINUX
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const qsizetype paren = text.lastIndexOf(')');
        if (paren >= 0 && paren + 2 < text.size() && text.at(paren + 2) == 'Z') return false;
    }
#endif
    return true;
}

// Whether `pid` runs partitad with this properties file, so a pid recycled by the system after
// the broker exited is never adopted (or signalled).
bool runsProperties(qint64 pid, const QString& properties) {
#ifdef Q_OS_LINUX
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly)) return false;
    return cmdline.readAll().split('\0').contains(properties.toUtf8());
#else
    Q_UNUSED(pid);
    Q_UNUSED(properties);
    return true;
#endif
}

bool portIsFree(int port) {
    // Binding the dual-stack wildcard fails when anything listens on that port on any local
    // address (127.0.0.1, ::1 or a wildcard), which is what a broker on "localhost" would collide with.
    QTcpServer probe;
    return probe.listen(QHostAddress::Any, quint16(port));
}

}  // namespace

LocalCluster::LocalCluster(QObject* parent)
    : QObject(parent), m_dataDir(defaultDataDir()), m_partitadPath(defaultPartitadPath()) {
    setBrokerCount(1);
}

LocalCluster::~LocalCluster() {
    stopAllAndWait();
}

QString LocalCluster::defaultDataDir() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/partita/local-cluster");
}

QString LocalCluster::defaultPartitadPath() {
    return QCoreApplication::applicationDirPath() + QStringLiteral("/partitad");
}

void LocalCluster::setDataDir(const QString& dir) {
    m_dataDir = dir;
}

void LocalCluster::setPartitadPath(const QString& path) {
    m_partitadPath = path;
}

void LocalCluster::setFirstPort(int port) {
    m_firstPort = port;
}

void LocalCluster::setBrokerCount(int count) {
    if (isRunning()) return;
    count = std::max(1, count);
    while (int(m_brokers.size()) > count) m_brokers.pop_back();
    while (int(m_brokers.size()) < count) {
        auto b = std::make_unique<Broker>();
        b->status.id = int(m_brokers.size()) + 1;
        m_brokers.push_back(std::move(b));
    }
}

QString LocalCluster::nodeDir(int id) const {
    return m_dataDir + QStringLiteral("/node-%1").arg(id);
}

LocalCluster::Broker* LocalCluster::broker(int id) {
    return id >= 1 && id <= int(m_brokers.size()) ? m_brokers[size_t(id - 1)].get() : nullptr;
}

const LocalCluster::Broker* LocalCluster::broker(int id) const {
    return id >= 1 && id <= int(m_brokers.size()) ? m_brokers[size_t(id - 1)].get() : nullptr;
}

bool LocalCluster::start() {
    bool ok = true;
    QString firstError;
    for (const auto& b : m_brokers) {
        if (!startBroker(b->status.id) && ok) {
            ok = false;
            firstError = m_lastError;
        }
    }
    if (!ok) m_lastError = firstError;
    return ok;
}

int LocalCluster::pickPort(int id) const {
    auto takenByOther = [&](int port) {
        for (const auto& b : m_brokers)
            if (b->status.id != id && b->status.port == port) return true;
        return false;
    };
    // Keep the port the broker had, so clients configured with it reconnect after a restart.
    const Broker* self = broker(id);
    if (self && self->status.port > 0 && !takenByOther(self->status.port) && portIsFree(self->status.port))
        return self->status.port;
    for (int port = m_firstPort; port < m_firstPort + kPortSearchRange && port <= 65535; ++port)
        if (!takenByOther(port) && portIsFree(port)) return port;
    return 0;
}

int LocalCluster::pickPrometheusPort(int id, int kafkaPort) const {
    auto taken = [&](int port) {
        if (port == kafkaPort) return true;
        for (const auto& b : m_brokers)
            if (b->status.id != id && (b->status.port == port || b->status.prometheusPort == port)) return true;
        return false;
    };
    const Broker* self = broker(id);
    if (self && self->status.prometheusPort > 0 && !taken(self->status.prometheusPort) &&
        portIsFree(self->status.prometheusPort))
        return self->status.prometheusPort;
    for (int port = kFirstPrometheusPort; port < kFirstPrometheusPort + kPortSearchRange; ++port)
        if (!taken(port) && portIsFree(port)) return port;
    return 0;
}

QString LocalCluster::prometheusUrl(int id) const {
    const Broker* b = broker(id);
    if (!b || b->status.prometheusPort <= 0) return {};
    return QStringLiteral("http://127.0.0.1:%1/metrics").arg(b->status.prometheusPort);
}

bool LocalCluster::writeProperties(const Broker& b, QString* error) const {
    const QString dir = nodeDir(b.status.id);
    if (!QDir().mkpath(dir + QStringLiteral("/data"))) {
        *error = tr("Cannot create the data directory %1").arg(dir);
        return false;
    }
    QFile file(dir + QStringLiteral("/server.properties"));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    const QString text = QStringLiteral(
                             "# Written by Partita for its local cluster; rewritten at every start.\n"
                             "node.id=%1\n"
                             "listeners=PLAINTEXT://localhost:%2\n"
                             "log.dirs=%3/data\n"
                             "num.partitions=3\n"
                             "group.initial.rebalance.delay.ms=0\n")
                             .arg(b.status.id)
                             .arg(b.status.port)
                             .arg(dir) +
                         (b.status.prometheusPort > 0
                              ? QStringLiteral("prometheus.listener=http://127.0.0.1:%1\n").arg(b.status.prometheusPort)
                              : QString());
    if (file.write(text.toUtf8()) < 0 || !file.flush()) {
        *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

bool LocalCluster::startBroker(int id) {
    Broker* b = broker(id);
    if (!b) {
        m_lastError = tr("There is no broker %1").arg(id);
        return false;
    }
    if (active(*b)) return true;  // starting, running or stopping already
    const QString before = bootstrapServers();
    if (adopt(*b)) {
        if (bootstrapServers() != before) emit bootstrapChanged(bootstrapServers());
        return true;
    }

    const int port = pickPort(id);
    if (port == 0) {
        m_lastError = tr("No free port between %1 and %2 for broker %3")
                          .arg(m_firstPort)
                          .arg(m_firstPort + kPortSearchRange - 1)
                          .arg(id);
        return false;
    }
    b->status.port = port;
    // No free port for /metrics is no reason not to start: the broker just serves none.
    b->status.prometheusPort = pickPrometheusPort(id, port);
    QString error;
    if (!writeProperties(*b, &error)) {
        m_lastError = error;
        return false;
    }
    if (bootstrapServers() != before) emit bootstrapChanged(bootstrapServers());

    b->restartWhenStopped = false;
    b->partialLine.clear();
    b->status.exitSummary.clear();
    b->status.exitCode = 0;
    b->status.crashedBySignal = false;
    if (m_keepRunningOnQuit) {
        if (!launchDetached(*b, &error)) {
            b->status.exitCode = -1;
            b->status.exitSummary = error;
            appendLog(*b, error);
            setState(*b, BrokerState::Crashed);
        }
        return true;
    }
    auto* process = new QProcess(this);
    b->process = process;
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setWorkingDirectory(nodeDir(id));
    connect(process, &QProcess::readyRead, this, [this, id] { readOutput(id); });
    connect(process, &QProcess::finished, this,
            [this, id](int code, QProcess::ExitStatus status) { onFinished(id, code, status); });
    connect(process, &QProcess::errorOccurred, this, [this, id](QProcess::ProcessError e) { onProcessError(id, e); });
    connect(process, &QProcess::started, this, [this, id, process] {
        if (Broker* started = broker(id)) started->status.pid = process->processId();
    });
    appendLog(*b, tr("Starting %1 on port %2").arg(m_partitadPath).arg(port));
    setState(*b, BrokerState::Starting);
    process->start(m_partitadPath, {propertiesFile(id)});
    return true;
}

void LocalCluster::stopBroker(int id) {
    Broker* b = broker(id);
    if (!b) return;
    b->restartWhenStopped = false;
    if (!active(*b) || b->status.state == BrokerState::Stopping) return;
    setState(*b, BrokerState::Stopping);
    if (b->process)
        b->process->terminate();
    else if (runsProperties(b->detachedPid, propertiesFile(id)))
        ::kill(pid_t(b->detachedPid), SIGTERM);
    if (!b->killTimer) {
        b->killTimer = new QTimer(this);
        b->killTimer->setSingleShot(true);
        connect(b->killTimer, &QTimer::timeout, this, [this, id] {
            Broker* late = broker(id);
            if (!late || !active(*late)) return;
            appendLog(*late, tr("Still running %1 s after SIGTERM: killing it").arg(kStopTimeoutMs / 1000));
            if (late->process)
                late->process->kill();
            else if (runsProperties(late->detachedPid, propertiesFile(id)))
                ::kill(pid_t(late->detachedPid), SIGKILL);
        });
    }
    b->killTimer->start(kStopTimeoutMs);
}

void LocalCluster::restartBroker(int id) {
    Broker* b = broker(id);
    if (!b) return;
    if (!active(*b)) {
        startBroker(id);
        return;
    }
    stopBroker(id);
    b->restartWhenStopped = true;
}

void LocalCluster::stop() {
    for (const auto& b : m_brokers) stopBroker(b->status.id);
}

bool LocalCluster::wipe() {
    if (isRunning()) {
        m_lastError = tr("Stop the local cluster before deleting its data");
        return false;
    }
    const QString dir = QDir(m_dataDir).absolutePath();
    // A mistyped setting must never delete a home or root directory.
    if (m_dataDir.isEmpty() || dir == QDir::rootPath() || dir == QDir::homePath()) {
        m_lastError = tr("Refusing to delete %1").arg(dir);
        return false;
    }
    if (QDir(dir).exists() && !QDir(dir).removeRecursively()) {
        m_lastError = tr("Could not delete all of %1").arg(dir);
        return false;
    }
    for (const auto& b : m_brokers) {
        b->log.clear();
        b->status.exitSummary.clear();
        if (b->status.state == BrokerState::Crashed) setState(*b, BrokerState::Stopped);
    }
    return true;
}

QString LocalCluster::bootstrapServers() const {
    QStringList servers;
    for (const auto& b : m_brokers)
        if (b->status.port > 0) servers << QStringLiteral("localhost:%1").arg(b->status.port);
    return servers.join(QLatin1Char(','));
}

bool LocalCluster::isRunning() const {
    for (const auto& b : m_brokers)
        if (active(*b)) return true;
    return false;
}

LocalCluster::BrokerState LocalCluster::brokerState(int id) const {
    const Broker* b = broker(id);
    return b ? b->status.state : BrokerState::Stopped;
}

LocalCluster::BrokerStatus LocalCluster::brokerStatus(int id) const {
    const Broker* b = broker(id);
    return b ? b->status : BrokerStatus{};
}

QStringList LocalCluster::brokerLog(int id) const {
    const Broker* b = broker(id);
    return b ? b->log : QStringList{};
}

void LocalCluster::setState(Broker& b, BrokerState state) {
    if (b.status.state == state) return;
    b.status.state = state;
    emit brokerStateChanged(b.status.id, state);
}

void LocalCluster::appendLog(Broker& b, const QString& line) {
    b.log << line;
    if (b.log.size() > kLogLines) b.log.remove(0, b.log.size() - kLogLines);
    emit brokerLogLine(b.status.id, line);
}

void LocalCluster::readOutput(int id) {
    Broker* b = broker(id);
    if (!b || !b->process) return;
    consumeOutput(*b, b->process->readAll());
}

void LocalCluster::consumeOutput(Broker& b, const QByteArray& bytes) {
    b.partialLine += bytes;
    qsizetype newline;
    while ((newline = b.partialLine.indexOf('\n')) >= 0) {
        QString line = QString::fromUtf8(b.partialLine.left(newline));
        b.partialLine.remove(0, newline + 1);
        if (line.endsWith(QLatin1Char('\r'))) line.chop(1);
        appendLog(b, line);
        if (b.status.state == BrokerState::Starting && line.contains(QLatin1String(kStartedMarker)))
            setState(b, BrokerState::Running);
    }
}

void LocalCluster::releaseProcess(Broker& b) {
    if (b.killTimer) b.killTimer->stop();
    if (b.process) {
        b.process->disconnect(this);
        b.process->deleteLater();
        b.process = nullptr;
    }
    b.status.pid = 0;
}

void LocalCluster::onFinished(int id, int exitCode, QProcess::ExitStatus status) {
    Broker* b = broker(id);
    if (!b || !b->process) return;
    readOutput(id);
    if (!b->partialLine.isEmpty()) {
        appendLog(*b, QString::fromUtf8(b->partialLine));
        b->partialLine.clear();
    }
    const bool expected = b->status.state == BrokerState::Stopping;
    const bool restart = b->restartWhenStopped;
    releaseProcess(*b);
    b->status.exitCode = exitCode;
    b->status.crashedBySignal = status == QProcess::CrashExit;
    // On Unix, QProcess reports the terminating signal as the exit code of a CrashExit.
    b->status.exitSummary =
        b->status.crashedBySignal ? tr("killed by signal %1").arg(exitCode) : tr("exited with code %1").arg(exitCode);
    appendLog(*b, tr("partitad %1").arg(b->status.exitSummary));
    setState(*b, expected ? BrokerState::Stopped : BrokerState::Crashed);
    if (expected && restart) startBroker(id);
}

void LocalCluster::onProcessError(int id, QProcess::ProcessError error) {
    // Other errors are followed by finished(); a process that never started is not.
    if (error != QProcess::FailedToStart) return;
    Broker* b = broker(id);
    if (!b || !b->process) return;
    const QString reason = b->process->errorString();
    releaseProcess(*b);
    b->status.exitCode = -1;
    b->status.crashedBySignal = false;
    b->status.exitSummary = tr("could not start %1: %2").arg(m_partitadPath, reason);
    appendLog(*b, b->status.exitSummary);
    setState(*b, BrokerState::Crashed);
}

void LocalCluster::stopAllAndWait() {
    for (const auto& b : m_brokers) {
        if (b->detachedPid > 0 && !m_keepRunningOnQuit) {
            const qint64 pid = b->detachedPid;
            if (!runsProperties(pid, propertiesFile(b->status.id))) continue;
            ::kill(pid_t(pid), SIGTERM);
            QDeadlineTimer deadline(kStopTimeoutMs);
            while (processAlive(pid) && !deadline.hasExpired()) QThread::msleep(50);
            if (processAlive(pid)) ::kill(pid_t(pid), SIGKILL);
            b->detachedPid = 0;
            savePids();
        }
        if (!b->process) continue;
        QProcess* process = b->process;
        process->disconnect(this);
        process->terminate();
        if (!process->waitForFinished(kStopTimeoutMs)) {
            process->kill();
            process->waitForFinished(5000);
        }
        delete process;
        b->process = nullptr;
    }
}

bool LocalCluster::launchDetached(Broker& b, QString* error) {
    const int id = b.status.id;
    QFile log(detachedLogFile(id));
    if (!log.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = tr("Cannot write %1: %2").arg(log.fileName(), log.errorString());
        return false;
    }
    log.close();
    QProcess launcher;
    launcher.setProgram(m_partitadPath);
    launcher.setArguments({propertiesFile(id)});
    launcher.setWorkingDirectory(nodeDir(id));
    launcher.setStandardOutputFile(log.fileName(), QIODevice::Append);
    launcher.setStandardErrorFile(log.fileName(), QIODevice::Append);
    qint64 pid = 0;
    if (!launcher.startDetached(&pid)) {
        *error = tr("could not start %1: %2").arg(m_partitadPath, launcher.errorString());
        return false;
    }
    b.detachedPid = pid;
    b.status.pid = pid;
    b.logOffset = 0;
    savePids();
    setState(b, BrokerState::Starting);
    watchDetached();
    return true;
}

bool LocalCluster::adopt(Broker& b) {
    QFile file(pidsFile());
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return false;
    QTextStream in(&file);
    while (!in.atEnd()) {
        const QStringList fields = in.readLine().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (fields.size() != 3 || fields[0].toInt() != b.status.id) continue;
        const qint64 pid = fields[1].toLongLong();
        if (!processAlive(pid) || !runsProperties(pid, propertiesFile(b.status.id))) return false;
        b.detachedPid = pid;
        b.status.pid = pid;
        b.status.port = fields[2].toInt();
        b.status.prometheusPort = 0;
        // Its /metrics port is the one its server.properties names.
        QFile properties(propertiesFile(b.status.id));
        if (properties.open(QIODevice::ReadOnly | QIODevice::Text)) {
            static const QRegularExpression listener(QStringLiteral("^prometheus\\.listener=http://[^:]*:(\\d+)\\s*$"),
                                                     QRegularExpression::MultilineOption);
            const auto match = listener.match(QString::fromUtf8(properties.readAll()));
            if (match.hasMatch()) b.status.prometheusPort = match.captured(1).toInt();
        }
        b.status.exitSummary.clear();
        b.partialLine.clear();
        // Only the end of what it logged so far: the log view shows recent lines anyway.
        b.logOffset = std::max<qint64>(0, QFileInfo(detachedLogFile(b.status.id)).size() - kAdoptedLogTail);
        appendLog(b, tr("Adopted partitad (pid %1) left running on port %2").arg(pid).arg(b.status.port));
        readDetachedLog(b);
        // It was running when this app quit; if it is still coming up, clients retry meanwhile.
        setState(b, BrokerState::Running);
        watchDetached();
        return true;
    }
    return false;
}

void LocalCluster::watchDetached() {
    if (!m_watchTimer) {
        m_watchTimer = new QTimer(this);
        m_watchTimer->setInterval(kWatchIntervalMs);
        connect(m_watchTimer, &QTimer::timeout, this, [this] {
            bool any = false;
            for (const auto& b : m_brokers) {
                if (b->detachedPid <= 0) continue;
                readDetachedLog(*b);
                if (processAlive(b->detachedPid))
                    any = true;
                else
                    detachedExited(*b);
            }
            if (!any) m_watchTimer->stop();
        });
    }
    if (!m_watchTimer->isActive()) m_watchTimer->start();
}

void LocalCluster::readDetachedLog(Broker& b) {
    QFile log(detachedLogFile(b.status.id));
    if (!log.open(QIODevice::ReadOnly)) return;
    if (log.size() < b.logOffset) b.logOffset = 0;  // truncated by a new start
    if (log.size() == b.logOffset || !log.seek(b.logOffset)) return;
    const QByteArray bytes = log.readAll();
    b.logOffset += bytes.size();
    consumeOutput(b, bytes);
}

void LocalCluster::detachedExited(Broker& b) {
    readDetachedLog(b);
    if (!b.partialLine.isEmpty()) {
        appendLog(b, QString::fromUtf8(b.partialLine));
        b.partialLine.clear();
    }
    const bool expected = b.status.state == BrokerState::Stopping;
    const bool restart = b.restartWhenStopped;
    if (b.killTimer) b.killTimer->stop();
    b.detachedPid = 0;
    b.status.pid = 0;
    b.status.exitCode = -1;
    b.status.crashedBySignal = false;
    b.status.exitSummary =
        expected ? tr("stopped") : tr("exited; its exit status is unknown since it was started detached");
    appendLog(b, tr("partitad %1").arg(b.status.exitSummary));
    savePids();
    setState(b, expected ? BrokerState::Stopped : BrokerState::Crashed);
    if (expected && restart) startBroker(b.status.id);
}

void LocalCluster::savePids() const {
    QString text;
    for (const auto& b : m_brokers)
        if (b->detachedPid > 0)
            text += QStringLiteral("%1 %2 %3\n").arg(b->status.id).arg(b->detachedPid).arg(b->status.port);
    if (text.isEmpty()) {
        QFile::remove(pidsFile());
        return;
    }
    QFile file(pidsFile());
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) file.write(text.toUtf8());
}

}  // namespace partita::app
