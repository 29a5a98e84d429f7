// Java .properties parsing: logical lines, key/value separation and escapes as java.util.Properties.load does them.
#include "engine/protocol/propertiesfile.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

namespace partita::protocol {
namespace {

// Properties treats only these as whitespace: a key ends at one, and they are skipped before a value.
bool isPropertiesSpace(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

void appendUtf8(std::string& out, uint32_t codePoint) {
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

std::optional<uint32_t> hexDigit(char c) {
    if (c >= '0' && c <= '9') return static_cast<uint32_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint32_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint32_t>(c - 'A' + 10);
    return std::nullopt;
}

// Properties.loadConvert: resolves escapes. \uXXXX yields UTF-16 units, so a surrogate pair written as two
// escapes becomes one code point; a lone surrogate cannot be UTF-8 and becomes U+FFFD.
Result<std::string> unescape(std::string_view in, std::string_view where) {
    std::string out;
    out.reserve(in.size());
    uint32_t highSurrogate = 0;  // a pending \uD800-\uDBFF escape, 0 when none
    auto flushSurrogate = [&] {
        if (highSurrogate != 0) appendUtf8(out, 0xFFFD);
        highSurrogate = 0;
    };
    for (size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c != '\\') {
            flushSurrogate();
            out += c;
            continue;
        }
        if (++i == in.size()) break;  // a lone trailing backslash means nothing, as in Java
        c = in[i];
        if (c != 'u') {
            flushSurrogate();
            switch (c) {
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'f':
                    out += '\f';
                    break;
                default:
                    out += c;
            }
            continue;
        }
        uint32_t unit = 0;
        for (int k = 0; k < 4; ++k) {
            auto digit = i + 1 < in.size() ? hexDigit(in[i + 1]) : std::nullopt;
            if (!digit)
                return makeError(ErrorKind::Malformed,
                                 std::string(where) + ": Malformed \\uxxxx encoding in \"" + std::string(in) + "\"");
            unit = unit * 16 + *digit;
            ++i;
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            flushSurrogate();
            highSurrogate = unit;
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            if (highSurrogate != 0) {
                appendUtf8(out, 0x10000 + ((highSurrogate - 0xD800) << 10) + (unit - 0xDC00));
                highSurrogate = 0;
            } else {
                appendUtf8(out, 0xFFFD);
            }
        } else {
            flushSurrogate();
            appendUtf8(out, unit);
        }
    }
    flushSurrogate();
    return out;
}

// Splits off the next natural line (ended by \n, \r or \r\n); `text` keeps the rest.
std::string_view nextNaturalLine(std::string_view& text) {
    size_t end = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, end);
    if (end == std::string_view::npos) {
        text = {};
    } else {
        size_t skip = text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1;
        text.remove_prefix(end + skip);
    }
    return line;
}

std::string_view skipSpace(std::string_view s) {
    while (!s.empty() && isPropertiesSpace(s.front())) s.remove_prefix(1);
    return s;
}

// An odd number of trailing backslashes continues the line; an even number are escaped backslashes.
bool continues(std::string_view line) {
    size_t count = 0;
    while (count < line.size() && line[line.size() - 1 - count] == '\\') ++count;
    return count % 2 == 1;
}

}  // namespace

Result<std::map<std::string, std::string>> parsePropertiesText(std::string_view text, std::string_view sourceName) {
    std::map<std::string, std::string> properties;
    int lineNumber = 0;
    while (!text.empty()) {
        std::string_view natural = skipSpace(nextNaturalLine(text));
        ++lineNumber;
        const int startLine = lineNumber;
        // A comment is a whole natural line: a backslash at its end does not pull in the next one.
        if (natural.empty() || natural.front() == '#' || natural.front() == '!') continue;

        std::string logical;
        while (continues(natural)) {
            natural.remove_suffix(1);
            logical.append(natural);
            if (text.empty()) {
                natural = {};  // a continuation at the end of the input joins nothing
                break;
            }
            natural = skipSpace(nextNaturalLine(text));
            ++lineNumber;
        }
        logical.append(natural);

        // The key ends at the first unescaped '=', ':' or whitespace; whitespace and at most one '=' or ':'
        // then separate it from the value.
        size_t keyEnd = 0;
        bool escaped = false;
        bool hasSeparator = false;
        for (; keyEnd < logical.size(); ++keyEnd) {
            char c = logical[keyEnd];
            if (!escaped && (c == '=' || c == ':')) {
                hasSeparator = true;
                break;
            }
            if (!escaped && isPropertiesSpace(c)) break;
            escaped = c == '\\' && !escaped;
        }
        size_t valueStart = keyEnd < logical.size() ? keyEnd + 1 : keyEnd;
        while (valueStart < logical.size()) {
            char c = logical[valueStart];
            if (!isPropertiesSpace(c)) {
                if (hasSeparator || (c != '=' && c != ':')) break;
                hasSeparator = true;
            }
            ++valueStart;
        }

        const std::string where = std::string(sourceName) + ":" + std::to_string(startLine);
        auto key = unescape(std::string_view(logical).substr(0, keyEnd), where);
        if (!key) return key.error();
        auto value = unescape(std::string_view(logical).substr(valueStart), where);
        if (!value) return value.error();
        properties.insert_or_assign(std::move(*key), std::move(*value));
    }
    return properties;
}

Result<std::map<std::string, std::string>> parsePropertiesFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorKind::Io, "Cannot read " + path + ": " + std::strerror(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return makeError(ErrorKind::Io, "Cannot read " + path + ": " + std::strerror(errno));
    return parsePropertiesText(text, path);
}

}  // namespace partita::protocol
