// RecordFilter: the search expression's parser (recursive descent) and its matcher.
#include "engine/client/recordfilter.h"

#include <re2/re2.h>
#include <simdjson.h>

#include <string.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

namespace partita::client {

namespace {

enum class Field : uint8_t { Key, Value, KeyOrValue, Header, AnyHeader, Json, Offset, Timestamp };
enum class Op : uint8_t { Contains, Eq, Ne, Lt, Le, Gt, Ge, Regex, Exists, Between };

struct Literal {
    enum class Kind : uint8_t { String, Number, True, False, Null } kind = Kind::String;
    std::string text;
    double number = 0;
};

}  // namespace

struct RecordFilter::Node {
    enum class Kind : uint8_t { And, Or, Not, Clause } kind = Kind::Clause;
    std::shared_ptr<const Node> left;
    std::shared_ptr<const Node> right;
    Field field = Field::KeyOrValue;
    std::string name;     // header name, or the JSON pointer of a $ path
    std::string display;  // the field as written ("header.x", "$.a[0]")
    Op op = Op::Contains;
    Literal a;
    Literal b;
    std::unique_ptr<RE2> re;
};

namespace {

using Node = RecordFilter::Node;
using NodePtr = std::shared_ptr<const Node>;

struct ParseError {
    size_t position;
    std::string message;
};

bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
}

// Escapes a JSON Pointer reference token (RFC 6901).
std::string pointerToken(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string quote(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    NodePtr parseAll() {
        NodePtr node = parseOr();
        skipSpace();
        if (m_pos < m_text.size()) fail("expected 'and', 'or' or the end");
        return node;
    }

private:
    [[noreturn]] void fail(const std::string& expected) const {
        throw ParseError{m_pos, expected + ", found " + found()};
    }

    std::string found() const {
        if (m_pos >= m_text.size()) return "the end";
        size_t end = m_pos + 1;
        if (isWordChar(m_text[m_pos]))
            while (end < m_text.size() && isWordChar(m_text[end])) ++end;
        return "'" + std::string(m_text.substr(m_pos, std::min<size_t>(end - m_pos, 24))) + "'";
    }

    void skipSpace() {
        while (m_pos < m_text.size() &&
               (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool peekChar(char c) {
        skipSpace();
        return m_pos < m_text.size() && m_text[m_pos] == c;
    }

    // The keyword as a whole word (not a prefix of a longer word).
    bool keyword(std::string_view word) {
        skipSpace();
        if (m_text.substr(m_pos, word.size()) != word) return false;
        size_t after = m_pos + word.size();
        if (after < m_text.size() && isWordChar(m_text[after])) return false;
        m_pos = after;
        return true;
    }

    bool symbol(std::string_view sym) {
        skipSpace();
        if (m_text.substr(m_pos, sym.size()) != sym) return false;
        m_pos += sym.size();
        return true;
    }

    NodePtr parseOr() {
        NodePtr left = parseAnd();
        while (keyword("or")) {
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::Or;
            node->left = std::move(left);
            node->right = parseAnd();
            left = std::move(node);
        }
        return left;
    }

    NodePtr parseAnd() {
        NodePtr left = parseUnary();
        while (keyword("and")) {
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::And;
            node->left = std::move(left);
            node->right = parseUnary();
            left = std::move(node);
        }
        return left;
    }

    NodePtr parseUnary() {
        // Nesting is recursion here: bound it so no text can exhaust the stack.
        if (++m_depth > kMaxDepth) fail("expected at most " + std::to_string(kMaxDepth) + " nested 'not' or '('");
        struct Leave {
            int& depth;
            ~Leave() { --depth; }
        } leave{m_depth};
        if (keyword("not")) {
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::Not;
            node->left = parseUnary();
            return node;
        }
        if (symbol("(")) {
            NodePtr inner = parseOr();
            if (!symbol(")")) fail("expected ')'");
            return inner;
        }
        return parseClause();
    }

    std::string parseString() {
        // At the opening quote.
        size_t start = m_pos;
        ++m_pos;
        std::string out;
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos++];
            if (c == '"') return out;
            if (c == '\\') {
                if (m_pos >= m_text.size()) break;
                char e = m_text[m_pos++];
                switch (e) {
                    case 'n':
                        out += '\n';
                        break;
                    case 't':
                        out += '\t';
                        break;
                    case 'r':
                        out += '\r';
                        break;
                    case '0':
                        out += '\0';
                        break;
                    default:
                        out += e;
                }
                continue;
            }
            out += c;
        }
        m_pos = start;
        throw ParseError{start, "the string that starts here has no closing '\"'"};
    }

    std::unique_ptr<RE2> parseRegex(std::string* display) {
        // At the opening slash; "\/" stands for a slash inside the pattern.
        size_t start = m_pos;
        ++m_pos;
        std::string pattern;
        bool closed = false;
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos++];
            if (c == '/') {
                closed = true;
                break;
            }
            if (c == '\\' && m_pos < m_text.size() && m_text[m_pos] == '/') {
                pattern += '/';
                ++m_pos;
                continue;
            }
            pattern += c;
        }
        if (!closed) throw ParseError{start, "the regular expression that starts here has no closing '/'"};
        RE2::Options options;
        options.set_log_errors(false);
        std::string flags;
        while (m_pos < m_text.size() && isWordChar(m_text[m_pos])) {
            char f = m_text[m_pos];
            if (f == 'i')
                options.set_case_sensitive(false);
            else if (f == 's')
                options.set_dot_nl(true);
            else
                fail("expected a regular expression flag (i or s)");
            flags += f;
            ++m_pos;
        }
        auto re = std::make_unique<RE2>(pattern, options);
        if (!re->ok()) throw ParseError{start, "invalid regular expression: " + re->error()};
        if (display != nullptr) *display = "/" + pattern + "/" + flags;
        return re;
    }

    Literal parseLiteral(const std::string& after, bool numberOnly) {
        skipSpace();
        Literal lit;
        if (m_pos < m_text.size() && m_text[m_pos] == '"' && !numberOnly) {
            lit.kind = Literal::Kind::String;
            lit.text = parseString();
            return lit;
        }
        if (!numberOnly) {
            if (keyword("true")) return Literal{Literal::Kind::True, "true", 0};
            if (keyword("false")) return Literal{Literal::Kind::False, "false", 0};
            if (keyword("null")) return Literal{Literal::Kind::Null, "null", 0};
        }
        size_t start = m_pos;
        size_t end = m_pos;
        while (end < m_text.size() &&
               (isdigit(static_cast<unsigned char>(m_text[end])) || m_text[end] == '-' || m_text[end] == '+' ||
                m_text[end] == '.' || m_text[end] == 'e' || m_text[end] == 'E'))
            ++end;
        if (end > start) {
            std::string number(m_text.substr(start, end - start));
            char* parsedEnd = nullptr;
            double value = std::strtod(number.c_str(), &parsedEnd);
            if (parsedEnd == number.c_str() + number.size() && std::isfinite(value)) {
                m_pos = end;
                lit.kind = Literal::Kind::Number;
                lit.text = number;
                lit.number = value;
                return lit;
            }
        }
        fail(numberOnly ? "expected a number after " + after
                        : "expected a string, a number, true, false or null after " + after);
    }

    NodePtr parseClause() {
        skipSpace();
        auto node = std::make_shared<Node>();
        if (m_pos >= m_text.size()) fail("expected a condition");
        char c = m_text[m_pos];
        if (c == '"') {
            node->field = Field::KeyOrValue;
            node->op = Op::Contains;
            node->a.text = parseString();
            return node;
        }
        if (c == '/') {
            node->field = Field::KeyOrValue;
            node->op = Op::Regex;
            node->re = parseRegex(&node->a.text);
            return node;
        }
        if (c == '$') {
            node->field = Field::Json;
            parseJsonPath(*node);
        } else {
            size_t start = m_pos;
            size_t end = m_pos;
            while (end < m_text.size() && isWordChar(m_text[end])) ++end;
            std::string_view word = m_text.substr(start, end - start);
            if (word == "key")
                node->field = Field::Key;
            else if (word == "value")
                node->field = Field::Value;
            else if (word == "headers")
                node->field = Field::AnyHeader;
            else if (word == "offset")
                node->field = Field::Offset;
            else if (word == "timestamp")
                node->field = Field::Timestamp;
            else if (word.starts_with("header.") && word.size() > 7) {
                node->field = Field::Header;
                node->name = std::string(word.substr(7));
            } else {
                fail(
                    "expected key, value, header.NAME, headers, $.path, offset, timestamp, a string, a "
                    "regular expression, 'not' or '('");
            }
            node->display = std::string(word);
            m_pos = end;
        }
        parseOperator(*node);
        return node;
    }

    void parseJsonPath(Node& node) {
        // $ then .name, ["name"] or [index], repeated.
        size_t start = m_pos;
        ++m_pos;
        std::string pointer;
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c == '.') {
                ++m_pos;
                size_t s = m_pos;
                while (m_pos < m_text.size() && isWordChar(m_text[m_pos]) && m_text[m_pos] != '.' &&
                       m_text[m_pos] != ':')
                    ++m_pos;
                if (m_pos == s) fail("expected a field name after '.'");
                pointer += "/" + pointerToken(m_text.substr(s, m_pos - s));
            } else if (c == '[') {
                ++m_pos;
                skipSpace();
                if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                    pointer += "/" + pointerToken(parseString());
                } else {
                    size_t s = m_pos;
                    while (m_pos < m_text.size() && isdigit(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
                    if (m_pos == s) fail("expected an array index or a quoted name after '['");
                    pointer += "/" + std::string(m_text.substr(s, m_pos - s));
                }
                if (!symbol("]")) fail("expected ']'");
            } else {
                break;
            }
        }
        node.name = pointer;
        node.display = std::string(m_text.substr(start, m_pos - start));
    }

