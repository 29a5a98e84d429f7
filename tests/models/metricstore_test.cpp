// Tests of MetricStore and MetricHistory: what a chart reads back after frames were recorded, at
// raw, per-minute and per-hour resolution, bucketed to a point budget, within a size bound, and
// asynchronously from the GUI thread.
#include "models/metricstore.h"
#include "models/metricnames.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace partita::models;

namespace {

constexpr qint64 kT0 = 1'699'999'200'000;  // a fixed "now" for fake times, on an hour boundary
constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 3'600'000;

SeriesKey lagOf(const QString& group) {
    return {QStringLiteral("local"), QLatin1String(metrics::groupLag), QStringLiteral("group:") + group};
}

MetricFrame frameAt(qint64 ms, std::initializer_list<std::pair<SeriesKey, double>> values) {
    MetricFrame f;
    f.cluster = QStringLiteral("local");
    f.ms = ms;
    f.values.assign(values.begin(), values.end());
    return f;
}

}  // namespace

class MetricStoreTest : public QObject {
    Q_OBJECT
private slots:
    void keyRoundTrip();
    void roundTrip();
    void resolutionsAfterCompact();
    void maxPointsBuckets();
    void sizeBound();
    void seriesListing();
    void bigFrame();
    void reopenKeepsData();
    void historyAsyncQuery();
};

void MetricStoreTest::keyRoundTrip() {
    const SeriesKey key{QStringLiteral("prod"), QStringLiteral("group_topic_lag"),
                        QStringLiteral("group:billing|topic:orders")};
    QCOMPARE(SeriesKey::fromString(key.toString()), key);
    QVERIFY(metricInfo(QStringLiteral("group_lag")) != nullptr);
    QCOMPARE(QString::fromLatin1(metricInfo(QStringLiteral("broker_up"))->subjectKind), QStringLiteral("broker"));
    QVERIFY(metricInfo(QStringLiteral("nope")) == nullptr);
}

