// DeleteTopicDialog: deleting a topic only after its name was typed, then the broker's answer.
#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QLineEdit;
class QPushButton;

namespace partita::models {
class TopicOperations;
}

namespace partita::ui {

class DeleteTopicDialog : public QDialog {
    Q_OBJECT
public:
    // The operations object must outlive the dialog.
    DeleteTopicDialog(models::TopicOperations* operations, const QString& topic, QWidget* parent = nullptr);

    QLineEdit* confirmEdit() const { return m_confirm; }
    QPushButton* deleteButton() const { return m_delete; }
    QLabel* messageLabel() const { return m_message; }

public slots:
    // Deletes when the typed name matches; accepts the dialog once the broker deleted it.
    void deleteTopic();

private:
    models::TopicOperations* m_operations;
    QString m_topic;
    QLineEdit* m_confirm;
    QLabel* m_message;
    QPushButton* m_delete;
    bool m_busy = false;
};

}  // namespace partita::ui
