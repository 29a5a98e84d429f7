// MetaProperties: reading, checking and atomically writing a log directory's meta.properties as Kafka does.
#include "engine/broker/metaproperties.h"

#include "engine/protocol/propertiesfile.h"
#include "engine/storage/filehandle.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <random>
#include <system_error>

namespace partita::broker {
namespace {

constexpr std::string_view kFileName = "meta.properties";

std::string base64Url(const std::array<uint8_t, 16>& bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (uint8_t byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3F];
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
    return out;  // 16 bytes: 22 characters, no padding
}

std::optional<int32_t> parseId(const std::string& text) {
    int32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Java's Properties.store layout: a comment line with the date, then key=value lines.
std::string render(const MetaProperties& meta) {
    std::array<char, 64> date{};
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(date.data(), date.size(), "%a %b %d %H:%M:%S UTC %Y", &utc);
    std::string text = "#\n#" + std::string(date.data()) + "\n";
    text += "cluster.id=" + meta.clusterId + "\n";
    if (!meta.directoryId.empty()) text += "directory.id=" + meta.directoryId + "\n";
    text += "node.id=" + std::to_string(meta.nodeId) + "\n";
    text += "version=" + std::to_string(meta.version) + "\n";
    return text;
}

Status write(const std::string& path, const MetaProperties& meta) {
    std::string text = render(meta);
    return storage::writeFileAtomically(
        path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace

std::string randomKafkaUuid() {
    static thread_local std::random_device device;
    while (true) {
        std::array<uint8_t, 16> bytes{};
        for (size_t i = 0; i < bytes.size(); i += 4) {
            uint32_t word = device();
            for (size_t k = 0; k < 4; ++k) bytes[i + k] = static_cast<uint8_t>(word >> (8 * k));
        }
        bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
        bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // IETF variant
        bool highHalfZero = true;
        for (size_t i = 0; i < 8; ++i) highHalfZero = highHalfZero && bytes[i] == 0;
        std::string id = base64Url(bytes);
        if (!highHalfZero && id.front() != '-') return id;
    }
}

Result<MetaProperties> loadOrCreateMetaProperties(const std::string& logDir, int32_t nodeId) {
    const std::string path = logDir + "/" + std::string(kFileName);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (ec) return makeError(ErrorKind::Io, "Cannot check " + path + ": " + ec.message());
        std::filesystem::create_directories(logDir, ec);
        if (ec) return makeError(ErrorKind::Io, "Cannot create log directory " + logDir + ": " + ec.message());
        MetaProperties meta;
        meta.clusterId = randomKafkaUuid();
        meta.nodeId = nodeId;
        meta.directoryId = randomKafkaUuid();
        if (Status status = write(path, meta); !status) return status.error();
        meta.created = true;
        return meta;
    }

    auto properties = protocol::parsePropertiesFile(path);
    if (!properties) return properties.error();
    auto field = [&](const char* key) -> std::string {
        auto it = properties->find(key);
        return it == properties->end() ? std::string() : it->second;
    };
    MetaProperties meta;
    auto version = parseId(field("version"));
    if (!version || (*version != 0 && *version != 1))
        return makeError(ErrorKind::Corrupt, path + ": unsupported meta.properties version '" + field("version") + "'");
    meta.version = *version;
    // Version 0 directories come from ZooKeeper-mode brokers, which called the node id broker.id.
    const char* idKey = meta.version == 1 ? "node.id" : "broker.id";
    auto storedId = parseId(field(idKey));
    if (!storedId) return makeError(ErrorKind::Corrupt, path + ": missing or invalid " + std::string(idKey));
    meta.nodeId = *storedId;
    meta.clusterId = field("cluster.id");
    if (meta.clusterId.empty()) return makeError(ErrorKind::Corrupt, path + ": missing cluster.id");
    meta.directoryId = field("directory.id");
    if (meta.nodeId != nodeId)
        return makeError(ErrorKind::InvalidArgument,
                         "Stored node id " + std::to_string(meta.nodeId) + " in " + path +
                             " does not match the configured node id " + std::to_string(nodeId) +
                             ". If you moved the data, configure node.id=" + std::to_string(meta.nodeId) +
                             "; to start a new node, remove the log directory.");
    if (meta.version == 1 && meta.directoryId.empty()) {
        meta.directoryId = randomKafkaUuid();
        if (Status status = write(path, meta); !status) return status.error();
    }
    return meta;
}

}  // namespace partita::broker
