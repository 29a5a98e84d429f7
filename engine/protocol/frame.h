// Request and response frames: the length prefix, the header versions and the body codec.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "engine/protocol/apimessage.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/messages/requestheader.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/result.h"

namespace partita::protocol {

// Header versions follow the body's flexibility, with Kafka's two exceptions:
// ControlledShutdown v0 uses request header v0, and every ApiVersions response uses
// response header v0 so a client can read it whatever version it asked for.
int16_t requestHeaderVersion(int16_t apiKey, int16_t apiVersion);
int16_t responseHeaderVersion(int16_t apiKey, int16_t apiVersion);

// The fixed first 8 bytes of every request header, readable before anything else is
// known about the request (a broker needs them to answer even a request it cannot parse).
struct RequestHeaderPrefix {
    int16_t apiKey = 0;
    int16_t apiVersion = 0;
    int32_t correlationId = 0;
};
std::optional<RequestHeaderPrefix> peekRequestHeader(std::span<const uint8_t> frame);

struct DecodedRequest {
    RequestHeader header;
    std::unique_ptr<ApiMessage> body;
};

// Why a request frame could not be decoded. Unknown keys and versions are told apart from
// malformed bytes because Kafka answers them differently.
enum class RequestDecodeFailure { UnknownApi, UnsupportedVersion, Malformed };
struct RequestDecodeError {
    RequestDecodeFailure failure;
    std::optional<RequestHeaderPrefix> prefix;  // when at least the first 8 bytes were there
    std::string message;
};

// Decodes a request frame (without its 4-byte length prefix). Record payloads in the body
// are views into `frame`, which they keep alive.
std::variant<DecodedRequest, RequestDecodeError> decodeRequest(const Bytes& frame, DecodeLimits limits = {});

// Encodes a whole request, 4-byte length prefix included.
Result<Bytes> encodeRequest(const RequestHeader& header, const ApiMessage& body);
// Encodes a whole response, 4-byte length prefix included.
Result<Bytes> encodeResponse(int32_t correlationId, int16_t apiKey, int16_t apiVersion, const ApiMessage& body);

struct DecodedResponse {
    int32_t correlationId = 0;
    std::unique_ptr<ApiMessage> body;
};
// Decodes a response frame (without its length prefix) to the request it answers.
Result<DecodedResponse> decodeResponse(const Bytes& frame, int16_t apiKey, int16_t apiVersion,
                                       DecodeLimits limits = {});

}  // namespace partita::protocol
