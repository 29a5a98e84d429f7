// partitad's /metrics (prometheus.listener) scraped with prometheus_client after kcat produced and consumed.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace tests = partita::tests;
using partita::tests::PartitadProcess;

namespace {

struct Scrape {
    QString error;
    QString contentType;
    QSet<QString> names;  // sample names and family names
    QJsonArray samples;

    // The value of the first sample of that name carrying these labels (every other label ignored).
    std::optional<double> value(const QString& name, const QMap<QString, QString>& labels = {}) const {
        for (const auto& entry : samples) {
            auto sample = entry.toObject();
            if (sample["name"].toString() != name) continue;
            auto have = sample["labels"].toObject();
            bool match = true;
            for (auto it = labels.begin(); it != labels.end(); ++it)
                match = match && have[it.key()].toString() == it.value();
            // Without labels asked for, the series without labels (the all-topics total).
            if (labels.isEmpty() && !have.isEmpty() && !have.contains("quantile")) match = false;
            if (match) return sample["value"].toDouble();
        }
        return std::nullopt;
    }
};

// GET and parse with the reference parser (prometheus_client), as a Prometheus server would read it.
Scrape scrape(const QString& url) {
    QProcess python;
    python.setWorkingDirectory(QDir::tempPath());
    python.start("/usr/bin/python3", {"-I", QString(PARTITA_TEST_DIR) + "/scrape_metrics.py", url});
    python.waitForStarted();
    python.closeWriteChannel();
    if (!python.waitForFinished(60000)) python.kill();
    Scrape out;
    if (python.exitCode() != 0) {
        out.error = QString::fromUtf8(python.readAllStandardError());
        return out;
    }
    auto doc = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    out.contentType = doc["contentType"].toString();
    out.samples = doc["samples"].toArray();
    for (const auto& family : doc["families"].toArray()) out.names << family.toObject()["name"].toString();
    for (const auto& sample : out.samples) out.names << sample.toObject()["name"].toString();
    return out;
}

int freePort() {
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

// Sends raw bytes and returns whatever comes back before the server closes or goes quiet.
QByteArray rawExchange(int port, const QByteArray& bytes) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    if (!socket.waitForConnected(5000)) return "no connection";
    socket.write(bytes);
    socket.waitForBytesWritten(5000);
    QByteArray answer;
    while (socket.waitForReadyRead(3000)) answer += socket.readAll();
    return answer;
}

}  // namespace

