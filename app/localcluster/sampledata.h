// SampleData: fills a cluster with demo topics, realistic JSON records and a lagging consumer group.
#pragma once

#include "models/callbackguard.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace partita::client {
class KafkaClient;
class Producer;
}  // namespace partita::client

namespace partita::app {

// Creates "user-events" (6 partitions), "orders" (3) and "users" (3, compacted), skipping topics
// that exist; produces user events keyed by user id, orders keyed by order id with a "source"
// header, and user profiles with a few updates per key and one tombstone; then commits offsets of
// the group "order-service" at about 60 % of each orders partition so the UI has lag to show.
//
// start() returns at once. The engine's callbacks are re-posted to the GUI thread, where all the
// bookkeeping happens; progress() and finished() are emitted there. cancel() stops producing more
// records (those in flight are still delivered) and finishes with ok = false.
class SampleData : public QObject {
    Q_OBJECT
public:
    static constexpr int kUserEvents = 2000;
    static constexpr int kOrders = 1000;
    static constexpr int kUsers = 100;
    static constexpr int kVersionsPerUser = 3;
    // Every user's versions plus one tombstone.
    static constexpr int kUserRecords = kUsers * kVersionsPerUser + 1;
    static constexpr const char* kGroup = "order-service";

    explicit SampleData(std::shared_ptr<client::KafkaClient> client, QObject* parent = nullptr);
    ~SampleData() override;

    void start();
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    // `done` of `total` steps of work (records delivered count one each); `step` says what runs.
    void progress(int done, int total, const QString& step);
    void finished(bool ok, const QString& error);

private:
    struct PendingRecord;

    void createTopics();
    void waitForTopics(int attempt);
    void startProducing();
    void pump();
    void onDelivered(uint64_t run, bool ok, const QString& error);
    void commitGroupOffsets();
    void finish(bool ok, const QString& error);
    bool stale(uint64_t run) const { return run != m_run || !m_running; }
    void generateRecords();

    std::shared_ptr<client::KafkaClient> m_client;
    models::CallbackGuard<SampleData> m_guard{this};  // engine callbacks post through it
    std::unique_ptr<client::Producer> m_producer;
    std::vector<std::unique_ptr<PendingRecord>> m_records;
    size_t m_next = 0;
    int m_inFlight = 0;
    int m_delivered = 0;
    QString m_firstError;
    uint64_t m_run = 0;
    bool m_running = false;
    bool m_cancelled = false;
};

}  // namespace partita::app
