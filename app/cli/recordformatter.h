// RecordFormatter: how consume prints a record: a kcat-like format string or one JSON object per line.
#pragma once

#include "engine/client/fetchedrecords.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace partita::cli {

class RecordFormatter {
public:
    // kcat's -f tokens: %t topic, %p partition, %o offset, %k key, %s value, %T timestamp (ms),
    // %h headers (name=value,...), %K key length, %S value length (-1 for null), %% a percent sign,
    // and the escapes \n \r \t \\. InvalidArgument names an unknown token.
    static Result<RecordFormatter> compile(std::string_view format);
    // {"topic","partition","offset","timestamp","key","value","headers":[{"key","value"}]}; a key or
    // value that is not valid UTF-8 is base64 with "key_encoding"/"value_encoding": "base64".
    static RecordFormatter json();

    void append(std::string& out, std::string_view topic, int32_t partition, const client::FetchedRecord& record) const;

private:
    enum class Field : uint8_t {
        Literal,
        Topic,
        Partition,
        Offset,
        Key,
        Value,
        Timestamp,
        Headers,
        KeyLength,
        ValueLength
    };
    struct Token {
        Field field;
        std::string text;  // Literal only
    };
    void appendJson(std::string& out, std::string_view topic, int32_t partition,
                    const client::FetchedRecord& record) const;

    std::vector<Token> m_tokens;
    bool m_json = false;
};

}  // namespace partita::cli
