// ClientConfig: Kafka's client property names (Java and librdkafka), sasl.jaas.config, checks and pool keys.
#include <QtTest>

#include <map>
#include <string>

#include "engine/client/clientconfig.h"

using namespace partita;
using namespace partita::client;

namespace {

using Props = std::map<std::string, std::string>;

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

Props withBootstrap(Props extra) {
    extra.emplace("bootstrap.servers", "localhost:9092");
    return extra;
}

ClientConfig parse(const Props& props) {
    auto config = ClientConfig::fromProperties(props);
    if (!config.ok()) qFatal("unexpected config error: %s", config.error().message.c_str());
    return config.value();
}

// The InvalidArgument message of a config that must be refused.
QString errorOf(const Props& props) {
    auto config = ClientConfig::fromProperties(props);
    if (config.ok()) return QStringLiteral("<accepted>");
    if (config.error().kind != ErrorKind::InvalidArgument) return QStringLiteral("<wrong error kind>");
    return qs(config.error().message);
}

}  // namespace

class ClientConfigTest : public QObject {
    Q_OBJECT

private slots:
    void bootstrapListIsSplitAndTrimmed() {
        auto config = parse({{"bootstrap.servers", " b1:9092, b2:9093 ,,[::1]:9094 "}});
        QCOMPARE(config.bootstrapServers, (std::vector<std::string>{"b1:9092", "b2:9093", "[::1]:9094"}));
    }

    void librdkafkaBrokerListIsAccepted() {
        auto config = parse({{"metadata.broker.list", "k1:9092,k2:9092"}});
        QCOMPARE(config.bootstrapServers, (std::vector<std::string>{"k1:9092", "k2:9092"}));
    }

