// ConnectionTest: runs the engine's step-by-step connection probe for a profile and reports each
// step on the GUI thread, for the connection dialog's "Test connection".
#pragma once

#include "models/callbackguard.h"
#include "models/connectionprofile.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

namespace partita::client {
class ConnectionProbe;
}

namespace partita::models {

class ConnectionTest : public QObject {
    Q_OBJECT

public:
    enum class Step { Dns, Tcp, Tls, ApiVersions, Sasl, Metadata };
    Q_ENUM(Step)

    explicit ConnectionTest(QObject* parent = nullptr);
    // Cancels a running test: nothing is emitted after.
    ~ConnectionTest() override;

    // The steps a test of `profile` goes through, in order (TLS and SASL only when its protocol uses them).
    static QList<Step> stepsFor(const ConnectionProfile& profile);
    static QString stepName(Step step);

    // Starts a test of `profile` with its secrets (cancelling one under way). A profile the client
    // refuses finishes at once with finished(false, why).
    void start(const ConnectionProfile& profile, int timeoutMs = 20000);
    void cancel();
    bool isRunning() const { return m_probe != nullptr; }

signals:
    void stepFinished(partita::models::ConnectionTest::Step step, bool ok, const QString& message);
    // `message` sums up: the cluster reached, or the failing step's error.
    void finished(bool ok, const QString& message);

private:
    CallbackGuard<ConnectionTest> m_guard{this};
    std::unique_ptr<client::ConnectionProbe> m_probe;
    int m_run = 0;  // tells a cancelled run's late posts from the current one's
};

}  // namespace partita::models
