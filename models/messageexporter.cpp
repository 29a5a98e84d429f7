// MessageExporter: writes messages (the browser's selection or a search's every match) to a JSON
// Lines or CSV file off the GUI thread, with progress, cancel and an all-or-nothing result.
#include "models/messageexporter.h"

#include "engine/client/kafkaclient.h"
#include "engine/client/topicscanner.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QUtf8StringView>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

namespace partita::models {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

// One message as the formatters see it: views into the row's or the record's bytes.
struct ExportHeader {
    QByteArrayView name;
    std::optional<QByteArrayView> value;
};
struct ExportRecord {
    int partition = 0;
    qint64 offset = 0;
    qint64 timestamp = -1;
    bool logAppendTime = false;
    std::optional<QByteArrayView> key;
    std::optional<QByteArrayView> value;
    std::vector<ExportHeader> headers;
};

// Strict UTF-8 (Qt's check refuses overlong forms, surrogates and anything above U+10FFFF): a
// lenient decoder would write replacement characters and lose the original bytes; those go out
// as base64.
bool isUtf8(QByteArrayView bytes) {
    return QUtf8StringView(bytes.data(), bytes.size()).isValidUtf8();
}

// A JSON string of UTF-8 bytes (checked by the caller).
void appendJsonString(QByteArray& out, QByteArrayView utf8) {
    static const char kHex[] = "0123456789abcdef";
    out.append('"');
    qsizetype plainFrom = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(utf8.sliced(plainFrom, i - plainFrom));
        plainFrom = i + 1;
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            case '\b':
                out.append("\\b");
                break;
            case '\f':
                out.append("\\f");
                break;
            default: {
                const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
                out.append(escape, sizeof escape);
            }
        }
    }
    out.append(utf8.sliced(plainFrom));
    out.append('"');
}

// `"name":value` for bytes: a string, null, or base64 followed by `,"<name>_encoding":"base64"`
// (`encodingName` overrides that field's name).
void appendJsonBytes(QByteArray& out, const char* name, const std::optional<QByteArrayView>& bytes,
                     const char* encodingName = nullptr) {
    out.append('"').append(name).append("\":");
    if (!bytes) {
        out.append("null");
    } else if (isUtf8(*bytes)) {
        appendJsonString(out, *bytes);
    } else {
        out.append('"').append(bytes->toByteArray().toBase64()).append('"');
        out.append(",\"");
        if (encodingName != nullptr)
            out.append(encodingName);
        else
            out.append(name).append("_encoding");
        out.append("\":\"base64\"");
    }
}

void formatJsonLine(QByteArray& out, QByteArrayView topicJson, const ExportRecord& record) {
    out.append("{\"topic\":").append(topicJson);
    out.append(",\"partition\":").append(QByteArray::number(record.partition));
    out.append(",\"offset\":").append(QByteArray::number(record.offset));
    out.append(record.logAppendTime ? ",\"tstype\":\"logappend\"" : ",\"tstype\":\"create\"");
    out.append(",\"ts\":");
    if (record.timestamp >= 0)
        out.append(QByteArray::number(record.timestamp));
    else
        out.append("null");
    out.append(",\"headers\":[");
    bool first = true;
    for (const auto& header : record.headers) {
        if (!first) out.append(',');
        first = false;
        out.append('{');
        appendJsonBytes(out, "key", header.name);
        out.append(',');
        appendJsonBytes(out, "value", header.value, "encoding");
        out.append('}');
    }
    out.append("],");
    appendJsonBytes(out, "key", record.key);
    out.append(',');
    appendJsonBytes(out, "payload", record.value);
    out.append("}\n");
}

// Quoted when it holds a comma, a quote, CR or LF; quotes doubled (RFC 4180).
void appendCsvField(QByteArray& out, QByteArrayView field) {
    bool quote = false;
    for (char c : field) {
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        out.append(field);
        return;
    }
    out.append('"');
    for (char c : field) {
        if (c == '"') out.append('"');
        out.append(c);
    }
    out.append('"');
}

QByteArray csvBytes(const std::optional<QByteArrayView>& bytes) {
    if (!bytes) return {};
    // Text that itself starts with the marker is encoded too, so reading back is unambiguous.
    if (isUtf8(*bytes) && !bytes->startsWith("base64:")) return bytes->toByteArray();
    return "base64:" + bytes->toByteArray().toBase64();
}

