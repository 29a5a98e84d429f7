// CreateTopicDialog: name, partitions, replication factor and configs of a new topic, checked
// locally as Kafka checks names and then by the broker itself (validateOnly) before creating.
#pragma once

#include <QDialog>
#include <QMap>
#include <QString>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace partita::models {
class TopicOperations;
}

namespace partita::ui {

class CreateTopicDialog : public QDialog {
    Q_OBJECT
public:
    // existingTopics: for the "already exists" and '.'/'_' collision checks; brokerCount bounds
    // the replication factor. The operations object must outlive the dialog.
    CreateTopicDialog(models::TopicOperations* operations, const QStringList& existingTopics, int brokerCount,
                      QWidget* parent = nullptr);

    // Why Kafka would refuse this name (empty: acceptable), checked in Kafka's order.
    static QString nameProblem(const QString& name, const QStringList& existingTopics);
    // The existing topic this name collides with when '.' and '_' are taken as equal (empty: none).
    static QString collidingTopic(const QString& name, const QStringList& existingTopics);
    // Topic config names offered in the configs table (Kafka's names).
    static QStringList knownConfigNames();

    QLineEdit* nameEdit() const { return m_name; }
    QSpinBox* partitionsSpin() const { return m_partitions; }
    QSpinBox* replicationSpin() const { return m_replication; }
    QTableWidget* configsTable() const { return m_configs; }
    QPushButton* createButton() const { return m_create; }
    QPushButton* addConfigButton() const { return m_addConfig; }
    // Local problems with the name (red) or the collision warning.
    QLabel* nameMessageLabel() const { return m_nameMessage; }
    // The broker's answer to the last attempt, shown next to the configs table.
    QLabel* brokerMessageLabel() const { return m_brokerMessage; }

    // Adds a config row (what "Add config" does), returning its row.
    int addConfig(const QString& name = {}, const QString& value = {});
    QMap<QString, QString> configs() const;
    bool isBusy() const { return m_busy; }

public slots:
    // Asks the broker to validate, then creates; accepts the dialog when the topic exists.
    void create();

signals:
    void topicCreated(const QString& name);

private:
    void validateLocally();
    void setBusy(bool busy);
    void showBrokerError(const QString& error);

    models::TopicOperations* m_operations;
    QStringList m_existing;
    QLineEdit* m_name;
    QLabel* m_nameMessage;
    QSpinBox* m_partitions;
    QSpinBox* m_replication;
    QTableWidget* m_configs;
    QPushButton* m_addConfig;
    QPushButton* m_removeConfig;
    QLabel* m_brokerMessage;
    QDialogButtonBox* m_buttons;
    QPushButton* m_create;
    bool m_busy = false;
};

}  // namespace partita::ui
