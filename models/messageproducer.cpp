// MessageProducer: single sends on the GUI thread, bulk sends on a worker thread, both through
// engine producers; delivery callbacks (engine threads) count atomically and post what the GUI
// shows through the CallbackGuard.
#include "models/messageproducer.h"

#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "engine/client/producerconfig.h"
#include "engine/client/producerrecord.h"
#include "engine/protocol/records/compression.h"
#include "models/clustersession.h"
#include "models/clustersnapshot.h"
#include "models/valuegenerator.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>

namespace partita::models {

namespace {

using Clock = std::chrono::steady_clock;

// A bulk reports at most this many successes and this many errors one by one.
constexpr int kMaxReported = 1000;
// Short enough that a broker that is down shows up as an error while the user still waits.
constexpr int kDeliveryTimeoutMs = 15000;
constexpr int kLingerMs = 5;

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// The template's key, value and header values parsed once.
struct ParsedTemplate {
    std::optional<ValueGenerator> key;
    std::optional<ValueGenerator> value;
    std::vector<std::pair<std::string, std::optional<ValueGenerator>>> headers;
};

std::optional<ParsedTemplate> parseTemplate(const MessageTemplate& t, QString* error) {
    ParsedTemplate parsed;
    QString why;
    auto parseField = [&](const std::optional<QByteArray>& text, const QString& what,
                          std::optional<ValueGenerator>& out) {
        if (!text) return true;
        out = ValueGenerator::parse(*text, &why);
        if (out) return true;
        if (error) *error = QObject::tr("%1: %2").arg(what, why);
        return false;
    };
    if (!parseField(t.key, QObject::tr("Key"), parsed.key)) return std::nullopt;
    if (!parseField(t.value, QObject::tr("Value"), parsed.value)) return std::nullopt;
    for (const auto& [name, value] : t.headers) {
        std::optional<ValueGenerator> generator;
        if (!parseField(value, QObject::tr("Header '%1'").arg(name), generator)) return std::nullopt;
        parsed.headers.emplace_back(name.toStdString(), std::move(generator));
    }
    return parsed;
}

// Fills `record` for message `index`, reusing its strings' capacity.
void fillRecord(const ParsedTemplate& parsed, uint64_t index, std::mt19937_64& rng, client::ProducerRecord& record) {
    auto expand = [&](const std::optional<ValueGenerator>& generator, std::optional<std::string>& out) {
        if (!generator) {
            out.reset();
            return;
        }
        if (!out) out.emplace();
        out->clear();
        generator->expandInto(index, rng, *out);
    };
    expand(parsed.key, record.key);
    expand(parsed.value, record.value);
    record.headers.resize(parsed.headers.size());
    for (size_t i = 0; i < parsed.headers.size(); ++i) {
        record.headers[i].key = parsed.headers[i].first;
        expand(parsed.headers[i].second, record.headers[i].value);
    }
}

QString jsonError(const std::optional<std::string>& value) {
    if (!value) return {};  // a null value (tombstone) is not JSON, but is allowed
    const QString why = ValueGenerator::validateJson(QByteArray::fromRawData(value->data(), qsizetype(value->size())));
    if (why.isEmpty()) return {};
    return QObject::tr("The value is not valid JSON: %1").arg(why);
}

bool bufferFull(const Error& error) {
    return error.kind == ErrorKind::TooLarge;
}

}  // namespace

// One bulk send, shared by the GUI thread, its worker thread and the delivery callbacks.
struct BulkRun {
    CallbackGuard<MessageProducer>::Handle handle;
    qint64 total = 0;
    Clock::time_point started = Clock::now();
    std::atomic<bool> cancelled{false};
    std::atomic<bool> abandoned{false};  // the MessageProducer is going away: do not wait for deliveries
    std::atomic<bool> loopDone{false};
    std::atomic<qint64> queued{0};  // handed to the producer, or failed before it (invalid JSON)
    std::atomic<qint64> delivered{0};
    std::atomic<qint64> failed{0};
    std::atomic<int> resultsReported{0};
    std::atomic<int> errorsReported{0};
    std::mutex mutex;
    std::condition_variable wake;
    std::string firstError;  // under mutex

