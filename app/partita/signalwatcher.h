// SignalWatcher: turns SIGINT / SIGTERM into a Qt signal on the GUI thread, so Ctrl-C in the
// terminal (or a service manager's stop) quits the app the same way closing the window does.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace partita::app {

class SignalWatcher : public QObject {
    Q_OBJECT
public:
    // One per process: the handlers write to a single static pipe.
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void quitRequested();

private:
    QSocketNotifier* m_notifier = nullptr;
};

}  // namespace partita::app
