// AppWiring: start-up and shutdown order of the desktop app; no domain logic lives here.
#include "appwiring.h"

#include "app/localcluster/localcluster.h"
#include "app/localcluster/localclustercontroller.h"
#include "app/localcluster/sampledata.h"
#include "engine/client/clientconfig.h"
#include "models/alertengine.h"
#include "models/clustersession.h"
#include "models/metrichistory.h"
#include "models/monitoringhub.h"
#include "savedclusters.h"
#include "startuptrace.h"
#include "ui/alertdashboardpanel.h"
#include "ui/alerttray.h"
#include "ui/icons.h"
#include "ui/localclusterpanel.h"
#include "ui/mainwindow.h"
#include "ui/metricspanel.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

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

const QString kProcessesPanel = QStringLiteral("processes");
const QString kAlertsPanel = QStringLiteral("alerts");
const QString kMetricsPanel = QStringLiteral("metrics");

}  // namespace

AppWiring::AppWiring(Options options, QObject* parent) : QObject(parent), m_options(std::move(options)) {}

AppWiring::~AppWiring() {
    // The window, the controller and the sample data refer to the sessions and the local cluster.
    delete m_sampleData;
    delete m_localController;
    m_window.reset();
    // The collectors read the sessions.
    delete m_monitoring;
    m_sessions.clear();
}

void AppWiring::start() {
    m_window = std::make_unique<ui::MainWindow>();
    m_window->installEventFilter(new CloseWatcher(this, [this] { shutdown(); }));
    auto* startLocal = new QAction(tr("Start &local cluster"), m_window.get());
    connect(startLocal, &QAction::triggered, this, [this] {
        if (!m_localCluster) startLocalCluster();
        m_window->showClusterPanel(QString::fromLatin1(kLocalClusterId), kProcessesPanel);
    });
    m_window->clusterMenu()->insertAction(m_window->quitAction(), startLocal);
    m_window->clusterMenu()->insertSeparator(m_window->quitAction());
    startMonitoring();
    m_window->show();
    startuptrace::mark("window shown");
    // The first turn of the event loop after show(): the window paints and takes input from here.
    QTimer::singleShot(0, this, [] { startuptrace::mark("window interactive"); });

    m_savedClusters = new SavedClusters(
        m_window.get(),
        [this](const QString& id, const QString& name, Result<client::ClientConfig> config) {
            addCluster(id, name, std::move(config));
        },
        [this](const QString& id) { removeCluster(id); }, this);
    connect(m_window.get(), &ui::MainWindow::addClusterRequested, m_savedClusters, &SavedClusters::add);
    connect(m_window.get(), &ui::MainWindow::editClusterRequested, m_savedClusters, &SavedClusters::edit);
    connect(m_window.get(), &ui::MainWindow::removeClusterRequested, m_savedClusters, &SavedClusters::remove);

    if (!m_options.bootstrap.isEmpty()) {
        addCluster(QStringLiteral("bootstrap"), m_options.bootstrap, m_options.bootstrap);
        return;
    }
    // The local cluster on the first start (nothing saved yet), and whenever it ran at the last quit.
    if (m_savedClusters->isEmpty() || QSettings().value(kLocalWasRunningKey, false).toBool()) startLocalCluster();
    m_savedClusters->connectAll();
}

void AppWiring::startLocalCluster() {
    m_localCluster = new LocalCluster(this);
    m_localCluster->setPartitadPath(QCoreApplication::applicationDirPath() + QStringLiteral("/partitad"));
    LocalClusterController::applySavedKeepRunning(m_localCluster);
    connect(m_localCluster, &LocalCluster::brokerStateChanged, this, &AppWiring::onLocalBrokerState);
    connect(m_localCluster, &LocalCluster::bootstrapChanged, this, &AppWiring::onLocalBootstrapChanged);
    const bool started = m_localCluster->start();
    startuptrace::mark("local cluster launched");

    addCluster(QString::fromLatin1(kLocalClusterId), tr("Local cluster"), m_localCluster->bootstrapServers());
    addLocalPanel();
    if (!started) {
        m_localPanel->showError(tr("The local cluster could not start: %1").arg(m_localCluster->lastError()));
        m_window->showClusterPanel(QString::fromLatin1(kLocalClusterId), kProcessesPanel);
    }
}

void AppWiring::onLocalBrokerState() {
    if (m_shuttingDown) {
        finishWhenStopped();
        return;
    }
    const auto status = m_localCluster->brokerStatus(1);
    auto it = m_sessions.find(QString::fromLatin1(kLocalClusterId));
    if (status.state == LocalCluster::BrokerState::Running) {
        startuptrace::mark("local broker running");
        // Without waiting for the session's next tick: the broker was unreachable until now.
        if (it != m_sessions.end()) it->second->refreshNow();
    } else if (status.state == LocalCluster::BrokerState::Crashed) {
        m_window->statusBar()->showMessage(tr("Local broker %1 crashed (%2)").arg(status.id).arg(status.exitSummary));
        // The processes panel has the exit status, the log and the restart button.
        m_window->showClusterPanel(QString::fromLatin1(kLocalClusterId), kProcessesPanel);
    }
}

