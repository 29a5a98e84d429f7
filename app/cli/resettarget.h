// ResetTarget: where groups reset-offsets moves a group (Kafka's --to-* / --by-duration / --shift-by)
// and the parsing of its date-time and duration arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace partita::cli {

struct ResetTarget {
    enum class Kind { Earliest, Latest, Current, Offset, Timestamp, ShiftBy };
    Kind kind = Kind::Earliest;
    int64_t value = 0;  // Offset: the offset; Timestamp: ms since the epoch; ShiftBy: the shift
};

// Kafka's --to-datetime: YYYY-MM-DDTHH:mm:SS[.sss][Z|+hh:mm|-hh:mm]; local time without a zone, as
// kafka-consumer-groups.sh reads it. Milliseconds since the epoch, nullopt when malformed.
std::optional<int64_t> parseDateTime(std::string_view text);

// Kafka's --by-duration, ISO-8601 as Java's Duration.parse: PnDTnHnMn[.fff]S (each part optional,
// at least one given). Milliseconds, nullopt when malformed.
std::optional<int64_t> parseDuration(std::string_view text);

}  // namespace partita::cli