    void parseOperator(Node& node) {
        const bool numeric = node.field == Field::Offset || node.field == Field::Timestamp;
        const bool json = node.field == Field::Json;
        const std::string after = "'" + node.display + "'";
        skipSpace();
        auto compare = [&](Op op, const char* sym) {
            node.op = op;
            node.a = parseLiteral(std::string("'") + sym + "'", numeric);
            if (!json && !numeric && node.a.kind != Literal::Kind::String)
                throw ParseError{m_pos, std::string("expected a string after '") + sym + "' on " + node.display};
        };
        if (symbol("==")) return compare(Op::Eq, "==");
        if (symbol("!=")) return compare(Op::Ne, "!=");
        if (symbol("<=") || symbol("<") || symbol(">=") || symbol(">")) {
            std::string_view sym = m_text.substr(m_pos - 1, 1);
            bool orEqual = sym == "=";
            char which = orEqual ? m_text[m_pos - 2] : m_text[m_pos - 1];
            Op op = which == '<' ? (orEqual ? Op::Le : Op::Lt) : (orEqual ? Op::Ge : Op::Gt);
            if (!json && !numeric) {
                m_pos -= orEqual ? 2 : 1;
                fail("expected contains, ==, !=, ~ or exists after " + after);
            }
            node.op = op;
            node.a = parseLiteral(
                "'" + std::string(orEqual ? std::string(1, which) + "=" : std::string(1, which)) + "'", numeric);
            return;
        }
        if (keyword("between")) {
            if (!json && !numeric) {
                m_pos -= 7;
                fail("expected contains, ==, !=, ~ or exists after " + after);
            }
            node.op = Op::Between;
            node.a = parseLiteral("'between'", true);
            if (!keyword("and")) fail("expected 'and' in 'between ... and ...'");
            node.b = parseLiteral("'and'", true);
            return;
        }
        if (!numeric && keyword("contains")) {
            node.op = Op::Contains;
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"') fail("expected a string after 'contains'");
            node.a.text = parseString();
            return;
        }
        if (!numeric && symbol("~")) {
            node.op = Op::Regex;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == '/') {
                node.re = parseRegex(&node.a.text);
            } else if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                size_t start = m_pos;
                std::string pattern = parseString();
                RE2::Options options;
                options.set_log_errors(false);
                node.re = std::make_unique<RE2>(pattern, options);
                if (!node.re->ok()) throw ParseError{start, "invalid regular expression: " + node.re->error()};
                node.a.text = "/" + pattern + "/";
            } else {
                fail("expected a regular expression (/.../) after '~'");
            }
            return;
        }
        if (!numeric && keyword("exists")) {
            node.op = Op::Exists;
            return;
        }
        if (numeric) fail("expected ==, !=, <, <=, >, >= or between after " + after);
        if (json) fail("expected ==, !=, <, <=, >, >=, between, contains, ~ or exists after " + after);
        fail("expected contains, ==, !=, ~ or exists after " + after);
    }

    static constexpr int kMaxDepth = 100;
    std::string_view m_text;
    size_t m_pos = 0;
    int m_depth = 0;
};

