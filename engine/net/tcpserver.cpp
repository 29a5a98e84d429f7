// Accepting connections, reading length-prefixed frames within the limit, answering in order, reaping idle ones.
#include "engine/net/tcpserver.h"

#include "engine/net/framehandler.h"

#include <spdlog/spdlog.h>

#include <sys/sendfile.h>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <cerrno>
#include <cstring>

namespace partita::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

struct TcpServer::Listener {
    tcp::acceptor acceptor;
    std::string name;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(TcpServer& server, tcp::socket socket, ConnectionInfo info)
        : m_server(server),
          m_socket(std::move(socket)),
          m_idleTimer(m_socket.get_executor()),
          m_info(std::move(info)) {}

    void start() {
        m_server.m_connections++;
        auto self = shared_from_this();
        asio::co_spawn(
            m_socket.get_executor(), [self]() -> asio::awaitable<void> { co_await self->run(); }, asio::detached);
    }

    void close() {
        asio::post(m_socket.get_executor(), [self = shared_from_this()] {
            boost::system::error_code ignored;
            self->m_socket.shutdown(tcp::socket::shutdown_both, ignored);
            self->m_socket.close(ignored);
            self->m_idleTimer.cancel();
        });
    }

private:
    asio::awaitable<void> run() {
        try {
            co_await (serve() || reapWhenIdle());
        } catch (const std::exception& e) {
            spdlog::debug("connection {} from {}: {}", m_info.id, m_info.peer, e.what());
        }
        boost::system::error_code ignored;
        m_socket.close(ignored);
        m_server.m_connections--;
    }

    asio::awaitable<void> serve() {
        for (;;) {
            uint8_t prefix[4];
            auto [readError, n] =
                co_await asio::async_read(m_socket, asio::buffer(prefix), asio::as_tuple(asio::use_awaitable));
            if (readError) co_return;  // the client went away
            int64_t size = int32_t(uint32_t(prefix[0]) << 24 | uint32_t(prefix[1]) << 16 | uint32_t(prefix[2]) << 8 |
                                   uint32_t(prefix[3]));
            // Checked before anything is allocated: a bogus length must not cost memory.
            if (size <= 0 || size_t(size) > m_server.m_options.maxFrameBytes) {
                spdlog::warn("closing connection from {}: request of {} bytes is over socket.request.max.bytes ({})",
                             m_info.peer, size, m_server.m_options.maxFrameBytes);
                co_return;
            }
            // Not zero-filled: the read overwrites every byte.
            auto buffer = std::make_shared_for_overwrite<uint8_t[]>(size_t(size));
            m_busy = true;
            auto [bodyError, m] = co_await asio::async_read(m_socket, asio::buffer(buffer.get(), size_t(size)),
                                                            asio::as_tuple(asio::use_awaitable));
            if (bodyError) {
                spdlog::info("connection from {} closed in the middle of a request", m_info.peer);
                co_return;
            }
            const uint8_t* data = buffer.get();
            Bytes frame(std::move(buffer), data, size_t(size));
            std::optional<ResponseFrame> response = co_await m_server.m_handler.handleFrame(m_info, std::move(frame));
            if (response) {
                if (response->closesConnection()) co_return;
                if (!co_await send(*response)) co_return;
            }
            m_busy = false;
            m_lastActivity = std::chrono::steady_clock::now();
        }
    }

    asio::awaitable<bool> send(const ResponseFrame& response) {
        for (const ResponseFrame::Part& part : response.parts) {
            if (part.file.length == 0) {
                auto [error, n] = co_await asio::async_write(
                    m_socket, asio::buffer(part.bytes.data(), part.bytes.size()), asio::as_tuple(asio::use_awaitable));
                if (error) co_return false;
            } else if (!co_await sendFile(part.file)) {
                co_return false;
            }
        }
        co_return true;
    }

