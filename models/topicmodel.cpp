// TopicModel: display, sort and filter roles of the topic table, and its keyed refresh.
#include "models/topicmodel.h"

#include "models/keyeddiff.h"

#include <QLocale>

#include <algorithm>

namespace partita::models {

TopicModel::TopicModel(QObject* parent) : QAbstractTableModel(parent) {}

int TopicModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TopicModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const TopicModel::Row* TopicModel::topic(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int TopicModel::rowOf(const QString& name) const {
    return rowOfKey(m_rows, name, [](const Row& r) -> const QString& { return r.name; });
}

QVariant TopicModel::data(const QModelIndex& index, int role) const {
    const Row* t = index.isValid() ? topic(index.row()) : nullptr;
    if (t == nullptr) return {};
    switch (role) {
        case NameRole:
            return t->name;
        case LowerNameRole:
            return t->lowerName;
        case InternalRole:
            return t->internal;
        case ProblemRole:
            return t->underReplicated > 0 || t->offline > 0 || !t->error.isEmpty();
        case Qt::ToolTipRole:
            return t->error.isEmpty() ? QVariant() : QVariant(t->error);
        case Qt::TextAlignmentRole:
            if (index.column() != NameColumn && index.column() != InternalColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SortRole:
            switch (index.column()) {
                case NameColumn:
                    return t->name;
                case PartitionsColumn:
                    return t->partitions;
                case ReplicationColumn:
                    return t->replicationFactor;
                case UnderReplicatedColumn:
                    return t->underReplicated;
                case OfflineColumn:
                    return t->offline;
                case MessagesColumn:
                    return t->messages;
                case SizeColumn:
                    return t->size;
                case InternalColumn:
                    return t->internal;
            }
            return {};
        case Qt::DisplayRole:
            switch (index.column()) {
                case NameColumn:
                    return t->name;
                case PartitionsColumn:
                    return t->partitions;
                case ReplicationColumn:
                    return t->replicationFactor;
                case UnderReplicatedColumn:
                    return t->underReplicated;
                case OfflineColumn:
                    return t->offline;
                case MessagesColumn:
                    return t->messages < 0 ? QVariant(QString()) : QVariant(t->messages);
                case SizeColumn:
                    return t->size < 0 ? QString() : QLocale().formattedDataSize(t->size);
                case InternalColumn:
                    return t->internal ? tr("Yes") : QString();
            }
            return {};
        default:
            return {};
    }
}

QVariant TopicModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case NameColumn:
            return tr("Name");
        case PartitionsColumn:
            return tr("Partitions");
        case ReplicationColumn:
            return tr("Replication factor");
        case UnderReplicatedColumn:
            return tr("Under-replicated");
        case OfflineColumn:
            return tr("Offline");
        case MessagesColumn:
            return tr("Messages");
        case SizeColumn:
            return tr("Size");
        case InternalColumn:
            return tr("Internal");
        case TrendColumn:
            return tr("In (msg/s)");
    }
    return {};
}

void TopicModel::setSnapshot(const ClusterSnapshot& snapshot) {
    std::vector<Row> next;
    next.reserve(snapshot.topics.size());
    // Both lists are sorted by name: one walk finds each topic's old row, whose lower-case name is
    // reused (lower-casing 10,000 names on every refresh would cost the GUI thread for nothing).
    size_t old = 0;
    for (const TopicInfo& t : snapshot.topics) {
        while (old < m_rows.size() && m_rows[old].name < t.name) ++old;
        QString lower = old < m_rows.size() && m_rows[old].name == t.name ? m_rows[old].lowerName : t.name.toLower();
        next.push_back({t.name, int(t.partitions.size()), t.replicationFactor(), t.underReplicatedCount(),
                        t.offlineCount(), t.messageCount(), t.size(), t.internal, t.error, std::move(lower)});
    }
    const KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                               [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
    applyKeyedDiff(*this, hooks, m_rows, std::move(next), [](const Row& r) -> const QString& { return r.name; });
}

}  // namespace partita::models