void formatCsvLine(QByteArray& out, QByteArrayView topic, const ExportRecord& record) {
    appendCsvField(out, topic);
    out.append(',').append(QByteArray::number(record.partition));
    out.append(',').append(QByteArray::number(record.offset));
    out.append(',');
    if (record.timestamp >= 0)
        out.append(QDateTime::fromMSecsSinceEpoch(record.timestamp, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8());
    out.append(',');
    appendCsvField(out, csvBytes(record.key));
    out.append(',');
    appendCsvField(out, csvBytes(record.value));
    out.append(',');
    QByteArray headers = "{";
    bool first = true;
    for (const auto& header : record.headers) {
        if (!first) headers.append(',');
        first = false;
        appendJsonString(headers, csvBytes(header.name));
        headers.append(':');
        if (header.value)
            appendJsonString(headers, csvBytes(header.value));
        else
            headers.append("null");
    }
    headers.append('}');
    appendCsvField(out, headers);
    out.append("\r\n");
}

QByteArrayView view(const QByteArray& bytes) {
    return QByteArrayView(bytes.constData(), bytes.size());
}
QByteArrayView view(const Bytes& bytes) {
    return QByteArrayView(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}
template <class B>
std::optional<QByteArrayView> optionalView(const std::optional<B>& bytes) {
    if (!bytes) return std::nullopt;
    return view(*bytes);
}

}  // namespace

// What the writer (a thread of ours, or the scanner's callbacks) shares with the exporter. Only one
// writer touches the file and the counters at a time; `cancel` is the only field the GUI writes.
struct MessageExporter::Job : std::enable_shared_from_this<MessageExporter::Job> {
    Format format = Format::JsonLines;
    QByteArray topic;      // UTF-8
    QByteArray topicJson;  // as a JSON string
    QString path;
    QString partPath;
    std::FILE* file = nullptr;
    std::atomic<bool> cancel{false};
    qint64 written = 0;
    qint64 scanned = 0;
    qint64 total = 0;
    QString error;
    Clock::time_point lastProgress = Clock::now();
    CallbackGuard<MessageExporter>::Handle handle;
    QByteArray line;

    ~Job() {
        if (file != nullptr) std::fclose(file);
    }

    bool write(const ExportRecord& record) {
        line.clear();
        if (format == Format::Csv)
            formatCsvLine(line, topic, record);
        else
            formatJsonLine(line, topicJson, record);
        if (std::fwrite(line.constData(), 1, size_t(line.size()), file) != size_t(line.size())) {
            const int code = errno;
            error = tr("Cannot write %1: %2").arg(partPath, QString::fromLocal8Bit(std::strerror(code)));
            return false;
        }
        ++written;
        return true;
    }

    void maybeProgress() {
        const auto now = Clock::now();
        if (now - lastProgress < kProgressInterval) return;
        lastProgress = now;
        handle.post([written = written, scanned = scanned, total = total](MessageExporter* exporter) {
            emit exporter->progress(written, scanned, total);
        });
    }

    // Closes the file, renames it into place or removes it, and reports.
    void finish(bool cancelled) {
        if (file != nullptr) {
            const bool flushed = std::fflush(file) == 0;
            const int code = errno;
            const bool closed = std::fclose(file) == 0;
            file = nullptr;
            if ((!flushed || !closed) && error.isEmpty() && !cancelled)
                error = tr("Cannot write %1: %2").arg(partPath, QString::fromLocal8Bit(std::strerror(code)));
        }
        if (cancelled) error.clear();
        const QByteArray part = QFile::encodeName(partPath);
        if (cancelled || !error.isEmpty()) {
            std::remove(part.constData());
        } else if (std::rename(part.constData(), QFile::encodeName(path).constData()) != 0) {  // replaces `path`
            const int code = errno;
            error = tr("Cannot rename %1 to %2: %3").arg(partPath, path, QString::fromLocal8Bit(std::strerror(code)));
            std::remove(part.constData());
        }
        handle.post([self = shared_from_this(), written = written, cancelled, error = error](
                        MessageExporter* exporter) { exporter->onJobDone(self, written, cancelled, error); });
    }
};

MessageExporter::MessageExporter(QObject* parent) : QObject(parent) {}

MessageExporter::~MessageExporter() {
    m_guard.detach();
    stopJob();
}

MessageExporter::Format MessageExporter::formatForFileName(const QString& fileName) {
    return fileName.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive) ? Format::Csv : Format::JsonLines;
}

std::shared_ptr<MessageExporter::Job> MessageExporter::startJob(const QString& path, Format format,
                                                                const QString& topic, QString* error) {
    if (m_job) {
        if (error != nullptr) *error = tr("An export is already running.");
        return nullptr;
    }
    auto job = std::make_shared<Job>();
    job->format = format;
    job->topic = topic.toUtf8();
    appendJsonString(job->topicJson, job->topic);
    job->path = path;
    job->partPath = path + QStringLiteral(".part");
    // Creating the file is the one disk call made here: an unwritable place is said at once.
    job->file = std::fopen(QFile::encodeName(job->partPath).constData(), "wb");
    if (job->file == nullptr) {
        const int code = errno;
        if (error != nullptr)
            *error = tr("Cannot create %1: %2").arg(job->partPath, QString::fromLocal8Bit(std::strerror(code)));
        return nullptr;
    }
    std::setvbuf(job->file, nullptr, _IOFBF, 1 << 20);
    if (format == Format::Csv) {
        static const char kHeader[] = "topic,partition,offset,timestamp,key,value,headers\r\n";
        std::fwrite(kHeader, 1, sizeof kHeader - 1, job->file);  // a failure shows at the next write or the close
    }
    job->handle = m_guard.handle();
    m_job = job;
    return job;
}

