// ValueGenerator: parses the bulk producer's {{...}} placeholders once and expands them per message
// into a caller's buffer, so a bulk of a million messages does no parsing and few allocations.
#include "models/valuegenerator.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>

namespace partita::models {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("partita::models::ValueGenerator", text);
}

// "column 12" on the first line, "line 3, column 5" after it (1-based, in bytes).
QString position(const QByteArray& text, qsizetype offset) {
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    const qsizetype column = offset - lineStart + 1;
    if (line == 1) return tr("column %1").arg(column);
    return tr("line %1, column %2").arg(line).arg(column);
}

std::optional<int64_t> parseInt(std::string_view s) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

// A decimal in hundredths ("0.5" -> 50), rounded.
std::optional<int64_t> parseHundredths(std::string_view s) {
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || std::fabs(v) > 9e15)
        return std::nullopt;
    return int64_t(std::llround(v * 100));
}

void appendInt(std::string& out, int64_t v) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, end);
}

int64_t uniform(std::mt19937_64& rng, int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng);
}

}  // namespace

std::optional<ValueGenerator> ValueGenerator::parse(const QByteArray& text, QString* error) {
    ValueGenerator generator;
    std::string literal;
    auto fail = [&](qsizetype offset, const QString& message) {
        if (error) *error = position(text, offset) + QStringLiteral(": ") + message;
        return std::nullopt;
    };
    auto flushLiteral = [&] {
        if (literal.empty()) return;
        generator.m_parts.push_back(Part{.kind = Kind::Literal, .text = std::move(literal)});
        literal.clear();
    };
    const std::string_view all(text.constData(), size_t(text.size()));
    size_t i = 0;
    while (i < all.size()) {
        if (all.compare(i, 4, "{{{{") == 0) {  // the escape for a literal "{{"
            literal += "{{";
            i += 4;
            continue;
        }
        if (all.compare(i, 2, "{{") != 0) {
            literal += all[i++];
            continue;
        }
        const size_t close = all.find("}}", i + 2);
        if (close == std::string_view::npos)
            return fail(qsizetype(i), tr("'{{' without a closing '}}' (write {{{{ for a literal {{)"));
        const std::string_view body = all.substr(i + 2, close - i - 2);
        const std::string_view name = body.substr(0, body.find(':'));
        const bool hasArgument = body.find(':') != std::string_view::npos;
        const std::string_view argument = hasArgument ? body.substr(body.find(':') + 1) : std::string_view();
        Part part;
        if (name == "counter") {
            part.kind = Kind::Counter;
            if (hasArgument) {
                auto start = parseInt(argument);
                if (!start)
                    return fail(qsizetype(i),
                                tr("{{counter:N}} needs an integer start, got '%1'").arg(QString::fromUtf8(argument)));
                part.low = *start;
            }
        } else if (name == "uuid" && !hasArgument) {
            part.kind = Kind::Uuid;
        } else if (name == "now" && !hasArgument) {
            part.kind = Kind::NowMs;
        } else if (name == "now" && argument == "iso") {
            part.kind = Kind::NowIso;
        } else if (name == "random" && hasArgument) {
            const size_t dots = argument.find("..");
            if (dots != std::string_view::npos && argument.find('|') == std::string_view::npos) {
                const std::string_view lowText = argument.substr(0, dots);
                const std::string_view highText = argument.substr(dots + 2);
                auto low = parseInt(lowText);
                auto high = parseInt(highText);
                if (low && high) {
                    part.kind = Kind::IntRange;
                    part.low = *low;
                    part.high = *high;
                } else {
                    auto lowD = parseHundredths(lowText);
                    auto highD = parseHundredths(highText);
                    if (!lowD || !highD)
                        return fail(
                            qsizetype(i),
                            tr("{{random:LOW..HIGH}} needs two numbers, got '%1'").arg(QString::fromUtf8(argument)));
                    part.kind = Kind::DecimalRange;
                    part.low = *lowD;
                    part.high = *highD;
                }
                if (part.low > part.high)
                    return fail(
                        qsizetype(i),
                        tr("{{random:%1}}: the low end is above the high end").arg(QString::fromUtf8(argument)));
            } else {
                part.kind = Kind::Choice;
                size_t start = 0;
                while (true) {
                    const size_t bar = argument.find('|', start);
                    part.choices.emplace_back(
                        argument.substr(start, bar == std::string_view::npos ? bar : bar - start));
                    if (bar == std::string_view::npos) break;
                    start = bar + 1;
                }
            }
        } else {
            return fail(qsizetype(i), tr("unknown generator '%1'").arg(QString::fromUtf8(body)));
        }
        flushLiteral();
        generator.m_parts.push_back(std::move(part));
        i = close + 2;
    }
    flushLiteral();
    if (error) error->clear();
    return generator;
}

