// StartPosition: where a seek puts a partition (an offset, either end, N before the end, a time).
#pragma once

#include <cstdint>
#include <string>

namespace partita::client {

// Positions other than an offset are resolved with ListOffsets on the partition's leader
// when the consumer next polls, so a seek never waits on the network.
struct StartPosition {
    enum class Kind : uint8_t {
        Offset,     // value: the offset (clamped by the broker: out of range applies auto.offset.reset)
        Beginning,  // the log start offset
        End,        // the log end (the last stable offset with read_committed): only new records
        FromEnd,    // value: N records before the end, not before the log start
        Timestamp,  // value: ms since the epoch; the first offset with a timestamp >= it, or the end
    };
    Kind kind = Kind::End;
    int64_t value = 0;

    static StartPosition offset(int64_t offset) { return {Kind::Offset, offset}; }
    static StartPosition beginning() { return {Kind::Beginning, 0}; }
    static StartPosition end() { return {Kind::End, 0}; }
    static StartPosition fromEnd(int64_t count) { return {Kind::FromEnd, count}; }
    static StartPosition timestamp(int64_t ms) { return {Kind::Timestamp, ms}; }

    // "offset 42", "beginning", "end", "end-10", "timestamp 1700000000000".
    std::string toString() const {
        switch (kind) {
            case Kind::Offset:
                return "offset " + std::to_string(value);
            case Kind::Beginning:
                return "beginning";
            case Kind::End:
                return "end";
            case Kind::FromEnd:
                return "end-" + std::to_string(value);
            case Kind::Timestamp:
                return "timestamp " + std::to_string(value);
        }
        return {};
    }

    friend bool operator==(const StartPosition&, const StartPosition&) = default;
};

}  // namespace partita::client
