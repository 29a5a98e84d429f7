// Tests of LagEvaluator: recorded (committed, end, time) sequences for each lag status, lag in
// seconds, the catch-up estimate and the per-group rollup that feeds the metric series.
#include "models/lagstatus.h"
#include "models/metricnames.h"

#include <QTest>

using namespace partita::models;

namespace {

// Samples every 10 s from t = 0: (committed, end) pairs.
std::deque<LagSample> window(std::initializer_list<std::pair<qint64, qint64>> offsets) {
    std::deque<LagSample> out;
    qint64 ms = 0;
    for (auto [committed, end] : offsets) {
        out.push_back(LagSample{ms, committed, end});
        ms += 10000;
    }
    return out;
}

MetricFrame frame(qint64 ms, std::vector<MetricFrame::GroupPartition> offsets) {
    MetricFrame f;
    f.cluster = QStringLiteral("local");
    f.ms = ms;
    f.groupOffsets = std::move(offsets);
    return f;
}

}  // namespace

class LagStatusTest : public QObject {
    Q_OBJECT
private slots:
    void names() {
        QCOMPARE(lagStatusName(LagStatus::Ok), QStringLiteral("OK"));
        QCOMPARE(lagStatusName(LagStatus::Stall), QStringLiteral("STALL"));
        QCOMPARE(int(LagStatus::Rewind), 5);
    }

    void caughtUpConsumerIsOk() {
        const auto v = LagEvaluator::evaluate(
            window({{0, 0}, {100, 120}, {220, 230}, {300, 300}, {380, 400}, {500, 500}, {600, 650}, {700, 700}}));
        QCOMPARE(v.status, LagStatus::Ok);
        QCOMPARE(v.lag, 0);
        QCOMPARE(v.catchUpSeconds, 0.0);
        QVERIFY(v.consumePerSec > 9 && v.consumePerSec < 11);
    }

    void fluctuatingLagIsOk() {
        // Lag goes 20, 50, 10, 40, 30: not growing in every interval.
        const auto v = LagEvaluator::evaluate(window({{0, 20}, {100, 150}, {240, 250}, {300, 340}, {400, 430}}));
        QCOMPARE(v.status, LagStatus::Ok);
        QCOMPARE(v.lag, 30);
    }

    void notEnoughSamplesIsOk() {
        QCOMPARE(LagEvaluator::evaluate({}).status, LagStatus::Ok);
        const auto v = LagEvaluator::evaluate(window({{10, 500}}));
        QCOMPARE(v.status, LagStatus::Ok);
        QCOMPARE(v.lag, 490);
        // Samples without a committed offset do not count.
        QCOMPARE(LagEvaluator::evaluate(window({{-1, 100}, {-1, 200}, {-1, 300}})).status, LagStatus::Ok);
    }

    void growingLagWhileCommittingIsWarn() {
        // Producing 100 per sample, consuming 50: lag 0, 50, 100, ... 450.
        std::deque<LagSample> w;
        for (int i = 0; i < 10; ++i) w.push_back(LagSample{i * 10000, i * 50, i * 100});
        const auto v = LagEvaluator::evaluate(w);
        QCOMPARE(v.status, LagStatus::Warn);
        QCOMPARE(v.lag, 450);
        QCOMPARE(v.catchUpSeconds, -1.0);  // consuming slower than producing: never
    }

    void commitsStoppingIsErr() {
        // Commits move for the first four samples, then not in the newest six while data arrives.
        const auto v = LagEvaluator::evaluate(window({{0, 0},
                                                      {100, 100},
                                                      {200, 200},
                                                      {300, 300},
                                                      {300, 400},
                                                      {300, 500},
                                                      {300, 600},
                                                      {300, 700},
                                                      {300, 800},
                                                      {300, 900}}));
        QCOMPARE(v.status, LagStatus::Err);
        QCOMPARE(v.lag, 600);
    }

    void noCommitsWhileProducingIsStop() {
        const auto v =
            LagEvaluator::evaluate(window({{300, 400}, {300, 500}, {300, 600}, {300, 700}, {300, 800}, {300, 900}}));
        QCOMPARE(v.status, LagStatus::Stop);
        QCOMPARE(v.consumePerSec, 0.0);
        QCOMPARE(v.catchUpSeconds, -1.0);
    }

    void noProgressWithWorkLeftIsStall() {
        const auto v = LagEvaluator::evaluate(window({{300, 900}, {300, 900}, {300, 900}, {300, 900}, {300, 900}}));
        QCOMPARE(v.status, LagStatus::Stall);
        QCOMPARE(v.lag, 600);
    }

    void offsetsGoingBackIsRewind() {
        const auto v = LagEvaluator::evaluate(window({{500, 600}, {600, 700}, {100, 800}, {200, 900}}));
        QCOMPARE(v.status, LagStatus::Rewind);
        // Even with no lag left a rewind in the window is reported.
        QCOMPARE(LagEvaluator::evaluate(window({{500, 600}, {100, 600}, {600, 600}})).status, LagStatus::Rewind);
    }