    void fail(qint64 index, const QString& error) {
        {
            std::lock_guard lock(mutex);
            if (firstError.empty()) firstError = error.toStdString();
        }
        if (errorsReported.fetch_add(1, std::memory_order_relaxed) < kMaxReported) {
            MessageProducer::SendResult result{.index = index, .error = error};
            handle.post([result](MessageProducer* self) { emit self->sent(result); });
        }
        countDone(failed);
    }
    void succeed(qint64 index, const client::RecordMetadata& metadata) {
        if (resultsReported.fetch_add(1, std::memory_order_relaxed) < kMaxReported) {
            MessageProducer::SendResult result{.index = index,
                                               .partition = metadata.partition,
                                               .offset = metadata.offset,
                                               .timestamp = metadata.timestamp};
            handle.post([result](MessageProducer* self) { emit self->sent(result); });
        }
        countDone(delivered);
    }
    // The notify is under the mutex so the worker, checking under it, cannot miss the last one.
    void countDone(std::atomic<qint64>& counter) {
        counter.fetch_add(1);
        if (loopDone.load() && delivered.load() + failed.load() == queued.load()) {
            std::lock_guard lock(mutex);
            wake.notify_all();
        }
    }
    static void finish(MessageProducer* self) { self->finishBulk(); }
    void postProgress() {
        handle.post([q = queued.load(), d = delivered.load(), f = failed.load(), t = total](MessageProducer* self) {
            emit self->bulkProgress(q, d, f, t);
        });
    }
};

namespace {

void runBulk(std::shared_ptr<BulkRun> run, std::shared_ptr<client::Producer> producer, ParsedTemplate parsed,
             client::ProducerRecord record, bool validateEach) {
    std::mt19937_64 rng(std::random_device{}());
    auto nextProgress = Clock::now() + std::chrono::milliseconds(100);
    bool fatal = false;  // the producer refused for good (closed, fatal idempotence error)
    for (qint64 index = 0; index < run->total && !fatal && !run->cancelled.load(std::memory_order_relaxed); ++index) {
        fillRecord(parsed, uint64_t(index), rng, record);
        if (validateEach) {
            if (QString why = jsonError(record.value); !why.isEmpty()) {
                run->queued.fetch_add(1);
                run->fail(index, why);
                continue;
            }
        }
        while (true) {
            Status queued = producer->produce(record, [run, index](Result<client::RecordMetadata> result) {
                if (result.ok())
                    run->succeed(index, result.value());
                else
                    run->fail(index, fromStd(result.error().message));
            });
            if (queued.ok()) {
                run->queued.fetch_add(1, std::memory_order_relaxed);
                break;
            }
            if (!bufferFull(queued.error())) {  // closed or a fatal error: the rest would fail the same way
                run->queued.fetch_add(1);
                run->fail(index, fromStd(queued.error().message));
                fatal = true;
                break;
            }
            // Back-pressure: the buffer drains as deliveries come back.
            producer->flush({});
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (run->cancelled.load()) break;
        }
        if ((index & 1023) == 0 && Clock::now() >= nextProgress) {
            run->postProgress();
            nextProgress = Clock::now() + std::chrono::milliseconds(100);
        }
    }
    const bool cancelled = !fatal && run->cancelled.load() && run->queued.load() < run->total;
    producer->flush({});  // skip linger.ms for the last batches
    {
        std::unique_lock lock(run->mutex);
        run->loopDone = true;
        while (!run->abandoned.load() && run->delivered.load() + run->failed.load() < run->queued.load()) {
            run->wake.wait_for(lock, std::chrono::milliseconds(100));
            lock.unlock();
            run->postProgress();
            lock.lock();
        }
    }
    if (run->abandoned.load()) return;
    run->postProgress();
    const qint64 elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - run->started).count();
    QString firstError;
    {
        std::lock_guard lock(run->mutex);
        firstError = fromStd(run->firstError);
    }
    run->handle.post([delivered = run->delivered.load(), failed = run->failed.load(), cancelled, firstError,
                      elapsedMs](MessageProducer* self) {
        BulkRun::finish(self);
        emit self->bulkFinished(delivered, failed, cancelled, firstError, elapsedMs);
    });
}

}  // namespace

MessageProducer::MessageProducer(ClusterSession* session, QObject* parent) : QObject(parent), m_session(session) {
    qRegisterMetaType<SendResult>();
}

MessageProducer::~MessageProducer() {
    m_guard.detach();
    if (m_bulk) {
        m_bulk->abandoned = true;
        m_bulk->cancelled = true;
        std::lock_guard lock(m_bulk->mutex);
        m_bulk->wake.notify_all();
    }
    if (m_worker.joinable()) m_worker.join();
}

