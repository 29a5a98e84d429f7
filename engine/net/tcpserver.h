// TcpServer: Kafka-framed TCP listeners and connections on Boost.Asio coroutines.
#pragma once

#include "engine/protocol/result.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace partita::net {

class FrameHandler;
class Connection;

struct ServerOptions {
    size_t maxFrameBytes = 104857600;               // socket.request.max.bytes
    std::chrono::milliseconds idleTimeout{600000};  // connections.max.idle.ms
};

// Each connection runs on its own strand: its requests are read, handled and answered one after
// another, while different connections use every thread of the io_context.
class TcpServer {
public:
    TcpServer(boost::asio::io_context& io, FrameHandler& handler, ServerOptions options);
    ~TcpServer();

    // Binds and starts accepting; port 0 picks a free port. Returns the bound port.
    Result<uint16_t> listen(const std::string& host, uint16_t port, const std::string& listenerName);
    // Stops accepting and closes every connection.
    void stop();
    size_t connectionCount() const { return m_connections.load(); }

private:
    struct Listener;
    friend class Connection;

    boost::asio::io_context& m_io;
    FrameHandler& m_handler;
    const ServerOptions m_options;
    std::vector<std::shared_ptr<Listener>> m_listeners;
    std::atomic<size_t> m_connections{0};
    std::atomic<uint64_t> m_nextConnectionId{1};
    std::mutex m_openMutex;
    std::vector<std::weak_ptr<Connection>> m_open;
};

}  // namespace partita::net
