// TestCertificates: a throwaway CA, server and client certificates made with the openssl CLI for TLS tests.
#pragma once

#include <QString>
#include <QStringList>

#include <string>
#include <utility>

namespace partita::tests {

// Everything is PEM with P-256 keys, written into `dir`:
//   ca.pem / ca.key                the test CA
//   other-ca.pem                   an unrelated CA (a wrong trust anchor)
//   server.pem / server.key        signed by the CA for localhost and 127.0.0.1
//   wronghost.pem / wronghost.key  signed by the CA for other.example only
//   client.pem / client.key        a client certificate signed by the CA
//   client-encrypted.key           client.key encrypted with the password "secret"
//   client-keystore.pem            client.pem and client.key in one file (a PEM keystore)
//   unrelated.key                  a key that matches no certificate
//   garbage.pem                    text that is not PEM
class TestCertificates {
public:
    explicit TestCertificates(QString dir) : m_dir(std::move(dir)) {}

    // Runs openssl; false (with error()) if any step fails.
    bool generate();
    QString error() const { return m_error; }
    QString path(const QString& name) const { return m_dir + "/" + name; }
    std::string file(const QString& name) const { return path(name).toStdString(); }

    static constexpr const char* kKeyPassword = "secret";

private:
    bool openssl(const QStringList& arguments);
    bool makeKey(const QString& name);
    bool signedCertificate(const QString& name, const QString& subject, const QString& extensions);

    QString m_dir;
    QString m_error;
};

}  // namespace partita::tests
