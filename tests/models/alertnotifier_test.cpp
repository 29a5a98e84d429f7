// Tests of AlertNotifier against a loopback HTTP receiver: one POST per Firing / Resolved transition
// per webhook, retries on 5xx and network errors (each attempt logged), Slack bodies, silences, and
// the desktop / sound callbacks.
#include "models/alertnotifier.h"
#include "loopbackhttpreceiver.h"
#include "models/metricnames.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace partita::models;
using State = AlertInstance::State;
using Receiver = partita::tests::LoopbackHttpReceiver;

namespace {

AlertTransition transition(State from, State to, qint64 ms, Severity severity = Severity::Critical,
                           const QString& subject = QStringLiteral("broker:1")) {
    AlertTransition t;
    t.alert.ruleId = QStringLiteral("broker-down");
    t.alert.ruleName = QStringLiteral("Broker down");
    t.alert.severity = severity;
    t.alert.series = SeriesKey{QStringLiteral("local"), QString::fromLatin1(metrics::brokerUp), subject};
    t.alert.state = to;
    t.alert.value = 0;
    t.alert.threshold = 1;
    t.alert.pendingSince = 1000;
    t.alert.firingSince = to == State::Pending ? 0 : 2000;
    t.alert.resolvedAt = to == State::Resolved ? ms : 0;
    t.from = from;
    t.to = to;
    t.ms = ms;
    return t;
}

QJsonObject json(const QByteArray& body) {
    return QJsonDocument::fromJson(body).object();
}

int webhookEntries(const AlertNotifier& notifier) {
    int n = 0;
    for (const auto& e : notifier.log()) n += e.channel.startsWith(QLatin1String("webhook "));
    return n;
}

}  // namespace

class AlertNotifierTest : public QObject {
    Q_OBJECT
private slots:
    void onePostPerTransition() {
        Receiver receiver;
        AlertNotifier notifier;
        notifier.setWebhooks({{receiver.url(), false, Severity::Warning, true}});
        QSignalSpy logged(&notifier, &AlertNotifier::logged);

        notifier.notify(transition(State::Pending, State::Pending, 1000));  // not notified
        const AlertTransition firing = transition(State::Pending, State::Firing, 2000);
        notifier.notify(firing);
        notifier.notify(firing);  // the same transition again: nothing twice
        notifier.notify(transition(State::Firing, State::Resolved, 9000));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 2, 15000);
        QTRY_COMPARE(webhookEntries(notifier), 2);
        QTest::qWait(300);
        QCOMPARE(receiver.bodies.size(), 2);
        QCOMPARE(receiver.requests, (QByteArrayList{"POST", "POST"}));

