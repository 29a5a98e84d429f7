// TopicModel: the topics of a cluster as a table (name, partitions, replication factor,
// under-replicated and offline counts, messages, size, internal), refreshed without resets.
#pragma once

#include "models/clustersnapshot.h"

#include <QAbstractTableModel>

#include <vector>

namespace partita::models {

class TopicModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        PartitionsColumn,
        ReplicationColumn,
        UnderReplicatedColumn,
        OfflineColumn,
        MessagesColumn,
        SizeColumn,
        InternalColumn,
        TrendColumn,  // no data: the ui paints the recent message rate there (MonitoringHub::recent)
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,  // raw numbers for QSortFilterProxyModel (sortRole)
        NameRole,
        InternalRole,   // bool, on every column: a proxy's filterAcceptsRow hides internal topics with it
        ProblemRole,    // bool: some partition is under-replicated or offline, or the topic failed
        LowerNameRole,  // the name in lower case, computed once per refresh: fast case-insensitive filtering
    };

    // One row: what the table shows of a topic, without its partition list (cheap to compare).
    struct Row {
        QString name;
        int partitions = 0;
        int replicationFactor = 0;
        int underReplicated = 0;
        int offline = 0;
        qint64 messages = -1;  // end - start offsets summed; -1: unknown
        qint64 size = -1;
        bool internal = false;
        QString error;
        QString lowerName;  // follows from name; kept so a filter does not lower-case 10,000 names per key
        friend bool operator==(const Row&, const Row&) = default;
    };

    explicit TopicModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Row* topic(int row) const;
    // The row of a topic, -1 if absent.
    int rowOf(const QString& name) const;

public slots:
    void setSnapshot(const partita::models::ClusterSnapshot& snapshot);

private:
    std::vector<Row> m_rows;  // sorted by name
};

}  // namespace partita::models
