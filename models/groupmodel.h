// GroupModel: the consumer groups of a cluster as a table (group id, state, protocol type, members,
// coordinator, topics committed, total lag), refreshed from ClusterSnapshots without resets.
#pragma once

#include "engine/client/admin.h"
#include "models/callbackguard.h"
#include "models/clustersnapshot.h"

#include <QAbstractTableModel>
#include <QHash>

#include <memory>
#include <optional>
#include <vector>

namespace partita::models {

class GroupModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        GroupIdColumn,
        StateColumn,
        ProtocolTypeColumn,
        MembersColumn,
        CoordinatorColumn,
        TopicsColumn,
        LagColumn,
        TrendColumn,  // no data: the ui paints the recent lag there (MonitoringHub::recent)
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,  // raw values for QSortFilterProxyModel (sortRole)
        GroupIdRole,
    };

    struct Row {
        QString groupId;
        QString state;
        QString protocolType;
        int members = -1;  // -1: not described yet (the snapshot's group listing has no members)
        int coordinatorId = -1;
        int topics = -1;  // topics the group committed offsets in; -1: not fetched yet
        qint64 lag = -1;  // sum over its committed partitions of end offset - committed; -1: unknown
        friend bool operator==(const Row&, const Row&) = default;
    };

    // What the background lag computation found for one group.
    struct LagInfo {
        int topics = -1;
        qint64 lag = -1;
    };

    explicit GroupModel(QObject* parent = nullptr);
    ~GroupModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Row* group(int row) const;
    // The row of a group, -1 if absent.
    int rowOf(const QString& groupId) const;

    // With an Admin, every snapshot is followed by a describeConsumerGroups of the listed groups
    // (on engine threads) that fills the Members column, and by the committed offsets of every
    // group, compared on engine threads with the snapshot's end offsets, which fill the Topics and
    // Lag columns; without one they stay empty.
    void setAdmin(std::optional<client::Admin> admin);

    // Groups whose committed offsets are fetched at the same time (one OffsetFetch each).
    static constexpr int kMaxLagFetchesInFlight = 64;

public slots:
    void setSnapshot(const partita::models::ClusterSnapshot& snapshot);

signals:
    // Member counts of the latest snapshot's groups arrived.
    void membersUpdated();
    // The lag of every group of the latest snapshot arrived (older snapshots' are dropped).
    void lagUpdated();

private:
    void applyRows(std::vector<Row> next);
    void applyMembers(quint64 request, const QHash<QString, int>& members);
    void startLag(const ClusterSnapshot& snapshot, std::vector<std::string> groups);
    void applyLag(quint64 request, const QHash<QString, LagInfo>& lag);

    std::vector<Row> m_rows;  // sorted by group id
    // Last known member counts, so a refresh does not blank the column until its describe answers.
    QHash<QString, int> m_members;
    QHash<QString, LagInfo> m_lag;  // likewise for the lag
    std::optional<client::Admin> m_admin;
    CallbackGuard<GroupModel> m_guard{this};  // engine callbacks post through it
    quint64 m_request = 0;
    quint64 m_lagRequest = 0;
};

}  // namespace partita::models
