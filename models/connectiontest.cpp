// ConnectionTest: the probe's engine-thread callbacks copied and re-posted to the GUI thread.
#include "models/connectiontest.h"

#include "engine/client/connectionprobe.h"

#include <chrono>

namespace partita::models {

namespace {

ConnectionTest::Step toStep(client::ConnectionProbe::Step step) {
    return ConnectionTest::Step(int(step));  // same order, checked below
}
static_assert(int(client::ConnectionProbe::Step::Metadata) == int(ConnectionTest::Step::Metadata));
static_assert(int(client::ConnectionProbe::Step::Sasl) == int(ConnectionTest::Step::Sasl));

}  // namespace

ConnectionTest::ConnectionTest(QObject* parent) : QObject(parent) {}

ConnectionTest::~ConnectionTest() {
    m_guard.detach();
    m_probe.reset();
}

QList<ConnectionTest::Step> ConnectionTest::stepsFor(const ConnectionProfile& profile) {
    const QString protocol = profile.property("security.protocol").toUpper();
    QList<Step> steps{Step::Dns, Step::Tcp};
    if (protocol == QLatin1String("SSL") || protocol == QLatin1String("SASL_SSL")) steps.append(Step::Tls);
    steps.append(Step::ApiVersions);
    if (protocol.startsWith(QLatin1String("SASL_"))) steps.append(Step::Sasl);
    steps.append(Step::Metadata);
    return steps;
}

QString ConnectionTest::stepName(Step step) {
    switch (step) {
        case Step::Dns:
            return tr("DNS");
        case Step::Tcp:
            return tr("TCP connection");
        case Step::Tls:
            return tr("TLS handshake");
        case Step::ApiVersions:
            return tr("API versions");
        case Step::Sasl:
            return tr("SASL authentication");
        case Step::Metadata:
            return tr("Metadata");
    }
    return {};
}

void ConnectionTest::cancel() {
    ++m_run;
    m_probe.reset();
}

void ConnectionTest::start(const ConnectionProfile& profile, int timeoutMs) {
    cancel();
    auto config = profile.toClientConfig();
    if (!config.ok()) {
        const QString why = QString::fromStdString(config.error().message);
        QMetaObject::invokeMethod(
            this, [this, why] { emit finished(false, why); }, Qt::QueuedConnection);
        return;
    }
    const int run = m_run;
    auto handle = m_guard.handle();
    m_probe = client::ConnectionProbe::start(
        std::move(config.value()), std::chrono::milliseconds(timeoutMs),
        [handle, run](const client::ConnectionProbe::StepResult& result) {
            const Step step = toStep(result.step);
            const bool ok = result.ok;
            const QString message = QString::fromStdString(result.message);
            handle.post([run, step, ok, message](ConnectionTest* self) {
                if (self->m_run == run) emit self->stepFinished(step, ok, message);
            });
        },
        [handle, run](const client::ConnectionProbe::Summary& summary) {
            QString message;
            if (summary.ok)
                message =
                    (summary.brokerCount == 1 ? tr("Connected: 1 broker")
                                              : tr("Connected: %1 brokers").arg(summary.brokerCount)) +
                    (summary.clusterId.empty() ? QString()
                                               : tr(", cluster id %1").arg(QString::fromStdString(summary.clusterId)));
            else if (!summary.steps.empty())
                message = tr("%1 failed: %2")
                              .arg(stepName(toStep(summary.steps.back().step)),
                                   QString::fromStdString(summary.steps.back().message));
            const bool ok = summary.ok;
            handle.post([run, ok, message](ConnectionTest* self) {
                if (self->m_run != run) return;
                // The probe's thread is done with us; let it go (not from inside its own callback).
                self->m_probe.reset();
                emit self->finished(ok, message);
            });
        });
}

}  // namespace partita::models