bool MessageExporter::exportRows(const QString& path, Format format, const QString& topic,
                                 std::vector<MessageModel::Row> rows, QString* error) {
    auto job = startJob(path, format, topic, error);
    if (!job) return false;
    job->total = qint64(rows.size());
    m_thread = std::thread([job, rows = std::move(rows)] {
        std::vector<QByteArray> names;  // the header names' UTF-8, alive while a row is written
        ExportRecord record;
        for (const auto& row : rows) {
            if (job->cancel) break;
            record.partition = row.partition;
            record.offset = row.offset;
            record.timestamp = row.timestamp;
            record.logAppendTime = row.logAppendTime;
            record.key = optionalView(row.key);
            record.value = optionalView(row.value);
            record.headers.clear();
            names.clear();
            names.reserve(size_t(row.headers.size()));
            for (const QVariant& header : row.headers) {
                const QVariantMap pair = header.toMap();
                names.push_back(pair.value(QStringLiteral("name")).toString().toUtf8());
                const QVariant value = pair.value(QStringLiteral("value"));
                std::optional<QByteArrayView> bytes;
                // The value's QByteArray lives in `row` (the map shares it), so the view stays valid.
                if (value.isValid()) bytes = view(*static_cast<const QByteArray*>(value.constData()));
                record.headers.push_back({view(names.back()), bytes});
            }
            if (!job->write(record)) break;
            ++job->scanned;
            job->maybeProgress();
        }
        job->finish(job->cancel && job->error.isEmpty());
    });
    return true;
}

bool MessageExporter::exportSearch(const QString& path, Format format, std::shared_ptr<client::KafkaClient> client,
                                   const std::shared_ptr<const client::ScanRequest>& search, QString* error) {
    if (!search || !client) {
        if (error) *error = tr("There is no search to export");
        return false;
    }
    return exportScan(path, format, std::move(client), *search, error);
}

bool MessageExporter::exportScan(const QString& path, Format format, std::shared_ptr<client::KafkaClient> client,
                                 client::ScanRequest request, QString* error) {
    auto job = startJob(path, format, QString::fromStdString(request.topic), error);
    if (!job) return false;
    m_scanner = std::make_unique<client::TopicScanner>(std::move(client));
    client::ScanCallbacks callbacks;
    // Matches are written on the scanner's thread as they arrive: the scanner waits for us, so a
    // slow disk slows the scan instead of piling matches up in memory.
    callbacks.onResults = [job](std::vector<client::ScanMatch> matches) {
        if (job->cancel || !job->error.isEmpty()) return;
        ExportRecord record;
        for (const auto& match : matches) {
            const auto& r = match.record;
            record.partition = match.partition;
            record.offset = r.offset;
            record.timestamp = r.timestamp;
            record.logAppendTime = r.timestampType == protocol::records::TimestampType::LogAppendTime;
            record.key = optionalView(r.key);
            record.value = optionalView(r.value);
            record.headers.clear();
            for (const auto& header : r.headers)
                record.headers.push_back(
                    {QByteArrayView(header.key.data(), qsizetype(header.key.size())), optionalView(header.value)});
            if (!job->write(record)) {
                job->handle.post([](MessageExporter* exporter) {
                    if (exporter->m_scanner) exporter->m_scanner->cancel();
                });
                return;
            }
        }
        job->maybeProgress();
    };
    callbacks.onProgress = [job](const client::ScanProgress& progress) {
        job->scanned = qint64(progress.scanned);
        job->total = qint64(progress.totalOffsets);
        job->maybeProgress();
    };
    callbacks.onDone = [job](Result<client::ScanSummary> summary) {
        if (!summary.ok() && job->error.isEmpty())
            job->error = tr("The search failed: %1").arg(QString::fromStdString(summary.error().message));
        job->finish(job->cancel && job->error.isEmpty());
    };
    m_scanner->start(std::move(request), std::move(callbacks));
    return true;
}

void MessageExporter::cancel() {
    if (!m_job) return;
    m_job->cancel = true;
    if (m_scanner) m_scanner->cancel();
}

void MessageExporter::stopJob() {
    if (m_job) m_job->cancel = true;
    // The scanner's onDone still comes (on its thread) and removes the partial file.
    if (m_scanner) m_scanner->cancel();
    m_scanner.reset();
    if (m_thread.joinable()) m_thread.join();
    m_job.reset();
}

void MessageExporter::onJobDone(const std::shared_ptr<Job>& job, qint64 written, bool cancelled, const QString& error) {
    if (job != m_job) return;
    stopJob();
    emit finished(written, cancelled, error);
}

}  // namespace partita::models
