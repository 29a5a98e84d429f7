// The mock cluster process and config helpers of the client tests.
#include "clienttestutil.h"

#include <QDeadlineTimer>

namespace partita::tests {

MockCluster::~MockCluster() {
    stop();
}

bool MockCluster::start(int brokers, const QStringList& topics) {
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList arguments{QString::number(brokers)};
    arguments += topics;
    m_process->start(QStringLiteral(PARTITA_BINARY_DIR "/rdkafka-mock-cluster"), arguments);
    if (!m_process->waitForStarted(10000)) return false;
    QDeadlineTimer deadline(10000);
    while (!m_process->canReadLine() && !deadline.hasExpired()) m_process->waitForReadyRead(100);
    m_bootstrap = QString::fromUtf8(m_process->readLine()).trimmed();
    return !m_bootstrap.isEmpty();
}

bool MockCluster::command(const QString& line) {
    if (!m_process) return false;
    m_process->write((line + "\n").toUtf8());
    QDeadlineTimer deadline(10000);
    while (!m_process->canReadLine() && !deadline.hasExpired()) m_process->waitForReadyRead(100);
    return QString::fromUtf8(m_process->readLine()).trimmed() == "ok";
}

void MockCluster::stop() {
    if (!m_process || m_process->state() == QProcess::NotRunning) return;
    m_process->closeWriteChannel();
    if (!m_process->waitForFinished(10000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

client::ClientConfig clientConfig(const QString& bootstrap, std::map<std::string, std::string> extra) {
    extra["bootstrap.servers"] = bootstrap.toStdString();
    auto config = client::ClientConfig::fromProperties(extra);
    if (!config.ok()) qFatal("bad test client config: %s", config.error().message.c_str());
    return config.value();
}

Status waitForStatus(const std::function<void(std::function<void(Status)>)>& start, std::chrono::milliseconds timeout) {
    auto promise = std::make_shared<std::promise<Status>>();
    auto future = promise->get_future();
    auto once = std::make_shared<std::once_flag>();
    start([promise, once](Status status) { std::call_once(*once, [&] { promise->set_value(std::move(status)); }); });
    if (future.wait_for(timeout) != std::future_status::ready)
        return Error{ErrorKind::Timeout, "the test gave up waiting for the callback"};
    return future.get();
}

}  // namespace partita::tests
