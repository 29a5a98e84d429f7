// Java's number parsing rules (Integer.parseInt, Long.parseLong, Double.parseDouble), for config values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace partita::storage {

// Kafka reads config numbers with Java's parsers; partitad accepts and refuses exactly what they do.

// Java's Integer/Long.parseLong: an optional sign, then decimal digits only, within [min, max].
std::optional<int64_t> parseJavaInteger(std::string_view s, int64_t min, int64_t max);

// Java's Double.parseDouble for decimal input: a sign, digits with an optional point and exponent, an
// optional f/d suffix, or the words Infinity and NaN. (Hexadecimal floats are refused.)
std::optional<double> parseJavaDouble(std::string_view s);

// Java's Double.toString, which Kafka uses both in errors and in DescribeConfigs: plain notation with at
// least one decimal between 10^-3 and 10^7, otherwise d.dddE<exp>.
std::string javaDouble(double d);

}  // namespace partita::storage
