// TopicsPanel: the topics of a cluster as a sortable table with filter-as-you-type and an
// internal-topics toggle; asks for a topic's partitions on double-click. With a session it also
// offers the topic administration actions (new, delete, add partitions, configs, purge).
#pragma once

#include <QString>
#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QModelIndex;
class QTableView;
class QToolBar;

namespace partita::models {
class ClusterSession;
class TopicModel;
class TopicOperations;
}  // namespace partita::models

namespace partita::ui {

class AddPartitionsDialog;
class CreateTopicDialog;
class DeleteTopicDialog;
class ProducerDialog;
class TopicConfigDialog;
class TopicFilterProxy;

class TopicsPanel : public QWidget {
    Q_OBJECT
public:
    // The model is shared (the main window feeds it from the session); it must outlive the panel.
    explicit TopicsPanel(models::TopicModel* model, QWidget* parent = nullptr);

    // Enables the admin actions on this cluster (the session must outlive the panel; null disables them).
    void setSession(models::ClusterSession* session);
    models::TopicOperations* operations() const { return m_operations; }

    QTableView* view() const { return m_view; }
    TopicFilterProxy* proxy() const { return m_proxy; }
    QLineEdit* filterEdit() const { return m_filter; }
    QCheckBox* showInternalCheckBox() const { return m_showInternal; }
    QToolBar* toolBar() const { return m_toolBar; }
    QAction* newTopicAction() const { return m_newAction; }
    QAction* deleteTopicAction() const { return m_deleteAction; }
    QAction* addPartitionsAction() const { return m_addPartitionsAction; }
    QAction* configsAction() const { return m_configsAction; }
    QAction* purgeAction() const { return m_purgeAction; }
    QAction* messagesAction() const { return m_messagesAction; }
    QAction* produceAction() const { return m_produceAction; }
    // The outcome of the last purge (or other action finished outside a dialog).
    QLabel* statusLabel() const { return m_status; }

    // The topic shown in a row of the view (empty outside the table).
    QString topicAt(int viewRow) const;
    // The selected topic (empty when none).
    QString selectedTopic() const;
    // Selects a topic's row (false when it is not shown).
    bool selectTopic(const QString& name);

public slots:
    // Emits openPartitionsRequested for the topic of a view index (what double-click does).
    void openTopicAt(const QModelIndex& viewIndex);
    // The admin actions: each opens its dialog (window-modal, deleted on close) and returns it,
    // or nullptr when there is no session or no selected topic.
    CreateTopicDialog* newTopic();
    DeleteTopicDialog* deleteSelectedTopic();
    AddPartitionsDialog* addPartitionsToSelected();
    TopicConfigDialog* showSelectedConfigs();
    // The producer dialog for the selected topic (non-modal).
    ProducerDialog* produceToSelected();
    QMessageBox* purgeSelected();

signals:
    void openPartitionsRequested(const QString& topic);
    // Browse the selected topic's messages (Messages… or Ctrl+M).
    void openMessagesRequested(const QString& topic);

private:
    void updateActions();
    void showStatus(const QString& text, bool error);

    models::TopicModel* m_model;
    models::ClusterSession* m_session = nullptr;
    models::TopicOperations* m_operations = nullptr;
    TopicFilterProxy* m_proxy;
    QLineEdit* m_filter;
    QCheckBox* m_showInternal;
    QTableView* m_view;
    QToolBar* m_toolBar;
    QAction* m_newAction;
    QAction* m_deleteAction;
    QAction* m_addPartitionsAction;
    QAction* m_configsAction;
    QAction* m_purgeAction;
    QAction* m_messagesAction;
    QAction* m_produceAction;
    QLabel* m_status;
};

}  // namespace partita::ui
