// RecordFilter: the search expression's parsing (valid forms and each kind of error) and matching on
// hand-built records (binary, invalid UTF-8, null key and value, null header values, non-JSON values).
#include "engine/client/recordfilter.h"
#include "engine/client/fetchedrecords.h"

#include <QTest>

#include <optional>
#include <string>

using namespace partita;
using namespace partita::client;

namespace {

std::optional<Bytes> bytes(std::optional<std::string> text) {
    if (!text) return std::nullopt;
    return Bytes::copyOf(std::string_view(*text));
}

ConsumerRecord record(std::optional<std::string> key, std::optional<std::string> value,
                      std::vector<std::pair<std::string, std::optional<std::string>>> headers = {}, int64_t offset = 0,
                      int64_t timestamp = 0) {
    ConsumerRecord r;
    r.key = bytes(std::move(key));
    r.value = bytes(std::move(value));
    for (auto& [k, v] : headers) r.headers.push_back({k, bytes(v)});
    r.offset = offset;
    r.timestamp = timestamp;
    return r;
}

RecordFilter filter(const char* text) {
    auto parsed = RecordFilter::parse(text);
    if (!parsed.ok()) qFatal("'%s' did not parse: %s", text, parsed.error().message.c_str());
    return *parsed;
}

bool match(const char* text, const ConsumerRecord& r) {
    return filter(text).matches(r);
}

const std::string kOrder =
    R"({"status":"active","amount":150.5,"count":12,"user":{"id":"u-7","name":"Zoë"},"tags":["a","b"],)"
    R"("ok":true,"gone":null,"note":"tab\there"})";

}  // namespace