// Does the text start like an expression? Otherwise it is plain text to look for.
bool looksLikeExpression(std::string_view text) {
    if (text.empty()) return false;
    char c = text[0];
    if (c == '"' || c == '/' || c == '$' || c == '(') return true;
    size_t end = 0;
    while (end < text.size() && isWordChar(text[end])) ++end;
    std::string_view word = text.substr(0, end);
    return word == "key" || word == "value" || word == "headers" || word == "offset" || word == "timestamp" ||
           word == "not" || (word.starts_with("header.") && word.size() > 7);
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// ---- matching

// One thread's JSON parser and padded copy of the value being matched.
struct JsonScratch {
    simdjson::ondemand::parser parser;
    std::vector<char> buffer;
    simdjson::ondemand::document doc;
};

struct Subject {
    protocol::records::OptionalBytesView key;
    protocol::records::OptionalBytesView value;
    int64_t offset = 0;
    int64_t timestamp = 0;
    const FetchedRecord* fetched = nullptr;
    const ConsumerRecord* owned = nullptr;
    // 0: JSON not parsed yet, 1: parsed, 2: not JSON.
    mutable int jsonState = 0;
};

JsonScratch& scratch() {
    thread_local JsonScratch s;
    return s;
}

bool textMatches(const Node& node, protocol::records::OptionalBytesView bytes) {
    if (node.op == Op::Exists) return bytes.has_value();
    if (node.op == Op::Ne) {
        return !bytes || bytes->size() != node.a.text.size() ||
               std::memcmp(bytes->data(), node.a.text.data(), bytes->size()) != 0;
    }
    if (!bytes) return false;
    const char* data = reinterpret_cast<const char*>(bytes->data());
    const size_t size = bytes->size();
    switch (node.op) {
        case Op::Contains:
            return node.a.text.empty() || memmem(data, size, node.a.text.data(), node.a.text.size()) != nullptr;
        case Op::Eq:
            return size == node.a.text.size() && std::memcmp(data, node.a.text.data(), size) == 0;
        case Op::Regex:
            return RE2::PartialMatch(re2::StringPiece(data, size), *node.re);
        default:
            return false;
    }
}

bool headerMatches(const Node& node, const Subject& s) {
    bool any = false;
    auto visit = [&](std::string_view key, protocol::records::OptionalBytesView value) {
        if (any) return;
        if (node.field == Field::Header) {
            if (key != node.name) return;
            if (node.op == Op::Exists) {
                any = true;
                return;
            }
        }
        if (node.op == Op::Ne) {
            // Ne on headers: some header (with that name) whose value differs.
            any = textMatches(node, value);
            return;
        }
        any = textMatches(node, value);
    };
    if (s.fetched != nullptr) {
        s.fetched->forEachHeader([&](const protocol::records::HeaderView& h) { visit(h.key, h.value); });
    } else if (s.owned != nullptr) {
        for (const auto& h : s.owned->headers) {
            protocol::records::OptionalBytesView value;
            if (h.value) value = h.value->span();
            visit(h.key, value);
        }
    }
    return any;
}

bool compareNumber(Op op, double v, const Literal& a, const Literal& b) {
    switch (op) {
        case Op::Eq:
            return v == a.number;
        case Op::Ne:
            return v != a.number;
        case Op::Lt:
            return v < a.number;
        case Op::Le:
            return v <= a.number;
        case Op::Gt:
            return v > a.number;
        case Op::Ge:
            return v >= a.number;
        case Op::Between:
            return v >= a.number && v <= b.number;
        default:
            return false;
    }
}

bool compareString(Op op, std::string_view v, const Node& node) {
    switch (op) {
        case Op::Eq:
            return v == node.a.text;
        case Op::Ne:
            return v != node.a.text;
        case Op::Lt:
            return v < node.a.text;
        case Op::Le:
            return v <= node.a.text;
        case Op::Gt:
            return v > node.a.text;
        case Op::Ge:
            return v >= node.a.text;
        case Op::Contains:
            return v.find(node.a.text) != std::string_view::npos;
        case Op::Regex:
            return RE2::PartialMatch(re2::StringPiece(v.data(), v.size()), *node.re);
        default:
            return false;
    }
}

bool jsonMatches(const Node& node, const Subject& s) {
    JsonScratch& js = scratch();
    if (s.jsonState == 0) {
        s.jsonState = 2;
        if (!s.value || s.value->empty()) return false;
        const size_t size = s.value->size();
        if (js.buffer.size() < size + simdjson::SIMDJSON_PADDING) js.buffer.resize(size + simdjson::SIMDJSON_PADDING);
        std::memcpy(js.buffer.data(), s.value->data(), size);
        if (js.parser.iterate(js.buffer.data(), size, js.buffer.size()).get(js.doc) != simdjson::SUCCESS) return false;
        s.jsonState = 1;
    }
    if (s.jsonState != 1) return false;
    simdjson::ondemand::value v;
    if (js.doc.at_pointer(node.name).get(v) != simdjson::SUCCESS) return false;
    if (node.op == Op::Exists) return true;
    simdjson::ondemand::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) return false;
    switch (node.a.kind) {
        case Literal::Kind::Number: {
            if (type != simdjson::ondemand::json_type::number) return node.op == Op::Ne;
            double d = 0;
            if (v.get_double().get(d) != simdjson::SUCCESS) return false;
            return compareNumber(node.op, d, node.a, node.b);
        }
        case Literal::Kind::String: {
            if (type != simdjson::ondemand::json_type::string) return node.op == Op::Ne;
            std::string_view text;
            if (v.get_string().get(text) != simdjson::SUCCESS) return false;
            return compareString(node.op, text, node);
        }
        case Literal::Kind::True:
        case Literal::Kind::False: {
            bool want = node.a.kind == Literal::Kind::True;
            bool got = false;
            if (type != simdjson::ondemand::json_type::boolean || v.get_bool().get(got) != simdjson::SUCCESS)
                return node.op == Op::Ne;
            return node.op == Op::Eq ? got == want : got != want;
        }
        case Literal::Kind::Null: {
            bool isNull = type == simdjson::ondemand::json_type::null;
            return node.op == Op::Eq ? isNull : !isNull;
        }
    }
    return false;
}