class TestPartitadMetrics : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is missing: run `make deps`");
        QVERIFY(m_dir.isValid());
        m_metricsPort = freePort();
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY2(m_broker->start({QString("prometheus.listener=http://127.0.0.1:%1").arg(m_metricsPort)}),
                 qPrintable(m_broker->output()));
        m_url = QString("http://127.0.0.1:%1/metrics").arg(m_metricsPort);
    }

    void cleanupTestCase() {
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    void servesTheJmxExporterNames() {
        Scrape before = scrape(m_url);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
        QVERIFY2(before.contentType.startsWith("text/plain"), qPrintable(before.contentType));
        const double bytesBefore = before.value("kafka_server_brokertopicmetrics_bytesin_total").value_or(-1);
        const double messagesBefore = before.value("kafka_server_brokertopicmetrics_messagesin_total").value_or(-1);
        QCOMPARE(messagesBefore, 0.0);

        QByteArray lines;
        for (int i = 0; i < 50; ++i) lines += "message-" + QByteArray::number(i) + "\n";
        QCOMPARE(tests::runKcat({"-b", m_broker->bootstrap(), "-P", "-t", "metered"}, lines).exitCode, 0);
        auto consumed = tests::runKcat({"-b", m_broker->bootstrap(), "-C", "-t", "metered", "-o", "beginning", "-e"});
        QCOMPARE(consumed.exitCode, 0);
        QCOMPARE(consumed.out.count('\n'), 50);

        Scrape after = scrape(m_url);
        QVERIFY2(after.error.isEmpty(), qPrintable(after.error));
        const QStringList expected{
            "kafka_server_replicamanager_underreplicatedpartitions",
            "kafka_server_replicamanager_partitioncount",
            "kafka_server_replicamanager_leadercount",
            "kafka_server_replicamanager_underminisrpartitioncount",
            "kafka_controller_kafkacontroller_activecontrollercount",
            "kafka_controller_kafkacontroller_offlinepartitionscount",
            "kafka_cluster_partition_underminisr",
            "kafka_server_brokertopicmetrics_bytesin_total",
            "kafka_server_brokertopicmetrics_bytesout_total",
            "kafka_server_brokertopicmetrics_messagesin_total",
            "kafka_server_brokertopicmetrics_failedproducerequests_total",
            "kafka_server_brokertopicmetrics_failedfetchrequests_total",
            "kafka_server_brokertopicmetrics_totalproducerequests_total",
            "kafka_server_brokertopicmetrics_totalfetchrequests_total",
            "kafka_network_requestmetrics_requests_total",
            "kafka_network_requestmetrics_totaltimems",
            "kafka_network_requestmetrics_totaltimems_count",
            "kafka_network_requestmetrics_requestqueuetimems",
            "kafka_network_requestchannel_requestqueuesize",
            "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent",
            "kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent",
            "kafka_network_socketserver_networkprocessoravgidle_percent",
            "kafka_network_socketserver_networkprocessoravgidlepercent",
            "kafka_server_produce_throttle_time",
            "kafka_server_fetch_throttle_time",
            "kafka_log_log_size",
            "kafka_server_socket_server_metrics_connection_count",
        };
        for (const QString& name : expected) QVERIFY2(after.names.contains(name), qPrintable(name));

        QCOMPARE(after.value("kafka_server_brokertopicmetrics_messagesin_total").value_or(-1), 50.0);
        QCOMPARE(after.value("kafka_server_brokertopicmetrics_messagesin_total", {{"topic", "metered"}}).value_or(-1),
                 50.0);
        QVERIFY(after.value("kafka_server_brokertopicmetrics_bytesin_total").value_or(-1) > bytesBefore + 50 * 9);
        // The consumer read every record once (sent from the page cache with sendfile): at least what came in.
        QVERIFY(after.value("kafka_server_brokertopicmetrics_bytesout_total", {{"topic", "metered"}}).value_or(-1) >=
                after.value("kafka_server_brokertopicmetrics_bytesin_total", {{"topic", "metered"}}).value_or(0));
        QCOMPARE(after.value("kafka_controller_kafkacontroller_activecontrollercount").value_or(-1), 1.0);
        QCOMPARE(after.value("kafka_server_replicamanager_underreplicatedpartitions").value_or(-1), 0.0);
        QVERIFY(after.value("kafka_server_replicamanager_partitioncount").value_or(0) >= 1);
        QVERIFY(after.value("kafka_log_log_size", {{"topic", "metered"}, {"partition", "0"}}).value_or(0) > 0);
        QVERIFY(after.value("kafka_network_requestmetrics_requests_total", {{"request", "Produce"}}).value_or(0) >= 1);
        QVERIFY(after.value("kafka_network_requestmetrics_totaltimems_count", {{"request", "Fetch"}}).value_or(0) >= 1);
        QVERIFY(after.value("kafka_network_requestmetrics_totaltimems", {{"request", "Produce"}, {"quantile", "0.99"}})
                    .has_value());
        const double idle = after.value("kafka_network_socketserver_networkprocessoravgidle_percent").value_or(-1);
        QVERIFY2(idle >= 0 && idle <= 1, qPrintable(QString::number(idle)));
    }

    void httpErrorsAndGarbageDoNotHurtIt() {
        QVERIFY(rawExchange(m_metricsPort, "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .startsWith("HTTP/1.1 404"));
        QByteArray post = rawExchange(m_metricsPort,
                                      "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                      "Connection: close\r\n\r\n");
        QVERIFY2(post.startsWith("HTTP/1.1 405") && post.contains("Allow: GET, HEAD"), post.constData());
        QVERIFY(rawExchange(m_metricsPort, QByteArray("\x00\x01\x02garbage\r\n\r\n", 14)).startsWith("HTTP/1.1 400"));
        QVERIFY(rawExchange(m_metricsPort, "GET /metrics HTTP/1.1\r\nX: " + QByteArray(100000, 'a') + "\r\n\r\n")
                    .startsWith("HTTP/1.1 431"));
        QVERIFY(rawExchange(m_metricsPort, "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc")
                    .startsWith("HTTP/1.1 413"));
        // Two requests on one connection (keep-alive), both answered.
        QByteArray twice = rawExchange(m_metricsPort,
                                       "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                                       "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QCOMPARE(twice.count("HTTP/1.1 200"), 2);
        // Kafka bytes on the metrics port and HTTP on the Kafka port: both survive.
        rawExchange(m_metricsPort, QByteArray("\x00\x00\x00\x10\x00\x12\x00\x03", 8));
        rawExchange(m_broker->port(), "GET /metrics HTTP/1.1\r\n\r\n");
        Scrape still = scrape(m_url);
        QVERIFY2(still.error.isEmpty(), qPrintable(still.error));
        QVERIFY(still.names.contains("kafka_server_brokertopicmetrics_bytesin_total"));
        QCOMPARE(tests::runKcat({"-b", m_broker->bootstrap(), "-L"}).exitCode, 0);
    }

    void aTakenMetricsPortCostsOnlyTheMetrics() {
        // Another program holds the port: the broker still starts, serves Kafka and says why there
        // are no metrics.
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        PartitadProcess broker(dir.path());
        QVERIFY(broker.start({QString("prometheus.listener=http://127.0.0.1:%1").arg(squatter.serverPort())}));
        QCOMPARE(tests::runKcat({"-b", broker.bootstrap(), "-L"}).exitCode, 0);
        QVERIFY2(broker.output().contains("running without /metrics"), qPrintable(broker.output()));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    int m_metricsPort = 0;
    QString m_url;
};

QTEST_GUILESS_MAIN(TestPartitadMetrics)
#include "partitad_metrics_test.moc"
