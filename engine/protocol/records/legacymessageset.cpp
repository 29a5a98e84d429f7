// Legacy message sets (magic 0/1): entry parsing with CRC-32 checks, wrapper unwrapping, encoding.
#include "engine/protocol/records/legacymessageset.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/recordset.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace partita::protocol::records {

namespace {

constexpr size_t kCrcSize = 4;
constexpr int8_t kCodecMask = 0x07;
constexpr int8_t kTimestampTypeBit = 0x08;

size_t headerSize(int8_t magic) {
    return magic == kMagicV0 ? 6 : 14;
}  // crc, magic, attributes [, timestamp]

uint32_t ieeeCrc(const uint8_t* p, size_t n) {
    return uint32_t(crc32_z(0, p, n));
}

// A message's fields, as spans of the entry it was read from.
struct ParsedMessage {
    int64_t offset = 0;
    int8_t magic = 0;
    int8_t attributes = 0;
    int64_t timestamp = kNoTimestamp;
    OptionalBytesView key;
    OptionalBytesView value;
};

Error malformed(int64_t offset, const std::string& what) {
    return makeError(ErrorKind::Malformed, "legacy message at offset " + std::to_string(offset) + ": " + what);
}

// Parses the message of a complete entry at p (entrySize bytes, offset and size included).
Result<ParsedMessage> parseEntry(const uint8_t* p, size_t entrySize) {
    ParsedMessage m;
    m.offset = loadBeI64(p);
    const size_t size = entrySize - kLogOverhead;
    const uint8_t* msg = p + kLogOverhead;
    if (size < headerSize(kMagicV0) + 8) return malformed(m.offset, "message is shorter than its fixed fields");
    m.magic = int8_t(msg[4]);
    if (m.magic != kMagicV0 && m.magic != kMagicV1)
        return malformed(m.offset, "magic " + std::to_string(m.magic) + " is not 0 or 1");
    const size_t header = headerSize(m.magic);
    if (size < header + 8) return malformed(m.offset, "message is shorter than its fixed fields");

    const uint32_t stored = loadBe32(msg);
    const uint32_t computed = ieeeCrc(msg + kCrcSize, size - kCrcSize);
    if (stored != computed) {
        return malformed(m.offset, "CRC mismatch (stored " + std::to_string(stored) + ", computed " +
                                       std::to_string(computed) + ")");
    }
    m.attributes = int8_t(msg[5]);
    if (m.magic == kMagicV1) m.timestamp = loadBeI64(msg + 6);

    size_t at = header;
    auto readBytes = [&](OptionalBytesView& out, const char* what) -> Status {
        if (size - at < 4) return malformed(m.offset, std::string(what) + " length runs past the message");
        const int32_t length = loadBeI32(msg + at);
        at += 4;
        if (length == -1) {
            out.reset();
            return Status::success();
        }
        if (length < 0 || size_t(length) > size - at) {
            return malformed(m.offset,
                             std::string(what) + " length " + std::to_string(length) + " does not fit the message");
        }
        out = std::span<const uint8_t>(msg + at, size_t(length));
        at += size_t(length);
        return Status::success();
    };
    if (Status s = readBytes(m.key, "key"); !s) return s.error();
    if (Status s = readBytes(m.value, "value"); !s) return s.error();
    if (at != size) return malformed(m.offset, std::to_string(size - at) + " bytes follow the value");
    return m;
}

std::optional<Bytes> share(const Bytes& owner, const OptionalBytesView& view) {
    if (!view) return std::nullopt;
    return owner.slice(size_t(view->data() - owner.data()), view->size());
}

LegacyMessage toMessage(const Bytes& owner, const ParsedMessage& m) {
    LegacyMessage out;
    out.offset = m.offset;
    out.magic = m.magic;
    out.attributes = m.attributes;
    out.timestamp = m.timestamp;
    out.timestampType = (m.magic == kMagicV1 && (m.attributes & kTimestampTypeBit)) ? TimestampType::LogAppendTime
                                                                                    : TimestampType::CreateTime;
    out.key = share(owner, m.key);
    out.value = share(owner, m.value);
    return out;
}

// The inner messages of a compressed wrapper, offsets and timestamps resolved.
Status unwrap(const ParsedMessage& wrapper, CompressionType codec, size_t maxUncompressed,
              std::vector<LegacyMessage>& out) {
    if (!wrapper.value) return malformed(wrapper.offset, "compressed wrapper has a null value");
    auto plain = decompressToBytes(codec, *wrapper.value, maxUncompressed,
                                   CodecOptions{.lz4LegacyHeaderChecksum = wrapper.magic == kMagicV0});
    if (!plain) return plain.error();
    const Bytes inner = std::move(*plain);

    const size_t first = out.size();
    size_t at = 0;
    while (at < inner.size()) {
        const size_t left = inner.size() - at;
        const int32_t size = left >= kLogOverhead ? loadBeI32(inner.data() + at + 8) : -1;
        // The whole value was present, so a short inner entry is corruption, not a cut-off fetch.
        if (size < 0 || size_t(size) > left - kLogOverhead) {
            out.resize(first);
            return malformed(wrapper.offset, "inner message set is truncated");
        }
        auto parsed = parseEntry(inner.data() + at, size_t(size) + kLogOverhead);
        if (!parsed) {
            out.resize(first);
            return parsed.error();
        }
        if (parsed->magic != wrapper.magic) {
            out.resize(first);
            return malformed(wrapper.offset,
                             "inner message magic " + std::to_string(parsed->magic) + " differs from the wrapper's");
        }
        if ((parsed->attributes & kCodecMask) != 0) {
            out.resize(first);
            return malformed(wrapper.offset, "inner message is compressed again");
        }
        out.push_back(toMessage(inner, *parsed));
        at += size_t(size) + kLogOverhead;
    }
    if (out.size() == first) return malformed(wrapper.offset, "compressed wrapper holds no messages");

    if (wrapper.magic == kMagicV1) {
        // Inner offsets are relative; the wrapper carries the absolute offset of the last one.
        // A wrapper offset of 0 (old producers) means the relative offsets stand as they are.
        const int64_t lastRelative = out.back().offset;
        const bool logAppendTime = (wrapper.attributes & kTimestampTypeBit) != 0;
        for (size_t i = first; i < out.size(); ++i) {
            if (wrapper.offset != 0)
                out[i].offset = wrappingAdd(wrappingSub(wrapper.offset, lastRelative), out[i].offset);
            if (logAppendTime) {
                out[i].timestamp = wrapper.timestamp;
                out[i].timestampType = TimestampType::LogAppendTime;
            }
        }
    }
    return Status::success();
}

// Appends one Offset | Size | Message entry.
void writeMessage(std::vector<uint8_t>& out, int64_t offset, int8_t magic, int8_t attributes, int64_t timestamp,
                  OptionalBytesView key, OptionalBytesView value) {
    const size_t header = headerSize(magic);
    const size_t size = header + 4 + (key ? key->size() : 0) + 4 + (value ? value->size() : 0);
    const size_t at = out.size();
    out.resize(at + kLogOverhead + size);
    uint8_t* p = out.data() + at;
    storeBe64(p, uint64_t(offset));
    storeBe32(p + 8, uint32_t(size));
    uint8_t* msg = p + kLogOverhead;
    msg[4] = uint8_t(magic);
    msg[5] = uint8_t(attributes);
    if (magic == kMagicV1) storeBe64(msg + 6, uint64_t(timestamp));
    uint8_t* q = msg + header;
    for (const OptionalBytesView* field : {&key, &value}) {
        if (!*field) {
            storeBe32(q, uint32_t(-1));
            q += 4;
            continue;
        }
        storeBe32(q, uint32_t((*field)->size()));
        q += 4;
        if (!(*field)->empty()) std::memcpy(q, (*field)->data(), (*field)->size());
        q += (*field)->size();
    }
    storeBe32(msg, ieeeCrc(msg + kCrcSize, size - kCrcSize));
}

}  // namespace

