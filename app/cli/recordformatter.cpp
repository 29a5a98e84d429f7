// RecordFormatter: how consume prints a record: a kcat-like format string or one JSON object per line.
#include "recordformatter.h"

#include "textencoding.h"

#include <charconv>

namespace partita::cli {

namespace {

void appendInt(std::string& out, int64_t value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
}

std::string_view text(std::span<const uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// "name":"text" or "name":"base64...","name_encoding":"base64", or "name":null.
void appendJsonBytes(std::string& out, std::string_view name, const protocol::records::OptionalBytesView& bytes) {
    out += '"';
    out += name;
    out += "\":";
    if (!bytes) {
        out += "null";
        return;
    }
    const std::string_view value = text(*bytes);
    if (isValidUtf8(value)) {
        appendJsonString(out, value);
        return;
    }
    out += '"';
    appendBase64(out, value);
    out += "\",\"";
    out += name;
    out += "_encoding\":\"base64\"";
}

}  // namespace

Result<RecordFormatter> RecordFormatter::compile(std::string_view format) {
    RecordFormatter formatter;
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) formatter.m_tokens.push_back({Field::Literal, std::move(literal)});
        literal.clear();
    };
    for (size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if ((c != '%' && c != '\\') || i + 1 == format.size()) {
            literal += c;
            continue;
        }
        const char next = format[++i];
        if (c == '\\') {
            switch (next) {
                case 'n':
                    literal += '\n';
                    break;
                case 'r':
                    literal += '\r';
                    break;
                case 't':
                    literal += '\t';
                    break;
                case '\\':
                    literal += '\\';
                    break;
                default:
                    literal += '\\';
                    literal += next;
            }
            continue;
        }
        Field field;
        switch (next) {
            case '%':
                literal += '%';
                continue;
            case 't':
                field = Field::Topic;
                break;
            case 'p':
                field = Field::Partition;
                break;
            case 'o':
                field = Field::Offset;
                break;
            case 'k':
                field = Field::Key;
                break;
            case 's':
                field = Field::Value;
                break;
            case 'T':
                field = Field::Timestamp;
                break;
            case 'h':
                field = Field::Headers;
                break;
            case 'K':
                field = Field::KeyLength;
                break;
            case 'S':
                field = Field::ValueLength;
                break;
            default:
                return Error{ErrorKind::InvalidArgument, std::string("--format: unknown token %") + next +
                                                             " (known: %t %p %o %k %s %T %h %K %S %%)"};
        }
        flush();
        formatter.m_tokens.push_back({field, {}});
    }
    flush();
    return formatter;
}

RecordFormatter RecordFormatter::json() {
    RecordFormatter formatter;
    formatter.m_json = true;
    return formatter;
}

void RecordFormatter::append(std::string& out, std::string_view topic, int32_t partition,
                             const client::FetchedRecord& record) const {
    if (m_json) return appendJson(out, topic, partition, record);
    for (const Token& token : m_tokens) {
        switch (token.field) {
            case Field::Literal:
                out += token.text;
                break;
            case Field::Topic:
                out += topic;
                break;
            case Field::Partition:
                appendInt(out, partition);
                break;
            case Field::Offset:
                appendInt(out, record.offset);
                break;
            case Field::Key:
                if (record.key) out += text(*record.key);
                break;
            case Field::Value:
                if (record.value) out += text(*record.value);
                break;
            case Field::Timestamp:
                appendInt(out, record.timestamp);
                break;
            case Field::Headers: {
                bool first = true;
                record.forEachHeader([&](const protocol::records::HeaderView& h) {
                    if (!first) out += ',';
                    first = false;
                    out += h.key;
                    out += '=';
                    if (h.value) out += text(*h.value);
                });
                break;
            }
            case Field::KeyLength:
                appendInt(out, record.key ? int64_t(record.key->size()) : -1);
                break;
            case Field::ValueLength:
                appendInt(out, record.value ? int64_t(record.value->size()) : -1);
                break;
        }
    }
}

void RecordFormatter::appendJson(std::string& out, std::string_view topic, int32_t partition,
                                 const client::FetchedRecord& record) const {
    out += "{\"topic\":";
    appendJsonString(out, topic);  // Kafka topic names are ASCII
    out += ",\"partition\":";
    appendInt(out, partition);
    out += ",\"offset\":";
    appendInt(out, record.offset);
    out += ",\"timestamp\":";
    appendInt(out, record.timestamp);
    out += ',';
    appendJsonBytes(out, "key", record.key);
    out += ',';
    appendJsonBytes(out, "value", record.value);
    out += ",\"headers\":[";
    bool first = true;
    record.forEachHeader([&](const protocol::records::HeaderView& h) {
        if (!first) out += ',';
        first = false;
        out += "{\"key\":";
        appendJsonString(out, isValidUtf8(h.key) ? h.key : std::string_view("?"));
        out += ',';
        appendJsonBytes(out, "value", h.value);
        out += '}';
    });
    out += "]}\n";
}

}  // namespace partita::cli
