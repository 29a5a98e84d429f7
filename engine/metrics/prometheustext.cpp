// Exposition helpers and a line-by-line parser of the Prometheus text format.
#include "engine/metrics/prometheustext.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace partita::metrics {

namespace {

bool isNameStart(char c, bool colonOk) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colonOk && c == ':');
}

bool isNameChar(char c, bool colonOk) {
    return isNameStart(c, colonOk) || (c >= '0' && c <= '9');
}

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

class LineParser {
public:
    explicit LineParser(std::string_view line) : m_line(line) {}

    void skipBlanks() {
        while (m_pos < m_line.size() && isBlank(m_line[m_pos])) ++m_pos;
    }
    bool atEnd() const { return m_pos >= m_line.size(); }
    char peek() const { return atEnd() ? '\0' : m_line[m_pos]; }
    std::string_view rest() const { return m_line.substr(std::min(m_pos, m_line.size())); }

    std::string_view name(bool colonOk) {
        size_t start = m_pos;
        if (atEnd() || !isNameStart(m_line[m_pos], colonOk)) return {};
        while (m_pos < m_line.size() && isNameChar(m_line[m_pos], colonOk)) ++m_pos;
        return m_line.substr(start, m_pos - start);
    }

    std::string_view token() {
        size_t start = m_pos;
        while (m_pos < m_line.size() && !isBlank(m_line[m_pos])) ++m_pos;
        return m_line.substr(start, m_pos - start);
    }

    bool consume(char c) {
        if (peek() != c) return false;
        ++m_pos;
        return true;
    }

    // A double-quoted label value with \\, \" and \n escapes.
    std::optional<std::string> quoted(std::string& error) {
        if (!consume('"')) {
            error = "expected '\"' to open a label value";
            return std::nullopt;
        }
        std::string out;
        while (!atEnd()) {
            char c = m_line[m_pos++];
            if (c == '"') return out;
            if (c == '\\') {
                if (atEnd()) break;
                char e = m_line[m_pos++];
                if (e == 'n') {
                    out += '\n';
                } else if (e == '\\' || e == '"') {
                    out += e;
                } else {
                    error = std::string("unknown escape \\") + e + " in a label value";
                    return std::nullopt;
                }
                continue;
            }
            out += c;
        }
        error = "unterminated label value";
        return std::nullopt;
    }

private:
    std::string_view m_line;
    size_t m_pos = 0;
};

std::optional<double> parseValue(std::string_view text) {
    if (text == "NaN") return std::nan("");
    if (text == "+Inf" || text == "Inf") return HUGE_VAL;
    if (text == "-Inf") return -HUGE_VAL;
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::string unescapeHelp(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'n' || text[i + 1] == '\\')) {
            out += text[i + 1] == 'n' ? '\n' : '\\';
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

bool hasLabels(const PrometheusSample& sample, const Labels& having) {
    for (const auto& [key, value] : having) {
        bool found = false;
        for (const auto& [k, v] : sample.labels) found = found || (k == key && v == value);
        if (!found) return false;
    }
    return true;
}

// One sample line; empty error on success.
std::string parseSample(std::string_view line, PrometheusSample& sample) {
    LineParser p(line);
    std::string_view name = p.name(true);
    if (name.empty()) return "expected a metric name";
    sample.name = std::string(name);
    p.skipBlanks();
    if (p.consume('{')) {
        for (;;) {
            p.skipBlanks();
            if (p.consume('}')) break;
            std::string_view key = p.name(false);
            if (key.empty()) return "expected a label name";
            p.skipBlanks();
            if (!p.consume('=')) return "expected '=' after label " + std::string(key);
            p.skipBlanks();
            std::string error;
            auto value = p.quoted(error);
            if (!value) return error;
            sample.labels.emplace_back(std::string(key), std::move(*value));
            p.skipBlanks();
            if (p.consume(',')) continue;
            if (p.consume('}')) break;
            return "expected ',' or '}' after a label";
        }
        p.skipBlanks();
    }
    std::string_view valueText = p.token();
    if (valueText.empty()) return "expected a value";
    auto value = parseValue(valueText);
    if (!value) return "not a number: " + std::string(valueText);
    sample.value = *value;
    p.skipBlanks();
    if (!p.atEnd()) {
        std::string_view stamp = p.token();
        int64_t ms = 0;
        auto [end, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), ms);
        if (ec != std::errc() || end != stamp.data() + stamp.size()) return "bad timestamp: " + std::string(stamp);
        sample.timestampMs = ms;
        p.skipBlanks();
        if (!p.atEnd()) return "unexpected text after the timestamp: " + std::string(p.rest());
    }
    return {};
}

}  // namespace

