// PartitadProcess: a real partitad child process for tests, on a free port with its own data directory.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace partita::tests {

// Started the way a user starts it (a server.properties file plus --override flags) and stopped
// with SIGTERM, or killed with SIGKILL to rehearse a crash.
class PartitadProcess {
public:
    explicit PartitadProcess(QString dataDir);
    ~PartitadProcess();

    // Starts and waits until it listens. Extra "key=value" overrides go on the command line.
    bool start(const QStringList& overrides = {});
    // SIGTERM and wait for a clean exit; returns the exit code (-1 if it had to be killed).
    int stop();
    void kill();
    // The same data directory and port again (a restart).
    bool restart(const QStringList& overrides = {});

    int port() const { return m_port; }
    QString bootstrap() const { return QStringLiteral("localhost:%1").arg(m_port); }
    QString dataDir() const { return m_dataDir; }
    // Everything it logged so far.
    QString output();

private:
    QString m_dataDir;
    int m_port = 0;
    std::unique_ptr<QProcess> m_process;
    QString m_output;
};

// The partitad binary of this build tree.
QString partitadBinary();

}  // namespace partita::tests
