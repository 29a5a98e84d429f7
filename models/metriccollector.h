// MetricCollector: samples one connected cluster every interval (on engine threads) into a
// MetricFrame: cluster/broker/topic/group metrics through the session's Admin, plus Prometheus
// endpoints scraped over HTTP.
#pragma once

#include "models/callbackguard.h"
#include "models/metricseries.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <set>

class QNetworkAccessManager;

namespace partita::models {

class ClusterSession;

// One per connected cluster. Rounds never overlap: a tick while the previous round still runs is
// skipped. Rates (…_per_sec) come from the previous frame, so they appear from the second round.
class MetricCollector : public QObject {
    Q_OBJECT
public:
    MetricCollector(ClusterSession* session, const QString& clusterId, QObject* parent = nullptr);
    ~MetricCollector() override;

    void setInterval(int ms);  // default 10,000
    int interval() const;
    // Scraped each round. Each entry is either "url" (series under subject "endpoint:<host:port>")
    // or "N=url" (series under subject "broker:N"), e.g. "1=http://127.0.0.1:7071/metrics".
    void setPrometheusEndpoints(const QStringList& urls);
    QStringList prometheusEndpoints() const { return m_endpoints; }
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    // Starts a round now unless one runs.
    void collectNow();
    // A round is under way (its frame not yet emitted).
    bool isCollecting() const { return m_running; }

signals:
    void sampled(const partita::models::MetricFrame& frame);  // GUI thread, once per round
    void problem(const QString& message);                     // a source failed this round (the rest still sampled)

private:
    struct Round;
    struct Previous;
    void startKafka(std::shared_ptr<Round> round);
    static void pumpGroups(std::shared_ptr<Round> round);
    static void finishKafka(std::shared_ptr<Round> round);
    static void buildFrame(Round& round);
    static void addScrapes(Round& round);
    static size_t countRebalance(const Previous* prev, Previous& next, const std::string& group, int state,
                                 size_t members, qint64 ms);
    void scrape(std::shared_ptr<Round> round, const QString& entry);
    void finishRound(std::shared_ptr<Round> round);

    ClusterSession* m_session;
    QString m_cluster;
    QStringList m_endpoints;
    QTimer m_timer;
    QNetworkAccessManager* m_network = nullptr;
    bool m_running = false;
    std::set<int> m_knownBrokers;                  // every broker id seen in a snapshot
    std::shared_ptr<Previous> m_previous;          // the last frame's counters, for rates
    CallbackGuard<MetricCollector> m_guard{this};  // engine callbacks post through it
};

}  // namespace partita::models
