// MetricStore: SQLite tables for series ids and raw / per-minute / per-hour samples, appends in one
// transaction through prepared statements, reads that pick the finest resolution stored.
#include "models/metricstore.h"

#include <QAtomicInteger>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <optional>

namespace partita::models {

namespace {

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 3'600'000;

QAtomicInteger<quint64> g_connectionCounter;

qint64 floorTo(qint64 ms, qint64 unit) {
    return ms >= 0 ? ms / unit * unit : -((-ms + unit - 1) / unit) * unit;
}

// Gives the free pages back to the file system. The pragma frees one page per step (a zero-column
// row each) and QSqlQuery steps once per exec, so it is executed until the free list is empty.
void freePages(QSqlDatabase& db) {
    QSqlQuery count(db);
    QSqlQuery vacuum(db);
    if (!vacuum.prepare(QStringLiteral("PRAGMA incremental_vacuum"))) return;
    if (!count.exec(QStringLiteral("PRAGMA freelist_count")) || !count.next()) return;
    const qint64 pages = count.value(0).toLongLong();
    count.finish();
    for (qint64 i = 0; i < pages; ++i)
        if (!vacuum.exec()) break;
    vacuum.finish();
}

}  // namespace

QString SeriesKey::toString() const {
    return cluster + QChar(0x1f) + metric + QChar(0x1f) + subject;
}

SeriesKey SeriesKey::fromString(const QString& text) {
    const QStringList parts = text.split(QChar(0x1f));
    SeriesKey key;
    if (!parts.isEmpty()) key.cluster = parts.value(0);
    key.metric = parts.value(1);
    key.subject = parts.value(2);
    return key;
}

struct MetricStore::Db {
    QSqlDatabase db;
    std::optional<QSqlQuery> insertSeries;
    std::optional<QSqlQuery> insertRaw;
    QHash<QString, qint64> ids;  // SeriesKey::toString() -> series id
    // Samples before these times were moved to the coarser table by the last compaction; reads
    // take each time range from the finest table that still holds it.
    qint64 rawFrom = std::numeric_limits<qint64>::min();
    qint64 minuteFrom = std::numeric_limits<qint64>::min();
};

MetricStore::MetricStore(const QString& path)
    : m_path(path), m_connection(QStringLiteral("partita-metrics-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1))) {}

MetricStore::~MetricStore() {
    if (m_db) {
        m_db->insertSeries.reset();
        m_db->insertRaw.reset();
        m_db->db.close();
        m_db.reset();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool MetricStore::isOpen() const {
    return m_db && m_db->db.isOpen();
}

void MetricStore::setRetention(const Retention& retention) {
    m_retention = retention;
}

bool MetricStore::open(QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    m_db = std::make_unique<Db>();
    m_db->db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!m_db->db.isValid()) return fail(QStringLiteral("The SQLite driver (QSQLITE) is not available"));
    m_db->db.setDatabaseName(m_path);
    if (!m_db->db.open()) return fail(m_db->db.lastError().text());

    QSqlQuery q(m_db->db);
    // auto_vacuum must precede the first table; INCREMENTAL lets the size bound give pages back
    // without rewriting the whole file (VACUUM).
    const QStringList setup = {
        QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL"),
        QStringLiteral("PRAGMA journal_mode=WAL"),
        QStringLiteral("PRAGMA synchronous=NORMAL"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, cluster TEXT NOT NULL, "
                       "metric TEXT NOT NULL, subject TEXT NOT NULL, UNIQUE (cluster, metric, subject))"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS raw (series INTEGER NOT NULL, ms INTEGER NOT NULL, "
                       "value REAL NOT NULL, PRIMARY KEY (series, ms)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS minute (series INTEGER NOT NULL, ms INTEGER NOT NULL, "
                       "avg REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL, "
                       "PRIMARY KEY (series, ms)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS hour (series INTEGER NOT NULL, ms INTEGER NOT NULL, "
                       "avg REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL, "
                       "PRIMARY KEY (series, ms)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER)"),
    };
    for (const QString& sql : setup)
        if (!q.exec(sql)) return fail(q.lastError().text());

    if (q.exec(QStringLiteral("SELECT id, cluster, metric, subject FROM series"))) {
        while (q.next()) {
            const SeriesKey key{q.value(1).toString(), q.value(2).toString(), q.value(3).toString()};
            m_db->ids.insert(key.toString(), q.value(0).toLongLong());
        }
    }
    if (q.exec(QStringLiteral("SELECT key, value FROM meta"))) {
        while (q.next()) {
            if (q.value(0).toString() == QLatin1String("rawFrom")) m_db->rawFrom = q.value(1).toLongLong();
            if (q.value(0).toString() == QLatin1String("minuteFrom")) m_db->minuteFrom = q.value(1).toLongLong();
        }
    }

    m_db->insertSeries.emplace(m_db->db);
    m_db->insertRaw.emplace(m_db->db);
    if (!m_db->insertSeries->prepare(
            QStringLiteral("INSERT INTO series (cluster, metric, subject) VALUES (?, ?, ?)")) ||
        !m_db->insertRaw->prepare(QStringLiteral("INSERT OR REPLACE INTO raw (series, ms, value) VALUES (?, ?, ?)")))
        return fail(m_db->db.lastError().text());
    return true;
}

qint64 MetricStore::seriesId(const SeriesKey& key, bool create) const {
    const QString text = key.toString();
    if (auto it = m_db->ids.constFind(text); it != m_db->ids.constEnd()) return *it;
    if (!create) return -1;
    QSqlQuery& insert = *m_db->insertSeries;
    insert.bindValue(0, key.cluster);
    insert.bindValue(1, key.metric);
    insert.bindValue(2, key.subject);
    if (!insert.exec()) return -1;
    const qint64 id = insert.lastInsertId().toLongLong();
    m_db->ids.insert(text, id);
    return id;
}

bool MetricStore::append(const MetricFrame& frame, QString* error) {
    if (!isOpen()) {
        if (error) *error = QStringLiteral("The metric store is not open");
        return false;
    }
    QSqlDatabase& db = m_db->db;
    if (!db.transaction()) {
        if (error) *error = db.lastError().text();
        return false;
    }
    // Ids interned inside the transaction are forgotten again if it fails.
    const QHash<QString, qint64> idsBefore = m_db->ids;
    QSqlQuery& insert = *m_db->insertRaw;
    for (const auto& [key, value] : frame.values) {
        const qint64 id = seriesId(key, true);
        if (id < 0) continue;
        insert.bindValue(0, id);
        insert.bindValue(1, frame.ms);
        insert.bindValue(2, value);
        if (!insert.exec()) {
            if (error) *error = insert.lastError().text();
            db.rollback();
            m_db->ids = idsBefore;
            return false;
        }
    }
    if (!db.commit()) {
        if (error) *error = db.lastError().text();
        db.rollback();
        m_db->ids = idsBefore;
        return false;
    }
    return true;
}

std::vector<Sample> MetricStore::query(const SeriesKey& key, qint64 fromMs, qint64 toMs, int maxPoints) const {
    std::vector<Sample> out;
    if (!isOpen() || toMs < fromMs) return out;
    const qint64 id = seriesId(key, false);
    if (id < 0) return out;

    // Weighted points: an hour average stands for many raw samples.
    struct Point {
        qint64 ms;
        double value;
        qint64 weight;
    };
    std::vector<Point> points;
    QSqlQuery q(m_db->db);
    q.setForwardOnly(true);
    auto read = [&](const char* table, const char* valueColumn, const char* weightColumn, qint64 from, qint64 to) {
        from = std::max(from, fromMs);
        to = std::min(to, toMs);
        if (to < from) return;
        q.prepare(QStringLiteral("SELECT ms, %1, %2 FROM %3 WHERE series = ? AND ms >= ? AND ms <= ? ORDER BY ms")
                      .arg(QLatin1String(valueColumn), QLatin1String(weightColumn), QLatin1String(table)));
        q.bindValue(0, id);
        q.bindValue(1, from);
        q.bindValue(2, to);
        if (!q.exec()) return;
        while (q.next())
            points.push_back(
                {q.value(0).toLongLong(), q.value(1).toDouble(), std::max<qint64>(1, q.value(2).toLongLong())});
    };
    constexpr qint64 kMin = std::numeric_limits<qint64>::min();
    constexpr qint64 kMax = std::numeric_limits<qint64>::max();
    // Disjoint time ranges, coarsest first, so the result is sorted without a merge.
    if (m_db->minuteFrom != kMin) read("hour", "avg", "count", kMin, m_db->minuteFrom - 1);
    if (m_db->rawFrom != kMin) read("minute", "avg", "count", m_db->minuteFrom, m_db->rawFrom - 1);
    read("raw", "value", "1", m_db->rawFrom, kMax);

    maxPoints = std::max(1, maxPoints);
    if (int(points.size()) <= maxPoints) {
        out.reserve(points.size());
        for (const Point& p : points) out.push_back({p.ms, p.value});
        return out;
    }
    // Equal time buckets over [fromMs, toMs]; each becomes one point at its samples' mean time.
    const long double span = (long double)(toMs) - (long double)(fromMs) + 1;
    const long double width = span / maxPoints;
    out.reserve(size_t(maxPoints));
    size_t i = 0;
    while (i < points.size()) {
        const auto bucket = qint64(((long double)(points[i].ms) - fromMs) / width);
        long double sumMs = 0, sumValue = 0, weight = 0;
        size_t j = i;
        for (; j < points.size() && qint64(((long double)(points[j].ms) - fromMs) / width) == bucket; ++j) {
            sumMs += (long double)(points[j].ms) * points[j].weight;
            sumValue += points[j].value * points[j].weight;
            weight += points[j].weight;
        }
        out.push_back({qint64(sumMs / weight), double(sumValue / weight)});
        i = j;
    }
    return out;
}

std::vector<SeriesKey> MetricStore::series(const QString& cluster, const QString& metric) const {
    std::vector<SeriesKey> out;
    if (!isOpen()) return out;
    for (auto it = m_db->ids.constBegin(); it != m_db->ids.constEnd(); ++it) {
        SeriesKey key = SeriesKey::fromString(it.key());
        if (key.cluster == cluster && (metric.isEmpty() || key.metric == metric)) out.push_back(std::move(key));
    }
    std::sort(out.begin(), out.end());
    return out;
}

qint64 MetricStore::sizeBytes() const {
    if (!isOpen()) return 0;
    QSqlQuery q(m_db->db);
    qint64 pages = 0, pageSize = 0;
    if (q.exec(QStringLiteral("PRAGMA page_count")) && q.next()) pages = q.value(0).toLongLong();
    if (q.exec(QStringLiteral("PRAGMA page_size")) && q.next()) pageSize = q.value(0).toLongLong();
    return pages * pageSize;
}

void MetricStore::compact(qint64 nowMs) {
    if (!isOpen()) return;
    QSqlDatabase& db = m_db->db;
    QSqlQuery q(db);
    auto exec = [&](const QString& sql, std::initializer_list<QVariant> values = {}) {
        q.prepare(sql);
        int i = 0;
        for (const QVariant& v : values) q.bindValue(i++, v);
        return q.exec();
    };

    // Cut-offs on bucket boundaries, so a bucket is aggregated once, from all its samples.
    const qint64 rawCut = floorTo(nowMs - m_retention.rawMs, kMinuteMs);
    const qint64 minuteCut = floorTo(nowMs - m_retention.minuteMs, kHourMs);
    const qint64 hourCut = floorTo(nowMs - m_retention.hourMs, kHourMs);

    // Series by series: each statement then reads one primary-key range (series, ms < cut)
    // instead of scanning the whole table, so a compaction costs what it moves.
    const QStringList statements = {
        // Late samples for a bucket already aggregated are merged into it (weighted by count).
        QStringLiteral(
            "INSERT INTO minute (series, ms, avg, min, max, count) "
            "SELECT series, (ms / 60000) * 60000 AS bucket, avg(value), min(value), max(value), count(*) "
            "FROM raw WHERE series = :series AND ms < :cut GROUP BY series, bucket "
            "ON CONFLICT (series, ms) DO UPDATE SET "
            "avg = (minute.avg * minute.count + excluded.avg * excluded.count) / (minute.count + excluded.count), "
            "min = MIN(minute.min, excluded.min), max = MAX(minute.max, excluded.max), "
            "count = minute.count + excluded.count"),
        QStringLiteral("DELETE FROM raw WHERE series = :series AND ms < :cut"),
        QStringLiteral(
            "INSERT INTO hour (series, ms, avg, min, max, count) "
            "SELECT series, (ms / 3600000) * 3600000 AS bucket, sum(avg * count) / sum(count), min(min), max(max), "
            "sum(count) FROM minute WHERE series = :series AND ms < :cut GROUP BY series, bucket "
            "ON CONFLICT (series, ms) DO UPDATE SET "
            "avg = (hour.avg * hour.count + excluded.avg * excluded.count) / (hour.count + excluded.count), "
            "min = MIN(hour.min, excluded.min), max = MAX(hour.max, excluded.max), "
            "count = hour.count + excluded.count"),
        QStringLiteral("DELETE FROM minute WHERE series = :series AND ms < :cut"),
        QStringLiteral("DELETE FROM hour WHERE series = :series AND ms < :cut"),
    };
    const qint64 cuts[] = {rawCut, rawCut, minuteCut, minuteCut, hourCut};
    std::vector<QSqlQuery> prepared;
    for (const QString& sql : statements) {
        prepared.emplace_back(db);
        prepared.back().prepare(sql);
    }
    db.transaction();
    for (const qint64 id : std::as_const(m_db->ids)) {
        for (size_t i = 0; i < prepared.size(); ++i) {
            prepared[i].bindValue(QStringLiteral(":series"), id);
            prepared[i].bindValue(QStringLiteral(":cut"), cuts[i]);
            prepared[i].exec();
        }
    }
    m_db->rawFrom = std::max(m_db->rawFrom, rawCut);
    m_db->minuteFrom = std::max(m_db->minuteFrom, minuteCut);
    exec(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES ('rawFrom', ?), ('minuteFrom', ?)"),
         {m_db->rawFrom, m_db->minuteFrom});
    db.commit();
    prepared.clear();
    freePages(db);

    // The size bound: the oldest quarter of the coarsest table's time span at a time, so the
    // freshest detail is what survives.
    for (int round = 0; round < 64 && sizeBytes() > m_retention.maxBytes; ++round) {
        bool deleted = false;
        for (const char* table : {"hour", "minute", "raw"}) {
            if (!exec(QStringLiteral("SELECT min(ms), max(ms) FROM %1").arg(QLatin1String(table))) || !q.next() ||
                q.value(0).isNull())
                continue;
            const qint64 oldest = q.value(0).toLongLong();
            const qint64 newest = q.value(1).toLongLong();
            const qint64 cut = oldest + std::max<qint64>(1, (newest - oldest) / 4);
            exec(QStringLiteral("DELETE FROM %1 WHERE ms < ?").arg(QLatin1String(table)), {cut});
            deleted = true;
            break;
        }
        if (!deleted) break;
        freePages(db);
        // The WAL holds the freed pages until a checkpoint; page_count follows the main file.
        exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
}

}  // namespace partita::models
