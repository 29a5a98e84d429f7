// Accepting HTTP connections and serving each one's requests in turn with Boost.Beast coroutines.
#include "engine/http/httpserver.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <charconv>
#include <mutex>

namespace partita::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::ip::tcp;

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
    asio::io_context& io;
    Handler handler;
    HttpServerOptions options;
    std::vector<std::shared_ptr<tcp::acceptor>> acceptors;
    std::mutex openMutex;
    std::vector<std::weak_ptr<beast::tcp_stream>> open;
    std::atomic<size_t> connections{0};

    State(asio::io_context& ioContext, Handler h, HttpServerOptions o)
        : io(ioContext), handler(std::move(h)), options(o) {}

    bhttp::response<bhttp::string_body> answer(const bhttp::request<bhttp::string_body>& request) {
        bhttp::response<bhttp::string_body> response;
        response.version(request.version());
        response.keep_alive(request.keep_alive());
        response.set(bhttp::field::server, "partitad");
        const auto method = request.method();
        if (method != bhttp::verb::get && method != bhttp::verb::head) {
            response.result(bhttp::status::method_not_allowed);
            response.set(bhttp::field::allow, "GET, HEAD");
            response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
            response.body() = "method not allowed\n";
            response.prepare_payload();
            return response;
        }
        HttpRequest in;
        in.method = std::string(request.method_string());
        in.target = std::string(request.target());
        in.path = in.target.substr(0, in.target.find('?'));
        HttpResponse out;
        try {
            out = handler(in);
        } catch (const std::exception& e) {
            spdlog::error("http handler for {} failed: {}", in.target, e.what());
            out = HttpResponse{500, "text/plain; charset=utf-8", "internal error\n"};
        }
        response.result(static_cast<unsigned>(out.status));
        response.set(bhttp::field::content_type, out.contentType);
        response.body() = std::move(out.body);
        response.prepare_payload();
        if (method == bhttp::verb::head) response.body().clear();  // Content-Length stays the GET's
        return response;
    }

    static bhttp::response<bhttp::string_body> refusal(bhttp::status status, const std::string& text) {
        bhttp::response<bhttp::string_body> response{status, 11};
        response.set(bhttp::field::server, "partitad");
        response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
        response.keep_alive(false);
        response.body() = text + "\n";
        response.prepare_payload();
        return response;
    }

    asio::awaitable<void> serve(std::shared_ptr<beast::tcp_stream> stream) {
        beast::flat_buffer buffer(options.maxHeaderBytes + options.maxBodyBytes + 1024);
        for (;;) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(uint32_t(options.maxHeaderBytes));
            parser.body_limit(options.maxBodyBytes);
            stream->expires_after(options.readTimeout);
            auto [readError, n] =
                co_await bhttp::async_read(*stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            if (readError == bhttp::error::end_of_stream || readError == asio::error::eof ||
                readError == beast::error::timeout || readError == asio::error::operation_aborted ||
                readError == asio::error::connection_reset) {
                co_return;
            }
            if (readError) {
                auto status = readError == bhttp::error::header_limit ? bhttp::status::request_header_fields_too_large
                              : readError == bhttp::error::body_limit ? bhttp::status::payload_too_large
                                                                      : bhttp::status::bad_request;
                auto response = refusal(status, readError.message());
                stream->expires_after(options.readTimeout);
                co_await bhttp::async_write(*stream, response, asio::as_tuple(asio::use_awaitable));
                co_return;
            }
            auto response = answer(parser.get());
            const bool keepAlive = response.keep_alive();
            stream->expires_after(options.readTimeout);
            auto [writeError, m] = co_await bhttp::async_write(*stream, response, asio::as_tuple(asio::use_awaitable));
            if (writeError || !keepAlive) co_return;
        }
    }

    void start(std::shared_ptr<tcp::acceptor> acceptor) {
        asio::co_spawn(
            io,
            [self = shared_from_this(), acceptor]() -> asio::awaitable<void> {
                for (;;) {
                    tcp::socket socket(asio::make_strand(self->io));
                    auto [error] = co_await acceptor->async_accept(socket, asio::as_tuple(asio::use_awaitable));
                    if (error) {
                        if (error == asio::error::operation_aborted || !acceptor->is_open()) co_return;
                        // Out of descriptors and the like: pause rather than spin on the backlog.
                        asio::steady_timer pause(self->io, std::chrono::milliseconds(100));
                        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                        continue;
                    }
                    if (self->connections.load() >= self->options.maxConnections) {
                        boost::system::error_code ignored;
                        socket.close(ignored);
                        continue;
                    }
                    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
                    {
                        std::lock_guard lock(self->openMutex);
                        std::erase_if(self->open, [](const auto& weak) { return weak.expired(); });
                        self->open.push_back(stream);
                    }
                    self->connections++;
                    asio::co_spawn(
                        stream->get_executor(),
                        [self, stream]() -> asio::awaitable<void> {
                            try {
                                co_await self->serve(stream);
                            } catch (const std::exception& e) {
                                spdlog::debug("http connection: {}", e.what());
                            }
                            boost::system::error_code ignored;
                            stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
                            stream->socket().close(ignored);
                            self->connections--;
                        },
                        asio::detached);
                }
            },
            asio::detached);
    }
};

HttpServer::HttpServer(asio::io_context& io, Handler handler, HttpServerOptions options)
    : m_state(std::make_shared<State>(io, std::move(handler), options)) {}

HttpServer::~HttpServer() {
    stop();
}

Result<uint16_t> HttpServer::listen(const std::string& host, uint16_t port) {
    boost::system::error_code ec;
    tcp::resolver resolver(m_state->io);
    auto endpoints = resolver.resolve(host.empty() ? "0.0.0.0" : host, std::to_string(port), ec);
    if (ec || endpoints.empty())
        return makeError(ErrorKind::Io, "cannot resolve http host " + host + ": " + ec.message());
    auto acceptor = std::make_shared<tcp::acceptor>(m_state->io);
    tcp::endpoint endpoint = *endpoints.begin();
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return makeError(ErrorKind::Io, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    uint16_t bound = acceptor->local_endpoint().port();
    m_state->acceptors.push_back(acceptor);
    m_state->start(acceptor);
    return bound;
}

void HttpServer::stop() {
    for (auto& acceptor : m_state->acceptors) {
        asio::post(acceptor->get_executor(), [acceptor] {
            boost::system::error_code ignored;
            acceptor->close(ignored);
        });
    }
    m_state->acceptors.clear();
    std::lock_guard lock(m_state->openMutex);
    for (auto& weak : m_state->open) {
        if (auto stream = weak.lock()) {
            asio::post(stream->get_executor(), [stream] {
                boost::system::error_code ignored;
                stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
                stream->socket().close(ignored);
            });
        }
    }
    m_state->open.clear();
}

Result<HttpEndpoint> parseHttpListener(const std::string& text) {
    std::string rest = text;
    if (rest.starts_with("http://"))
        rest = rest.substr(7);
    else if (rest.find("://") != std::string::npos)
        return makeError(ErrorKind::InvalidArgument, "only http:// listeners are served, not " + text);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    size_t colon = rest.rfind(':');
    if (colon == std::string::npos) return makeError(ErrorKind::InvalidArgument, "expected host:port in " + text);
    HttpEndpoint out;
    out.host = rest.substr(0, colon);
    if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    std::string portText = rest.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc() || end != portText.data() + portText.size() || portText.empty() || port > 65535)
        return makeError(ErrorKind::InvalidArgument, "bad port in " + text);
    out.port = uint16_t(port);
    return out;
}

}  // namespace partita::http