std::string PrometheusSample::label(std::string_view key) const {
    for (const auto& [k, v] : labels)
        if (k == key) return v;
    return {};
}

const PrometheusSample* PrometheusText::find(std::string_view name, const Labels& having) const {
    for (const auto& sample : samples)
        if (sample.name == name && hasLabels(sample, having)) return &sample;
    return nullptr;
}

std::optional<double> PrometheusText::sum(std::string_view name, const Labels& having) const {
    std::optional<double> total;
    for (const auto& sample : samples)
        if (sample.name == name && hasLabels(sample, having)) total = total.value_or(0) + sample.value;
    return total;
}

PrometheusText parsePrometheusText(std::string_view text) {
    PrometheusText out;
    size_t lineNumber = 0;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        LineParser p(line);
        p.skipBlanks();
        if (p.atEnd()) continue;
        if (p.consume('#')) {
            p.skipBlanks();
            std::string_view keyword = p.token();
            if (keyword != "TYPE" && keyword != "HELP") continue;  // any other comment
            p.skipBlanks();
            std::string_view name = p.name(true);
            if (name.empty()) {
                out.errors.push_back({lineNumber, "expected a metric name after # " + std::string(keyword)});
                continue;
            }
            if (!p.atEnd() && !isBlank(p.peek())) {
                out.errors.push_back({lineNumber, "bad metric name after # " + std::string(keyword)});
                continue;
            }
            p.skipBlanks();
            if (keyword == "HELP") {
                out.help[std::string(name)] = unescapeHelp(p.rest());
                continue;
            }
            std::string_view type = p.token();
            if (type != "counter" && type != "gauge" && type != "summary" && type != "histogram" && type != "untyped") {
                out.errors.push_back({lineNumber, "unknown metric type '" + std::string(type) + "'"});
                continue;
            }
            out.types[std::string(name)] = std::string(type);
            continue;
        }
        PrometheusSample sample;
        std::string error = parseSample(line.substr(line.find_first_not_of(" \t")), sample);
        if (!error.empty()) {
            out.errors.push_back({lineNumber, error});
            continue;
        }
        out.samples.push_back(std::move(sample));
    }
    return out;
}

std::string escapeLabelValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escapeHelp(std::string_view help) {
    std::string out;
    for (char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string formatValue(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(value));
        return buffer;
    }
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

std::string formatSeries(std::string_view name, const Labels& labels) {
    std::string out(name);
    if (labels.empty()) return out;
    out += '{';
    bool first = true;
    for (const auto& [key, value] : labels) {
        if (!first) out += ',';
        first = false;
        out += key;
        out += "=\"";
        out += escapeLabelValue(value);
        out += '"';
    }
    out += '}';
    return out;
}

bool isValidMetricName(std::string_view name) {
    if (name.empty() || !isNameStart(name.front(), true)) return false;
    for (char c : name)
        if (!isNameChar(c, true)) return false;
    return true;
}

bool isValidLabelName(std::string_view name) {
    if (name.empty() || !isNameStart(name.front(), false)) return false;
    for (char c : name)
        if (!isNameChar(c, false)) return false;
    return true;
}

}  // namespace partita::metrics
