// Uuid: Kafka's 16-byte identifier (topic ids, ...), most significant byte first.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace partita {

struct Uuid {
    std::array<uint8_t, 16> bytes{};

    bool isZero() const {
        for (uint8_t b : bytes)
            if (b != 0) return false;
        return true;
    }
    // Kafka prints ids as URL-safe base64 without padding (22 characters).
    std::string toBase64() const;
    static Uuid random();

    friend bool operator==(const Uuid&, const Uuid&) = default;
};

}  // namespace partita