Status LegacyMessageSet::decodeEntry(const Bytes& entry, size_t maxUncompressed, std::vector<LegacyMessage>& out) {
    if (entry.size() < kLogOverhead) return makeError(ErrorKind::Truncated, "legacy entry is shorter than 12 bytes");
    const int32_t size = loadBeI32(entry.data() + 8);
    if (size < 0 || size_t(size) + kLogOverhead != entry.size()) {
        return makeError(ErrorKind::Malformed,
                         "legacy entry size " + std::to_string(size) + " does not match its bytes");
    }
    auto parsed = parseEntry(entry.data(), entry.size());
    if (!parsed) return parsed.error();
    const int codecId = parsed->attributes & kCodecMask;
    if (codecId == 0) {
        out.push_back(toMessage(entry, *parsed));
        return Status::success();
    }
    if (codecId > int(CompressionType::Lz4)) {
        return makeError(ErrorKind::Unsupported, "legacy message at offset " + std::to_string(parsed->offset) +
                                                     " uses codec " + std::to_string(codecId) +
                                                     ", which legacy messages do not allow");
    }
    return unwrap(*parsed, CompressionType(codecId), maxUncompressed, out);
}

Result<std::vector<LegacyMessage>> LegacyMessageSet::decode(const Bytes& set, size_t maxUncompressed) {
    std::vector<LegacyMessage> messages;
    RecordSetReader reader(set);
    for (;;) {
        auto entry = reader.next();
        if (!entry) return entry.error();
        if (!*entry) break;
        if ((*entry)->magic == kMagicV2) {
            return makeError(ErrorKind::Unsupported,
                             "legacy message set holds a magic-2 batch at offset " + std::to_string((*entry)->offset));
        }
        Status status = decodeEntry((*entry)->bytes, maxUncompressed, messages);
        if (!status) return status.error();
    }
    return messages;
}

