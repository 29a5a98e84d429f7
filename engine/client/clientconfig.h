// ClientConfig: the settings of a connection to one cluster, under Kafka's property names.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace partita::client {

enum class SecurityProtocol { Plaintext, Ssl, SaslPlaintext, SaslSsl };
const char* securityProtocolName(SecurityProtocol protocol);

struct ClientConfig {
    // host:port pairs; IPv6 literals in brackets ("[::1]:9092").
    std::vector<std::string> bootstrapServers;
    std::string clientId = "partita";

    SecurityProtocol securityProtocol = SecurityProtocol::Plaintext;
    // PEM files. An empty CA location trusts the system's default CA store.
    std::string sslCaLocation;
    std::string sslCertificateLocation;
    std::string sslKeyLocation;
    std::string sslKeyPassword;
    // ssl.endpoint.identification.algorithm: "https" (Kafka's default) checks the broker's
    // certificate names the host we dialled; "" (or "none") does not.
    bool sslVerifyHostname = true;

    std::string saslMechanism = "PLAIN";  // PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
    std::string saslUsername;
    std::string saslPassword;  // secret: never logged

    int32_t requestTimeoutMs = 30000;               // request.timeout.ms
    int32_t connectTimeoutMs = 10000;               // socket.connection.setup.timeout.ms
    int32_t reconnectBackoffMs = 50;                // reconnect.backoff.ms
    int32_t reconnectBackoffMaxMs = 1000;           // reconnect.backoff.max.ms
    int32_t retryBackoffMs = 100;                   // retry.backoff.ms
    int32_t metadataMaxAgeMs = 300000;              // metadata.max.age.ms
    int32_t connectionsMaxIdleMs = 540000;          // connections.max.idle.ms
    int32_t maxResponseBytes = 100 * 1024 * 1024;  // a larger announced response closes the connection

    // Every property given, so the producer and consumer read their own settings (linger.ms,
    // isolation.level, ...) from the same map.
    std::map<std::string, std::string> properties;

    // Reads Kafka's names (Java client and librdkafka spellings, e.g. sasl.jaas.config or
    // sasl.username). Unknown keys are kept in `properties`, not refused, since a Java client
    // .properties file carries settings of other components; a bad value is an InvalidArgument
    // error naming the key.
    static Result<ClientConfig> fromProperties(const std::map<std::string, std::string>& properties);

    // Two configs with the same key share one connection pool (same servers, same identity).
    std::string poolKey() const;

    // Typed reads of `properties` with a default, for the producer's and consumer's settings.
    Result<int64_t> intProperty(const std::string& name, int64_t defaultValue, int64_t min, int64_t max) const;
    Result<bool> boolProperty(const std::string& name, bool defaultValue) const;
    std::string stringProperty(const std::string& name, const std::string& defaultValue) const;
};

// Parses "host:port" / "[v6]:port"; InvalidArgument names the bad entry.
struct HostPort {
    std::string host;
    uint16_t port = 0;
};
Result<HostPort> parseHostPort(const std::string& entry);

}  // namespace partita::client
