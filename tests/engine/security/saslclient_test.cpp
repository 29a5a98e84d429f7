// SASL client mechanisms: PLAIN bytes, SCRAM-SHA-256/512 exchanges against known vectors, hostile servers.
#include <QtTest>

#include <string>

#include "engine/security/saslclient.h"

using namespace partita;
using namespace partita::security;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

std::unique_ptr<SaslClient> scram(const std::string& mechanism, const std::string& user, const std::string& password,
                                  const std::string& nonce) {
    auto client = makeScramClientForTest(mechanism, user, password, nonce);
    if (!client.ok()) qFatal("cannot make a SCRAM client: %s", client.error().message.c_str());
    return std::move(client.value());
}

// RFC 7677 section 3.
const std::string kRfcNonce = "rOprNGfwEbeRWgbNEkqO";
const std::string kRfcServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
const std::string kRfcClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
const std::string kRfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

// Advances a fresh RFC 7677 client to the point where it waits for the server's first message.
std::unique_ptr<SaslClient> rfcClientAfterFirst() {
    auto client = scram("SCRAM-SHA-256", "user", "pencil", kRfcNonce);
    auto first = client->start();
    if (!first.ok()) qFatal("start failed");
    return client;
}

}  // namespace

class SaslClientTest : public QObject {
    Q_OBJECT

private slots:
    void plainSendsAuthzidUserPassword() {
        auto client = makeSaslClient("plain", "alice", "secret");
        QVERIFY(client.ok());
        QCOMPARE(qs((*client)->mechanism()), QString("PLAIN"));
        auto first = (*client)->start();
        QVERIFY(first.ok());
        QCOMPARE(first.value(), std::string("\0alice\0secret", 13));
        auto done = (*client)->step("");
        QVERIFY(done.ok());
        QVERIFY(!done.value().has_value());
        // Nothing more is expected once the server accepted the credentials.
        QVERIFY(!(*client)->step("").ok());
    }

