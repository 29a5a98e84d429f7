// MessageModel: the message browser's lazy table over one topic (see messagemodel.h).
#include "models/messagemodel.h"

#include "engine/client/consumer.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/topicscanner.h"
#include "models/clustersession.h"

#include <QDateTime>
#include <QFont>
#include <QTimer>
#include <QUtf8StringView>

#include <algorithm>
#include <tuple>

namespace partita::models {

namespace {

constexpr int kPreviewChars = 200;

auto sortKey(const MessageModel::Row& row) {
    return std::tie(row.timestamp, row.partition, row.offset);
}

bool rowLess(const MessageModel::Row& a, const MessageModel::Row& b) {
    return sortKey(a) < sortKey(b);
}

std::optional<QByteArray> copyBytes(const std::optional<Bytes>& bytes) {
    if (!bytes) return std::nullopt;
    return QByteArray(reinterpret_cast<const char*>(bytes->data()), qsizetype(bytes->size()));
}

// Turns one poll into owned rows on the engine thread, so the GUI thread only inserts. Takes at
// most `quota` records per partition and, when `until` names the partition, only offsets below it.
MessageModel::PollResult convert(Result<client::FetchResult> polled, size_t quota, const std::map<int, qint64>* until) {
    MessageModel::PollResult out;
    if (!polled.ok()) {
        out.cancelled = polled.error().kind == ErrorKind::Cancelled;
        out.error = QString::fromStdString(polled.error().message);
        return out;
    }
    for (const auto& fetch : polled.value().partitions) {
        MessageModel::PartitionPoll info;
        info.partition = fetch.partition.partition;
        info.fetchOffset = fetch.fetchOffset;
        info.nextOffset = fetch.nextOffset;
        info.highWatermark = fetch.highWatermark;
        info.lastStable = fetch.lastStableOffset;
        info.logStart = fetch.logStartOffset;
        if (fetch.error) info.error = QString::fromStdString(fetch.error->message);
        for (const client::TransactionMarker& marker : fetch.records.markers())
            info.markers.push_back({marker.producerId, marker.offset, marker.commit});
        qint64 limit = -1;
        if (until) {
            auto it = until->find(info.partition);
            if (it != until->end()) limit = it->second;
        }
        size_t taken = 0;
        auto cursor = fetch.records.cursor();
        client::FetchedRecord record;
        while (cursor.next(record)) {
            if (limit >= 0 && record.offset >= limit) {
                info.nextOffset = limit;
                break;
            }
            if (taken == quota) {
                info.nextOffset = record.offset;
                info.truncated = true;
                break;
            }
            out.rows.push_back(MessageModel::rowFromRecord(info.partition, record.toOwned()));
            ++taken;
        }
        if (!cursor.status().ok() && info.error.isEmpty())
            info.error = QString::fromStdString(cursor.status().error().message);
        out.partitions.push_back(std::move(info));
    }
    return out;
}

// Whether a poll advanced some partition, records or not (aborted batches, markers).
bool movedOn(const MessageModel::PollResult& result) {
    for (const auto& info : result.partitions)
        if (info.error.isEmpty() && info.nextOffset > info.fetchOffset) return true;
    return false;
}

// Seeks and pauses only partitions the consumer was just assigned, with non-negative offsets,
// which cannot fail.
void seekAssigned(client::Consumer& consumer, const QString& topic, int partition, client::StartPosition position) {
    const Status moved = consumer.seek({topic.toStdString(), partition}, position);
    Q_ASSERT(moved.ok());
    (void)moved;
}

}  // namespace

MessageModel::MessageModel(ClusterSession* session, QObject* parent)
    : QAbstractTableModel(parent), m_session(session) {}

MessageModel::~MessageModel() {
    m_guard.detach();
    if (m_consumer) m_consumer->close();
    if (m_older) m_older->close();
}

MessageModel::Row MessageModel::rowFromRecord(int partition, const client::ConsumerRecord& record) {
    Row row;
    row.partition = partition;
    row.offset = record.offset;
    row.timestamp = record.timestamp;
    row.logAppendTime = record.timestampType == protocol::records::TimestampType::LogAppendTime;
    row.transactional = record.isTransactional;
    row.aborted = record.aborted;
    row.producerId = record.producerId;
    row.codec = qint8(record.codec);
    row.headerCount = int(record.headers.size());
    row.key = copyBytes(record.key);
    row.value = copyBytes(record.value);
    row.size = (row.key ? row.key->size() : 0) + (row.value ? row.value->size() : 0);
    for (const auto& header : record.headers) {
        QVariantMap pair;
        pair.insert(QStringLiteral("name"), QString::fromStdString(header.key));
        auto value = copyBytes(header.value);
        pair.insert(QStringLiteral("value"), value ? QVariant(*value) : QVariant());
        row.size += qint64(header.key.size()) + (value ? value->size() : 0);
        row.headers.append(pair);
    }
    row.keyPreview = preview(row.key);
    row.valuePreview = preview(row.value);
    return row;
}

QString MessageModel::preview(const std::optional<QByteArray>& bytes) {
    if (!bytes) return tr("(null)");
    // Only the head is looked at; a character cut at its end is dropped before checking UTF-8.
    QByteArray head = bytes->left(kPreviewChars * 4);
    if (head.size() < bytes->size()) {
        qsizetype end = head.size();
        int back = 0;
        while (end > 0 && back < 4 && (uchar(head.at(end - 1)) & 0xC0) == 0x80) {
            --end;
            ++back;
        }
        if (end > 0 && (uchar(head.at(end - 1)) & 0x80) != 0) --end;  // the lead byte of the cut character
        head.truncate(end);
    }
    bool printable = QUtf8StringView(head).isValidUtf8();
    if (printable) {
        for (char c : head) {
            const uchar u = uchar(c);
            if ((u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7F) {
                printable = false;
                break;
            }
        }
    }
    if (!printable) {
        QString hex = QString::fromLatin1(bytes->left(kPreviewChars / 3).toHex(' '));
        if (bytes->size() > kPreviewChars / 3) hex += QStringLiteral(" …");
        return hex;
    }
    QString text = QString::fromUtf8(head);
    const bool cut = text.size() > kPreviewChars || head.size() < bytes->size();
    text.truncate(kPreviewChars);
    for (QChar& c : text)
        if (c == u'\n' || c == u'\r' || c == u'\t') c = u' ';
    if (cut) text += QStringLiteral("…");
    return text;
}

void MessageModel::setTimestampsInUtc(bool utc) {
    if (m_utc == utc) return;
    m_utc = utc;
    if (!m_rows.empty()) emit dataChanged(index(0, Timestamp), index(int(m_rows.size()) - 1, Timestamp));
}

QList<int> MessageModel::partitions() const {
    QList<int> list;
    for (const auto& [partition, state] : m_partitions) list.append(partition);
    return list;
}

bool MessageModel::atBeginning() const {
    if (m_partitions.empty()) return false;
    for (const auto& [partition, state] : m_partitions)
        if (state.top < 0 || state.top > qMax<qint64>(state.logStart, 0)) return false;
    return true;
}

void MessageModel::setLoading(bool loading) {
    if (m_loading == loading) return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void MessageModel::reportError(const QString& message) {
    // A broker that stays away would otherwise repeat the same message on every retry.
    if (message == m_lastError) return;
    m_lastError = message;
    emit errorOccurred(message);
}

void MessageModel::close() {
    ++m_generation;
    ++m_newerSequence;
    ++m_olderSequence;
    if (m_consumer) m_consumer->close();
    if (m_older) m_older->close();
    m_consumer.reset();
    m_older.reset();
    m_newerActive = m_olderActive = m_wantNewer = false;
    m_atEnd = false;
    m_lastError.clear();
    m_markers.clear();
    m_scanner.reset();  // cancels it; a late callback is dropped by the generation
    m_searchMode = false;
    m_searchStats = {};
    if (m_follow) {
        m_follow = false;
        emit followChanged(false);
    }
    beginResetModel();
    m_rows.clear();
    m_bytes = 0;
    m_partitions.clear();
    endResetModel();
    setLoading(false);
}

void MessageModel::open(const QString& topic, const QList<int>& partitions, const Start& start) {
    close();
    m_topic = topic;
    m_start = start;
    auto admin = m_session->admin();
    if (!admin) {
        reportError(m_session->lastError().isEmpty() ? tr("no connection to the cluster") : m_session->lastError());
        return;
    }
    setLoading(true);
    const quint64 generation = m_generation;
    const std::vector<int> wanted(partitions.begin(), partitions.end());
    const std::string name = topic.toStdString();
    admin->describeTopics({name}, [guard = m_guard.handle(), generation, wanted, admin, name,
                                   group = start.kind == Start::Kind::Group ? start.group.toStdString()
                                                                            : std::string()](auto described) mutable {
        QString error;
        std::vector<int> chosen;
        if (!described.ok())
            error = QString::fromStdString(described.error().message);
        else if (described.value().empty())
            error = tr("topic %1 not found").arg(QString::fromStdString(name));
        else if (!described.value().front().status.ok())
            error = QString::fromStdString(described.value().front().status.error().message);
        else {
            for (const auto& p : described.value().front().partitions)
                if (wanted.empty() || std::find(wanted.begin(), wanted.end(), p.partition) != wanted.end())
                    chosen.push_back(p.partition);
            if (chosen.size() < wanted.size())
                error = tr("topic %1 has no such partition").arg(QString::fromStdString(name));
        }
        if (!error.isEmpty() || group.empty()) {
            guard.post([generation, chosen, error](MessageModel* model) {
                if (generation != model->m_generation) return;
                if (!error.isEmpty()) {
                    model->setLoading(false);
                    model->reportError(error);
                    return;
                }
                model->startReading(generation, chosen, {});
            });
            return;
        }
        std::vector<client::TopicPartition> tps;
        for (int p : chosen) tps.push_back({name, p});
        admin->listConsumerGroupOffsets(group, tps, [guard, generation, chosen](auto offsets) {
            QString error;
            std::map<int, qint64> committed;
            if (!offsets.ok())
                error = QString::fromStdString(offsets.error().message);
            else
                for (const auto& c : offsets.value())
                    if (c.status.ok() && c.offset >= 0) committed[c.partition.partition] = c.offset;
            guard.post([generation, chosen, committed, error](MessageModel* model) {
                if (generation != model->m_generation) return;
                if (!error.isEmpty()) {
                    model->setLoading(false);
                    model->reportError(error);
                    return;
                }
                model->startReading(generation, chosen, committed);
            });
        });
    });
}

std::shared_ptr<client::Consumer> MessageModel::newConsumer(const std::vector<int>& partitions) const {
    client::ConsumerConfig config;
    config.isolationLevel = m_isolation;
    config.autoOffsetReset = client::OffsetResetPolicy::Earliest;
    // The model seeks back after taking part of a fetch; a prefetch would only be dropped.
    config.prefetch = false;
    auto consumer = std::make_shared<client::Consumer>(m_session->client(), config);
    std::vector<client::TopicPartition> tps;
    for (int p : partitions) tps.push_back({m_topic.toStdString(), p});
    consumer->assign(std::move(tps));
    return consumer;
}

void MessageModel::startReading(quint64 generation, std::vector<int> partitions, std::map<int, qint64> committed) {
    if (generation != m_generation) return;
    m_consumer = newConsumer(partitions);
    const qint64 perPartition =
        partitions.empty() ? 0 : (m_start.value + qint64(partitions.size()) - 1) / qint64(partitions.size());
    for (int p : partitions) {
        m_partitions[p] = PartitionState{};
        client::StartPosition position = client::StartPosition::beginning();
        switch (m_start.kind) {
            case Start::Kind::Beginning:
                break;
            case Start::Kind::End:
                position = client::StartPosition::end();
                break;
            case Start::Kind::FromEnd:
                position = client::StartPosition::fromEnd(perPartition);
                break;
            case Start::Kind::Offset:
                position = client::StartPosition::offset(qMax<qint64>(0, m_start.value));
                break;
            case Start::Kind::Timestamp:
                position = client::StartPosition::timestamp(m_start.value);
                break;
            case Start::Kind::Group:
                if (auto it = committed.find(p); it != committed.end())
                    position = client::StartPosition::offset(it->second);
                break;
        }
        seekAssigned(*m_consumer, m_topic, p, position);
    }
    emit opened();
    m_wantNewer = true;
    m_pageReceived = 0;
    pollNewer();
}

int MessageModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MessageModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_rows.size())) return {};
    const Row& row = m_rows[size_t(index.row())];
    switch (role) {
        case KeyBytesRole:
            return row.key ? QVariant(*row.key) : QVariant();
        case ValueBytesRole:
            return row.value ? QVariant(*row.value) : QVariant();
        case HeadersRole:
            return row.headers;
        case IsTransactionalRole:
            return row.transactional;
        case AbortedRole:
            return row.aborted;
        case PartitionRole:
            return row.partition;
        case OffsetRole:
            return row.offset;
        case TimestampMsRole:
            return row.timestamp;
        default:
            break;
    }
    if (role == Qt::FontRole && row.aborted) {
        QFont font;
        font.setStrikeOut(true);
        return font;
    }
    if (role == Qt::ToolTipRole && row.aborted) return tr("Part of an aborted transaction");
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
            case Partition:
            case Offset:
            case HeaderCount:
            case Size:
                return int(Qt::AlignRight | Qt::AlignVCenter);
            default:
                return {};
        }
    }
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole) return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
        case Partition:
            return row.partition;
        case Offset:
            return row.offset;
        case Timestamp:
            if (sort) return row.timestamp;
            if (row.timestamp < 0) return QString();
            return QDateTime::fromMSecsSinceEpoch(row.timestamp, m_utc ? Qt::UTC : Qt::LocalTime)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        case TimestampType:
            return row.logAppendTime ? tr("log append") : tr("create");
        case Key:
            return row.keyPreview;
        case Value:
            return row.valuePreview;
        case HeaderCount:
            return row.headerCount;
        case Size:
            return row.size;
        case Codec:
            return QString::fromLatin1(
                protocol::records::compressionTypeName(protocol::records::CompressionType(row.codec)));
        default:
            return {};
    }
}

