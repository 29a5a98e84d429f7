// alert_eval_bench: AlertEngine::evaluate() with 1,000 rules (a mix of "*", exact and glob patterns)
// over frames of 10,000 series; prints the time per evaluation cycle (goal: under 50 ms).
#include "models/alertengine.h"
#include "models/metricnames.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace partita::models;

static void run(bool storm, const std::vector<SeriesKey>& series, const QString& cluster, int rulesWanted, int frames) {
    std::mt19937 random(storm ? 11 : 12);
    // 1,000 rules on random metrics: 40 % "*", 30 % an exact name, 30 % a glob.
    std::vector<AlertRule> rules;
    const auto& catalogue = metricCatalogue();
    for (int i = 0; i < rulesWanted; ++i) {
        const MetricInfo& m = catalogue[random() % catalogue.size()];
        AlertRule r;
        r.id = QStringLiteral("rule-%1").arg(i);
        r.name = r.id;
        r.metric = QString::fromLatin1(m.name);
        r.scopeKind = QString::fromLatin1(m.subjectKind);
        if (r.scopeKind == QLatin1String("group-topic")) r.scopeKind = QStringLiteral("group");
        const int kind = int(random() % 10);
        if (r.scopeKind != QLatin1String("cluster")) {
            if (kind >= 4 && kind < 7) {
                r.subjectPattern = r.scopeKind == QLatin1String("broker") ? QStringLiteral("%1").arg(random() % 30)
                                   : r.scopeKind == QLatin1String("topic")
                                       ? QStringLiteral("orders-%1").arg(random() % 800)
                                       : QStringLiteral("svc-%1").arg(random() % 500);
            } else if (kind >= 7) {
                const QStringList globs{QStringLiteral("orders-*"), QStringLiteral("*-1?"),
                                        QStringLiteral("svc-[1-3]*"), QStringLiteral("*"), QStringLiteral("pay*")};
                r.subjectPattern = globs[int(random() % globs.size())];
                if (r.subjectPattern == QLatin1String("*")) r.subjectPattern = QStringLiteral("*s*");
            }
        }
        if (i % 7 == 0) r.clusterPattern = QStringLiteral("prod-*");
        if (storm) {
            r.op = AlertRule::Op(random() % 6);
            r.threshold = double(random() % 100);
        } else {
            r.op = random() % 2 ? AlertRule::Op::Gt : AlertRule::Op::Ge;
            r.threshold = 98.0 + double(random() % 2);
        }
        r.forMs = (random() % 3) * 30000;
        rules.push_back(r);
    }
    AlertEngine engine;
    engine.setRules(rules);

    std::vector<double> times;
    size_t transitions = 0;
    std::uniform_real_distribution<double> value(0, 100);
    for (int f = 0; f < frames; ++f) {
        MetricFrame frame;
        frame.cluster = cluster;
        frame.ms = qint64(f) * 10000;
        frame.values.reserve(series.size());
        // Values mostly steady with some movement, like real metrics.
        for (size_t i = 0; i < series.size(); ++i)
            frame.values.push_back({series[i], (i + size_t(f)) % 10 == 0 ? value(random) : double((i * 37) % 100)});
        QElapsedTimer timer;
        timer.start();
        transitions += engine.evaluate(frame).size();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    const double first = times.front();
    std::vector<double> steady(times.begin() + 1, times.end());
    std::sort(steady.begin(), steady.end());
    double sum = 0;
    for (double t : steady) sum += t;
    std::printf("alert_eval_bench (%s): %zu rules x %zu series, %d frames\n",
                storm ? "storm: about half of the conditions true" : "quiet: about 1 % of the conditions true",
                rules.size(), series.size(), frames);
    std::printf("  first cycle (cold pattern caches): %.2f ms\n", first);
    std::printf("  steady cycles: mean %.2f ms, median %.2f ms, max %.2f ms (goal < 50 ms)\n",
                sum / double(steady.size()), steady[steady.size() / 2], steady.back());
    std::printf("  transitions: %zu, active alerts at the end: %zu\n", transitions, engine.active().size());
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int rulesWanted = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int frames = argc > 2 ? std::atoi(argv[2]) : 30;

    // 10,000 series: 9 cluster-wide, 30 brokers, 800 topics, 500 groups, the rest group-topic lag.
    std::vector<SeriesKey> series;
    const QString cluster = QStringLiteral("prod-1");
    for (const MetricInfo& m : metricCatalogue()) {
        const QString kind = QString::fromLatin1(m.subjectKind);
        const QString metric = QString::fromLatin1(m.name);
        if (kind == QLatin1String("cluster")) series.push_back({cluster, metric, QString()});
        if (kind == QLatin1String("broker"))
            for (int b = 0; b < 30; ++b) series.push_back({cluster, metric, QStringLiteral("broker:%1").arg(b)});
        if (kind == QLatin1String("topic"))
            for (int t = 0; t < 800; ++t)
                series.push_back(
                    {cluster, metric, QStringLiteral("topic:%1-%2").arg(t % 2 ? "orders" : "payments").arg(t)});
        if (kind == QLatin1String("group"))
            for (int g = 0; g < 500; ++g) series.push_back({cluster, metric, QStringLiteral("group:svc-%1").arg(g)});
    }
    for (int i = 0; series.size() < 10000; ++i)
        series.push_back({cluster, QString::fromLatin1(metrics::groupTopicLag),
                          QStringLiteral("group:svc-%1|topic:orders-%2").arg(i % 500).arg(i)});

    run(false, series, cluster, rulesWanted, frames);
    run(true, series, cluster, rulesWanted, frames);
    return 0;
}
