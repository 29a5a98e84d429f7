// Sample values for the generated round-trip fillers, and the registry that finds a filler
// for a message by name.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "engine/protocol/apimessage.h"

namespace partita::protocol::samples {

inline ::partita::Uuid sampleUuid(int seed) {
    ::partita::Uuid id;
    for (size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<uint8_t>(seed * 17 + static_cast<int>(i) + 1);
    return id;
}

inline std::string sampleString(const char* field, int seed) { return std::string(field) + "-" + std::to_string(seed); }

inline ::partita::Bytes sampleBytes(int seed) {
    std::string text = "bytes-" + std::to_string(seed);
    return ::partita::Bytes::copyOf(text);
}

// Sets every field a version carries to a non-default value (arrays get two elements).
using SampleFiller = std::function<void(ApiMessage&, int16_t version)>;

class SampleRegistry {
public:
    void add(const std::string& messageName, SampleFiller filler) { m_fillers[messageName] = std::move(filler); }
    const SampleFiller* find(const std::string& messageName) const {
        auto it = m_fillers.find(messageName);
        return it == m_fillers.end() ? nullptr : &it->second;
    }

private:
    std::map<std::string, SampleFiller> m_fillers;
};

void registerAllSamples(SampleRegistry& registry);

}  // namespace partita::protocol::samples
