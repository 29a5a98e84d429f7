// MetricHistory: a MetricStore on a worker thread; every call posts there, results come back on
// the caller's context thread.
#include "models/metrichistory.h"

#include "models/metricstore.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <memory>
#include <mutex>

namespace partita::models {

namespace {

// Ten minutes of frame time between compactions: enough to keep the raw table near its
// retention without rewriting buckets every round.
constexpr qint64 kCompactEveryMs = 10 * 60 * 1000;

// Runs f on obj's thread, queued.
template <class F>
void postTo(QObject* obj, F f) {
    QMetaObject::invokeMethod(obj, std::move(f), Qt::QueuedConnection);
}

}  // namespace

QString MetricHistory::defaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/metrics.sqlite");
}

namespace {

// Hands a result to `context`'s thread unless `context` is destroyed first: its destroyed()
// signal (emitted on its own thread, inside its destructor) clears the target under the same
// lock the worker posts under, so a post never races the destruction.
class Delivery {
public:
    explicit Delivery(QObject* context) : m_state(std::make_shared<State>()) {
        m_state->target = context;
        if (context)
            m_state->connection = QObject::connect(context, &QObject::destroyed, [state = m_state] {
                std::lock_guard lock(state->mutex);
                state->target = nullptr;
            });
    }
    template <class F>
    void post(F f) const {
        std::lock_guard lock(m_state->mutex);
        if (!m_state->target) return;
        QMetaObject::invokeMethod(
            m_state->target,
            [state = m_state, f = std::move(f)]() mutable {
                QObject::disconnect(state->connection);
                f();
            },
            Qt::QueuedConnection);
    }

private:
    struct State {
        std::mutex mutex;
        QObject* target = nullptr;
        QMetaObject::Connection connection;
    };
    std::shared_ptr<State> m_state;
};

}  // namespace

MetricHistory::MetricHistory(const QString& path, QObject* parent) : QObject(parent) {
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("MetricHistory"));
    m_worker = new QObject;
    m_worker->moveToThread(m_thread);
    m_thread->start(QThread::LowPriority);

    // Posting to `this` from the worker is safe: the destructor waits for the worker to finish.
    postTo(m_worker, [this, path] {
        if (path != QLatin1String(":memory:")) QDir().mkpath(QFileInfo(path).absolutePath());
        m_store = new MetricStore(path);
        QString error;
        if (!m_store->open(&error)) {
            const QString message = tr("Metric history unavailable (%1): %2").arg(path, error);
            postTo(this, [this, message] { emit failed(message); });
        }
    });
}

MetricHistory::~MetricHistory() {
    // Behind every call already queued: close the store on its thread, then stop the thread.
    postTo(m_worker, [this] {
        delete m_store;
        m_store = nullptr;
        m_thread->quit();
    });
    m_thread->wait();
    delete m_worker;
    delete m_thread;
}

void MetricHistory::record(const MetricFrame& frame) {
    postTo(m_worker, [this, frame] {
        if (!m_store || !m_store->isOpen()) return;
        QString error;
        const bool ok = m_store->append(frame, &error);
        if (ok && frame.ms - m_lastCompactMs >= kCompactEveryMs) {
            if (m_lastCompactMs != 0) m_store->compact(frame.ms);
            m_lastCompactMs = frame.ms;
        }
        postTo(this, [this, ok, error, cluster = frame.cluster, ms = frame.ms] {
            if (ok)
                emit recorded(cluster, ms);
            else
                emit failed(tr("Could not record metrics: %1").arg(error));
        });
    });
}

void MetricHistory::query(const SeriesKey& key, qint64 fromMs, qint64 toMs, int maxPoints, QObject* context,
                          std::function<void(std::vector<Sample>)> done) {
    Delivery delivery(context ? context : this);
    postTo(m_worker, [this, key, fromMs, toMs, maxPoints, delivery, done = std::move(done)]() mutable {
        std::vector<Sample> samples;
        if (m_store) samples = m_store->query(key, fromMs, toMs, maxPoints);
        delivery.post([done = std::move(done), samples = std::move(samples)]() mutable {
            if (done) done(std::move(samples));
        });
    });
}

void MetricHistory::listSeries(const QString& cluster, const QString& metric, QObject* context,
                               std::function<void(std::vector<SeriesKey>)> done) {
    Delivery delivery(context ? context : this);
    postTo(m_worker, [this, cluster, metric, delivery, done = std::move(done)]() mutable {
        std::vector<SeriesKey> keys;
        if (m_store) keys = m_store->series(cluster, metric);
        delivery.post([done = std::move(done), keys = std::move(keys)]() mutable {
            if (done) done(std::move(keys));
        });
    });
}

void MetricHistory::withStore(std::function<void(MetricStore&)> f, QObject* context, std::function<void()> done) {
    Delivery delivery(context ? context : this);
    postTo(m_worker, [this, f = std::move(f), delivery, done = std::move(done)]() mutable {
        if (m_store && f) f(*m_store);
        delivery.post([done = std::move(done)] {
            if (done) done();
        });
    });
}

}  // namespace partita::models
