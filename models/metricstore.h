// MetricStore: the metric history on disk (SQLite through Qt Sql): raw samples, per-minute and
// per-hour aggregates, downsampling by age and a size bound.
#pragma once

#include "models/metrichistory.h"  // MetricHistory (the threaded handle) is declared there
#include "models/metricseries.h"

#include <QHash>
#include <QString>

#include <memory>
#include <vector>

class QSqlQuery;

namespace partita::models {

// One connection; not a QObject; used from ONE thread (MetricHistory gives it its own).
class MetricStore {
public:
    struct Retention {
        qint64 rawMs = 6LL * 3600 * 1000;          // raw samples kept this long
        qint64 minuteMs = 8LL * 24 * 3600 * 1000;  // per-minute aggregates
        qint64 hourMs = 400LL * 24 * 3600 * 1000;  // per-hour aggregates
        qint64 maxBytes = 1024LL * 1024 * 1024;    // database file bound (oldest hour/minute rows go first)
    };

    explicit MetricStore(const QString& path);  // ":memory:" allowed; unique QSqlDatabase connection name per instance
    ~MetricStore();
    MetricStore(const MetricStore&) = delete;
    MetricStore& operator=(const MetricStore&) = delete;

    bool open(QString* error = nullptr);
    bool isOpen() const;
    void setRetention(const Retention& retention);
    Retention retention() const { return m_retention; }

    // One transaction; series ids interned in a table. Returns false (and sets error) on failure.
    bool append(const MetricFrame& frame, QString* error = nullptr);
    // [fromMs, toMs] from the finest resolution that covers fromMs (raw, then per-minute, then
    // per-hour averages), averaged into at most maxPoints buckets; sorted by ms.
    std::vector<Sample> query(const SeriesKey& key, qint64 fromMs, qint64 toMs, int maxPoints = 2000) const;
    // Every series of `cluster` (of `metric` when given), sorted.
    std::vector<SeriesKey> series(const QString& cluster, const QString& metric = {}) const;
    // raw → minute → hour downsampling by age (relative to nowMs), then the size bound (oldest first).
    void compact(qint64 nowMs);
    qint64 sizeBytes() const;

private:
    struct Db;
    qint64 seriesId(const SeriesKey& key, bool create) const;

    QString m_path;
    QString m_connection;
    Retention m_retention;
    std::unique_ptr<Db> m_db;  // prepared statements + interned ids (mutable caches behind const API)
};

}  // namespace partita::models
