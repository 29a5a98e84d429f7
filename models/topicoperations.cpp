// TopicOperations: each operation runs on engine threads; its outcome is copied there and posted
// back to the GUI thread through the CallbackGuard.
#include "models/topicoperations.h"

#include "engine/client/admin.h"
#include "models/clustersession.h"

#include <map>
#include <memory>

namespace partita::models {

namespace {

// The call's own failure, else the first failed item's.
template <class T>
QString errorOf(const Result<std::vector<T>>& result) {
    if (!result.ok()) return QString::fromStdString(result.error().message);
    if (result.value().empty()) return TopicOperations::tr("The broker did not answer for the topic.");
    if (auto failed = client::firstFailure(result.value()); !failed.ok())
        return QString::fromStdString(failed.error().message);
    return {};
}

}  // namespace

TopicOperations::TopicOperations(ClusterSession* session, QObject* parent) : QObject(parent), m_session(session) {}

TopicOperations::~TopicOperations() {
    m_guard.detach();
}

void TopicOperations::finish(Operation operation, const QString& topic, const QString& error, const Done& done) {
    if (error.isEmpty() && operation != Operation::ValidateCreate && m_session) m_session->refreshNow();
    if (done) done(error);
    emit finished(operation, topic, error);
}

void TopicOperations::fail(Operation operation, const QString& topic, const Done& done) {
    QString reason = m_session ? m_session->lastError() : QString();
    if (reason.isEmpty()) reason = tr("No connection to the cluster.");
    // Still asynchronous, so callers see the same order of events either way.
    QMetaObject::invokeMethod(
        this, [this, operation, topic, reason, done] { finish(operation, topic, reason, done); }, Qt::QueuedConnection);
}

void TopicOperations::createTopic(const QString& name, int partitions, int replicationFactor,
                                  const QMap<QString, QString>& configs, bool validateOnly, Done done) {
    const Operation operation = validateOnly ? Operation::ValidateCreate : Operation::Create;
    auto admin = m_session ? m_session->admin() : std::nullopt;
    if (!admin) return fail(operation, name, done);
    client::NewTopic topic;
    topic.name = name.toStdString();
    topic.numPartitions = partitions;
    topic.replicationFactor = int16_t(replicationFactor);
    for (auto it = configs.begin(); it != configs.end(); ++it)
        topic.configs[it.key().toStdString()] = it.value().toStdString();
    client::CreateTopicsOptions options;
    options.validateOnly = validateOnly;
    admin->createTopics({topic}, options, [guard = m_guard.handle(), operation, name, done](auto result) {
        const QString error = errorOf(result);
        guard.post(
            [operation, name, done, error](TopicOperations* self) { self->finish(operation, name, error, done); });
    });
}

void TopicOperations::deleteTopic(const QString& name, Done done) {
    auto admin = m_session ? m_session->admin() : std::nullopt;
    if (!admin) return fail(Operation::Delete, name, done);
    admin->deleteTopics({name.toStdString()}, [guard = m_guard.handle(), name, done](auto result) {
        const QString error = errorOf(result);
        guard.post([name, done, error](TopicOperations* self) { self->finish(Operation::Delete, name, error, done); });
    });
}

void TopicOperations::addPartitions(const QString& name, int newTotal, Done done) {
    auto admin = m_session ? m_session->admin() : std::nullopt;
    if (!admin) return fail(Operation::AddPartitions, name, done);
    client::NewPartitions request;
    request.topic = name.toStdString();
    request.totalCount = newTotal;
    admin->createPartitions({request}, false, [guard = m_guard.handle(), name, done](auto result) {
        const QString error = errorOf(result);
        guard.post(
            [name, done, error](TopicOperations* self) { self->finish(Operation::AddPartitions, name, error, done); });
    });
}

void TopicOperations::purge(const QString& name, const QList<int>& partitions, Done done) {
    auto admin = m_session ? m_session->admin() : std::nullopt;
    if (!admin) return fail(Operation::Purge, name, done);
    if (!partitions.isEmpty()) return purgeUpTo(name, partitions, std::move(done));
    // "All partitions": ask the cluster which there are now, not what the last snapshot said.
    admin->describeTopics({name.toStdString()}, [guard = m_guard.handle(), name, done](auto result) {
        QString error = errorOf(result);
        QList<int> all;
        if (error.isEmpty())
            for (const auto& p : result.value().front().partitions) all.append(p.partition);
        guard.post([name, done, error, all](TopicOperations* self) {
            if (!error.isEmpty()) return self->finish(Operation::Purge, name, error, done);
            self->purgeUpTo(name, all, done);
        });
    });
}

void TopicOperations::purgeUpTo(const QString& name, const QList<int>& partitions, Done done) {
    auto admin = m_session ? m_session->admin() : std::nullopt;
    if (!admin) return fail(Operation::Purge, name, done);
    std::map<client::TopicPartition, int64_t> specs;
    for (int p : partitions) specs[{name.toStdString(), p}] = client::OffsetSpec::kLatest;
    // The end offsets are read first and records deleted up to them, not to "whatever the end is
    // when the broker gets the request": records produced after the user confirmed are kept.
    admin->listOffsets(specs, client::IsolationLevel::ReadUncommitted,
                       [admin = *admin, guard = m_guard.handle(), name, done](auto listed) mutable {
                           QString error = errorOf(listed);
                           if (!error.isEmpty()) {
                               guard.post([name, done, error](TopicOperations* self) {
                                   self->finish(Operation::Purge, name, error, done);
                               });
                               return;
                           }
                           std::map<client::TopicPartition, int64_t> before;
                           for (const auto& l : listed.value()) before[l.partition] = l.offset;
                           admin.deleteRecords(before, [guard, name, done](auto deleted) {
                               const QString error = errorOf(deleted);
                               guard.post([name, done, error](TopicOperations* self) {
                                   self->finish(Operation::Purge, name, error, done);
                               });
                           });
                       });
}

}  // namespace partita::models
