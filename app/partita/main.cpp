// partita: the desktop app's entry point (command line, application identity, event loop).
#include "appwiring.h"
#include "signalwatcher.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Partita"));
    QApplication::setApplicationName(QStringLiteral("Partita"));
    QApplication::setApplicationVersion(QStringLiteral(PARTITA_VERSION));
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
    parser.addOption(bootstrap);
    parser.addOption(sampleData);
    parser.process(app);

    partita::app::AppWiring wiring({parser.value(bootstrap), parser.isSet(sampleData)});
    QObject::connect(&wiring, &partita::app::AppWiring::finished, &app, &QApplication::exit, Qt::QueuedConnection);
    partita::app::SignalWatcher signals_;
    QObject::connect(&signals_, &partita::app::SignalWatcher::quitRequested, &wiring, &partita::app::AppWiring::quit);
    wiring.start();
    return QApplication::exec();
}
