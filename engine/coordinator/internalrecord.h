// Keys and values of the coordinators' internal topics: an int16 schema version, then that version's struct.
#pragma once

#include "engine/protocol/apimessage.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/result.h"
#include "engine/protocol/writer.h"

#include <string>

namespace partita::coordinator {

// The version, then the struct in it. Every field the coordinators fill exists in the versions
// they write, so an encoding failure is a bug (empty bytes).
inline Bytes encodeInternalRecord(const protocol::ApiMessage& message, int16_t version) {
    protocol::Writer writer(64);
    writer.writeInt16(version);
    message.encode(writer, version);
    return writer.ok() ? writer.take() : Bytes();
}

// Decodes `message` at `version` (read from the bytes by the caller, whose key version may pick
// the record type). Corrupt, naming `what`, for a version the spec lacks or bytes that do not parse.
template <class Message>
Status decodeInternalRecord(protocol::Reader& reader, Message& message, int16_t version, const char* what) {
    if (version < Message::kLowestVersion || version > Message::kHighestVersion) {
        return Error{ErrorKind::Corrupt, std::string(what) + " version " + std::to_string(version) + " is unknown"};
    }
    message.decode(reader, version);
    if (!reader.ok()) return Error{ErrorKind::Corrupt, std::string(what) + ": " + reader.error()};
    return {};
}

}  // namespace partita::coordinator
