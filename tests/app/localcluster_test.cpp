// Tests of LocalCluster: real partitad children started, crashed, restarted, stopped and wiped.
#include "app/localcluster/localcluster.h"
#include "clienttestutil.h"
#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace partita;
using partita::app::LocalCluster;

namespace {

constexpr int kStartTimeoutMs = 30000;

int freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::Any, 0);
    return probe.serverPort();
}

// A zombie counts as gone: a detached broker's parent may be an init that does not reap it.
bool processExists(qint64 pid) {
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH) return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) return true;
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    return !(paren >= 0 && paren + 2 < text.size() && text.at(paren + 2) == 'Z');
}

std::shared_ptr<client::KafkaClient> clientFor(const QString& bootstrap) {
    auto client = client::KafkaClient::create(tests::clientConfig(bootstrap));
    return client.ok() ? client.value() : nullptr;
}

// The broker ids a metadata request through `bootstrap` reports.
std::vector<int32_t> brokersAt(const QString& bootstrap) {
    auto client = clientFor(bootstrap);
    if (!client) return {};
    auto metadata = tests::waitFor<std::shared_ptr<const client::ClusterMetadata>>(
        [&](auto done) { client->refreshMetadata({}, std::move(done)); });
    std::vector<int32_t> ids;
    if (metadata.ok())
        for (const auto& broker : metadata.value()->brokers) ids.push_back(broker.nodeId);
    return ids;
}

}  // namespace

class LocalClusterTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    void configure(LocalCluster& cluster, const QString& name, int firstPort) {
        cluster.setDataDir(m_tmp.path() + "/" + name);
        cluster.setPartitadPath(QStringLiteral(PARTITA_BINARY_DIR "/partitad"));
        cluster.setFirstPort(firstPort);
    }

