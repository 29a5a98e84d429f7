// Java's Integer/Long and Double parsing and Double.toString, locale-independent.
#include "engine/storage/javanumbers.h"

#include <array>
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

// Java's Double.toString, which Kafka uses both in errors and in DescribeConfigs: plain notation with at
// least one decimal between 10^-3 and 10^7, otherwise d.dddE<exp>.
std::string javaDouble(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
    std::array<char, 64> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), d, std::chars_format::scientific);
    std::string_view sci(buffer.data(), static_cast<size_t>(end - buffer.data()));  // "-1.25e+03"
    std::string out;
    if (sci.front() == '-') {
        out += '-';
        sci.remove_prefix(1);
    }
    size_t e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    std::string_view expText = sci.substr(e + 1);
    if (expText.front() == '+') expText.remove_prefix(1);
    int exponent = 0;
    std::from_chars(expText.data(), expText.data() + expText.size(), exponent);

    double magnitude = std::fabs(d);
    if (magnitude >= 1e-3 && magnitude < 1e7) {
        if (exponent >= 0) {
            auto intLength = static_cast<size_t>(exponent) + 1;
            if (digits.size() <= intLength) {
                out += digits;
                out.append(intLength - digits.size(), '0');
                out += ".0";
            } else {
                out += digits.substr(0, intLength);
                out += '.';
                out += digits.substr(intLength);
            }
        } else {
            out += "0.";
            out.append(static_cast<size_t>(-exponent - 1), '0');
            out += digits;
        }
    } else {
        out += digits[0];
        out += '.';
        out += digits.size() > 1 ? digits.substr(1) : "0";
        out += 'E';
        out += std::to_string(exponent);
    }
    return out;
}

}  // namespace partita::storage