QVariant MessageModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Partition:
            return tr("Partition");
        case Offset:
            return tr("Offset");
        case Timestamp:
            return tr("Timestamp");
        case TimestampType:
            return tr("Time type");
        case Key:
            return tr("Key");
        case Value:
            return tr("Value");
        case HeaderCount:
            return tr("Headers");
        case Size:
            return tr("Size");
        case Codec:
            return tr("Codec");
        default:
            return {};
    }
}

bool MessageModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_consumer && !m_atEnd && !m_follow && !m_wantNewer;
}

void MessageModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) return;
    m_wantNewer = true;
    m_pageReceived = 0;
    setLoading(true);
    pollNewer();
}

void MessageModel::setFollow(bool follow) {
    if (m_follow == follow) return;
    m_follow = follow;
    emit followChanged(follow);
    if (follow && m_consumer) pollNewer();
}

void MessageModel::pollNewer() {
    if (!m_consumer || m_newerActive) return;
    m_newerActive = true;
    const quint64 sequence = ++m_newerSequence;
    const size_t quota = size_t(qMax(1, m_pageSize / qMax(1, int(m_partitions.size()))));
    m_consumer->poll([guard = m_guard.handle(), sequence, quota](Result<client::FetchResult> polled) {
        auto result = std::make_shared<PollResult>(convert(std::move(polled), quota, nullptr));
        guard.post([sequence, result](MessageModel* model) { model->onNewer(sequence, std::move(*result)); });
    });
}