bool eval(const Node& node, const Subject& s) {
    switch (node.kind) {
        case Node::Kind::And:
            return eval(*node.left, s) && eval(*node.right, s);
        case Node::Kind::Or:
            return eval(*node.left, s) || eval(*node.right, s);
        case Node::Kind::Not:
            return !eval(*node.left, s);
        case Node::Kind::Clause:
            break;
    }
    switch (node.field) {
        case Field::Key:
            return textMatches(node, s.key);
        case Field::Value:
            return textMatches(node, s.value);
        case Field::KeyOrValue:
            return textMatches(node, s.key) || textMatches(node, s.value);
        case Field::Header:
        case Field::AnyHeader:
            return headerMatches(node, s);
        case Field::Json:
            return jsonMatches(node, s);
        case Field::Offset:
            return compareNumber(node.op, static_cast<double>(s.offset), node.a, node.b);
        case Field::Timestamp:
            return compareNumber(node.op, static_cast<double>(s.timestamp), node.a, node.b);
    }
    return false;
}

const char* opName(Op op) {
    switch (op) {
        case Op::Contains:
            return "contains";
        case Op::Eq:
            return "==";
        case Op::Ne:
            return "!=";
        case Op::Lt:
            return "<";
        case Op::Le:
            return "<=";
        case Op::Gt:
            return ">";
        case Op::Ge:
            return ">=";
        case Op::Regex:
            return "~";
        case Op::Exists:
            return "exists";
        case Op::Between:
            return "between";
    }
    return "?";
}

