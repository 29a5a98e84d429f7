// Builds the OpenSSL client context of a TLS connection from PEM files, with errors that name the file.
#include "engine/security/tlsclientcontext.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/ssl/context.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>

namespace partita::security {

namespace {

// Whether a PEM file holds an encrypted private key (PKCS#8 "ENCRYPTED PRIVATE KEY" or the
// legacy "Proc-Type: 4,ENCRYPTED" header).
bool isEncryptedPem(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    for (int i = 0; i < 64 && std::getline(in, line); ++i)
        if (line.find("ENCRYPTED") != std::string::npos) return true;
    return false;
}

// Every reason OpenSSL queued on this thread, oldest first, then the queue is empty.
std::string openSslReasons() {
    std::string reasons;
    while (unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        // OpenSSL 3 repeats a reason once per decoder it tried.
        if (reasons.find(buffer) != std::string::npos) continue;
        if (!reasons.empty()) reasons += "; ";
        reasons += buffer;
    }
    return reasons.empty() ? std::string("unknown OpenSSL error") : reasons;
}

Error tlsError(const std::string& what, const std::string& path, const std::string& reason) {
    return Error{ErrorKind::Authentication, "TLS: cannot " + what + " '" + path + "': " + reason};
}

// A missing or unreadable file gets the operating system's words, which say more than OpenSSL's
// "system lib" reason.
std::optional<Error> checkReadable(const std::string& what, const std::string& path, bool allowDirectory) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) return tlsError(what, path, "no such file");
    if (std::filesystem::is_directory(status) && !allowDirectory) return tlsError(what, path, "it is a directory");
    return std::nullopt;
}

// OpenSSL asks for the key's password through this callback; without one it would prompt on the
// terminal, which a GUI or a daemon must never do.
int passwordCallback(char* buffer, int size, int /*rwflag*/, void* userdata) {
    const auto* password = static_cast<const std::string*>(userdata);
    if (password == nullptr || password->empty() || size <= 0) return 0;
    int length = static_cast<int>(std::min<size_t>(password->size(), static_cast<size_t>(size)));
    std::memcpy(buffer, password->data(), static_cast<size_t>(length));
    return length;
}

}  // namespace

Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsClientContext(const TlsClientSettings& settings) {
    ERR_clear_error();
    std::shared_ptr<boost::asio::ssl::context> context;
    try {
        context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
    } catch (const std::exception& e) {
        return Error{ErrorKind::Authentication, std::string("TLS: cannot create a client context: ") + e.what()};
    }
    SSL_CTX* ctx = context->native_handle();

    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
        return Error{ErrorKind::Authentication, "TLS: cannot require TLS 1.2: " + openSslReasons()};
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION);

    if (settings.caLocation.empty()) {
        if (SSL_CTX_set_default_verify_paths(ctx) != 1)
            return Error{ErrorKind::Authentication,
                         "TLS: cannot load the system's default CA certificates: " + openSslReasons()};
    } else {
        const std::string& ca = settings.caLocation;
        if (auto error = checkReadable("load the CA certificates from", ca, true)) return *error;
        std::error_code ec;
        bool directory = std::filesystem::is_directory(ca, ec);
        int ok = directory ? SSL_CTX_load_verify_locations(ctx, nullptr, ca.c_str())
                           : SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr);
        if (ok != 1) return tlsError("load the CA certificates from", ca, openSslReasons());
    }

    if (settings.certificateLocation.empty() && !settings.keyLocation.empty())
        return Error{ErrorKind::Authentication,
                     "TLS: a private key ('" + settings.keyLocation + "') is set without a client certificate"};
    if (!settings.certificateLocation.empty()) {
        const std::string& cert = settings.certificateLocation;
        // A PEM keystore holds the certificate and its key in one file.
        const std::string& key = settings.keyLocation.empty() ? cert : settings.keyLocation;
        if (auto error = checkReadable("load the client certificate from", cert, false)) return *error;
        if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1)
            return tlsError("load the client certificate from", cert, openSslReasons());

        if (auto error = checkReadable("load the private key from", key, false)) return *error;
        // The callback only reads the password while the key loads; unset it afterwards so the
        // context keeps no pointer to (or copy of) the secret.
        SSL_CTX_set_default_passwd_cb(ctx, passwordCallback);
        SSL_CTX_set_default_passwd_cb_userdata(ctx, const_cast<std::string*>(&settings.keyPassword));
        int loaded = SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM);
        std::string reasons = loaded == 1 ? std::string() : openSslReasons();
        SSL_CTX_set_default_passwd_cb_userdata(ctx, nullptr);
        if (loaded != 1 && reasons.find("key values mismatch") != std::string::npos)
            return tlsError("use the private key", key,
                            "it does not match the certificate in '" + cert + "' (" + reasons + ")");
        if (loaded != 1) {
            // A wrong password usually fails the decryption's padding check ("bad decrypt"), but
            // about one time in 256 the garbage passes it and fails as ASN.1 instead: an encrypted
            // key that does not load is a password problem either way.
            bool passwordProblem = reasons.find("decrypt") != std::string::npos ||
                                   reasons.find("bad password") != std::string::npos || isEncryptedPem(key);
            if (settings.keyLocation.empty())
                reasons += " (no private key in the certificate file: set ssl.key.location)";
            else if (passwordProblem)
                reasons += settings.keyPassword.empty() ? " (the key is encrypted: set ssl.key.password)"
                                                        : " (is ssl.key.password right?)";
            return tlsError("load the private key from", key, reasons);
        }
        if (SSL_CTX_check_private_key(ctx) != 1)
            return tlsError("use the private key", key,
                            "it does not match the certificate in '" + cert + "' (" + openSslReasons() + ")");
    }
    ERR_clear_error();
    return context;
}

}  // namespace partita::security
