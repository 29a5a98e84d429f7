// Bytes: an immutable byte range that keeps the buffer it points into alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace partita {

// Decoded messages hand out views over the received frame instead of copying record
// payloads (DESIGN.md: records travel as bytes). The owner pointer keeps that frame alive
// for as long as any view of it exists.
class Bytes {
public:
    Bytes() = default;
    Bytes(std::shared_ptr<const void> owner, const uint8_t* data, size_t size)
        : m_owner(std::move(owner)), m_data(data), m_size(size) {}

    static Bytes copyOf(std::span<const uint8_t> data);
    static Bytes copyOf(std::string_view text);
    static Bytes fromVector(std::vector<uint8_t> data);

    const uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::span<const uint8_t> span() const { return {m_data, m_size}; }
    std::string_view view() const { return {reinterpret_cast<const char*>(m_data), m_size}; }
    const std::shared_ptr<const void>& owner() const { return m_owner; }

    // A sub-range sharing this buffer's owner.
    Bytes slice(size_t offset, size_t length) const { return Bytes(m_owner, m_data + offset, length); }

    friend bool operator==(const Bytes& a, const Bytes& b) {
        return a.m_size == b.m_size && (a.m_size == 0 || std::memcmp(a.m_data, b.m_data, a.m_size) == 0);
    }

private:
    std::shared_ptr<const void> m_owner;
    const uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

}  // namespace partita
