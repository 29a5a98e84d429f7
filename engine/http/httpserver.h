// HttpServer: a small HTTP/1.1 server (GET and HEAD, keep-alive, size limits) on Boost.Beast for /metrics and the like.
#pragma once

#include "engine/protocol/result.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace partita::http {

struct HttpRequest {
    std::string method;  // "GET"
    std::string target;  // "/metrics?name[]=x", as sent
    std::string path;    // "/metrics": the target without its query
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "text/plain; charset=utf-8";
    std::string body;
};

struct HttpServerOptions {
    size_t maxHeaderBytes = 8192;  // request line and headers; larger is 431
    size_t maxBodyBytes = 0;       // a GET carries no body; any is refused with 413
    std::chrono::seconds readTimeout{30};
    size_t maxConnections = 64;  // beyond this, new connections are closed at once
};

// Answers GET and HEAD through the handler (a 404 or any other status is the handler's to give);
// other methods get 405 with Allow: GET, HEAD. Bytes that are not HTTP get 400 and the connection
// closes. The handler runs on the io_context's threads, so it must be quick and thread-safe.
class HttpServer {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;

    HttpServer(boost::asio::io_context& io, Handler handler, HttpServerOptions options = {});
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts accepting; port 0 picks a free port. Returns the bound port.
    Result<uint16_t> listen(const std::string& host, uint16_t port);
    // Stops accepting and closes open connections.
    void stop();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

// "http://host:port" (or "host:port"): the host and port of a listener setting. The host may be empty
// (every interface) or a bracketed IPv6 address.
struct HttpEndpoint {
    std::string host;
    uint16_t port = 0;
};
Result<HttpEndpoint> parseHttpListener(const std::string& text);

}  // namespace partita::http
