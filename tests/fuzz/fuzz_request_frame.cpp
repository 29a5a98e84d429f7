// fuzz_request_frame: libFuzzer target for the frame codec: request and response round trips.
//
// decodeRequest on the input, then encodeRequest and decode again; and, keyed by the first two
// input bytes, decodeResponse / encodeResponse on the rest.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <variant>

#include "engine/protocol/apiregistry.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/frame.h"

using namespace partita;
using namespace partita::protocol;

namespace {

// A failed invariant is a finding: print what broke and abort so libFuzzer saves the input.
[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_request_frame: invariant broken: %s\n", what.c_str());
    std::abort();
}

// The input copied into a buffer of exactly its size, so ASan flags any read past the frame
// (libFuzzer's own buffer would hide reads into its slack).
Bytes exactCopy(const uint8_t* data, size_t size) {
    return Bytes::copyOf(std::span<const uint8_t>(data, size));
}

// Without the 4-byte length prefix that encodeRequest/encodeResponse put in front.
Bytes unframed(const Bytes& framed) {
    if (framed.size() < 4) fail("encoded frame shorter than its length prefix");
    const uint32_t length = (uint32_t{framed.data()[0]} << 24) | (uint32_t{framed.data()[1]} << 16) |
                            (uint32_t{framed.data()[2]} << 8) | framed.data()[3];
    if (length != framed.size() - 4) fail("length prefix does not match the encoded size");
    return framed.slice(4, framed.size() - 4);
}

std::string describe(const RequestHeader& h) {
    const ApiInfo* api = findApi(h.requestApiKey);
    return std::string(api ? api->name : "?") + " v" + std::to_string(h.requestApiVersion);
}

// Whatever decodes must encode again in the same version and decode to an equal message, and
// a second encode must give the same bytes as the first (encoding is a function of the fields).
void requestRoundTrip(const Bytes& frame) {
    auto decoded = decodeRequest(frame);
    if (auto* error = std::get_if<RequestDecodeError>(&decoded)) {
        // Unknown keys and versions must be told apart from malformed bytes, with the prefix.
        if (error->failure != RequestDecodeFailure::Malformed && !error->prefix)
            fail("unknown key/version reported without the header prefix");
        return;
    }
    const DecodedRequest& first = std::get<DecodedRequest>(decoded);
    Result<Bytes> encoded = encodeRequest(first.header, *first.body);
    if (!encoded) fail("cannot re-encode a decoded " + describe(first.header) + ": " + encoded.error().message);

    auto again = decodeRequest(unframed(*encoded));
    if (auto* error = std::get_if<RequestDecodeError>(&again))
        fail("re-encoded " + describe(first.header) + " does not decode: " + error->message);
    const DecodedRequest& second = std::get<DecodedRequest>(again);
    if (!first.header.equals(second.header)) fail("header differs after a round trip of " + describe(first.header));
    if (!first.body->equals(*second.body)) fail("body differs after a round trip of " + describe(first.header));

    Result<Bytes> encodedAgain = encodeRequest(second.header, *second.body);
    if (!encodedAgain || !(*encodedAgain == *encoded))
        fail("encoding " + describe(first.header) + " twice gives different bytes");
}

// Responses have no key or version on the wire: the first two input bytes pick them (the key
// among the APIs the codec knows, the version within that API's range), the rest is the frame.
void responseRoundTrip(const uint8_t* data, size_t size) {
    if (size < 2) return;
    const auto apis = allApis();
    const ApiInfo& api = apis[data[0] % apis.size()];
    const int range = api.maxVersion - api.minVersion + 1;
    const int16_t version = static_cast<int16_t>(api.minVersion + data[1] % range);
    const std::string what = std::string(api.name) + " response v" + std::to_string(version);

    Result<DecodedResponse> decoded = decodeResponse(exactCopy(data + 2, size - 2), api.key, version);
    if (!decoded) return;
    Result<Bytes> encoded = encodeResponse(decoded->correlationId, api.key, version, *decoded->body);
    if (!encoded) fail("cannot re-encode a decoded " + what + ": " + encoded.error().message);
    Result<DecodedResponse> again = decodeResponse(unframed(*encoded), api.key, version);
    if (!again) fail("re-encoded " + what + " does not decode: " + again.error().message);
    if (again->correlationId != decoded->correlationId) fail("correlation id differs after a round trip of " + what);
    if (!decoded->body->equals(*again->body)) fail("body differs after a round trip of " + what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    requestRoundTrip(exactCopy(data, size));
    responseRoundTrip(data, size);
    return 0;
}
