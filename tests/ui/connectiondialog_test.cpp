// ConnectionDialog as a user drives it: validation messages and the OK button, .properties import,
// the connection test against a real partitad and a closed port, and the password kept out of the
// settings file after saving.
#include "partitadprocess.h"

#include "models/connectionstore.h"
#include "ui/connectiondialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace partita;
using partita::ui::ConnectionDialog;

namespace {

template <class T>
T* child(QWidget& dialog, const QString& name) {
    T* found = dialog.findChild<T*>(name);
    if (found == nullptr) qFatal("no child %s", qPrintable(name));
    return found;
}

QPushButton* okButton(QWidget& dialog) {
    return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

QString errorOf(QWidget& dialog, const QString& kafkaName) {
    QLabel* label = child<QLabel>(dialog, kafkaName + ".error");
    return label->isVisibleTo(&dialog) ? label->text() : QString();
}

QStringList stepTexts(QWidget& dialog) {
    QStringList texts;
    auto* steps = child<QListWidget>(dialog, "testSteps");
    for (int i = 0; i < steps->count(); ++i) texts << steps->item(i)->text();
    return texts;
}

void type(QWidget& dialog, const QString& name, const QString& text) {
    auto* edit = child<QLineEdit>(dialog, name);
    edit->clear();
    QTest::keyClicks(edit, text);
}

}  // namespace

class ConnectionDialogTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void okNeedsAValidProfileAndSaysWhy() {
        ConnectionDialog dialog;
        dialog.show();
        QVERIFY(!okButton(dialog)->isEnabled());
        type(dialog, "name", "local");
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(errorOf(dialog, "bootstrap.servers").contains("bootstrap server"));

        type(dialog, "bootstrapServers", "localhost:909200");
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(errorOf(dialog, "bootstrap.servers").contains("localhost:909200"));

        type(dialog, "bootstrapServers", "localhost:9092");
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(errorOf(dialog, "bootstrap.servers").isEmpty());

        // SASL fields come alive with a SASL protocol, and want a username.
        QVERIFY(!child<QLineEdit>(dialog, "username")->isEnabled());
        child<QComboBox>(dialog, "securityProtocol")->setCurrentText("SASL_PLAINTEXT");
        QVERIFY(child<QLineEdit>(dialog, "username")->isEnabled());
        QVERIFY(!child<QLineEdit>(dialog, "caFile")->isEnabled());
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(!errorOf(dialog, "sasl.username").isEmpty());
        type(dialog, "username", "alice");
        QVERIFY(okButton(dialog)->isEnabled());

        // Metrics endpoints are optional; a wrong one says which.
        type(dialog, "metricsEndpoints", "1=http://kafka-1:7071/metrics, kafka-2:7071");
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(errorOf(dialog, "metrics.endpoints").contains("kafka-2:7071"));
        type(dialog, "metricsEndpoints", "1=http://kafka-1:7071/metrics, 2=http://kafka-2:7071/metrics");
        QVERIFY(okButton(dialog)->isEnabled());
        QCOMPARE(dialog.profile().metricsEndpoints,
                 QStringList({"1=http://kafka-1:7071/metrics", "2=http://kafka-2:7071/metrics"}));
    }