bool MessageModel::computeAtEnd() const {
    for (const auto& [partition, state] : m_partitions) {
        const qint64 end = m_isolation == client::IsolationLevel::ReadCommitted && state.lastStable >= 0
                               ? state.lastStable
                               : state.highWatermark;
        if (end < 0 || state.bottom < end) return false;
    }
    return true;
}

void MessageModel::onNewer(quint64 sequence, PollResult result) {
    if (sequence != m_newerSequence) return;
    m_newerActive = false;
    QString error = result.error;
    for (const auto& info : result.partitions) {
        auto it = m_partitions.find(info.partition);
        if (it == m_partitions.end()) continue;
        PartitionState& state = it->second;
        if (!info.error.isEmpty()) {
            if (error.isEmpty()) error = info.error;
            continue;
        }
        if (state.top < 0) state.top = info.fetchOffset;
        state.bottom = info.nextOffset;
        if (info.highWatermark >= 0) state.highWatermark = info.highWatermark;
        if (info.lastStable >= 0) state.lastStable = info.lastStable;
        if (info.logStart >= 0) state.logStart = info.logStart;
        if (info.truncated)
            seekAssigned(*m_consumer, m_topic, info.partition, client::StartPosition::offset(info.nextOffset));
    }
    const bool gotRows = !result.rows.empty();
    m_pageReceived += int(result.rows.size());
    addMarkers(result);
    insertSorted(std::move(result.rows));
    trimTop();

    if (!error.isEmpty()) {
        // A later fetchMore (or, when following, a retry after a pause) tries again.
        reportError(error);
        m_wantNewer = false;
        setLoading(false);
        if (m_follow)
            QTimer::singleShot(1000, this, [this] {
                if (m_follow) pollNewer();
            });
        return;
    }
    if (gotRows) m_lastError.clear();
    // Nothing came back within fetch.max.wait.ms: the end as far as this fetch can tell (a fetch
    // that only passed over aborted batches or markers moved on, and is not the end).
    const bool atEnd =
        computeAtEnd() || (!gotRows && !movedOn(result) && !result.partitions.empty() && !result.cancelled);
    if (atEnd != m_atEnd) {
        m_atEnd = atEnd;
        if (atEnd) emit reachedEnd();
    }
    if (m_follow) {
        m_wantNewer = false;
        if (!m_olderActive) setLoading(false);
        pollNewer();
        return;
    }
    if (m_wantNewer && !m_atEnd && m_pageReceived < m_pageSize) {
        pollNewer();
        return;
    }
    m_wantNewer = false;
    if (!m_olderActive) setLoading(false);
}

