// Java's Integer/Long and Double parsing, locale-independent.
#include "engine/storage/javanumbers.h"

#include <charconv>
#include <cmath>
#include <string>

namespace partita::storage {

// Java's Integer/Long.parseLong: an optional sign, then decimal digits only, within [min, max].
std::optional<int64_t> parseJavaInteger(std::string_view s, int64_t min, int64_t max) {
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
        if (!s.empty() && s.front() == '-') return std::nullopt;
    }
    if (s.empty() || s == "-") return std::nullopt;
    int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || value < min || value > max) return std::nullopt;
    return value;
}

// Java's Double.parseDouble for decimal input: a sign, digits with an optional point and exponent, an
// optional f/d suffix, or the words Infinity and NaN. (Hexadecimal floats are refused.)
std::optional<double> parseJavaDouble(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
    if (s == "NaN") return std::nan("");
    if (!s.empty() && (s.back() == 'f' || s.back() == 'F' || s.back() == 'd' || s.back() == 'D')) s.remove_suffix(1);

    size_t i = 0;
    int leadingIntDigits = 0;  // significant digits before the point
    int zerosAfterPoint = 0;   // zeros between the point and the first significant digit
    bool sawDigit = false;
    bool sawSignificant = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        sawDigit = true;
        if (s[i] != '0' || sawSignificant) {
            sawSignificant = true;
            ++leadingIntDigits;
        }
        ++i;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            sawDigit = true;
            if (!sawSignificant) {
                if (s[i] == '0') {
                    ++zerosAfterPoint;
                } else {
                    sawSignificant = true;
                }
            }
            ++i;
        }
    }
    if (!sawDigit) return std::nullopt;
    int64_t exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        auto parsed = parseJavaInteger(s.substr(i + 1), -1'000'000'000, 1'000'000'000);
        if (!parsed) return std::nullopt;
        exponent = *parsed;
        i = s.size();
    }
    if (i != s.size()) return std::nullopt;

    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
        // Java rounds to infinity or zero; tell which from the decimal magnitude.
        int64_t magnitude = leadingIntDigits > 0 ? leadingIntDigits - 1 + exponent : exponent - zerosAfterPoint - 1;
        value = magnitude > 0 ? HUGE_VAL : 0.0;
    } else if (ec != std::errc{} || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return negative ? -value : value;
}

}  // namespace partita::storage
