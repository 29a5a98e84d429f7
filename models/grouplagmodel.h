// GroupLagModel: one consumer group's per-partition lag (committed offset, end offset, lag, owner),
// fetched on engine threads and applied on the GUI thread as keyed differences.
#pragma once

#include "engine/client/admin.h"
#include "models/callbackguard.h"

#include <QAbstractTableModel>
#include <QMap>

#include <memory>
#include <utility>
#include <vector>

namespace partita::models {

class GroupLagModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TopicColumn,
        PartitionColumn,
        CommittedColumn,
        EndOffsetColumn,
        LagColumn,
        MemberColumn,
        ClientIdColumn,
        HostColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,  // raw values for QSortFilterProxyModel (sortRole); -1 when unknown
        TopicRole,
        PartitionRole,
    };
    enum class State { Idle, Loading, Ready, Failed };
    Q_ENUM(State)

    struct Row {
        QString topic;
        int partition = 0;
        qint64 committed = -1;  // -1: the group never committed here
        qint64 endOffset = -1;  // -1: could not be read (see error)
        qint64 lag = -1;        // -1: unknown
        QString memberId;
        QString clientId;
        QString host;
        QString error;
        friend bool operator==(const Row&, const Row&) = default;
    };

    explicit GroupLagModel(client::Admin admin, QObject* parent = nullptr);
    ~GroupLagModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Row* partitionRow(int row) const;
    // The row of a topic-partition, -1 if absent.
    int rowOf(const QString& topic, int partition) const;

    QString group() const { return m_group; }
    // Shows another group: the table is reset (it is a different table) and fetched again.
    void setGroup(const QString& group);

    State state() const { return m_state; }
    bool isLoading() const { return m_state == State::Loading; }
    QString errorText() const { return m_error; }
    // The group's state as the coordinator reported it in the last fetch ("Empty", "Stable", ...).
    QString groupState() const { return m_groupState; }

    // The sum of the known lags, and per topic.
    qint64 totalLag() const;
    QMap<QString, qint64> lagByTopic() const;

public slots:
    // Fetches the lag again; while a fetch runs, one more follows it.
    void refresh();

signals:
    void stateChanged(partita::models::GroupLagModel::State state);
    // A fetch failed; the rows of the last good fetch stay.
    void errorOccurred(const QString& error);
    // A fetch was applied to the rows.
    void refreshed();

private:
    void deliver(quint64 request, std::shared_ptr<client::ConsumerGroupLag> lag, const QString& error);
    void setState(State state, const QString& error = {});

    client::Admin m_admin;
    CallbackGuard<GroupLagModel> m_guard{this};  // engine callbacks post through it
    QString m_group;
    std::vector<Row> m_rows;  // sorted by topic, partition
    State m_state = State::Idle;
    QString m_error;
    QString m_groupState;
    quint64 m_request = 0;  // the fetch whose answer is wanted; older answers are dropped
    bool m_inFlight = false;
    bool m_again = false;
};

}  // namespace partita::models
