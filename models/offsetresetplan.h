// OffsetResetPlan: the preview of a consumer group offset reset (like kafka-consumer-groups.sh
// --reset-offsets --dry-run) as a table, and applying it while the group is inactive.
#pragma once

#include "engine/client/admin.h"
#include "models/callbackguard.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace partita::models {

class OffsetResetPlan : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TopicColumn, PartitionColumn, CurrentColumn, NewOffsetColumn, LagAfterColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,  // raw values for QSortFilterProxyModel (sortRole); -1 when unknown
        TopicRole,
        PartitionRole,
    };
    // Kafka's --to-earliest, --to-latest, --to-offset, --to-datetime (as ms since the epoch), --shift-by.
    enum class Strategy { Earliest, Latest, ToOffset, ToTimestamp, ShiftBy };
    Q_ENUM(Strategy)

    struct Row {
        QString topic;
        int partition = 0;
        qint64 current = -1;    // the committed offset (-1: none)
        qint64 newOffset = -1;  // -1: cannot be computed (see error)
        qint64 logStart = -1;
        qint64 logEnd = -1;
        qint64 lagAfter = -1;
        QString error;
        friend bool operator==(const Row&, const Row&) = default;
    };

    explicit OffsetResetPlan(client::Admin admin, QObject* parent = nullptr);
    ~OffsetResetPlan() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Row* planRow(int row) const;
    int rowOf(const QString& topic, int partition) const;

    // Computes the plan on engine threads for the partitions the group has committed or been
    // assigned (only `topic`'s when given): `value` is the offset, the timestamp in ms or the shift
    // (ignored by Earliest / Latest). New offsets are clamped to [log start, log end], as Kafka's
    // tool does. Emits planReady or planFailed; a newer build supersedes one in flight.
    void build(const QString& group, Strategy strategy, qint64 value = 0, const QString& topic = {});

    bool isBuilding() const { return m_building; }
    bool isApplying() const { return m_applying; }
    bool hasPlan() const { return m_ready; }
    QString group() const { return m_group; }

    // Commits the plan's new offsets. Refused (applied(false, why)) unless the group is Empty or
    // Dead right now, like kafka-consumer-groups.sh; otherwise Admin::alterConsumerGroupOffsets.
    void apply();

signals:
    void planReady();
    void planFailed(const QString& error);
    void applied(bool ok, const QString& error);

private:
    struct Job;
    void deliverPlan(quint64 request, std::vector<Row> rows, const QString& error);
    void deliverApply(const QString& error);

    client::Admin m_admin;
    CallbackGuard<OffsetResetPlan> m_guard{this};  // engine callbacks post through it
    QString m_group;
    std::vector<Row> m_rows;  // sorted by topic, partition
    quint64 m_request = 0;
    bool m_building = false;
    bool m_applying = false;
    bool m_ready = false;
};

}  // namespace partita::models
