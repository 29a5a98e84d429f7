// Metric series types shared by the collector, the store, the alert engine and the charts:
// SeriesKey (which series), Sample (one point) and MetricFrame (one collection round).
#pragma once

#include <QMetaType>
#include <QString>

#include <utility>
#include <vector>

namespace partita::models {

struct SeriesKey {
    QString cluster;  // the cluster's id (the saved connection's id or "local")
    QString metric;   // a name from models/metricnames.h
    QString subject;  // "" (cluster-wide), "broker:1", "topic:orders", "group:billing", "group:billing|topic:orders"

    // cluster + '\x1f' + metric + '\x1f' + subject (unit separator: never part of a name).
    QString toString() const;
    static SeriesKey fromString(const QString& text);

    friend bool operator==(const SeriesKey&, const SeriesKey&) = default;
    // Qt 6.4's QString has no operator<=>, so the order is spelled out.
    friend bool operator<(const SeriesKey& a, const SeriesKey& b) {
        if (a.cluster != b.cluster) return a.cluster < b.cluster;
        if (a.metric != b.metric) return a.metric < b.metric;
        return a.subject < b.subject;
    }
};

struct Sample {
    qint64 ms = 0;
    double value = 0;
};

// One collection round of one cluster (what the collector emits, the store records, the alert
// engine evaluates).
struct MetricFrame {
    QString cluster;
    qint64 ms = 0;
    std::vector<std::pair<SeriesKey, double>> values;
    // Raw offsets for lag status (Burrow-like rules need committed/end per partition over time).
    struct GroupPartition {
        QString group;
        QString topic;
        int partition = 0;
        qint64 committed = -1;
        qint64 end = -1;
    };
    std::vector<GroupPartition> groupOffsets;
};

}  // namespace partita::models

Q_DECLARE_METATYPE(partita::models::MetricFrame)
