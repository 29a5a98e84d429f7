// LogCleaner: the background compaction thread, its registered logs and the cleaner offset checkpoints.
#pragma once

#include "engine/protocol/result.h"
#include "engine/storage/cleanerconfig.h"
#include "engine/storage/logcompactor.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace partita::storage {

class OffsetMap;
class PartitionLog;
struct TopicPartitionOffset;

// Compacts logs whose cleanup.policy includes compact (compact, or compact,delete, where
// retention still runs through PartitionLog::deleteOldSegments). One thread and one offset map;
// a round at a time. Each round takes the dirtiest registered log whose dirty ratio reaches
// min.cleanable.dirty.ratio, or whose oldest dirty record is past max.compaction.lag.ms, and
// remembers where it stopped in "<dataDir>/cleaner-offset-checkpoint" (Kafka's file), so a
// restart does not clean everything again.
class LogCleaner {
public:
    explicit LogCleaner(const CleanerConfig& config = {});
    ~LogCleaner();  // stops the thread
    LogCleaner(const LogCleaner&) = delete;
    LogCleaner& operator=(const LogCleaner&) = delete;

    static constexpr const char* kCheckpointFile = "cleaner-offset-checkpoint";

    // The background thread: start() is a no-op if it runs; stop() aborts a round in progress
    // (the log stays valid) and joins.
    void start();
    void stop();
    // Checks for work now instead of after log.cleaner.backoff.ms.
    void wakeUp();

    // Logs stay owned by the caller. removeLog() returns once no round uses the log any more
    // (a round in progress on it is aborted), so the log may then be closed or deleted.
    void addLog(PartitionLog& log);
    void removeLog(PartitionLog& log);

    // One round on `log` now, whatever its dirty ratio (min.compaction.lag.ms, the high
    // watermark and the active segment still bound it), on the calling thread.
    Result<CleanStats> cleanLog(PartitionLog& log);
    // What the thread does each time it wakes: the dirtiest eligible registered log gets a round.
    // nullopt if no log was eligible.
    Result<std::optional<CleanStats>> cleanDirtiestLog();
    // The log's cleanable range as the cleaner sees it now.
    Result<CleanableRange> cleanableRange(const PartitionLog& log);
    // Where the next round on the log starts (the checkpoint; the log start if none).
    int64_t firstDirtyOffset(const PartitionLog& log);

    // The last round that changed a log, and how many have run since start.
    CleanStats lastStats() const;
    uint64_t roundsCompleted() const { return m_rounds.load(std::memory_order_relaxed); }

private:
    void run();
    Result<CleanStats> cleanLocked(PartitionLog& log);
    std::optional<int64_t> checkpointOf(const PartitionLog& log);
    Status saveCheckpoint(const PartitionLog& log, int64_t firstDirtyOffset);
    std::vector<TopicPartitionOffset>& checkpointsOf(const std::string& dataDir);

    const CleanerConfig m_config;

    // Registry, thread control and the log being cleaned.
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<PartitionLog*> m_logs;
    PartitionLog* m_inProgress = nullptr;
    bool m_stopping = false;
    bool m_woken = false;
    std::thread m_thread;
    std::atomic<bool> m_abort{false};

    // One round at a time: they share the offset map.
    std::mutex m_roundMutex;
    std::unique_ptr<OffsetMap> m_map;

    std::mutex m_checkpointMutex;
    std::map<std::string, std::vector<TopicPartitionOffset>> m_checkpoints;  // by data dir, loaded lazily

    mutable std::mutex m_statsMutex;
    CleanStats m_lastStats;
    std::atomic<uint64_t> m_rounds{0};
};

}  // namespace partita::storage