private slots:
    void startsAndAnswersOnItsBootstrapAddress() {
        LocalCluster cluster;
        const int port = freePort();
        configure(cluster, "start", port);
        QSignalSpy states(&cluster, &LocalCluster::brokerStateChanged);
        QSignalSpy bootstrap(&cluster, &LocalCluster::bootstrapChanged);
        QVERIFY2(cluster.start(), qPrintable(cluster.lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
        QCOMPARE(states.first().at(1).value<LocalCluster::BrokerState>(), LocalCluster::BrokerState::Starting);
        QCOMPARE(cluster.bootstrapServers(), QStringLiteral("localhost:%1").arg(port));
        QCOMPARE(bootstrap.size(), 1);
        QVERIFY(QFileInfo::exists(cluster.nodeDir(1) + "/server.properties"));
        QVERIFY(cluster.brokerStatus(1).pid > 0);
        QVERIFY(!cluster.brokerLog(1).isEmpty());
        QCOMPARE(brokersAt(cluster.bootstrapServers()), std::vector<int32_t>{1});
    }

    void takesTheNextPortWhenTheFirstIsTaken() {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::Any, 0));
        LocalCluster cluster;
        configure(cluster, "fallback", squatter.serverPort());
        QVERIFY2(cluster.start(), qPrintable(cluster.lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
        const int port = cluster.brokerStatus(1).port;
        QVERIFY(port > squatter.serverPort());
        QCOMPARE(cluster.bootstrapServers(), QStringLiteral("localhost:%1").arg(port));
        QCOMPARE(brokersAt(cluster.bootstrapServers()), std::vector<int32_t>{1});
    }

    void aMissingBinaryIsACrashWithAReason() {
        LocalCluster cluster;
        configure(cluster, "missing", freePort());
        cluster.setPartitadPath(m_tmp.path() + "/no-such-partitad");
        QVERIFY(cluster.start());
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Crashed, kStartTimeoutMs);
        QVERIFY(cluster.brokerStatus(1).exitSummary.contains("no-such-partitad"));
    }

    void aKilledBrokerIsCrashedAndRestartsWithItsData() {
        LocalCluster cluster;
        configure(cluster, "crash", freePort());
        QVERIFY2(cluster.start(), qPrintable(cluster.lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
        const QString bootstrap = cluster.bootstrapServers();

        {
            auto client = clientFor(bootstrap);
            QVERIFY(client);
            client::Admin admin(client);
            auto created = tests::waitFor<std::vector<client::CreatedTopic>>([&](auto done) {
                admin.createTopics({{"kept", 2}}, {}, std::move(done));
            });
            QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
            QVERIFY(client::firstFailure(created.value()).ok());
        }

        const qint64 pid = cluster.brokerStatus(1).pid;
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Crashed, kStartTimeoutMs);
        const LocalCluster::BrokerStatus crashed = cluster.brokerStatus(1);
        QVERIFY(crashed.crashedBySignal);
        QCOMPARE(crashed.exitCode, int(SIGKILL));
        QVERIFY(crashed.exitSummary.contains(QString::number(SIGKILL)));
        QCOMPARE(crashed.pid, qint64(0));
        QVERIFY(cluster.brokerLog(1).size() > 1);
        // Not restarted behind the user's back.
        QTest::qWait(500);
        QCOMPARE(cluster.brokerState(1), LocalCluster::BrokerState::Crashed);

        cluster.restartBroker(1);
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
        QCOMPARE(cluster.bootstrapServers(), bootstrap);
        auto client = clientFor(bootstrap);
        QVERIFY(client);
        client::Admin admin(client);
        auto described = tests::waitFor<std::vector<client::TopicDescription>>(
            [&](auto done) { admin.describeTopics({"kept"}, std::move(done)); });
        QVERIFY(described.ok());
        QVERIFY2(described->front().status.ok(), described->front().status.error().message.c_str());
        QCOMPARE(described->front().partitions.size(), size_t(2));
    }

    void restartOfARunningBrokerStopsAndStartsIt() {
        LocalCluster cluster;
        configure(cluster, "restart", freePort());
        QVERIFY(cluster.start());
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
        const qint64 firstPid = cluster.brokerStatus(1).pid;
        QSignalSpy states(&cluster, &LocalCluster::brokerStateChanged);
        cluster.restartBroker(1);
        QTRY_VERIFY_WITH_TIMEOUT(states.size() >= 4, kStartTimeoutMs);
        QCOMPARE(cluster.brokerState(1), LocalCluster::BrokerState::Running);
        QVERIFY(cluster.brokerStatus(1).pid != firstPid);
        QCOMPARE(states.at(1).at(1).value<LocalCluster::BrokerState>(), LocalCluster::BrokerState::Stopped);
    }

    void stopEndsTheProcessAndWipeDeletesTheData() {
        LocalCluster cluster;
        configure(cluster, "wipe", freePort());
        QVERIFY(cluster.start());
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
        const qint64 pid = cluster.brokerStatus(1).pid;

        QVERIFY(!cluster.wipe());
        QVERIFY(!cluster.lastError().isEmpty());
        QVERIFY(QDir(cluster.dataDir()).exists());

        cluster.stop();
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Stopped,
                                  LocalCluster::kStopTimeoutMs + 5000);
        QVERIFY(!cluster.isRunning());
        QVERIFY(!processExists(pid));
        QVERIFY(!cluster.brokerStatus(1).crashedBySignal);

        QVERIFY2(cluster.wipe(), qPrintable(cluster.lastError()));
        QVERIFY(!QDir(cluster.dataDir()).exists());
    }

    void destructionStopsTheBrokers() {
        qint64 pid = 0;
        {
            LocalCluster cluster;
            configure(cluster, "quit", freePort());
            QVERIFY(cluster.start());
            QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
            pid = cluster.brokerStatus(1).pid;
        }
        QVERIFY(!processExists(pid));
    }

    void keepRunningOnQuitLeavesTheBrokerForTheNextAppToAdopt() {
        qint64 pid = 0;
        QString bootstrap;
        const int port = freePort();
        {
            LocalCluster cluster;
            configure(cluster, "detached", port);
            cluster.setKeepRunningOnQuit(true);
            QVERIFY(cluster.start());
            QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
            pid = cluster.brokerStatus(1).pid;
            bootstrap = cluster.bootstrapServers();
            QTRY_VERIFY(cluster.brokerLog(1).size() > 1);  // tailed from node-1/partitad.log
        }
        QVERIFY(processExists(pid));
        QCOMPARE(brokersAt(bootstrap), std::vector<int32_t>{1});

        LocalCluster next;
        configure(next, "detached", port + 1);  // adoption keeps the port it had
        QSignalSpy bootstrapSpy(&next, &LocalCluster::bootstrapChanged);
        QVERIFY(next.start());
        QCOMPARE(next.brokerState(1), LocalCluster::BrokerState::Running);
        QCOMPARE(next.brokerStatus(1).pid, pid);
        QCOMPARE(next.bootstrapServers(), bootstrap);
        QCOMPARE(bootstrapSpy.size(), 1);

        next.stop();
        QTRY_COMPARE_WITH_TIMEOUT(next.brokerState(1), LocalCluster::BrokerState::Stopped,
                                  LocalCluster::kStopTimeoutMs + 5000);
        QVERIFY(!processExists(pid));
        QVERIFY(!QFileInfo::exists(next.dataDir() + "/pids"));
    }

    void aDetachedBrokerThatDiesIsCrashed() {
        LocalCluster cluster;
        configure(cluster, "detached-crash", freePort());
        cluster.setKeepRunningOnQuit(true);
        QVERIFY(cluster.start());
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
        QCOMPARE(::kill(pid_t(cluster.brokerStatus(1).pid), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Crashed, kStartTimeoutMs);
        QVERIFY(!cluster.brokerStatus(1).exitSummary.isEmpty());
        cluster.setKeepRunningOnQuit(false);
        cluster.restartBroker(1);  // now as a child again
        QTRY_COMPARE_WITH_TIMEOUT(cluster.brokerState(1), LocalCluster::BrokerState::Running, kStartTimeoutMs);
    }
};

QTEST_MAIN(LocalClusterTest)
#include "localcluster_test.moc"
