// SampleData: demo topics, generated records and committed offsets, driven from the GUI thread.
#include "sampledata.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QRandomGenerator>
#include <QTimer>

#include <cmath>
#include <set>

namespace partita::app {

namespace {

constexpr int kTopicSteps = 1;
constexpr int kOffsetSteps = 1;
constexpr int kTotalRecords = SampleData::kUserEvents + SampleData::kOrders + SampleData::kUserRecords;
constexpr int kTotalSteps = kTopicSteps + kTotalRecords + kOffsetSteps;
// Records handed to the producer but not yet delivered; bounds memory and keeps cancel() prompt.
constexpr int kWindow = 500;
constexpr int kProgressEvery = 100;
constexpr int kTopicWaitAttempts = 40;
constexpr int kTopicWaitMs = 250;
constexpr int16_t kTopicAlreadyExists = 36;

const char* const kUserEventsTopic = "user-events";
const char* const kOrdersTopic = "orders";
const char* const kUsersTopic = "users";

// Runs `f` on the GUI thread later, unless the SampleData is gone by then.
template <class F>
void postTo(const models::CallbackGuard<SampleData>::Handle& guard, F f) {
    guard.post([f = std::move(f)](SampleData*) mutable { f(); });
}

QString errorText(const Error& error) {
    return QString::fromStdString(error.message);
}

std::string json(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

QString userId(int n) {
    return QStringLiteral("user-%1").arg(n, 3, 10, QLatin1Char('0'));
}

QString isoTime(int64_t ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

template <class T, size_t N>
const T& pick(QRandomGenerator& random, const T (&items)[N]) {
    return items[random.bounded(int(N))];
}

}  // namespace

struct SampleData::PendingRecord {
    client::ProducerRecord record;
};

SampleData::SampleData(std::shared_ptr<client::KafkaClient> client, QObject* parent)
    : QObject(parent), m_client(std::move(client)) {}

SampleData::~SampleData() {
    m_guard.detach();
    // Records in flight are still delivered after this; their callbacks find no owner.
    m_producer.reset();
}

void SampleData::start() {
    if (m_running) return;
    ++m_run;
    m_running = true;
    m_cancelled = false;
    m_firstError.clear();
    m_next = 0;
    m_inFlight = 0;
    m_delivered = 0;
    emit progress(0, kTotalSteps, tr("Creating topics"));
    createTopics();
}

void SampleData::cancel() {
    if (!m_running) return;
    m_cancelled = true;
    finish(false, tr("Cancelled"));
}

void SampleData::finish(bool ok, const QString& error) {
    if (!m_running) return;
    m_running = false;
    m_records.clear();
    m_producer.reset();
    emit finished(ok, error);
}

void SampleData::createTopics() {
    const uint64_t run = m_run;
    client::Admin admin(m_client);
    admin.listTopics(false, [guard = m_guard.handle(), kafka = m_client, run,
                             this](Result<std::vector<client::TopicListing>> listed) {
        if (!listed.ok()) {
            const QString error = errorText(listed.error());
            return postTo(guard, [this, run, error] {
                if (!stale(run)) finish(false, tr("Could not list topics: %1").arg(error));
            });
        }
        std::set<std::string> existing;
        for (const auto& topic : listed.value()) existing.insert(topic.name);
        std::vector<client::NewTopic> missing;
        auto want = [&](const char* name, int partitions, std::map<std::string, std::string> configs) {
            if (!existing.count(name)) missing.push_back({name, partitions, -1, {}, std::move(configs)});
        };
        want(kUserEventsTopic, 6, {});
        want(kOrdersTopic, 3, {});
        want(kUsersTopic, 3, {{"cleanup.policy", "compact"}});
        if (missing.empty())
            return postTo(guard, [this, run] {
                if (!stale(run)) waitForTopics(0);
            });
        client::Admin(kafka).createTopics(
            std::move(missing), {}, [guard, run, this](Result<std::vector<client::CreatedTopic>> created) {
                QString error;
                if (!created.ok()) {
                    error = errorText(created.error());
                } else {
                    for (const auto& topic : created.value()) {
                        // Someone else created it meanwhile: just as good.
                        if (!topic.status.ok() && topic.status.error().kafkaCode != kTopicAlreadyExists) {
                            error = errorText(topic.status.error());
                            break;
                        }
                    }
                }
                postTo(guard, [this, run, error] {
                    if (stale(run)) return;
                    if (!error.isEmpty()) return finish(false, tr("Could not create the topics: %1").arg(error));
                    waitForTopics(0);
                });
            });
    });
}

// A topic just created may not have a leader in metadata yet; producing before that would only
// spend the records' delivery timeout.
void SampleData::waitForTopics(int attempt) {
    const uint64_t run = m_run;
    m_client->refreshMetadata({kUserEventsTopic, kOrdersTopic, kUsersTopic},
                              [guard = m_guard.handle(), run, attempt,
                               this](Result<std::shared_ptr<const client::ClusterMetadata>> metadata) {
                                  const bool ready = metadata.ok();
                                  const QString error = ready ? QString() : errorText(metadata.error());
                                  postTo(guard, [this, run, attempt, ready, error] {
                                      if (stale(run)) return;
                                      if (ready) {
                                          emit progress(kTopicSteps, kTotalSteps, tr("Producing records"));
                                          return startProducing();
                                      }
                                      if (attempt + 1 >= kTopicWaitAttempts)
                                          return finish(false,
                                                        tr("The new topics did not become available: %1").arg(error));
                                      QTimer::singleShot(kTopicWaitMs, this, [this, run, attempt] {
                                          if (!stale(run)) waitForTopics(attempt + 1);
                                      });
                                  });
                              });
}

void SampleData::generateRecords() {
    m_records.clear();
    m_records.reserve(kTotalRecords);
    // A fixed seed: every run produces the same story, which makes demos and bug reports repeatable.
    QRandomGenerator random(9);
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    const int64_t hourAgo = now - 3600 * 1000;
    auto add = [this](client::ProducerRecord record) {
        auto pending = std::make_unique<PendingRecord>();
        pending->record = std::move(record);
        m_records.push_back(std::move(pending));
    };

    // users: every profile, then two rounds of changes, then one account deleted (a tombstone).
    static const char* const firstNames[] = {"Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis"};
    static const char* const lastNames[] = {"Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson"};
    static const char* const countries[] = {"DE", "FR", "GB", "US", "NL", "SE", "ES", "IT"};
    static const char* const plans[] = {"free", "pro", "team"};
    for (int version = 0; version < kVersionsPerUser; ++version) {
        for (int n = 1; n <= kUsers; ++n) {
            const int64_t ts = hourAgo + (version * kUsers + n) * 1000;
            const QString first = QString::fromLatin1(pick(random, firstNames));
            const QString last = QString::fromLatin1(pick(random, lastNames));
            QJsonObject user{
                {"user_id", userId(n)},
                {"name", first + QLatin1Char(' ') + last},
                {"email", QStringLiteral("%1.%2%3@example.com").arg(first.toLower(), last.toLower()).arg(n)},
                {"country", QString::fromLatin1(pick(random, countries))},
                {"plan", QString::fromLatin1(version == 0 ? "free" : pick(random, plans))},
                {"version", version + 1},
                {"updated_at", isoTime(ts)}};
            add({.topic = kUsersTopic, .key = userId(n).toStdString(), .value = json(user), .timestamp = ts});
        }
    }
    const int deleted = 1 + random.bounded(kUsers);
    add({.topic = kUsersTopic, .key = userId(deleted).toStdString(), .value = std::nullopt, .timestamp = now});

    // user-events: a clickstream over the last hour, mostly page views.
    static const char* const pages[] = {"/",     "/products", "/products/42", "/products/7",
                                        "/cart", "/checkout", "/account"};
    for (int i = 0; i < kUserEvents; ++i) {
        const int roll = random.bounded(100);
        const char* event = roll < 60 ? "page_view" : roll < 85 ? "click" : roll < 90 ? "signup" : "purchase";
        const int64_t ts = hourAgo + int64_t(i) * 3600 * 1000 / kUserEvents;
        const QString user = userId(1 + random.bounded(kUsers));
        QJsonObject object{{"user_id", user},
                           {"event", QString::fromLatin1(event)},
                           {"page", QString::fromLatin1(pick(random, pages))},
                           {"ts", isoTime(ts)}};
        add({.topic = kUserEventsTopic, .key = user.toStdString(), .value = json(object), .timestamp = ts});
    }

    // orders: one to four line items each, from a small catalogue.
    struct Product {
        const char* sku;
        const char* name;
        double price;
    };
    static const Product catalogue[] = {{"SKU-1001", "Mechanical keyboard", 89.90},
                                        {"SKU-1002", "USB-C cable", 9.99},
                                        {"SKU-1003", "27\" monitor", 249.00},
                                        {"SKU-1004", "Desk lamp", 34.50},
                                        {"SKU-1005", "Noise-cancelling headphones", 199.00},
                                        {"SKU-1006", "Laptop stand", 45.00}};
    static const char* const currencies[] = {"EUR", "USD", "GBP"};
    static const char* const statuses[] = {"created", "paid", "paid", "shipped", "delivered", "cancelled"};
    for (int i = 0; i < kOrders; ++i) {
        const int64_t ts = hourAgo + int64_t(i) * 3600 * 1000 / kOrders;
        const QString orderId = QStringLiteral("order-%1").arg(10001 + i);
        QJsonArray items;
        double total = 0;
        const int lines = 1 + random.bounded(4);
        for (int line = 0; line < lines; ++line) {
            const Product& product = pick(random, catalogue);
            const int quantity = 1 + random.bounded(3);
            total += product.price * quantity;
            items.append(QJsonObject{{"sku", QString::fromLatin1(product.sku)},
                                     {"name", QString::fromUtf8(product.name)},
                                     {"quantity", quantity},
                                     {"price", product.price}});
        }
        QJsonObject order{{"order_id", orderId},
                          {"user_id", userId(1 + random.bounded(kUsers))},
                          {"items", items},
                          {"total", std::round(total * 100) / 100},
                          {"currency", QString::fromLatin1(pick(random, currencies))},
                          {"status", QString::fromLatin1(pick(random, statuses))},
                          {"created_at", isoTime(ts)}};
        const char* source = random.bounded(100) < 65 ? "web" : "mobile";
        add({.topic = kOrdersTopic,
             .key = orderId.toStdString(),
             .value = json(order),
             .headers = {{"source", std::string(source)}},
             .timestamp = ts});
    }
}

void SampleData::startProducing() {
    auto producer = client::Producer::create(m_client);
    if (!producer.ok()) return finish(false, tr("Could not create a producer: %1").arg(errorText(producer.error())));
    m_producer = std::move(producer.value());
    generateRecords();
    pump();
}

void SampleData::pump() {
    const uint64_t run = m_run;
    while (m_running && m_inFlight < kWindow && m_next < m_records.size()) {
        const client::ProducerRecord& record = m_records[m_next]->record;
        Status queued = m_producer->produce(
            record, [guard = m_guard.handle(), run, this](Result<client::RecordMetadata> delivered) {
                const bool ok = delivered.ok();
                const QString error = ok ? QString() : errorText(delivered.error());
                postTo(guard, [this, run, ok, error] { onDelivered(run, ok, error); });
            });
        if (!queued.ok()) return finish(false, tr("Could not produce: %1").arg(errorText(queued.error())));
        ++m_next;
        ++m_inFlight;
    }
    // Skip linger.ms for the tail end.
    if (m_running && m_next == m_records.size()) m_producer->flush({});
}

void SampleData::onDelivered(uint64_t run, bool ok, const QString& error) {
    if (stale(run)) return;
    --m_inFlight;
    ++m_delivered;
    if (!ok && m_firstError.isEmpty()) m_firstError = error;
    if (m_delivered % kProgressEvery == 0 || m_delivered == int(m_records.size()))
        emit progress(kTopicSteps + m_delivered, kTotalSteps, tr("Producing records"));
    if (m_delivered < int(m_records.size())) {
        if (m_firstError.isEmpty())
            pump();
        else if (m_inFlight == 0)
            finish(false, tr("Could not produce: %1").arg(m_firstError));
        return;
    }
    if (!m_firstError.isEmpty()) return finish(false, tr("Could not produce: %1").arg(m_firstError));
    emit progress(kTopicSteps + kTotalRecords, kTotalSteps, tr("Committing offsets of %1").arg(kGroup));
    commitGroupOffsets();
}

void SampleData::commitGroupOffsets() {
    const uint64_t run = m_run;
    auto fail = [guard = m_guard.handle(), run, this](const QString& error) {
        postTo(guard, [this, run, error] {
            if (!stale(run)) finish(false, tr("Could not commit the offsets of %1: %2").arg(kGroup, error));
        });
    };
    client::Admin admin(m_client);
    admin.describeTopics({kOrdersTopic}, [admin, fail, guard = m_guard.handle(), run,
                                          this](Result<std::vector<client::TopicDescription>> described) {
        if (!described.ok()) return fail(errorText(described.error()));
        if (described->empty() || !described->front().status.ok())
            return fail(described->empty() ? QStringLiteral("orders") : errorText(described->front().status.error()));
        std::map<client::TopicPartition, int64_t> specs;
        for (const auto& partition : described->front().partitions)
            specs[{kOrdersTopic, partition.partition}] = client::OffsetSpec::kLatest;
        client::Admin(admin).listOffsets(
            std::move(specs), client::IsolationLevel::ReadUncommitted,
            [admin, fail, guard, run, this](Result<std::vector<client::ListedOffset>> listed) {
                if (!listed.ok()) return fail(errorText(listed.error()));
                std::map<client::TopicPartition, client::OffsetAndMetadata> offsets;
                for (const auto& end : listed.value()) {
                    if (!end.status.ok()) return fail(errorText(end.status.error()));
                    if (end.offset > 0) offsets[end.partition] = {end.offset * 6 / 10, -1, {}};
                }
                client::Admin(admin).alterConsumerGroupOffsets(
                    kGroup, std::move(offsets),
                    [fail, guard, run, this](Result<std::vector<client::PartitionStatus>> committed) {
                        if (!committed.ok()) return fail(errorText(committed.error()));
                        if (Status first = client::firstFailure(committed.value()); !first.ok())
                            return fail(errorText(first.error()));
                        postTo(guard, [this, run] {
                            if (stale(run)) return;
                            emit progress(kTotalSteps, kTotalSteps, tr("Done"));
                            finish(true, {});
                        });
                    });
            });
    });
}

}  // namespace partita::app
