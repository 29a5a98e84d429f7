// Helpers shared by the record-format tests: byte conversions, payloads, and batch surgery.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/crc32c.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace recordstest {

inline std::vector<uint8_t> bytesOf(std::string_view s) {
    return std::vector<uint8_t>(s.begin(), s.end());
}

inline std::span<const uint8_t> spanOf(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline std::string textOf(std::span<const uint8_t> b) {
    return std::string(b.begin(), b.end());
}

inline std::vector<uint8_t> fromHex(std::string_view hex) {
    std::vector<uint8_t> out;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(uint8_t(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    return out;
}

// Text like the JSON events producers send, so compression ratios are realistic.
inline std::string jsonPayload(std::mt19937_64& rng, size_t size) {
    static const char* const events[] = {"click", "view", "purchase", "signup", "logout", "search"};
    static const char* const agents[] = {"Mozilla/5.0 (X11; Linux x86_64)",
                                         "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_4)", "curl/8.1.2", "okhttp/4.11.0"};
    std::string s;
    while (s.size() < size) {
        s += "{\"id\":" + std::to_string(rng() % 10000000) + ",\"user\":\"user_" + std::to_string(rng() % 5000) +
             "\",\"event\":\"" + events[rng() % 6] + "\",\"ts\":" + std::to_string(1700000000000 + rng() % 100000000) +
             ",\"page\":\"/products/" + std::to_string(rng() % 20000) + "\",\"ua\":\"" + agents[rng() % 4] +
             "\",\"amount\":" + std::to_string(rng() % 100000 / 100.0) + "}";
    }
    s.resize(size);
    return s;
}

inline std::vector<uint8_t> randomBytes(std::mt19937_64& rng, size_t size) {
    std::vector<uint8_t> out(size);
    for (auto& b : out) b = uint8_t(rng());
    return out;
}

// A magic-2 batch around a hand-made records area, with a correct CRC, so tests can feed the
// record decoder bytes the builder would never produce.
inline std::vector<uint8_t> batchAround(std::span<const uint8_t> area, int32_t count, int16_t attributes = 0,
                                        int64_t baseOffset = 0, int64_t baseTimestamp = 1000) {
    using namespace partita::protocol::records;
    std::vector<uint8_t> b(61 + area.size());
    std::copy(area.begin(), area.end(), b.begin() + 61);
    storeBe64(b.data(), uint64_t(baseOffset));
    storeBe32(b.data() + 8, uint32_t(b.size() - 12));
    storeBe32(b.data() + 12, uint32_t(-1));
    b[16] = 2;
    storeBe16(b.data() + 21, uint16_t(attributes));
    storeBe32(b.data() + 23, uint32_t(count > 0 ? count - 1 : 0));
    storeBe64(b.data() + 27, uint64_t(baseTimestamp));
    storeBe64(b.data() + 35, uint64_t(baseTimestamp));
    storeBe64(b.data() + 43, uint64_t(-1));
    storeBe16(b.data() + 51, uint16_t(-1));
    storeBe32(b.data() + 53, uint32_t(-1));
    storeBe32(b.data() + 57, uint32_t(count));
    storeBe32(b.data() + 17, crc32c(std::span<const uint8_t>(b).subspan(21)));
    return b;
}

inline void fixCrc(std::vector<uint8_t>& b) {
    using namespace partita::protocol::records;
    storeBe32(b.data() + 17, crc32c(std::span<const uint8_t>(b).subspan(21)));
}

}  // namespace recordstest
