// ClusterSession: runs RefreshJobs on a timer and brings their results back to the GUI thread.
#include "models/clustersession.h"

#include "engine/client/kafkaclient.h"
#include "models/grouplagmodel.h"
#include "models/offsetresetplan.h"
#include "models/refreshjob.h"

#include <QPointer>

namespace partita::models {

ClusterSession::ClusterSession(const client::ClientConfig& config, QObject* parent) : QObject(parent) {
    m_timer.setInterval(5000);
    // A tick during a slow refresh (a broker timing out) is dropped rather than queued, so a
    // struggling cluster is not asked twice in a row.
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_inFlight) refreshNow();
    });
    auto client = client::KafkaClient::shared(config);
    if (!client.ok()) {
        m_state = State::Lost;
        m_lastError = QString::fromStdString(client.error().message);
        return;
    }
    m_client = client.value();
    m_admin.emplace(m_client);
    m_timer.start();
    refreshNow();
}

ClusterSession::ClusterSession(const QString& configError, QObject* parent) : QObject(parent) {
    m_state = State::Lost;
    m_lastError = configError;
}

ClusterSession::~ClusterSession() {
    m_guard.detach();
}

void ClusterSession::setRefreshInterval(int ms) {
    m_timer.setInterval(ms);
}

void ClusterSession::refreshNow() {
    if (!m_admin) return;
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_inFlight = true;
    RefreshJob::start(*m_admin, [guard = m_guard.handle()](Result<ClusterSnapshot> result) {
        std::shared_ptr<ClusterSnapshot> snapshot;
        QString error;
        if (result.ok())
            snapshot = std::make_shared<ClusterSnapshot>(std::move(result.value()));
        else
            error = QString::fromStdString(result.error().message);
        guard.post([snapshot, error](ClusterSession* session) { session->deliver(snapshot, error); });
    });
}

void ClusterSession::deliver(std::shared_ptr<ClusterSnapshot> snapshot, const QString& error) {
    m_inFlight = false;
    if (snapshot) {
        snapshot->sequence = ++m_sequence;
        m_snapshot = std::move(snapshot);
        setState(State::Connected, QString());
        emit snapshotReady(*m_snapshot);
    } else {
        setState(State::Lost, error.isEmpty() ? tr("The cluster did not answer.") : error);
    }
    if (m_again) {
        m_again = false;
        refreshNow();
    }
}

void ClusterSession::setState(State state, const QString& error) {
    if (state == m_state && error == m_lastError) return;
    m_state = state;
    m_lastError = error;
    emit stateChanged(state, error);
}

GroupLagModel* ClusterSession::newGroupLagModel(QObject* parent) const {
    return m_admin ? new GroupLagModel(*m_admin, parent) : nullptr;
}

OffsetResetPlan* ClusterSession::newOffsetResetPlan(QObject* parent) const {
    return m_admin ? new OffsetResetPlan(*m_admin, parent) : nullptr;
}

void ClusterSession::deleteConsumerGroup(const QString& groupId, QObject* context,
                                         std::function<void(const QString& error)> done) {
    if (!m_admin) {
        done(lastError().isEmpty() ? tr("no connection to the cluster") : lastError());
        return;
    }
    // The answer is copied on the engine thread and handed to the session's thread; a destroyed
    // context (or session) drops it.
    QPointer<QObject> alive(context);
    m_admin->deleteConsumerGroups({groupId.toStdString()},
                                  [guard = m_guard.handle(), alive, done = std::move(done)](auto result) {
                                      QString error;
                                      if (!result.ok())
                                          error = QString::fromStdString(result.error().message);
                                      else if (auto failed = client::firstFailure(result.value()); !failed.ok())
                                          error = QString::fromStdString(failed.error().message);
                                      guard.post([alive, done, error](ClusterSession*) {
                                          if (alive) done(error);
                                      });
                                  });
}

}  // namespace partita::models
