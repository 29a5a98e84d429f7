// MessageExportRunner: the message browser's export: asks for a file, runs a MessageExporter off
// the GUI thread with a progress dialog that can cancel, and reports how it ended.
#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class QProgressDialog;
class QWidget;

namespace partita::models {
class ClusterSession;
class MessageExporter;
class MessageModel;
}  // namespace partita::models

namespace partita::ui {

class MessageExportRunner : public QObject {
    Q_OBJECT
public:
    // `dialogParent` parents the file and progress dialogs. The session must outlive the runner.
    MessageExportRunner(models::ClusterSession* session, QWidget* dialogParent);

    // Writes the model's rows at `sourceRows`, in that order.
    void exportRows(const models::MessageModel& model, const QList<int>& sourceRows);
    // Runs the model's last search again without its row limit, writing every match.
    void exportSearch(const models::MessageModel& model);
    bool isRunning() const;
    void cancel();

    // Replaces the file dialog (tests): gets a suggested name, returns the chosen path or "".
    void setFileChooser(std::function<QString(const QString& suggested)> chooser) { m_chooser = std::move(chooser); }

signals:
    // How the export ended, as a sentence for the status line; `failed` when it did not write.
    void finished(const QString& outcome, bool failed);

private:
    QString choosePath(const QString& topic);
    void started(const QString& path, qint64 expected);
    void onFinished(qint64 written, bool cancelled, const QString& error);

    models::ClusterSession* m_session;
    QWidget* m_dialogParent;
    models::MessageExporter* m_exporter;
    QProgressDialog* m_progress = nullptr;
    QString m_path;
    std::function<QString(const QString&)> m_chooser;
};

}  // namespace partita::ui
