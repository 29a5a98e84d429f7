// TopicOperations: creating, deleting, growing and purging topics through a ClusterSession's
// Admin, each answered on the GUI thread.
#pragma once

#include "models/callbackguard.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

#include <functional>

namespace partita::models {

class ClusterSession;

class TopicOperations : public QObject {
    Q_OBJECT
public:
    enum class Operation { Create, ValidateCreate, Delete, AddPartitions, Purge };
    Q_ENUM(Operation)

    // What every operation reports: an empty error on success, else the broker's (or the client's)
    // message, e.g. "orders: TOPIC_ALREADY_EXISTS: Topic 'orders' already exists.".
    using Done = std::function<void(const QString& error)>;

    // The session must outlive this object. Each success (except validateOnly) asks the session to
    // refresh so the panels show the change.
    explicit TopicOperations(ClusterSession* session, QObject* parent = nullptr);
    ~TopicOperations() override;

    // partitions / replicationFactor -1: the broker's defaults. validateOnly: the broker checks the
    // request (name, counts, configs) and creates nothing.
    void createTopic(const QString& name, int partitions, int replicationFactor, const QMap<QString, QString>& configs,
                     bool validateOnly, Done done = {});
    void deleteTopic(const QString& name, Done done = {});
    // newTotal: the number of partitions afterwards (Kafka's rule), not the number added.
    void addPartitions(const QString& name, int newTotal, Done done = {});
    // Deletes every record before the current end of the given partitions (empty: all of them),
    // so each partition's start offset becomes its end offset.
    void purge(const QString& name, const QList<int>& partitions = {}, Done done = {});

signals:
    void finished(partita::models::TopicOperations::Operation operation, const QString& topic, const QString& error);

private:
    void finish(Operation operation, const QString& topic, const QString& error, const Done& done);
    void fail(Operation operation, const QString& topic, const Done& done);
    void purgeUpTo(const QString& name, const QList<int>& partitions, Done done);

    ClusterSession* m_session;
    CallbackGuard<TopicOperations> m_guard{this};
};

}  // namespace partita::models
