// The client side of SASL PLAIN (RFC 4616) and SCRAM-SHA-256/512 (RFC 5802, RFC 7677) on OpenSSL.
#include "engine/security/saslclient.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <vector>

namespace partita::security {

namespace {

// Kafka refuses SCRAM credentials with fewer iterations, so a server asking for fewer is not a
// Kafka broker we should hand a proof to. The upper bound keeps a hostile server from making
// us spin for minutes in PBKDF2.
constexpr int kMinScramIterations = 4096;
constexpr int kMaxScramIterations = 1'000'000;

void wipe(std::string& secret) {
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

void wipe(std::vector<unsigned char>& secret) {
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

Error authError(std::string message) {
    return Error{ErrorKind::Authentication, std::move(message)};
}

std::string base64Encode(const unsigned char* data, size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<size_t>(written));
    return out;
}

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Strict RFC 4648 decoding (padding required, no whitespace): EVP_DecodeBlock skips
// whitespace and cannot report the decoded length with padding, and a server's salt or
// signature that is not clean base64 means something is wrong.
std::optional<std::vector<unsigned char>> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<unsigned char> out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        bool last = i + 4 == text.size();
        int v[4];
        int padding = 0;
        for (int j = 0; j < 4; ++j) {
            char c = text[i + static_cast<size_t>(j)];
            if (c == '=' && last && j >= 2) {
                ++padding;
                v[j] = 0;
                continue;
            }
            if (padding > 0) return std::nullopt;  // data after padding
            v[j] = base64Value(c);
            if (v[j] < 0) return std::nullopt;
        }
        uint32_t triple = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                          (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
        out.push_back(static_cast<unsigned char>(triple >> 16));
        if (padding < 2) out.push_back(static_cast<unsigned char>(triple >> 8));
        if (padding < 1) out.push_back(static_cast<unsigned char>(triple));
    }
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// RFC 4616: authzid NUL authcid NUL passwd, with an empty authzid (act as ourselves).
class PlainClient final : public SaslClient {
public:
    PlainClient(std::string username, std::string password)
        : m_username(std::move(username)), m_password(std::move(password)) {}
    ~PlainClient() override { wipe(m_password); }

    std::string mechanism() const override { return "PLAIN"; }

    Result<std::string> start() override {
        if (m_started) return authError("SASL PLAIN: the exchange was already started");
        if (m_username.find('\0') != std::string::npos || m_password.find('\0') != std::string::npos)
            return authError("SASL PLAIN: the user name and password must not contain NUL characters");
        m_started = true;
        std::string message;
        message.reserve(m_username.size() + m_password.size() + 2);
        message.push_back('\0');
        message += m_username;
        message.push_back('\0');
        message += m_password;
        wipe(m_password);
        return message;
    }

    Result<std::optional<std::string>> step(std::string_view serverMessage) override {
        if (!m_started) return authError("SASL PLAIN: the server answered before the client started");
        if (m_done) return authError("SASL PLAIN: the exchange is already complete");
        // Kafka answers a successful PLAIN exchange with empty bytes; anything else is not PLAIN.
        if (!serverMessage.empty())
            return authError("SASL PLAIN: unexpected data from the server after the credentials");
        m_done = true;
        return std::optional<std::string>{};
    }

private:
    std::string m_username;
    std::string m_password;
    bool m_started = false;
    bool m_done = false;
};

// The attributes of a SCRAM server message ("r=...,s=...,i=..."), in order.
struct ScramAttribute {
    char name;
    std::string_view value;
};

std::optional<std::vector<ScramAttribute>> parseAttributes(std::string_view message) {
    std::vector<ScramAttribute> attributes;
    size_t pos = 0;
    while (pos <= message.size()) {
        size_t comma = message.find(',', pos);
        std::string_view part =
            message.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        if (part.size() < 2 || part[1] != '=' || !std::isalpha(static_cast<unsigned char>(part[0])))
            return std::nullopt;
        attributes.push_back({part[0], part.substr(2)});
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return attributes;
}

const ScramAttribute* findAttribute(const std::vector<ScramAttribute>& attributes, char name) {
    auto it =
        std::find_if(attributes.begin(), attributes.end(), [name](const ScramAttribute& a) { return a.name == name; });
    return it == attributes.end() ? nullptr : &*it;
}

class ScramClient final : public SaslClient {
public:
    ScramClient(std::string mechanism, const EVP_MD* digest, std::string username, std::string password,
                std::string nonce)
        : m_mechanism(std::move(mechanism)),
          m_digest(digest),
          m_username(std::move(username)),
          m_password(std::move(password)),
          m_clientNonce(std::move(nonce)) {}
    ~ScramClient() override {
        wipe(m_password);
        wipe(m_serverSignature);
    }

    std::string mechanism() const override { return m_mechanism; }

    Result<std::string> start() override {
        if (m_state != State::Initial) return fail("the exchange was already started");
        if (m_username.empty()) return fail("the user name is empty");
        if (m_clientNonce.empty()) {
            std::array<unsigned char, 24> random{};
            if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
                return fail("OpenSSL could not generate a random nonce");
            m_clientNonce = base64Encode(random.data(), random.size());
        }
        m_clientFirstBare = "n=" + saslName(m_username) + ",r=" + m_clientNonce;
        m_state = State::SentFirst;
        // gs2 header "n,,": no channel binding, no authorization identity.
        return "n,," + m_clientFirstBare;
    }

    Result<std::optional<std::string>> step(std::string_view serverMessage) override {
        switch (m_state) {
            case State::Initial:
                return fail("the server answered before the client started");
            case State::SentFirst:
                return clientFinal(serverMessage);
            case State::SentFinal:
                return checkServerFinal(serverMessage);
            case State::Done:
                return fail("the exchange is already complete");
            case State::Failed:
                break;
        }
        return fail("the exchange already failed");
    }

private:
    enum class State { Initial, SentFirst, SentFinal, Done, Failed };

    Error fail(const std::string& what) {
        m_state = State::Failed;
        wipe(m_password);
        wipe(m_serverSignature);
        return authError(m_mechanism + ": " + what);
    }

    // RFC 5802 5.1: ',' and '=' in a user name travel as "=2C" and "=3D".
    static std::string saslName(const std::string& username) {
        std::string out;
        out.reserve(username.size());
        for (char c : username) {
            if (c == '=')
                out += "=3D";
            else if (c == ',')
                out += "=2C";
            else
                out.push_back(c);
        }
        return out;
    }

    // An HMAC over `data` keyed with `key`, in this mechanism's digest.
    std::vector<unsigned char> hmac(const std::vector<unsigned char>& key, std::string_view data) const {
        std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
        unsigned int size = 0;
        HMAC(m_digest, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), out.data(), &size);
        out.resize(size);
        return out;
    }

    std::vector<unsigned char> hash(const std::vector<unsigned char>& data) const {
        std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
        unsigned int size = 0;
        EVP_Digest(data.data(), data.size(), out.data(), &size, m_digest, nullptr);
        out.resize(size);
        return out;
    }

    Result<std::optional<std::string>> clientFinal(std::string_view serverFirst) {
        auto attributes = parseAttributes(serverFirst);
        if (!attributes) return fail("the server's first message is malformed");
        if (findAttribute(*attributes, 'm') != nullptr)
            return fail("the server requires a SCRAM extension this client does not support");
        if (const auto* error = findAttribute(*attributes, 'e'))
            return fail("the server refused the authentication: " + std::string(error->value));
        const auto* nonce = findAttribute(*attributes, 'r');
        const auto* salt = findAttribute(*attributes, 's');
        const auto* iterations = findAttribute(*attributes, 'i');
        if (nonce == nullptr) return fail("the server's first message has no nonce (r=)");
        if (salt == nullptr) return fail("the server's first message has no salt (s=)");
        if (iterations == nullptr) return fail("the server's first message has no iteration count (i=)");
        if (nonce->value.size() <= m_clientNonce.size() ||
            nonce->value.substr(0, m_clientNonce.size()) != m_clientNonce)
            return fail("the server's nonce does not extend the client's nonce");
        auto saltBytes = base64Decode(salt->value);
        if (!saltBytes || saltBytes->empty()) return fail("the server's salt is not valid base64");
        int count = 0;
        auto [end, ec] =
            std::from_chars(iterations->value.data(), iterations->value.data() + iterations->value.size(), count);
        if (ec != std::errc{} || end != iterations->value.data() + iterations->value.size())
            return fail("the server's iteration count '" + std::string(iterations->value) + "' is not a number");
        if (count < kMinScramIterations)
            return fail("the server asks for " + std::to_string(count) + " iterations, fewer than Kafka's minimum of " +
                        std::to_string(kMinScramIterations));
        if (count > kMaxScramIterations)
            return fail("the server asks for " + std::to_string(count) + " iterations, more than this client allows (" +
                        std::to_string(kMaxScramIterations) + ")");

        const size_t digestSize = static_cast<size_t>(EVP_MD_get_size(m_digest));
        std::vector<unsigned char> saltedPassword(digestSize);
        if (PKCS5_PBKDF2_HMAC(m_password.data(), static_cast<int>(m_password.size()), saltBytes->data(),
                              static_cast<int>(saltBytes->size()), count, m_digest, static_cast<int>(digestSize),
                              saltedPassword.data()) != 1)
            return fail("OpenSSL could not derive the salted password");
        wipe(m_password);

        const std::string withoutProof = "c=biws,r=" + std::string(nonce->value);
        const std::string authMessage = m_clientFirstBare + "," + std::string(serverFirst) + "," + withoutProof;
        std::vector<unsigned char> clientKey = hmac(saltedPassword, "Client Key");
        std::vector<unsigned char> storedKey = hash(clientKey);
        std::vector<unsigned char> proof = hmac(storedKey, authMessage);
        for (size_t i = 0; i < proof.size(); ++i) proof[i] ^= clientKey[i];
        std::vector<unsigned char> serverKey = hmac(saltedPassword, "Server Key");
        m_serverSignature = hmac(serverKey, authMessage);

        std::string message = withoutProof + ",p=" + base64Encode(proof.data(), proof.size());
        wipe(saltedPassword);
        wipe(clientKey);
        wipe(storedKey);
        wipe(proof);
        wipe(serverKey);
        m_state = State::SentFinal;
        return std::optional<std::string>{std::move(message)};
    }

    Result<std::optional<std::string>> checkServerFinal(std::string_view serverFinal) {
        auto attributes = parseAttributes(serverFinal);
        if (!attributes) return fail("the server's final message is malformed");
        if (const auto* error = findAttribute(*attributes, 'e'))
            return fail("the server refused the authentication: " + std::string(error->value));
        const auto* verifier = findAttribute(*attributes, 'v');
        if (verifier == nullptr) return fail("the server's final message has no signature (v=)");
        auto signature = base64Decode(verifier->value);
        if (!signature) return fail("the server's signature is not valid base64");
        if (signature->size() != m_serverSignature.size() ||
            CRYPTO_memcmp(signature->data(), m_serverSignature.data(), m_serverSignature.size()) != 0)
            return fail("the server's SCRAM signature is wrong (the server does not know this user's credentials)");
        wipe(m_serverSignature);
        m_state = State::Done;
        return std::optional<std::string>{};
    }

    std::string m_mechanism;
    const EVP_MD* m_digest;
    std::string m_username;
    std::string m_password;
    std::string m_clientNonce;
    std::string m_clientFirstBare;
    std::vector<unsigned char> m_serverSignature;
    State m_state = State::Initial;
};

Result<std::unique_ptr<SaslClient>> makeClient(std::string_view mechanism, std::string username, std::string password,
                                               std::string nonce) {
    std::string name = upper(mechanism);
    if (name == "PLAIN") return std::unique_ptr<SaslClient>(new PlainClient(std::move(username), std::move(password)));
    if (name == "SCRAM-SHA-256" || name == "SCRAM-SHA-512") {
        const EVP_MD* digest = name == "SCRAM-SHA-256" ? EVP_sha256() : EVP_sha512();
        return std::unique_ptr<SaslClient>(
            new ScramClient(name, digest, std::move(username), std::move(password), std::move(nonce)));
    }
    wipe(password);
    return Error{ErrorKind::Unsupported, "SASL mechanism '" + std::string(mechanism) +
                                             "' is not supported (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are)"};
}

}  // namespace

Result<std::unique_ptr<SaslClient>> makeSaslClient(std::string_view mechanism, std::string username,
                                                   std::string password) {
    return makeClient(mechanism, std::move(username), std::move(password), {});
}

Result<std::unique_ptr<SaslClient>> makeScramClientForTest(std::string_view mechanism, std::string username,
                                                           std::string password, std::string nonce) {
    if (nonce.empty() || nonce.find(',') != std::string::npos)
        return Error{ErrorKind::InvalidArgument, "a SCRAM nonce must be non-empty printable text without ','"};
    return makeClient(mechanism, std::move(username), std::move(password), std::move(nonce));
}

}  // namespace partita::security