std::string literalText(const Literal& lit) {
    return lit.kind == Literal::Kind::String ? quote(lit.text) : lit.text;
}

std::string describe(const Node& node) {
    switch (node.kind) {
        case Node::Kind::And:
            return "(" + describe(*node.left) + " and " + describe(*node.right) + ")";
        case Node::Kind::Or:
            return "(" + describe(*node.left) + " or " + describe(*node.right) + ")";
        case Node::Kind::Not:
            return "not " + describe(*node.left);
        case Node::Kind::Clause:
            break;
    }
    if (node.field == Field::KeyOrValue) return node.op == Op::Regex ? node.a.text : quote(node.a.text);
    std::string out = node.display + " " + opName(node.op);
    if (node.op == Op::Exists) return out;
    if (node.op == Op::Regex) return out + " " + node.a.text;
    out += " " + literalText(node.a);
    if (node.op == Op::Between) out += " and " + literalText(node.b);
    return out;
}

bool nodeUsesJson(const Node* node) {
    if (node == nullptr) return false;
    if (node->kind != Node::Kind::Clause) return nodeUsesJson(node->left.get()) || nodeUsesJson(node->right.get());
    return node->field == Field::Json;
}

}  // namespace

RecordFilter::RecordFilter() = default;
RecordFilter::~RecordFilter() = default;
RecordFilter::RecordFilter(const RecordFilter&) = default;
RecordFilter& RecordFilter::operator=(const RecordFilter&) = default;
RecordFilter::RecordFilter(RecordFilter&&) noexcept = default;
RecordFilter& RecordFilter::operator=(RecordFilter&&) noexcept = default;

