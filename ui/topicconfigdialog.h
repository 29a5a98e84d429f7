// TopicConfigDialog: a topic's configs (ConfigModel in a ConfigEditor) to review, edit, reset and apply.
#pragma once

#include <QDialog>
#include <QString>

namespace partita::models {
class ClusterSession;
class ConfigModel;
}  // namespace partita::models

namespace partita::ui {

class ConfigEditor;

class TopicConfigDialog : public QDialog {
    Q_OBJECT
public:
    // Starts describing the topic at once; the session must outlive the dialog.
    TopicConfigDialog(models::ClusterSession* session, const QString& topic, QWidget* parent = nullptr);

    QString topic() const { return m_topic; }
    // Null when the session has no Admin (then the dialog only says so).
    models::ConfigModel* model() const { return m_model; }
    ConfigEditor* editor() const { return m_editor; }

private:
    QString m_topic;
    models::ConfigModel* m_model = nullptr;
    ConfigEditor* m_editor = nullptr;
};

}  // namespace partita::ui
