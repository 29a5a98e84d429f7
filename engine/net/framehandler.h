// FrameHandler: what the network layer hands each complete request frame to.
#pragma once

#include "engine/protocol/bytes.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace partita::net {

struct ConnectionInfo {
    uint64_t id = 0;
    std::string peer;          // "127.0.0.1:53422", for log lines
    std::string listenerName;  // "PLAINTEXT"
};

// A byte range of an open file that goes to the socket with sendfile(2), never through user space.
// `owner` keeps the descriptor open while it is sent (a log segment may be deleted meanwhile).
struct FileRegion {
    std::shared_ptr<const void> owner;
    int fd = -1;
    uint64_t offset = 0;
    uint64_t length = 0;
};

// A response frame in pieces, sent in order: encoded bytes, and the record bytes of a fetch as
// file regions. Empty: close the connection (Kafka's answer to a request it cannot parse).
struct ResponseFrame {
    struct Part {
        Bytes bytes;
        FileRegion file;  // used when file.length > 0
    };
    std::vector<Part> parts;

    ResponseFrame() = default;
    explicit ResponseFrame(Bytes whole) { parts.push_back({std::move(whole), {}}); }
    bool closesConnection() const { return parts.empty(); }
};

// The connection waits for the answer before it reads the next frame (Kafka's "muted channel"),
// so responses go out in request order and a client that never reads its responses stops being
// read from: back-pressure instead of an unbounded queue.
class FrameHandler {
public:
    virtual ~FrameHandler() = default;
    // `frame` is one request without its length prefix. Returns the whole response frame (length
    // prefix included), nothing when the request expects no response (Produce with acks=0), or an
    // empty ResponseFrame to close the connection.
    virtual boost::asio::awaitable<std::optional<ResponseFrame>> handleFrame(const ConnectionInfo& connection,
                                                                             Bytes frame) = 0;
};

}  // namespace partita::net
