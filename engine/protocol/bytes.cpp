// Bytes constructors that take ownership of a copy or of a vector.
#include "engine/protocol/bytes.h"

namespace partita {

Bytes Bytes::fromVector(std::vector<uint8_t> data) {
    auto owner = std::make_shared<const std::vector<uint8_t>>(std::move(data));
    const uint8_t* p = owner->data();
    size_t n = owner->size();
    return Bytes(std::move(owner), p, n);
}

Bytes Bytes::copyOf(std::span<const uint8_t> data) {
    return fromVector(std::vector<uint8_t>(data.begin(), data.end()));
}

Bytes Bytes::copyOf(std::string_view text) {
    auto p = reinterpret_cast<const uint8_t*>(text.data());
    return copyOf(std::span<const uint8_t>(p, text.size()));
}

}  // namespace partita