void MessageModel::fetchOlder() {
    if (!m_consumer || m_olderActive) return;
    const qint64 span = qMax<qint64>(1, m_pageSize / qMax<qint64>(1, qint64(m_partitions.size())));
    m_olderUntil.clear();
    m_olderFrom.clear();
    std::vector<int> partitions;
    for (const auto& [partition, state] : m_partitions) {
        const qint64 start = qMax<qint64>(state.logStart, 0);
        if (state.top < 0 || state.top <= start) continue;
        const qint64 from = qMax(start, state.top - span);
        m_olderFrom[partition] = from;
        m_olderUntil[partition] = state.top;
        partitions.push_back(partition);
    }
    if (partitions.empty()) {
        emit reachedBeginning();
        return;
    }
    m_older = newConsumer(partitions);
    for (int p : partitions) seekAssigned(*m_older, m_topic, p, client::StartPosition::offset(m_olderFrom[p]));
    m_olderActive = true;
    setLoading(true);
    pollOlder();
}

void MessageModel::pollOlder() {
    const quint64 sequence = ++m_olderSequence;
    auto until = std::make_shared<const std::map<int, qint64>>(m_olderUntil);
    m_older->poll([guard = m_guard.handle(), sequence, until](Result<client::FetchResult> polled) {
        auto result = std::make_shared<PollResult>(convert(std::move(polled), size_t(-1), until.get()));
        guard.post([sequence, result](MessageModel* model) { model->onOlder(sequence, std::move(*result)); });
    });
}

