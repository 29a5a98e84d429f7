// ApiMessage: the interface every generated request, response, header and data struct shares.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "engine/protocol/bytes.h"
#include "engine/protocol/uuid.h"

namespace partita::protocol {

class Reader;
class Writer;

// A tagged field this code does not know, kept so that decoding then encoding a message
// loses nothing a newer peer sent.
struct RawTaggedField {
    uint32_t tag = 0;
    Bytes data;
    friend bool operator==(const RawTaggedField&, const RawTaggedField&) = default;
};
using UnknownTaggedFields = std::vector<RawTaggedField>;

// float64 fields compare by their bits: NaN equals itself, and equal values mean equal
// wire bytes, which is what a codec round trip needs.
inline bool sameBits(double a, double b) {
    return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

class ApiMessage {
public:
    virtual ~ApiMessage() = default;

    // -1 for headers and data structs that are not requests or responses.
    virtual int16_t messageApiKey() const = 0;
    virtual const char* messageName() const = 0;
    virtual int16_t lowestVersion() const = 0;
    virtual int16_t highestVersion() const = 0;
    virtual bool isFlexible(int16_t version) const = 0;

    // Encodes the body in `version`. A value the version cannot carry fails the writer,
    // unless the spec marks the field ignorable (then it is dropped, as Kafka does).
    virtual void encode(Writer& writer, int16_t version) const = 0;
    // Decodes the body in `version` into this (freshly constructed) message.
    virtual void decode(Reader& reader, int16_t version) = 0;
    // Same type and equal fields.
    virtual bool equals(const ApiMessage& other) const = 0;

protected:
    ApiMessage() = default;
    ApiMessage(const ApiMessage&) = default;
    ApiMessage& operator=(const ApiMessage&) = default;
};

}  // namespace partita::protocol