Result<RecordFilter> RecordFilter::parse(std::string_view text, size_t* errorColumn) {
    RecordFilter filter;
    std::string_view trimmed = trim(text);
    if (trimmed.empty()) return filter;
    if (!looksLikeExpression(trimmed)) {
        auto node = std::make_shared<Node>();
        node->field = Field::KeyOrValue;
        node->op = Op::Contains;
        node->a.text = std::string(trimmed);
        filter.m_root = std::move(node);
        return filter;
    }
    try {
        filter.m_root = Parser(text).parseAll();
    } catch (const ParseError& e) {
        if (errorColumn != nullptr) *errorColumn = e.position + 1;
        return Error{ErrorKind::InvalidArgument, "column " + std::to_string(e.position + 1) + ": " + e.message};
    }
    return filter;
}

bool RecordFilter::matchesAll() const {
    return !m_root;
}

bool RecordFilter::usesJson() const {
    return nodeUsesJson(m_root.get());
}

std::string RecordFilter::toString() const {
    return m_root ? describe(*m_root) : std::string();
}

bool RecordFilter::matches(const FetchedRecord& record) const {
    if (!m_root) return true;
    Subject s;
    s.key = record.key;
    s.value = record.value;
    s.offset = record.offset;
    s.timestamp = record.timestamp;
    s.fetched = &record;
    return eval(*m_root, s);
}

bool RecordFilter::matches(const ConsumerRecord& record) const {
    if (!m_root) return true;
    Subject s;
    if (record.key) s.key = record.key->span();
    if (record.value) s.value = record.value->span();
    s.offset = record.offset;
    s.timestamp = record.timestamp;
    s.owned = &record;
    return eval(*m_root, s);
}

}  // namespace partita::client