void MessageModel::onOlder(quint64 sequence, PollResult result) {
    if (sequence != m_olderSequence) return;
    QString error = result.error;
    const bool gotRows = !result.rows.empty();
    addMarkers(result);
    insertSorted(std::move(result.rows));
    for (const auto& info : result.partitions) {
        auto until = m_olderUntil.find(info.partition);
        if (until == m_olderUntil.end()) continue;
        if (!info.error.isEmpty()) {
            if (error.isEmpty()) error = info.error;
            continue;
        }
        if (info.logStart >= 0) m_partitions[info.partition].logStart = info.logStart;
        if (info.nextOffset >= until->second) {
            // The gap up to the old top is filled: the window starts where this fetch started.
            m_partitions[info.partition].top = m_olderFrom[info.partition];
            (void)m_older->pause({m_topic.toStdString(), info.partition});  // assigned: cannot fail
            m_olderUntil.erase(until);
        }
    }
    if (!error.isEmpty()) {
        reportError(error);
        finishOlder();
        return;
    }
    if (m_olderUntil.empty() || (!gotRows && !movedOn(result) && !result.partitions.empty()) || result.cancelled) {
        finishOlder();
        return;
    }
    pollOlder();
}

void MessageModel::finishOlder() {
    ++m_olderSequence;
    if (m_older) m_older->close();
    m_older.reset();
    m_olderActive = false;
    trimBottom();
    if (!m_wantNewer) setLoading(false);
    if (atBeginning()) emit reachedBeginning();
}

void MessageModel::addMarkers(PollResult& result) {
    if (m_isolation != client::IsolationLevel::ReadUncommitted) return;  // read_committed drops aborted records
    bool newAbort = false;
    for (const auto& info : result.partitions)
        for (const TxnMarker& marker : info.markers) {
            m_markers[{info.partition, marker.producerId}][marker.offset] = marker.commit;
            newAbort = newAbort || !marker.commit;
        }
    for (Row& row : result.rows) resolveAborted(row);
    if (!newAbort) return;
    // Rows loaded before their transaction ended (a page boundary, the live tail).
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (resolveAborted(m_rows[i])) emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
}

