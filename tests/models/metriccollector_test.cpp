// Tests of MetricCollector against a real partitad: the frame a chart and the alert rules see
// (brokers up, replication, messages per topic, a group's lag, rates between rounds), a
// Prometheus endpoint scraped and mapped, and a broker that dies.
#include "clienttestutil.h"
#include "loopbackhttpreceiver.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "models/clustersession.h"
#include "models/metriccollector.h"
#include "models/metricnames.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace partita;
using namespace partita::models;
using partita::tests::PartitadProcess;

namespace {

const char* kTopic = "events";

std::optional<double> valueOf(const MetricFrame& frame, const char* metric, const QString& subject = {}) {
    for (const auto& [key, value] : frame.values)
        if (key.metric == QLatin1String(metric) && key.subject == subject) return value;
    return std::nullopt;
}

// Collects one round and returns its frame.
MetricFrame collect(MetricCollector& collector) {
    QSignalSpy sampled(&collector, &MetricCollector::sampled);
    collector.collectNow();
    // A round with nothing to wait for emits at once, inside collectNow.
    if (sampled.isEmpty() && !sampled.wait(60'000)) return {};
    return sampled.first().at(0).value<MetricFrame>();
}

QByteArray exporterText(double bytesIn, double failedProduce, double totalProduce) {
    return "# TYPE kafka_server_brokertopicmetrics_bytesin_total counter\n"
           "kafka_server_brokertopicmetrics_bytesin_total{topic=\"a\"} 5\n"
           "kafka_server_brokertopicmetrics_bytesin_total " +
           QByteArray::number(bytesIn) +
           "\n"
           "kafka_server_brokertopicmetrics_failedproducerequests_total " +
           QByteArray::number(failedProduce) +
           "\n"
           "kafka_server_brokertopicmetrics_totalproducerequests_total " +
           QByteArray::number(totalProduce) +
           "\n"
           "kafka_network_requestchannel_requestqueuesize 7\n"
           "kafka_server_replicamanager_underminisrpartitioncount 2\n"
           "kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent 0.75\n"
           "kafka_network_socketserver_networkprocessoravgidlepercent 0.5\n"
           "kafka_network_requestmetrics_totaltimems{request=\"Produce\",quantile=\"0.99\"} 12.5\n";
}

}  // namespace

class MetricCollectorTest : public QObject {
    Q_OBJECT
private slots:
    void framesFromARealCluster();
    void rebalancesOfAKcatGroup();
    void prometheusEndpoint();
};

void MetricCollectorTest::framesFromARealCluster() {
    QTemporaryDir dir;
    PartitadProcess partitad(dir.path());
    QVERIFY(partitad.start({"num.partitions=2"}));
    ClusterSession session(tests::clientConfig(partitad.bootstrap(), {{"request.timeout.ms", "5000"}}));
    session.setRefreshInterval(60'000);
    QVERIFY(session.admin().has_value());
    client::Admin admin = *session.admin();
    const QString created = tests::createTopic(admin, kTopic, 2);
    QVERIFY2(created.isEmpty(), qPrintable(created));
    const QString produced = tests::produceValues(session.client(), kTopic, 100, 2);
    QVERIFY2(produced.isEmpty(), qPrintable(produced));
    auto committed = tests::waitFor<std::vector<client::PartitionStatus>>([&](auto done) {
        admin.alterConsumerGroupOffsets("g", {{{kTopic, 0}, {30, -1, {}}}, {{kTopic, 1}, {20, -1, {}}}}, done);
    });
    QVERIFY(committed.ok());
    QVERIFY(client::firstFailure(committed.value()).ok());

    QSignalSpy snapshots(&session, &ClusterSession::snapshotReady);
    session.refreshNow();
    QVERIFY(snapshots.wait(30'000));
    QTRY_VERIFY_WITH_TIMEOUT(session.snapshot() && !session.isRefreshing(), 30'000);

    MetricCollector collector(&session, QStringLiteral("local"));
    QCOMPARE(collector.interval(), 10'000);
    QSignalSpy problems(&collector, &MetricCollector::problem);
    const MetricFrame first = collect(collector);
    QCOMPARE(first.cluster, QStringLiteral("local"));
    QVERIFY(first.ms > 0);
    QCOMPARE(valueOf(first, metrics::brokersUp), std::optional<double>(1));
    QCOMPARE(valueOf(first, metrics::underReplicatedPartitions), std::optional<double>(0));
    QCOMPARE(valueOf(first, metrics::offlinePartitions), std::optional<double>(0));
    QCOMPARE(valueOf(first, metrics::activeControllerCount), std::optional<double>(1));
    const QString topic = QStringLiteral("topic:") + kTopic;
    QCOMPARE(valueOf(first, metrics::topicMessages, topic), std::optional<double>(100));
    QCOMPARE(valueOf(first, metrics::topicEndOffsets, topic), std::optional<double>(100));
    QCOMPARE(valueOf(first, metrics::groupLag, QStringLiteral("group:g")), std::optional<double>(50));
    QCOMPARE(valueOf(first, metrics::groupTopicLag, QStringLiteral("group:g|topic:events")), std::optional<double>(50));
    QCOMPARE(valueOf(first, metrics::groupState, QStringLiteral("group:g")), std::optional<double>(1));  // Empty
    QCOMPARE(valueOf(first, metrics::groupMembers, QStringLiteral("group:g")), std::optional<double>(0));
    QVERIFY(valueOf(first, metrics::brokerUp, QStringLiteral("broker:1")).has_value() ||
            std::any_of(first.values.begin(), first.values.end(), [](const auto& v) {
                return v.first.metric == QLatin1String(metrics::brokerUp) && v.second == 1;
            }));
    // How full the broker's disk is (DescribeLogDirs v4 total / usable bytes; this machine's disk is
    // neither empty nor over-full).
    const double diskUsed = valueOf(first, metrics::brokerDiskUsedRatio, QStringLiteral("broker:1")).value_or(-1);
    QVERIFY2(diskUsed > 0 && diskUsed < 1, qPrintable(QString::number(diskUsed)));
    // Raw offsets for the lag rules: committed and end per partition.
    QCOMPARE(first.groupOffsets.size(), size_t(2));
    qint64 lag = 0;
    for (const auto& gp : first.groupOffsets) {
        QCOMPARE(gp.group, QStringLiteral("g"));
        QVERIFY(gp.end >= gp.committed);
        lag += gp.end - gp.committed;
    }
    QCOMPARE(lag, qint64(50));
    QVERIFY(!valueOf(first, metrics::topicMessagesInPerSec, topic).has_value());  // no previous frame yet

    // More records: the next frame has a rate, computed against the previous frame.
    const QString more = tests::produceValues(session.client(), kTopic, 50, 2);
    QVERIFY2(more.isEmpty(), qPrintable(more));
    const MetricFrame second = collect(collector);
    QCOMPARE(valueOf(second, metrics::topicMessages, topic), std::optional<double>(150));
    QVERIFY2(valueOf(second, metrics::topicMessagesInPerSec, topic).value_or(0) > 0,
             qPrintable(QStringLiteral("ends %1 → %2, ms %3 → %4, rate %5")
                            .arg(valueOf(first, metrics::topicEndOffsets, topic).value_or(-1))
                            .arg(valueOf(second, metrics::topicEndOffsets, topic).value_or(-1))
                            .arg(first.ms)
                            .arg(second.ms)
                            .arg(valueOf(second, metrics::topicMessagesInPerSec, topic).value_or(-1))));
    QCOMPARE(valueOf(second, metrics::groupLag, QStringLiteral("group:g")), std::optional<double>(100));
    QCOMPARE(problems.size(), 0);

    // The timer drives rounds too.
    QSignalSpy sampled(&collector, &MetricCollector::sampled);
    collector.setInterval(300);
    collector.start();
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 2, 30'000);
    collector.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!collector.isCollecting(), 30'000);

    // The broker dies: once the session notices, the frame still comes, with every broker down.
    partitad.kill();
    session.setRefreshInterval(500);
    session.refreshNow();
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == ClusterSession::State::Lost, 60'000);
    const MetricFrame down = collect(collector);
    QCOMPARE(valueOf(down, metrics::brokersUp), std::optional<double>(0));
    bool anyBroker = false;
    for (const auto& [key, value] : down.values)
        if (key.metric == QLatin1String(metrics::brokerUp)) {
            anyBroker = true;
            QCOMPARE(value, 0.0);
        }
    QVERIFY(anyBroker);
}

void MetricCollectorTest::rebalancesOfAKcatGroup() {
    const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    QVERIFY2(!kcat.isEmpty(), "kcat is missing: run `make deps`");
    QTemporaryDir dir;
    PartitadProcess partitad(dir.path());
    QVERIFY(partitad.start({"num.partitions=2"}));
    ClusterSession session(tests::clientConfig(partitad.bootstrap()));
    session.setRefreshInterval(500);
    QVERIFY(tests::createTopic(*session.admin(), kTopic, 2).isEmpty());
    MetricCollector collector(&session, QStringLiteral("local"));
    const QString subject = QStringLiteral("group:members");
    auto members = [&](const MetricFrame& frame) {
        return valueOf(frame, metrics::groupMembers, subject).value_or(-1);
    };
    auto rebalances = [&](const MetricFrame& frame) {
        return valueOf(frame, metrics::groupRebalancesPerHour, subject).value_or(-1);
    };
    // One member, settled.
    QProcess first;
    first.start(kcat, {"-b", partitad.bootstrap(), "-G", "members", kTopic, "-q"});
    QVERIFY(first.waitForStarted());
    MetricFrame frame;
    QTRY_VERIFY_WITH_TIMEOUT(
        (frame = collect(collector), members(frame) == 1 && valueOf(frame, metrics::groupState, subject) == 2.0),
        60'000);
    QCOMPARE(rebalances(frame), 0.0);
    // A second member joins: the group rebalances, and the count says so for the next hour.
    QProcess second;
    second.start(kcat, {"-b", partitad.bootstrap(), "-G", "members", kTopic, "-q"});
    QVERIFY(second.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT((frame = collect(collector), members(frame) == 2 && rebalances(frame) >= 1), 60'000);
    first.kill();
    second.kill();
    first.waitForFinished();
    second.waitForFinished();
}

void MetricCollectorTest::prometheusEndpoint() {
    // A stand-in JMX exporter.
    tests::LoopbackHttpReceiver exporter;
    exporter.answer = exporterText(1000, 0, 10);
    // A session without a usable config: the Kafka part is skipped, the scrape still runs.
    ClusterSession session(QStringLiteral("no config"));
    MetricCollector collector(&session, QStringLiteral("x"));
    const QString url = QStringLiteral("http://127.0.0.1:%1/metrics").arg(exporter.port());
    collector.setPrometheusEndpoints({QStringLiteral("3=") + url, url});
    const MetricFrame first = collect(collector);
    const QString endpoint = QStringLiteral("endpoint:127.0.0.1:%1").arg(exporter.port());
    for (const QString& subject : {QStringLiteral("broker:3"), endpoint}) {
        QCOMPARE(valueOf(first, metrics::requestQueueSize, subject), std::optional<double>(7));
        QCOMPARE(valueOf(first, metrics::requestHandlerIdleRatio, subject), std::optional<double>(0.75));
        QCOMPARE(valueOf(first, metrics::networkProcessorIdleRatio, subject), std::optional<double>(0.5));
        QCOMPARE(valueOf(first, metrics::produceRequestMs, subject), std::optional<double>(12.5));
        QVERIFY(!valueOf(first, metrics::bytesInPerSec, subject).has_value());  // a rate needs two scrapes
    }
    // Under-min-ISR partitions come from the brokers' own counts, summed over the endpoints scraped.
    QCOMPARE(valueOf(first, metrics::underMinIsrPartitions, QString()), std::optional<double>(4));
    QTest::qWait(200);
    exporter.answer = exporterText(3000, 5, 60);
    const MetricFrame second = collect(collector);
    const double bytesIn = valueOf(second, metrics::bytesInPerSec, QStringLiteral("broker:3")).value_or(-1);
    QVERIFY2(bytesIn > 0, qPrintable(QString::number(bytesIn)));
    QVERIFY(valueOf(second, metrics::failedRequestsPerSec, QStringLiteral("broker:3")).value_or(0) > 0);
    QCOMPARE(valueOf(second, metrics::produceErrorRatio, QStringLiteral("broker:3")).value_or(-1), 0.1);

    // An endpoint that does not answer is a problem; the frame still comes.
    collector.setPrometheusEndpoints({QStringLiteral("http://127.0.0.1:1/metrics")});
    QSignalSpy problems(&collector, &MetricCollector::problem);
    const MetricFrame failed = collect(collector);
    QCOMPARE(failed.cluster, QStringLiteral("x"));
    QVERIFY(!problems.isEmpty());
}

QTEST_GUILESS_MAIN(MetricCollectorTest)
#include "metriccollector_test.moc"
