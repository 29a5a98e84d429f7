// RecordFilter: the message search's expression language, parsed once and matched on record views.
#pragma once

#include "engine/client/fetchedrecords.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace partita::client {

// Expressions (keywords are lower case; strings in double quotes with \" \\ \n \t escapes):
//
//   error                          plain text (no operator): substring of the key or the value
//   "two words"   /re/i            a bare string or regex: the same, on the key or the value
//   value contains "x"             key, value, header.NAME, headers (any header's value)
//   key == "k"    key != "k"       exact bytes
//   key ~ /re/i                    RE2, unanchored; flags: i (ignore case), s (. matches \n)
//   header.trace-id exists         the header is there (its value may be null); key/value: not null
//   $.status == "active"           JSON field (simdjson): == != < <= > >= with a string, number,
//   $.amount between 10 and 20     true, false or null; between (inclusive); exists; contains;
//   $.user.id exists  $.tags[0]    ~ /re/ on a string field; $["odd key"] for other names
//   offset >= 100   timestamp < 1700000000000
//   a and b, a or b, not a, ( ... )    not > and > or
//
// Values that are not JSON (or lack the field) do not match a $ clause. Matching never copies
// key or value except into a reused per-thread buffer when a $ clause needs JSON parsing
// (simdjson reads a little past the end of its input). A filter is immutable once parsed and
// may be matched from many threads at once.
class RecordFilter {
public:
    // Matches every record.
    RecordFilter();
    ~RecordFilter();
    RecordFilter(const RecordFilter&);
    RecordFilter& operator=(const RecordFilter&);
    RecordFilter(RecordFilter&&) noexcept;
    RecordFilter& operator=(RecordFilter&&) noexcept;

    // An empty or blank text matches everything. A bad expression is InvalidArgument with a
    // message like "column 14: expected a string, a number, true, false or null after '==', found 'and'";
    // `errorColumn` (1-based) receives the column when given.
    static Result<RecordFilter> parse(std::string_view text, size_t* errorColumn = nullptr);

    bool matchesAll() const;
    // True when some clause looks inside JSON values.
    bool usesJson() const;
    // The expression as parsed, normalized ("(value contains \"x\" and $.a > 1)").
    std::string toString() const;

    bool matches(const FetchedRecord& record) const;
    bool matches(const ConsumerRecord& record) const;

    struct Node;

private:
    std::shared_ptr<const Node> m_root;  // null: matches everything
};

}  // namespace partita::client
