// BrokerModel: display, sort and state roles of the broker table, and its keyed refresh.
#include "models/brokermodel.h"

#include "models/keyeddiff.h"

#include <QLocale>

namespace partita::models {

BrokerModel::BrokerModel(QObject* parent) : QAbstractTableModel(parent) {}

int BrokerModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BrokerModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const BrokerInfo* BrokerModel::broker(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

QVariant BrokerModel::data(const QModelIndex& index, int role) const {
    const BrokerInfo* b = index.isValid() ? broker(index.row()) : nullptr;
    if (b == nullptr) return {};
    switch (role) {
        case BrokerIdRole:
            return b->id;
        case ControllerRole:
            return b->controller;
        case ReachableRole:
            return b->reachable;
        case Qt::ToolTipRole:
            if (index.column() == ReachableColumn && !b->reachable) return b->unreachableReason;
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == IdColumn || index.column() == LeaderCountColumn || index.column() == SizeColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SortRole:
            switch (index.column()) {
                case IdColumn:
                    return b->id;
                case AddressColumn:
                    return QStringLiteral("%1:%2").arg(b->host).arg(b->port);
                case RackColumn:
                    return b->rack;
                case ControllerColumn:
                    return b->controller;
                case LeaderCountColumn:
                    return b->partitionsLed;
                case SizeColumn:
                    return b->logDirBytes;
                case ReachableColumn:
                    return b->reachable;
            }
            return {};
        case Qt::DisplayRole:
            switch (index.column()) {
                case IdColumn:
                    return b->id;
                case AddressColumn:
                    return QStringLiteral("%1:%2").arg(b->host).arg(b->port);
                case RackColumn:
                    return b->rack;
                case ControllerColumn:
                    return b->controller ? tr("Controller") : QString();
                case LeaderCountColumn:
                    return b->partitionsLed;
                case SizeColumn:
                    return b->logDirBytes < 0 ? QString() : QLocale().formattedDataSize(b->logDirBytes);
                case ReachableColumn:
                    return b->reachable ? tr("Yes") : tr("No");
            }
            return {};
        default:
            return {};
    }
}

QVariant BrokerModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case IdColumn:
            return tr("ID");
        case AddressColumn:
            return tr("Host:Port");
        case RackColumn:
            return tr("Rack");
        case ControllerColumn:
            return tr("Controller");
        case LeaderCountColumn:
            return tr("Partitions led");
        case SizeColumn:
            return tr("Log dir size");
        case ReachableColumn:
            return tr("Reachable");
    }
    return {};
}

void BrokerModel::setSnapshot(const ClusterSnapshot& snapshot) {
    const KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                               [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
    applyKeyedDiff(*this, hooks, m_rows, snapshot.brokers, [](const BrokerInfo& b) { return b.id; });
}

}  // namespace partita::models