std::shared_ptr<client::Producer> MessageProducer::producerFor(const MessageTemplate& t, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return std::shared_ptr<client::Producer>();
    };
    auto client = m_session ? m_session->client() : nullptr;
    if (!client) return fail(tr("Not connected to the cluster."));
    if (client != m_producersClient) {  // the session reconnected: producers on the old client are stale
        m_producers.clear();
        m_producersClient = client;
    }
    const auto key = std::make_pair(t.codec, t.acks);
    if (auto it = m_producers.find(key); it != m_producers.end()) return it->second;

    const auto compression = protocol::records::compressionTypeFromName(t.codec.toStdString());
    if (!compression) return fail(tr("Unknown compression codec '%1'.").arg(t.codec));
    if (t.acks != 0 && t.acks != 1 && t.acks != -1) return fail(tr("acks must be 0, 1 or -1 (all)."));
    // Settings this producer decides drop out of the connection's properties, so fromClientConfig
    // cannot refuse a combination (say enable.idempotence=true with acks 1) the user did not ask for.
    client::ClientConfig clientConfig = client->config();
    for (const char* name : {"acks", "request.required.acks", "compression.type", "compression.codec", "linger.ms",
                             "queue.buffering.max.ms", "delivery.timeout.ms", "message.timeout.ms"})
        clientConfig.properties.erase(name);
    if (t.acks != -1) clientConfig.properties.erase("enable.idempotence");
    auto config = client::ProducerConfig::fromClientConfig(clientConfig);
    if (!config.ok()) return fail(tr("Producer settings: %1").arg(fromStd(config.error().message)));
    config.value().acks = int16_t(t.acks);
    if (t.acks != -1) config.value().idempotence = false;  // Java's rule: idempotence needs acks=all
    config.value().compression = *compression;
    config.value().lingerMs = kLingerMs;
    config.value().deliveryTimeoutMs = kDeliveryTimeoutMs;
    config.value().requestTimeoutMs = std::min(config.value().requestTimeoutMs, kDeliveryTimeoutMs);
    if (Status valid = config.value().validate(); !valid.ok())
        return fail(tr("Producer settings: %1").arg(fromStd(valid.error().message)));
    auto producer = std::make_shared<client::Producer>(client, config.value());
    m_producers.emplace(key, producer);
    return producer;
}

bool MessageProducer::checkPartition(const QString& topic, int partition, QString* error) const {
    if (partition < -1) {
        if (error) *error = tr("Invalid partition %1.").arg(partition);
        return false;
    }
    if (partition < 0 || !m_session) return true;
    const auto snapshot = m_session->snapshot();
    const TopicInfo* info = snapshot ? snapshot->findTopic(topic) : nullptr;
    // A topic the snapshot does not know yet is left to the producer, which reports it.
    if (info == nullptr || info->partitions.empty() || partition < int(info->partitions.size())) return true;
    const int count = int(info->partitions.size());
    if (error) *error = tr("Topic %1 has %2 partitions (0..%3).").arg(topic).arg(count).arg(count - 1);
    return false;
}

bool MessageProducer::send(const QString& topic, const MessageTemplate& t, QString* error) {
    auto parsed = parseTemplate(t, error);
    if (!parsed) return false;
    static std::mt19937_64 rng(std::random_device{}());  // GUI thread only
    client::ProducerRecord record{.topic = topic.toStdString(), .partition = t.partition, .timestamp = t.timestamp};
    fillRecord(*parsed, 0, rng, record);
    if (t.valueIsJson) {
        if (QString why = jsonError(record.value); !why.isEmpty()) {
            if (error) *error = why;
            return false;
        }
    }
    if (!checkPartition(topic, t.partition, error)) return false;
    auto producer = producerFor(t, error);
    if (!producer) return false;
    Status queued = producer->produce(record, [handle = m_guard.handle()](Result<client::RecordMetadata> result) {
        SendResult sendResult;
        if (result.ok()) {
            sendResult.partition = result.value().partition;
            sendResult.offset = result.value().offset;
            sendResult.timestamp = result.value().timestamp;
        } else {
            sendResult.error = fromStd(result.error().message);
        }
        handle.post([sendResult](MessageProducer* self) { emit self->sent(sendResult); });
    });
    if (!queued.ok()) {
        if (error)
            *error = bufferFull(queued.error()) ? tr("The producer is busy; try again in a moment.")
                                                : fromStd(queued.error().message);
        return false;
    }
    return true;
}

bool MessageProducer::sendBulk(const QString& topic, const MessageTemplate& t, qint64 count, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (m_bulk) return fail(tr("A bulk send is already running."));
    if (count < 1) return fail(tr("The number of messages must be at least 1."));
    auto parsed = parseTemplate(t, error);
    if (!parsed) return false;
    client::ProducerRecord record{.topic = topic.toStdString(), .partition = t.partition, .timestamp = t.timestamp};
    bool validateEach = false;
    if (t.valueIsJson && parsed->value) {
        std::mt19937_64 rng(std::random_device{}());
        fillRecord(*parsed, 0, rng, record);
        if (QString why = jsonError(record.value); !why.isEmpty()) return fail(why);
        validateEach = !parsed->value->isConstant();
    }
    if (!checkPartition(topic, t.partition, error)) return false;
    auto producer = producerFor(t, error);
    if (!producer) return false;
    if (m_worker.joinable()) m_worker.join();  // a finished run's thread
    m_bulk = std::make_shared<BulkRun>();
    m_bulk->handle = m_guard.handle();
    m_bulk->total = count;
    m_worker = std::thread(runBulk, m_bulk, std::move(producer), std::move(*parsed), std::move(record), validateEach);
    return true;
}

void MessageProducer::cancel() {
    if (m_bulk) m_bulk->cancelled = true;
}

bool MessageProducer::isBusy() const {
    return m_bulk != nullptr;
}

void MessageProducer::finishBulk() {
    if (m_worker.joinable()) m_worker.join();
    m_bulk.reset();
}

}  // namespace partita::models
