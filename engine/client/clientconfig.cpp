// Reads a cluster connection's settings from Kafka's property names (Java client and librdkafka).
#include "engine/client/clientconfig.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <limits>
#include <optional>

namespace partita::client {

namespace {

using Properties = std::map<std::string, std::string>;

Error invalid(std::string message) {
    return Error{ErrorKind::InvalidArgument, std::move(message)};
}

std::string trim(std::string_view text) {
    size_t begin = 0;
    size_t end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return std::string(text.substr(begin, end - begin));
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The value of the first of `names` that is set (Java's spelling first, then librdkafka's).
std::optional<std::string> lookup(const Properties& properties, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        auto it = properties.find(name);
        if (it != properties.end()) return it->second;
    }
    return std::nullopt;
}

std::optional<int64_t> parseInteger(std::string_view text) {
    std::string trimmed = trim(text);
    if (trimmed.empty()) return std::nullopt;
    const char* begin = trimmed.data();
    if (*begin == '+') ++begin;
    int64_t value = 0;
    auto [end, ec] = std::from_chars(begin, trimmed.data() + trimmed.size(), value);
    if (ec != std::errc{} || end != trimmed.data() + trimmed.size()) return std::nullopt;
    return value;
}

std::string rangeText(int64_t min, int64_t max) {
    if (max == std::numeric_limits<int64_t>::max() || max == std::numeric_limits<int32_t>::max())
        return ">= " + std::to_string(min);
    return "between " + std::to_string(min) + " and " + std::to_string(max);
}

Result<int64_t> integerProperty(const Properties& properties, const std::string& name, int64_t defaultValue,
                                int64_t min, int64_t max) {
    auto it = properties.find(name);
    if (it == properties.end()) return defaultValue;
    auto value = parseInteger(it->second);
    if (!value || *value < min || *value > max)
        return invalid(name + ": expected an integer " + rangeText(min, max) + ", got '" + it->second + "'");
    return *value;
}

Status readInt32(const Properties& properties, const std::string& name, int32_t min, int32_t& field) {
    auto value = integerProperty(properties, name, field, min, std::numeric_limits<int32_t>::max());
    if (!value.ok()) return value.error();
    field = static_cast<int32_t>(value.value());
    return {};
}

Result<SecurityProtocol> parseSecurityProtocol(const std::string& text) {
    std::string name = upper(trim(text));
    if (name == "PLAINTEXT") return SecurityProtocol::Plaintext;
    if (name == "SSL") return SecurityProtocol::Ssl;
    if (name == "SASL_PLAINTEXT") return SecurityProtocol::SaslPlaintext;
    if (name == "SASL_SSL") return SecurityProtocol::SaslSsl;
    return invalid("security.protocol: expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got '" + text + "'");
}

// The credentials of a sasl.jaas.config line such as
//   org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr=t;";
struct JaasLogin {
    std::string module;
    std::map<std::string, std::string> options;
};

// A small tokenizer for the JAAS syntax Kafka accepts: a class name, a control flag, then
// key=value options whose values are bare words or double-quoted strings with backslash escapes,
// ended by ';'.
class JaasParser {
public:
    explicit JaasParser(std::string_view text) : m_text(text) {}

    Result<JaasLogin> parse() {
        JaasLogin login;
        login.module = word();
        if (login.module.empty()) return error("expected a login module class name");
        std::string flag = lower(word());
        if (flag != "required" && flag != "requisite" && flag != "sufficient" && flag != "optional")
            return error("expected a control flag (required) after " + login.module);
        while (true) {
            skipSpace();
            if (atEnd()) break;  // Java wants the closing ';', but nothing is lost without it
            if (m_text[m_pos] == ';') {
                ++m_pos;
                skipSpace();
                if (!atEnd()) return error("only one login module is allowed");
                break;
            }
            std::string key = word();
            if (key.empty()) return error("expected an option name at position " + std::to_string(m_pos + 1));
            skipSpace();
            if (atEnd() || m_text[m_pos] != '=') return error("expected '=' after option " + key);
            ++m_pos;
            skipSpace();
            auto value = optionValue(key);
            if (!value.ok()) return value.error();
            login.options[key] = std::move(value.value());
        }
        return login;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }

    void skipSpace() {
        while (!atEnd() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
    }

    std::string word() {
        skipSpace();
        size_t begin = m_pos;
        while (!atEnd()) {
            char c = m_text[m_pos];
            if (std::isspace(static_cast<unsigned char>(c)) || c == '=' || c == ';' || c == '"') break;
            ++m_pos;
        }
        return std::string(m_text.substr(begin, m_pos - begin));
    }

    Result<std::string> optionValue(const std::string& key) {
        if (atEnd() || m_text[m_pos] != '"') {
            std::string value = word();
            if (value.empty()) return error("option " + key + " has no value");
            return value;
        }
        ++m_pos;
        std::string value;
        while (!atEnd()) {
            char c = m_text[m_pos++];
            if (c == '"') return value;
            if (c == '\\' && !atEnd()) {
                char escaped = m_text[m_pos++];
                switch (escaped) {
                    case 'n':
                        value.push_back('\n');
                        break;
                    case 't':
                        value.push_back('\t');
                        break;
                    case 'r':
                        value.push_back('\r');
                        break;
                    default:
                        value.push_back(escaped);
                        break;
                }
                continue;
            }
            value.push_back(c);
        }
        return error("the quoted value of option " + key + " is not closed");
    }

    // Never echoes the text: it holds the password.
    Error error(const std::string& what) const { return invalid("sasl.jaas.config: " + what); }

    std::string_view m_text;
    size_t m_pos = 0;
};

constexpr const char* kPlainLoginModule = "org.apache.kafka.common.security.plain.PlainLoginModule";
constexpr const char* kScramLoginModule = "org.apache.kafka.common.security.scram.ScramLoginModule";

Status applyJaas(const std::string& text, bool mechanismGiven, ClientConfig& config) {
    auto login = JaasParser(text).parse();
    if (!login.ok()) return login.error();
    const std::string& module = login->module;
    bool scramMechanism = config.saslMechanism.rfind("SCRAM-", 0) == 0;
    if (module == kPlainLoginModule) {
        if (mechanismGiven && config.saslMechanism != "PLAIN")
            return invalid("sasl.jaas.config: PlainLoginModule does not fit sasl.mechanism " + config.saslMechanism);
    } else if (module == kScramLoginModule) {
        if (!scramMechanism)
            return invalid(
                "sasl.jaas.config: ScramLoginModule needs sasl.mechanism SCRAM-SHA-256 or SCRAM-SHA-512, got " +
                config.saslMechanism);
    } else {
        return invalid("sasl.jaas.config: login module " + module + " is not supported (use " + kPlainLoginModule +
                       " or " + kScramLoginModule + ")");
    }
    // sasl.username / sasl.password, when also given, win: they are the more specific spelling.
    auto& options = login->options;
    if (config.saslUsername.empty() && options.count("username")) config.saslUsername = options["username"];
    if (config.saslPassword.empty() && options.count("password")) config.saslPassword = options["password"];
    return {};
}

// Java truststores and keystores other than PEM cannot be read with OpenSSL; say how to convert.
Error storeTypeError(const std::string& key, const std::string& type, bool keystore) {
    std::string message = key + ": a " + type + " " + (keystore ? "keystore" : "truststore") +
                          " cannot be read here; convert it to PEM and set " +
                          (keystore ? "ssl.certificate.location and ssl.key.location" : "ssl.ca.location") +
                          " (or ssl." + (keystore ? "keystore" : "truststore") + ".type=PEM). ";
    if (keystore)
        message += type == "JKS"
                       ? "For example: keytool -importkeystore -srckeystore keystore.jks -destkeystore keystore.p12 "
                         "-deststoretype PKCS12, then openssl pkcs12 -in keystore.p12 -out client.pem"
                       : "For example: openssl pkcs12 -in keystore.p12 -out client.pem";
    else
        message += type == "JKS" ? "For example: keytool -exportcert -rfc -keystore truststore.jks -alias <alias> "
                                   "-file ca.pem"
                                 : "For example: openssl pkcs12 -in truststore.p12 -nokeys -out ca.pem";
    return invalid(message);
}

Status readTls(const Properties& properties, ClientConfig& config) {
    if (auto ca = lookup(properties, {"ssl.ca.location"})) config.sslCaLocation = trim(*ca);
    if (auto truststore = lookup(properties, {"ssl.truststore.location"}); truststore && config.sslCaLocation.empty()) {
        // Java's default truststore type is JKS.
        std::string type = upper(trim(lookup(properties, {"ssl.truststore.type"}).value_or("JKS")));
        if (type != "PEM") return storeTypeError("ssl.truststore.location", type, false);
        config.sslCaLocation = trim(*truststore);
    }
    if (properties.count("ssl.truststore.certificates") && config.sslCaLocation.empty())
        return invalid(
            "ssl.truststore.certificates: inline PEM certificates are not supported; save them to a file "
            "and set ssl.ca.location");

    if (auto cert = lookup(properties, {"ssl.certificate.location"})) config.sslCertificateLocation = trim(*cert);
    if (auto key = lookup(properties, {"ssl.key.location"})) config.sslKeyLocation = trim(*key);
    if (auto keystore = lookup(properties, {"ssl.keystore.location"});
        keystore && config.sslCertificateLocation.empty()) {
        std::string type = upper(trim(lookup(properties, {"ssl.keystore.type"}).value_or("JKS")));
        if (type != "PEM") return storeTypeError("ssl.keystore.location", type, true);
        // A PEM keystore holds the certificate chain and the key in one file.
        config.sslCertificateLocation = trim(*keystore);
        if (config.sslKeyLocation.empty()) config.sslKeyLocation = config.sslCertificateLocation;
    }
    if (properties.count("ssl.keystore.certificate.chain") && config.sslCertificateLocation.empty())
        return invalid(
            "ssl.keystore.certificate.chain: inline PEM certificates are not supported; save the chain and "
            "key to files and set ssl.certificate.location and ssl.key.location");
    if (!config.sslKeyLocation.empty() && config.sslCertificateLocation.empty())
        return invalid(
            "ssl.key.location is set but ssl.certificate.location is not: a client key needs its certificate");
    if (auto password = lookup(properties, {"ssl.key.password"})) config.sslKeyPassword = *password;

    if (auto algorithm = lookup(properties, {"ssl.endpoint.identification.algorithm"})) {
        std::string value = lower(trim(*algorithm));
        if (value == "https")
            config.sslVerifyHostname = true;
        else if (value.empty() || value == "none")
            config.sslVerifyHostname = false;
        else
            return invalid("ssl.endpoint.identification.algorithm: expected https, none or empty, got '" + *algorithm +
                           "'");
    }
    return {};
}

Status readSasl(const Properties& properties, ClientConfig& config) {
    bool saslUsed = config.securityProtocol == SecurityProtocol::SaslPlaintext ||
                    config.securityProtocol == SecurityProtocol::SaslSsl;
    auto mechanism = lookup(properties, {"sasl.mechanism", "sasl.mechanisms"});
    if (mechanism) {
        std::string name = upper(trim(*mechanism));
        bool known = name == "PLAIN" || name == "SCRAM-SHA-256" || name == "SCRAM-SHA-512";
        if (known) {
            config.saslMechanism = name;
        } else if (saslUsed) {
            return invalid("sasl.mechanism: " + *mechanism +
                           " is not supported (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are)");
        }
    }
    if (auto username = lookup(properties, {"sasl.username"})) config.saslUsername = *username;
    if (auto password = lookup(properties, {"sasl.password"})) config.saslPassword = *password;
    if (auto jaas = lookup(properties, {"sasl.jaas.config"}); jaas && saslUsed) {
        if (Status status = applyJaas(*jaas, mechanism.has_value(), config); !status) return status;
    }
    if (saslUsed && config.saslUsername.empty())
        return invalid(std::string("security.protocol ") + securityProtocolName(config.securityProtocol) +
                       " needs a user name: set sasl.username (and sasl.password) or sasl.jaas.config");
    return {};
}

Status readTimeouts(const Properties& properties, ClientConfig& config) {
    struct IntSetting {
        const char* name;
        int32_t min;
        int32_t* field;
    };
    const IntSetting settings[] = {
        {"request.timeout.ms", 1, &config.requestTimeoutMs},
        {"socket.connection.setup.timeout.ms", 1, &config.connectTimeoutMs},
        {"reconnect.backoff.ms", 0, &config.reconnectBackoffMs},
        {"reconnect.backoff.max.ms", 0, &config.reconnectBackoffMaxMs},
        {"retry.backoff.ms", 0, &config.retryBackoffMs},
        {"metadata.max.age.ms", 0, &config.metadataMaxAgeMs},
        // Java turns idle reaping off with -1 (librdkafka with 0).
        {"connections.max.idle.ms", -1, &config.connectionsMaxIdleMs},
        // librdkafka's name for the largest response it accepts.
        {"receive.message.max.bytes", 1000, &config.maxResponseBytes},
    };
    for (const auto& setting : settings) {
        if (Status status = readInt32(properties, setting.name, setting.min, *setting.field); !status) return status;
    }
    return {};
}

}  // namespace

const char* securityProtocolName(SecurityProtocol protocol) {
    switch (protocol) {
        case SecurityProtocol::Plaintext:
            return "PLAINTEXT";
        case SecurityProtocol::Ssl:
            return "SSL";
        case SecurityProtocol::SaslPlaintext:
            return "SASL_PLAINTEXT";
        case SecurityProtocol::SaslSsl:
            return "SASL_SSL";
    }
    return "PLAINTEXT";
}

Result<HostPort> parseHostPort(const std::string& entry) {
    std::string text = trim(entry);
    if (text.empty()) return invalid("an empty broker address (expected host:port)");
    HostPort result;
    std::string portText;
    if (text.front() == '[') {
        size_t close = text.find(']');
        if (close == std::string::npos) return invalid("'" + text + "': the IPv6 address has no closing ']'");
        result.host = text.substr(1, close - 1);
        if (close + 1 >= text.size() || text[close + 1] != ':')
            return invalid("'" + text + "' has no port (expected [address]:port)");
        portText = text.substr(close + 2);
    } else {
        size_t colon = text.rfind(':');
        if (colon == std::string::npos) return invalid("'" + text + "' has no port (expected host:port)");
        result.host = text.substr(0, colon);
        if (result.host.find(':') != std::string::npos)
            return invalid("'" + text + "': write an IPv6 address in brackets, as [address]:port");
        portText = text.substr(colon + 1);
    }
    if (result.host.empty()) return invalid("'" + text + "' has no host name (expected host:port)");
    int port = 0;
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (portText.empty() || ec != std::errc{} || end != portText.data() + portText.size() || port < 1 || port > 65535)
        return invalid("'" + text + "': the port '" + portText + "' is not a number between 1 and 65535");
    result.port = static_cast<uint16_t>(port);
    return result;
}

Result<ClientConfig> ClientConfig::fromProperties(const std::map<std::string, std::string>& properties) {
    ClientConfig config;
    config.properties = properties;

    auto servers = lookup(properties, {"bootstrap.servers", "metadata.broker.list"});
    if (!servers) return invalid("bootstrap.servers is required (host:port[,host:port...])");
    std::string_view list = *servers;
    while (!list.empty()) {
        size_t comma = list.find(',');
        std::string entry = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (entry.empty()) continue;
        auto hostPort = parseHostPort(entry);
        if (!hostPort.ok()) return invalid("bootstrap.servers: " + hostPort.error().message);
        config.bootstrapServers.push_back(entry);
    }
    if (config.bootstrapServers.empty())
        return invalid("bootstrap.servers is empty (expected host:port[,host:port...])");

    if (auto id = lookup(properties, {"client.id"})) config.clientId = *id;
    if (auto protocol = lookup(properties, {"security.protocol"})) {
        auto parsed = parseSecurityProtocol(*protocol);
        if (!parsed.ok()) return parsed.error();
        config.securityProtocol = parsed.value();
    }
    if (Status status = readTls(properties, config); !status) return status.error();
    if (Status status = readSasl(properties, config); !status) return status.error();
    if (Status status = readTimeouts(properties, config); !status) return status.error();
    return config;
}

std::string ClientConfig::poolKey() const {
    std::vector<std::string> servers = bootstrapServers;
    std::sort(servers.begin(), servers.end());
    std::string key;
    for (const auto& server : servers) key += server + ",";
    key += "|";
    key += securityProtocolName(securityProtocol);
    bool sasl = securityProtocol == SecurityProtocol::SaslPlaintext || securityProtocol == SecurityProtocol::SaslSsl;
    bool tls = securityProtocol == SecurityProtocol::Ssl || securityProtocol == SecurityProtocol::SaslSsl;
    if (sasl) {
        // Users with the same name but another password must not ride on a connection the
        // right password opened; a hash tells them apart without keeping the password in the key.
        key += "|" + saslMechanism + "|" + saslUsername + "|" + std::to_string(std::hash<std::string>{}(saslPassword));
    }
    if (tls) {
        // A connection verified with a laxer trust setting must not serve a stricter config.
        key += "|" + sslCertificateLocation + "|" + sslKeyLocation + "|" + sslCaLocation + "|" +
               (sslVerifyHostname ? "verify" : "noverify");
    }
    return key;
}

Result<int64_t> ClientConfig::intProperty(const std::string& name, int64_t defaultValue, int64_t min,
                                          int64_t max) const {
    return integerProperty(properties, name, defaultValue, min, max);
}

Result<bool> ClientConfig::boolProperty(const std::string& name, bool defaultValue) const {
    auto it = properties.find(name);
    if (it == properties.end()) return defaultValue;
    std::string value = lower(trim(it->second));
    if (value == "true" || value == "1") return true;
    if (value == "false" || value == "0") return false;
    return invalid(name + ": expected true or false, got '" + it->second + "'");
}

std::string ClientConfig::stringProperty(const std::string& name, const std::string& defaultValue) const {
    auto it = properties.find(name);
    return it == properties.end() ? defaultValue : it->second;
}

}  // namespace partita::client
