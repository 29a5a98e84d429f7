// SaslClient: the client side of a SASL mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) as a
// message-in / message-out state machine, with no I/O, so any transport (Kafka's
// SaslAuthenticate, tests) can drive it.
#pragma once

#include "engine/protocol/result.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace partita::security {

class SaslClient {
public:
    virtual ~SaslClient() = default;
    // The mechanism's name as sent in SaslHandshake ("SCRAM-SHA-256").
    virtual std::string mechanism() const = 0;
    // The first client message.
    virtual Result<std::string> start() = 0;
    // The next client message for the server's answer, or nullopt once the exchange is complete
    // and the server proved itself (SCRAM checks the server signature). Authentication errors
    // say what failed without echoing the password.
    virtual Result<std::optional<std::string>> step(std::string_view serverMessage) = 0;
};

// PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (case-insensitive); Unsupported for anything else.
Result<std::unique_ptr<SaslClient>> makeSaslClient(std::string_view mechanism, std::string username,
                                                   std::string password);

// For tests only: a SCRAM client whose client nonce is `nonce` instead of a random one, so a
// published exchange (RFC 7677's example) can be replayed byte for byte.
Result<std::unique_ptr<SaslClient>> makeScramClientForTest(std::string_view mechanism, std::string username,
                                                           std::string password, std::string nonce);

}  // namespace partita::security
