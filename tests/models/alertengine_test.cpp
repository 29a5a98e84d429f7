// Tests of AlertRule and AlertEngine on synthetic frames: durations, flapping, resolve, vanishing
// series, silence, acknowledge, patterns, validation, the defaults and rule files.
#include "models/alertengine.h"
#include "models/metricnames.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace partita::models;
using State = AlertInstance::State;

namespace {

MetricFrame frame(qint64 ms, std::vector<std::pair<QString, double>> values, const QString& cluster = "local",
                  const char* metric = metrics::underReplicatedPartitions) {
    MetricFrame f;
    f.cluster = cluster;
    f.ms = ms;
    for (auto& [subject, value] : values)
        f.values.push_back({SeriesKey{cluster, QString::fromLatin1(metric), subject}, value});
    return f;
}

AlertRule rule(const QString& id, const char* metric, const QString& scope, AlertRule::Op op, double threshold,
               qint64 forMs = 0) {
    AlertRule r;
    r.id = id;
    r.name = id;
    r.metric = QString::fromLatin1(metric);
    r.scopeKind = scope;
    r.op = op;
    r.threshold = threshold;
    r.forMs = forMs;
    return r;
}

std::vector<std::pair<State, State>> moves(const std::vector<AlertTransition>& ts) {
    std::vector<std::pair<State, State>> out;
    for (const auto& t : ts) out.emplace_back(t.from, t.to);
    return out;
}

constexpr qint64 kMinute = 60000;

}  // namespace

class AlertEngineTest : public QObject {
    Q_OBJECT
private slots:
    void firesAfterItsDurationAndResolves() {
        AlertEngine engine;
        engine.setRules(
            {rule("urp", metrics::underReplicatedPartitions, "cluster", AlertRule::Op::Gt, 0, 5 * kMinute)});
        QSignalSpy transitioned(&engine, &AlertEngine::transitioned);

        auto t = engine.evaluate(frame(0, {{"", 3}}));
        QCOMPARE(moves(t), (std::vector<std::pair<State, State>>{{State::Pending, State::Pending}}));
        QCOMPARE(engine.active().size(), size_t(1));
        QCOMPARE(engine.active().front().state, State::Pending);
        QVERIFY(engine.evaluate(frame(kMinute, {{"", 3}})).empty());
        QVERIFY(engine.evaluate(frame(4 * kMinute, {{"", 4}})).empty());
        t = engine.evaluate(frame(5 * kMinute, {{"", 4}}));
        QCOMPARE(moves(t), (std::vector<std::pair<State, State>>{{State::Pending, State::Firing}}));
        QCOMPARE(t.front().alert.firingSince, 5 * kMinute);
        QCOMPARE(t.front().alert.pendingSince, 0);
        QCOMPARE(t.front().alert.value, 4.0);
        QCOMPARE(engine.active().front().state, State::Firing);
        QVERIFY(engine.evaluate(frame(6 * kMinute, {{"", 2}})).empty());  // still firing: no new transition
        QCOMPARE(engine.active().front().value, 2.0);

        t = engine.evaluate(frame(7 * kMinute, {{"", 0}}));
        QCOMPARE(moves(t), (std::vector<std::pair<State, State>>{{State::Firing, State::Resolved}}));
        QCOMPARE(t.front().alert.resolvedAt, 7 * kMinute);
        QVERIFY(engine.active().empty());
        QCOMPARE(engine.history().size(), size_t(1));
        QCOMPARE(engine.history().front().state, State::Resolved);
        QCOMPARE(transitioned.count(), 3);
    }

    void zeroDurationFiresAtOnce() {
        AlertEngine engine;
        engine.setRules({rule("offline", metrics::offlinePartitions, "cluster", AlertRule::Op::Gt, 0)});
        const auto t = engine.evaluate(frame(1000, {{"", 1}}, "local", metrics::offlinePartitions));
        QCOMPARE(moves(t), (std::vector<std::pair<State, State>>{{State::Pending, State::Firing}}));
    }

