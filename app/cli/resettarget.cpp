// ResetTarget: parsing of groups reset-offsets' date-time and duration arguments.
#include "resettarget.h"

#include <cctype>
#include <charconv>
#include <ctime>

namespace partita::cli {

namespace {

// Reads exactly `digits` digits at `pos`.
bool readFixed(std::string_view text, size_t& pos, size_t digits, int& out) {
    if (pos + digits > text.size()) return false;
    int value = 0;
    for (size_t i = 0; i < digits; ++i) {
        const char c = text[pos + i];
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        value = value * 10 + (c - '0');
    }
    pos += digits;
    out = value;
    return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::optional<int64_t> parseDateTime(std::string_view text) {
    size_t pos = 0;
    std::tm tm{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    if (!readFixed(text, pos, 4, year) || !expect(text, pos, '-') || !readFixed(text, pos, 2, month) ||
        !expect(text, pos, '-') || !readFixed(text, pos, 2, day) || !expect(text, pos, 'T') ||
        !readFixed(text, pos, 2, hour) || !expect(text, pos, ':') || !readFixed(text, pos, 2, minute) ||
        !expect(text, pos, ':') || !readFixed(text, pos, 2, second))
        return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        size_t digits = 0;
        int scale = 100;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            if (digits < 3) millis += (text[pos] - '0') * scale;
            scale /= 10;
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;

    std::time_t seconds;
    if (pos == text.size()) {
        tm.tm_isdst = -1;
        seconds = std::mktime(&tm);
    } else if (text[pos] == 'Z' && pos + 1 == text.size()) {
        seconds = timegm(&tm);
    } else if (text[pos] == '+' || text[pos] == '-') {
        const int sign = text[pos] == '+' ? 1 : -1;
        ++pos;
        int zoneHours = 0, zoneMinutes = 0;
        if (!readFixed(text, pos, 2, zoneHours)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!readFixed(text, pos, 2, zoneMinutes) || pos != text.size() || zoneHours > 18 || zoneMinutes > 59)
            return std::nullopt;
        seconds = timegm(&tm) - sign * (zoneHours * 3600 + zoneMinutes * 60);
    } else {
        return std::nullopt;
    }
    if (seconds == std::time_t(-1) && !(year == 1969 && month == 12 && day == 31)) return std::nullopt;
    return int64_t(seconds) * 1000 + millis;
}

std::optional<int64_t> parseDuration(std::string_view text) {
    size_t pos = 0;
    if (!expect(text, pos, 'P') || pos == text.size()) return std::nullopt;
    int64_t total = 0;
    bool inTime = false;
    bool any = false;
    while (pos < text.size()) {
        if (text[pos] == 'T') {
            if (inTime) return std::nullopt;
            inTime = true;
            ++pos;
            if (pos == text.size()) return std::nullopt;
            continue;
        }
        int64_t whole = 0;
        auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), whole);
        if (ec != std::errc() || whole < 0) return std::nullopt;
        pos = size_t(end - text.data());
        int64_t fractionMs = 0;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            int scale = 100;
            size_t digits = 0;
            while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
                if (digits < 3) fractionMs += (text[pos] - '0') * scale;
                scale /= 10;
                ++digits;
                ++pos;
            }
            if (digits == 0 || pos >= text.size() || text[pos] != 'S')
                return std::nullopt;  // only seconds take a fraction
        }
        if (pos >= text.size()) return std::nullopt;
        const char unit = text[pos++];
        if (!inTime && unit == 'D')
            total += whole * 86400000;
        else if (inTime && unit == 'H')
            total += whole * 3600000;
        else if (inTime && unit == 'M')
            total += whole * 60000;
        else if (inTime && unit == 'S')
            total += whole * 1000 + fractionMs;
        else
            return std::nullopt;
        any = true;
    }
    if (!any) return std::nullopt;
    return total;
}

}  // namespace partita::cli
