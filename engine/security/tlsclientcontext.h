// The OpenSSL context of a client connection: trusted CAs, client certificate and key.
#pragma once

#include "engine/protocol/result.h"

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace partita::security {

struct TlsClientSettings {
    std::string caLocation;           // PEM file (or directory of hashed certs); empty: system default store
    std::string certificateLocation;  // PEM client certificate (chain) for mutual TLS; optional
    std::string keyLocation;          // PEM private key for the certificate
    std::string keyPassword;          // secret: never logged
};

// TLS 1.2+ with peer verification on. Errors (unreadable or invalid files, a key that does not
// match the certificate, a wrong key password) are Authentication errors naming the file.
// Host name checking is the connection's job (it knows the host it dialled).
Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsClientContext(const TlsClientSettings& settings);

}  // namespace partita::security
