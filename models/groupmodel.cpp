// GroupModel: display and sort roles of the consumer group table, its keyed refresh and the
// background describe that counts each group's members.
#include "models/groupmodel.h"

#include "models/keyeddiff.h"

#include <algorithm>

namespace partita::models {

GroupModel::GroupModel(QObject* parent) : QAbstractTableModel(parent) {}

GroupModel::~GroupModel() {
    m_guard.detach();
}

void GroupModel::setAdmin(std::optional<client::Admin> admin) {
    m_admin = std::move(admin);
}

int GroupModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int GroupModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const GroupModel::Row* GroupModel::group(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int GroupModel::rowOf(const QString& groupId) const {
    auto it = std::lower_bound(m_rows.begin(), m_rows.end(), groupId,
                               [](const Row& r, const QString& id) { return r.groupId < id; });
    return it != m_rows.end() && it->groupId == groupId ? int(it - m_rows.begin()) : -1;
}

QVariant GroupModel::data(const QModelIndex& index, int role) const {
    const Row* g = index.isValid() ? group(index.row()) : nullptr;
    if (g == nullptr) return {};
    switch (role) {
        case GroupIdRole:
            return g->groupId;
        case Qt::TextAlignmentRole:
            if (index.column() == MembersColumn || index.column() == CoordinatorColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SortRole:
            switch (index.column()) {
                case GroupIdColumn:
                    return g->groupId;
                case StateColumn:
                    return g->state;
                case ProtocolTypeColumn:
                    return g->protocolType;
                case MembersColumn:
                    return g->members;
                case CoordinatorColumn:
                    return g->coordinatorId;
            }
            return {};
        case Qt::DisplayRole:
            switch (index.column()) {
                case GroupIdColumn:
                    return g->groupId;
                case StateColumn:
                    return g->state;
                case ProtocolTypeColumn:
                    return g->protocolType;
                case MembersColumn:
                    return g->members < 0 ? QVariant(QString()) : QVariant(g->members);
                case CoordinatorColumn:
                    return g->coordinatorId < 0 ? QVariant(QString()) : QVariant(g->coordinatorId);
            }
            return {};
        default:
            return {};
    }
}

QVariant GroupModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case GroupIdColumn:
            return tr("Group ID");
        case StateColumn:
            return tr("State");
        case ProtocolTypeColumn:
            return tr("Protocol type");
        case MembersColumn:
            return tr("Members");
        case CoordinatorColumn:
            return tr("Coordinator");
    }
    return {};
}

void GroupModel::applyRows(std::vector<Row> next) {
    const KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                               [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
    applyKeyedDiff(*this, hooks, m_rows, std::move(next), [](const Row& r) -> const QString& { return r.groupId; });
}

void GroupModel::setSnapshot(const ClusterSnapshot& snapshot) {
    std::vector<Row> next;
    next.reserve(snapshot.groups.size());
    std::vector<std::string> ids;
    ids.reserve(snapshot.groups.size());
    for (const GroupInfo& g : snapshot.groups) {
        next.push_back({g.groupId, g.state, g.protocolType, m_members.value(g.groupId, -1), g.coordinatorId});
        ids.push_back(g.groupId.toStdString());
    }
    // Forget the counts of groups that are gone, so a group re-created later starts unknown.
    QHash<QString, int> kept;
    for (const Row& r : next)
        if (r.members >= 0) kept.insert(r.groupId, r.members);
    m_members = std::move(kept);
    applyRows(std::move(next));
    if (!m_admin || ids.empty()) return;

    const quint64 request = ++m_request;
    m_admin->describeConsumerGroups(
        std::move(ids), {},
        [guard = m_guard.handle(), request](Result<std::vector<client::ConsumerGroupDescription>> result) {
            // A failed describe leaves the last known counts: the listing itself is still right.
            if (!result.ok()) return;
            QHash<QString, int> members;
            for (const auto& d : result.value())
                if (d.status.ok()) members.insert(QString::fromStdString(d.groupId), int(d.members.size()));
            guard.post([request, members](GroupModel* model) { model->applyMembers(request, members); });
        });
}

void GroupModel::applyMembers(quint64 request, const QHash<QString, int>& members) {
    // An older describe answering after a newer one must not overwrite its counts.
    if (request != m_request) return;
    for (auto it = members.begin(); it != members.end(); ++it) m_members.insert(it.key(), it.value());
    std::vector<Row> next = m_rows;
    for (Row& r : next) r.members = m_members.value(r.groupId, -1);
    applyRows(std::move(next));
    emit membersUpdated();
}

}  // namespace partita::models
