// Request and response frames: the length prefix, the header versions and the body codec.
#include "engine/protocol/frame.h"

#include <limits>

#include "engine/protocol/apiregistry.h"
#include "engine/protocol/messages/responseheader.h"
#include "engine/protocol/writer.h"

namespace partita::protocol {

namespace {

constexpr int16_t kApiVersionsKey = 18;
constexpr int16_t kControlledShutdownKey = 7;

// Reserves the length prefix, runs `fill`, then writes the length it produced.
template <class Fill>
Result<Bytes> framed(size_t sizeHint, Fill&& fill) {
    Writer w(sizeHint);
    w.writeInt32(0);
    fill(w);
    if (!w.ok()) return makeError(ErrorKind::InvalidArgument, w.error());
    if (w.size() - 4 > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
        return makeError(ErrorKind::TooLarge, "frame over 2 GiB");
    w.patchInt32(0, static_cast<int32_t>(w.size() - 4));
    return w.take();
}

}  // namespace

int16_t requestHeaderVersion(int16_t apiKey, int16_t apiVersion) {
    if (apiKey == kControlledShutdownKey && apiVersion == 0) return 0;
    const ApiInfo* api = findApi(apiKey);
    return api != nullptr && api->isFlexible(apiVersion) ? 2 : 1;
}

int16_t responseHeaderVersion(int16_t apiKey, int16_t apiVersion) {
    if (apiKey == kApiVersionsKey) return 0;
    const ApiInfo* api = findApi(apiKey);
    return api != nullptr && api->isFlexible(apiVersion) ? 1 : 0;
}

std::optional<RequestHeaderPrefix> peekRequestHeader(std::span<const uint8_t> frame) {
    if (frame.size() < 8) return std::nullopt;
    Reader r(frame.data(), 8);
    RequestHeaderPrefix p;
    p.apiKey = r.readInt16();
    p.apiVersion = r.readInt16();
    p.correlationId = r.readInt32();
    return p;
}

std::variant<DecodedRequest, RequestDecodeError> decodeRequest(const Bytes& frame, DecodeLimits limits) {
    auto prefix = peekRequestHeader(frame.span());
    if (!prefix)
        return RequestDecodeError{RequestDecodeFailure::Malformed, std::nullopt, "request shorter than its header"};
    const ApiInfo* api = findApi(prefix->apiKey);
    if (api == nullptr)
        return RequestDecodeError{RequestDecodeFailure::UnknownApi, prefix,
                                  "unknown API key " + std::to_string(prefix->apiKey)};
    if (!api->hasVersion(prefix->apiVersion))
        return RequestDecodeError{RequestDecodeFailure::UnsupportedVersion, prefix,
                                  std::string(api->name) + " has no version " + std::to_string(prefix->apiVersion)};

    Reader r(frame, limits);
    DecodedRequest out;
    out.header.decode(r, requestHeaderVersion(prefix->apiKey, prefix->apiVersion));
    out.body = api->makeRequest();
    if (r.ok()) out.body->decode(r, prefix->apiVersion);
    if (r.ok() && r.remaining() != 0)
        r.fail(std::to_string(r.remaining()) + " unexpected bytes after the request body");
    if (!r.ok())
        return RequestDecodeError{
            RequestDecodeFailure::Malformed, prefix,
            std::string(api->name) + " v" + std::to_string(prefix->apiVersion) + ": " + r.error()};
    return out;
}

Result<Bytes> encodeRequest(const RequestHeader& header, const ApiMessage& body) {
    if (header.requestApiKey != body.messageApiKey())
        return makeError(ErrorKind::InvalidArgument, "header API key does not match the body");
    const int16_t version = header.requestApiVersion;
    return framed(256, [&](Writer& w) {
        header.encode(w, requestHeaderVersion(header.requestApiKey, version));
        body.encode(w, version);
    });
}

Result<Bytes> encodeResponse(int32_t correlationId, int16_t apiKey, int16_t apiVersion, const ApiMessage& body) {
    if (apiKey != body.messageApiKey()) return makeError(ErrorKind::InvalidArgument, "API key does not match the body");
    return framed(256, [&](Writer& w) {
        ResponseHeader header;
        header.correlationId = correlationId;
        header.encode(w, responseHeaderVersion(apiKey, apiVersion));
        body.encode(w, apiVersion);
    });
}

Result<DecodedResponse> decodeResponse(const Bytes& frame, int16_t apiKey, int16_t apiVersion, DecodeLimits limits) {
    const ApiInfo* api = findApi(apiKey);
    if (api == nullptr) return makeError(ErrorKind::Unsupported, "unknown API key " + std::to_string(apiKey));
    Reader r(frame, limits);
    ResponseHeader header;
    header.decode(r, responseHeaderVersion(apiKey, apiVersion));
    DecodedResponse out;
    out.correlationId = header.correlationId;
    out.body = api->makeResponse();
    if (r.ok()) out.body->decode(r, apiVersion);
    if (r.ok() && r.remaining() != 0)
        r.fail(std::to_string(r.remaining()) + " unexpected bytes after the response body");
    if (!r.ok())
        return makeError(r.truncated() ? ErrorKind::Truncated : ErrorKind::Malformed,
                         std::string(api->name) + " response v" + std::to_string(apiVersion) + ": " + r.error());
    return out;
}

}  // namespace partita::protocol