    void plainRefusesUnexpectedServerData() {
        auto client = makeSaslClient("PLAIN", "alice", "secret");
        QVERIFY(client.ok());
        QVERIFY((*client)->start().ok());
        auto result = (*client)->step("surprise");
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ErrorKind::Authentication);
    }

    void plainRefusesNulInCredentials() {
        auto client = makeSaslClient("PLAIN", std::string("al\0ice", 6), "secret");
        QVERIFY(client.ok());
        QVERIFY(!(*client)->start().ok());
    }

    void unknownMechanismIsUnsupported() {
        auto client = makeSaslClient("GSSAPI", "alice", "secret");
        QVERIFY(!client.ok());
        QCOMPARE(client.error().kind, ErrorKind::Unsupported);
        QVERIFY(client.error().message.find("GSSAPI") != std::string::npos);
    }

    void scramSha256MatchesRfc7677() {
        auto client = scram("scram-sha-256", "user", "pencil", kRfcNonce);
        QCOMPARE(qs(client->mechanism()), QString("SCRAM-SHA-256"));
        auto first = client->start();
        QVERIFY(first.ok());
        QCOMPARE(qs(first.value()), QString("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        auto final = client->step(kRfcServerFirst);
        QVERIFY2(final.ok(), final.ok() ? "" : final.error().message.c_str());
        QVERIFY(final.value().has_value());
        QCOMPARE(qs(*final.value()), qs(kRfcClientFinal));
        auto done = client->step(kRfcServerFinal);
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
        QVERIFY(!done.value().has_value());
    }

    // Computed with Python 3's hashlib.pbkdf2_hmac('sha512', b'pencil-512', b64decode(salt), 4096)
    // and hmac.new(..., 'sha512') following RFC 5802 section 3 (the same script reproduces RFC
    // 7677's SHA-256 example above byte for byte). The user name "ad=min,1" checks the saslname
    // escaping (=3D, =2C), which is part of the signed AuthMessage.
    void scramSha512MatchesPythonVector() {
        auto client = scram("SCRAM-SHA-512", "ad=min,1", "pencil-512", kRfcNonce);
        auto first = client->start();
        QVERIFY(first.ok());
        QCOMPARE(qs(first.value()), QString("n,,n=ad=3Dmin=2C1,r=rOprNGfwEbeRWgbNEkqO"));
        auto final = client->step("r=rOprNGfwEbeRWgbNEkqO3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
        QVERIFY2(final.ok(), final.ok() ? "" : final.error().message.c_str());
        QCOMPARE(qs(*final.value()),
                 QString("c=biws,r=rOprNGfwEbeRWgbNEkqO3rfcNHYJY1ZVvWVs7j,p=jCkj7DX0NRR1qAalEgK8IliMEr7xE7/IQA/"
                         "F0wrzpWUhsHTg8IhR+R49I0B5OpfGlEuHbshHTZQ+S15bP3YdAA=="));
        auto done =
            client->step("v=wxlGTeOMbE9jaPvwGv7Tm2SRm0aYK0qIliH5GbNDkeYM4mp+4FbXk2sDKt9k2fkZrljzg4Ppt1LbGJ4NS1NTDw==");
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
        QVERIFY(!done.value().has_value());
    }

    void scramRandomNoncesDiffer() {
        auto a = makeSaslClient("SCRAM-SHA-256", "user", "pencil");
        auto b = makeSaslClient("SCRAM-SHA-256", "user", "pencil");
        QVERIFY(a.ok() && b.ok());
        auto firstA = (*a)->start();
        auto firstB = (*b)->start();
        QVERIFY(firstA.ok() && firstB.ok());
        QVERIFY(firstA.value().rfind("n,,n=user,r=", 0) == 0);
        QVERIFY(firstA.value().size() > std::string("n,,n=user,r=").size() + 16);
        QVERIFY(firstA.value() != firstB.value());
    }

    void scramWrongServerSignatureFails() {
        auto client = rfcClientAfterFirst();
        QVERIFY(client->step(kRfcServerFirst).ok());
        auto done = client->step("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        QVERIFY(!done.ok());
        QCOMPARE(done.error().kind, ErrorKind::Authentication);
        QVERIFY2(done.error().message.find("the server's SCRAM signature is wrong") != std::string::npos,
                 done.error().message.c_str());
    }

    // The proof depends on the password: a wrong one gives another proof, and the genuine
    // server's signature no longer verifies.
    void scramWrongPasswordChangesProofAndSignature() {
        auto client = scram("SCRAM-SHA-256", "user", "pencil2", kRfcNonce);
        QVERIFY(client->start().ok());
        auto final = client->step(kRfcServerFirst);
        QVERIFY(final.ok());
        QVERIFY(*final.value() != kRfcClientFinal);
        QVERIFY(!client->step(kRfcServerFinal).ok());
    }

    void scramServerErrorIsReported() {
        auto client = rfcClientAfterFirst();
        QVERIFY(client->step(kRfcServerFirst).ok());
        auto done = client->step("e=invalid-proof");
        QVERIFY(!done.ok());
        QCOMPARE(done.error().kind, ErrorKind::Authentication);
        QVERIFY2(done.error().message.find("invalid-proof") != std::string::npos, done.error().message.c_str());
        QVERIFY(done.error().message.find("pencil") == std::string::npos);
    }

    void scramMalformedServerFirst_data() {
        QTest::addColumn<QString>("serverFirst");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing r") << "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                                   << "no nonce";
        QTest::newRow("wrong nonce prefix") << "r=XXprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                                            << "nonce";
        QTest::newRow("nonce not extended") << "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                                            << "nonce";
        QTest::newRow("bad base64 salt") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22Z*J0SNY7soEsUEjb6gQ==,i=4096"
                                         << "base64";
        QTest::newRow("salt not padded") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ,i=4096"
                                         << "base64";
        QTest::newRow("empty salt") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=,i=4096"
                                    << "salt";
        QTest::newRow("iterations 0") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0"
                                      << "iterations";
        QTest::newRow("iterations below Kafka's minimum")
            << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095"
            << "4096";
        QTest::newRow("iterations not a number") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=lots"
                                                 << "not a number";
        QTest::newRow("iterations huge") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2147483647"
                                         << "iterations";
        QTest::newRow("iterations overflow") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999"
                                             << "not a number";
        QTest::newRow("missing i") << "r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ=="
                                   << "iteration";
        QTest::newRow("garbage") << "hello"
                                 << "malformed";
        QTest::newRow("empty") << ""
                               << "malformed";
        QTest::newRow("mandatory extension") << "m=ext,r=rOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                                             << "extension";
        QTest::newRow("server error") << "e=unknown-user"
                                      << "unknown-user";
    }

    void scramMalformedServerFirst() {
        QFETCH(QString, serverFirst);
        QFETCH(QString, expected);
        auto client = rfcClientAfterFirst();
        auto result = client->step(serverFirst.toStdString());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ErrorKind::Authentication);
        QVERIFY2(qs(result.error().message).contains(expected), result.error().message.c_str());
        // A failed exchange stays failed.
        QVERIFY(!client->step(kRfcServerFinal).ok());
    }

    void scramMalformedServerFinal_data() {
        QTest::addColumn<QString>("serverFinal");
        QTest::newRow("no v") << "x=1";
        QTest::newRow("bad base64") << "v=!!!!";
        QTest::newRow("truncated signature") << "v=6rriTRBi23WpRR/wtup+mMhUZUn/";
        QTest::newRow("empty") << "";
        QTest::newRow("garbage") << "\x01\x02\x03";
    }

    void scramMalformedServerFinal() {
        QFETCH(QString, serverFinal);
        auto client = rfcClientAfterFirst();
        QVERIFY(client->step(kRfcServerFirst).ok());
        auto result = client->step(serverFinal.toStdString());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ErrorKind::Authentication);
    }

    void scramOutOfOrderCallsFail() {
        auto client = scram("SCRAM-SHA-256", "user", "pencil", kRfcNonce);
        QVERIFY(!client->step(kRfcServerFirst).ok());
        auto again = scram("SCRAM-SHA-256", "user", "pencil", kRfcNonce);
        QVERIFY(again->start().ok());
        QVERIFY(!again->start().ok());
    }

    void scramRefusesEmptyUser() {
        auto client = makeSaslClient("SCRAM-SHA-512", "", "pencil");
        QVERIFY(client.ok());
        QVERIFY(!(*client)->start().ok());
    }
};

QTEST_APPLESS_MAIN(SaslClientTest)
#include "saslclient_test.moc"
