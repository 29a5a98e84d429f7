// PartitionModel: the partitions of one topic (leader, replicas, ISR, offline replicas, start and
// end offsets, messages, size),
// with under-replicated and offline rows flagged and counted.
#pragma once

#include "models/clustersnapshot.h"

#include <QAbstractTableModel>

#include <vector>

namespace partita::models {

class PartitionModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        PartitionColumn,
        LeaderColumn,
        ReplicasColumn,
        IsrColumn,
        OfflineReplicasColumn,
        StartOffsetColumn,
        EndOffsetColumn,
        MessagesColumn,
        SizeColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,  // raw numbers (partition, leader, counts, bytes) for sorting
        UnderReplicatedRole,          // bool
        OfflineRole,                  // bool: no leader
    };

    struct Summary {
        int partitions = 0;
        int underReplicated = 0;
        int offline = 0;
        qint64 messages = -1;  // -1: no partition's offsets are known
    };

    explicit PartitionModel(QObject* parent = nullptr);

    // Shows another topic: a different table, so this one resets (a refresh never does). With a
    // snapshot it fills at once, else at the next setSnapshot.
    void setTopic(const QString& topic);
    void setTopic(const QString& topic, const ClusterSnapshot& snapshot);
    QString topic() const { return m_topic; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const PartitionInfo* partition(int row) const;
    Summary summary() const;
    // "12 partitions, 2 under-replicated, 1 offline, 5,000 messages", for a status line.
    QString summaryText() const;

public slots:
    void setSnapshot(const partita::models::ClusterSnapshot& snapshot);

signals:
    void summaryChanged();

private:
    QString m_topic;
    std::vector<PartitionInfo> m_rows;  // sorted by partition
};

}  // namespace partita::models
