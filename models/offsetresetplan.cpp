// OffsetResetPlan: computing a reset plan on engine threads (group lag, then log start / end and
// timestamp offsets), showing it as a table, and applying it only to an inactive group.
#include "models/offsetresetplan.h"

#include "models/keyeddiff.h"

#include <QLocale>

#include <algorithm>
#include <tuple>

namespace partita::models {

namespace {

auto keyOf(const OffsetResetPlan::Row& r) {
    return std::tie(r.topic, r.partition);
}

QString number(qint64 value) {
    return value < 0 ? QString() : QLocale().toString(value);
}

client::TopicPartition partitionOf(const OffsetResetPlan::Row& r) {
    return {r.topic.toStdString(), r.partition};
}

}  // namespace

// One build: the stages run one after another on engine threads, each filling `rows`.
struct OffsetResetPlan::Job : std::enable_shared_from_this<Job> {
    client::Admin admin;
    CallbackGuard<OffsetResetPlan>::Handle guard;
    quint64 request = 0;
    std::string group;
    Strategy strategy = Strategy::Earliest;
    qint64 value = 0;
    QString topic;
    std::vector<Row> rows;

    explicit Job(client::Admin a) : admin(std::move(a)) {}

    void fail(const QString& error) { finish(error); }

    void finish(const QString& error) {
        guard.post(
            [request = request, rows = rows, error](OffsetResetPlan* p) { p->deliverPlan(request, rows, error); });
    }

    std::map<client::TopicPartition, int64_t> specs(int64_t spec) const {
        std::map<client::TopicPartition, int64_t> out;
        for (const Row& r : rows) out[partitionOf(r)] = spec;
        return out;
    }

    // Fills one field of each row from a listOffsets answer; a partition that failed gets its error.
    void take(const std::vector<client::ListedOffset>& listed, qint64 Row::*field) {
        for (const client::ListedOffset& l : listed) {
            auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) {
                return r.partition == l.partition.partition && r.topic.toStdString() == l.partition.topic;
            });
            if (it == rows.end()) continue;
            if (l.status.ok())
                (*it).*field = l.offset;
            else if (it->error.isEmpty())
                it->error = QString::fromStdString(l.status.error().message);
        }
    }

    void start() {
        auto self = shared_from_this();
        admin.describeConsumerGroupLag(group, [self](Result<client::ConsumerGroupLag> lag) {
            if (!lag.ok()) return self->fail(QString::fromStdString(lag.error().message));
            for (const client::PartitionLag& p : lag.value().partitions) {
                const QString t = QString::fromStdString(p.partition.topic);
                if (!self->topic.isEmpty() && t != self->topic) continue;
                Row r;
                r.topic = t;
                r.partition = p.partition.partition;
                r.current = p.committedOffset.value_or(-1);
                self->rows.push_back(std::move(r));
            }
            if (self->rows.empty()) return self->finish({});
            self->listStart();
        });
    }

    void listStart() {
        auto self = shared_from_this();
        admin.listOffsets(specs(client::OffsetSpec::kEarliest), client::IsolationLevel::ReadUncommitted,
                          [self](Result<std::vector<client::ListedOffset>> listed) {
                              if (!listed.ok()) return self->fail(QString::fromStdString(listed.error().message));
                              self->take(listed.value(), &Row::logStart);
                              self->listEnd();
                          });
    }

    void listEnd() {
        auto self = shared_from_this();
        admin.listOffsets(specs(client::OffsetSpec::kLatest), client::IsolationLevel::ReadUncommitted,
                          [self](Result<std::vector<client::ListedOffset>> listed) {
                              if (!listed.ok()) return self->fail(QString::fromStdString(listed.error().message));
                              self->take(listed.value(), &Row::logEnd);
                              if (self->strategy == Strategy::ToTimestamp)
                                  self->listTimestamp();
                              else
                                  self->compute();
                          });
    }

    void listTimestamp() {
        auto self = shared_from_this();
        // The spec of a timestamp is the timestamp itself; clamp negative ones to 0 so they are not
        // taken for kEarliest / kLatest.
        admin.listOffsets(specs(std::max<qint64>(value, 0)), client::IsolationLevel::ReadUncommitted,
                          [self](Result<std::vector<client::ListedOffset>> listed) {
                              if (!listed.ok()) return self->fail(QString::fromStdString(listed.error().message));
                              self->take(listed.value(), &Row::newOffset);
                              self->compute();
                          });
    }

    void compute() {
        for (Row& r : rows) {
            if (r.logStart < 0 || r.logEnd < 0) {
                r.newOffset = -1;
                continue;
            }
            qint64 target = 0;
            switch (strategy) {
                case Strategy::Earliest:
                    target = r.logStart;
                    break;
                case Strategy::Latest:
                    target = r.logEnd;
                    break;
                case Strategy::ToOffset:
                    target = value;
                    break;
                case Strategy::ToTimestamp:
                    // No record at or after the timestamp: the end, as Kafka's tool does.
                    target = r.newOffset < 0 ? r.logEnd : r.newOffset;
                    break;
                case Strategy::ShiftBy:
                    // A partition without a committed offset shifts from its end (a new consumer
                    // with auto.offset.reset=latest would start there).
                    target = (r.current >= 0 ? r.current : r.logEnd) + value;
                    break;
            }
            r.newOffset = std::clamp(target, r.logStart, r.logEnd);
            r.lagAfter = r.logEnd - r.newOffset;
        }
        finish({});
    }
};

