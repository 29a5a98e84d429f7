// Tests of MessageExporter against a real partitad: awkward messages (quotes, line breaks, invalid
// UTF-8, empty, null, null header values) exported as JSON Lines and CSV and read back, a filtered
// search exported whole, cancel, an unwritable path and destruction while running.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "engine/client/topicscanner.h"
#include "models/clustersession.h"
#include "models/messageexporter.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

using namespace partita;
using namespace partita::models;
using partita::tests::PartitadProcess;

namespace {

const qint64 kBase = 1700000000000;
const int kNumbers = 20000;
const int kBig = 100000;

using OptionalBytes = std::optional<QByteArray>;

// A message as produced, and as read back from a file.
struct Message {
    int partition = 0;
    qint64 offset = 0;
    qint64 timestamp = -1;
    OptionalBytes key;
    OptionalBytes value;
    std::vector<std::pair<QByteArray, OptionalBytes>> headers;
    bool operator==(const Message&) const = default;
};

QByteArray bytes(const char* data, int size) {
    return QByteArray(data, size);
}

// The awkward messages of topic "mixed" (one partition; message i at offset i, time kBase + i).
std::vector<Message> mixedMessages() {
    std::vector<Message> list = {
        {.key = "k1", .value = "hello world", .headers = {{"h", "v"}}},
        {.key = "json", .value = "{\"a\": \"say \\\"hi\\\"\",\n \"b\": [1, 2]}\n", .headers = {}},
        {.key = bytes("\x00\x01\xff", 3), .value = bytes("\xc3\x28", 2), .headers = {{"bin", bytes("\xff\xfe", 2)}}},
        {.key = QByteArray(""), .value = QByteArray(""), .headers = {{"empty", QByteArray("")}}},
        {.key = std::nullopt, .value = std::nullopt, .headers = {{"n", std::nullopt}, {"t", "x"}}},
        {.key = "comma,key", .value = "a,b\r\nc\"d", .headers = {{"q\"uote", "line\nbreak"}}},
        {.key = "unicode", .value = "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80 \x01\x1f\ttab", .headers = {}},
        {.key = "overlong", .value = bytes("\xc0\xaf", 2), .headers = {}},
        {.key = "surrogate", .value = bytes("\xed\xa0\x80", 3), .headers = {}},
        {.key = "base64:looks-encoded", .value = "{\"n\":1}", .headers = {}},
    };
    for (size_t i = 0; i < list.size(); ++i) {
        list[i].offset = qint64(i);
        list[i].timestamp = kBase + qint64(i);
    }
    return list;
}

std::optional<std::string> toStd(const OptionalBytes& b) {
    if (!b) return std::nullopt;
    return b->toStdString();
}

MessageModel::Row toRow(const Message& message) {
    MessageModel::Row row;
    row.partition = message.partition;
    row.offset = message.offset;
    row.timestamp = message.timestamp;
    row.key = message.key;
    row.value = message.value;
    for (const auto& [name, value] : message.headers) {
        QVariantMap pair;
        pair.insert(QStringLiteral("name"), QString::fromUtf8(name));
        pair.insert(QStringLiteral("value"), value ? QVariant(*value) : QVariant());
        row.headers.append(pair);
    }
    row.headerCount = int(message.headers.size());
    return row;
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.readAll();
}

OptionalBytes jsonBytes(const QJsonObject& object, const QString& field, const QString& encodingField) {
    const QJsonValue value = object.value(field);
    if (value.isNull()) return std::nullopt;
    if (object.value(encodingField).toString() == QStringLiteral("base64"))
        return QByteArray::fromBase64(value.toString().toLatin1());
    return value.toString().toUtf8();
}

// JSON Lines back to messages; `error` says what was wrong with a line.
std::vector<Message> parseJsonLines(const QByteArray& text, QString* error) {
    std::vector<Message> out;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].isEmpty()) {
            if (i != lines.size() - 1) *error = QStringLiteral("empty line %1").arg(i);
            continue;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(lines[i], &parseError);
        if (!document.isObject()) {
            *error = QStringLiteral("line %1: %2").arg(i).arg(parseError.errorString());
            return out;
        }
        const QJsonObject object = document.object();
        Message message;
        if (object.value(QStringLiteral("topic")).toString().isEmpty()) *error = QStringLiteral("no topic");
        message.partition = object.value(QStringLiteral("partition")).toInt();
        message.offset = qint64(object.value(QStringLiteral("offset")).toDouble());
        message.timestamp =
            object.value(QStringLiteral("ts")).isNull() ? -1 : qint64(object.value(QStringLiteral("ts")).toDouble());
        message.key = jsonBytes(object, QStringLiteral("key"), QStringLiteral("key_encoding"));
        message.value = jsonBytes(object, QStringLiteral("payload"), QStringLiteral("payload_encoding"));
        for (const QJsonValue& header : object.value(QStringLiteral("headers")).toArray()) {
            const QJsonObject h = header.toObject();
            message.headers.emplace_back(*jsonBytes(h, QStringLiteral("key"), QStringLiteral("key_encoding")),
                                         jsonBytes(h, QStringLiteral("value"), QStringLiteral("encoding")));
        }
        out.push_back(std::move(message));
    }
    return out;
}

