// Text encodings of record bytes for the consume output: UTF-8 checks, JSON strings, base64.
#include "textencoding.h"

#include <simdjson.h>

#include <cstdint>

namespace partita::cli {

bool isValidUtf8(std::string_view bytes) {
    // simdjson's SIMD check: consume --json validates every key and value.
    return simdjson::validate_utf8(bytes.data(), bytes.size());
}

void appendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    size_t plain = 0;  // start of the run of characters that need no escape
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xf];
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}

// Boost only has base64 in Beast's detail namespace (not a public API), so it is written here.
void appendBase64(std::string& out, std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    size_t n = bytes.size();
    out.reserve(out.size() + (n + 2) / 3 * 4);
    for (; n >= 3; p += 3, n -= 3) {
        const uint32_t v = uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (n > 0) {
        const uint32_t v = uint32_t(p[0]) << 16 | (n == 2 ? uint32_t(p[1]) << 8 : 0);
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += n == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
}

}  // namespace partita::cli
