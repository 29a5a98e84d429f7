// LogManager: every partition log of a data directory, its checkpoints, shutdown marker and background tasks.
#pragma once

#include "engine/protocol/result.h"
#include "engine/storage/logconfig.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace partita::storage {

class Clock;
class LogCleaner;
class PartitionLog;
class SegmentHandleCache;

// Broker-level storage settings, with Kafka's server.properties names and defaults.
struct LogManagerConfig {
    std::string dataDir;                                   // log.dirs (one directory)
    int64_t retentionCheckIntervalMs = 300000;             // log.retention.check.interval.ms
    int64_t flushSchedulerIntervalMs = kInt64Max;          // log.flush.scheduler.interval.ms
    int64_t flushOffsetCheckpointIntervalMs = 60000;       // log.flush.offset.checkpoint.interval.ms
    int64_t flushStartOffsetCheckpointIntervalMs = 60000;  // log.flush.start.offset.checkpoint.interval.ms
    bool cleanerEnable = true;                             // log.cleaner.enable
    int64_t cleanerDedupeBufferBytes = 128LL << 20;        // log.cleaner.dedupe.buffer.size
    int64_t cleanerBackoffMs = 15000;                      // log.cleaner.backoff.ms
    size_t maxOpenSegments = 0;                            // 0: a quarter of the descriptor limit
    int64_t producerIdExpirationMs = 86400000;             // producer.id.expiration.ms
    int64_t producerIdExpirationCheckIntervalMs = 600000;  // producer.id.expiration.check.interval.ms
};

// Files it keeps in the data directory, named as Kafka names them: ".kafka_cleanshutdown" (written
// last on a clean shutdown, removed at start), "recovery-point-offset-checkpoint" and
// "log-start-offset-checkpoint". Partition directories are "<topic>-<partition>".
class LogManager {
public:
    // Topic configs live in the cluster metadata, not here: the caller says what each topic uses.
    using ConfigLookup = std::function<LogConfig(const std::string& topic)>;

    // Loads every partition directory, recovering those a crash left unflushed.
    static Result<std::unique_ptr<LogManager>> open(const LogManagerConfig& config, ConfigLookup configFor,
                                                    const Clock& clock);
    ~LogManager();
    LogManager(const LogManager&) = delete;
    LogManager& operator=(const LogManager&) = delete;

    // Shared: a reader (a fetch waiting for data) keeps the log alive if the topic is deleted meanwhile.
    std::shared_ptr<PartitionLog> getLog(const std::string& topic, int32_t partition) const;
    Result<std::shared_ptr<PartitionLog>> getOrCreateLog(const std::string& topic, int32_t partition,
                                                         const LogConfig& config);
    Status deleteLog(const std::string& topic, int32_t partition);
    std::vector<std::shared_ptr<PartitionLog>> logs() const;

    // Starts the scheduler thread (retention, time-based flush, checkpoints) and the cleaner.
    void startBackgroundTasks();
    // One pass of each periodic task now (tests, and the scheduler itself).
    void runRetention();
    void runTimedFlush();
    // Forgets idempotent producers silent for producer.id.expiration.ms (none with an open transaction).
    void runProducerExpiration();
    Status writeCheckpoints();

    // Stops background work, closes every log (flush, snapshot, trimmed indexes), writes the
    // checkpoints and then the clean shutdown marker.
    Status shutdown();

    // What recovery cut at start, per partition ("topic-partition: ..."), for the broker's log.
    // The compaction thread; null when log.cleaner.enable is false.
    LogCleaner* cleaner() const { return m_cleaner.get(); }
    const std::vector<std::string>& recoveryReport() const { return m_recoveryReport; }
    bool hadCleanShutdown() const { return m_hadCleanShutdown; }

private:
    LogManager(LogManagerConfig config, ConfigLookup configFor, const Clock& clock);
    Status loadAll();
    void schedulerLoop(int64_t startedMs);

    const LogManagerConfig m_config;
    const ConfigLookup m_configFor;
    const Clock& m_clock;
    std::unique_ptr<SegmentHandleCache> m_handleCache;
    std::unique_ptr<LogCleaner> m_cleaner;

    mutable std::mutex m_logsMutex;
    std::map<std::pair<std::string, int32_t>, std::shared_ptr<PartitionLog>> m_logs;
    std::vector<std::string> m_recoveryReport;
    bool m_hadCleanShutdown = false;

    std::mutex m_schedulerMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_scheduler;
};

}  // namespace partita::storage
