// PartitionsPanel: one topic's partitions (leader, replicas, ISR, offline replicas, start and end
// offsets, messages, size) as a sortable table, with a summary line counting under-replicated and
// offline partitions (bold when there are any) and messages.
#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace partita::models {
class ClusterSession;
class PartitionModel;
}  // namespace partita::models

namespace partita::ui {

class PartitionsPanel : public QWidget {
    Q_OBJECT
public:
    // Owns its PartitionModel, fed by the session's snapshots (filled at once from the last one).
    PartitionsPanel(models::ClusterSession* session, const QString& topic, QWidget* parent = nullptr);

    QString topic() const;
    models::PartitionModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // Puts a chart of the topic's history (its consumers' lag) below the table (the panel owns it).
    void setLagChart(QWidget* chart);
    QWidget* lagChart() const { return m_lagChart; }
    QLabel* summaryLabel() const { return m_summary; }

private:
    void updateSummary();

    models::PartitionModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_summary;
    QTableView* m_view;
    QWidget* m_lagChart = nullptr;
};

}  // namespace partita::ui
