// Text encodings of record bytes for the consume output: UTF-8 checks, JSON strings, base64.
#pragma once

#include <string>
#include <string_view>

namespace partita::cli {

bool isValidUtf8(std::string_view bytes);
// `text` (valid UTF-8) as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view text);
// Standard base64 with padding (RFC 4648 section 4).
void appendBase64(std::string& out, std::string_view bytes);

}  // namespace partita::cli
