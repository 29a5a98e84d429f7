// BrokerModel: the brokers of a cluster as a table (id, address, rack, controller, partitions
// led, log dir size, reachability), refreshed from ClusterSnapshots without resets.
#pragma once

#include "models/clustersnapshot.h"

#include <QAbstractTableModel>

#include <vector>

namespace partita::models {

class BrokerModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        AddressColumn,
        RackColumn,
        ControllerColumn,
        LeaderCountColumn,
        SizeColumn,
        ReachableColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,  // raw numbers (bytes, counts, ids) for QSortFilterProxyModel
        BrokerIdRole,
        ControllerRole,  // bool
        ReachableRole,   // bool
    };

    explicit BrokerModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The broker of a row (nullptr outside the table).
    const BrokerInfo* broker(int row) const;

public slots:
    void setSnapshot(const partita::models::ClusterSnapshot& snapshot);

private:
    std::vector<BrokerInfo> m_rows;  // sorted by id
};

}  // namespace partita::models
