// ConnectionStore: profiles saved, reloaded and removed through an INI file, passwords never in
// it, and the session-only memory that stands in when there is no keychain (as on CI).
#include "models/connectionstore.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace partita::models;

namespace {

const QString kPassword = QStringLiteral("s3cret-Passw0rd");

ConnectionProfile saslProfile(const QString& name) {
    ConnectionProfile profile = ConnectionProfile::create(name);
    profile.setProperty("bootstrap.servers", "kafka-1.example.com:9093,kafka-2.example.com:9093");
    profile.setProperty("security.protocol", "SASL_SSL");
    profile.setProperty("sasl.mechanism", "SCRAM-SHA-512");
    profile.setProperty("sasl.username", "alice");
    profile.setProperty("request.timeout.ms", "15000");
    profile.secrets.insert("sasl.password", kPassword);
    return profile;
}

}  // namespace

class ConnectionStoreTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString iniPath() const { return m_dir.filePath("partita.ini"); }

private slots:
    void init() { QFile::remove(iniPath()); }

    void savedProfilesComeBackInOrder() {
        ConnectionProfile first = saslProfile("production");
        ConnectionProfile second = ConnectionProfile::create("local");
        second.setProperty("bootstrap.servers", "localhost:9092");
        second.metricsEndpoints = {"1=http://localhost:7071/metrics", "2=http://localhost:7072/metrics"};
        {
            QSettings settings(iniPath(), QSettings::IniFormat);
            ConnectionStore store(&settings, ConnectionStore::Keychain::Disabled);
            QSignalSpy changed(&store, &ConnectionStore::profilesChanged);
            store.save(first);
            store.save(second);
            QCOMPARE(changed.count(), 2);
        }
        QSettings settings(iniPath(), QSettings::IniFormat);
        ConnectionStore reloaded(&settings, ConnectionStore::Keychain::Disabled);
        const auto profiles = reloaded.profiles();
        QCOMPARE(profiles.size(), 2);
        QCOMPARE(profiles[0].id, first.id);
        QCOMPARE(profiles[0].name, QStringLiteral("production"));
        QCOMPARE(profiles[0].properties, first.properties);
        QVERIFY(profiles[0].hasPassword);
        QVERIFY(profiles[0].secrets.isEmpty());
        QCOMPARE(profiles[1].property("bootstrap.servers"), QStringLiteral("localhost:9092"));
        QCOMPARE(profiles[1].metricsEndpoints, second.metricsEndpoints);
        QVERIFY(profiles[0].metricsEndpoints.isEmpty());
        QVERIFY(!profiles[1].hasPassword);
    }

    void editingReplacesAndRemovingForgets() {
        QSettings settings(iniPath(), QSettings::IniFormat);
        ConnectionStore store(&settings, ConnectionStore::Keychain::Disabled);
        ConnectionProfile profile = saslProfile("staging");
        store.save(profile);
        profile.name = "staging (eu)";
        store.save(profile);
        QCOMPARE(store.profiles().size(), 1);
        QCOMPARE(store.profile(profile.id)->name, QStringLiteral("staging (eu)"));
        store.remove(profile.id);
        QVERIFY(store.profiles().isEmpty());
        QVERIFY(!store.profile(profile.id));
        QSettings reread(iniPath(), QSettings::IniFormat);
        ConnectionStore reloaded(&reread, ConnectionStore::Keychain::Disabled);
        QVERIFY(reloaded.profiles().isEmpty());
    }

    void passwordNeverReachesTheSettingsFile() {
        {
            QSettings settings(iniPath(), QSettings::IniFormat);
            ConnectionStore store(&settings);  // whatever keychain this machine has, or none
            ConnectionProfile profile = saslProfile("prod");
            profile.setProperty("sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                                "username=\"alice\" password=\"" +
                                    kPassword + "\";");
            profile.secrets.insert("ssl.key.password", kPassword + "-key");
            profile.properties.insert("ssl.key.password", kPassword + "-key");  // even if misplaced
            store.save(profile);
            settings.sync();
        }
        QFile file(iniPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("alice"));  // the file is the one written
        QVERIFY2(!text.contains(kPassword.toUtf8()), text.constData());
        QVERIFY(!text.contains("password"));
    }

    void withoutKeychainSecretsLiveForTheSession() {
        qputenv("PARTITA_NO_KEYCHAIN", "1");
        QSettings settings(iniPath(), QSettings::IniFormat);
        ConnectionStore store(&settings);
        QSignalSpy unavailable(&store, &ConnectionStore::keychainUnavailable);
        QVERIFY(!store.keychainAvailable());
        QVERIFY(unavailable.wait(5000));
        QCOMPARE(unavailable.count(), 1);

        ConnectionProfile profile = saslProfile("prod");
        QSignalSpy stored(&store, &ConnectionStore::secretsStored);
        store.save(profile);
        QCOMPARE(stored.count(), 1);
        QCOMPARE(stored.at(0).at(1).toBool(), false);

        ConnectionProfile::Secrets read;
        bool found = false;
        bool answered = false;
        store.readSecrets(profile.id, [&](const ConnectionProfile::Secrets& secrets, bool ok) {
            read = secrets;
            found = ok;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
        QVERIFY(found);
        QCOMPARE(read.value("sasl.password"), kPassword);

        // Next session: the password is gone, so the UI has to ask (once), and its answer is kept.
        QSettings again(iniPath(), QSettings::IniFormat);
        ConnectionStore next(&again);
        answered = false;
        next.readSecrets(profile.id, [&](const ConnectionProfile::Secrets& secrets, bool ok) {
            read = secrets;
            found = ok;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
        QVERIFY(!found);
        QVERIFY(read.isEmpty());
        next.rememberForSession(profile.id, {{"sasl.password", "typed"}});
        answered = false;
        next.readSecrets(profile.id, [&](const ConnectionProfile::Secrets& secrets, bool ok) {
            read = secrets;
            found = ok;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
        QVERIFY(found);
        QCOMPARE(read.value("sasl.password"), QStringLiteral("typed"));
        qunsetenv("PARTITA_NO_KEYCHAIN");
    }

    void profileWithoutPasswordNeedsNone() {
        QSettings settings(iniPath(), QSettings::IniFormat);
        ConnectionStore store(&settings, ConnectionStore::Keychain::Disabled);
        ConnectionProfile profile = ConnectionProfile::create("local");
        profile.setProperty("bootstrap.servers", "localhost:9092");
        store.save(profile);
        bool found = false;
        bool answered = false;
        store.readSecrets(profile.id, [&](const ConnectionProfile::Secrets&, bool ok) {
            found = ok;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
        QVERIFY(found);
    }
};

QTEST_GUILESS_MAIN(ConnectionStoreTest)
#include "connectionstore_test.moc"
