// MessageModel: the message browser's lazy table over one topic, fed by the browsing Consumer,
// fetching newer and older pages, keeping a bounded window sorted by time, and following the tail.
#pragma once

#include "engine/client/admin.h"
#include "engine/client/consumerconfig.h"
#include "models/callbackguard.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariantList>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace partita::client {
class Consumer;
class KafkaClient;
class TopicScanner;
struct ConsumerRecord;
struct ScanRequest;
}  // namespace partita::client

namespace partita::models {

class ClusterSession;

class MessageModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Partition, Offset, Timestamp, TimestampType, Key, Value, HeaderCount, Size, Codec, ColumnCount };
    Q_ENUM(Column)

    // Roles for the detail pane (any column of the row answers them).
    enum Role {
        KeyBytesRole = Qt::UserRole + 1,  // QByteArray; a null QVariant for a null key
        ValueBytesRole,                   // QByteArray; a null QVariant for a null value
        HeadersRole,                      // QVariantList of QVariantMap {"name": QString, "value": QByteArray or null}
        IsTransactionalRole,              // bool
        AbortedRole,                      // bool (only ever true with read_uncommitted when the engine knows)
        PartitionRole,                    // int
        OffsetRole,                       // qint64
        TimestampMsRole,                  // qint64 ms since the epoch (-1: none)
        SortRole,                         // the column's value for sorting (numbers as numbers)
    };

    // Where open() starts each partition.
    struct Start {
        enum class Kind { Beginning, End, FromEnd, Offset, Timestamp, Group };
        Kind kind = Kind::Beginning;
        qint64 value = 0;  // FromEnd: records in all (spread over the partitions); Offset; Timestamp ms
        QString group;     // Group: its committed offsets (the beginning where it has none)

        static Start beginning() { return {Kind::Beginning, 0, {}}; }
        static Start end() { return {Kind::End, 0, {}}; }
        static Start last(qint64 count) { return {Kind::FromEnd, count, {}}; }
        static Start offset(qint64 offset) { return {Kind::Offset, offset, {}}; }
        static Start timestamp(qint64 msSinceEpoch) { return {Kind::Timestamp, msSinceEpoch, {}}; }
        static Start committed(const QString& group) { return {Kind::Group, 0, group}; }
    };

    // The session must outlive the model.
    explicit MessageModel(ClusterSession* session, QObject* parent = nullptr);
    ~MessageModel() override;

    // Settings read by the next open().
    void setIsolation(client::IsolationLevel level) { m_isolation = level; }
    client::IsolationLevel isolation() const { return m_isolation; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    int pageSize() const { return m_pageSize; }
    // Rows kept at most; beyond it rows at the far end of the window are dropped.
    void setMaxRows(int rows) { m_maxRows = qMax(1, rows); }
    int maxRows() const { return m_maxRows; }
    // Key, value and header bytes kept at most (rows of large values are dropped the same way).
    void setMaxBytes(qint64 bytes) { m_maxBytes = qMax<qint64>(1, bytes); }
    qint64 maxBytes() const { return m_maxBytes; }
    // Display of the timestamp column (the default is local time).
    void setTimestampsInUtc(bool utc);

    // Resets the model, then loads the first page asynchronously. `partitions` empty: all.
    void open(const QString& topic, const QList<int>& partitions, const Start& start);
    void close();
    QString topic() const { return m_topic; }
    QList<int> partitions() const;

    bool isLoading() const { return m_loading; }
    bool isFollowing() const { return m_follow; }
    bool atBeginning() const;
    bool atEnd() const { return m_atEnd; }

    // A search in the engine over the range asked for (the start position up to the end offsets
    // when it starts, or up to `untilMs`): the rows become the matches as they are found, in time
    // order, at most maxRows() of them. `partitions` empty: all. Returns false when the expression
    // does not parse (errorOccurred says why) or `from` is a group's offsets (a search starts at
    // one position for every partition).
    struct SearchRange {
        Start from = Start::beginning();
        qint64 untilMs = -1;  // -1: no time bound
    };
    bool search(const QString& topic, const QList<int>& partitions, const QString& expression,
                const SearchRange& range);
    void cancelSearch();
    bool isSearching() const { return m_scanner != nullptr; }
    // The rows are search results (until the next open()).
    bool inSearchMode() const { return m_searchMode; }
    struct SearchStats {
        quint64 scanned = 0;
        quint64 matched = 0;
        quint64 doneOffsets = 0;   // the work done ...
        quint64 totalOffsets = 0;  // ... of this much (offsets in the range)
        qint64 elapsedMs = 0;
        bool finished = false;
        bool cancelled = false;
        bool limitReached = false;  // stopped at maxRows() matches (or maxBytes() of them)
        QString error;
    };
    const SearchStats& searchStats() const { return m_searchStats; }
    // The last search's request without the row limit (null before the first): what "export the
    // search result" runs again, writing every match.
    std::shared_ptr<const client::ScanRequest> lastSearch() const { return m_lastSearch; }
    // Empty when `expression` is a valid search expression, else the parser's message; `column`
    // (1-based) receives where it failed.
    static QString checkExpression(const QString& expression, int* column = nullptr);

    // Loads the page before the first loaded offset of each partition, inserted at the top.
    void fetchOlder();
    // Live tail: keeps polling at the end and appends what arrives; false pauses.
    void setFollow(bool follow);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // How a key or value is shown in a cell: "(null)", text (first ~200 characters, line breaks
    // as spaces) or, when not printable UTF-8, hex. Public for the detail pane and tests.
    static QString preview(const std::optional<QByteArray>& bytes);

    // One loaded record (owned copies: nothing points into fetched buffers).
    struct Row {
        int partition = 0;
        qint64 offset = 0;
        qint64 timestamp = -1;
        bool logAppendTime = false;
        bool transactional = false;
        bool aborted = false;
        qint64 producerId = -1;
        qint8 codec = 0;
        int headerCount = 0;
        qint64 size = 0;
        std::optional<QByteArray> key;
        std::optional<QByteArray> value;
        QVariantList headers;
        QString keyPreview;
        QString valuePreview;
    };
    // A transaction marker a poll passed over (read_uncommitted marks aborted rows with them).
    struct TxnMarker {
        qint64 producerId = -1;
        qint64 offset = 0;
        bool commit = false;
    };
    // The loaded row at `row` (0 <= row < rowCount()).
    const Row& row(int row) const { return m_rows[size_t(row)]; }

    // An owned row of a record (on any thread).
    static Row rowFromRecord(int partition, const client::ConsumerRecord& record);
    // What one poll brought for one partition.
    struct PartitionPoll {
        int partition = 0;
        qint64 fetchOffset = -1;
        qint64 nextOffset = -1;  // after the records taken (may be before the fetch's end)
        bool truncated = false;  // more was fetched than taken: seek to nextOffset
        qint64 highWatermark = -1;
        qint64 lastStable = -1;
        qint64 logStart = -1;
        std::vector<TxnMarker> markers;
        QString error;
    };
    struct PollResult {
        std::vector<Row> rows;
        std::vector<PartitionPoll> partitions;
        QString error;  // the poll itself failed
        bool cancelled = false;
    };

signals:
    void loadingChanged(bool loading);
    void followChanged(bool following);
    void errorOccurred(const QString& message);
    void reachedBeginning();
    void reachedEnd();
    // open() resolved its partitions and started reading.
    void opened();
    // searchStats() changed (at most every 100 ms), and once more when the search is over.
    void searchProgress();
    void searchFinished();

private:
    struct PartitionState {
        qint64 top = -1;     // lowest offset the window covers (-1: before the first fetch)
        qint64 bottom = -1;  // next offset to fetch at the end
        qint64 logStart = -1;
        qint64 highWatermark = -1;
        qint64 lastStable = -1;
    };

    void setLoading(bool loading);
    void reportError(const QString& message);
    void startReading(quint64 generation, std::vector<int> partitions, std::map<int, qint64> committed);
    std::shared_ptr<client::Consumer> newConsumer(const std::vector<int>& partitions) const;
    void pollNewer();
    void onNewer(quint64 sequence, PollResult result);
    void pollOlder();
    void onOlder(quint64 sequence, PollResult result);
    void finishOlder();
    void insertSorted(std::vector<Row> rows);
    void trimTop();
    void trimBottom();
    bool computeAtEnd() const;
    // Rows beyond maxRows() or maxBytes() at the top (or bottom) end of the window.
    size_t excessRows(bool fromTop) const;
    void addMarkers(PollResult& result);
    bool resolveAborted(Row& row) const;
    void onSearchResults(quint64 generation, std::vector<Row> rows);
    void onSearchDone(quint64 generation, SearchStats stats);

    ClusterSession* m_session;
    CallbackGuard<MessageModel> m_guard{this};
    client::IsolationLevel m_isolation = client::IsolationLevel::ReadCommitted;
    int m_pageSize = 500;
    int m_maxRows = 20000;
    qint64 m_maxBytes = qint64(256) * 1024 * 1024;
    qint64 m_bytes = 0;  // sum of the rows' sizes
    bool m_utc = false;

    QString m_topic;
    Start m_start;
    std::vector<Row> m_rows;
    std::map<int, PartitionState> m_partitions;
    std::shared_ptr<client::Consumer> m_consumer;  // newer records (and the tail)
    std::shared_ptr<client::Consumer> m_older;     // one fetchOlder() at a time
    std::map<int, qint64> m_olderUntil;            // partition -> the old top, still to reach
    std::map<int, qint64> m_olderFrom;
    // A result whose number is not current is dropped (a newer open, a cancelled poll).
    quint64 m_generation = 0;
    quint64 m_newerSequence = 0;
    quint64 m_olderSequence = 0;
    bool m_newerActive = false;
    bool m_olderActive = false;
    bool m_wantNewer = false;  // a page is being filled
    int m_pageReceived = 0;
    bool m_loading = false;
    bool m_follow = false;
    bool m_atEnd = false;
    QString m_lastError;
    // (partition, producer id) -> marker offset -> commit: a transactional row was aborted when
    // its producer's first marker after it is an ABORT.
    std::map<std::pair<int, qint64>, std::map<qint64, bool>> m_markers;

    std::unique_ptr<client::TopicScanner> m_scanner;
    bool m_searchMode = false;
    bool m_searchBytesFull = false;  // the search stopped at maxBytes()
    std::shared_ptr<const client::ScanRequest> m_lastSearch;
    SearchStats m_searchStats;
};

}  // namespace partita::models