QString ValueGenerator::validateJson(const QByteArray& json) {
    QJsonParseError parseError;
    QJsonDocument::fromJson(json, &parseError);
    if (parseError.error == QJsonParseError::NoError) return {};
    // QJsonDocument wants an object or an array at the top; RFC 8259 also allows a scalar
    // ("text", 42, true, null), so accept what parses as the only element of an array.
    QJsonParseError wrappedError;
    const QJsonDocument wrapped = QJsonDocument::fromJson("[" + json + "\n]", &wrappedError);
    if (wrappedError.error == QJsonParseError::NoError && wrapped.array().size() == 1) return {};
    return position(json, parseError.offset) + QStringLiteral(": ") + parseError.errorString();
}

bool ValueGenerator::isConstant() const {
    for (const Part& part : m_parts)
        if (part.kind != Kind::Literal) return false;
    return true;
}

void ValueGenerator::expandInto(uint64_t index, std::mt19937_64& rng, std::string& out) const {
    for (const Part& part : m_parts) {
        switch (part.kind) {
            case Kind::Literal:
                out += part.text;
                break;
            case Kind::Counter:
                appendInt(out, part.low + int64_t(index));
                break;
            case Kind::Uuid: {
                uint64_t high = rng();
                uint64_t low = rng();
                high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
                low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // RFC 4122 variant
                static const char hex[] = "0123456789abcdef";
                char text[36];
                int at = 0;
                for (int nibble = 0; nibble < 32; ++nibble) {
                    if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) text[at++] = '-';
                    const uint64_t word = nibble < 16 ? high : low;
                    text[at++] = hex[(word >> (60 - 4 * (nibble % 16))) & 0xf];
                }
                out.append(text, sizeof text);
                break;
            }
            case Kind::NowMs:
                appendInt(out, std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
                break;
            case Kind::NowIso: {
                const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
                const std::time_t seconds = std::time_t(ms / 1000);
                std::tm utc{};
                gmtime_r(&seconds, &utc);
                char text[40];
                const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
                out.append(text, n);
                char millis[8];
                std::snprintf(millis, sizeof millis, ".%03dZ", int(ms % 1000));
                out += millis;
                break;
            }
            case Kind::Choice:
                out += part.choices[size_t(uniform(rng, 0, int64_t(part.choices.size()) - 1))];
                break;
            case Kind::IntRange:
                appendInt(out, uniform(rng, part.low, part.high));
                break;
            case Kind::DecimalRange: {
                const int64_t v = uniform(rng, part.low, part.high);
                if (v < 0) out += '-';
                const int64_t magnitude = v < 0 ? -v : v;
                appendInt(out, magnitude / 100);
                out += '.';
                out += char('0' + (magnitude % 100) / 10);
                out += char('0' + magnitude % 10);
                break;
            }
        }
    }
}

QByteArray ValueGenerator::expand(uint64_t index, std::mt19937_64& rng) const {
    std::string out;
    expandInto(index, rng, out);
    return QByteArray(out.data(), qsizetype(out.size()));
}

}  // namespace partita::models