    void lagSecondsInterpolatesTheEndOffsetHistory() {
        // The end offset grows 100 per second (1000 per 10 s sample); the consumer is at 1500 when the
        // newest sample (t = 90 s) is taken: the end offset was 1500 at t = 15 s, 75 s ago.
        std::deque<LagSample> w;
        for (int i = 0; i < 10; ++i) w.push_back(LagSample{i * 10000, i == 9 ? 1500 : i * 100, i * 1000});
        const auto v = LagEvaluator::evaluate(w);
        QCOMPARE(v.lag, 9000 - 1500);
        QVERIFY2(qAbs(v.lagSeconds - 75.0) < 1e-6, qPrintable(QString::number(v.lagSeconds)));
    }

    void lagSecondsExtrapolatesBeforeTheWindow() {
        // End offsets 1000..1900 (100 per 10 s sample = 10/s); committed 500, 50 s of production before t = 0.
        std::deque<LagSample> w;
        for (int i = 0; i < 10; ++i) w.push_back(LagSample{i * 10000, 500, 1000 + i * 100});
        const auto v = LagEvaluator::evaluate(w);
        QCOMPARE(v.status, LagStatus::Stop);
        QVERIFY2(qAbs(v.lagSeconds - 140.0) < 1e-6, qPrintable(QString::number(v.lagSeconds)));
        // Nothing produced in the window: at least the window's span.
        const auto stalled = LagEvaluator::evaluate(window({{10, 50}, {10, 50}, {10, 50}}));
        QCOMPARE(stalled.lagSeconds, 20.0);
    }

    void catchUpFromConsumeAndProduceRates() {
        // Producing 10/s, consuming 30/s: net 20/s; lag 1000 - 0 at t=0 shrinking to 600 at t = 20 s.
        const auto v = LagEvaluator::evaluate(window({{0, 1000}, {300, 1100}, {600, 1200}}));
        QCOMPARE(v.lag, 600);
        QCOMPARE(v.consumePerSec, 30.0);
        QCOMPARE(v.catchUpSeconds, 30.0);  // 600 / 20
    }

    void groupRollupAndAnnotation() {
        LagEvaluator lag(5);
        for (int i = 0; i < 6; ++i) {
            lag.add(QStringLiteral("local"),
                    frame(i * 10000, {{QStringLiteral("billing"), QStringLiteral("orders"), 0, 100, 100 + i * 50},
                                      {QStringLiteral("billing"), QStringLiteral("orders"), 1, i * 10, i * 10},
                                      {QStringLiteral("audit"), QStringLiteral("orders"), 0, i * 10, i * 10}}));
        }
        QCOMPARE(lag.groups(QStringLiteral("local")),
                 (QStringList{QStringLiteral("audit"), QStringLiteral("billing")}));
        QCOMPARE(lag.partition(QStringLiteral("local"), QStringLiteral("billing"), QStringLiteral("orders"), 0).status,
                 LagStatus::Stop);
        QCOMPARE(lag.partition(QStringLiteral("local"), QStringLiteral("billing"), QStringLiteral("orders"), 1).status,
                 LagStatus::Ok);
        const LagVerdict billing = lag.group(QStringLiteral("local"), QStringLiteral("billing"));
        QCOMPARE(billing.status, LagStatus::Stop);  // the worst partition
        QCOMPARE(billing.lag, 250);
        QCOMPARE(lag.group(QStringLiteral("local"), QStringLiteral("audit")).status, LagStatus::Ok);

        MetricFrame f = frame(60000, {});
        lag.annotate(f);
        QCOMPARE(f.values.size(), size_t(4));
        bool sawBillingStatus = false;
        for (const auto& [key, value] : f.values) {
            if (key.metric == QLatin1String(metrics::groupLagStatus) && key.subject == QLatin1String("group:billing")) {
                sawBillingStatus = true;
                QCOMPARE(value, 3.0);
            }
        }
        QVERIFY(sawBillingStatus);

        // A frame without the audit group forgets it (and other clusters are untouched).
        lag.add(QStringLiteral("other"), frame(60000, {{QStringLiteral("x"), QStringLiteral("t"), 0, 1, 1}}));
        lag.add(QStringLiteral("local"),
                frame(60000, {{QStringLiteral("billing"), QStringLiteral("orders"), 0, 100, 400}}));
        QCOMPARE(lag.groups(QStringLiteral("local")), QStringList{QStringLiteral("billing")});
        QCOMPARE(lag.groups(QStringLiteral("other")), QStringList{QStringLiteral("x")});
    }
};

QTEST_GUILESS_MAIN(LagStatusTest)
#include "lagstatus_test.moc"