void AppWiring::onLocalBootstrapChanged() {
    // A broker moved to another port (its old one was taken): the session follows it.
    const QString id = QString::fromLatin1(kLocalClusterId);
    const QString bootstrap = m_localCluster->bootstrapServers();
    if (bootstrap.isEmpty() || !m_sessions.count(id)) return;
    // The window deletes the cluster's panels with it: the controller goes first, then both anew.
    delete m_localController;
    m_localController = nullptr;
    removeCluster(id);
    addCluster(id, tr("Local cluster"), bootstrap);
    addLocalPanel();
}

void AppWiring::addLocalPanel() {
    m_localPanel = new ui::LocalClusterPanel;
    m_window->addClusterPanel(QString::fromLatin1(kLocalClusterId), kProcessesPanel, tr("Processes"), m_localPanel);
    m_localController = new LocalClusterController(m_localCluster, m_localPanel, this);
    connect(m_localController, &LocalClusterController::sampleDataRequested, this, &AppWiring::startSampleData);
}

void AppWiring::addCluster(const QString& id, const QString& name, const QString& bootstrap) {
    addCluster(id, name, client::ClientConfig::fromProperties({{"bootstrap.servers", bootstrap.toStdString()}}));
}

void AppWiring::addCluster(const QString& id, const QString& name, Result<client::ClientConfig> config) {
    // An unusable config shows as a lost cluster with the reason, so the user sees what to fix.
    auto session = config.ok() ? std::make_unique<ClusterSession>(config.value())
                               : std::make_unique<ClusterSession>(QString::fromStdString(config.error().message));
    watchFirstSnapshot(session.get());
    m_window->addCluster(id, name, session.get());
    m_monitoring->addCluster(id, session.get(), prometheusEndpoints(id));
    m_sessions[id] = std::move(session);
    addMetricsPanel(id);
}

void AppWiring::addMetricsPanel(const QString& clusterId) {
    auto* panel = new ui::MetricsPanel(m_monitoring->history(), clusterId);
    panel->setThresholds(m_monitoring->alerts()->rules());
    connect(m_monitoring, &models::MonitoringHub::frameReady, panel, &ui::MetricsPanel::appendFrame);
    connect(m_monitoring, &models::MonitoringHub::rulesChanged, panel,
            [this, panel] { panel->setThresholds(m_monitoring->alerts()->rules()); });
    m_window->addClusterPanel(clusterId, kMetricsPanel, tr("Metrics"), panel);
    m_metricsPanels[clusterId] = panel;
}

void AppWiring::removeCluster(const QString& id) {
    m_monitoring->removeCluster(id);
    m_metricsPanels.erase(id);
    m_window->removeCluster(id);
    m_sessions.erase(id);
}

QStringList AppWiring::prometheusEndpoints(const QString& clusterId) const {
    // The local brokers serve /metrics (prometheus.listener); a saved cluster's come from its
    // connection (without any, it is watched through the Kafka protocol alone).
    if (clusterId != QLatin1String(kLocalClusterId))
        return m_savedClusters ? m_savedClusters->metricsEndpoints(clusterId) : QStringList();
    QStringList endpoints;
    if (m_localCluster)
        for (int id = 1; id <= m_localCluster->brokerCount(); ++id)
            if (const QString url = m_localCluster->prometheusUrl(id); !url.isEmpty())
                endpoints << QStringLiteral("%1=%2").arg(id).arg(url);
    return endpoints;
}

