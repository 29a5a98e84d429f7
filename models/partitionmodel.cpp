// PartitionModel: display, sort and highlight roles of one topic's partitions, and its keyed refresh.
#include "models/partitionmodel.h"

#include "models/keyeddiff.h"

#include <QLocale>

#include <algorithm>

namespace partita::models {

namespace {

QString joinIds(const QList<int>& ids) {
    QStringList parts;
    for (int id : ids) parts << QString::number(id);
    return parts.join(QStringLiteral(", "));
}

// Unknown numbers show as an empty cell rather than -1, which a user would read as a value.
QVariant orBlank(qint64 value) {
    return value < 0 ? QVariant(QString()) : QVariant(value);
}

}  // namespace

PartitionModel::PartitionModel(QObject* parent) : QAbstractTableModel(parent) {}

void PartitionModel::setTopic(const QString& topic) {
    beginResetModel();
    m_topic = topic;
    m_rows.clear();
    endResetModel();
    emit summaryChanged();
}

void PartitionModel::setTopic(const QString& topic, const ClusterSnapshot& snapshot) {
    setTopic(topic);
    setSnapshot(snapshot);
}

int PartitionModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PartitionModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const PartitionInfo* PartitionModel::partition(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

PartitionModel::Summary PartitionModel::summary() const {
    Summary s;
    s.partitions = int(m_rows.size());
    for (const auto& p : m_rows) {
        if (p.underReplicated()) ++s.underReplicated;
        if (p.offline()) ++s.offline;
        if (const qint64 n = p.messageCount(); n >= 0) s.messages = std::max<qint64>(s.messages, 0) + n;
    }
    return s;
}

QString PartitionModel::summaryText() const {
    const Summary s = summary();
    QString text = tr("%n partition(s)", nullptr, s.partitions) + QStringLiteral(", ") +
                   tr("%n under-replicated", nullptr, s.underReplicated) + QStringLiteral(", ") +
                   tr("%n offline", nullptr, s.offline);
    if (s.messages >= 0) text += QStringLiteral(", ") + tr("%1 messages").arg(QLocale().toString(s.messages));
    return text;
}

QVariant PartitionModel::data(const QModelIndex& index, int role) const {
    const PartitionInfo* p = index.isValid() ? partition(index.row()) : nullptr;
    if (p == nullptr) return {};
    switch (role) {
        case UnderReplicatedRole:
            return p->underReplicated();
        case OfflineRole:
            return p->offline();
        case Qt::ToolTipRole:
            if (!p->error.isEmpty()) return p->error;
            if (p->offline()) return tr("Offline: no replica is leading this partition.");
            if (p->underReplicated()) return tr("Under-replicated: not every replica is in sync.");
            return {};
        case Qt::TextAlignmentRole:
            switch (index.column()) {
                case PartitionColumn:
                case LeaderColumn:
                case StartOffsetColumn:
                case EndOffsetColumn:
                case MessagesColumn:
                case SizeColumn:
                    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            }
            return {};
        case SortRole:
            switch (index.column()) {
                case PartitionColumn:
                    return p->partition;
                case LeaderColumn:
                    return p->leader;
                case ReplicasColumn:
                    return int(p->replicas.size());
                case IsrColumn:
                    return int(p->isr.size());
                case OfflineReplicasColumn:
                    return int(p->offlineReplicas.size());
                case StartOffsetColumn:
                    return p->startOffset;
                case EndOffsetColumn:
                    return p->endOffset;
                case MessagesColumn:
                    return p->messageCount();
                case SizeColumn:
                    return p->size;
            }
            return {};
        case Qt::DisplayRole:
            switch (index.column()) {
                case PartitionColumn:
                    return p->partition;
                case LeaderColumn:
                    return p->offline() ? tr("none") : QString::number(p->leader);
                case ReplicasColumn:
                    return joinIds(p->replicas);
                case IsrColumn:
                    return joinIds(p->isr);
                case OfflineReplicasColumn:
                    return joinIds(p->offlineReplicas);
                case StartOffsetColumn:
                    return orBlank(p->startOffset);
                case EndOffsetColumn:
                    return orBlank(p->endOffset);
                case MessagesColumn:
                    return orBlank(p->messageCount());
                case SizeColumn:
                    return p->size < 0 ? QString() : QLocale().formattedDataSize(p->size);
            }
            return {};
        default:
            return {};
    }
}

QVariant PartitionModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case PartitionColumn:
            return tr("Partition");
        case LeaderColumn:
            return tr("Leader");
        case ReplicasColumn:
            return tr("Replicas");
        case IsrColumn:
            return tr("ISR");
        case OfflineReplicasColumn:
            return tr("Offline replicas");
        case StartOffsetColumn:
            return tr("Start offset");
        case EndOffsetColumn:
            return tr("End offset");
        case MessagesColumn:
            return tr("Messages");
        case SizeColumn:
            return tr("Size");
    }
    return {};
}

void PartitionModel::setSnapshot(const ClusterSnapshot& snapshot) {
    std::vector<PartitionInfo> next;
    if (const TopicInfo* t = snapshot.findTopic(m_topic)) next = t->partitions;
    const Summary before = summary();
    const KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                               [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
    applyKeyedDiff(*this, hooks, m_rows, std::move(next), [](const PartitionInfo& p) { return p.partition; });
    const Summary after = summary();
    if (before.partitions != after.partitions || before.underReplicated != after.underReplicated ||
        before.offline != after.offline || before.messages != after.messages)
        emit summaryChanged();
}

}  // namespace partita::models
