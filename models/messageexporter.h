// MessageExporter: writes messages (the browser's selection or a search's every match) to a JSON
// Lines or CSV file off the GUI thread, with progress, cancel and an all-or-nothing result.
#pragma once

#include "models/callbackguard.h"
#include "models/messagemodel.h"

#include <QObject>
#include <QString>

#include <memory>
#include <thread>
#include <vector>

namespace partita::client {
class KafkaClient;
class TopicScanner;
struct ScanRequest;
}  // namespace partita::client

namespace partita::models {

// One export at a time. The file is written as `path + ".part"` and renamed to `path` when
// complete, so a cancelled or failed export never leaves a half-written file behind.
//
// JSON Lines: one object per message, like `kcat -J`:
//   {"topic":..,"partition":..,"offset":..,"tstype":"create"|"logappend","ts":ms|null,
//    "headers":[{"key":..,"value":..}],"key":..,"payload":..}
// Key, payload and header values are strings when the bytes are valid UTF-8, null when null, else
// base64 marked by "key_encoding":"base64", "payload_encoding":"base64" or, in a header,
// "encoding":"base64" (likewise "key_encoding" in a header whose name is not UTF-8).
// CSV (RFC 4180, UTF-8, CRLF, a header row): topic,partition,offset,timestamp,key,value,headers;
// timestamp as ISO-8601 UTC with ms (empty when none); a null key or value is empty; a binary one
// (or text that starts with "base64:") is "base64:" + base64; headers as a JSON object string
// {"name": value} (null values as null, others as CSV key/value text).
class MessageExporter : public QObject {
    Q_OBJECT
public:
    enum class Format { JsonLines, Csv };

    explicit MessageExporter(QObject* parent = nullptr);
    // Cancels a running export and waits for its writer; its partial file is removed.
    ~MessageExporter() override;

    // .csv (any case): Csv; anything else: JsonLines.
    static Format formatForFileName(const QString& fileName);

    // Both start an export and return at once. False (with `error`) when one is already running or
    // the file cannot be created; nothing is signalled then. True: finished() follows exactly once.
    //
    // Writes `rows` (a copy of the browser's selection) in the order given.
    bool exportRows(const QString& path, Format format, const QString& topic, std::vector<MessageModel::Row> rows,
                    QString* error = nullptr);
    // Runs the search `request` (TopicScanner) and writes every match as it arrives (the request's
    // maxResults still applies; 0: all). Nothing is collected: memory does not grow with matches.
    bool exportScan(const QString& path, Format format, std::shared_ptr<client::KafkaClient> client,
                    client::ScanRequest request, QString* error = nullptr);

    // exportScan of a search the ui cannot see inside (MessageModel::lastSearch()).
    bool exportSearch(const QString& path, Format format, std::shared_ptr<client::KafkaClient> client,
                      const std::shared_ptr<const client::ScanRequest>& search, QString* error = nullptr);

    bool isRunning() const { return m_job != nullptr; }
    // Stops the running export; finished() then reports cancelled and the partial file is gone.
    void cancel();

    struct Job;

signals:
    // At most every 100 ms while running. scanned/totalOffsets: the scan's progress (for rows:
    // rows done / rows given).
    void progress(qint64 written, qint64 scanned, qint64 totalOffsets);
    // Once per started export. error: empty, or why it failed (the file could not be written, the
    // scan failed); a failed or cancelled export leaves no file.
    void finished(qint64 written, bool cancelled, const QString& error);

private:
    void onJobDone(const std::shared_ptr<Job>& job, qint64 written, bool cancelled, const QString& error);
    std::shared_ptr<Job> startJob(const QString& path, Format format, const QString& topic, QString* error);
    void stopJob();

    CallbackGuard<MessageExporter> m_guard{this};
    std::shared_ptr<Job> m_job;
    std::thread m_thread;                             // exportRows' writer
    std::unique_ptr<client::TopicScanner> m_scanner;  // exportScan's search (it writes from its callbacks)
};

}  // namespace partita::models