OffsetResetPlan::OffsetResetPlan(client::Admin admin, QObject* parent)
    : QAbstractTableModel(parent), m_admin(std::move(admin)) {}

OffsetResetPlan::~OffsetResetPlan() {
    m_guard.detach();
}

int OffsetResetPlan::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int OffsetResetPlan::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const OffsetResetPlan::Row* OffsetResetPlan::planRow(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int OffsetResetPlan::rowOf(const QString& topic, int partition) const {
    return rowOfKey(m_rows, std::tie(topic, partition), [](const Row& r) { return keyOf(r); });
}

QVariant OffsetResetPlan::data(const QModelIndex& index, int role) const {
    const Row* r = index.isValid() ? planRow(index.row()) : nullptr;
    if (r == nullptr) return {};
    switch (role) {
        case TopicRole:
            return r->topic;
        case PartitionRole:
            return r->partition;
        case Qt::ToolTipRole:
            return r->error.isEmpty() ? QVariant() : QVariant(r->error);
        case Qt::TextAlignmentRole:
            if (index.column() != TopicColumn) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SortRole:
        case Qt::DisplayRole: {
            const bool raw = role == SortRole;
            switch (index.column()) {
                case TopicColumn:
                    return r->topic;
                case PartitionColumn:
                    return r->partition;
                case CurrentColumn:
                    return raw ? QVariant(r->current) : QVariant(number(r->current));
                case NewOffsetColumn:
                    return raw ? QVariant(r->newOffset) : QVariant(number(r->newOffset));
                case LagAfterColumn:
                    return raw ? QVariant(r->lagAfter) : QVariant(number(r->lagAfter));
            }
            return {};
        }
        default:
            return {};
    }
}

QVariant OffsetResetPlan::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case TopicColumn:
            return tr("Topic");
        case PartitionColumn:
            return tr("Partition");
        case CurrentColumn:
            return tr("Current offset");
        case NewOffsetColumn:
            return tr("New offset");
        case LagAfterColumn:
            return tr("Lag after");
    }
    return {};
}

void OffsetResetPlan::build(const QString& group, Strategy strategy, qint64 value, const QString& topic) {
    if (group != m_group) {
        // Another group's plan is a different table.
        beginResetModel();
        m_rows.clear();
        endResetModel();
        m_group = group;
    }
    m_ready = false;
    m_building = true;
    auto job = std::make_shared<Job>(m_admin);
    job->guard = m_guard.handle();
    job->request = ++m_request;
    job->group = group.toStdString();
    job->strategy = strategy;
    job->value = value;
    job->topic = topic;
    job->start();
}

void OffsetResetPlan::deliverPlan(quint64 request, std::vector<Row> rows, const QString& error) {
    if (request != m_request) return;
    m_building = false;
    if (!error.isEmpty()) {
        emit planFailed(error);
        return;
    }
    const KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                               [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
    applyKeyedDiff(*this, hooks, m_rows, std::move(rows), [](const Row& r) { return keyOf(r); });
    m_ready = true;
    emit planReady();
}

void OffsetResetPlan::apply() {
    if (m_applying) return;
    if (!m_ready || m_building) {
        emit applied(false, tr("There is no offset reset plan to apply yet."));
        return;
    }
    std::map<client::TopicPartition, client::OffsetAndMetadata> offsets;
    for (const Row& r : m_rows)
        if (r.newOffset >= 0) offsets[partitionOf(r)] = client::OffsetAndMetadata{r.newOffset, -1, {}};
    if (offsets.empty()) {
        emit applied(false, tr("The plan has no partition with a new offset."));
        return;
    }
    m_applying = true;
    // Checked now rather than when the plan was built: a consumer may have joined since. The
    // broker refuses an admin commit to a group with members too, but its error is less clear.
    const std::string group = m_group.toStdString();
    client::Admin admin = m_admin;
    auto post = [guard = m_guard.handle()](const QString& error) {
        guard.post([error](OffsetResetPlan* p) { p->deliverApply(error); });
    };
    m_admin.describeConsumerGroups(
        {group}, {},
        [admin, group, offsets, post](Result<std::vector<client::ConsumerGroupDescription>> described) mutable {
            if (!described.ok() || described.value().empty())
                return post(described.ok() ? tr("The group could not be described.")
                                           : QString::fromStdString(described.error().message));
            const client::ConsumerGroupDescription& d = described.value().front();
            if (!d.status.ok()) return post(QString::fromStdString(d.status.error().message));
            if (d.state != "Empty" && d.state != "Dead") {
                return post(tr("The group '%1' is not empty: it has %n active member(s) (state %2). Offsets can only "
                               "be reset while no consumer of the group runs.",
                               nullptr, int(d.members.size()))
                                .arg(QString::fromStdString(group), QString::fromStdString(d.state)));
            }
            admin.alterConsumerGroupOffsets(
                group, std::move(offsets), [post](Result<std::vector<client::PartitionStatus>> altered) {
                    if (!altered.ok()) return post(QString::fromStdString(altered.error().message));
                    const Status failed = client::firstFailure(altered.value());
                    post(failed.ok() ? QString() : QString::fromStdString(failed.error().message));
                });
        });
}

void OffsetResetPlan::deliverApply(const QString& error) {
    m_applying = false;
    emit applied(error.isEmpty(), error);
}

}  // namespace partita::models
