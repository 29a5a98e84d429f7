// Tests of engine/metrics: the registry's series, summaries, exposition, and the text parser (against
// prometheus_client).
#include "engine/metrics/metricsregistry.h"
#include "engine/metrics/prometheustext.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <cmath>
#include <thread>
#include <vector>

using namespace partita::metrics;

namespace {

// The samples prometheus_client's parser reads out of `text`, as "name{k=v,...}" -> value.
QMap<QString, double> referenceParse(const std::string& text, QString* error) {
    QProcess python;
    python.setWorkingDirectory(QDir::tempPath());
    python.start("/usr/bin/python3", {"-I", QString(PARTITA_TEST_DIR) + "/scrape_metrics.py"});
    python.waitForStarted();
    python.write(QByteArray::fromStdString(text));
    python.closeWriteChannel();
    python.waitForFinished(30000);
    QMap<QString, double> out;
    if (python.exitCode() != 0) {
        *error = QString::fromUtf8(python.readAllStandardError());
        return out;
    }
    auto doc = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    for (const auto& entry : doc["samples"].toArray()) {
        auto sample = entry.toObject();
        QStringList labels;
        auto object = sample["labels"].toObject();
        for (auto it = object.begin(); it != object.end(); ++it) labels << it.key() + "=" + it.value().toString();
        labels.sort();
        const QJsonValue v = sample["value"];
        const double number = !v.isString()            ? v.toDouble()
                              : v.toString() == "NaN"  ? std::nan("")
                              : v.toString() == "-Inf" ? -HUGE_VAL
                                                       : HUGE_VAL;
        out[sample["name"].toString() + "{" + labels.join(",") + "}"] = number;
    }
    return out;
}

QString key(const PrometheusSample& sample) {
    QStringList labels;
    for (const auto& [k, v] : sample.labels) labels << QString::fromStdString(k) + "=" + QString::fromStdString(v);
    labels.sort();
    return QString::fromStdString(sample.name) + "{" + labels.join(",") + "}";
}

}  // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private slots:
    void countersAndGaugesAreSharedByNameAndLabels() {
        MetricsRegistry registry;
        Counter& a = registry.counter("requests_total", "Requests", {{"request", "Produce"}});
        Counter& b = registry.counter("requests_total", "Requests", {{"request", "Produce"}});
        QCOMPARE(&a, &b);
        a.inc();
        b.inc(4);
        registry.counter("requests_total", "Requests", {{"request", "Fetch"}}).inc();
        Gauge& g = registry.gauge("queue_size", "Queue");
        g.set(7);
        g.add(-2.5);
        auto parsed = parsePrometheusText(registry.exposition());
        QVERIFY(parsed.errors.empty());
        QCOMPARE(parsed.find("requests_total", {{"request", "Produce"}})->value, 5.0);
        QCOMPARE(parsed.find("requests_total", {{"request", "Fetch"}})->value, 1.0);
        QCOMPARE(parsed.sum("requests_total").value(), 6.0);
        QCOMPARE(parsed.find("queue_size")->value, 4.5);
        QCOMPARE(parsed.types.at("requests_total"), std::string("counter"));
        QCOMPARE(parsed.types.at("queue_size"), std::string("gauge"));
        QCOMPARE(parsed.help.at("queue_size"), std::string("Queue"));
    }

    void countersAreExactUnderConcurrentUpdates() {
        MetricsRegistry registry;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&registry, t] {
                for (int i = 0; i < 10000; ++i)
                    registry.counter("hits_total", "Hits", {{"topic", "t" + std::to_string(i % 3)}}).inc();
                (void)t;
            });
        for (auto& thread : threads) thread.join();
        auto parsed = parsePrometheusText(registry.exposition());
        QCOMPARE(parsed.sum("hits_total").value(), 40000.0);
    }

    void summaryReportsQuantilesOfTheRecentWindow() {
        MetricsRegistry registry;
        LatencySummary& s = registry.summary("latency_ms", "Latency", {{"request", "Produce"}});
        for (int i = 1; i <= 100; ++i) s.observe(i);
        auto parsed = parsePrometheusText(registry.exposition());
        QVERIFY(parsed.errors.empty());
        QCOMPARE(parsed.find("latency_ms_count", {{"request", "Produce"}})->value, 100.0);
        QCOMPARE(parsed.find("latency_ms_sum", {{"request", "Produce"}})->value, 5050.0);
        double median = parsed.find("latency_ms", {{"quantile", "0.50"}})->value;
        QVERIFY2(median >= 49 && median <= 52, qPrintable(QString::number(median)));
        double p99 = parsed.find("latency_ms", {{"quantile", "0.99"}})->value;
        QVERIFY2(p99 >= 98 && p99 <= 100, qPrintable(QString::number(p99)));
        // Old observations leave the window: a slow start does not haunt the quantiles forever.
        for (size_t i = 0; i < LatencySummary::kWindow; ++i) s.observe(1);
        QCOMPARE(s.quantiles({0.99}).front(), 1.0);
    }

    void collectorsRunAtScrapeTime() {
        MetricsRegistry registry;
        int calls = 0;
        registry.addCollector("log_size", "Size", MetricType::Gauge, [&calls](auto& out) {
            ++calls;
            out.push_back({"log_size", {{"topic", "a"}, {"partition", "0"}}, double(calls * 10), {}});
        });
        QCOMPARE(parsePrometheusText(registry.exposition()).find("log_size")->value, 10.0);
        QCOMPARE(parsePrometheusText(registry.exposition()).find("log_size", {{"partition", "0"}})->value, 20.0);
    }

    void labelValuesAreEscapedAndReadBack() {
        MetricsRegistry registry;
        const std::string odd = "quote\" backslash\\ newline\n end";
        registry.counter("odd_total", "Help with \\ and\nnewline", {{"topic", odd}}).inc(3);
        std::string text = registry.exposition();
        QVERIFY(text.find("\\\"") != std::string::npos);
        auto parsed = parsePrometheusText(text);
        QVERIFY(parsed.errors.empty());
        QCOMPARE(parsed.find("odd_total")->label("topic"), odd);
        QCOMPARE(parsed.help.at("odd_total"), std::string("Help with \\ and\nnewline"));
    }

    void theReferenceParserReadsTheExposition() {
        MetricsRegistry registry;
        registry.counter("kafka_server_brokertopicmetrics_bytesin_total", "Bytes in").inc(42);
        registry.counter("kafka_server_brokertopicmetrics_bytesin_total", "Bytes in", {{"topic", "or\"ders"}}).inc(40);
        registry.gauge("kafka_server_replicamanager_underreplicatedpartitions", "URP").set(0);
        registry.gauge("fraction", "A fraction").set(0.25);
        registry.gauge("not_a_number", "NaN").set(std::nan(""));
        auto& s = registry.summary("kafka_network_requestmetrics_totaltimems", "ms", {{"request", "Produce"}});
        s.observe(1.5);
        s.observe(3);
        std::string text = registry.exposition();
        QString error;
        auto reference = referenceParse(text, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto ours = parsePrometheusText(text);
        QVERIFY(ours.errors.empty());
        QCOMPARE(size_t(reference.size()), ours.samples.size());
        for (const auto& sample : ours.samples) {
            QVERIFY2(reference.contains(key(sample)), qPrintable(key(sample)));
            double theirs = reference.value(key(sample));
            QVERIFY2((std::isnan(theirs) && std::isnan(sample.value)) || theirs == sample.value,
                     qPrintable(key(sample)));
        }
        QCOMPARE(reference.value("kafka_server_brokertopicmetrics_bytesin_total{topic=or\"ders}"), 40.0);
        QCOMPARE(reference.value("kafka_network_requestmetrics_totaltimems_count{request=Produce}"), 2.0);
    }

    void parserReadsWhatExportersWrite() {
        const std::string text =
            "# A free comment\n"
            "# HELP jvm_up Whether up\n"
            "# TYPE jvm_up gauge\n"
            "jvm_up 1\n"
            "\n"
            "kafka_server_brokertopicmetrics_bytesin_total{topic=\"a\",} 1.5e3 1700000000000\n"
            "  spaced { k = \"v\" }   +Inf\r\n"
            "negative -2\n"
            "nan_value NaN\n";
        auto parsed = parsePrometheusText(text);
        QVERIFY2(parsed.errors.empty(), parsed.errors.empty() ? "" : parsed.errors.front().message.c_str());
        QCOMPARE(parsed.samples.size(), size_t(5));
        QCOMPARE(parsed.find("kafka_server_brokertopicmetrics_bytesin_total", {{"topic", "a"}})->value, 1500.0);
        QCOMPARE(parsed.find("kafka_server_brokertopicmetrics_bytesin_total")->timestampMs.value(), 1700000000000LL);
        QVERIFY(std::isinf(parsed.find("spaced", {{"k", "v"}})->value));
        QCOMPARE(parsed.find("negative")->value, -2.0);
        QVERIFY(std::isnan(parsed.find("nan_value")->value));
        QCOMPARE(parsed.types.at("jvm_up"), std::string("gauge"));
    }

    void malformedLinesAreReportedWithTheirNumbers() {
        const std::string text =
            "good 1\n"
            "bad{label=\"unterminated} 1\n"
            "no_value\n"
            "1starts_with_digit 2\n"
            "value_not_number abc\n"
            "bad_escape{a=\"\\x\"} 1\n"
            "# TYPE t weird\n"
            "trailing 1 2 3\n"
            "also_good{a=\"b\"} 2\n";
        auto parsed = parsePrometheusText(text);
        QCOMPARE(parsed.samples.size(), size_t(2));
        std::vector<size_t> lines;
        for (const auto& error : parsed.errors) lines.push_back(error.line);
        QCOMPARE(lines, (std::vector<size_t>{2, 3, 4, 5, 6, 7, 8}));
        for (const auto& error : parsed.errors) QVERIFY(!error.message.empty());
    }

    void formatting() {
        QCOMPARE(formatValue(3), std::string("3"));
        QCOMPARE(formatValue(0.5), std::string("0.5"));
        QCOMPARE(formatValue(-HUGE_VAL), std::string("-Inf"));
        QCOMPARE(formatSeries("m", {{"a", "x\"y"}}), std::string("m{a=\"x\\\"y\"}"));
        QVERIFY(isValidMetricName("kafka:rate_5m"));
        QVERIFY(!isValidMetricName("9lives"));
        QVERIFY(!isValidLabelName("a:b"));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "metrics_test.moc"
