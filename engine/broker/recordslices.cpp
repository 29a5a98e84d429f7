// Cutting an encoded fetch response at its record markers into bytes and file regions.
#include "engine/broker/recordslices.h"

#include "engine/protocol/records/byteorder.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <random>
#include <string_view>

namespace partita::broker {

namespace {

// The records length field as the encoder writes it: int32, or unsigned varint of length + 1.
std::vector<uint8_t> lengthField(uint64_t length, bool flexible) {
    std::vector<uint8_t> out;
    if (!flexible) {
        out.resize(4);
        protocol::records::storeBe32(out.data(), uint32_t(length));
        return out;
    }
    for (uint64_t v = length + 1;; v >>= 7) {
        if (v < 0x80) {
            out.push_back(uint8_t(v));
            return out;
        }
        out.push_back(uint8_t(v | 0x80));
    }
}

}  // namespace

namespace {
// One random seed per process (random_device is far too slow to call per request), varied per frame.
uint64_t nextSalt() {
    static const uint64_t seed = (uint64_t(std::random_device{}()) << 32) | std::random_device{}();
    static std::atomic<uint64_t> frames{0};
    return seed ^ (frames.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15ULL);
}
}  // namespace

RecordSlices::RecordSlices() : m_salt(nextSalt()) {}

Bytes RecordSlices::add(const storage::FileSlice& slice) {
    Entry entry;
    // Random salt plus a counter: unique within the frame, and not something a topic name or any
    // other field of the response will contain by chance.
    protocol::records::storeBe64(entry.marker.data(), m_salt);
    protocol::records::storeBe64(entry.marker.data() + 8, uint64_t(m_entries.size()) ^ m_salt);
    entry.slice = slice;
    m_entries.push_back(entry);
    return Bytes::copyOf(std::span<const uint8_t>(entry.marker));
}

uint64_t RecordSlices::recordBytes(const Bytes& records) const {
    if (records.size() == 16)
        for (const Entry& entry : m_entries)
            if (std::equal(entry.marker.begin(), entry.marker.end(), records.data())) return entry.slice.size();
    return records.size();
}

std::optional<net::ResponseFrame> RecordSlices::split(const Bytes& frame, bool flexible) const {
    const std::vector<uint8_t> markerLength = lengthField(16, flexible);
    std::string_view text(reinterpret_cast<const char*>(frame.data()), frame.size());
    net::ResponseFrame out;
    out.parts.push_back({});  // the length prefix, once the total is known
    size_t cursor = 4;
    uint64_t body = frame.size() - 4;
    for (const Entry& entry : m_entries) {
        size_t at = text.find(std::string_view(reinterpret_cast<const char*>(entry.marker.data()), 16), cursor);
        if (at == std::string_view::npos || at < cursor + markerLength.size()) return std::nullopt;
        size_t fieldAt = at - markerLength.size();
        if (std::memcmp(frame.data() + fieldAt, markerLength.data(), markerLength.size()) != 0) return std::nullopt;
        std::vector<uint8_t> realLength = lengthField(entry.slice.size(), flexible);
        body = body - markerLength.size() - 16 + realLength.size() + entry.slice.size();
        out.parts.push_back({frame.slice(cursor, fieldAt - cursor), {}});
        out.parts.push_back({Bytes::fromVector(std::move(realLength)), {}});
        out.parts.push_back(
            {{},
             net::FileRegion{entry.slice.keepAlive(), entry.slice.fd(), entry.slice.position(), entry.slice.size()}});
        cursor = at + 16;
    }
    out.parts.push_back({frame.slice(cursor, frame.size() - cursor), {}});
    std::vector<uint8_t> prefix(4);
    protocol::records::storeBe32(prefix.data(), uint32_t(body));
    out.parts.front().bytes = Bytes::fromVector(std::move(prefix));
    return out;
}

}  // namespace partita::broker
