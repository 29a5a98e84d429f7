// Generates the TLS test certificates with the openssl command line tool.
#include "testcertificates.h"

#include <QFile>
#include <QProcess>

namespace partita::tests {

bool TestCertificates::openssl(const QStringList& arguments) {
    QProcess process;
    process.setWorkingDirectory(m_dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = "openssl " + arguments.join(' ') + " failed: " + QString::fromUtf8(process.readAll()) +
                  process.errorString();
        return false;
    }
    return true;
}

bool TestCertificates::makeKey(const QString& name) {
    return openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name});
}

bool TestCertificates::signedCertificate(const QString& name, const QString& subject, const QString& extensions) {
    QFile ext(path(name + ".ext"));
    if (!ext.open(QIODevice::WriteOnly)) {
        m_error = "cannot write " + ext.fileName();
        return false;
    }
    ext.write(extensions.toUtf8());
    ext.close();
    return makeKey(name + ".key") &&
           openssl({"req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr"}) &&
           openssl({"x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "3650", "-sha256", "-extfile", name + ".ext", "-out", name + ".pem"});
}

bool TestCertificates::generate() {
    auto makeCa = [this](const QString& name, const QString& subject) {
        return makeKey(name + ".key") && openssl({"req", "-x509", "-new", "-key", name + ".key", "-subj", subject,
                                                  "-days", "3650", "-sha256", "-out", name + ".pem"});
    };
    bool ok = makeCa("ca", "/CN=Partita Test CA") && makeCa("other-ca", "/CN=Some Other CA") &&
              signedCertificate("server", "/CN=localhost",
                                "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n") &&
              signedCertificate("wronghost", "/CN=other.example",
                                "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n") &&
              signedCertificate("client", "/CN=partita-client", "extendedKeyUsage=clientAuth\n") &&
              makeKey("unrelated.key") &&
              openssl({"pkey", "-in", "client.key", "-aes256", "-passout", QString("pass:") + kKeyPassword, "-out",
                       "client-encrypted.key"});
    if (!ok) return false;

    QFile keystore(path("client-keystore.pem"));
    QFile cert(path("client.pem"));
    QFile key(path("client.key"));
    if (!keystore.open(QIODevice::WriteOnly) || !cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
        m_error = "cannot write client-keystore.pem";
        return false;
    }
    keystore.write(cert.readAll() + key.readAll());
    QFile garbage(path("garbage.pem"));
    if (!garbage.open(QIODevice::WriteOnly)) {
        m_error = "cannot write garbage.pem";
        return false;
    }
    garbage.write("-----BEGIN CERTIFICATE-----\nthis is not base64 at all !!!\n-----END CERTIFICATE-----\n");
    return true;
}

}  // namespace partita::tests
