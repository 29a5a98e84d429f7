// The table of every Kafka API the codec knows: key, name, versions and message factories.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "engine/protocol/apimessage.h"

namespace partita::protocol {

// Which server roles accept an API (the specs' "listeners").
enum ApiListener : uint8_t { ListenerZkBroker = 1, ListenerBroker = 2, ListenerController = 4 };

struct ApiInfo {
    int16_t key;
    const char* name;
    int16_t minVersion;
    int16_t maxVersion;
    int16_t firstFlexibleVersion;  // -1 when no version is flexible
    int16_t deprecatedMin;         // -1 when none is deprecated
    int16_t deprecatedMax;
    bool latestVersionUnstable;  // the max version is still in development upstream
    uint8_t listeners;           // ApiListener bits
    std::unique_ptr<ApiMessage> (*makeRequest)();
    std::unique_ptr<ApiMessage> (*makeResponse)();

    bool isFlexible(int16_t version) const { return firstFlexibleVersion >= 0 && version >= firstFlexibleVersion; }
    bool hasVersion(int16_t version) const { return version >= minVersion && version <= maxVersion; }
    // Kafka leaves an unstable latest version out of ApiVersions unless asked to offer it.
    int16_t maxStableVersion() const {
        return latestVersionUnstable ? static_cast<int16_t>(maxVersion - 1) : maxVersion;
    }
};

// Messages that are not requests or responses: the request/response headers, the
// consumer protocol's subscription and assignment, KRaft control record payloads.
struct DataMessageInfo {
    const char* name;
    int16_t minVersion;
    int16_t maxVersion;
    std::unique_ptr<ApiMessage> (*make)();
};

// Every API, ordered by key (generated from the specs).
std::span<const ApiInfo> allApis();
std::span<const DataMessageInfo> allDataMessages();
// nullptr for a key the codec does not know.
const ApiInfo* findApi(int16_t key);

}  // namespace partita::protocol
