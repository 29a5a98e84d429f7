// ApiVersions helpers: the response a broker advertises, Kafka's fallback answer, and
// the v3+ client software name check.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/protocol/bytes.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/result.h"

namespace partita::protocol {

inline constexpr int16_t kErrorNone = 0;
inline constexpr int16_t kErrorUnsupportedVersion = 35;
inline constexpr int16_t kErrorInvalidRequest = 42;

// An ApiVersions response listing every API the codec supports, each up to its highest
// stable version (as Kafka advertises by default).
ApiVersionsResponse makeSupportedApiVersionsResponse();

// Kafka's answer to an ApiVersions request whose version it does not know: error
// UNSUPPORTED_VERSION in v0 framing, listing only the ApiVersions entry, so the client can
// retry with a version both sides have. Returns the whole frame, length prefix included.
Bytes encodeApiVersionsFallbackResponse(int32_t correlationId);

// ApiVersions v3+ carries the client's software name and version; Kafka accepts only
// [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])? and answers INVALID_REQUEST otherwise.
bool isValidClientSoftwareField(std::string_view value);

}  // namespace partita::protocol