    void importFillsTheFields() {
        QFile file(m_dir.filePath("confluent.properties"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "bootstrap.servers=pkc-1234.europe-west1.gcp.confluent.cloud:9092\n"
            "security.protocol=SASL_SSL\n"
            "sasl.mechanism=PLAIN\n"
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
            "username='APIKEY123' password='apiSecret/456';\n"
            "client.dns.lookup=use_all_dns_ips\n"
            "session.timeout.ms=45000\n");
        file.close();
        ConnectionDialog dialog;
        QVERIFY(dialog.importPropertiesFile(file.fileName()));
        QCOMPARE(child<QLineEdit>(dialog, "name")->text(), QStringLiteral("confluent"));
        QCOMPARE(child<QLineEdit>(dialog, "bootstrapServers")->text(),
                 QStringLiteral("pkc-1234.europe-west1.gcp.confluent.cloud:9092"));
        QCOMPARE(child<QComboBox>(dialog, "securityProtocol")->currentText(), QStringLiteral("SASL_SSL"));
        QCOMPARE(child<QComboBox>(dialog, "saslMechanism")->currentText(), QStringLiteral("PLAIN"));
        QCOMPARE(child<QLineEdit>(dialog, "username")->text(), QStringLiteral("APIKEY123"));
        QCOMPARE(child<QLineEdit>(dialog, "password")->text(), QStringLiteral("apiSecret/456"));
        QCOMPARE(child<QLineEdit>(dialog, "password")->echoMode(), QLineEdit::Password);
        const auto profile = dialog.profile();
        QCOMPARE(profile.property("session.timeout.ms"), QStringLiteral("45000"));
        QCOMPARE(profile.property("client.dns.lookup"), QStringLiteral("use_all_dns_ips"));
        QVERIFY(okButton(dialog)->isEnabled());

        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(dialog.grab().save(shots + "/connectiondialog.png"));
    }

    void testConnectionShowsEveryStepOnPartitad() {
        QTemporaryDir data;
        tests::PartitadProcess partitad(data.path());
        QVERIFY(partitad.start());
        ConnectionDialog dialog;
        dialog.show();
        type(dialog, "name", "local");
        type(dialog, "bootstrapServers", partitad.bootstrap());
        QTest::mouseClick(child<QPushButton>(dialog, "testButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(dialog, "testButton")->isEnabled(), 30000);
        const QStringList steps = stepTexts(dialog);
        QCOMPARE(steps.size(), 4);  // DNS, TCP, API versions, Metadata
        for (const QString& step : steps) QVERIFY2(step.startsWith(QStringLiteral("✓")), qPrintable(steps.join('\n')));
        QVERIFY(steps.last().contains("1 broker"));
        QVERIFY(child<QLabel>(dialog, "testSummary")->text().contains("Connected"));

        QVERIFY(dialog.grab().save(QStringLiteral(PARTITA_SCREENSHOT_DIR) + "/connectiondialog-tested.png"));
    }

    void testConnectionToAClosedPortFailsAtTcp() {
        QTcpServer server;  // reserve a port, then free it so nothing listens there
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const quint16 port = server.serverPort();
        server.close();
        ConnectionDialog dialog;
        dialog.show();
        type(dialog, "name", "nowhere");
        type(dialog, "bootstrapServers", QStringLiteral("127.0.0.1:%1").arg(port));
        dialog.testConnection();
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(dialog, "testButton")->isEnabled(), 30000);
        const QStringList steps = stepTexts(dialog);
        QVERIFY2(steps.size() >= 2, qPrintable(steps.join('\n')));
        QVERIFY2(steps[0].startsWith(QStringLiteral("✓")), qPrintable(steps.join('\n')));
        QVERIFY2(steps[1].startsWith(QStringLiteral("✗")) && steps[1].contains("TCP"), qPrintable(steps.join('\n')));
        QVERIFY(child<QLabel>(dialog, "testSummary")->text().contains("TCP"));
    }

    void savedPasswordStaysOutOfTheSettingsFile() {
        const QString ini = m_dir.filePath("settings.ini");
        const QString password = QStringLiteral("hunter2-very-secret");
        {
            ConnectionDialog dialog;
            type(dialog, "name", "prod");
            type(dialog, "bootstrapServers", "kafka.example.com:9093");
            child<QComboBox>(dialog, "securityProtocol")->setCurrentText("SASL_SSL");
            child<QComboBox>(dialog, "saslMechanism")->setCurrentText("SCRAM-SHA-512");
            type(dialog, "username", "alice");
            type(dialog, "password", password);
            QVERIFY(okButton(dialog)->isEnabled());
            QSettings settings(ini, QSettings::IniFormat);
            models::ConnectionStore store(&settings);
            store.save(dialog.profile());
            settings.sync();
        }
        QFile file(ini);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("SCRAM-SHA-512"));
        QVERIFY2(!text.contains(password.toUtf8()), text.constData());
    }
};

QTEST_MAIN(ConnectionDialogTest)
#include "connectiondialog_test.moc"
