// MetricHistory: the GUI's handle on the metric history: a MetricStore on its own worker thread,
// so nothing here blocks the GUI thread.
#pragma once

#include "models/metricseries.h"

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

class QThread;

namespace partita::models {

class MetricStore;

class MetricHistory : public QObject {
    Q_OBJECT
public:
    explicit MetricHistory(const QString& path = defaultPath(), QObject* parent = nullptr);  // opens on the worker
    ~MetricHistory() override;  // finishes queued work, closes
    // QStandardPaths::AppDataLocation + "/metrics.sqlite"
    static QString defaultPath();

    // Queued; compacts about every 10 minutes (of frame time) by itself.
    void record(const MetricFrame& frame);
    // done runs on context's thread unless context died.
    void query(const SeriesKey& key, qint64 fromMs, qint64 toMs, int maxPoints, QObject* context,
               std::function<void(std::vector<Sample>)> done);
    void listSeries(const QString& cluster, const QString& metric, QObject* context,
                    std::function<void(std::vector<SeriesKey>)> done);
    // Runs f(store) on the worker (tests, retention changes); done on context's thread afterwards.
    void withStore(std::function<void(MetricStore&)> f, QObject* context = nullptr, std::function<void()> done = {});

signals:
    void recorded(const QString& cluster, qint64 ms);  // after a frame is in the store
    void failed(const QString& error);

private:
    QThread* m_thread = nullptr;
    QObject* m_worker = nullptr;     // lives on m_thread; owns the store
    MetricStore* m_store = nullptr;  // touched only on m_thread
    qint64 m_lastCompactMs = 0;      // worker thread only
};

}  // namespace partita::models