void MetricStoreTest::roundTrip() {
    MetricStore store(QStringLiteral(":memory:"));
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    for (int i = 0; i < 10; ++i)
        QVERIFY(store.append(frameAt(kT0 + i * 10'000, {{lagOf("a"), double(i)}, {lagOf("b"), 100.0 + i}})));
    const auto a = store.query(lagOf("a"), kT0, kT0 + 100'000);
    QCOMPARE(a.size(), size_t(10));
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(a[size_t(i)].ms, kT0 + i * 10'000);
        QCOMPARE(a[size_t(i)].value, double(i));
    }
    // The range is inclusive and clips.
    const auto part = store.query(lagOf("b"), kT0 + 20'000, kT0 + 40'000);
    QCOMPARE(part.size(), size_t(3));
    QCOMPARE(part.front().value, 102.0);
    QVERIFY(store.query(lagOf("nobody"), kT0, kT0 + 100'000).empty());
}

void MetricStoreTest::resolutionsAfterCompact() {
    MetricStore store(QStringLiteral(":memory:"));
    QVERIFY(store.open());
    MetricStore::Retention r;
    r.rawMs = 10 * kMinute;
    r.minuteMs = 2 * kHour;
    r.hourMs = 10 * kHour;
    store.setRetention(r);
    // 5 hours of one sample every 10 s: the value is the minute number, so a minute's average is
    // exactly it and an hour's average is that hour's middle minute (+0.5).
    const qint64 start = kT0 - 5 * kHour;
    for (qint64 ms = start; ms < kT0; ms += 10'000)
        QVERIFY(store.append(frameAt(ms, {{lagOf("a"), double((ms - start) / kMinute)}})));
    store.compact(kT0);

    // The last minutes: raw samples, six a minute.
    const auto recent = store.query(lagOf("a"), kT0 - 5 * kMinute, kT0);
    QCOMPARE(recent.size(), size_t(5 * 6));
    // An hour ago: one averaged point a minute.
    const auto minutes = store.query(lagOf("a"), kT0 - 90 * kMinute, kT0 - 60 * kMinute - 1);
    QCOMPARE(minutes.size(), size_t(30));
    QCOMPARE(minutes.front().value, double(5 * 60 - 90));
    // Four hours ago: one point an hour, the hour's average.
    const auto hours = store.query(lagOf("a"), start, start + 2 * kHour - 1);
    QCOMPARE(hours.size(), size_t(2));
    QCOMPARE(hours[0].value, 29.5);
    QCOMPARE(hours[1].value, 89.5);
    // A chart over everything gets every resolution, sorted.
    const auto all = store.query(lagOf("a"), start, kT0, 100'000);
    QVERIFY(std::is_sorted(all.begin(), all.end(), [](const Sample& x, const Sample& y) { return x.ms < y.ms; }));
    QVERIFY(all.size() > hours.size() + minutes.size());

    // Beyond hour retention: gone.
    store.compact(kT0 + 20 * kHour);
    QVERIFY(store.query(lagOf("a"), start, start + 2 * kHour - 1).empty());
}

void MetricStoreTest::maxPointsBuckets() {
    MetricStore store(QStringLiteral(":memory:"));
    QVERIFY(store.open());
    for (int i = 0; i < 1000; ++i) QVERIFY(store.append(frameAt(kT0 + i * 1000, {{lagOf("a"), double(i % 2)}})));
    const auto points = store.query(lagOf("a"), kT0, kT0 + 999'999, 100);
    QVERIFY(points.size() <= 100);
    QVERIFY(points.size() >= 90);
    // Each bucket averages 10 alternating 0/1 samples.
    for (const Sample& s : points) QCOMPARE(s.value, 0.5);
    QVERIFY(std::is_sorted(points.begin(), points.end(), [](const Sample& x, const Sample& y) { return x.ms < y.ms; }));
    QCOMPARE(store.query(lagOf("a"), kT0, kT0 + 999'999, 5000).size(), size_t(1000));
}

void MetricStoreTest::sizeBound() {
    QTemporaryDir dir;
    MetricStore store(dir.filePath(QStringLiteral("m.sqlite")));
    QVERIFY(store.open());
    MetricStore::Retention r;
    r.maxBytes = 512 * 1024;
    store.setRetention(r);
    for (int f = 0; f < 200; ++f) {
        MetricFrame frame = frameAt(kT0 - 200'000 + f * 1000, {});
        for (int s = 0; s < 200; ++s) frame.values.emplace_back(lagOf(QString::number(s)), double(f * s));
        QVERIFY(store.append(frame));
    }
    QVERIFY(store.sizeBytes() > r.maxBytes);
    store.compact(kT0);
    QVERIFY2(store.sizeBytes() <= r.maxBytes, qPrintable(QString::number(store.sizeBytes())));
    // The newest samples survive; the oldest went first.
    QVERIFY(!store.query(lagOf("7"), kT0 - 2000, kT0).empty());
    QVERIFY(store.query(lagOf("7"), kT0 - 200'000, kT0 - 190'000).empty());
}

void MetricStoreTest::seriesListing() {
    MetricStore store(QStringLiteral(":memory:"));
    QVERIFY(store.open());
    const SeriesKey up{QStringLiteral("local"), QLatin1String(metrics::brokerUp), QStringLiteral("broker:1")};
    const SeriesKey other{QStringLiteral("prod"), QLatin1String(metrics::brokerUp), QStringLiteral("broker:1")};
    QVERIFY(store.append(frameAt(kT0, {{lagOf("b"), 1}, {lagOf("a"), 2}, {up, 1}})));
    QVERIFY(store.append(frameAt(kT0, {{other, 1}})));
    const auto all = store.series(QStringLiteral("local"));
    QCOMPARE(all.size(), size_t(3));
    const auto lags = store.series(QStringLiteral("local"), QLatin1String(metrics::groupLag));
    QCOMPARE(lags.size(), size_t(2));
    QCOMPARE(lags[0], lagOf("a"));
    QCOMPARE(lags[1], lagOf("b"));
    QCOMPARE(store.series(QStringLiteral("prod")).size(), size_t(1));
}

void MetricStoreTest::bigFrame() {
    QTemporaryDir dir;
    MetricStore store(dir.filePath(QStringLiteral("big.sqlite")));
    QVERIFY(store.open());
    QElapsedTimer timer;
    for (int round = 0; round < 3; ++round) {
        MetricFrame frame = frameAt(kT0 + round * 10'000, {});
        for (int i = 0; i < 20'000; ++i)
            frame.values.emplace_back(SeriesKey{QStringLiteral("local"), QLatin1String(metrics::topicMessages),
                                                QStringLiteral("topic:t%1").arg(i)},
                                      double(i + round));
        timer.start();
        QVERIFY(store.append(frame));
        qInfo("append of 20,000 values: %lld ms", qint64(timer.elapsed()));
    }
    const auto s =
        store.query({QStringLiteral("local"), QLatin1String(metrics::topicMessages), QStringLiteral("topic:t19999")},
                    kT0, kT0 + 30'000);
    QCOMPARE(s.size(), size_t(3));
    QCOMPARE(s.back().value, 20'001.0);
}

void MetricStoreTest::reopenKeepsData() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("keep.sqlite"));
    {
        MetricStore store(path);
        QVERIFY(store.open());
        QVERIFY(store.append(frameAt(kT0, {{lagOf("a"), 42}})));
    }
    MetricStore store(path);
    QVERIFY(store.open());
    const auto s = store.query(lagOf("a"), kT0, kT0);
    QCOMPARE(s.size(), size_t(1));
    QCOMPARE(s[0].value, 42.0);
    QVERIFY(store.append(frameAt(kT0 + 1, {{lagOf("a"), 43}, {lagOf("z"), 1}})));
    QCOMPARE(store.series(QStringLiteral("local")).size(), size_t(2));
}

void MetricStoreTest::historyAsyncQuery() {
    QTemporaryDir dir;
    MetricHistory history(dir.filePath(QStringLiteral("sub/history.sqlite")));
    QSignalSpy recorded(&history, &MetricHistory::recorded);
    QSignalSpy failed(&history, &MetricHistory::failed);
    for (int i = 0; i < 5; ++i) history.record(frameAt(kT0 + i * 1000, {{lagOf("a"), double(i * 10)}}));
    QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 5, 10'000);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(recorded.last().at(0).toString(), QStringLiteral("local"));

    std::vector<Sample> got;
    bool answered = false;
    QThread* callbackThread = nullptr;
    QObject context;
    history.query(lagOf("a"), kT0, kT0 + 10'000, 2000, &context, [&](std::vector<Sample> samples) {
        got = std::move(samples);
        callbackThread = QThread::currentThread();
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10'000);
    QCOMPARE(callbackThread, QThread::currentThread());
    QCOMPARE(got.size(), size_t(5));
    QCOMPARE(got.back().value, 40.0);

    std::vector<SeriesKey> keys;
    bool listed = false;
    history.listSeries(QStringLiteral("local"), QString(), &context, [&](std::vector<SeriesKey> k) {
        keys = std::move(k);
        listed = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(listed, 10'000);
    QCOMPARE(keys.size(), size_t(1));

    // A context destroyed before the answer: the callback never runs.
    bool ranForDead = false;
    {
        QObject dying;
        history.query(lagOf("a"), kT0, kT0 + 10'000, 10, &dying, [&](std::vector<Sample>) { ranForDead = true; });
    }
    // One more round trip so the first one's answer would have arrived.
    bool later = false;
    history.query(lagOf("a"), kT0, kT0, 10, &context, [&](std::vector<Sample>) { later = true; });
    QTRY_VERIFY_WITH_TIMEOUT(later, 10'000);
    QVERIFY(!ranForDead);
}

QTEST_GUILESS_MAIN(MetricStoreTest)
#include "metricstore_test.moc"
