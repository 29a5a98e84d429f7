// LocalClusterPanel: the local cluster's brokers as processes (state, address, pid, last exit), their
// log, and the start / stop / restart / wipe / sample data actions. A passive view: the app feeds it
// and acts on its requests, so ui/ never touches processes.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace partita::ui {

class LocalClusterPanel : public QWidget {
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Stopping, Crashed };

    struct Broker {
        int id = 0;
        State state = State::Stopped;
        QString address;  // host:port, empty before the first start
        qint64 pid = 0;
        QString lastExit;  // why it stopped last, e.g. "killed by signal 9"
    };

    explicit LocalClusterPanel(QWidget* parent = nullptr);

    void setDataDir(const QString& dir);
    void setBrokers(const QList<Broker>& brokers);
    // The log shown is the selected broker's; lines of other brokers are kept by the app.
    void setLog(int brokerId, const QStringList& lines);
    void appendLog(int brokerId, const QString& line);
    void setKeepRunning(bool keep);
    // An error of the last action (e.g. a wipe refused), shown until the next action.
    void showError(const QString& message);

    int selectedBroker() const;
    QTableWidget* table() const { return m_table; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* restartButton() const { return m_restart; }
    QPushButton* wipeButton() const { return m_wipe; }
    QLabel* errorLabel() const { return m_error; }
    QPlainTextEdit* logView() const { return m_log; }
    QCheckBox* keepRunningCheckBox() const { return m_keepRunning; }

    static QString stateName(State state);

signals:
    void startRequested();
    void stopRequested();
    void restartRequested(int brokerId);
    // Asked only after the user confirmed.
    void wipeRequested();
    void sampleDataRequested();
    void keepRunningChanged(bool keep);
    void selectedBrokerChanged(int brokerId);

private:
    void updateButtons();
    void confirmWipe();

    QList<Broker> m_brokers;
    QLabel* m_dataDir;
    QLabel* m_error;
    QTableWidget* m_table;
    QPlainTextEdit* m_log;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_restart;
    QPushButton* m_wipe;
    QPushButton* m_sampleData;
    QCheckBox* m_keepRunning;
    int m_logBroker = -1;
};

}  // namespace partita::ui
