// Loading, creating and deleting partition logs; checkpoints, the clean shutdown marker and periodic tasks.
#include "engine/storage/logmanager.h"

#include "engine/storage/checkpointfile.h"
#include "engine/storage/clock.h"
#include "engine/storage/filehandle.h"
#include "engine/storage/logcleaner.h"
#include "engine/storage/partitionlog.h"
#include "engine/storage/segmenthandlecache.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace partita::storage {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCleanShutdownFile = ".kafka_cleanshutdown";
constexpr const char* kRecoveryPointFile = "recovery-point-offset-checkpoint";
constexpr const char* kLogStartOffsetFile = "log-start-offset-checkpoint";
// How often the scheduler looks at its tasks; each runs on its own interval.
constexpr int64_t kSchedulerTickMs = 200;

// "<topic>-<partition>": the topic may itself contain '-', the partition is after the last one.
std::optional<std::pair<std::string, int32_t>> parseDirectoryName(const std::string& name) {
    size_t dash = name.rfind('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == name.size()) return std::nullopt;
    int32_t partition = 0;
    for (size_t i = dash + 1; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9' || partition > 100'000'000) return std::nullopt;
        partition = partition * 10 + (name[i] - '0');
    }
    return std::pair{name.substr(0, dash), partition};
}

std::map<std::pair<std::string, int32_t>, int64_t> offsetsByPartition(const std::vector<TopicPartitionOffset>& list) {
    std::map<std::pair<std::string, int32_t>, int64_t> out;
    for (const auto& entry : list) out[{entry.topic, entry.partition}] = entry.offset;
    return out;
}

}  // namespace

LogManager::LogManager(LogManagerConfig config, ConfigLookup configFor, const Clock& clock)
    : m_config(std::move(config)), m_configFor(std::move(configFor)), m_clock(clock) {
    size_t limit = m_config.maxOpenSegments > 0 ? m_config.maxOpenSegments : SegmentHandleCache::defaultLimit();
    m_handleCache = std::make_unique<SegmentHandleCache>(limit);
    if (m_config.cleanerEnable) {
        CleanerConfig cleaner;
        cleaner.dedupeBufferSize = size_t(m_config.cleanerDedupeBufferBytes);
        cleaner.backoffMs = m_config.cleanerBackoffMs;
        m_cleaner = std::make_unique<LogCleaner>(cleaner);
    }
}

LogManager::~LogManager() {
    {
        std::lock_guard lock(m_schedulerMutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_scheduler.joinable()) m_scheduler.join();
    if (m_cleaner) m_cleaner->stop();
}

Result<std::unique_ptr<LogManager>> LogManager::open(const LogManagerConfig& config, ConfigLookup configFor,
                                                     const Clock& clock) {
    std::error_code ec;
    fs::create_directories(config.dataDir, ec);
    if (ec) return fileError("cannot create", config.dataDir, ec.value());
    std::unique_ptr<LogManager> manager(new LogManager(config, std::move(configFor), clock));
    if (Status st = manager->loadAll(); !st) return st.error();
    return manager;
}

Status LogManager::loadAll() {
    const std::string& dir = m_config.dataDir;
    std::string marker = dir + "/" + kCleanShutdownFile;
    m_hadCleanShutdown = fs::exists(marker);
    auto recoveryPoints = readOffsetCheckpoint(dir + "/" + kRecoveryPointFile);
    auto startOffsets = readOffsetCheckpoint(dir + "/" + kLogStartOffsetFile);
    // A damaged checkpoint costs a longer recovery, never data: recover everything from the start.
    if (!recoveryPoints) spdlog::warn("{}; recovering every log from its start", recoveryPoints.error().message);
    if (!startOffsets) spdlog::warn("{}", startOffsets.error().message);
    auto recovery = offsetsByPartition(recoveryPoints ? *recoveryPoints : std::vector<TopicPartitionOffset>{});
    auto starts = offsetsByPartition(startOffsets ? *startOffsets : std::vector<TopicPartitionOffset>{});

    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_directory()) continue;
        std::string name = entry.path().filename().string();
        if (name.ends_with("-delete")) {
            // A topic deletion a crash interrupted.
            fs::remove_all(entry.path(), ec);
            continue;
        }
        auto parsed = parseDirectoryName(name);
        if (!parsed) continue;
        LoadState state;
        state.cleanShutdown = m_hadCleanShutdown && recoveryPoints.ok();
        auto rp = recovery.find(*parsed);
        state.recoveryPoint = rp != recovery.end() ? rp->second : 0;
        auto so = starts.find(*parsed);
        state.logStartOffset = so != starts.end() ? so->second : 0;
        auto log = PartitionLog::open(dir, parsed->first, parsed->second, m_configFor(parsed->first), state, m_clock,
                                      m_handleCache.get());
        if (!log) return log.error();
        for (const std::string& note : (*log)->recoveryReport()) m_recoveryReport.push_back(name + ": " + note);
        if (m_cleaner) m_cleaner->addLog(**log);
        m_logs[*parsed] = std::move(*log);
    }
    if (ec) return fileError("cannot list", dir, ec.value());
    // From here on a crash is unclean: the marker goes before anything is written.
    fs::remove(marker, ec);
    if (Status st = syncDirectory(dir); !st) return st;
    if (m_logs.empty()) {
        spdlog::info("no partition logs in {} yet", dir);
    } else {
        spdlog::info("loaded {} partition logs from {} ({} shutdown)", m_logs.size(), dir,
                     m_hadCleanShutdown ? "clean" : "unclean");
    }
    return {};
}