// A small RFC 4180 reader: records of fields; quoted fields may hold commas, quotes, CR and LF.
std::vector<std::vector<QByteArray>> parseCsv(const QByteArray& text, QString* error) {
    std::vector<std::vector<QByteArray>> records;
    std::vector<QByteArray> record;
    QByteArray field;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        if (text[i] == '"') {
            ++i;
            for (;;) {
                if (i >= n) {
                    *error = QStringLiteral("unterminated quoted field");
                    return records;
                }
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field.append(text[i++]);
            }
        } else {
            while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                if (text[i] == '"') *error = QStringLiteral("quote inside an unquoted field");
                field.append(text[i++]);
            }
        }
        record.push_back(field);
        field.clear();
        if (i >= n) break;
        if (text[i] == ',') {
            ++i;
            continue;
        }
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
            i += 2;
        } else {
            *error = QStringLiteral("record not ended by CRLF at %1").arg(i);
            return records;
        }
        records.push_back(std::move(record));
        record.clear();
    }
    if (!record.empty()) *error = QStringLiteral("last record not ended by CRLF");
    return records;
}

// CSV has no null: a null key or value reads back as empty.
OptionalBytes csvField(const QByteArray& field) {
    if (field.startsWith("base64:")) return QByteArray::fromBase64(field.mid(7));
    return field;
}
OptionalBytes nullAsEmpty(const OptionalBytes& b) {
    return b ? *b : QByteArray("");
}

std::vector<Message> parseCsvMessages(const QByteArray& text, QString* error) {
    std::vector<Message> out;
    const auto records = parseCsv(text, error);
    if (records.empty()) {
        *error = QStringLiteral("no header row");
        return out;
    }
    const std::vector<QByteArray> header = {"topic", "partition", "offset", "timestamp", "key", "value", "headers"};
    if (records[0] != header) *error = QStringLiteral("header row: %1").arg(QString::fromUtf8(text.left(80)));
    for (size_t r = 1; r < records.size(); ++r) {
        const auto& fields = records[r];
        if (fields.size() != 7) {
            *error = QStringLiteral("record %1 has %2 fields").arg(r).arg(fields.size());
            return out;
        }
        Message message;
        message.partition = fields[1].toInt();
        message.offset = fields[2].toLongLong();
        message.timestamp =
            fields[3].isEmpty()
                ? -1
                : QDateTime::fromString(QString::fromUtf8(fields[3]), Qt::ISODateWithMs).toMSecsSinceEpoch();
        message.key = csvField(fields[4]);
        message.value = csvField(fields[5]);
        const QJsonObject headers = QJsonDocument::fromJson(fields[6]).object();
        if (QJsonDocument::fromJson(fields[6]).isNull()) *error = QStringLiteral("headers not JSON: ") + fields[6];
        for (auto it = headers.begin(); it != headers.end(); ++it)
            message.headers.emplace_back(
                it.key().toUtf8(), it.value().isNull() ? OptionalBytes() : csvField(it.value().toString().toUtf8()));
        out.push_back(std::move(message));
    }
    return out;
}