    void flappingNeverFiresBeforeTheDuration() {
        AlertEngine engine;
        engine.setRules({rule("urp", metrics::underReplicatedPartitions, "cluster", AlertRule::Op::Gt, 0, kMinute)});
        int firing = 0;
        // True and false alternating every 10 s for 10 minutes: each true stretch lasts 10 s.
        for (qint64 ms = 0; ms < 10 * kMinute; ms += 10000) {
            for (const auto& t : engine.evaluate(frame(ms, {{"", (ms / 10000) % 2 ? 0.0 : 1.0}})))
                firing += t.to == State::Firing;
        }
        QCOMPARE(firing, 0);
        QVERIFY(engine.history().empty());  // pending that clears is no past alert
        // Then true without a break: fires once the minute has passed.
        std::vector<AlertTransition> all;
        for (qint64 ms = 10 * kMinute; ms <= 11 * kMinute; ms += 10000) {
            auto t = engine.evaluate(frame(ms, {{"", 1}}));
            all.insert(all.end(), t.begin(), t.end());
        }
        QCOMPARE(moves(all), (std::vector<std::pair<State, State>>{{State::Pending, State::Pending},
                                                                   {State::Pending, State::Firing}}));
        QCOMPARE(all.back().ms, 11 * kMinute);
    }

    void pendingThatClearsLeavesNoTrace() {
        AlertEngine engine;
        engine.setRules({rule("urp", metrics::underReplicatedPartitions, "cluster", AlertRule::Op::Gt, 0, kMinute)});
        engine.evaluate(frame(0, {{"", 1}}));
        QSignalSpy changed(&engine, &AlertEngine::alertsChanged);
        QVERIFY(engine.evaluate(frame(10000, {{"", 0}})).empty());
        QVERIFY(engine.active().empty());
        QVERIFY(engine.history().empty());
        QCOMPARE(changed.count(), 1);
    }

    void vanishingSeriesResolves() {
        AlertEngine engine;
        engine.setRules({rule("down", metrics::brokerUp, "broker", AlertRule::Op::Lt, 1)});
        auto t = engine.evaluate(frame(0, {{"broker:1", 0}, {"broker:2", 1}}, "local", metrics::brokerUp));
        QCOMPARE(t.size(), size_t(1));
        QCOMPARE(t.front().alert.series.subject, QStringLiteral("broker:1"));
        // Another cluster's frame does not touch this cluster's alerts.
        QVERIFY(engine.evaluate(frame(5000, {{"broker:1", 1}}, "other", metrics::brokerUp)).empty());
        QCOMPARE(engine.active().size(), size_t(1));
        // broker:1 is no longer in this cluster's frame (removed from the cluster).
        t = engine.evaluate(frame(10000, {{"broker:2", 1}}, "local", metrics::brokerUp));
        QCOMPARE(moves(t), (std::vector<std::pair<State, State>>{{State::Firing, State::Resolved}}));
        QVERIFY(engine.active().empty());
    }

    void silenceKeepsStateAndMarksTransitions() {
        AlertEngine engine;
        engine.setRules({rule("down", metrics::brokerUp, "broker", AlertRule::Op::Lt, 1)});
        auto t = engine.evaluate(frame(0, {{"broker:1", 0}}, "local", metrics::brokerUp));
        const QString key = t.front().alert.key();
        QCOMPARE(t.front().alert.silencedUntil, 0);
        QSignalSpy changed(&engine, &AlertEngine::alertsChanged);
        engine.silence(key, 10 * kMinute);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(engine.find(key)->silencedUntil, 10 * kMinute);
        t = engine.evaluate(frame(kMinute, {{"broker:1", 1}}, "local", metrics::brokerUp));
        QCOMPARE(moves(t), (std::vector<std::pair<State, State>>{{State::Firing, State::Resolved}}));
        QCOMPARE(t.front().alert.silencedUntil, 10 * kMinute);
        // Firing again inside the silence: state moves, still silenced.
        t = engine.evaluate(frame(2 * kMinute, {{"broker:1", 0}}, "local", metrics::brokerUp));
        QCOMPARE(moves(t), (std::vector<std::pair<State, State>>{{State::Pending, State::Firing}}));
        QCOMPARE(t.front().alert.silencedUntil, 10 * kMinute);
    }