Result<std::vector<uint8_t>> LegacyMessageSet::encode(std::span<const LegacyMessageInput> messages,
                                                      const LegacyEncodeOptions& options) {
    const int8_t magic = options.magic;
    if (magic != kMagicV0 && magic != kMagicV1) {
        return makeError(ErrorKind::InvalidArgument, "legacy magic must be 0 or 1, not " + std::to_string(magic));
    }
    if (options.compression == CompressionType::Zstd) {
        return makeError(ErrorKind::Unsupported, "zstd is not allowed in legacy message sets");
    }
    const bool logAppendTime = options.timestampType == TimestampType::LogAppendTime;
    if (logAppendTime && magic == kMagicV0) {
        return makeError(ErrorKind::InvalidArgument, "magic 0 messages have no timestamp");
    }
    constexpr size_t kMaxField = size_t(std::numeric_limits<int32_t>::max()) - 64;
    for (const LegacyMessageInput& m : messages) {
        if ((m.key && m.key->size() > kMaxField) || (m.value && m.value->size() > kMaxField) ||
            (m.key && m.value && m.key->size() + m.value->size() > kMaxField)) {
            return makeError(ErrorKind::InvalidArgument, "legacy message is over 2 GiB");
        }
    }

    const int8_t timeBit = logAppendTime ? kTimestampTypeBit : 0;
    std::vector<uint8_t> out;
    if (options.compression == CompressionType::None) {
        for (size_t i = 0; i < messages.size(); ++i) {
            const int64_t timestamp = logAppendTime ? options.logAppendTime : messages[i].timestamp;
            writeMessage(out, options.baseOffset + int64_t(i), magic, timeBit, timestamp, messages[i].key,
                         messages[i].value);
        }
        return out;
    }
    if (messages.empty()) return out;

    // Magic 0 inner messages carry absolute offsets, magic 1 relative ones (FORMATS.md §4).
    std::vector<uint8_t> inner;
    int64_t maxTimestamp = kNoTimestamp;
    for (size_t i = 0; i < messages.size(); ++i) {
        const int64_t offset = magic == kMagicV0 ? options.baseOffset + int64_t(i) : int64_t(i);
        writeMessage(inner, offset, magic, 0, messages[i].timestamp, messages[i].key, messages[i].value);
        maxTimestamp = std::max(maxTimestamp, messages[i].timestamp);
    }
    std::vector<uint8_t> compressed;
    Status status = compressAppend(options.compression, inner, compressed,
                                   CodecOptions{.level = options.level, .lz4LegacyHeaderChecksum = magic == kMagicV0});
    if (!status) return status.error();
    if (compressed.size() > kMaxField) return makeError(ErrorKind::InvalidArgument, "compressed wrapper is over 2 GiB");
    const int64_t wrapperOffset = options.baseOffset + int64_t(messages.size()) - 1;
    const int64_t wrapperTimestamp = logAppendTime ? options.logAppendTime : maxTimestamp;
    writeMessage(out, wrapperOffset, magic, int8_t(int8_t(options.compression) | timeBit), wrapperTimestamp,
                 std::nullopt, std::span<const uint8_t>(compressed));
    return out;
}

}  // namespace partita::protocol::records
