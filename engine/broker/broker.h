// Broker: decodes request frames, dispatches them to the API handlers and encodes the answers.
#pragma once

#include "engine/net/framehandler.h"

#include <map>
#include <memory>
#include <vector>

namespace partita::broker {

class ApiHandler;
class BrokerContext;

// Kafka's answers to requests it cannot serve: an ApiVersions request of an unknown version gets
// the v0 fallback listing the supported range; any other unknown API or version, or bytes that
// do not parse, close the connection with a log line (what Kafka does).
class Broker final : public net::FrameHandler {
public:
    explicit Broker(BrokerContext& context);
    ~Broker() override;

    boost::asio::awaitable<std::optional<net::ResponseFrame>> handleFrame(const net::ConnectionInfo& connection,
                                                                          Bytes frame) override;

private:
    BrokerContext& m_context;
    std::vector<std::unique_ptr<ApiHandler>> m_handlers;
    std::map<int16_t, ApiHandler*> m_byKey;
};

}  // namespace partita::broker
