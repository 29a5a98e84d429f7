// ApiVersions helpers: the advertised table, the fallback answer, the client software check.
#include "engine/protocol/apiversionssupport.h"

#include "engine/protocol/apiregistry.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/writer.h"

namespace partita::protocol {

namespace {

bool isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

ApiVersionsResponse makeSupportedApiVersionsResponse() {
    ApiVersionsResponse response;
    for (const ApiInfo& api : allApis()) {
        ApiVersionsResponse::ApiVersion entry;
        entry.apiKey = api.key;
        entry.minVersion = api.minVersion;
        entry.maxVersion = api.maxStableVersion();
        response.apiKeys.push_back(entry);
    }
    return response;
}

Bytes encodeApiVersionsFallbackResponse(int32_t correlationId) {
    ApiVersionsResponse response;
    response.errorCode = kErrorUnsupportedVersion;
    const ApiInfo* self = findApi(ApiVersionsRequest::kApiKey);
    ApiVersionsResponse::ApiVersion entry;
    entry.apiKey = ApiVersionsRequest::kApiKey;
    entry.minVersion = self->minVersion;
    entry.maxVersion = self->maxStableVersion();
    response.apiKeys.push_back(entry);
    // v0 body and v0 header can always be encoded; a failure here is a programming error.
    return encodeResponse(correlationId, ApiVersionsRequest::kApiKey, 0, response).value();
}

bool isValidClientSoftwareField(std::string_view value) {
    if (value.empty() || !isAlnum(value.front()) || !isAlnum(value.back())) return false;
    for (char c : value)
        if (!isAlnum(c) && c != '-' && c != '.') return false;
    return true;
}

}  // namespace partita::protocol