bool MessageModel::resolveAborted(Row& row) const {
    if (!row.transactional || row.aborted) return false;
    const auto markers = m_markers.find({row.partition, row.producerId});
    if (markers == m_markers.end()) return false;
    const auto end = markers->second.upper_bound(row.offset);
    if (end == markers->second.end() || end->second) return false;
    row.aborted = true;
    return true;
}

void MessageModel::insertSorted(std::vector<Row> rows) {
    if (rows.empty()) return;
    std::sort(rows.begin(), rows.end(), rowLess);
    for (const Row& row : rows) m_bytes += row.size;
    size_t i = 0;
    while (i < rows.size()) {
        // New rows that land between the same two old rows go in with one insertion.
        const auto at = std::upper_bound(m_rows.begin(), m_rows.end(), rows[i], rowLess);
        const size_t position = size_t(at - m_rows.begin());
        size_t j = i + 1;
        if (at == m_rows.end())
            j = rows.size();
        else
            while (j < rows.size() && rowLess(rows[j], *at)) ++j;
        beginInsertRows({}, int(position), int(position + (j - i)) - 1);
        m_rows.insert(m_rows.begin() + qsizetype(position), std::make_move_iterator(rows.begin() + qsizetype(i)),
                      std::make_move_iterator(rows.begin() + qsizetype(j)));
        endInsertRows();
        i = j;
    }
}

size_t MessageModel::excessRows(bool fromTop) const {
    size_t excess = m_rows.size() > size_t(m_maxRows) ? m_rows.size() - size_t(m_maxRows) : 0;
    // Large values: the byte budget drops more rows, from the same end (one row always stays).
    qint64 bytes = m_bytes;
    for (size_t i = 0; i < excess; ++i) bytes -= m_rows[fromTop ? i : m_rows.size() - 1 - i].size;
    while (bytes > m_maxBytes && excess + 1 < m_rows.size()) {
        bytes -= m_rows[fromTop ? excess : m_rows.size() - 1 - excess].size;
        ++excess;
    }
    return excess;
}

void MessageModel::trimTop() {
    const size_t excess = excessRows(true);
    if (excess == 0) return;
    for (size_t i = 0; i < excess; ++i) {
        auto& state = m_partitions[m_rows[i].partition];
        state.top = qMax(state.top, m_rows[i].offset + 1);
    }
    for (size_t i = 0; i < excess; ++i) m_bytes -= m_rows[i].size;
    beginRemoveRows({}, 0, int(excess) - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + qsizetype(excess));
    endRemoveRows();
}

void MessageModel::trimBottom() {
    const size_t excess = excessRows(false);
    if (excess == 0) return;
    const size_t keep = m_rows.size() - excess;
    std::map<int, qint64> newBottom;
    for (size_t i = keep; i < m_rows.size(); ++i) {
        auto [it, inserted] = newBottom.emplace(m_rows[i].partition, m_rows[i].offset);
        if (!inserted) it->second = qMin(it->second, m_rows[i].offset);
    }
    for (size_t i = keep; i < m_rows.size(); ++i) m_bytes -= m_rows[i].size;
    beginRemoveRows({}, int(keep), int(m_rows.size()) - 1);
    m_rows.erase(m_rows.begin() + qsizetype(keep), m_rows.end());
    endRemoveRows();
    // The tail is no longer loaded: stop following, drop a poll in flight and read it again later.
    if (m_follow) {
        m_follow = false;
        emit followChanged(false);
    }
    if (m_newerActive && m_consumer) {
        ++m_newerSequence;
        m_newerActive = false;
        m_wantNewer = false;
        // The cancelled poll must be gone before the next one; a fresh consumer avoids waiting.
        m_consumer->close();
        std::vector<int> all;
        for (const auto& [partition, state] : m_partitions) all.push_back(partition);
        m_consumer = newConsumer(all);
        for (const auto& [partition, state] : m_partitions)
            if (state.bottom >= 0)
                seekAssigned(*m_consumer, m_topic, partition, client::StartPosition::offset(state.bottom));
    }
    for (const auto& [partition, offset] : newBottom) {
        auto& state = m_partitions[partition];
        state.bottom = qMin(state.bottom, offset);
        seekAssigned(*m_consumer, m_topic, partition, client::StartPosition::offset(state.bottom));
    }
    m_atEnd = false;
}

}  // namespace partita::models
