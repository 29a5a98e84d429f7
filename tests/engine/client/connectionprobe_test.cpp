// ConnectionProbe against a real partitad: every step passes on a good address, and each kind of
// wrong address or wrong security setting fails at the step a user would look at.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/connectionprobe.h"

#include <QTemporaryDir>
#include <QTest>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <future>
#include <mutex>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using Step = ConnectionProbe::Step;

namespace {

struct ProbeRun {
    ConnectionProbe::Summary summary;
    std::vector<ConnectionProbe::StepResult> reported;  // through the step callback
    bool done = false;
};

ProbeRun probe(const ClientConfig& config) {
    auto run = std::make_shared<ProbeRun>();
    auto mutex = std::make_shared<std::mutex>();
    auto promise = std::make_shared<std::promise<void>>();
    auto future = promise->get_future();
    auto probe = ConnectionProbe::start(
        config, std::chrono::seconds(20),
        [run, mutex](const ConnectionProbe::StepResult& step) {
            std::lock_guard lock(*mutex);
            run->reported.push_back(step);
        },
        [run, mutex, promise](const ConnectionProbe::Summary& summary) {
            {
                std::lock_guard lock(*mutex);
                run->summary = summary;
                run->done = true;
            }
            promise->set_value();
        });
    future.wait_for(std::chrono::seconds(40));
    probe.reset();
    std::lock_guard lock(*mutex);
    return *run;
}

// A loopback port nobody listens on: bound, then released.
int closedPort() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

QString describe(const ProbeRun& run) {
    QString text;
    for (const auto& step : run.summary.steps)
        text += QStringLiteral("%1 %2: %3\n")
                    .arg(ConnectionProbe::stepName(step.step), step.ok ? "ok" : "FAILED", step.message.c_str());
    return text;
}

}  // namespace

class ConnectionProbeTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dataDir;
    std::unique_ptr<tests::PartitadProcess> m_partitad;

    void expectFailureAt(const ProbeRun& run, Step step) {
        QVERIFY2(run.done, "the probe never finished");
        qInfo().noquote() << describe(run);  // what the dialog would show
        QVERIFY2(!run.summary.ok, qPrintable(describe(run)));
        QVERIFY(!run.summary.steps.empty());
        QCOMPARE(int(run.summary.steps.back().step), int(step));
        QVERIFY2(!run.summary.steps.back().ok, qPrintable(describe(run)));
        QVERIFY(!run.summary.steps.back().message.empty());
        for (size_t i = 0; i + 1 < run.summary.steps.size(); ++i) QVERIFY(run.summary.steps[i].ok);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dataDir.isValid());
        m_partitad = std::make_unique<tests::PartitadProcess>(m_dataDir.path());
        QVERIFY(m_partitad->start());
    }

    void everyStepPassesOnPartitad() {
        const ClientConfig config = clientConfig(m_partitad->bootstrap());
        ProbeRun run = probe(config);
        QVERIFY2(run.done && run.summary.ok, qPrintable(describe(run)));
        std::vector<Step> ran;
        for (const auto& step : run.summary.steps) ran.push_back(step.step);
        QVERIFY(ran == ConnectionProbe::stepsFor(config));
        QCOMPARE(run.reported.size(), run.summary.steps.size());
        QCOMPARE(run.summary.brokerCount, 1);
        QVERIFY(!run.summary.clusterId.empty());
        QVERIFY(run.summary.apiCount > 10);
        QVERIFY(QString::fromStdString(run.summary.steps.back().message).contains("1 broker"));
    }

    void unresolvableHostFailsAtDns() { expectFailureAt(probe(clientConfig("no-such-host.invalid:9092")), Step::Dns); }

    void closedPortFailsAtTcp() {
        ProbeRun run = probe(clientConfig(QStringLiteral("127.0.0.1:%1").arg(closedPort())));
        expectFailureAt(run, Step::Tcp);
        QVERIFY2(QString::fromStdString(run.summary.steps.back().message).contains("refused", Qt::CaseInsensitive),
                 qPrintable(describe(run)));
    }

    void tlsToPlaintextPortFailsAtTls() {
        ProbeRun run = probe(clientConfig(
            m_partitad->bootstrap(), {{"security.protocol", "SSL"}, {"socket.connection.setup.timeout.ms", "5000"}}));
        expectFailureAt(run, Step::Tls);
    }

    void saslAgainstPlaintextListenerFailsAtSasl() {
        ProbeRun run = probe(clientConfig(m_partitad->bootstrap(), {{"security.protocol", "SASL_PLAINTEXT"},
                                                                    {"sasl.mechanism", "PLAIN"},
                                                                    {"sasl.username", "alice"},
                                                                    {"sasl.password", "secret"}}));
        expectFailureAt(run, Step::Sasl);
        QVERIFY2(!QString::fromStdString(run.summary.steps.back().message).contains("secret"),
                 qPrintable(describe(run)));
    }

    void destroyingARunningProbeReturns() {
        // A black-holed address keeps the connect pending; destruction must not wait for it.
        auto probe = ConnectionProbe::start(
            clientConfig("10.255.255.1:9092"), std::chrono::seconds(30), [](const ConnectionProbe::StepResult&) {},
            [](const ConnectionProbe::Summary&) {});
        QTest::qWait(100);
        probe.reset();
    }

    void cleanupTestCase() { m_partitad.reset(); }
};

QTEST_GUILESS_MAIN(ConnectionProbeTest)
#include "connectionprobe_test.moc"