    // sendfile(2) straight from the page cache to the socket, waiting whenever the socket is full.
    asio::awaitable<bool> sendFile(const FileRegion& region) {
        boost::system::error_code ec;
        m_socket.native_non_blocking(true, ec);
        if (ec) co_return false;
        off_t offset = off_t(region.offset);
        uint64_t left = region.length;
        while (left > 0) {
            ssize_t n = ::sendfile(m_socket.native_handle(), region.fd, &offset, size_t(left));
            if (n > 0) {
                left -= uint64_t(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && errno == EAGAIN) {
                auto [waitError] =
                    co_await m_socket.async_wait(tcp::socket::wait_write, asio::as_tuple(asio::use_awaitable));
                if (waitError) co_return false;
            } else {
                // The file ended early or the socket failed: the frame cannot be completed.
                spdlog::warn("closing connection to {}: sending records failed: {}", m_info.peer,
                             n == 0 ? "file shorter than expected" : std::strerror(errno));
                co_return false;
            }
        }
        co_return true;
    }

    // connections.max.idle.ms: a connection with no request for that long is closed, as Kafka does.
    asio::awaitable<void> reapWhenIdle() {
        auto idle = m_server.m_options.idleTimeout;
        for (;;) {
            m_idleTimer.expires_at(m_lastActivity + idle);
            auto [error] = co_await m_idleTimer.async_wait(asio::as_tuple(asio::use_awaitable));
            if (error || !m_socket.is_open()) co_return;  // cancelled: the connection is ending anyway
            if (!m_busy && std::chrono::steady_clock::now() - m_lastActivity >= idle) {
                spdlog::info("closing connection from {}: idle for {} ms", m_info.peer, idle.count());
                co_return;
            }
            if (m_busy) m_lastActivity = std::chrono::steady_clock::now();
        }
    }

    TcpServer& m_server;
    tcp::socket m_socket;
    asio::steady_timer m_idleTimer;
    ConnectionInfo m_info;
    bool m_busy = false;
    std::chrono::steady_clock::time_point m_lastActivity = std::chrono::steady_clock::now();
};

TcpServer::TcpServer(asio::io_context& io, FrameHandler& handler, ServerOptions options)
    : m_io(io), m_handler(handler), m_options(options) {}

TcpServer::~TcpServer() {
    stop();
}

Result<uint16_t> TcpServer::listen(const std::string& host, uint16_t port, const std::string& listenerName) {
    boost::system::error_code ec;
    tcp::resolver resolver(m_io);
    auto endpoints = resolver.resolve(host.empty() ? "0.0.0.0" : host, std::to_string(port), ec);
    if (ec || endpoints.empty()) {
        return makeError(ErrorKind::Io, "cannot resolve listener host " + host + ": " + ec.message());
    }
    tcp::endpoint endpoint = *endpoints.begin();
    auto listener = std::make_shared<Listener>(Listener{tcp::acceptor(m_io), listenerName});
    listener->acceptor.open(endpoint.protocol(), ec);
    if (!ec) listener->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) listener->acceptor.bind(endpoint, ec);
    if (!ec) listener->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return makeError(ErrorKind::Io, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    }
    uint16_t bound = listener->acceptor.local_endpoint().port();
    m_listeners.push_back(listener);
    asio::co_spawn(
        m_io,
        [this, listener]() -> asio::awaitable<void> {
            uint64_t failedAccepts = 0;  // in a row
            for (;;) {
                // Each connection gets its own strand; the acceptor hands the socket over to it.
                tcp::socket socket(asio::make_strand(m_io));
                auto [error] = co_await listener->acceptor.async_accept(socket, asio::as_tuple(asio::use_awaitable));
                if (error) {
                    if (error == asio::error::operation_aborted || !listener->acceptor.is_open()) co_return;
                    // Out of file descriptors the connection stays in the backlog and accept fails
                    // again at once: without a pause this loop would spin (and log) flat out.
                    const bool outOfFiles = error == asio::error::no_descriptors || error.value() == ENFILE;
                    if (failedAccepts++ % 100 == 0)
                        spdlog::warn("accept on {}: {}{}", listener->name, error.message(),
                                     outOfFiles ? " (raise the open files limit, ulimit -n: each partition keeps its "
                                                  "active segment's files open)"
                                                : "");
                    if (outOfFiles) {
                        asio::steady_timer pause(m_io, std::chrono::milliseconds(100));
                        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                    }
                    continue;
                }
                failedAccepts = 0;
                socket.set_option(tcp::no_delay(true));
                boost::system::error_code peerError;
                auto peer = socket.remote_endpoint(peerError);
                ConnectionInfo info{m_nextConnectionId++,
                                    peerError ? "?" : peer.address().to_string() + ":" + std::to_string(peer.port()),
                                    listener->name};
                auto connection = std::make_shared<Connection>(*this, std::move(socket), std::move(info));
                {
                    std::lock_guard lock(m_openMutex);
                    std::erase_if(m_open, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
                    m_open.push_back(connection);
                }
                connection->start();
            }
        },
        asio::detached);
    return bound;
}

void TcpServer::stop() {
    for (auto& listener : m_listeners) {
        asio::post(m_io, [listener] {
            boost::system::error_code ignored;
            listener->acceptor.close(ignored);
        });
    }
    m_listeners.clear();
    std::lock_guard lock(m_openMutex);
    for (auto& weak : m_open) {
        if (auto connection = weak.lock()) connection->close();
    }
    m_open.clear();
}

}  // namespace partita::net
