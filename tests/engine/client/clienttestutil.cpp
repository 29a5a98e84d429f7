// The mock cluster process, peer tools, Admin fixture and config helpers of the client tests.
#include "clienttestutil.h"

#include "engine/client/producer.h"

#include <QDeadlineTimer>
#include <QStandardPaths>

namespace partita::client {
char* toString(const TopicPartition& tp) {
    return qstrdup(formatPartition(tp).c_str());
}
}  // namespace partita::client

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

ToolRun runTool(const QString& program, const QStringList& arguments, const QByteArray& input) {
    QProcess p;
    p.start(program, arguments);
    ToolRun run;
    if (!p.waitForStarted(10000)) return run;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished(5000);
        return run;
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

ToolRun runKcat(const QStringList& arguments, const QByteArray& input) {
    return runTool(QStandardPaths::findExecutable("kcat"), arguments, input);
}

ToolRun runPython(const QString& script, const QStringList& arguments) {
    return runTool("/usr/bin/python3", QStringList{"-c", script} + arguments);
}

bool kcatProduce(const QString& bootstrap, const QString& topic, int partition, const QStringList& lines,
                 const QStringList& extra) {
    const ToolRun run =
        runKcat(QStringList{"-P", "-b", bootstrap, "-t", topic, "-p", QString::number(partition)} + extra,
                (lines.join('\n') + '\n').toUtf8());
    if (run.exitCode != 0) qWarning("kcat failed: %s", qPrintable(run.err));
    return run.exitCode == 0;
}

bool kcatProduceNumbered(const QString& bootstrap, const QString& topic, int partition, int count) {
    QStringList lines;
    for (int i = 0; i < count; ++i) lines << QStringLiteral("record-%1").arg(i);
    return kcatProduce(bootstrap, topic, partition, lines);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

QString describe(const std::vector<Error>& errors) {
    QStringList out;
    for (const auto& e : errors) out << QString::fromStdString(e.message);
    return out.join("; ");
}

bool pollGroupOnce(client::GroupConsumer& consumer, std::vector<Error>& errors,
                   const std::function<void(int32_t partition, const client::FetchedRecord&)>& onRecord) {
    auto result = waitFor<client::FetchResult>([&](auto done) { consumer.poll(std::move(done)); });
    if (!result.ok()) {
        errors.push_back(result.error());
        return false;
    }
    for (const client::PartitionFetch& p : result->partitions) {
        if (p.error) errors.push_back(*p.error);
        for (const client::FetchedRecord& r : p.records) onRecord(p.partition.partition, r);
    }
    return true;
}

AdminFixture::~AdminFixture() {
    stopCluster();
}

bool AdminFixture::startPartitad(const QStringList& overrides) {
    if (!m_dir.isValid()) return false;
    m_broker = std::make_unique<PartitadProcess>(m_dir.path());
    return m_broker->start(overrides) && connectTo(m_broker->bootstrap());
}

bool AdminFixture::connectTo(const QString& bootstrap) {
    auto client = client::KafkaClient::create(clientConfig(bootstrap));
    if (!client.ok()) return false;
    m_client = client.value();
    m_admin = std::make_unique<client::Admin>(m_client);
    return true;
}

bool AdminFixture::createTopics(std::vector<client::NewTopic> topics) {
    auto created = waitFor<std::vector<client::CreatedTopic>>(
        [&](auto done) { m_admin->createTopics(std::move(topics), {}, std::move(done)); });
    if (!created.ok()) qWarning("createTopics failed: %s", created.error().message.c_str());
    return created.ok() && client::firstFailure(*created).ok();
}

void AdminFixture::stopCluster() {
    m_admin.reset();
    m_client.reset();
    if (m_broker) m_broker->stop();
    m_broker.reset();
}

QString createTopic(client::Admin admin, const std::string& name, int partitions,
                    std::map<std::string, std::string> configs) {
    client::NewTopic topic;
    topic.name = name;
    topic.numPartitions = partitions;
    topic.replicationFactor = 1;
    topic.configs = std::move(configs);
    auto created = waitFor<std::vector<client::CreatedTopic>>(
        [&](auto done) { admin.createTopics({topic}, {}, std::move(done)); });
    if (!created.ok()) return QString::fromStdString(created.error().message);
    const Status first = client::firstFailure(created.value());
    return first.ok() ? QString() : QString::fromStdString(first.error().message);
}

QString produceValues(std::shared_ptr<client::KafkaClient> client, const std::string& topic, int count,
                      int partitions) {
    auto producer = client::Producer::create(std::move(client));
    if (!producer.ok()) return QString::fromStdString(producer.error().message);
    for (int i = 0; i < count; ++i) {
        client::ProducerRecord record;
        record.topic = topic;
        record.partition = i % partitions;
        record.value = "v" + std::to_string(i);
        if (auto queued = producer.value()->produce(record); !queued.ok())
            return QString::fromStdString(queued.error().message);
    }
    const Status flushed = waitForStatus([&](auto done) { producer.value()->flush(std::move(done)); });
    return flushed.ok() ? QString() : QString::fromStdString(flushed.error().message);
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