std::shared_ptr<PartitionLog> LogManager::getLog(const std::string& topic, int32_t partition) const {
    std::lock_guard lock(m_logsMutex);
    auto it = m_logs.find({topic, partition});
    return it == m_logs.end() ? nullptr : it->second;
}

Result<std::shared_ptr<PartitionLog>> LogManager::getOrCreateLog(const std::string& topic, int32_t partition,
                                                                 const LogConfig& config) {
    std::lock_guard lock(m_logsMutex);
    auto it = m_logs.find({topic, partition});
    if (it != m_logs.end()) return it->second;
    LoadState state;
    state.cleanShutdown = true;  // a new directory: nothing to recover
    auto log = PartitionLog::open(m_config.dataDir, topic, partition, config, state, m_clock, m_handleCache.get());
    if (!log) return log.error();
    std::shared_ptr<PartitionLog> shared = std::move(*log);
    if (m_cleaner) m_cleaner->addLog(*shared);
    m_logs[{topic, partition}] = shared;
    return shared;
}

Status LogManager::deleteLog(const std::string& topic, int32_t partition) {
    std::shared_ptr<PartitionLog> log;
    {
        std::lock_guard lock(m_logsMutex);
        auto it = m_logs.find({topic, partition});
        if (it == m_logs.end()) {
            return makeError(ErrorKind::InvalidArgument, "no log for " + topic + "-" + std::to_string(partition));
        }
        log = std::move(it->second);
        m_logs.erase(it);
    }
    // Waits for a compaction round on it to stop before its files go.
    if (m_cleaner) m_cleaner->removeLog(*log);
    return log->deleteAll();
}

std::vector<std::shared_ptr<PartitionLog>> LogManager::logs() const {
    std::lock_guard lock(m_logsMutex);
    std::vector<std::shared_ptr<PartitionLog>> out;
    for (auto& [key, log] : m_logs) out.push_back(log);
    return out;
}

void LogManager::runRetention() {
    for (const auto& log : logs()) {
        auto deleted = log->deleteOldSegments();
        if (!deleted) spdlog::error("retention of {}: {}", log->dir(), deleted.error().message);
    }
}

void LogManager::runTimedFlush() {
    for (const auto& log : logs()) {
        if (Status st = log->flushIfDue(); !st) spdlog::error("flush of {}: {}", log->dir(), st.error().message);
    }
}

Status LogManager::writeCheckpoints() {
    std::vector<TopicPartitionOffset> recovery, starts;
    for (const auto& log : logs()) {
        recovery.push_back({log->topic(), log->partition(), log->recoveryPoint()});
        starts.push_back({log->topic(), log->partition(), log->logStartOffset()});
    }
    if (Status st = writeOffsetCheckpoint(m_config.dataDir + "/" + kRecoveryPointFile, recovery); !st) return st;
    return writeOffsetCheckpoint(m_config.dataDir + "/" + kLogStartOffsetFile, starts);
}

void LogManager::startBackgroundTasks() {
    if (m_scheduler.joinable()) return;
    if (m_cleaner) m_cleaner->start();
    // Intervals count from now, not from whenever the thread gets to run.
    m_scheduler = std::thread([this, started = m_clock.nowMs()] { schedulerLoop(started); });
}

void LogManager::schedulerLoop(int64_t startedMs) {
    int64_t lastRetention = startedMs;
    int64_t lastFlush = lastRetention;
    int64_t lastCheckpoint = lastRetention;
    int64_t lastProducerExpiration = lastRetention;
    int64_t checkpointInterval =
        std::min(m_config.flushOffsetCheckpointIntervalMs, m_config.flushStartOffsetCheckpointIntervalMs);
    std::unique_lock lock(m_schedulerMutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, std::chrono::milliseconds(kSchedulerTickMs));
        if (m_stopping) break;
        lock.unlock();
        int64_t now = m_clock.nowMs();
        if (now - lastRetention >= m_config.retentionCheckIntervalMs) {
            runRetention();
            lastRetention = now;
        }
        // flush.ms is per topic; the scheduler interval bounds how often it is looked at.
        if (now - lastFlush >= std::min<int64_t>(m_config.flushSchedulerIntervalMs, 1000)) {
            runTimedFlush();
            lastFlush = now;
        }
        if (now - lastProducerExpiration >= m_config.producerIdExpirationCheckIntervalMs) {
            runProducerExpiration();
            lastProducerExpiration = now;
        }
        if (now - lastCheckpoint >= checkpointInterval) {
            if (Status st = writeCheckpoints(); !st) spdlog::error("checkpoints: {}", st.error().message);
            lastCheckpoint = now;
        }
        lock.lock();
    }
}

void LogManager::runProducerExpiration() {
    const int64_t now = m_clock.nowMs();
    size_t removed = 0;
    for (const auto& log : logs()) removed += log->expireProducers(now, m_config.producerIdExpirationMs);
    if (removed > 0) spdlog::info("producer id expiration: forgot {} producers", removed);
}

Status LogManager::shutdown() {
    {
        std::lock_guard lock(m_schedulerMutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_scheduler.joinable()) m_scheduler.join();
    if (m_cleaner) m_cleaner->stop();
    Status result;
    for (const auto& log : logs()) {
        if (Status st = log->close(); !st) {
            spdlog::error("closing {}: {}", log->dir(), st.error().message);
            result = st;
        }
    }
    if (Status st = writeCheckpoints(); !st) return st;
    if (!result) return result;  // without the marker the next start re-validates what it must
    std::string marker = m_config.dataDir + "/" + kCleanShutdownFile;
    std::ofstream(marker).flush();
    return syncDirectory(m_config.dataDir);
}

}  // namespace partita::storage