void AppWiring::startMonitoring() {
    m_monitoring = new models::MonitoringHub(models::MetricHistory::defaultPath(),
                                             models::MonitoringHub::defaultRulesPath(), this);
    m_tray = new ui::AlertTray(this);
    m_tray->setEnabled(m_monitoring->desktopNotifications());
    models::AlertNotifier* notifier = m_monitoring->notifier();
    notifier->setDesktop(m_tray->desktopCallback());
    notifier->setSound(ui::AlertTray::soundCallback());

    m_alertsPanel = new ui::AlertDashboardPanel(m_monitoring->alerts());
    m_alertsPanel->setNotifier(
        notifier, {notifier->webhooks(), m_monitoring->desktopNotifications(), m_monitoring->soundForCritical()});
    connect(m_alertsPanel, &ui::AlertDashboardPanel::rulesEdited, this,
            [this](const std::vector<models::AlertRule>& rules) {
                QString error;
                if (!m_monitoring->setRules(rules, &error))
                    m_window->statusBar()->showMessage(tr("Alert rules not saved: %1").arg(error));
            });
    connect(m_alertsPanel, &ui::AlertDashboardPanel::notificationSettingsEdited, this,
            [this](const ui::AlertDashboardPanel::NotificationSettings& settings) {
                m_monitoring->setWebhooks(settings.webhooks);
                m_monitoring->setDesktopNotifications(settings.desktop);
                m_monitoring->setSoundForCritical(settings.soundForCritical);
                m_tray->setEnabled(settings.desktop);
            });
    connect(m_alertsPanel, &ui::AlertDashboardPanel::openSubjectRequested, this, &AppWiring::openAlertSubject);
    connect(m_alertsPanel, &ui::AlertDashboardPanel::showChartRequested, this, [this](const models::SeriesKey& series) {
        const auto it = m_metricsPanels.find(series.cluster);
        if (it == m_metricsPanels.end() || !it->second) return;
        m_window->showClusterPanel(series.cluster, kMetricsPanel);
        it->second->showSeries(series);
    });
    connect(m_tray, &ui::AlertTray::activated, this, [this] {
        m_window->showAppPanel(kAlertsPanel);
        m_window->raise();
        m_window->activateWindow();
    });
    connect(m_monitoring, &models::MonitoringHub::rulesProblem, this,
            [this](const QString& message) { m_window->statusBar()->showMessage(message); });
    m_window->setMonitoring(m_monitoring);
    m_window->addAppPanel(kAlertsPanel, tr("Alerts"), m_alertsPanel, ui::icon(QStringLiteral("alerts")));
}

void AppWiring::openAlertSubject(const QString& clusterId, const QString& subject) {
    const QString kind = subject.section(QLatin1Char(':'), 0, 0);
    const QString name = subject.section(QLatin1Char(':'), 1).section(QLatin1Char('|'), 0, 0);
    if (kind == QLatin1String("topic"))
        m_window->showPartitions(name, clusterId);
    else if (kind == QLatin1String("group"))
        m_window->showGroup(name, clusterId);
    else
        m_window->showBrokers(clusterId);
}

void AppWiring::watchFirstSnapshot(ClusterSession* session) {
    connect(session, &ClusterSession::snapshotReady, this, [this, session] {
        if (!m_ready) {
            m_ready = true;
            startuptrace::mark("first cluster data shown");
            if (m_options.exitWhenReady) QTimer::singleShot(0, this, &AppWiring::quit);
        }
        const bool local = m_sessions.count(QString::fromLatin1(kLocalClusterId)) &&
                           m_sessions[QString::fromLatin1(kLocalClusterId)].get() == session;
        if (local && m_options.sampleData && !m_sampleDataStarted) startSampleData();
        if (!m_options.screenshot.isEmpty() && (!m_options.sampleData || m_sampleDataDone) && !m_screenshotTaken) {
            m_screenshotTaken = true;
            // Let the models' rows and the sizes of columns settle before painting.
            QTimer::singleShot(500, this, &AppWiring::takeScreenshotAndQuit);
        }
    });
}

void AppWiring::startSampleData() {
    auto it = m_sessions.find(QString::fromLatin1(kLocalClusterId));
    if (it == m_sessions.end() || !it->second->client() || (m_sampleData && m_sampleData->isRunning())) return;
    ClusterSession* session = it->second.get();
    m_sampleDataStarted = true;
    delete m_sampleData;
    m_sampleData = new SampleData(session->client(), this);
    connect(m_sampleData, &SampleData::progress, this, [this](int done, int total, const QString& step) {
        m_window->statusBar()->showMessage(tr("Sample data: %1 (%2/%3)").arg(step).arg(done).arg(total));
    });
    connect(m_sampleData, &SampleData::finished, this, [this, session](bool ok, const QString& error) {
        m_window->statusBar()->showMessage(ok ? tr("Sample data created") : tr("Sample data failed: %1").arg(error),
                                           10000);
        m_sampleDataDone = true;
        if (!ok) m_exitCode = 1;
        session->refreshNow();
    });
    m_sampleData->start();
}

void AppWiring::takeScreenshotAndQuit() {
    if (!m_window) return;
    if (!m_window->grab().save(m_options.screenshot)) {
        qWarning("cannot save the screenshot to %s", qPrintable(m_options.screenshot));
        m_exitCode = 1;
    }
    quit();
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
    QSettings().setValue(kLocalWasRunningKey, m_localCluster && m_localCluster->isRunning());
    delete m_localController;
    m_localController = nullptr;
    m_window.reset();
    m_sessions.clear();
    // Brokers the user chose to keep running were launched detached and stay up; the others stop
    // asynchronously (finishWhenStopped runs as each reports), so the GUI thread never waits.
    if (m_localCluster && m_localCluster->isRunning() && !m_localCluster->keepRunningOnQuit()) {
        m_localCluster->stop();
        return;
    }
    emit finished(m_exitCode);
}

void AppWiring::finishWhenStopped() {
    if (!m_localCluster->isRunning()) emit finished(m_exitCode);
}

}  // namespace partita::app
