// FrameHandler: what the network layer hands each complete request frame to.
#pragma once

#include "engine/protocol/bytes.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace partita::net {

struct ConnectionInfo {
    uint64_t id = 0;
    std::string peer;          // "127.0.0.1:53422", for log lines
    std::string listenerName;  // "PLAINTEXT"
};

// The connection waits for the answer before it reads the next frame (Kafka's "muted channel"),
// so responses go out in request order and a client that never reads its responses stops being
// read from: back-pressure instead of an unbounded queue.
class FrameHandler {
public:
    virtual ~FrameHandler() = default;
    // `frame` is one request without its length prefix. Returns the whole response frame (length
    // prefix included), nothing when the request expects no response (Produce with acks=0), or an
    // empty Bytes to close the connection (Kafka's answer to a request it cannot parse).
    virtual boost::asio::awaitable<std::optional<Bytes>> handleFrame(const ConnectionInfo& connection, Bytes frame) = 0;
};

}  // namespace partita::net
