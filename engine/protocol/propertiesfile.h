// Java .properties parsing with java.util.Properties' rules: server.properties, meta.properties, client.properties.
#pragma once

#include "engine/protocol/result.h"

#include <map>
#include <string>
#include <string_view>

namespace partita::protocol {

// Comments (# and !), key=value / key:value / key value, backslash continuations and escapes (\t \n \r \f
// \uXXXX, any other \c is c) as Properties.load reads them; a later key replaces an earlier one. Bytes outside
// escapes pass through unchanged (Java would read them as ISO-8859-1) so a UTF-8 file stays UTF-8, and a
// \uXXXX escape becomes UTF-8. Errors are Malformed and start "<sourceName>:<line>: ".
Result<std::map<std::string, std::string>> parsePropertiesText(std::string_view text, std::string_view sourceName);

// Reads the file and parses it; a file that cannot be read is an Io error naming it.
Result<std::map<std::string, std::string>> parsePropertiesFile(const std::string& path);

}  // namespace partita::protocol
