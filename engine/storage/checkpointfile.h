// Kafka's text checkpoint files ("<version>\n<count>\n<entry>\n..."), read and written atomically.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace partita::storage {

// One line of recovery-point-offset-checkpoint, log-start-offset-checkpoint,
// cleaner-offset-checkpoint or replication-offset-checkpoint: "topic partition offset".
struct TopicPartitionOffset {
    std::string topic;
    int32_t partition;
    int64_t offset;

    bool operator==(const TopicPartitionOffset&) const = default;
};

// The offset checkpoints of a log directory (format version 0, as Kafka writes them).
Status writeOffsetCheckpoint(const std::string& path, std::span<const TopicPartitionOffset> entries);
// A missing file reads as no entries; anything malformed is ErrorKind::Corrupt naming file and line.
Result<std::vector<TopicPartitionOffset>> readOffsetCheckpoint(const std::string& path);

// The format shared by every checkpoint kind, for the readers and writers of each kind.
namespace checkpoint {

// Writes <path>.tmp, syncs it, renames it over path and syncs the directory, so a crash leaves
// either the old or the new file, never a torn one.
Status writeFile(const std::string& path, int32_t version, std::span<const std::string> entryLines);

// Gets each entry line (without its line end) and returns false if it cannot parse it.
using LineParser = std::function<bool(std::string_view line)>;

// Checks the version and the entry count and hands every entry line to parseLine. A missing or
// empty file has no entries (Kafka creates checkpoint files empty).
Status readFile(const std::string& path, int32_t version, const LineParser& parseLine);

// Splits on runs of spaces and tabs, as Kafka's formatters split on whitespace.
std::vector<std::string_view> splitFields(std::string_view line);
// Whole-string decimal parses (an optional leading minus); false on spaces, junk or overflow.
bool parseInt32(std::string_view text, int32_t& out);
bool parseInt64(std::string_view text, int64_t& out);

}  // namespace checkpoint

}  // namespace partita::storage
