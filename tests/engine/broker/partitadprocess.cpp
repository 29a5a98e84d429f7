// Starting, stopping and killing partitad for tests.
#include "partitadprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QThread>

#include <csignal>

namespace partita::tests {

namespace {
int freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
}  // namespace

QString partitadBinary() {
    return QStringLiteral(PARTITA_BINARY_DIR "/partitad");
}

PartitadProcess::PartitadProcess(QString dataDir) : m_dataDir(std::move(dataDir)) {}

PartitadProcess::~PartitadProcess() {
    if (m_process && m_process->state() != QProcess::NotRunning) kill();
}

bool PartitadProcess::start(const QStringList& overrides) {
    if (m_port == 0) m_port = freePort();
    QDir().mkpath(m_dataDir);
    QString properties = m_dataDir + "/server.properties";
    QFile file(properties);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    file.write(QStringLiteral("node.id=1\nlisteners=PLAINTEXT://localhost:%1\nlog.dirs=%2/data\n")
                   .arg(m_port)
                   .arg(m_dataDir)
                   .toUtf8());
    file.close();
    QStringList arguments{properties};
    for (const QString& o : overrides) arguments << "--override" << o;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(partitadBinary(), arguments);
    if (!m_process->waitForStarted(10000)) return false;
    QDeadlineTimer deadline(20000);
    qsizetype thisRun = m_output.size();  // an earlier run's "started" line does not count
    while (!deadline.hasExpired()) {
        m_process->waitForReadyRead(100);
        m_output += QString::fromUtf8(m_process->readAll());
        if (m_output.indexOf("started;", thisRun) >= 0) return true;
        if (m_process->state() == QProcess::NotRunning) return false;
    }
    return false;
}

int PartitadProcess::stop() {
    if (!m_process || m_process->state() == QProcess::NotRunning) return m_process ? m_process->exitCode() : -1;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    if (!m_process->waitForFinished(20000)) {
        kill();
        return -1;
    }
    m_output += QString::fromUtf8(m_process->readAll());
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void PartitadProcess::kill() {
    if (!m_process) return;
    m_process->kill();
    m_process->waitForFinished(10000);
    m_output += QString::fromUtf8(m_process->readAll());
}

bool PartitadProcess::restart(const QStringList& overrides) {
    stop();
    return start(overrides);
}

QString PartitadProcess::output() {
    if (m_process) m_output += QString::fromUtf8(m_process->readAll());
    return m_output;
}

}  // namespace partita::tests