        QJsonObject fired, resolved;
        for (const QByteArray& body : receiver.bodies) {
            const QJsonObject o = json(body);
            (o.value("status").toString() == "firing" ? fired : resolved) = o;
        }
        QCOMPARE(fired.value("status").toString(), QStringLiteral("firing"));
        QCOMPARE(fired.value("rule").toString(), QStringLiteral("Broker down"));
        QCOMPARE(fired.value("severity").toString(), QStringLiteral("critical"));
        QCOMPARE(fired.value("cluster").toString(), QStringLiteral("local"));
        QCOMPARE(fired.value("subject").toString(), QStringLiteral("broker:1"));
        QCOMPARE(fired.value("metric").toString(), QStringLiteral("broker_up"));
        QCOMPARE(fired.value("value").toDouble(), 0.0);
        QCOMPARE(fired.value("threshold").toDouble(), 1.0);
        QCOMPARE(QDateTime::fromString(fired.value("since").toString(), Qt::ISODateWithMs).toMSecsSinceEpoch(), 2000);
        QCOMPARE(resolved.value("status").toString(), QStringLiteral("resolved"));
        for (const auto& e : notifier.log()) {
            QVERIFY(e.ok);
            QCOMPARE(e.attempt, 1);
            QCOMPARE(e.channel, "webhook " + receiver.url());
            QCOMPARE(e.detail, QStringLiteral("HTTP 200"));
        }
        QCOMPARE(logged.count(), 2);
    }

    void retriesServerErrorsWithEachAttemptLogged() {
        Receiver receiver;
        receiver.statuses = {500, 500};
        AlertNotifier notifier;
        notifier.setRetry(3, 20);
        notifier.setWebhooks({{receiver.url(), false, Severity::Warning, true}});
        notifier.notify(transition(State::Pending, State::Firing, 2000));
        QTRY_COMPARE_WITH_TIMEOUT(webhookEntries(notifier), 3, 15000);
        QCOMPARE(receiver.bodies.size(), 3);
        QCOMPARE(receiver.bodies[0], receiver.bodies[2]);  // the same notification each time
        const auto& log = notifier.log();
        QCOMPARE(log[0].attempt, 1);
        QVERIFY(!log[0].ok);
        QVERIFY2(log[0].detail.contains("500"), qPrintable(log[0].detail));
        QCOMPARE(log[1].attempt, 2);
        QVERIFY(!log[1].ok);
        QCOMPARE(log[2].attempt, 3);
        QVERIFY(log[2].ok);
        QTest::qWait(200);
        QCOMPARE(receiver.bodies.size(), 3);
    }

    void clientErrorsAreNotRetried() {
        Receiver receiver;
        receiver.statuses = {404};
        AlertNotifier notifier;
        notifier.setRetry(3, 20);
        notifier.setWebhooks({{receiver.url(), false, Severity::Warning, true}});
        notifier.notify(transition(State::Pending, State::Firing, 2000));
        QTRY_COMPARE_WITH_TIMEOUT(webhookEntries(notifier), 1, 15000);
        QVERIFY(!notifier.log().front().ok);
        QTest::qWait(200);
        QCOMPARE(receiver.bodies.size(), 1);
    }

    void networkErrorsAreRetried() {
        quint16 port = 0;
        {
            QTcpServer closed;  // a port nobody listens on once this scope ends
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            port = closed.serverPort();
        }
        AlertNotifier notifier;
        notifier.setRetry(2, 20);
        notifier.setWebhooks({{QStringLiteral("http://127.0.0.1:%1/hook").arg(port), false, Severity::Info, true}});
        notifier.notify(transition(State::Pending, State::Firing, 2000));
        QTRY_COMPARE_WITH_TIMEOUT(webhookEntries(notifier), 2, 15000);
        QVERIFY(!notifier.log()[0].ok);
        QVERIFY(!notifier.log()[1].ok);
        QCOMPARE(notifier.log()[1].attempt, 2);
    }

    void slackBody() {
        Receiver receiver;
        AlertNotifier notifier;
        notifier.setWebhooks({{receiver.url(), true, Severity::Warning, true}});
        notifier.notify(transition(State::Pending, State::Firing, 2000));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 1, 15000);
        const QJsonObject o = json(receiver.bodies.front());
        QCOMPARE(o.keys(), QStringList{"text"});
        const QString text = o.value("text").toString();
        QVERIFY2(text.startsWith("[FIRING] Broker down (critical)"), qPrintable(text));
        QVERIFY2(text.contains("broker:1") && text.contains("local"), qPrintable(text));
        QVERIFY(QString::fromUtf8(AlertNotifier::slackBody(transition(State::Firing, State::Resolved, 5000)))
                    .contains("[RESOLVED]"));
    }

    void silencedAndFilteredAlertsSendNothing() {
        Receiver receiver;
        AlertNotifier notifier;
        int desktop = 0;
        notifier.setDesktop([&desktop](const AlertTransition&) { ++desktop; });
        notifier.setWebhooks({{receiver.url(), false, Severity::Warning, true},
                              {receiver.url() + "2", false, Severity::Warning, false}});  // disabled
        AlertTransition silenced = transition(State::Pending, State::Firing, 2000);
        silenced.alert.silencedUntil = 60000;
        notifier.notify(silenced);
        notifier.notify(transition(State::Pending, State::Firing, 2000, Severity::Info, "broker:2"));  // below minimum
        // A notification that does go out, after which nothing else may have arrived.
        notifier.notify(transition(State::Pending, State::Firing, 2000, Severity::Warning, "broker:3"));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 1, 15000);
        QTest::qWait(200);
        QCOMPARE(receiver.bodies.size(), 1);
        QCOMPARE(json(receiver.bodies.front()).value("subject").toString(), QStringLiteral("broker:3"));
        QCOMPARE(desktop, 2);  // the info one reaches the desktop, the silenced one nothing

        // A silence that has ended no longer holds anything back.
        AlertTransition later = transition(State::Firing, State::Resolved, 70000);
        later.alert.silencedUntil = 60000;
        notifier.notify(later);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 2, 15000);
    }

    void desktopAndSound() {
        AlertNotifier notifier;
        QList<State> shown;
        int beeps = 0;
        notifier.setDesktop([&shown](const AlertTransition& t) { shown << t.to; });
        notifier.setSound([&beeps] { ++beeps; });
        notifier.notify(transition(State::Pending, State::Firing, 2000));
        QCOMPARE(beeps, 0);  // sound is off by default
        notifier.setSoundForCritical(true);
        notifier.notify(transition(State::Pending, State::Firing, 3000, Severity::Critical, "broker:2"));
        notifier.notify(transition(State::Pending, State::Firing, 3000, Severity::Warning, "broker:3"));
        notifier.notify(transition(State::Firing, State::Resolved, 4000, Severity::Critical, "broker:2"));
        QCOMPARE(beeps, 1);
        QCOMPARE(shown, (QList<State>{State::Firing, State::Firing, State::Firing, State::Resolved}));
        QCOMPARE(notifier.log().size(), size_t(5));  // 4 desktop + 1 sound
        QCOMPARE(notifier.log()[2].channel, QStringLiteral("sound"));
    }
};

QTEST_GUILESS_MAIN(AlertNotifierTest)
#include "alertnotifier_test.moc"
