// Tests of ValueGenerator: each placeholder's expansion, the {{{{ escape, parse errors with their
// column, and validateJson's line/column messages.
#include "models/valuegenerator.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

#include <set>

using namespace partita::models;

namespace {

QByteArray expand(const char* text, uint64_t index = 0) {
    static std::mt19937_64 rng(42);
    QString error;
    auto generator = ValueGenerator::parse(text, &error);
    if (!generator) qWarning("parse failed: %s", qPrintable(error));
    return generator ? generator->expand(index, rng) : QByteArray("<parse error>");
}

QString parseError(const char* text) {
    QString error;
    auto generator = ValueGenerator::parse(text, &error);
    return generator ? QStringLiteral("<parsed>") : error;
}

}  // namespace

class ValueGeneratorTest : public QObject {
    Q_OBJECT
private slots:
    void constantTextStaysAsIs() {
        auto generator = ValueGenerator::parse("plain {\"a\":{\"b\":1}} text }}");
        QVERIFY(generator.has_value());
        QVERIFY(generator->isConstant());
        QCOMPARE(expand("plain {\"a\":{\"b\":1}} text }}"), QByteArray("plain {\"a\":{\"b\":1}} text }}"));
        QCOMPARE(expand(""), QByteArray());
        QVERIFY(!ValueGenerator::parse("{{uuid}}")->isConstant());
    }

    void escapedBraces() {
        QCOMPARE(expand("a{{{{b"), QByteArray("a{{b"));
        QCOMPARE(expand("{{{{counter}}"), QByteArray("{{counter}}"));
        QVERIFY(ValueGenerator::parse("{{{{x")->isConstant());
    }

    void counter() {
        QCOMPARE(expand("n={{counter}}", 0), QByteArray("n=0"));
        QCOMPARE(expand("n={{counter}}", 12345), QByteArray("n=12345"));
        QCOMPARE(expand("{{counter:1000}}-{{counter}}", 7), QByteArray("1007-7"));
        QCOMPARE(expand("{{counter:-5}}", 2), QByteArray("-3"));
    }

    void uuid() {
        const QRegularExpression v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        std::set<QByteArray> seen;
        for (int i = 0; i < 1000; ++i) {
            const QByteArray id = expand("{{uuid}}");
            QVERIFY2(v4.match(QString::fromLatin1(id)).hasMatch(), id.constData());
            seen.insert(id);
        }
        QCOMPARE(seen.size(), size_t(1000));
    }

    void now() {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const qint64 ms = expand("{{now}}").toLongLong();
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(ms >= before && ms <= after);
        const QByteArray iso = expand("{{now:iso}}");
        const QDateTime parsed = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
        QVERIFY2(parsed.isValid(), iso.constData());
        QVERIFY(iso.endsWith('Z'));
        QVERIFY(qAbs(parsed.toMSecsSinceEpoch() - QDateTime::currentMSecsSinceEpoch()) < 60000);
    }

    void randomChoices() {
        std::set<QByteArray> seen;
        for (int i = 0; i < 200; ++i) seen.insert(expand("{{random:red|green|blue}}"));
        QCOMPARE(seen, (std::set<QByteArray>{"red", "green", "blue"}));
        QCOMPARE(expand("{{random:only}}"), QByteArray("only"));
    }

    void randomIntegers() {
        std::set<int> seen;
        for (int i = 0; i < 500; ++i) {
            bool ok = false;
            const int n = expand("{{random:1..9}}").toInt(&ok);
            QVERIFY(ok);
            QVERIFY(n >= 1 && n <= 9);
            seen.insert(n);
        }
        QCOMPARE(seen.size(), size_t(9));
        QCOMPARE(expand("{{random:-3..-3}}"), QByteArray("-3"));
    }

    void randomDecimals() {
        const QRegularExpression twoDigits("^-?[0-9]+\\.[0-9]{2}$");
        for (int i = 0; i < 500; ++i) {
            const QByteArray text = expand("{{random:0.5..2.5}}");
            QVERIFY2(twoDigits.match(QString::fromLatin1(text)).hasMatch(), text.constData());
            const double v = text.toDouble();
            QVERIFY(v >= 0.5 && v <= 2.5);
        }
        const QByteArray negative = expand("{{random:-1.25..-1.25}}");
        QCOMPARE(negative, QByteArray("-1.25"));
    }

    void mixed() {
        const QByteArray text = expand("{\"id\":{{counter:10}},\"c\":\"{{random:x}}\"}", 5);
        QCOMPARE(text, QByteArray("{\"id\":15,\"c\":\"x\"}"));
        QVERIFY(ValueGenerator::validateJson(text).isEmpty());
    }

    void parseErrorsNameTheColumn() {
        QCOMPARE(parseError("abc {{foo}}"), QStringLiteral("column 5: unknown generator 'foo'"));
        QCOMPARE(parseError("{{uuid:x}}"), QStringLiteral("column 1: unknown generator 'uuid:x'"));
        QVERIFY(parseError("0123456789{{counter").startsWith(QStringLiteral("column 11: ")));
        QVERIFY(parseError("{{counter:abc}}").startsWith(QStringLiteral("column 1: ")));
        QVERIFY(parseError("xx{{random:9..1}}").startsWith(QStringLiteral("column 3: ")));
        QVERIFY(parseError("{{random:a..z}}").startsWith(QStringLiteral("column 1: ")));
        QCOMPARE(parseError("line one\n  {{nope}}"), QStringLiteral("line 2, column 3: unknown generator 'nope'"));
        QCOMPARE(parseError("{{now:iso}}"), QStringLiteral("<parsed>"));
    }

    void validateJson() {
        QCOMPARE(ValueGenerator::validateJson("{\"a\": [1, 2, {\"b\": null}]}"), QString());
        QCOMPARE(ValueGenerator::validateJson("[]"), QString());
        // RFC 8259 scalars at the top are JSON too.
        QCOMPARE(ValueGenerator::validateJson("42"), QString());
        QCOMPARE(ValueGenerator::validateJson("\"text\""), QString());
        QCOMPARE(ValueGenerator::validateJson("true"), QString());
        const QString error = ValueGenerator::validateJson("{\n  \"a\": 1,\n  \"b\": }\n}");
        QVERIFY2(error.startsWith(QStringLiteral("line 3, column ")), qPrintable(error));
        const QString oneLine = ValueGenerator::validateJson("{\"a\" 1}");
        QVERIFY2(oneLine.startsWith(QStringLiteral("column ")), qPrintable(oneLine));
        QVERIFY(!ValueGenerator::validateJson("").isEmpty());
        QVERIFY(!ValueGenerator::validateJson("not json").isEmpty());
        QVERIFY(!ValueGenerator::validateJson("{} {}").isEmpty());
    }
};

QTEST_GUILESS_MAIN(ValueGeneratorTest)
#include "valuegenerator_test.moc"
