// LogCleaner: picking logs to compact, the background thread, and cleaner-offset-checkpoint.
#include "engine/storage/logcleaner.h"

#include "engine/storage/checkpointfile.h"
#include "engine/storage/clock.h"
#include "engine/storage/offsetmap.h"
#include "engine/storage/partitionlog.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

namespace partita::storage {

namespace {

std::string dataDirOf(const PartitionLog& log) {
    return std::filesystem::path(log.dir()).parent_path().string();
}

}  // namespace

LogCleaner::LogCleaner(const CleanerConfig& config)
    : m_config(config), m_map(std::make_unique<OffsetMap>(config.dedupeBufferSize)) {}

LogCleaner::~LogCleaner() {
    stop();
}

void LogCleaner::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) return;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void LogCleaner::stop() {
    std::thread thread;
    {
        std::lock_guard lock(m_mutex);
        if (!m_thread.joinable()) return;
        m_stopping = true;
        m_abort.store(true);
        thread = std::move(m_thread);
    }
    m_changed.notify_all();
    thread.join();
    std::lock_guard lock(m_mutex);
    m_abort.store(false);
}

void LogCleaner::wakeUp() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_changed.notify_all();
}

void LogCleaner::addLog(PartitionLog& log) {
    {
        std::lock_guard lock(m_mutex);
        if (std::find(m_logs.begin(), m_logs.end(), &log) == m_logs.end()) m_logs.push_back(&log);
    }
    wakeUp();
}

void LogCleaner::removeLog(PartitionLog& log) {
    std::unique_lock lock(m_mutex);
    m_logs.erase(std::remove(m_logs.begin(), m_logs.end(), &log), m_logs.end());
    if (m_inProgress != &log) return;
    m_abort.store(true);
    m_changed.wait(lock, [&] { return m_inProgress != &log; });
    if (!m_stopping) m_abort.store(false);
}

void LogCleaner::run() {
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) return;
        }
        auto cleaned = cleanDirtiestLog();
        if (!cleaned) spdlog::warn("log cleaner: {}", cleaned.error().message);
        if (cleaned && *cleaned) continue;  // there may be more to do
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, std::chrono::milliseconds(m_config.backoffMs),
                           [this] { return m_stopping || m_woken; });
        m_woken = false;
    }
}

Result<CleanStats> LogCleaner::cleanLog(PartitionLog& log) {
    std::lock_guard round(m_roundMutex);
    return cleanLocked(log);
}

Result<std::optional<CleanStats>> LogCleaner::cleanDirtiestLog() {
    std::lock_guard round(m_roundMutex);
    std::vector<PartitionLog*> logs;
    {
        std::lock_guard lock(m_mutex);
        logs = m_logs;
    }
    PartitionLog* best = nullptr;
    bool bestForced = false;
    double bestRatio = -1;
    for (PartitionLog* log : logs) {
        LogConfig config = log->config();
        if (!config.compactEnabled) continue;
        auto range = cleanableRange(*log);
        if (!range) {
            spdlog::warn("log cleaner: {}: {}", log->dir(), range.error().message);
            continue;
        }
        if (range->dirtyBytes == 0) continue;
        double ratio = range->dirtyRatio();
        bool forced = range->maxLagExceeded;
        if (!forced && ratio < config.minCleanableDirtyRatio) continue;
        // Logs past max.compaction.lag.ms first (they have a deadline), then the dirtiest.
        if (!best || (forced && !bestForced) || (forced == bestForced && ratio > bestRatio)) {
            best = log;
            bestForced = forced;
            bestRatio = ratio;
        }
    }
    if (!best) return std::optional<CleanStats>();
    {
        // It may have been removed since the snapshot of the registry.
        std::lock_guard lock(m_mutex);
        if (std::find(m_logs.begin(), m_logs.end(), best) == m_logs.end()) return std::optional<CleanStats>();
    }
    auto stats = cleanLocked(*best);
    if (!stats) return stats.error();
    return std::optional<CleanStats>(std::move(*stats));
}

Result<CleanStats> LogCleaner::cleanLocked(PartitionLog& log) {
    {
        std::lock_guard lock(m_mutex);
        m_inProgress = &log;
    }
    auto finish = [&] {
        {
            std::lock_guard lock(m_mutex);
            m_inProgress = nullptr;
        }
        m_changed.notify_all();
    };
    auto range = cleanableRange(log);
    if (!range) {
        finish();
        return range.error();
    }
    LogCompactor compactor(m_config, *m_map, m_abort);
    Result<CleanStats> stats = compactor.clean(log, *range);
    finish();
    if (!stats) return stats;
    m_rounds.fetch_add(1, std::memory_order_relaxed);
    if (stats->cleaned) {
        if (Status st = saveCheckpoint(log, stats->endOffset); !st) {
            spdlog::warn("log cleaner: cannot save the checkpoint of {}: {}", log.dir(), st.error().message);
        }
        std::lock_guard lock(m_statsMutex);
        m_lastStats = *stats;
    }
    return stats;
}

Result<CleanableRange> LogCleaner::cleanableRange(const PartitionLog& log) {
    return LogCompactor::cleanableRange(log, checkpointOf(log).value_or(0), log.clock().nowMs());
}

int64_t LogCleaner::firstDirtyOffset(const PartitionLog& log) {
    auto range = cleanableRange(log);
    return range ? range->firstDirtyOffset : log.logStartOffset();
}

CleanStats LogCleaner::lastStats() const {
    std::lock_guard lock(m_statsMutex);
    return m_lastStats;
}

// --- checkpoints ---

std::vector<TopicPartitionOffset>& LogCleaner::checkpointsOf(const std::string& dataDir) {
    auto it = m_checkpoints.find(dataDir);
    if (it != m_checkpoints.end()) return it->second;
    std::vector<TopicPartitionOffset> entries;
    auto read = readOffsetCheckpoint(dataDir + "/" + kCheckpointFile);
    if (read) {
        entries = std::move(*read);
    } else {
        // A damaged checkpoint costs a full re-clean, never the logs.
        spdlog::warn("log cleaner: ignoring {}", read.error().message);
    }
    return m_checkpoints.emplace(dataDir, std::move(entries)).first->second;
}

std::optional<int64_t> LogCleaner::checkpointOf(const PartitionLog& log) {
    std::lock_guard lock(m_checkpointMutex);
    for (const auto& entry : checkpointsOf(dataDirOf(log))) {
        if (entry.topic == log.topic() && entry.partition == log.partition()) return entry.offset;
    }
    return std::nullopt;
}

Status LogCleaner::saveCheckpoint(const PartitionLog& log, int64_t firstDirtyOffset) {
    std::lock_guard lock(m_checkpointMutex);
    const std::string dataDir = dataDirOf(log);
    auto& entries = checkpointsOf(dataDir);
    bool found = false;
    for (auto& entry : entries) {
        if (entry.topic == log.topic() && entry.partition == log.partition()) {
            entry.offset = firstDirtyOffset;
            found = true;
        }
    }
    if (!found) entries.push_back({log.topic(), log.partition(), firstDirtyOffset});
    return writeOffsetCheckpoint(dataDir + "/" + kCheckpointFile, entries);
}

}  // namespace partita::storage
