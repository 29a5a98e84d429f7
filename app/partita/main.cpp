// partita: the desktop app's entry point (command line, application identity, event loop).
#include "appwiring.h"
#include "signalwatcher.h"
#include "startuptrace.h"
#include "ui/icons.h"
#include "ui/theme.h"
#include "ui/translations.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    // Before QApplication so its construction (platform plugin, fonts) is on the trace too.
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], "--startup-trace") == 0) partita::app::startuptrace::enable();
    QApplication app(argc, argv);
    partita::app::startuptrace::mark("application created");
    QApplication::setOrganizationName(QStringLiteral("Partita"));
    QApplication::setApplicationName(QStringLiteral("Partita"));
    QApplication::setApplicationVersion(QStringLiteral(PARTITA_VERSION));
    partita::ui::initResources();
    partita::ui::installTranslations(app);
    partita::ui::applyTheme(app, partita::ui::themeFromSettings());
    // The wiring decides when to exit: after the local cluster has stopped, not at the last close.
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Partita: a desktop tool for Kafka clusters."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption bootstrap(QStringLiteral("bootstrap"),
                                 QApplication::translate("main", "Connect to this cluster instead of the local one."),
                                 QApplication::translate("main", "host:port"));
    QCommandLineOption sampleData(
        QStringLiteral("sample-data"),
        QApplication::translate("main", "Create demo topics, records and a group once connected."));
    QCommandLineOption startupTrace(
        QStringLiteral("startup-trace"),
        QApplication::translate("main", "Print timestamps of the start (ms since the process began) to stderr."));
    QCommandLineOption exitWhenReady(
        QStringLiteral("exit-when-ready"),
        QApplication::translate("main", "Quit as soon as the first cluster's data is shown (for benchmarks)."));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a picture of the window once the data is shown, then quit."),
        QApplication::translate("main", "file.png"));
    parser.addOption(screenshot);
    parser.addOption(bootstrap);
    parser.addOption(sampleData);
    parser.addOption(startupTrace);
    parser.addOption(exitWhenReady);
    parser.process(app);

    partita::app::AppWiring wiring(
        {parser.value(bootstrap), parser.isSet(sampleData), parser.isSet(exitWhenReady), parser.value(screenshot)});
    QObject::connect(&wiring, &partita::app::AppWiring::finished, &app, &QApplication::exit, Qt::QueuedConnection);
    partita::app::SignalWatcher signals_;
    QObject::connect(&signals_, &partita::app::SignalWatcher::quitRequested, &wiring, &partita::app::AppWiring::quit);
    wiring.start();
    return QApplication::exec();
}
