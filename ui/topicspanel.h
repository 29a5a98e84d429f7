// TopicsPanel: the topics of a cluster as a sortable table with filter-as-you-type and an
// internal-topics toggle; asks for a topic's partitions on double-click.
#pragma once

#include <QString>
#include <QWidget>

class QCheckBox;
class QLineEdit;
class QModelIndex;
class QTableView;

namespace partita::models {
class TopicModel;
}

namespace partita::ui {

class TopicFilterProxy;

class TopicsPanel : public QWidget {
    Q_OBJECT
public:
    // The model is shared (the main window feeds it from the session); it must outlive the panel.
    explicit TopicsPanel(models::TopicModel* model, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    TopicFilterProxy* proxy() const { return m_proxy; }
    QLineEdit* filterEdit() const { return m_filter; }
    QCheckBox* showInternalCheckBox() const { return m_showInternal; }

    // The topic shown in a row of the view (empty outside the table).
    QString topicAt(int viewRow) const;

public slots:
    // Emits openPartitionsRequested for the topic of a view index (what double-click does).
    void openTopicAt(const QModelIndex& viewIndex);

signals:
    void openPartitionsRequested(const QString& topic);

private:
    TopicFilterProxy* m_proxy;
    QLineEdit* m_filter;
    QCheckBox* m_showInternal;
    QTableView* m_view;
};

}  // namespace partita::ui