class RecordFilterTest : public QObject {
    Q_OBJECT

private slots:
    void parsesValidExpressions_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("normalized");
        QTest::newRow("plain text") << "timeout error"
                                    << "\"timeout error\"";
        QTest::newRow("blank") << "   "
                               << "";
        QTest::newRow("contains") << "value contains \"x\""
                                  << "value contains \"x\"";
        QTest::newRow("regex") << "key ~ /^k-[0-9]+$/i"
                               << "key ~ /^k-[0-9]+$/i";
        QTest::newRow("header eq") << "header.trace-id == \"abc\""
                                   << "header.trace-id == \"abc\"";
        QTest::newRow("header exists") << "header.x exists"
                                       << "header.x exists";
        QTest::newRow("json string") << "$.status == \"active\""
                                     << "$.status == \"active\"";
        QTest::newRow("json number") << "$.amount > 100"
                                     << "$.amount > 100";
        QTest::newRow("json between") << "$.amount between 10 and 20"
                                      << "$.amount between 10 and 20";
        QTest::newRow("json exists") << "$.user.id exists"
                                     << "$.user.id exists";
        QTest::newRow("json index") << "$.tags[0] == \"a\""
                                    << "$.tags[0] == \"a\"";
        QTest::newRow("precedence") << "not key exists or value contains \"a\" and $.x exists"
                                    << "(not key exists or (value contains \"a\" and $.x exists))";
        QTest::newRow("parentheses") << "(key == \"a\" or key == \"b\") and not $.ok == false"
                                     << "((key == \"a\" or key == \"b\") and not $.ok == false)";
        QTest::newRow("bare terms") << "\"foo\" or /ba+r/"
                                    << "(\"foo\" or /ba+r/)";
        QTest::newRow("offset range") << "offset >= 10 and timestamp < 1700000000000"
                                      << "(offset >= 10 and timestamp < 1700000000000)";
    }
    void parsesValidExpressions() {
        QFETCH(QString, text);
        QFETCH(QString, normalized);
        auto parsed = RecordFilter::parse(text.toStdString());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QCOMPARE(QString::fromStdString(parsed->toString()), normalized);
    }

    void reportsParseErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing operator")
            << "value" << 6 << "expected contains, ==, !=, ~ or exists after 'value', found the end";
        QTest::newRow("missing literal") << "$.a == and" << 8
                                         << "expected a string, a number, true, false or null after '==', found 'and'";
        QTest::newRow("unclosed string") << "key == \"abc" << 8 << "has no closing '\"'";
        QTest::newRow("unclosed regex") << "key ~ /abc" << 7 << "has no closing '/'";
        QTest::newRow("bad regex") << "key ~ /a(b/" << 7 << "invalid regular expression";
        QTest::newRow("bad flag") << "key ~ /a/x" << 10 << "expected a regular expression flag";
        QTest::newRow("unbalanced") << "(key exists" << 12 << "expected ')', found the end";
        QTest::newRow("between without and") << "$.a between 1 2" << 15 << "expected 'and' in 'between ... and ...'";
        QTest::newRow("number on text field") << "key > 3" << 5 << "expected contains, ==, !=, ~ or exists after 'key'";
        QTest::newRow("number expected") << "offset >= \"x\"" << 11 << "expected a number after '>='";
        QTest::newRow("trailing") << "key exists value exists" << 12
                                  << "expected 'and', 'or' or the end, found 'value'";
        QTest::newRow("unknown field") << "not colour == \"red\"" << 5 << "expected key, value, header.NAME";
        QTest::newRow("bad path") << "$.a[x] exists" << 5 << "expected an array index";
        QTest::newRow("too deep") << QString(200, '(') + "key exists" << 101 << "expected at most 100 nested";
        QTest::newRow("dangling and") << "key exists and" << 15 << "expected a condition, found the end";
    }
    void reportsParseErrors() {
        QFETCH(QString, text);
        QFETCH(int, column);
        QFETCH(QString, expected);
        size_t errorColumn = 0;
        auto parsed = RecordFilter::parse(text.toStdString(), &errorColumn);
        QVERIFY2(!parsed.ok(), "an invalid expression parsed");
        QCOMPARE(parsed.error().kind, ErrorKind::InvalidArgument);
        const QString message = QString::fromStdString(parsed.error().message);
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.startsWith(QStringLiteral("column %1: ").arg(column)), qPrintable(message));
        QCOMPARE(int(errorColumn), column);
    }

    void plainTextSearchesKeyAndValue() {
        QVERIFY(match("needle", record("a needle here", "x")));
        QVERIFY(match("needle", record("x", "haystack with needle")));
        QVERIFY(!match("needle", record("x", "haystack")));
        QVERIFY(!match("needle", record(std::nullopt, std::nullopt)));
        QVERIFY(!match("Needle", record("x", "needle")));  // case-sensitive; /needle/i is not
        QVERIFY(match("/needle/i", record("x", "NEEDLE")));
        QVERIFY(filter("").matches(record(std::nullopt, std::nullopt)));
        QVERIFY(filter("").matchesAll());
    }

    void textOperatorsOnKeyAndValue() {
        auto r = record("order-42", "hello world");
        QVERIFY(match("key == \"order-42\"", r));
        QVERIFY(!match("key == \"order-4\"", r));
        QVERIFY(match("key != \"other\"", r));
        QVERIFY(match("value contains \"lo wo\"", r));
        QVERIFY(match("key ~ /^order-[0-9]+$/", r));
        QVERIFY(!match("key ~ /^order-[0-9]$/", r));
        QVERIFY(match("key exists and value exists", r));
        QVERIFY(match("not key contains \"zzz\"", r));
    }

    void nullKeyAndValue() {
        auto r = record(std::nullopt, std::nullopt);
        QVERIFY(!match("key exists", r));
        QVERIFY(!match("value exists", r));
        QVERIFY(match("not value exists", r));
        QVERIFY(!match("value contains \"\"", r));
        QVERIFY(!match("key == \"\"", r));
        QVERIFY(match("key != \"x\"", r));
        QVERIFY(!match("$.a exists", r));
        // An empty value is not a null one.
        QVERIFY(match("value exists and value == \"\"", record(std::nullopt, "")));
    }

    void binaryAndInvalidUtf8() {
        const std::string binary("\x00\x01\xff\xfe needle \x80\xc3(", 14);
        auto r = record(std::string("\xc3\x28\xa0\xa1", 4), binary);
        QVERIFY(match("needle", r));
        QVERIFY(match("value contains \"\\0\"", r));
        QVERIFY(match("value ~ /needle/", r));
        QVERIFY(!match("value ~ /^needle/", r));
        QVERIFY(!match("key ~ /needle/", r));
        QVERIFY(!match("$.a exists", r));
        QVERIFY(match("not $.a exists", r));
    }

    void headers() {
        auto r = record("k", "v", {{"trace-id", "abc"}, {"empty", std::nullopt}, {"dup", "1"}, {"dup", "2"}});
        QVERIFY(match("header.trace-id == \"abc\"", r));
        QVERIFY(!match("header.trace-id == \"abd\"", r));
        QVERIFY(match("header.empty exists", r));  // a null value still is a header
        QVERIFY(!match("header.empty == \"\"", r));
        QVERIFY(!match("header.empty contains \"\"", r));
        QVERIFY(!match("header.missing exists", r));
        QVERIFY(match("header.dup == \"2\"", r));  // any header of that name
        QVERIFY(match("headers contains \"ab\"", r));
        QVERIFY(match("headers exists", r));
        QVERIFY(!match("headers exists", record("k", "v")));
        QVERIFY(!match("abc", r));  // plain text looks at key and value only
    }

    void jsonFields() {
        auto r = record("k", kOrder);
        QVERIFY(match("$.status == \"active\"", r));
        QVERIFY(!match("$.status == \"inactive\"", r));
        QVERIFY(match("$.status != \"inactive\"", r));
        QVERIFY(match("$.amount > 100", r));
        QVERIFY(!match("$.amount > 150.5", r));
        QVERIFY(match("$.amount >= 150.5", r));
        QVERIFY(match("$.count between 10 and 12", r));
        QVERIFY(!match("$.count between 13 and 20", r));
        QVERIFY(match("$.count == 12", r));
        QVERIFY(match("$.user.id exists", r));
        QVERIFY(match("$.user.id == \"u-7\"", r));
        QVERIFY(match("$.user.name == \"Zoë\"", r));
        QVERIFY(!match("$.user.email exists", r));
        QVERIFY(match("$.tags[0] == \"a\"", r));
        QVERIFY(match("$.tags[1] == \"b\"", r));
        QVERIFY(!match("$.tags[2] exists", r));
        QVERIFY(match("$.ok == true", r));
        QVERIFY(match("$.gone == null", r));
        QVERIFY(match("$.gone exists", r));
        QVERIFY(match("$[\"status\"] contains \"tiv\"", r));
        QVERIFY(match("$.note == \"tab\\there\"", r));  // escapes decoded on both sides
        QVERIFY(match("$.status ~ /^act/", r));
        QVERIFY(!match("$.status > 5", r));  // a string is not a number
        QVERIFY(match("$.status == \"active\" and $.amount > 100 and $.tags[0] == \"a\"", r));
        QVERIFY(match("$.status == \"x\" or $.count < 20", r));
    }

    void nonJsonValuesDoNotMatchJsonClauses() {
        for (const char* value : {"plain text", "{\"status\": \"active\"", "[1,2,3]", "42", ""}) {
            auto r = record("k", std::string(value));
            QVERIFY2(!match("$.status == \"active\"", r), value);
            QVERIFY2(!match("$.status exists", r), value);
        }
        QVERIFY(match("$[1] == 2", record("k", "[1,2,3]")));
        // The JSON parse of one record must not leak into the next.
        auto f = filter("$.a == 1");
        QVERIFY(f.matches(record("k", "{\"a\":1}")));
        QVERIFY(!f.matches(record("k", "{\"b\":1}")));
        QVERIFY(!f.matches(record("k", "nope")));
        QVERIFY(f.matches(record("k", "{\"a\":1.0}")));
    }

    void offsetAndTimestamp() {
        auto r = record("k", "v", {}, 120, 1700000000500);
        QVERIFY(match("offset >= 120", r));
        QVERIFY(!match("offset > 120", r));
        QVERIFY(match("offset between 100 and 200 and timestamp >= 1700000000000", r));
    }
};

QTEST_GUILESS_MAIN(RecordFilterTest)
#include "recordfilter_test.moc"