    void acknowledge() {
        AlertEngine engine;
        engine.setRules({rule("down", metrics::brokerUp, "broker", AlertRule::Op::Lt, 1)});
        const auto t = engine.evaluate(frame(0, {{"broker:1", 0}}, "local", metrics::brokerUp));
        QSignalSpy changed(&engine, &AlertEngine::alertsChanged);
        engine.acknowledge(t.front().alert.key());
        QCOMPARE(changed.count(), 1);
        QVERIFY(engine.active().front().acknowledged);
        engine.acknowledge(QStringLiteral("no such alert"));
        QCOMPARE(changed.count(), 1);
    }

    void patternsSelectClustersAndSubjects() {
        AlertEngine engine;
        AlertRule topics = rule("topics", metrics::topicMessagesInPerSec, "topic", AlertRule::Op::Gt, 100);
        topics.subjectPattern = QStringLiteral("orders-*");
        topics.clusterPattern = QStringLiteral("prod-?");
        AlertRule groups = rule("groups", metrics::groupTopicLag, "group", AlertRule::Op::Ge, 10);
        groups.subjectPattern = QStringLiteral("billing");
        AlertRule disabled = rule("off", metrics::topicMessagesInPerSec, "topic", AlertRule::Op::Gt, 0);
        disabled.enabled = false;
        engine.setRules({topics, groups, disabled});

        MetricFrame f = frame(0, {{"topic:orders-eu", 500}, {"topic:payments", 500}, {"topic:orders-us", 5}}, "prod-1",
                              metrics::topicMessagesInPerSec);
        f.values.push_back({SeriesKey{"prod-1", metrics::groupTopicLag, "group:billing|topic:orders-eu"}, 20});
        f.values.push_back({SeriesKey{"prod-1", metrics::groupTopicLag, "group:billing-eu|topic:orders-eu"}, 20});
        QStringList fired;
        for (const auto& t : engine.evaluate(f)) fired << t.alert.ruleId + ' ' + t.alert.series.subject;
        fired.sort();
        QCOMPARE(fired, (QStringList{"groups group:billing|topic:orders-eu", "topics topic:orders-eu"}));

        // The cluster pattern: prod-10 has two characters after "prod-".
        f.cluster = "prod-10";
        for (auto& v : f.values) v.first.cluster = "prod-10";
        fired.clear();
        for (const auto& t : engine.evaluate(f)) fired << t.alert.ruleId + ' ' + t.alert.series.cluster;
        QCOMPARE(fired, QStringList{"groups prod-10"});
    }

    void validation() {
        AlertRule ok = rule("lag", metrics::groupLag, "group", AlertRule::Op::Gt, 10);
        QCOMPARE(ok.validate(), QString());
        AlertRule scope = ok;
        scope.scopeKind = "broker";
        QVERIFY(scope.validate().contains("group_lag"));
        AlertRule unknown = ok;
        unknown.metric = "no_such_metric";
        QVERIFY(unknown.validate().contains("no_such_metric"));
        AlertRule pattern = ok;
        pattern.subjectPattern = "[orders";
        QVERIFY(!pattern.validate().isEmpty());
        AlertRule duration = ok;
        duration.forMs = -1;
        QVERIFY(!duration.validate().isEmpty());
        AlertRule groupTopic = rule("gt", metrics::groupTopicLag, "group", AlertRule::Op::Gt, 10);
        QCOMPARE(groupTopic.validate(), QString());
        AlertRule noName = ok;
        noName.name.clear();
        QVERIFY(!noName.validate().isEmpty());
    }

    void defaultsValidate() {
        const auto defaults = AlertRule::defaults();
        QVERIFY(defaults.size() >= 12);
        QSet<QString> ids;
        for (const AlertRule& r : defaults) {
            QVERIFY2(r.validate().isEmpty(), qPrintable(r.id + ": " + r.validate()));
            ids.insert(r.id);
        }
        QCOMPARE(ids.size(), qsizetype(defaults.size()));
        auto byId = [&](const QString& id) {
            return *std::find_if(defaults.begin(), defaults.end(), [&](const AlertRule& r) { return r.id == id; });
        };
        QCOMPARE(byId("under-replicated").forMs, 5 * kMinute);
        QCOMPARE(byId("under-replicated").severity, Severity::Critical);
        QCOMPARE(byId("disk-usage-critical").threshold, 0.9);
        QCOMPARE(byId("lag-growing").forMs, 15 * kMinute);
        QCOMPARE(byId("active-controller").op, AlertRule::Op::Ne);

        // The defaults work on a frame: a cluster without an active controller fires at once.
        AlertEngine engine;
        engine.setRules(defaults);
        const auto t = engine.evaluate(frame(0, {{"", 0}}, "local", metrics::activeControllerCount));
        QCOMPARE(t.size(), size_t(1));
        QCOMPARE(t.front().alert.ruleId, QStringLiteral("active-controller"));
        QCOMPARE(t.front().to, State::Firing);
    }

