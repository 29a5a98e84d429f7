// AppWiring: start-up and shutdown order of the desktop app; no domain logic lives here.
#include "appwiring.h"

#include "app/localcluster/localcluster.h"
#include "app/localcluster/sampledata.h"
#include "engine/client/clientconfig.h"
#include "models/clustersession.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <algorithm>
#include <functional>

namespace partita::app {

using models::ClusterSession;

namespace {

// Tells the wiring when the main window closes, without the window knowing about the app.
class CloseWatcher : public QObject {
public:
    CloseWatcher(QObject* parent, std::function<void()> onClose) : QObject(parent), m_onClose(std::move(onClose)) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Close) QMetaObject::invokeMethod(this, m_onClose, Qt::QueuedConnection);
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_onClose;
};

}  // namespace

AppWiring::AppWiring(Options options, QObject* parent) : QObject(parent), m_options(std::move(options)) {}

AppWiring::~AppWiring() {
    // The window and the sample data refer to the session; they go first.
    delete m_sampleData;
    m_window.reset();
    m_session.reset();
}

void AppWiring::start() {
    if (!m_options.bootstrap.isEmpty()) {
        connectTo(m_options.bootstrap, m_options.bootstrap);
        return;
    }
    const QString configured = QSettings().value(kBootstrapKey).toString();
    if (!configured.isEmpty()) {
        connectTo(configured, configured);
        return;
    }
    startLocalCluster();
}

void AppWiring::startLocalCluster() {
    m_localCluster = new LocalCluster(this);
    m_localCluster->setPartitadPath(QCoreApplication::applicationDirPath() + QStringLiteral("/partitad"));
    connect(m_localCluster, &LocalCluster::brokerStateChanged, this, &AppWiring::onLocalBrokerState);
    if (!m_localCluster->start()) fail(tr("The local cluster could not start: %1").arg(m_localCluster->lastError()));
}

void AppWiring::onLocalBrokerState() {
    if (m_shuttingDown) {
        if (!m_localCluster->isRunning()) emit finished(m_exitCode);
        return;
    }
    const auto status = m_localCluster->brokerStatus(1);
    if (status.state == LocalCluster::BrokerState::Running && !m_session) {
        connectTo(m_localCluster->bootstrapServers(), tr("Local cluster"));
    } else if (status.state == LocalCluster::BrokerState::Crashed && !m_session) {
        const QStringList log = m_localCluster->brokerLog(1);
        fail(tr("The local cluster's broker stopped at start (%1).\n\n%2")
                 .arg(status.exitSummary, log.mid(std::max<qsizetype>(0, log.size() - 10)).join(QLatin1Char('\n'))));
    }
}

void AppWiring::connectTo(const QString& bootstrap, const QString& clusterName) {
    auto config = client::ClientConfig::fromProperties({{"bootstrap.servers", bootstrap.toStdString()}});
    if (!config.ok()) {
        fail(tr("Cannot connect to %1: %2").arg(bootstrap, QString::fromStdString(config.error().message)));
        return;
    }
    m_session = std::make_unique<ClusterSession>(config.value());
    connect(m_session.get(), &ClusterSession::stateChanged, this, &AppWiring::onSessionState);
    m_window = std::make_unique<ui::MainWindow>(m_session.get(), clusterName);
    m_window->installEventFilter(new CloseWatcher(this, [this] { shutdown(); }));
    m_window->show();
    onSessionState();
}

void AppWiring::onSessionState() {
    if (m_session->state() == ClusterSession::State::Connected && m_options.sampleData && !m_sampleDataStarted)
        startSampleData();
}

void AppWiring::startSampleData() {
    m_sampleDataStarted = true;
    m_sampleData = new SampleData(m_session->client(), this);
    connect(m_sampleData, &SampleData::progress, this, [this](int done, int total, const QString& step) {
        m_window->statusBar()->showMessage(tr("Sample data: %1 (%2/%3)").arg(step).arg(done).arg(total));
    });
    connect(m_sampleData, &SampleData::finished, this, [this](bool ok, const QString& error) {
        m_window->statusBar()->showMessage(ok ? tr("Sample data created") : tr("Sample data failed: %1").arg(error),
                                           10000);
        m_session->refreshNow();
    });
    m_sampleData->start();
}

void AppWiring::quit() {
    // Through the window when there is one, so it saves its layout as on any close.
    if (m_window)
        m_window->close();
    else
        shutdown();
}

void AppWiring::shutdown() {
    if (m_shuttingDown) return;
    m_shuttingDown = true;
    if (m_sampleData) m_sampleData->cancel();
    m_window.reset();
    if (m_localCluster && m_localCluster->isRunning()) {
        // Asynchronous: onLocalBrokerState emits finished once every broker reports Stopped, so
        // the GUI thread never waits on the processes.
        m_localCluster->stop();
        return;
    }
    emit finished(m_exitCode);
}

void AppWiring::fail(const QString& message) {
    QMessageBox::critical(m_window.get(), tr("Partita"), message);
    m_exitCode = 1;
    shutdown();
}

}  // namespace partita::app
