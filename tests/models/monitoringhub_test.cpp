// End-to-end tests of the monitoring with real processes: a stopped broker fires "broker down"
// within the rule's time and resolves after a restart, with exactly one webhook POST per
// transition; a kcat group that stops consuming while kcat keeps producing shows its lag growing,
// then STOP, and fires "lag growing"; every frame lands in the metric history.
#include "clienttestutil.h"
#include "loopbackhttpreceiver.h"
#include "partitadprocess.h"

#include "models/alertengine.h"
#include "models/clustersession.h"
#include "models/lagstatus.h"
#include "models/metrichistory.h"
#include "models/metricnames.h"
#include "models/monitoringhub.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace partita;
using namespace partita::models;
using partita::tests::LoopbackHttpReceiver;
using partita::tests::PartitadProcess;

namespace {

const int kIntervalMs = 400;

std::optional<double> valueOf(const MetricFrame& frame, const char* metric, const QString& subject) {
    for (const auto& [key, value] : frame.values)
        if (key.metric == QLatin1String(metric) && key.subject == subject) return value;
    return std::nullopt;
}

AlertRule rule(const QString& id, const char* metric, const QString& scope, AlertRule::Op op, double threshold,
               qint64 forMs, Severity severity) {
    AlertRule r;
    r.id = id;
    r.name = id;
    r.metric = QString::fromLatin1(metric);
    r.scopeKind = scope;
    r.op = op;
    r.threshold = threshold;
    r.forMs = forMs;
    r.severity = severity;
    return r;
}

QString stateOf(const AlertEngine& engine, const QString& ruleId) {
    for (const AlertInstance& alert : engine.active())
        if (alert.ruleId == ruleId) return alertStateName(alert.state);
    return {};
}

}  // namespace

class MonitoringHubTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settings;

    std::unique_ptr<MonitoringHub> newHub(const QTemporaryDir& dir) {
        auto hub = std::make_unique<MonitoringHub>(dir.filePath("metrics.sqlite"), dir.filePath("rules.json"));
        hub->setInterval(kIntervalMs);
        return hub;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    }

    void brokerDownFiresAndResolvesWithOnePostEach() {
        QTemporaryDir dir;
        PartitadProcess broker(dir.filePath("broker"));
        QVERIFY(broker.start());
        ClusterSession session(tests::clientConfig(broker.bootstrap()));
        session.setRefreshInterval(kIntervalMs);
        auto hub = newHub(dir);
        LoopbackHttpReceiver receiver;
        hub->setWebhooks({{receiver.url(), false, Severity::Warning, true}});
        QString error;
        QVERIFY2(hub->setRules(
                     {rule("broker-down", metrics::brokerUp, "broker", AlertRule::Op::Lt, 1, 2000, Severity::Critical)},
                     &error),
                 qPrintable(error));
        QSignalSpy frames(hub.get(), &MonitoringHub::frameReady);
        hub->addCluster(QStringLiteral("local"), &session);

        QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty() && valueOf(frames.last().at(0).value<MetricFrame>(),
                                                              metrics::brokerUp, QStringLiteral("broker:1")) == 1.0,
                                 30000);
        QVERIFY(hub->alerts()->active().empty());

        QVERIFY(broker.stop() == 0);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*hub->alerts(), "broker-down"), QStringLiteral("firing"), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 1, 30000);
        const QJsonObject fired = QJsonDocument::fromJson(receiver.bodies.at(0)).object();
        QCOMPARE(fired.value("status").toString(), QStringLiteral("firing"));
        QCOMPARE(fired.value("severity").toString(), QStringLiteral("critical"));
        QCOMPARE(fired.value("subject").toString(), QStringLiteral("broker:1"));

        QVERIFY(broker.restart());
        QTRY_VERIFY_WITH_TIMEOUT(hub->alerts()->active().empty(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 2, 30000);
        QCOMPARE(QJsonDocument::fromJson(receiver.bodies.at(1)).object().value("status").toString(),
                 QStringLiteral("resolved"));
        QCOMPARE(hub->alerts()->history().front().ruleId, QStringLiteral("broker-down"));
        // Nothing more: one POST per transition, none for the frames in between.
        const qsizetype seen = frames.size();
        QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= seen + 3, 30000);
        QCOMPARE(receiver.bodies.size(), 2);
        QCOMPARE(receiver.requests.at(0), QByteArray("POST"));

        // The frames are in the history.
        std::vector<Sample> stored;
        bool answered = false;
        hub->history()->query(
            {QStringLiteral("local"), QString::fromLatin1(metrics::brokerUp), QStringLiteral("broker:1")}, 0,
            QDateTime::currentMSecsSinceEpoch() + 1000, 1000, this, [&](std::vector<Sample> s) {
                stored = std::move(s);
                answered = true;
            });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 30000);
        QVERIFY(stored.size() >= 3);
        QVERIFY(std::any_of(stored.begin(), stored.end(), [](const Sample& s) { return s.value == 0; }));
        QCOMPARE(stored.back().value, 1.0);
    }

    void stoppedConsumerLagGrowsThenStops() {
        const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        QVERIFY2(!kcat.isEmpty(), "kcat is missing: run `make deps`");
        QTemporaryDir dir;
        PartitadProcess broker(dir.filePath("broker"));
        QVERIFY(broker.start({"num.partitions=1"}));
        ClusterSession session(tests::clientConfig(broker.bootstrap()));
        session.setRefreshInterval(kIntervalMs);
        QVERIFY(session.admin().has_value());
        QVERIFY(tests::createTopic(*session.admin(), "events", 1).isEmpty());

        // kcat keeps producing for the whole test: a short-lived `kcat -P` with 20 lines every 300 ms
        // (one long-lived kcat reads its stdin in blocks, so lines written slowly arrive in bursts).
        std::vector<std::unique_ptr<QProcess>> producers;
        QTimer feed;
        int n = 0;
        connect(&feed, &QTimer::timeout, this, [&] {
            auto producer = std::make_unique<QProcess>();
            producer->start(kcat, {"-b", broker.bootstrap(), "-P", "-t", "events"});
            QByteArray lines;
            for (int i = 0; i < 20; ++i) lines += QByteArray::number(n++) + '\n';
            producer->write(lines);
            producer->closeWriteChannel();
            producers.push_back(std::move(producer));
        });
        feed.start(300);
        // A kcat group consumer committing often.
        QProcess consumer;
        consumer.start(kcat, {"-b", broker.bootstrap(), "-G", "billing", "events", "-X", "auto.commit.interval.ms=100",
                              "-X", "auto.offset.reset=earliest", "-q"});
        QVERIFY(consumer.waitForStarted());

        auto hub = newHub(dir);
        QString error;
        QVERIFY2(hub->setRules({rule("lag-growing", metrics::groupLagStatus, "group", AlertRule::Op::Ge,
                                     double(int(LagStatus::Warn)), 1000, Severity::Warning)},
                               &error),
                 qPrintable(error));
        QSignalSpy frames(hub.get(), &MonitoringHub::frameReady);
        hub->addCluster(QStringLiteral("local"), &session);
        const QString group = QStringLiteral("group:billing");
        // Consuming: the group is there and keeps up.
        QTRY_VERIFY_WITH_TIMEOUT(
            !frames.isEmpty() &&
                valueOf(frames.last().at(0).value<MetricFrame>(), metrics::groupLag, group).value_or(1e9) < 200,
            60000);
        // A whole window of samples while it consumes and commits, so what follows is judged against
        // progress (on a busy machine it may fall a little behind: WARN is fine, a stopped status not).
        const qsizetype consuming = frames.size();
        auto committing = [&] {
            const LagVerdict verdict = hub->lag().group("local", "billing");
            return frames.size() >= consuming + 12 &&
                   (verdict.status == LagStatus::Ok || verdict.status == LagStatus::Warn) && verdict.consumePerSec > 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(committing(), 120000);

        // The consumer dies; production goes on.
        consumer.kill();
        consumer.waitForFinished();
        const qsizetype killedAt = frames.size();
        QTRY_COMPARE_WITH_TIMEOUT(hub->lag().group("local", "billing").status, LagStatus::Stop, 60000);
        // The lag grew frame after frame in between.
        std::vector<double> lags;
        for (qsizetype i = killedAt; i < frames.size(); ++i)
            if (auto lag = valueOf(frames.at(i).at(0).value<MetricFrame>(), metrics::groupLag, group))
                lags.push_back(*lag);
        QVERIFY(lags.size() >= 5);
        QVERIFY2(lags.back() > lags.front() + 20,
                 qPrintable(QStringLiteral("%1 → %2").arg(lags.front()).arg(lags.back())));
        QVERIFY(hub->lag().group("local", "billing").lagSeconds > 0);
        // The groups list's trend: the last values of the lag, newest last.
        const QList<double> trend = hub->recent({"local", QString::fromLatin1(metrics::groupLag), group});
        QVERIFY(trend.size() >= 5 && trend.size() <= MonitoringHub::kRecentValues);
        QCOMPARE(trend.last(), lags.back());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*hub->alerts(), "lag-growing"), QStringLiteral("firing"), 30000);

        feed.stop();
        for (auto& producer : producers) producer->waitForFinished(10000);
    }
};

QTEST_MAIN(MonitoringHubTest)
#include "monitoringhub_test.moc"