// What CSV can say about a message: null read as empty, headers by name (a JSON object).
Message asCsvSees(Message message) {
    message.key = nullAsEmpty(message.key);
    message.value = nullAsEmpty(message.value);
    std::sort(message.headers.begin(), message.headers.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return message;
}

QString describe(const Message& m) {
    auto show = [](const OptionalBytes& b) { return b ? QString::fromLatin1(b->toHex()) : QStringLiteral("null"); };
    QString headers;
    for (const auto& [name, value] : m.headers) headers += QString::fromUtf8(name) + "=" + show(value) + " ";
    return QStringLiteral("%1/%2 ts %3 key %4 value %5 headers %6")
        .arg(m.partition)
        .arg(m.offset)
        .arg(m.timestamp)
        .arg(show(m.key), show(m.value), headers);
}

// Empty when equal, else the first difference.
QString compare(const std::vector<Message>& got, const std::vector<Message>& expected) {
    if (got.size() != expected.size())
        return QStringLiteral("%1 messages, expected %2").arg(got.size()).arg(expected.size());
    for (size_t i = 0; i < got.size(); ++i)
        if (!(got[i] == expected[i]))
            return QStringLiteral("message %1:\n got      %2\n expected %3")
                .arg(i)
                .arg(describe(got[i]), describe(expected[i]));
    return {};
}

}  // namespace

class MessageExporterTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY(m_broker->start({"num.partitions=1"}));
        m_session = std::make_unique<ClusterSession>(tests::clientConfig(m_broker->bootstrap()));
        m_session->setRefreshInterval(60000);
        QVERIFY(m_session->admin().has_value());
        for (auto [topic, partitions] : {std::pair{"mixed", 1}, {"numbers", 4}, {"big", 4}}) {
            const QString created = tests::createTopic(*m_session->admin(), topic, partitions);
            QVERIFY2(created.isEmpty(), qPrintable(created));
        }
        auto producer = client::Producer::create(m_session->client());
        QVERIFY(producer.ok());
        auto produce = [&](const client::ProducerRecord& record) {
            Status queued = producer.value()->produce(record);
            while (!queued.ok()) {  // buffer full: let deliveries drain
                QTest::qWait(5);
                queued = producer.value()->produce(record);
            }
        };
        for (const Message& message : mixedMessages()) {
            client::ProducerRecord record{.topic = "mixed",
                                          .partition = 0,
                                          .key = toStd(message.key),
                                          .value = toStd(message.value),
                                          .timestamp = message.timestamp};
            for (const auto& [name, value] : message.headers)
                record.headers.push_back({name.toStdString(), toStd(value)});
            produce(record);
        }
        for (int i = 0; i < kNumbers; ++i)
            produce({.topic = "numbers", .key = "k" + std::to_string(i), .value = "{\"n\":" + std::to_string(i) + "}"});
        const std::string padding(480, 'x');
        for (int i = 0; i < kBig; ++i)
            produce({.topic = "big",
                     .partition = i % 4,
                     .value = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + padding + "\"}"});
        const Status flushed = tests::waitForStatus([&](auto done) { producer.value()->flush(std::move(done)); });
        QVERIFY2(flushed.ok(), flushed.ok() ? "" : flushed.error().message.c_str());
    }

    void cleanupTestCase() {
        m_session.reset();
        m_broker.reset();
    }

    void formatForFileName() {
        QCOMPARE(MessageExporter::formatForFileName("a.csv"), MessageExporter::Format::Csv);
        QCOMPARE(MessageExporter::formatForFileName("/x/A.CSV"), MessageExporter::Format::Csv);
        QCOMPARE(MessageExporter::formatForFileName("a.jsonl"), MessageExporter::Format::JsonLines);
        QCOMPARE(MessageExporter::formatForFileName("a.json"), MessageExporter::Format::JsonLines);
        QCOMPARE(MessageExporter::formatForFileName("csv"), MessageExporter::Format::JsonLines);
    }

    void rowsAsJsonLines() {
        const auto messages = mixedMessages();
        const QString path = m_out.filePath("rows.jsonl");
        std::vector<MessageModel::Row> rows;
        for (const auto& m : messages) rows.push_back(toRow(m));
        const QString got = exportAndWait(path, [&](MessageExporter& exporter, QString* error) {
            return exporter.exportRows(path, MessageExporter::Format::JsonLines, "mixed", rows, error);
        });
        QVERIFY2(got.isEmpty(), qPrintable(got));
        QString error;
        const auto parsed = parseJsonLines(readAll(path), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString diff = compare(parsed, messages);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        // Binary goes out marked as base64, never as a garbled string.
        const QList<QByteArray> lines = readAll(path).split('\n');
        QVERIFY(lines[2].contains("\"payload_encoding\":\"base64\""));
        QVERIFY(lines[2].contains("\"key_encoding\":\"base64\""));
        QVERIFY(lines[2].contains("\"encoding\":\"base64\""));
        QVERIFY(lines[4].contains("\"key\":null"));
        QVERIFY(lines[4].contains("\"payload\":null"));
        QVERIFY(lines[7].contains("\"payload_encoding\":\"base64\""));  // overlong form
        QVERIFY(lines[8].contains("\"payload_encoding\":\"base64\""));  // surrogate
        QVERIFY(!lines[6].contains("_encoding"));                       // valid UTF-8 stays text
        QVERIFY(lines[0].startsWith("{\"topic\":\"mixed\",\"partition\":0,\"offset\":0,\"tstype\":\"create\",\"ts\":"));
        QVERIFY(!QFile::exists(path + ".part"));
    }

    void rowsAsCsv() {
        const auto messages = mixedMessages();
        const QString path = m_out.filePath("rows.csv");
        std::vector<MessageModel::Row> rows;
        for (const auto& m : messages) rows.push_back(toRow(m));
        const QString got = exportAndWait(path, [&](MessageExporter& exporter, QString* error) {
            return exporter.exportRows(path, MessageExporter::formatForFileName(path), "mixed", rows, error);
        });
        QVERIFY2(got.isEmpty(), qPrintable(got));
        QString error;
        const auto parsed = parseCsvMessages(readAll(path), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        std::vector<Message> expected;
        for (const auto& m : messages) expected.push_back(asCsvSees(m));
        std::vector<Message> sorted;
        for (const auto& m : parsed) sorted.push_back(asCsvSees(m));
        const QString diff = compare(sorted, expected);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QVERIFY(readAll(path).contains("2023-11-14T22:13:20.000Z"));  // kBase in UTC
    }

    void scanAsJsonLinesAndCsv() {
        const auto messages = mixedMessages();
        for (auto format : {MessageExporter::Format::JsonLines, MessageExporter::Format::Csv}) {
            const QString path = m_out.filePath(format == MessageExporter::Format::Csv ? "scan.csv" : "scan.jsonl");
            const QString got = exportAndWait(path, [&](MessageExporter& exporter, QString* error) {
                return exporter.exportScan(path, format, m_session->client(), client::ScanRequest{.topic = "mixed"},
                                           error);
            });
            QVERIFY2(got.isEmpty(), qPrintable(got));
            QString error;
            QString diff;
            if (format == MessageExporter::Format::JsonLines) {
                diff = compare(parseJsonLines(readAll(path), &error), messages);
            } else {
                std::vector<Message> expected, parsed;
                for (const auto& m : messages) expected.push_back(asCsvSees(m));
                for (const auto& m : parseCsvMessages(readAll(path), &error)) parsed.push_back(asCsvSees(m));
                diff = compare(parsed, expected);
            }
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
    }

    void scanWithFilterWritesExactlyTheMatches() {
        const QString path = m_out.filePath("filtered.jsonl");
        auto filter = client::RecordFilter::parse("$.n < 100");
        QVERIFY(filter.ok());
        qint64 written = -1;
        const QString got = exportAndWait(
            path,
            [&](MessageExporter& exporter, QString* error) {
                return exporter.exportScan(path, MessageExporter::Format::JsonLines, m_session->client(),
                                           client::ScanRequest{.topic = "numbers", .filter = filter.value()}, error);
            },
            &written);
        QVERIFY2(got.isEmpty(), qPrintable(got));
        QCOMPARE(written, 100);
        QString error;
        const auto parsed = parseJsonLines(readAll(path), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        std::set<int> numbers;
        for (const auto& m : parsed) {
            const QJsonObject value = QJsonDocument::fromJson(*m.value).object();
            numbers.insert(value.value(QStringLiteral("n")).toInt());
            QCOMPARE(*m.key, QByteArray("k") + QByteArray::number(value.value(QStringLiteral("n")).toInt()));
        }
        QCOMPARE(parsed.size(), size_t(100));
        QCOMPARE(numbers.size(), size_t(100));
        QCOMPARE(*numbers.begin(), 0);
        QCOMPARE(*numbers.rbegin(), 99);
    }

    void scanWholeTopicWithProgress() {
        const QString path = m_out.filePath("numbers.csv");
        MessageExporter exporter;
        QSignalSpy finished(&exporter, &MessageExporter::finished);
        QVERIFY(exporter.exportScan(path, MessageExporter::Format::Csv, m_session->client(),
                                    client::ScanRequest{.topic = "numbers"}));
        QVERIFY(exporter.isRunning());
        QSignalSpy progress(&exporter, &MessageExporter::progress);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished[0][0].toLongLong(), qint64(kNumbers));
        for (const auto& report : progress) {
            QVERIFY(report[0].toLongLong() <= kNumbers);
            QVERIFY(report[2].toLongLong() == 0 || report[2].toLongLong() == kNumbers);
        }
        QCOMPARE(finished[0][1].toBool(), false);
        QVERIFY(!exporter.isRunning());
        QCOMPARE(readAll(path).count("\r\n"), kNumbers + 1);
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1);  // exactly once
    }

    void cancelBigScan() {
        const QString path = m_out.filePath("big.jsonl");
        MessageExporter exporter;
        QSignalSpy progress(&exporter, &MessageExporter::progress);
        QSignalSpy finished(&exporter, &MessageExporter::finished);
        QVERIFY(exporter.exportScan(path, MessageExporter::Format::JsonLines, m_session->client(),
                                    client::ScanRequest{.topic = "big"}));
        QVERIFY(progress.wait(20000));
        QVERIFY2(finished.isEmpty(), "the export finished before it could be cancelled");
        QVERIFY(QFile::exists(path + ".part"));
        exporter.cancel();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished[0][1].toBool(), true);
        QCOMPARE(finished[0][2].toString(), QString());
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + ".part"));
    }

    void cancelRows() {
        std::vector<MessageModel::Row> rows(200000, toRow(mixedMessages()[1]));
        const QString path = m_out.filePath("cancelled.csv");
        MessageExporter exporter;
        QSignalSpy finished(&exporter, &MessageExporter::finished);
        QVERIFY(exporter.exportRows(path, MessageExporter::Format::Csv, "mixed", std::move(rows)));
        exporter.cancel();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished[0][1].toBool(), true);
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + ".part"));
    }

    void unwritablePath() {
        MessageExporter exporter;
        QSignalSpy finished(&exporter, &MessageExporter::finished);
        const QString path = m_out.filePath("no-such-dir/out.jsonl");
        QString error;
        QVERIFY(!exporter.exportRows(path, MessageExporter::Format::JsonLines, "mixed", {toRow(mixedMessages()[0])},
                                     &error));
        QVERIFY2(error.contains(path) && error.contains("No such file"), qPrintable(error));
        QVERIFY(!exporter.isRunning());
        error.clear();
        QVERIFY(!exporter.exportScan(path, MessageExporter::Format::Csv, m_session->client(),
                                     client::ScanRequest{.topic = "mixed"}, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QTest::qWait(100);
        QCOMPARE(finished.count(), 0);
    }

    void diskFull() {
        if (!QFile::exists("/dev/full")) QSKIP("no /dev/full");
        // The partial file is a symlink to /dev/full: every write fails with ENOSPC.
        const QString path = m_out.filePath("full.jsonl");
        QVERIFY(QFile::link("/dev/full", path + ".part"));
        MessageExporter exporter;
        QSignalSpy finished(&exporter, &MessageExporter::finished);
        QVERIFY(exporter.exportScan(path, MessageExporter::Format::JsonLines, m_session->client(),
                                    client::ScanRequest{.topic = "numbers"}));
        QVERIFY(finished.wait(60000));
        const QString error = finished[0][2].toString();
        QVERIFY2(error.contains("No space left"), qPrintable(error));
        QCOMPARE(finished[0][1].toBool(), false);
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFileInfo(path + ".part").isSymLink());
    }

    void oneAtATime() {
        MessageExporter exporter;
        QSignalSpy finished(&exporter, &MessageExporter::finished);
        const QString path = m_out.filePath("first.jsonl");
        QVERIFY(exporter.exportScan(path, MessageExporter::Format::JsonLines, m_session->client(),
                                    client::ScanRequest{.topic = "big"}));
        QString error;
        QVERIFY(!exporter.exportRows(m_out.filePath("second.jsonl"), MessageExporter::Format::JsonLines, "mixed",
                                     {toRow(mixedMessages()[0])}, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!QFile::exists(m_out.filePath("second.jsonl.part")));
        exporter.cancel();
        QVERIFY(finished.wait(20000));
    }

    void destroyWhileRunning() {
        const QString scanPath = m_out.filePath("destroyed.jsonl");
        const QString rowsPath = m_out.filePath("destroyed.csv");
        {
            MessageExporter scan;
            QVERIFY(scan.exportScan(scanPath, MessageExporter::Format::JsonLines, m_session->client(),
                                    client::ScanRequest{.topic = "big"}));
            MessageExporter rows;
            QVERIFY(rows.exportRows(rowsPath, MessageExporter::Format::Csv, "mixed",
                                    std::vector<MessageModel::Row>(100000, toRow(mixedMessages()[5]))));
            QTest::qWait(20);
        }
        // The scanner may still be finishing on its threads: its partial file goes once it has.
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(scanPath + ".part"), 20000);
        QVERIFY(!QFile::exists(scanPath));
        QVERIFY(!QFile::exists(rowsPath + ".part"));
        QVERIFY(!QFile::exists(rowsPath));
        QTest::qWait(100);  // nothing posted to the dead exporters crashes
    }

private:
    // Runs one export and waits for finished(); empty, or what went wrong.
    template <class Start>
    QString exportAndWait(const QString& path, Start start, qint64* written = nullptr) {
        MessageExporter exporter;
        QSignalSpy finished(&exporter, &MessageExporter::finished);
        QString error;
        if (!start(exporter, &error)) return QStringLiteral("did not start: ") + error;
        if (!finished.wait(60000)) return QStringLiteral("never finished");
        if (finished.count() != 1) return QStringLiteral("finished %1 times").arg(finished.count());
        if (finished[0][1].toBool()) return QStringLiteral("cancelled");
        if (!finished[0][2].toString().isEmpty()) return finished[0][2].toString();
        if (written != nullptr) *written = finished[0][0].toLongLong();
        if (!QFile::exists(path)) return QStringLiteral("no file");
        return {};
    }

    QTemporaryDir m_dir;
    QTemporaryDir m_out;
    std::unique_ptr<PartitadProcess> m_broker;
    std::unique_ptr<ClusterSession> m_session;
};

QTEST_GUILESS_MAIN(MessageExporterTest)
#include "messageexporter_test.moc"
