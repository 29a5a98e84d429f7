// Partitioner: murmur2 (written from the algorithm of Java's Utils.murmur2) and the sticky choice.
#include "engine/client/partitioner.h"

namespace partita::client {

int32_t murmur2(std::span<const uint8_t> data) {
    // Java does this arithmetic on signed 32-bit ints with wrap-around and logical shifts (>>>);
    // unsigned 32-bit arithmetic gives the same bits.
    constexpr uint32_t seed = 0x9747b28c;
    constexpr uint32_t m = 0x5bd1e995;
    constexpr int r = 24;
    const uint32_t length = uint32_t(data.size());
    uint32_t h = seed ^ length;
    const size_t whole = data.size() / 4;
    for (size_t i = 0; i < whole; ++i) {
        const uint8_t* p = data.data() + i * 4;
        uint32_t k = uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }
    const uint8_t* tail = data.data() + whole * 4;
    switch (data.size() % 4) {
        case 3:
            h ^= uint32_t(tail[2]) << 16;
            [[fallthrough]];
        case 2:
            h ^= uint32_t(tail[1]) << 8;
            [[fallthrough]];
        case 1:
            h ^= uint32_t(tail[0]);
            h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return int32_t(h);
}

int32_t murmur2(std::string_view data) {
    return murmur2(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

int32_t partitionForKey(std::string_view key, int32_t numPartitions) {
    if (numPartitions <= 0) return -1;
    return int32_t(uint32_t(murmur2(key)) & 0x7fffffffu) % numPartitions;
}

Partitioner::Partitioner(uint64_t seed) : m_state(seed == 0 ? 0x9e3779b97f4a7c15ull : seed) {}

uint32_t Partitioner::random(uint32_t bound) {
    // xorshift64*: the choice needs to spread load, not to be unpredictable.
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    const uint64_t value = m_state * 0x2545f4914f6cdd1dull;
    return uint32_t((value >> 32) % bound);
}

int32_t Partitioner::nextStickyPartition(int32_t previous, const std::vector<int32_t>& available,
                                         int32_t numPartitions) {
    if (numPartitions <= 0) return -1;
    if (available.size() == 1) return available.front();
    if (available.empty()) {
        if (numPartitions == 1) return 0;
        int32_t next = int32_t(random(uint32_t(numPartitions)));
        if (next == previous) next = (next + 1 + int32_t(random(uint32_t(numPartitions - 1)))) % numPartitions;
        return next;
    }
    // Pick among the others so the switch always moves somewhere when it can.
    const uint32_t count = uint32_t(available.size());
    uint32_t index = random(count);
    if (available[index] == previous) index = (index + 1 + random(count - 1)) % count;
    return available[index];
}

}  // namespace partita::client
