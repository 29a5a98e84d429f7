// Kafka's text checkpoint files: the shared versioned line format, atomic replacement, offset checkpoints.
#include "engine/storage/checkpointfile.h"

#include "engine/storage/filehandle.h"

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <cstdio>

namespace partita::storage {

namespace {

constexpr int32_t kOffsetCheckpointVersion = 0;

Error corruptLine(const std::string& path, size_t lineNumber, std::string_view line, const char* why) {
    return makeError(ErrorKind::Corrupt, std::string(why) + " at line " + std::to_string(lineNumber) +
                                             " of checkpoint file " + path + ": '" + std::string(line) + "'");
}

template <class T>
bool parseWhole(std::string_view text, T& out) {
    if (text.empty()) return false;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

}  // namespace

namespace checkpoint {

std::vector<std::string_view> splitFields(std::string_view line) {
    std::vector<std::string_view> fields;
    size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
        size_t start = pos;
        while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
        if (pos > start) fields.push_back(line.substr(start, pos - start));
    }
    return fields;
}

bool parseInt32(std::string_view text, int32_t& out) {
    return parseWhole(text, out);
}
bool parseInt64(std::string_view text, int64_t& out) {
    return parseWhole(text, out);
}

Status writeFile(const std::string& path, int32_t version, std::span<const std::string> entryLines) {
    std::string text = std::to_string(version) + "\n" + std::to_string(entryLines.size()) + "\n";
    for (const std::string& line : entryLines) {
        text += line;
        text += '\n';
    }

    return writeFileAtomically(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

Status readFile(const std::string& path, int32_t version, const LineParser& parseLine) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return {};
        return fileError("cannot stat", path, errno);
    }
    auto file = FileHandle::open(path, FileHandle::Mode::ReadOnly);
    if (!file) return file.error();
    auto size = file->size();
    if (!size) return size.error();
    std::string text(size_t(*size), '\0');
    if (Status s = file->readAt(0, std::span(reinterpret_cast<uint8_t*>(text.data()), text.size())); !s) return s;
    if (text.empty()) return {};

    // Lines end in "\n" (Kafka's writer on Linux); a "\r" before it is tolerated like Java's readLine does.
    std::vector<std::string_view> lines;
    std::string_view rest = text;
    while (!rest.empty()) {
        size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }

    int32_t fileVersion = 0;
    if (!parseInt32(lines[0], fileVersion)) return corruptLine(path, 1, lines[0], "malformed version");
    if (fileVersion != version) {
        return corruptLine(path, 1, lines[0],
                           ("unsupported version (expected " + std::to_string(version) + ")").c_str());
    }
    // Kafka reads a file cut after its version line as empty; we never write one, so it is a torn file.
    if (lines.size() < 2) return corruptLine(path, 2, "", "missing entry count");
    int32_t expected = 0;
    if (!parseInt32(lines[1], expected) || expected < 0) return corruptLine(path, 2, lines[1], "malformed entry count");

    const size_t found = lines.size() - 2;
    for (size_t i = 0; i < found; ++i) {
        const size_t lineNumber = i + 3;
        if (i >= size_t(expected)) {
            return corruptLine(path, lineNumber, lines[i + 2],
                               ("more entries than the count of " + std::to_string(expected)).c_str());
        }
        if (!parseLine(lines[i + 2])) return corruptLine(path, lineNumber, lines[i + 2], "malformed entry");
    }
    if (found < size_t(expected)) {
        return makeError(ErrorKind::Corrupt, "checkpoint file " + path + " ends at line " + std::to_string(found + 2) +
                                                 " with " + std::to_string(found) + " of " + std::to_string(expected) +
                                                 " entries");
    }
    return {};
}

}  // namespace checkpoint

Status writeOffsetCheckpoint(const std::string& path, std::span<const TopicPartitionOffset> entries) {
    std::vector<std::string> lines;
    lines.reserve(entries.size());
    for (const TopicPartitionOffset& e : entries) {
        // A name with whitespace would read back as a different line; Kafka's topic names cannot have any.
        if (e.topic.empty() || e.topic.find_first_of(" \t\r\n") != std::string::npos) {
            return makeError(ErrorKind::InvalidArgument,
                             "topic name '" + e.topic + "' cannot be written to checkpoint file " + path);
        }
        lines.push_back(e.topic + " " + std::to_string(e.partition) + " " + std::to_string(e.offset));
    }
    return checkpoint::writeFile(path, kOffsetCheckpointVersion, lines);
}

Result<std::vector<TopicPartitionOffset>> readOffsetCheckpoint(const std::string& path) {
    std::vector<TopicPartitionOffset> entries;
    Status status = checkpoint::readFile(path, kOffsetCheckpointVersion, [&](std::string_view line) {
        auto fields = checkpoint::splitFields(line);
        if (fields.size() != 3) return false;
        TopicPartitionOffset entry{std::string(fields[0]), 0, 0};
        if (!checkpoint::parseInt32(fields[1], entry.partition) || !checkpoint::parseInt64(fields[2], entry.offset)) {
            return false;
        }
        entries.push_back(std::move(entry));
        return true;
    });
    if (!status) return status.error();
    return entries;
}

}  // namespace partita::storage
