// GroupLagModel: fetching a group's lag with Admin::describeConsumerGroupLag, bringing it to the GUI
// thread and applying it as keyed differences; display and sort roles; totals.
#include "models/grouplagmodel.h"

#include "models/keyeddiff.h"

#include <QLocale>

#include <algorithm>
#include <tuple>

namespace partita::models {

namespace {

auto keyOf(const GroupLagModel::Row& r) {
    return std::tie(r.topic, r.partition);
}

QString number(qint64 value) {
    return value < 0 ? QString() : QLocale().toString(value);
}

}  // namespace

GroupLagModel::GroupLagModel(client::Admin admin, QObject* parent)
    : QAbstractTableModel(parent), m_admin(std::move(admin)) {}

GroupLagModel::~GroupLagModel() {
    m_guard.detach();
}

int GroupLagModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int GroupLagModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const GroupLagModel::Row* GroupLagModel::partitionRow(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int GroupLagModel::rowOf(const QString& topic, int partition) const {
    return rowOfKey(m_rows, std::tie(topic, partition), [](const Row& r) { return keyOf(r); });
}

QVariant GroupLagModel::data(const QModelIndex& index, int role) const {
    const Row* r = index.isValid() ? partitionRow(index.row()) : nullptr;
    if (r == nullptr) return {};
    switch (role) {
        case TopicRole:
            return r->topic;
        case PartitionRole:
            return r->partition;
        case Qt::ToolTipRole:
            return r->error.isEmpty() ? QVariant() : QVariant(r->error);
        case Qt::TextAlignmentRole:
            if (index.column() >= PartitionColumn && index.column() <= LagColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SortRole:
            switch (index.column()) {
                case TopicColumn:
                    return r->topic;
                case PartitionColumn:
                    return r->partition;
                case CommittedColumn:
                    return r->committed;
                case EndOffsetColumn:
                    return r->endOffset;
                case LagColumn:
                    return r->lag;
                case MemberColumn:
                    return r->memberId;
                case ClientIdColumn:
                    return r->clientId;
                case HostColumn:
                    return r->host;
            }
            return {};
        case Qt::DisplayRole:
            switch (index.column()) {
                case TopicColumn:
                    return r->topic;
                case PartitionColumn:
                    return r->partition;
                case CommittedColumn:
                    return number(r->committed);
                case EndOffsetColumn:
                    return number(r->endOffset);
                case LagColumn:
                    return number(r->lag);
                case MemberColumn:
                    return r->memberId;
                case ClientIdColumn:
                    return r->clientId;
                case HostColumn:
                    return r->host;
            }
            return {};
        default:
            return {};
    }
}

QVariant GroupLagModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case TopicColumn:
            return tr("Topic");
        case PartitionColumn:
            return tr("Partition");
        case CommittedColumn:
            return tr("Committed offset");
        case EndOffsetColumn:
            return tr("End offset");
        case LagColumn:
            return tr("Lag");
        case MemberColumn:
            return tr("Member");
        case ClientIdColumn:
            return tr("Client ID");
        case HostColumn:
            return tr("Host");
    }
    return {};
}

qint64 GroupLagModel::totalLag() const {
    qint64 total = 0;
    for (const Row& r : m_rows)
        if (r.lag > 0) total += r.lag;
    return total;
}

QMap<QString, qint64> GroupLagModel::lagByTopic() const {
    QMap<QString, qint64> lags;
    for (const Row& r : m_rows) lags[r.topic] += std::max<qint64>(r.lag, 0);
    return lags;
}

void GroupLagModel::setGroup(const QString& group) {
    if (group == m_group) return;
    beginResetModel();
    m_group = group;
    m_rows.clear();
    m_groupState.clear();
    endResetModel();
    // The answer of a fetch for the previous group is dropped by its request number.
    ++m_request;
    m_inFlight = false;
    m_again = false;
    setState(State::Idle);
    if (!group.isEmpty()) refresh();
}

void GroupLagModel::refresh() {
    if (m_group.isEmpty()) return;
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_inFlight = true;
    setState(State::Loading);
    const quint64 request = ++m_request;
    m_admin.describeConsumerGroupLag(
        m_group.toStdString(), [guard = m_guard.handle(), request](Result<client::ConsumerGroupLag> result) {
            std::shared_ptr<client::ConsumerGroupLag> lag;
            QString error;
            if (result.ok())
                lag = std::make_shared<client::ConsumerGroupLag>(std::move(result.value()));
            else
                error = QString::fromStdString(result.error().message);
            guard.post([request, lag, error](GroupLagModel* model) { model->deliver(request, lag, error); });
        });
}

void GroupLagModel::deliver(quint64 request, std::shared_ptr<client::ConsumerGroupLag> lag, const QString& error) {
    if (request != m_request) return;
    m_inFlight = false;
    if (!lag) {
        setState(State::Failed, error.isEmpty() ? tr("The group's lag could not be read.") : error);
        emit errorOccurred(m_error);
    } else {
        std::vector<Row> next;
        next.reserve(lag->partitions.size());
        for (const client::PartitionLag& p : lag->partitions) {
            Row r;
            r.topic = QString::fromStdString(p.partition.topic);
            r.partition = p.partition.partition;
            r.committed = p.committedOffset.value_or(-1);
            r.endOffset = p.logEndOffset.value_or(-1);
            r.lag = p.lag.value_or(-1);
            r.memberId = QString::fromStdString(p.memberId);
            r.clientId = QString::fromStdString(p.clientId);
            r.host = QString::fromStdString(p.host);
            if (!p.status.ok()) r.error = QString::fromStdString(p.status.error().message);
            next.push_back(std::move(r));
        }
        m_groupState = QString::fromStdString(lag->state);
        const KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                                   [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
        applyKeyedDiff(*this, hooks, m_rows, std::move(next), [](const Row& r) { return keyOf(r); });
        setState(State::Ready);
        emit refreshed();
    }
    if (m_again) {
        m_again = false;
        refresh();
    }
}

void GroupLagModel::setState(State state, const QString& error) {
    if (state == m_state && error == m_error) return;
    m_state = state;
    m_error = error;
    emit stateChanged(state);
}

}  // namespace partita::models
