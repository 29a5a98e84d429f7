// AddPartitionsDialog: asks for a topic's new partition total (more than it has) and adds them.
#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QPushButton;
class QSpinBox;

namespace partita::models {
class TopicOperations;
}

namespace partita::ui {

class AddPartitionsDialog : public QDialog {
    Q_OBJECT
public:
    // The operations object must outlive the dialog.
    AddPartitionsDialog(models::TopicOperations* operations, const QString& topic, int currentPartitions,
                        QWidget* parent = nullptr);

    QSpinBox* totalSpin() const { return m_total; }
    QPushButton* addButton() const { return m_add; }
    QLabel* messageLabel() const { return m_message; }

public slots:
    // Sends the request; accepts the dialog when the broker added them.
    void addPartitions();

private:
    models::TopicOperations* m_operations;
    QString m_topic;
    int m_current;
    QSpinBox* m_total;
    QLabel* m_message;
    QPushButton* m_add;
};

}  // namespace partita::ui
