// LeaderEpochCache: a partition's leader epoch -> start offset history and its leader-epoch-checkpoint file.
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace partita::storage {

struct EpochEntry {
    int32_t epoch;
    int64_t startOffset;

    bool operator==(const EpochEntry&) const = default;
};

// Kafka's LeaderEpochFileCache. Entries are kept increasing in both epoch and start offset; every
// change is written to <partitionDir>/leader-epoch-checkpoint ("0\n<count>\n<epoch> <offset>\n...")
// before it becomes visible, so the file never lags what callers were told. Thread-safe.
class LeaderEpochCache {
public:
    // Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET of OffsetsForLeaderEpoch.
    static constexpr int32_t kUndefinedEpoch = -1;
    static constexpr int64_t kUndefinedEpochOffset = -1;
    static constexpr const char* kFileName = "leader-epoch-checkpoint";

    // Reads the checkpoint if there is one; a missing file is an empty cache (nothing is created).
    static Result<std::unique_ptr<LeaderEpochCache>> open(const std::string& partitionDir);

    // Records that `epoch` starts at `startOffset`. Ignored unless epoch is above the latest and
    // startOffset is not below the latest's; a previous epoch left without messages (same start
    // offset) is dropped. Negative values are InvalidArgument.
    Status assign(int32_t epoch, int64_t startOffset);

    std::optional<int32_t> latestEpoch() const;
    std::optional<EpochEntry> latestEntry() const;
    // OffsetsForLeaderEpoch: the largest epoch <= requestedEpoch and where it ends (the next
    // epoch's start, or logEndOffset for the latest epoch); {kUndefinedEpoch, kUndefinedEpochOffset}
    // when unknown. Below the first epoch answers {requestedEpoch, first start offset}, as Kafka does.
    std::pair<int32_t, int64_t> endOffsetFor(int32_t requestedEpoch, int64_t logEndOffset) const;
    // The epoch the record at offset was written in, if the cache goes back that far.
    std::optional<int32_t> epochForOffset(int64_t offset) const;

    // The log was truncated to endOffset: entries starting at or after it go.
    Status truncateFromEnd(int64_t endOffset);
    // The log now starts at startOffset: entries starting at or below it go, except that the last of
    // them is kept with its start moved up to startOffset (its epoch still covers the new start).
    Status truncateFromStart(int64_t startOffset);
    Status clearAndFlush();

    std::vector<EpochEntry> entries() const;
    const std::string& path() const { return m_path; }

private:
    explicit LeaderEpochCache(std::string path) : m_path(std::move(path)) {}
    // Writes `next` and adopts it if the write succeeded; the caller holds m_mutex.
    Status persistLocked(std::vector<EpochEntry> next);

    const std::string m_path;
    mutable std::mutex m_mutex;
    std::vector<EpochEntry> m_entries;  // ascending in epoch and in start offset
};

}  // namespace partita::storage