    void bootstrapErrors_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << ""
                               << "bootstrap.servers is empty";
        QTest::newRow("only commas") << " , ,"
                                     << "bootstrap.servers is empty";
        QTest::newRow("no port") << "localhost"
                                 << "'localhost' has no port";
        QTest::newRow("bad port") << "localhost:90x2"
                                  << "'90x2'";
        QTest::newRow("port 0") << "a:9092,b:0"
                                << "'0'";
        QTest::newRow("port too big") << "a:65536"
                                      << "65535";
        QTest::newRow("bare ipv6") << "::1:9092"
                                   << "brackets";
    }

    void bootstrapErrors() {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QString error = errorOf({{"bootstrap.servers", value.toStdString()}});
        QVERIFY2(error.startsWith("bootstrap.servers"), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void bootstrapIsRequired() {
        QString error = errorOf({{"client.id", "x"}});
        QVERIFY2(error.contains("bootstrap.servers is required"), qPrintable(error));
    }

    void defaults() {
        auto config = parse(withBootstrap({}));
        QCOMPARE(qs(config.clientId), QString("partita"));
        QCOMPARE(config.securityProtocol, SecurityProtocol::Plaintext);
        QVERIFY(config.sslVerifyHostname);
        QCOMPARE(config.requestTimeoutMs, 30000);
        QCOMPARE(config.metadataMaxAgeMs, 300000);
    }

    void clientId() {
        QCOMPARE(qs(parse(withBootstrap({{"client.id", "orders-app"}})).clientId), QString("orders-app"));
    }

    void securityProtocolIsCaseInsensitive_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("expected");
        QTest::newRow("PLAINTEXT") << "PLAINTEXT" << int(SecurityProtocol::Plaintext);
        QTest::newRow("ssl") << "ssl" << int(SecurityProtocol::Ssl);
        QTest::newRow("Sasl_Plaintext") << "Sasl_Plaintext" << int(SecurityProtocol::SaslPlaintext);
        QTest::newRow("sasl_ssl") << " sasl_ssl " << int(SecurityProtocol::SaslSsl);
    }

    void securityProtocolIsCaseInsensitive() {
        QFETCH(QString, value);
        QFETCH(int, expected);
        auto config = parse(withBootstrap({{"security.protocol", value.toStdString()}, {"sasl.username", "u"}}));
        QCOMPARE(int(config.securityProtocol), expected);
    }

    void unknownSecurityProtocolIsRefused() {
        QString error = errorOf(withBootstrap({{"security.protocol", "TLS"}}));
        QVERIFY2(error.contains("security.protocol") && error.contains("'TLS'") && error.contains("SASL_SSL"),
                 qPrintable(error));
    }

    void securityProtocolNames() {
        QCOMPARE(QString(securityProtocolName(SecurityProtocol::Plaintext)), QString("PLAINTEXT"));
        QCOMPARE(QString(securityProtocolName(SecurityProtocol::Ssl)), QString("SSL"));
        QCOMPARE(QString(securityProtocolName(SecurityProtocol::SaslPlaintext)), QString("SASL_PLAINTEXT"));
        QCOMPARE(QString(securityProtocolName(SecurityProtocol::SaslSsl)), QString("SASL_SSL"));
    }

    void librdkafkaTlsNames() {
        auto config = parse(withBootstrap({{"security.protocol", "SSL"},
                                           {"ssl.ca.location", "/etc/kafka/ca.pem"},
                                           {"ssl.certificate.location", "/etc/kafka/client.pem"},
                                           {"ssl.key.location", "/etc/kafka/client.key"},
                                           {"ssl.key.password", "keypass"}}));
        QCOMPARE(qs(config.sslCaLocation), QString("/etc/kafka/ca.pem"));
        QCOMPARE(qs(config.sslCertificateLocation), QString("/etc/kafka/client.pem"));
        QCOMPARE(qs(config.sslKeyLocation), QString("/etc/kafka/client.key"));
        QCOMPARE(qs(config.sslKeyPassword), QString("keypass"));
    }

    void pemTruststoreIsTheCaLocation() {
        auto config = parse(
            withBootstrap({{"ssl.truststore.location", "/etc/kafka/truststore.pem"}, {"ssl.truststore.type", "pem"}}));
        QCOMPARE(qs(config.sslCaLocation), QString("/etc/kafka/truststore.pem"));
    }

    void nonPemTruststoreIsRefusedWithAHint_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("hint");
        QTest::newRow("default type is JKS") << ""
                                             << "keytool";
        QTest::newRow("JKS") << "JKS"
                             << "keytool";
        QTest::newRow("PKCS12") << "PKCS12"
                                << "openssl pkcs12";
    }

    void nonPemTruststoreIsRefusedWithAHint() {
        QFETCH(QString, type);
        QFETCH(QString, hint);
        Props props = withBootstrap({{"ssl.truststore.location", "/etc/kafka/truststore.jks"}});
        if (!type.isEmpty()) props["ssl.truststore.type"] = type.toStdString();
        QString error = errorOf(props);
        QVERIFY2(error.startsWith("ssl.truststore.location") && error.contains("convert it to PEM") &&
                     error.contains("ssl.ca.location") && error.contains(hint),
                 qPrintable(error));
    }

    void pemKeystoreIsCertificateAndKey() {
        auto config = parse(withBootstrap({{"ssl.keystore.location", "/etc/kafka/keystore.pem"},
                                           {"ssl.keystore.type", "PEM"},
                                           {"ssl.key.password", "kp"}}));
        QCOMPARE(qs(config.sslCertificateLocation), QString("/etc/kafka/keystore.pem"));
        QCOMPARE(qs(config.sslKeyLocation), QString("/etc/kafka/keystore.pem"));
        QCOMPARE(qs(config.sslKeyPassword), QString("kp"));
    }

    void nonPemKeystoreIsRefusedWithAHint() {
        QString error = errorOf(
            withBootstrap({{"ssl.keystore.location", "/etc/kafka/keystore.p12"}, {"ssl.keystore.type", "PKCS12"}}));
        QVERIFY2(error.startsWith("ssl.keystore.location") && error.contains("convert it to PEM") &&
                     error.contains("openssl pkcs12"),
                 qPrintable(error));
        error = errorOf(withBootstrap({{"ssl.keystore.location", "/etc/kafka/keystore.jks"}}));
        QVERIFY2(error.contains("keytool"), qPrintable(error));
    }

    void keyWithoutCertificateIsRefused() {
        QString error = errorOf(withBootstrap({{"ssl.key.location", "/etc/kafka/client.key"}}));
        QVERIFY2(error.contains("ssl.certificate.location"), qPrintable(error));
    }

    void endpointIdentification_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("verify");
        QTest::newRow("https") << "https" << true;
        QTest::newRow("HTTPS") << "HTTPS" << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("none") << "none" << false;
    }

    void endpointIdentification() {
        QFETCH(QString, value);
        QFETCH(bool, verify);
        auto config = parse(withBootstrap({{"ssl.endpoint.identification.algorithm", value.toStdString()}}));
        QCOMPARE(config.sslVerifyHostname, verify);
    }

    void unknownEndpointIdentificationIsRefused() {
        QString error = errorOf(withBootstrap({{"ssl.endpoint.identification.algorithm", "ldap"}}));
        QVERIFY2(error.startsWith("ssl.endpoint.identification.algorithm") && error.contains("'ldap'"),
                 qPrintable(error));
    }

    void saslUsernameAndPassword() {
        auto config = parse(withBootstrap({{"security.protocol", "SASL_PLAINTEXT"},
                                           {"sasl.mechanisms", "scram-sha-512"},
                                           {"sasl.username", "alice"},
                                           {"sasl.password", "alice-secret"}}));
        QCOMPARE(qs(config.saslMechanism), QString("SCRAM-SHA-512"));
        QCOMPARE(qs(config.saslUsername), QString("alice"));
        QCOMPARE(qs(config.saslPassword), QString("alice-secret"));
    }

    void saslWithoutUsernameIsRefused() {
        QString error = errorOf(withBootstrap({{"security.protocol", "SASL_SSL"}, {"sasl.mechanism", "PLAIN"}}));
        QVERIFY2(error.contains("SASL_SSL") && error.contains("sasl.username") && error.contains("sasl.jaas.config"),
                 qPrintable(error));
    }

    void unsupportedSaslMechanismIsRefused() {
        QString error = errorOf(withBootstrap(
            {{"security.protocol", "SASL_SSL"}, {"sasl.mechanism", "GSSAPI"}, {"sasl.username", "alice"}}));
        QVERIFY2(error.startsWith("sasl.mechanism") && error.contains("GSSAPI"), qPrintable(error));
    }

    void jaasPlain() {
        auto config = parse(withBootstrap({{"security.protocol", "SASL_SSL"},
                                           {"sasl.mechanism", "PLAIN"},
                                           {"sasl.jaas.config",
                                            "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                            "username=\"KEY123\" password=\"a;b=c d\";"}}));
        QCOMPARE(qs(config.saslUsername), QString("KEY123"));
        QCOMPARE(qs(config.saslPassword), QString("a;b=c d"));
    }

    void jaasScramWithEscapesAndBareWords() {
        auto config = parse(withBootstrap({{"security.protocol", "SASL_PLAINTEXT"},
                                           {"sasl.mechanism", "SCRAM-SHA-256"},
                                           {"sasl.jaas.config",
                                            "org.apache.kafka.common.security.scram.ScramLoginModule  required\n"
                                            "  username=bob\n  password=\"p\\\"q\\\\r\"  ;  "}}));
        QCOMPARE(qs(config.saslUsername), QString("bob"));
        QCOMPARE(qs(config.saslPassword), QString("p\"q\\r"));
    }

    void explicitSaslUsernameWinsOverJaas() {
        auto config = parse(withBootstrap({{"security.protocol", "SASL_SSL"},
                                           {"sasl.username", "explicit"},
                                           {"sasl.jaas.config",
                                            "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                            "username=\"fromjaas\" password=\"pw\";"}}));
        QCOMPARE(qs(config.saslUsername), QString("explicit"));
        QCOMPARE(qs(config.saslPassword), QString("pw"));
    }

    void jaasErrors_data() {
        QTest::addColumn<QString>("mechanism");
        QTest::addColumn<QString>("jaas");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unclosed quote") << "PLAIN"
                                        << "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                           "username=\"u\" password=\"topsecret;"
                                        << "not closed";
        QTest::newRow("no flag") << "PLAIN"
                                 << "org.apache.kafka.common.security.plain.PlainLoginModule username=\"u\";"
                                 << "control flag";
        QTest::newRow("oauth module") << "PLAIN"
                                      << "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule "
                                         "required;"
                                      << "not supported";
        QTest::newRow("scram module with PLAIN") << "PLAIN"
                                                 << "org.apache.kafka.common.security.scram.ScramLoginModule "
                                                    "required username=\"u\" password=\"topsecret\";"
                                                 << "SCRAM-SHA-256";
        QTest::newRow("plain module with SCRAM") << "SCRAM-SHA-512"
                                                 << "org.apache.kafka.common.security.plain.PlainLoginModule "
                                                    "required username=\"u\" password=\"topsecret\";"
                                                 << "PlainLoginModule";
        QTest::newRow("option without =") << "PLAIN"
                                          << "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                             "username \"u\";"
                                          << "'='";
        QTest::newRow("two modules") << "PLAIN"
                                     << "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                        "username=\"u\"; other.Module required;"
                                     << "one login module";
    }

    void jaasErrors() {
        QFETCH(QString, mechanism);
        QFETCH(QString, jaas);
        QFETCH(QString, expected);
        QString error = errorOf(withBootstrap({{"security.protocol", "SASL_SSL"},
                                               {"sasl.mechanism", mechanism.toStdString()},
                                               {"sasl.jaas.config", jaas.toStdString()}}));
        QVERIFY2(error.startsWith("sasl.jaas.config") && error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains("topsecret"), qPrintable(error));
    }

    // A Java client's client.properties for a SASL_SSL cluster (Confluent Cloud style): every
    // setting lands where it belongs and unrelated keys stay in `properties`.
    void javaClientPropertiesFile() {
        Props props{
            {"bootstrap.servers", "pkc-abc12.eu-west-1.aws.example.cloud:9092"},
            {"security.protocol", "SASL_SSL"},
            {"sasl.mechanism", "SCRAM-SHA-256"},
            {"sasl.jaas.config",
             "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc-orders\" "
             "password=\"Xy7/pQ==\";"},
            {"ssl.truststore.location", "/etc/kafka/ca.pem"},
            {"ssl.truststore.type", "PEM"},
            {"ssl.endpoint.identification.algorithm", "https"},
            {"client.dns.lookup", "use_all_dns_ips"},
            {"session.timeout.ms", "45000"},
            {"acks", "all"},
            {"schema.registry.url", "https://psrc.example.cloud"},
            {"request.timeout.ms", "20000"},
            {"retry.backoff.ms", "500"},
        };
        auto config = parse(props);
        QCOMPARE(config.securityProtocol, SecurityProtocol::SaslSsl);
        QCOMPARE(qs(config.saslMechanism), QString("SCRAM-SHA-256"));
        QCOMPARE(qs(config.saslUsername), QString("svc-orders"));
        QCOMPARE(qs(config.saslPassword), QString("Xy7/pQ=="));
        QCOMPARE(qs(config.sslCaLocation), QString("/etc/kafka/ca.pem"));
        QVERIFY(config.sslVerifyHostname);
        QCOMPARE(config.requestTimeoutMs, 20000);
        QCOMPARE(config.retryBackoffMs, 500);
        QCOMPARE(config.properties, props);
        QCOMPARE(qs(config.stringProperty("acks", "1")), QString("all"));
    }

    void integerSettings() {
        auto config = parse(withBootstrap({{"request.timeout.ms", " 1500 "},
                                           {"socket.connection.setup.timeout.ms", "2500"},
                                           {"reconnect.backoff.ms", "0"},
                                           {"reconnect.backoff.max.ms", "4000"},
                                           {"retry.backoff.ms", "250"},
                                           {"metadata.max.age.ms", "60000"},
                                           {"connections.max.idle.ms", "-1"}}));
        QCOMPARE(config.requestTimeoutMs, 1500);
        QCOMPARE(config.connectTimeoutMs, 2500);
        QCOMPARE(config.reconnectBackoffMs, 0);
        QCOMPARE(config.reconnectBackoffMaxMs, 4000);
        QCOMPARE(config.retryBackoffMs, 250);
        QCOMPARE(config.metadataMaxAgeMs, 60000);
        QCOMPARE(config.connectionsMaxIdleMs, -1);
    }

    void badIntegers_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("letters") << "request.timeout.ms"
                                 << "abc"
                                 << "request.timeout.ms: expected an integer >= 1, got 'abc'";
        QTest::newRow("zero timeout") << "request.timeout.ms"
                                      << "0"
                                      << "request.timeout.ms: expected an integer >= 1, got '0'";
        QTest::newRow("too large") << "socket.connection.setup.timeout.ms"
                                   << "9999999999"
                                   << "socket.connection.setup.timeout.ms: expected an integer >= 1, got '9999999999'";
        QTest::newRow("negative backoff") << "reconnect.backoff.ms"
                                          << "-5"
                                          << "reconnect.backoff.ms: expected an integer >= 0, got '-5'";
        QTest::newRow("fraction") << "retry.backoff.ms"
                                  << "1.5"
                                  << "retry.backoff.ms: expected an integer >= 0, got '1.5'";
        QTest::newRow("empty") << "metadata.max.age.ms"
                               << ""
                               << "metadata.max.age.ms: expected an integer >= 0, got ''";
        QTest::newRow("backoff max") << "reconnect.backoff.max.ms"
                                     << "1s"
                                     << "reconnect.backoff.max.ms: expected an integer >= 0, got '1s'";
        QTest::newRow("idle") << "connections.max.idle.ms"
                              << "-2"
                              << "connections.max.idle.ms: expected an integer >= -1, got '-2'";
    }

    void badIntegers() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(errorOf(withBootstrap({{key.toStdString(), value.toStdString()}})), expected);
    }

    void poolKeyIgnoresServerOrderButNotIdentity() {
        Props base{{"bootstrap.servers", "b:1,a:2"},
                   {"security.protocol", "SASL_SSL"},
                   {"sasl.mechanism", "PLAIN"},
                   {"sasl.username", "alice"},
                   {"sasl.password", "alice-secret"}};
        std::string key = parse(base).poolKey();
        QVERIFY2(key.find("alice-secret") == std::string::npos, key.c_str());

        Props reordered = base;
        reordered["bootstrap.servers"] = "a:2, b:1";
        QCOMPARE(qs(parse(reordered).poolKey()), qs(key));

        auto differs = [&](const std::string& name, const std::string& value) {
            Props changed = base;
            changed[name] = value;
            return parse(changed).poolKey() != key;
        };
        QVERIFY(differs("bootstrap.servers", "a:2,c:1"));
        QVERIFY(differs("security.protocol", "SASL_PLAINTEXT"));
        QVERIFY(differs("sasl.mechanism", "SCRAM-SHA-256"));
        QVERIFY(differs("sasl.username", "bob"));
        QVERIFY(differs("sasl.password", "other-secret"));
        QVERIFY(differs("ssl.certificate.location", "/etc/kafka/client.pem"));
        QVERIFY(differs("ssl.ca.location", "/etc/kafka/ca.pem"));
        QVERIFY(!differs("linger.ms", "5"));
    }

    void intProperty() {
        ClientConfig config = parse(withBootstrap({{"linger.ms", "5"}, {"batch.size", "x"}, {"acks", "-1"}}));
        auto linger = config.intProperty("linger.ms", 0, 0, 900000);
        QVERIFY(linger.ok());
        QCOMPARE(linger.value(), int64_t(5));
        auto absent = config.intProperty("fetch.min.bytes", 1, 0, 1000);
        QVERIFY(absent.ok());
        QCOMPARE(absent.value(), int64_t(1));
        auto bad = config.intProperty("batch.size", 16384, 0, 1 << 30);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, ErrorKind::InvalidArgument);
        QVERIFY2(bad.error().message.find("batch.size") != std::string::npos, bad.error().message.c_str());
        auto outOfRange = config.intProperty("acks", 1, 0, 1);
        QVERIFY(!outOfRange.ok());
        QCOMPARE(qs(outOfRange.error().message), QString("acks: expected an integer between 0 and 1, got '-1'"));
    }

    void boolProperty() {
        ClientConfig config =
            parse(withBootstrap({{"enable.idempotence", "TRUE"}, {"enable.auto.commit", "false"}, {"x", "maybe"}}));
        QCOMPARE(config.boolProperty("enable.idempotence", false).value(), true);
        QCOMPARE(config.boolProperty("enable.auto.commit", true).value(), false);
        QCOMPARE(config.boolProperty("absent", true).value(), true);
        auto bad = config.boolProperty("x", false);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("'maybe'") != std::string::npos, bad.error().message.c_str());
    }

    void stringProperty() {
        ClientConfig config = parse(withBootstrap({{"isolation.level", "read_committed"}}));
        QCOMPARE(qs(config.stringProperty("isolation.level", "read_uncommitted")), QString("read_committed"));
        QCOMPARE(qs(config.stringProperty("auto.offset.reset", "latest")), QString("latest"));
    }

    void parseHostPortCases_data() {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("name") << "localhost:9092"
                              << "localhost" << 9092;
        QTest::newRow("ipv4") << "127.0.0.1:1"
                              << "127.0.0.1" << 1;
        QTest::newRow("ipv6") << "[::1]:65535"
                              << "::1" << 65535;
        QTest::newRow("spaces") << "  kafka.example.com:9093 "
                                << "kafka.example.com" << 9093;
    }

    void parseHostPortCases() {
        QFETCH(QString, entry);
        QFETCH(QString, host);
        QFETCH(int, port);
        auto parsed = parseHostPort(entry.toStdString());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QCOMPARE(qs(parsed->host), host);
        QCOMPARE(int(parsed->port), port);
    }

    void parseHostPortErrors_data() {
        QTest::addColumn<QString>("entry");
        QTest::newRow("empty") << "";
        QTest::newRow("no port") << "localhost";
        QTest::newRow("empty port") << "localhost:";
        QTest::newRow("no host") << ":9092";
        QTest::newRow("letters") << "localhost:http";
        QTest::newRow("negative") << "localhost:-1";
        QTest::newRow("zero") << "localhost:0";
        QTest::newRow("too big") << "localhost:70000";
        QTest::newRow("ipv6 unclosed") << "[::1:9092";
        QTest::newRow("ipv6 no port") << "[::1]";
        QTest::newRow("ipv6 no brackets") << "fe80::1:9092";
        QTest::newRow("empty ipv6") << "[]:9092";
    }

    void parseHostPortErrors() {
        QFETCH(QString, entry);
        auto parsed = parseHostPort(entry.toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ErrorKind::InvalidArgument);
        if (!entry.isEmpty())
            QVERIFY2(qs(parsed.error().message).contains(entry.trimmed()), parsed.error().message.c_str());
    }
};

QTEST_APPLESS_MAIN(ClientConfigTest)
#include "clientconfig_test.moc"
