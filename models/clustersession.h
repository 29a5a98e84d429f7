// ClusterSession: one cluster's client, its connection state and the periodic background refresh
// that delivers ClusterSnapshots to the GUI thread.
#pragma once

#include "engine/client/admin.h"
#include "engine/client/clientconfig.h"
#include "models/callbackguard.h"
#include "models/clustersnapshot.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace partita::client {
class KafkaClient;
}

namespace partita::models {

class GroupLagModel;
class OffsetResetPlan;

class ClusterSession : public QObject {
    Q_OBJECT
public:
    enum class State { Connecting, Connected, Lost };
    Q_ENUM(State)

    // Starts refreshing at once (results arrive later, on this object's thread). An invalid
    // config leaves the session Lost with the reason and no client.
    explicit ClusterSession(const client::ClientConfig& config, QObject* parent = nullptr);
    // A session for a cluster whose connection settings are unusable: Lost with `configError`, no
    // client, so the window shows the cluster and what to fix.
    explicit ClusterSession(const QString& configError, QObject* parent = nullptr);
    ~ClusterSession() override;

    State state() const { return m_state; }
    // Why the last refresh failed (empty while Connected).
    QString lastError() const { return m_lastError; }
    // The last good snapshot (null before the first); a failed refresh keeps it.
    std::shared_ptr<const ClusterSnapshot> snapshot() const { return m_snapshot; }

    // The shared client of this cluster and an Admin on it; null / nullopt with an invalid config.
    std::shared_ptr<client::KafkaClient> client() const { return m_client; }
    std::optional<client::Admin> admin() const { return m_admin; }

    int refreshInterval() const { return m_timer.interval(); }
    void setRefreshInterval(int ms);
    bool isRefreshing() const { return m_inFlight; }

    // Models of this cluster that work through its Admin; nullptr when the config was invalid
    // (no Admin). The caller (usually a panel) parents and owns them.
    GroupLagModel* newGroupLagModel(QObject* parent) const;
    OffsetResetPlan* newOffsetResetPlan(QObject* parent) const;
    // Deletes a consumer group on engine threads; `done` runs on the GUI thread with an empty
    // string or the broker's error, unless `context` was destroyed meanwhile.
    void deleteConsumerGroup(const QString& groupId, QObject* context, std::function<void(const QString& error)> done);

public slots:
    // Refreshes now; while a refresh runs, one more follows it (so what the caller just changed
    // is seen).
    void refreshNow();

signals:
    void stateChanged(partita::models::ClusterSession::State state, const QString& error);
    void snapshotReady(const partita::models::ClusterSnapshot& snapshot);

private:
    void setState(State state, const QString& error);
    void deliver(std::shared_ptr<ClusterSnapshot> snapshot, const QString& error);

    std::shared_ptr<client::KafkaClient> m_client;
    std::optional<client::Admin> m_admin;
    // Lets engine threads post to this object only while it exists (see the destructor).
    CallbackGuard<ClusterSession> m_guard{this};  // engine callbacks post through it
    QTimer m_timer;
    State m_state = State::Connecting;
    QString m_lastError;
    std::shared_ptr<const ClusterSnapshot> m_snapshot;
    quint64 m_sequence = 0;
    bool m_inFlight = false;
    bool m_again = false;
};

}  // namespace partita::models
