// ValueGenerator: the bulk producer's placeholders ({{counter}}, {{uuid}}, ...) parsed once and
// expanded per message.
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace partita::models {

// Placeholders in key, value and header values: {{counter}} (0-based index of the message in the
// bulk send; {{counter:1000}} starts at 1000), {{uuid}} (random v4), {{now}} (ms since epoch),
// {{now:iso}} (ISO-8601 UTC), {{random:a|b|c}} (one of the choices), {{random:1..100}} (an integer
// in the inclusive range), {{random:0.5..2.5}} (a decimal with 2 digits). `{{{{` is a literal `{{`.
// Anything else inside {{ }} is a parse error.
class ValueGenerator {
public:
    // nullopt with *error like "column 12: unknown generator 'foo'" (columns 1-based).
    static std::optional<ValueGenerator> parse(const QByteArray& text, QString* error = nullptr);
    // Empty when `json` is valid JSON, else "line 3, column 5: <QJsonParseError text>".
    static QString validateJson(const QByteArray& json);

    bool isConstant() const;  // no placeholders
    // Appends the expansion for message number `index`. Thread-compatible: const, each thread
    // passes its own generator.
    void expandInto(uint64_t index, std::mt19937_64& rng, std::string& out) const;
    // Convenience for single sends and tests.
    QByteArray expand(uint64_t index, std::mt19937_64& rng) const;

    enum class Kind { Literal, Counter, Uuid, NowMs, NowIso, Choice, IntRange, DecimalRange };
    struct Part {
        Kind kind = Kind::Literal;
        std::string text;                  // Literal
        std::vector<std::string> choices;  // Choice
        int64_t low = 0;                   // Counter start; IntRange; DecimalRange in hundredths
        int64_t high = 0;                  // IntRange / DecimalRange (hundredths), inclusive
    };

private:
    std::vector<Part> m_parts;
};

}  // namespace partita::models
