// RecordSlices: fetched records that stay in the segment files until the response is sent (sendfile).
#pragma once

#include "engine/net/framehandler.h"
#include "engine/protocol/bytes.h"
#include "engine/storage/fileslice.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace partita::broker {

// The generated encoder writes a fetch response as one frame. To keep record bytes out of user
// space, the fetch puts a 16-byte marker where each partition's records go; after encoding, the
// frame is cut at the markers and each marker (with its length field) is replaced by the real
// length and a file region of the segment.
class RecordSlices {
public:
    RecordSlices();

    // The marker that stands in for `slice` in the response until split().
    Bytes add(const storage::FileSlice& slice);
    bool empty() const { return m_entries.empty(); }
    // The bytes a response's records field stands for: the slice's length for a marker, else its own size.
    uint64_t recordBytes(const Bytes& records) const;
    void clear() { m_entries.clear(); }

    // `frame` is the encoded response, length prefix included; `flexible` says whether its records
    // lengths are compact varints (v12+ of Fetch) or int32s. nullopt if a marker is not where it
    // must be (a bug: the caller closes the connection).
    std::optional<net::ResponseFrame> split(const Bytes& frame, bool flexible) const;

private:
    struct Entry {
        std::array<uint8_t, 16> marker;
        storage::FileSlice slice;
    };
    std::vector<Entry> m_entries;
    uint64_t m_salt;
};

}  // namespace partita::broker
