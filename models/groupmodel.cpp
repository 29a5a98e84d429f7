// GroupModel: display and sort roles of the consumer group table, its keyed refresh and the
// background describe that counts each group's members and the background lag of every group.
#include "models/groupmodel.h"

#include "models/keyeddiff.h"

#include <QLocale>

#include <algorithm>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

namespace partita::models {

namespace {

// The end offsets of a snapshot, by topic and partition number, in a form engine threads can
// read without the snapshot (which stays on the GUI thread).
using EndOffsets = std::unordered_map<std::string, std::vector<qint64>>;

// The committed offsets of many groups, fetched with at most kMaxLagFetchesInFlight requests at a
// time (Admin has no multi-group OffsetFetch), each turned into a LagInfo on the engine thread
// that received it; `done` runs once, with every group's, on an engine thread.
class LagJob : public std::enable_shared_from_this<LagJob> {
public:
    using Done = std::function<void(QHash<QString, GroupModel::LagInfo>)>;

    LagJob(client::Admin admin, std::vector<std::string> groups, std::shared_ptr<const EndOffsets> ends, Done done)
        : m_admin(std::move(admin)), m_groups(std::move(groups)), m_ends(std::move(ends)), m_done(std::move(done)) {}

    void pump() {
        std::vector<size_t> launch;
        {
            std::lock_guard lock(m_mutex);
            while (m_inFlight < GroupModel::kMaxLagFetchesInFlight && m_next < m_groups.size()) {
                launch.push_back(m_next++);
                ++m_inFlight;
            }
        }
        // Outside the lock: a callback may run at once, on this thread, and pump again.
        auto self = shared_from_this();
        for (size_t i : launch)
            m_admin.listConsumerGroupOffsets(
                m_groups[i], {},
                [self, i](Result<std::vector<client::CommittedOffset>> r) { self->take(i, std::move(r)); });
    }

private:
    void take(size_t i, Result<std::vector<client::CommittedOffset>> committed) {
        GroupModel::LagInfo info;
        // A group whose offsets could not be read keeps an unknown lag rather than a wrong one.
        if (committed.ok()) {
            std::set<std::string_view> topics;
            for (const auto& c : committed.value()) {
                if (!c.status.ok() || c.offset < 0) continue;
                topics.insert(c.partition.topic);
                auto ends = m_ends->find(c.partition.topic);
                if (ends == m_ends->end() || c.partition.partition < 0 ||
                    size_t(c.partition.partition) >= ends->second.size())
                    continue;
                const qint64 end = ends->second[size_t(c.partition.partition)];
                if (end < 0) continue;
                // A commit past the end (records deleted, topic re-created) is no lag, not a negative one.
                info.lag = std::max<qint64>(info.lag, 0) + std::max<qint64>(0, end - c.offset);
            }
            info.topics = int(topics.size());
        }
        bool last = false;
        {
            std::lock_guard lock(m_mutex);
            m_results.insert(QString::fromStdString(m_groups[i]), info);
            --m_inFlight;
            last = m_inFlight == 0 && m_next >= m_groups.size();
        }
        if (last) return m_done(std::move(m_results));
        pump();
    }

    client::Admin m_admin;
    const std::vector<std::string> m_groups;
    const std::shared_ptr<const EndOffsets> m_ends;
    Done m_done;
    std::mutex m_mutex;
    size_t m_next = 0;
    int m_inFlight = 0;
    QHash<QString, GroupModel::LagInfo> m_results;
};

}  // namespace

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
    return rowOfKey(m_rows, groupId, [](const Row& r) -> const QString& { return r.groupId; });
}

QVariant GroupModel::data(const QModelIndex& index, int role) const {
    const Row* g = index.isValid() ? group(index.row()) : nullptr;
    if (g == nullptr) return {};
    switch (role) {
        case GroupIdRole:
            return g->groupId;
        case Qt::TextAlignmentRole:
            if (index.column() == MembersColumn || index.column() == CoordinatorColumn ||
                index.column() == TopicsColumn || index.column() == LagColumn)
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
                case TopicsColumn:
                    return g->topics;
                case LagColumn:
                    return g->lag;
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
                case TopicsColumn:
                    return g->topics < 0 ? QVariant(QString()) : QVariant(g->topics);
                case LagColumn:
                    return g->lag < 0 ? QString() : QLocale().toString(g->lag);
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
        case TopicsColumn:
            return tr("Topics");
        case LagColumn:
            return tr("Lag");
        case TrendColumn:
            return tr("Lag trend");
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
        const LagInfo lag = m_lag.value(g.groupId);
        next.push_back(
            {g.groupId, g.state, g.protocolType, m_members.value(g.groupId, -1), g.coordinatorId, lag.topics, lag.lag});
        ids.push_back(g.groupId.toStdString());
    }
    // Forget the counts of groups that are gone, so a group re-created later starts unknown.
    QHash<QString, int> kept;
    QHash<QString, LagInfo> keptLag;
    for (const Row& r : next) {
        if (r.members >= 0) kept.insert(r.groupId, r.members);
        if (r.topics >= 0) keptLag.insert(r.groupId, {r.topics, r.lag});
    }
    m_members = std::move(kept);
    m_lag = std::move(keptLag);
    applyRows(std::move(next));
    if (!m_admin || ids.empty()) return;
    startLag(snapshot, ids);

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

void GroupModel::startLag(const ClusterSnapshot& snapshot, std::vector<std::string> groups) {
    // Only the end offsets are copied here (a few ms for 50,000 partitions); everything else,
    // fetching and summing, happens on engine threads.
    auto ends = std::make_shared<EndOffsets>();
    ends->reserve(snapshot.topics.size());
    for (const TopicInfo& t : snapshot.topics) {
        if (t.partitions.empty()) continue;
        std::vector<qint64>& byPartition = (*ends)[t.name.toStdString()];
        byPartition.assign(size_t(std::max(0, t.partitions.back().partition + 1)), -1);
        for (const PartitionInfo& p : t.partitions)
            if (p.partition >= 0) byPartition[size_t(p.partition)] = p.endOffset;
    }
    const quint64 request = ++m_lagRequest;
    auto job = std::make_shared<LagJob>(
        *m_admin, std::move(groups), std::move(ends), [guard = m_guard.handle(), request](QHash<QString, LagInfo> lag) {
            guard.post([request, lag = std::move(lag)](GroupModel* model) { model->applyLag(request, lag); });
        });
    job->pump();
}

void GroupModel::applyLag(quint64 request, const QHash<QString, LagInfo>& lag) {
    // A computation against an older snapshot answering late must not overwrite a newer one.
    if (request != m_lagRequest) return;
    m_lag = lag;
    std::vector<Row> next = m_rows;
    for (Row& r : next) {
        const LagInfo info = m_lag.value(r.groupId);
        r.topics = info.topics;
        r.lag = info.lag;
    }
    applyRows(std::move(next));
    emit lagUpdated();
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
