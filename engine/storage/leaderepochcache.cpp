// LeaderEpochCache: Kafka's leader epoch rules over the leader-epoch-checkpoint file.
#include "engine/storage/leaderepochcache.h"

#include "engine/storage/checkpointfile.h"

#include <algorithm>

namespace partita::storage {

namespace {

constexpr int32_t kCheckpointVersion = 0;

// Whether (epoch, startOffset) extends `entries` under the assign rule.
bool accepts(const std::vector<EpochEntry>& entries, int32_t epoch, int64_t startOffset) {
    if (entries.empty()) return true;
    const EpochEntry& latest = entries.back();
    return epoch > latest.epoch && startOffset >= latest.startOffset;
}

void appendEntry(std::vector<EpochEntry>& entries, EpochEntry entry) {
    // An earlier epoch that starts where the new one does never got a message: it has no range left.
    while (!entries.empty() && entries.back().startOffset >= entry.startOffset) entries.pop_back();
    entries.push_back(entry);
}

}  // namespace

Result<std::unique_ptr<LeaderEpochCache>> LeaderEpochCache::open(const std::string& partitionDir) {
    std::unique_ptr<LeaderEpochCache> cache(new LeaderEpochCache(partitionDir + "/" + kFileName));
    std::vector<EpochEntry> loaded;
    Status status = checkpoint::readFile(cache->m_path, kCheckpointVersion, [&](std::string_view line) {
        auto fields = checkpoint::splitFields(line);
        EpochEntry entry{};
        if (fields.size() != 2 || !checkpoint::parseInt32(fields[0], entry.epoch) ||
            !checkpoint::parseInt64(fields[1], entry.startOffset) || entry.epoch < 0 || entry.startOffset < 0) {
            return false;
        }
        loaded.push_back(entry);
        return true;
    });
    if (!status) return status.error();
    // Replayed through the assign rule, as Kafka does, so a hand-edited file cannot break the ordering.
    for (const EpochEntry& entry : loaded) {
        if (accepts(cache->m_entries, entry.epoch, entry.startOffset)) appendEntry(cache->m_entries, entry);
    }
    return cache;
}

Status LeaderEpochCache::persistLocked(std::vector<EpochEntry> next) {
    std::vector<std::string> lines;
    lines.reserve(next.size());
    for (const EpochEntry& e : next) lines.push_back(std::to_string(e.epoch) + " " + std::to_string(e.startOffset));
    if (Status s = checkpoint::writeFile(m_path, kCheckpointVersion, lines); !s) return s;
    m_entries = std::move(next);
    return {};
}

Status LeaderEpochCache::assign(int32_t epoch, int64_t startOffset) {
    if (epoch < 0 || startOffset < 0) {
        return makeError(ErrorKind::InvalidArgument, "invalid leader epoch entry (epoch " + std::to_string(epoch) +
                                                         ", start offset " + std::to_string(startOffset) + ") for " +
                                                         m_path);
    }
    std::lock_guard lock(m_mutex);
    if (!accepts(m_entries, epoch, startOffset)) return {};
    std::vector<EpochEntry> next = m_entries;
    appendEntry(next, EpochEntry{epoch, startOffset});
    return persistLocked(std::move(next));
}

std::optional<int32_t> LeaderEpochCache::latestEpoch() const {
    std::lock_guard lock(m_mutex);
    if (m_entries.empty()) return std::nullopt;
    return m_entries.back().epoch;
}

std::optional<EpochEntry> LeaderEpochCache::latestEntry() const {
    std::lock_guard lock(m_mutex);
    if (m_entries.empty()) return std::nullopt;
    return m_entries.back();
}

std::pair<int32_t, int64_t> LeaderEpochCache::endOffsetFor(int32_t requestedEpoch, int64_t logEndOffset) const {
    std::lock_guard lock(m_mutex);
    const std::pair<int32_t, int64_t> undefined{kUndefinedEpoch, kUndefinedEpochOffset};
    // A bootstrapping follower, or one on a message format without epochs.
    if (requestedEpoch == kUndefinedEpoch) return undefined;
    // The latest epoch is still being written to: it ends at the log end.
    if (!m_entries.empty() && m_entries.back().epoch == requestedEpoch) return {requestedEpoch, logEndOffset};

    auto higher = std::upper_bound(m_entries.begin(), m_entries.end(), requestedEpoch,
                                   [](int32_t epoch, const EpochEntry& e) { return epoch < e.epoch; });
    if (higher == m_entries.end()) return undefined;
    if (higher == m_entries.begin()) {
        // Older than anything kept: those records are gone, so the follower should start where the
        // first known epoch does.
        return {requestedEpoch, higher->startOffset};
    }
    return {std::prev(higher)->epoch, higher->startOffset};
}

std::optional<int32_t> LeaderEpochCache::epochForOffset(int64_t offset) const {
    std::lock_guard lock(m_mutex);
    std::optional<int32_t> previous;
    for (const EpochEntry& e : m_entries) {
        if (e.startOffset == offset) return e.epoch;
        if (e.startOffset > offset) return previous;
        previous = e.epoch;
    }
    return previous;
}

Status LeaderEpochCache::truncateFromEnd(int64_t endOffset) {
    std::lock_guard lock(m_mutex);
    if (endOffset < 0 || m_entries.empty() || m_entries.back().startOffset < endOffset) return {};
    std::vector<EpochEntry> next = m_entries;
    while (!next.empty() && next.back().startOffset >= endOffset) next.pop_back();
    return persistLocked(std::move(next));
}

Status LeaderEpochCache::truncateFromStart(int64_t startOffset) {
    std::lock_guard lock(m_mutex);
    auto firstKept = std::find_if(m_entries.begin(), m_entries.end(),
                                  [&](const EpochEntry& e) { return e.startOffset > startOffset; });
    if (firstKept == m_entries.begin()) return {};
    EpochEntry moved{std::prev(firstKept)->epoch, startOffset};
    std::vector<EpochEntry> next;
    next.reserve(size_t(m_entries.end() - firstKept) + 1);
    next.push_back(moved);
    next.insert(next.end(), firstKept, m_entries.end());
    if (next == m_entries) return {};
    return persistLocked(std::move(next));
}

Status LeaderEpochCache::clearAndFlush() {
    std::lock_guard lock(m_mutex);
    return persistLocked({});
}

std::vector<EpochEntry> LeaderEpochCache::entries() const {
    std::lock_guard lock(m_mutex);
    return m_entries;
}

}  // namespace partita::storage
