// TLS client contexts: PEM files that load, and files that fail with a message naming the file.
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/ssl.h>
#include <boost/asio/ssl/context.hpp>

#include "engine/security/tlsclientcontext.h"
#include "testcertificates.h"

using namespace partita;
using namespace partita::security;
using partita::tests::TestCertificates;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

class TlsClientContextTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestCertificates> m_certs;

    std::string file(const char* name) const { return m_certs->file(name); }

    // The error of settings that must fail: an Authentication error naming `namedFile`.
    void expectFailure(const TlsClientSettings& settings, const std::string& namedFile,
                       const QString& alsoMentions = {}) {
        auto context = makeTlsClientContext(settings);
        QVERIFY2(!context.ok(), "the context loaded but should not have");
        QCOMPARE(context.error().kind, ErrorKind::Authentication);
        qInfo("%s", context.error().message.c_str());
        QVERIFY2(context.error().message.find(namedFile) != std::string::npos, context.error().message.c_str());
        if (!alsoMentions.isEmpty())
            QVERIFY2(qs(context.error().message).contains(alsoMentions, Qt::CaseInsensitive),
                     context.error().message.c_str());
        // A password must never show up in an error.
        QVERIFY(context.error().message.find(TestCertificates::kKeyPassword) == std::string::npos ||
                settings.keyPassword.empty());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_certs = std::make_unique<TestCertificates>(m_dir.path());
        QVERIFY2(m_certs->generate(), qPrintable(m_certs->error()));
    }

    void defaultStoreLoadsWithTls12AndVerification() {
        auto context = makeTlsClientContext({});
        QVERIFY2(context.ok(), context.ok() ? "" : context.error().message.c_str());
        SSL_CTX* ctx = (*context)->native_handle();
        QCOMPARE(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
        QVERIFY(SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER);
    }

    void caFileLoads() {
        auto context = makeTlsClientContext({file("ca.pem"), {}, {}, {}});
        QVERIFY2(context.ok(), context.ok() ? "" : context.error().message.c_str());
        // The CA is in the store the handshake verifies against.
        X509_STORE* store = SSL_CTX_get_cert_store((*context)->native_handle());
        QCOMPARE(sk_X509_OBJECT_num(X509_STORE_get0_objects(store)), 1);
    }

    void caDirectoryLoads() {
        auto context = makeTlsClientContext({m_dir.path().toStdString(), {}, {}, {}});
        QVERIFY2(context.ok(), context.ok() ? "" : context.error().message.c_str());
    }

    void clientCertificateAndKeyLoad() {
        auto context = makeTlsClientContext({file("ca.pem"), file("client.pem"), file("client.key"), {}});
        QVERIFY2(context.ok(), context.ok() ? "" : context.error().message.c_str());
        QVERIFY(SSL_CTX_get0_certificate((*context)->native_handle()) != nullptr);
        QVERIFY(SSL_CTX_get0_privatekey((*context)->native_handle()) != nullptr);
    }

    void encryptedKeyLoadsWithItsPassword() {
        auto context =
            makeTlsClientContext({file("ca.pem"), file("client.pem"), file("client-encrypted.key"), "secret"});
        QVERIFY2(context.ok(), context.ok() ? "" : context.error().message.c_str());
        QVERIFY(SSL_CTX_get0_privatekey((*context)->native_handle()) != nullptr);
    }

    void pemKeystoreWithoutSeparateKeyLoads() {
        auto context = makeTlsClientContext({file("ca.pem"), file("client-keystore.pem"), {}, {}});
        QVERIFY2(context.ok(), context.ok() ? "" : context.error().message.c_str());
        QVERIFY(SSL_CTX_get0_privatekey((*context)->native_handle()) != nullptr);
    }

    void missingCaFileFails() { expectFailure({file("nope.pem"), {}, {}, {}}, file("nope.pem"), "no such file"); }

    void garbageCaFileFails() { expectFailure({file("garbage.pem"), {}, {}, {}}, file("garbage.pem")); }

    void missingCertificateFails() {
        expectFailure({file("ca.pem"), file("missing-client.pem"), file("client.key"), {}}, file("missing-client.pem"),
                      "no such file");
    }

    void garbageCertificateFails() {
        expectFailure({file("ca.pem"), file("garbage.pem"), file("client.key"), {}}, file("garbage.pem"));
    }

    void missingKeyFails() {
        expectFailure({file("ca.pem"), file("client.pem"), file("missing.key"), {}}, file("missing.key"),
                      "no such file");
    }

    void garbageKeyFails() {
        expectFailure({file("ca.pem"), file("client.pem"), file("garbage.pem"), {}}, file("garbage.pem"));
    }

    void keyNotMatchingCertificateFails() {
        expectFailure({file("ca.pem"), file("client.pem"), file("unrelated.key"), {}}, file("unrelated.key"),
                      "does not match");
    }

    void wrongKeyPasswordFails() {
        expectFailure({file("ca.pem"), file("client.pem"), file("client-encrypted.key"), "wrong"},
                      file("client-encrypted.key"), "ssl.key.password");
    }

    // Without a password OpenSSL would prompt on the terminal; the context must fail instead.
    void encryptedKeyWithoutPasswordFails() {
        expectFailure({file("ca.pem"), file("client.pem"), file("client-encrypted.key"), {}},
                      file("client-encrypted.key"), "ssl.key.password");
    }

    void keyWithoutCertificateFails() {
        expectFailure({file("ca.pem"), {}, file("client.key"), {}}, file("client.key"), "without a client certificate");
    }

    void certificateWithoutKeyFails() {
        // client.pem holds no key, so falling back to the certificate file for the key must fail
        // and say so instead of connecting without a key.
        expectFailure({file("ca.pem"), file("client.pem"), {}, {}}, file("client.pem"));
    }
};

QTEST_APPLESS_MAIN(TlsClientContextTest)
#include "tlsclientcontext_test.moc"
