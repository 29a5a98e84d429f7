// Uuid formatting and generation.
#include "engine/protocol/uuid.h"

#include <random>

namespace partita {

std::string Uuid::toBase64() const {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve(22);
    uint32_t acc = 0;
    int bits = 0;
    for (uint8_t b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
    return out;
}

Uuid Uuid::random() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    Uuid id;
    for (size_t i = 0; i < 16; i += 8) {
        uint64_t v = rng();
        for (size_t j = 0; j < 8; ++j) id.bytes[i + j] = static_cast<uint8_t>(v >> (j * 8));
    }
    // Version 4, variant 1, as Java's UUID.randomUUID(); Kafka also never hands out the
    // all-zero id or ids starting with '-' in base64, which this keeps clear of.
    id.bytes[6] = static_cast<uint8_t>((id.bytes[6] & 0x0F) | 0x40);
    id.bytes[8] = static_cast<uint8_t>((id.bytes[8] & 0x3F) | 0x80);
    id.bytes[0] &= 0x7F;
    return id;
}

}  // namespace partita
