// ApiHandler: one Kafka API served by the broker; RequestContext: what a handler knows of the request.
#pragma once

#include "engine/protocol/apimessage.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace partita::net {
struct ConnectionInfo;
}

namespace partita::broker {

class RecordSlices;

struct RequestContext {
    const net::ConnectionInfo& connection;
    int16_t apiVersion;
    int32_t correlationId;
    std::string clientId;
    // Where a fetch leaves record bytes in the segment files to be sent with sendfile; null when
    // the response must carry them itself.
    RecordSlices* recordSlices = nullptr;
};

// Handlers are registered in one list (handlers.cpp), one file pair per API. A handler may
// suspend (Fetch's long poll); the connection waits for it, so answers keep request order.
class ApiHandler {
public:
    virtual ~ApiHandler() = default;
    virtual int16_t apiKey() const = 0;
    virtual int16_t minVersion() const = 0;
    virtual int16_t maxVersion() const = 0;
    // The response body, or nullptr for no answer at all. (Produce with acks=0 returns its response:
    // the dispatcher sends nothing, or closes the connection if a partition failed, as Kafka does.)
    virtual boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> handle(const RequestContext& context,
                                                                                 protocol::ApiMessage& request) = 0;
};

// Serves versions [min, max] of one generated request/response pair by calling a plain function.
template <class Request, class Response>
class TypedHandler : public ApiHandler {
public:
    int16_t apiKey() const override { return Request::kApiKey; }
    int16_t minVersion() const override { return Request::kLowestVersion; }
    int16_t maxVersion() const override { return Request::kHighestVersion; }
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> handle(const RequestContext& context,
                                                                         protocol::ApiMessage& request) override {
        co_return co_await serve(context, static_cast<Request&>(request));
    }

protected:
    virtual boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext& context,
                                                                                Request& request) = 0;
};

}  // namespace partita::broker
