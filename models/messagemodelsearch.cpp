// MessageModel's search mode: a TopicScanner over the range asked for, its matches streamed in as
// the rows (declared in messagemodel.h; kept apart from the browsing code).
#include "engine/client/kafkaclient.h"
#include "engine/client/recordfilter.h"
#include "engine/client/topicscanner.h"
#include "models/clustersession.h"
#include "models/clustersnapshot.h"
#include "models/messagemodel.h"

#include <chrono>

namespace partita::models {

namespace {

MessageModel::SearchStats statsOf(const client::ScanProgress& progress) {
    MessageModel::SearchStats stats;
    stats.scanned = progress.scanned;
    stats.matched = progress.matched;
    stats.doneOffsets = progress.doneOffsets;
    stats.totalOffsets = progress.totalOffsets;
    return stats;
}

}  // namespace

QString MessageModel::checkExpression(const QString& expression, int* column) {
    size_t at = 0;
    auto parsed = client::RecordFilter::parse(expression.toStdString(), &at);
    if (column) *column = parsed.ok() ? 0 : int(at);
    return parsed.ok() ? QString() : QString::fromStdString(parsed.error().message);
}

bool MessageModel::search(const QString& topic, const QList<int>& partitions, const QString& expression,
                          const SearchRange& range) {
    close();
    m_topic = topic;
    m_searchMode = true;
    auto filter = client::RecordFilter::parse(expression.toStdString());
    if (!filter.ok()) {
        reportError(tr("The search expression is not valid: %1").arg(QString::fromStdString(filter.error().message)));
        return false;
    }
    if (range.from.kind == Start::Kind::Group) {
        reportError(
            tr("A search starts at the same place in every partition: choose the beginning, the last "
               "messages, an offset or a time."));
        return false;
    }
    if (!m_session->client()) {
        reportError(m_session->lastError().isEmpty() ? tr("no connection to the cluster") : m_session->lastError());
        return false;
    }

    client::ScanRequest request;
    request.topic = topic.toStdString();
    for (int p : partitions) request.partitions.push_back(p);
    request.filter = std::move(filter.value());
    request.isolation = m_isolation;
    request.maxResults = size_t(m_maxRows);
    switch (range.from.kind) {
        case Start::Kind::Beginning:
        case Start::Kind::Group:
            break;
        case Start::Kind::End:
            request.from = client::StartPosition::end();
            break;
        case Start::Kind::FromEnd: {
            // "The last N" over the partitions searched, as open() spreads it.
            qsizetype count = partitions.size();
            if (count == 0) {
                const auto snapshot = m_session->snapshot();
                const TopicInfo* info = snapshot ? snapshot->findTopic(topic) : nullptr;
                count = info ? qsizetype(info->partitions.size()) : 1;
            }
            count = qMax<qsizetype>(1, count);
            request.from = client::StartPosition::fromEnd((range.from.value + count - 1) / count);
            break;
        }
        case Start::Kind::Offset:
            request.from = client::StartPosition::offset(qMax<qint64>(0, range.from.value));
            break;
        case Start::Kind::Timestamp:
            request.from = client::StartPosition::timestamp(range.from.value);
            break;
    }
    if (range.untilMs >= 0) request.to = client::StartPosition::timestamp(range.untilMs);
    auto unlimited = std::make_shared<client::ScanRequest>(request);
    unlimited->maxResults = 0;
    m_lastSearch = std::move(unlimited);

    const quint64 generation = m_generation;
    const auto started = std::chrono::steady_clock::now();
    auto elapsedMs = [started] {
        return qint64(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    };
    auto guard = m_guard.handle();
    client::ScanCallbacks callbacks;
    // Rows are built on the scan's worker thread; the GUI thread only inserts them.
    callbacks.onResults = [guard, generation](std::vector<client::ScanMatch> matches) {
        auto rows = std::make_shared<std::vector<Row>>();
        rows->reserve(matches.size());
        for (const auto& match : matches) rows->push_back(rowFromRecord(match.partition, match.record));
        guard.post([generation, rows](MessageModel* model) { model->onSearchResults(generation, std::move(*rows)); });
    };
    callbacks.onProgress = [guard, generation, elapsedMs](const client::ScanProgress& progress) {
        SearchStats stats = statsOf(progress);
        stats.elapsedMs = elapsedMs();
        guard.post([generation, stats](MessageModel* model) {
            if (generation != model->m_generation || model->m_searchStats.finished) return;
            model->m_searchStats = stats;
            emit model->searchProgress();
        });
    };
    callbacks.onDone = [guard, generation, elapsedMs](Result<client::ScanSummary> done) {
        SearchStats stats;
        if (done.ok()) {
            stats = statsOf(done.value().totals);
            stats.cancelled = done.value().cancelled;
            stats.limitReached = done.value().limitReached;
        } else {
            stats.error = QString::fromStdString(done.error().message);
        }
        stats.elapsedMs = elapsedMs();
        stats.finished = true;
        guard.post([generation, stats](MessageModel* model) { model->onSearchDone(generation, stats); });
    };
    m_scanner = std::make_unique<client::TopicScanner>(m_session->client());
    m_searchStats = {};
    m_searchBytesFull = false;
    setLoading(true);
    m_scanner->start(std::move(request), std::move(callbacks));
    return true;
}

void MessageModel::cancelSearch() {
    if (m_scanner) m_scanner->cancel();
}

void MessageModel::onSearchResults(quint64 generation, std::vector<Row> rows) {
    if (generation != m_generation) return;
    insertSorted(std::move(rows));
    // Matches with large values: stop at the byte budget, as at the row limit.
    if (m_bytes > m_maxBytes && m_scanner) {
        m_searchBytesFull = true;
        m_scanner->cancel();
    }
}

void MessageModel::onSearchDone(quint64 generation, SearchStats stats) {
    if (generation != m_generation) return;
    // The scanner reports nothing after onDone; it can go (its threads hold their own state).
    m_scanner.reset();
    // The totals may come before the last progress report was applied: keep the larger counts.
    stats.matched = qMax<quint64>(stats.matched, quint64(m_rows.size()));
    if (m_searchBytesFull) {
        stats.cancelled = false;
        stats.limitReached = true;
    }
    m_searchStats = stats;
    setLoading(false);
    if (!stats.error.isEmpty()) reportError(stats.error);
    emit searchProgress();
    emit searchFinished();
}

}  // namespace partita::models