    void setRulesKeepsAlertsOfKeptRules() {
        AlertEngine engine;
        AlertRule r = rule("down", metrics::brokerUp, "broker", AlertRule::Op::Lt, 1);
        engine.setRules({r});
        engine.evaluate(frame(0, {{"broker:1", 0}}, "local", metrics::brokerUp));
        r.name = "Broker gone";
        engine.setRules({r});
        QCOMPARE(engine.active().size(), size_t(1));
        QCOMPARE(engine.active().front().ruleName, QStringLiteral("Broker gone"));
        QVERIFY(engine.evaluate(frame(1000, {{"broker:1", 0}}, "local", metrics::brokerUp)).empty());  // no refire
        engine.setRules({});
        QVERIFY(engine.active().empty());
    }

    void importExportRoundTrip() {
        QTemporaryDir dir;
        const QString path = dir.filePath("rules.json");
        auto rules = AlertRule::defaults();
        rules[2].enabled = false;
        rules[3].subjectPattern = "orders-*";
        rules[3].description = "with \"quotes\"";
        QString error;
        QVERIFY2(AlertEngine::exportRules(path, rules, &error), qPrintable(error));
        const auto back = AlertEngine::importRules(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->size(), rules.size());
        for (size_t i = 0; i < rules.size(); ++i) QVERIFY2((*back)[i] == rules[i], qPrintable(rules[i].id));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(root.value("version").toInt(), 1);
        QCOMPARE(root.value("rules").toArray().size(), qsizetype(rules.size()));
    }

    void importRejectsBadFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{rules: oops") << "not JSON";
        QTest::newRow("version") << QByteArray("{\"version\":2,\"rules\":[]}") << "version";
        QTest::newRow("no list") << QByteArray("{\"version\":1,\"rules\":{}}") << "rules";
        QTest::newRow("unknown metric")
            << QByteArray(
                   "{\"version\":1,\"rules\":[{\"id\":\"a\",\"name\":\"Fine\",\"metric\":\"group_lag\","
                   "\"scope\":\"group\",\"op\":\">\",\"threshold\":1},{\"id\":\"b\",\"name\":\"Broken one\","
                   "\"metric\":\"bogus\",\"scope\":\"group\",\"op\":\">\",\"threshold\":1}]}")
            << "rule 2 (\"Broken one\"): unknown metric \"bogus\"";
        QTest::newRow("scope")
            << QByteArray(
                   "{\"version\":1,\"rules\":[{\"id\":\"a\",\"name\":\"Lag\",\"metric\":\"group_lag\","
                   "\"scope\":\"topic\",\"op\":\">\",\"threshold\":1}]}")
            << "\"Lag\"";
        QTest::newRow("bad op")
            << QByteArray(
                   "{\"version\":1,\"rules\":[{\"id\":\"a\",\"name\":\"Lag\",\"metric\":\"group_lag\","
                   "\"scope\":\"group\",\"op\":\"=>\",\"threshold\":1}]}")
            << "=>";
        QTest::newRow("duplicate id")
            << QByteArray(
                   "{\"version\":1,\"rules\":[{\"id\":\"a\",\"name\":\"One\",\"metric\":\"group_lag\","
                   "\"scope\":\"group\",\"threshold\":1},{\"id\":\"a\",\"name\":\"Two\",\"metric\":\"group_lag\","
                   "\"scope\":\"group\",\"threshold\":2}]}")
            << "\"Two\"";
    }

    void importRejectsBadFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString path = dir.filePath("rules.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        QString error;
        QVERIFY(!AlertEngine::importRules(path, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void importMissingFile() {
        QString error;
        QVERIFY(!AlertEngine::importRules("/nonexistent/rules.json", &error));
        QVERIFY(error.contains("/nonexistent/rules.json"));
    }
};

QTEST_GUILESS_MAIN(AlertEngineTest)
#include "alertengine_test.moc"
