// MessageProducer: sends one message or a bulk of generated messages from a MessageTemplate with
// the engine's producer, reporting results on the GUI thread.
#pragma once

#include "models/callbackguard.h"
#include "models/messagetemplate.h"

#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <thread>
#include <utility>

namespace partita::client {
class KafkaClient;
class Producer;
}  // namespace partita::client

namespace partita::models {

class ClusterSession;
struct BulkRun;

// Producers: one engine client::Producer per (codec, acks) pair, created lazily on
// session->client(), ProducerConfig from the client's properties with acks/compression
// overridden; enable.idempotence follows Java's rules (acks=all idempotent); linger.ms 5 and
// delivery.timeout.ms 15 s so a broker that is down is reported instead of waited on (the engine
// reports it after max(15 s, the connection's request.timeout.ms): about 30 s by default).
class MessageProducer : public QObject {
    Q_OBJECT
public:
    struct SendResult {
        qint64 index = 0;  // the message's number in its bulk (0 for a single send)
        int partition = -1;
        qint64 offset = -1;  // -1 with acks 0
        qint64 timestamp = -1;
        QString error;  // empty on success
    };

    explicit MessageProducer(ClusterSession* session, QObject* parent = nullptr);
    // Cancels a running bulk and waits for its worker thread.
    ~MessageProducer() override;

    // One message. The result arrives through sent(). Returns false with *error set at once when
    // the template is invalid (bad generator / invalid JSON when valueIsJson / no client / no
    // such partition).
    bool send(const QString& topic, const MessageTemplate& t, QString* error = nullptr);
    // `count` messages from the template with generators expanded per message (index
    // 0..count-1), produced on a worker thread, respecting buffer-full back-pressure. At most
    // one bulk at a time.
    bool sendBulk(const QString& topic, const MessageTemplate& t, qint64 count, QString* error = nullptr);
    void cancel();  // stops a bulk promptly; bulkFinished reports cancelled
    bool isBusy() const;

signals:
    // Single sends, and for bulk at most the first 1,000 results + every error up to 1,000.
    void sent(const partita::models::MessageProducer::SendResult& result);
    void bulkProgress(qint64 queued, qint64 delivered, qint64 failed, qint64 total);  // at most every 100 ms
    void bulkFinished(qint64 delivered, qint64 failed, bool cancelled, const QString& firstError, qint64 elapsedMs);

private:
    std::shared_ptr<client::Producer> producerFor(const MessageTemplate& t, QString* error);
    bool checkPartition(const QString& topic, int partition, QString* error) const;
    friend struct BulkRun;
    void finishBulk();  // on the GUI thread once the worker is done: joins it

    ClusterSession* m_session;
    std::shared_ptr<client::KafkaClient> m_producersClient;  // the client m_producers run on
    std::map<std::pair<QString, int>, std::shared_ptr<client::Producer>> m_producers;
    std::shared_ptr<BulkRun> m_bulk;
    std::thread m_worker;
    CallbackGuard<MessageProducer> m_guard{this};
};

}  // namespace partita::models

Q_DECLARE_METATYPE(partita::models::MessageProducer::SendResult)
