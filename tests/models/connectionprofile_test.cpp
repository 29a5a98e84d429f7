// ConnectionProfile: per-field validation a user sees in the dialog, and the import of Java client
// .properties files (jaas config, PEM stores, librdkafka spellings).
#include "models/connectionprofile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace partita::models;

class ConnectionProfileTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString& name, const QByteArray& text) {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly)) return {};
        file.write(text);
        return file.fileName();
    }

    static ConnectionProfile valid() {
        ConnectionProfile profile = ConnectionProfile::create("local");
        profile.setProperty("bootstrap.servers", "localhost:9092");
        return profile;
    }

private slots:
    void validProfileHasNoErrors() {
        QVERIFY(valid().validate().isEmpty());
        auto config = valid().toClientConfig();
        QVERIFY(config.ok());
        QCOMPARE(config->bootstrapServers.size(), size_t(1));
    }

    void eachFieldSaysWhatIsWrong() {
        ConnectionProfile profile = valid();
        profile.setProperty("bootstrap.servers", "");
        QVERIFY(profile.validate().contains("bootstrap.servers"));
        profile.setProperty("bootstrap.servers", "localhost:99999");
        QVERIFY(profile.validate().value("bootstrap.servers").contains("localhost:99999"));
        profile.setProperty("bootstrap.servers", "localhost");
        QVERIFY(profile.validate().contains("bootstrap.servers"));

        profile = valid();
        profile.setProperty("security.protocol", "SASL_PLAINTEXT");
        QVERIFY(profile.validate().contains("sasl.username"));
        profile.setProperty("sasl.username", "alice");
        QVERIFY2(profile.validate().isEmpty(), qPrintable(profile.validate().values().join("; ")));

        profile.setProperty("security.protocol", "KERBEROS");
        QVERIFY(profile.validate().contains("security.protocol"));

        profile = valid();
        profile.setProperty("security.protocol", "SSL");
        profile.setProperty("ssl.ca.location", m_dir.filePath("missing-ca.pem"));
        QVERIFY(profile.validate().value("ssl.ca.location").contains("missing-ca.pem"));

        profile = valid();
        profile.name.clear();
        QVERIFY(profile.validate().contains("name"));

        profile = valid();
        profile.metricsEndpoints = {"1=http://kafka-1:7071/metrics", "https://kafka-2:7071/metrics"};
        QVERIFY2(profile.validate().isEmpty(), qPrintable(profile.validate().values().join("; ")));
        profile.metricsEndpoints << "kafka-3:7071";
        QVERIFY(profile.validate().value("metrics.endpoints").contains("kafka-3:7071"));
        profile.metricsEndpoints = {"x=http://kafka-1:7071/metrics"};
        QVERIFY(profile.validate().contains("metrics.endpoints"));

        profile = valid();
        profile.setProperty("request.timeout.ms", "soon");
        QVERIFY(profile.validate().value(QString()).contains("request.timeout.ms"));
    }

    void importsAJavaClientPropertiesFile() {
        const QString ca = write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
        const QString path = write("prod-cluster.properties",
                                   "# Confluent Cloud style\n"
                                   "bootstrap.servers=kafka-1.example.com:9093,kafka-2.example.com:9093\n"
                                   "security.protocol=SASL_SSL\n"
                                   "sasl.mechanism=SCRAM-SHA-256\n"
                                   "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule "
                                   "required \\\n    username=\"alice\" password=\"pa55\";\n"
                                   "ssl.truststore.type=PEM\n"
                                   "ssl.truststore.location=" +
                                       ca.toUtf8() +
                                       "\n"
                                       "ssl.truststore.password=changeit\n"
                                       "request.timeout.ms=20000\n");
        ConnectionProfile profile;
        QString error;
        QVERIFY2(ConnectionProfile::fromPropertiesFile(path, &profile, &error), qPrintable(error));
        QCOMPARE(profile.name, QStringLiteral("prod-cluster"));
        QVERIFY(!profile.id.isEmpty());
        QCOMPARE(profile.property("bootstrap.servers"),
                 QStringLiteral("kafka-1.example.com:9093,kafka-2.example.com:9093"));
        QCOMPARE(profile.property("security.protocol"), QStringLiteral("SASL_SSL"));
        QCOMPARE(profile.property("sasl.mechanism"), QStringLiteral("SCRAM-SHA-256"));
        QCOMPARE(profile.property("sasl.username"), QStringLiteral("alice"));
        QCOMPARE(profile.secrets.value("sasl.password"), QStringLiteral("pa55"));
        QCOMPARE(profile.property("ssl.ca.location"), ca);
        QCOMPARE(profile.property("request.timeout.ms"), QStringLiteral("20000"));
        for (auto it = profile.properties.cbegin(); it != profile.properties.cend(); ++it)
            QVERIFY2(!ConnectionProfile::isSecretKey(it.key()), qPrintable(it.key()));
        QVERIFY(profile.hasPassword);
        QVERIFY2(profile.validate().isEmpty(), qPrintable(profile.validate().values().join("; ")));
    }

    void unreadableFileSaysWhy() {
        ConnectionProfile profile;
        QString error;
        QVERIFY(!ConnectionProfile::fromPropertiesFile(m_dir.filePath("nope.properties"), &profile, &error));
        QVERIFY(error.contains("nope.properties"));
    }
};

QTEST_GUILESS_MAIN(ConnectionProfileTest)
#include "connectionprofile_test.moc"
