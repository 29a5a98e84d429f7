// KafkaClient over TLS end to end: partitad (PLAINTEXT) behind a socat TLS proxy, with good and bad trust,
// host names and client certificates.
//
// partitad advertises its own PLAINTEXT port in Metadata, so every request here is pinned to the
// bootstrap address (node -1), the one that goes through the proxy.
#include "clienttestutil.h"
#include "partitadprocess.h"
#include "testcertificates.h"

#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/metadata.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace partita;
using namespace partita::client;
using partita::tests::clientConfig;
using partita::tests::PartitadProcess;
using partita::tests::TestCertificates;
using partita::tests::waitFor;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

int freePort() {
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0)) return 0;
    return server.serverPort();
}

// socat terminating TLS on a loopback port and forwarding plain TCP to partitad.
class TlsProxy {
public:
    ~TlsProxy() { stop(); }

    bool start(const TestCertificates& certs, const QString& serverCert, bool requireClientCert, int targetPort) {
        m_port = freePort();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::ForwardedChannels);
        const QString listen =
            QStringLiteral(
                "openssl-listen:%1,bind=127.0.0.1,reuseaddr,fork,cert=%2,key=%3,"
                "cafile=%4,verify=%5")
                .arg(m_port)
                .arg(certs.path(serverCert + ".pem"), certs.path(serverCert + ".key"), certs.path("ca.pem"))
                .arg(requireClientCert ? 1 : 0);
        m_process->start(QStringLiteral("socat"), {listen, QStringLiteral("tcp:127.0.0.1:%1").arg(targetPort)});
        if (!m_process->waitForStarted(10000)) return false;
        // Listening once a plain TCP connect gets through (socat's child then drops it).
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, quint16(m_port));
            if (probe.waitForConnected(200)) {
                probe.abort();
                return true;
            }
            if (m_process->state() == QProcess::NotRunning) return false;
            QTest::qWait(50);
        }
        return false;
    }

    void stop() {
        if (!m_process || m_process->state() == QProcess::NotRunning) return;
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }

    QString bootstrap() const { return QStringLiteral("localhost:%1").arg(m_port); }

private:
    std::unique_ptr<QProcess> m_process;
    int m_port = 0;
};

}  // namespace

class TlsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dataDir;
    QTemporaryDir m_certDir;
    std::unique_ptr<TestCertificates> m_certs;
    std::unique_ptr<PartitadProcess> m_partitad;

    std::string cert(const char* name) const { return m_certs->file(name); }

    std::shared_ptr<KafkaClient> client(const TlsProxy& proxy, std::map<std::string, std::string> extra) {
        extra.emplace("security.protocol", "SSL");
        extra.emplace("request.timeout.ms", "15000");
        extra.emplace("reconnect.backoff.max.ms", "200");
        auto created = KafkaClient::create(clientConfig(proxy.bootstrap(), std::move(extra)));
        if (!created.ok()) qFatal("cannot create the client: %s", created.error().message.c_str());
        return created.value();
    }

    Result<std::vector<KafkaClient::ApiRange>> apiVersions(KafkaClient& kafka) {
        return waitFor<std::vector<KafkaClient::ApiRange>>([&](auto done) { kafka.apiVersions(-1, std::move(done)); });
    }

    // ApiVersions and Metadata through the proxy; empty when both worked, else the error.
    QString roundTrips(KafkaClient& kafka) {
        auto ranges = apiVersions(kafka);
        if (!ranges.ok()) return qs(ranges.error().message);
        bool hasMetadata =
            std::any_of(ranges->begin(), ranges->end(), [](const KafkaClient::ApiRange& r) { return r.apiKey == 3; });
        if (!hasMetadata) return QStringLiteral("ApiVersions did not list Metadata");
        auto request = std::make_unique<protocol::MetadataRequest>();
        request->topics.reset();  // every topic
        auto response = waitFor<TypedResponse<protocol::MetadataResponse>>([&](auto done) {
            kafka.call<protocol::MetadataResponse>(Target::node(-1), std::move(request), std::move(done));
        });
        if (!response.ok()) return qs(response.error().message);
        if (response.value()->brokers.empty()) return QStringLiteral("Metadata listed no broker");
        if (response.value().nodeId >= 0) return QStringLiteral("Metadata was not answered by the bootstrap address");
        return {};
    }

    // The error of a connection that must be refused: an Authentication error.
    Error expectRefused(KafkaClient& kafka) {
        auto ranges = apiVersions(kafka);
        if (ranges.ok()) return Error{ErrorKind::Malformed, "<the connection was accepted>"};
        qInfo("%s: %s", errorKindName(ranges.error().kind), ranges.error().message.c_str());
        return ranges.error();
    }

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable(QStringLiteral("socat")).isEmpty())
            QSKIP("socat is not installed (cmake/debian-packages.txt lists it): no TLS proxy to test against");
        QVERIFY(m_dataDir.isValid() && m_certDir.isValid());
        m_certs = std::make_unique<TestCertificates>(m_certDir.path());
        QVERIFY2(m_certs->generate(), qPrintable(m_certs->error()));
        m_partitad = std::make_unique<PartitadProcess>(m_dataDir.path());
        QVERIFY2(m_partitad->start(), qPrintable(m_partitad->output()));
    }

    void cleanupTestCase() {
        if (m_partitad) m_partitad->stop();
    }

    void trustedCaWorks() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "server", false, m_partitad->port()));
        auto kafka = client(proxy, {{"ssl.ca.location", cert("ca.pem")}});
        QString error = roundTrips(*kafka);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // Before any metadata is known, "any broker" is a bootstrap address: through the proxy too.
    void anyBrokerGoesThroughTheProxy() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "server", false, m_partitad->port()));
        auto kafka = client(proxy, {{"ssl.ca.location", cert("ca.pem")}});
        auto request = std::make_unique<protocol::ApiVersionsRequest>();
        auto response = waitFor<Response>(
            [&](auto done) { kafka->send(Target::anyBroker(), std::move(request), std::move(done)); });
        QVERIFY2(response.ok(), response.ok() ? "" : response.error().message.c_str());
        QVERIFY(dynamic_cast<protocol::ApiVersionsResponse*>(response->body.get()) != nullptr);
    }

    void untrustedCaIsRefused() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "server", false, m_partitad->port()));
        auto kafka = client(proxy, {{"ssl.ca.location", cert("other-ca.pem")}});
        Error error = expectRefused(*kafka);
        QCOMPARE(error.kind, ErrorKind::Authentication);
        QVERIFY2(qs(error.message).contains("certificate verify failed", Qt::CaseInsensitive), error.message.c_str());
    }

    // The system store does not know the test CA either.
    void systemStoreRefusesTheTestCa() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "server", false, m_partitad->port()));
        auto kafka = client(proxy, {});
        Error error = expectRefused(*kafka);
        QCOMPARE(error.kind, ErrorKind::Authentication);
    }

    void certificateForAnotherHostIsRefused() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "wronghost", false, m_partitad->port()));
        auto kafka = client(proxy, {{"ssl.ca.location", cert("ca.pem")}});
        Error error = expectRefused(*kafka);
        QCOMPARE(error.kind, ErrorKind::Authentication);
        QVERIFY2(qs(error.message).contains("certificate", Qt::CaseInsensitive), error.message.c_str());
        QVERIFY2(qs(error.message).contains("hostname mismatch", Qt::CaseInsensitive), error.message.c_str());
    }

    void hostNameCheckOffAcceptsCertificateForAnotherHost() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "wronghost", false, m_partitad->port()));
        auto kafka =
            client(proxy, {{"ssl.ca.location", cert("ca.pem")}, {"ssl.endpoint.identification.algorithm", ""}});
        QString error = roundTrips(*kafka);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // Turning the host name check off still verifies the chain.
    void hostNameCheckOffStillNeedsATrustedCa() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "wronghost", false, m_partitad->port()));
        auto kafka = client(
            proxy, {{"ssl.ca.location", cert("other-ca.pem")}, {"ssl.endpoint.identification.algorithm", "none"}});
        Error error = expectRefused(*kafka);
        QCOMPARE(error.kind, ErrorKind::Authentication);
    }

    void mutualTlsWithoutClientCertificateFails() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "server", true, m_partitad->port()));
        auto kafka = client(proxy, {{"ssl.ca.location", cert("ca.pem")}});
        Error error = expectRefused(*kafka);
        QVERIFY2(error.message != "<the connection was accepted>", error.message.c_str());
        QVERIFY2(qs(error.message).contains("certificate required"), error.message.c_str());
        // With TLS 1.3 the server refuses the missing certificate after the client's handshake
        // completed, so the alert arrives while reading the ApiVersions answer: still an
        // authentication failure, reported at once rather than retried.
        QCOMPARE(error.kind, ErrorKind::Authentication);
    }

    void mutualTlsWithClientCertificateWorks() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "server", true, m_partitad->port()));
        auto kafka = client(proxy, {{"ssl.ca.location", cert("ca.pem")},
                                    {"ssl.certificate.location", cert("client.pem")},
                                    {"ssl.key.location", cert("client.key")}});
        QString error = roundTrips(*kafka);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void mutualTlsWithEncryptedKeyAndPemKeystore() {
        TlsProxy proxy;
        QVERIFY(proxy.start(*m_certs, "server", true, m_partitad->port()));
        auto encrypted = client(proxy, {{"ssl.ca.location", cert("ca.pem")},
                                        {"ssl.certificate.location", cert("client.pem")},
                                        {"ssl.key.location", cert("client-encrypted.key")},
                                        {"ssl.key.password", TestCertificates::kKeyPassword}});
        QString error = roundTrips(*encrypted);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // A Java client's PEM keystore: certificate and key in one file.
        auto keystore = client(proxy, {{"ssl.truststore.location", cert("ca.pem")},
                                       {"ssl.truststore.type", "PEM"},
                                       {"ssl.keystore.location", cert("client-keystore.pem")},
                                       {"ssl.keystore.type", "PEM"}});
        error = roundTrips(*keystore);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // A bad key password fails when the client is created, naming the key file.
    void wrongKeyPasswordFailsAtCreation() {
        auto config = clientConfig("localhost:1", {{"security.protocol", "SSL"},
                                                   {"ssl.ca.location", cert("ca.pem")},
                                                   {"ssl.certificate.location", cert("client.pem")},
                                                   {"ssl.key.location", cert("client-encrypted.key")},
                                                   {"ssl.key.password", "wrong"}});
        auto created = KafkaClient::create(config);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().kind, ErrorKind::Authentication);
        QVERIFY2(created.error().message.find(cert("client-encrypted.key")) != std::string::npos,
                 created.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TlsTest)
#include "tls_test.moc"
