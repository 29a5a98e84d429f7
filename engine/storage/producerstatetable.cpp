// ProducerStateTable: producer entries updated per batch, and Kafka's producer snapshot files.
#include "engine/storage/producerstatetable.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/crc32c.h"
#include "engine/storage/filehandle.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <limits>

namespace partita::storage {

namespace rec = partita::protocol::records;

namespace {

constexpr const char* kSuffix = ".snapshot";
constexpr size_t kSuffixLength = 9;
constexpr size_t kOffsetDigits = 20;
constexpr size_t kCrcOffset = 2;
constexpr size_t kEntriesOffset = 6;  // the CRC covers the count and the entries

// A <20 digits>.snapshot name; .tmp leftovers and anything else are not snapshots.
std::optional<int64_t> parseSnapshotName(std::string_view name) {
    if (name.size() != kOffsetDigits + kSuffixLength || !name.ends_with(kSuffix)) return std::nullopt;
    std::string_view digits = name.substr(0, kOffsetDigits);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    int64_t offset = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
    return offset;
}

std::vector<uint8_t> encodeSnapshot(const std::map<int64_t, ProducerEntry>& producers) {
    std::vector<uint8_t> bytes(ProducerStateTable::kHeaderSize + producers.size() * ProducerStateTable::kEntrySize);
    uint8_t* p = bytes.data();
    rec::storeBe16(p, uint16_t(ProducerStateTable::kSnapshotVersion));
    rec::storeBe32(p + kEntriesOffset, uint32_t(producers.size()));
    p += ProducerStateTable::kHeaderSize;
    for (const auto& [id, e] : producers) {
        rec::storeBe64(p, uint64_t(e.producerId));
        rec::storeBe16(p + 8, uint16_t(e.epoch));
        rec::storeBe32(p + 10, uint32_t(e.lastSequence));
        rec::storeBe64(p + 14, uint64_t(e.lastOffset));
        rec::storeBe32(p + 22, uint32_t(e.offsetDelta));
        rec::storeBe64(p + 26, uint64_t(e.lastTimestamp));
        rec::storeBe32(p + 34, uint32_t(e.coordinatorEpoch));
        rec::storeBe64(p + 38, uint64_t(e.currentTxnFirstOffset));
        p += ProducerStateTable::kEntrySize;
    }
    uint32_t crc = rec::crc32c(std::span<const uint8_t>(bytes).subspan(kEntriesOffset));
    rec::storeBe32(bytes.data() + kCrcOffset, crc);
    return bytes;
}

Error corruptSnapshot(const std::string& path, const std::string& what) {
    return makeError(ErrorKind::Corrupt, "producer snapshot " + path + " is corrupt: " + what);
}

// Corrupt for anything wrong with the contents, Io if the file could not be read.
Result<std::vector<ProducerEntry>> readSnapshot(const std::string& path) {
    auto file = FileHandle::open(path, FileHandle::Mode::ReadOnly);
    if (!file) return file.error();
    auto size = file->size();
    if (!size) return size.error();
    if (*size < ProducerStateTable::kHeaderSize) {
        return corruptSnapshot(path, "only " + std::to_string(*size) + " bytes, shorter than the header");
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(*size));
    if (Status s = file->readAt(0, bytes); !s) return s.error();

    int16_t version = rec::loadBeI16(bytes.data());
    if (version != ProducerStateTable::kSnapshotVersion) {
        return corruptSnapshot(path, "unknown version " + std::to_string(version) + " at byte 0");
    }
    uint32_t stored = rec::loadBe32(bytes.data() + kCrcOffset);
    uint32_t computed = rec::crc32c(std::span<const uint8_t>(bytes).subspan(kEntriesOffset));
    if (stored != computed) {
        return corruptSnapshot(
            path, "CRC mismatch (stored " + std::to_string(stored) + ", computed " + std::to_string(computed) + ")");
    }
    int32_t count = rec::loadBeI32(bytes.data() + kEntriesOffset);
    if (count < 0 ||
        uint64_t(count) * ProducerStateTable::kEntrySize != bytes.size() - ProducerStateTable::kHeaderSize) {
        return corruptSnapshot(path, "entry count " + std::to_string(count) + " does not match the file size " +
                                         std::to_string(bytes.size()));
    }
    std::vector<ProducerEntry> entries;
    entries.reserve(size_t(count));
    for (const uint8_t* p = bytes.data() + ProducerStateTable::kHeaderSize; p < bytes.data() + bytes.size();
         p += ProducerStateTable::kEntrySize) {
        entries.push_back(ProducerEntry{rec::loadBeI64(p), rec::loadBeI16(p + 8), rec::loadBeI32(p + 10),
                                        rec::loadBeI64(p + 14), rec::loadBeI32(p + 22), rec::loadBeI64(p + 26),
                                        rec::loadBeI32(p + 34), rec::loadBeI64(p + 38)});
    }
    return entries;
}

Status deleteSnapshots(const std::string& partitionDir, bool (*doomed)(int64_t, int64_t), int64_t offset) {
    bool deleted = false;
    for (int64_t snapshot : ProducerStateTable::listSnapshotOffsets(partitionDir)) {
        if (!doomed(snapshot, offset)) continue;
        std::string path = ProducerStateTable::snapshotPath(partitionDir, snapshot);
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fileError("cannot delete", path, errno);
        deleted = true;
    }
    return deleted ? syncDirectory(partitionDir) : Status{};
}

}  // namespace

std::optional<int64_t> ProducerStateTable::onBatch(int64_t producerId, int16_t epoch, int32_t baseSequence,
                                                   int32_t lastSequence, int64_t firstOffset, int64_t lastOffset,
                                                   int64_t maxTimestamp, bool transactional, bool control) {
    auto [it, inserted] = m_producers.try_emplace(producerId, ProducerEntry{producerId, epoch, -1, -1, 0, -1, -1, -1});
    ProducerEntry& entry = it->second;
    auto& recent = m_recentBatches[producerId];
    if (!inserted && entry.epoch != epoch) {
        // A new epoch restarts sequences at 0: the old epoch's last batch says nothing about the new one.
        entry.epoch = epoch;
        entry.lastSequence = -1;
        entry.lastOffset = -1;
        entry.offsetDelta = 0;
        recent.clear();
    }
    if (!control) {
        recent.push_back({baseSequence, lastSequence, firstOffset, lastOffset, maxTimestamp});
        if (recent.size() > kRecentBatches) recent.pop_front();
    }
    entry.lastTimestamp = maxTimestamp;
    std::optional<int64_t> closed;
    if (control) {
        // A COMMIT or ABORT marker: it ends the transaction and carries no producer sequence.
        if (entry.currentTxnFirstOffset >= 0) closed = entry.currentTxnFirstOffset;
        entry.currentTxnFirstOffset = -1;
    } else {
        entry.lastSequence = lastSequence;
        entry.lastOffset = lastOffset;
        entry.offsetDelta = int32_t(lastOffset - firstOffset);
        if (transactional && entry.currentTxnFirstOffset < 0) entry.currentTxnFirstOffset = firstOffset;
    }
    m_mapEndOffset = std::max(m_mapEndOffset, lastOffset + 1);
    return closed;
}

std::optional<int64_t> ProducerStateTable::firstUnstableOffset() const {
    std::optional<int64_t> first;
    for (const auto& [id, entry] : m_producers) {
        if (entry.currentTxnFirstOffset >= 0 && (!first || entry.currentTxnFirstOffset < *first)) {
            first = entry.currentTxnFirstOffset;
        }
    }
    return first;
}

Status ProducerStateTable::checkSequence(int64_t producerId, int16_t epoch, int32_t firstSequence) const {
    auto it = m_producers.find(producerId);
    if (it == m_producers.end()) return {};
    const ProducerEntry& entry = it->second;
    if (epoch < entry.epoch) {
        return makeError(ErrorKind::StaleProducerEpoch,
                         "producer " + std::to_string(producerId) + " sent epoch " + std::to_string(epoch) +
                             ", older than the last seen epoch " + std::to_string(entry.epoch));
    }
    if (epoch != entry.epoch) {
        if (firstSequence == 0) return {};
        return makeError(ErrorKind::OutOfOrderSequence, "producer " + std::to_string(producerId) + " starts epoch " +
                                                            std::to_string(epoch) + " at sequence " +
                                                            std::to_string(firstSequence) + " instead of 0");
    }
    const int32_t last = entry.lastSequence;
    const bool inSequence = int64_t(firstSequence) == int64_t(last) + 1 ||
                            (firstSequence == 0 && last == std::numeric_limits<int32_t>::max());
    if (inSequence) return {};
    return makeError(ErrorKind::OutOfOrderSequence,
                     "producer " + std::to_string(producerId) + " epoch " + std::to_string(epoch) + ": sequence " +
                         std::to_string(firstSequence) + " does not follow " + std::to_string(last));
}

std::optional<RecentBatch> ProducerStateTable::findDuplicate(int64_t producerId, int16_t epoch, int32_t firstSequence,
                                                             int32_t lastSequence) const {
    auto entry = m_producers.find(producerId);
    auto recent = m_recentBatches.find(producerId);
    if (entry == m_producers.end() || recent == m_recentBatches.end() || entry->second.epoch != epoch) {
        return std::nullopt;
    }
    for (const RecentBatch& batch : recent->second) {
        if (batch.firstSequence == firstSequence && batch.lastSequence == lastSequence) return batch;
    }
    return std::nullopt;
}

void ProducerStateTable::setCoordinatorEpoch(int64_t producerId, int32_t coordinatorEpoch) {
    auto it = m_producers.find(producerId);
    if (it != m_producers.end()) it->second.coordinatorEpoch = coordinatorEpoch;
}

std::optional<ProducerEntry> ProducerStateTable::find(int64_t producerId) const {
    auto it = m_producers.find(producerId);
    if (it == m_producers.end()) return std::nullopt;
    return it->second;
}

std::vector<ProducerEntry> ProducerStateTable::entries() const {
    std::vector<ProducerEntry> result;
    result.reserve(m_producers.size());
    for (const auto& [id, entry] : m_producers) result.push_back(entry);
    return result;
}

size_t ProducerStateTable::removeExpired(int64_t nowMs, int64_t expirationMs) {
    size_t removed = 0;
    for (auto it = m_producers.begin(); it != m_producers.end();) {
        const ProducerEntry& entry = it->second;
        if (entry.currentTxnFirstOffset < 0 && nowMs - entry.lastTimestamp >= expirationMs) {
            m_recentBatches.erase(it->first);
            it = m_producers.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    return removed;
}

void ProducerStateTable::clear() {
    m_producers.clear();
    m_recentBatches.clear();
    m_mapEndOffset = 0;
}

std::string ProducerStateTable::snapshotPath(const std::string& partitionDir, int64_t offset) {
    char name[32];
    std::snprintf(name, sizeof name, "%020lld", static_cast<long long>(offset));
    return partitionDir + "/" + name + kSuffix;
}

Status ProducerStateTable::takeSnapshot(const std::string& partitionDir, int64_t offset) const {
    if (offset < 0) {
        return makeError(ErrorKind::InvalidArgument, "negative producer snapshot offset " + std::to_string(offset));
    }
    const std::string path = snapshotPath(partitionDir, offset);
    return writeFileAtomically(path, encodeSnapshot(m_producers));
}

Result<std::optional<int64_t>> ProducerStateTable::loadLatestSnapshot(const std::string& partitionDir,
                                                                      int64_t maxOffset,
                                                                      std::vector<Error>* discarded) {
    clear();
    std::vector<int64_t> offsets = listSnapshotOffsets(partitionDir);
    for (auto it = offsets.rbegin(); it != offsets.rend(); ++it) {
        if (*it > maxOffset) continue;
        const std::string path = snapshotPath(partitionDir, *it);
        auto loaded = readSnapshot(path);
        if (!loaded) {
            if (loaded.error().kind != ErrorKind::Corrupt) return loaded.error();
            // Kafka's rule: a snapshot that fails its checks is removed and the next older one used;
            // the log replays the rest, so only time is lost.
            if (discarded) discarded->push_back(loaded.error());
            if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fileError("cannot delete", path, errno);
            if (Status s = syncDirectory(partitionDir); !s) return s.error();
            continue;
        }
        for (const ProducerEntry& entry : *loaded) {
            m_producers[entry.producerId] = entry;
            // The snapshot holds the last batch only: a retry of it is still recognised.
            if (entry.lastSequence >= 0 && entry.lastOffset >= 0) {
                m_recentBatches[entry.producerId].push_back({entry.lastSequence - entry.offsetDelta, entry.lastSequence,
                                                             entry.lastOffset - entry.offsetDelta, entry.lastOffset,
                                                             entry.lastTimestamp});
            }
        }
        m_mapEndOffset = *it;
        return std::optional<int64_t>(*it);
    }
    return std::optional<int64_t>();
}

std::vector<int64_t> ProducerStateTable::listSnapshotOffsets(const std::string& partitionDir) {
    std::vector<int64_t> offsets;
    DIR* dir = ::opendir(partitionDir.c_str());
    if (!dir) return offsets;
    while (const dirent* ent = ::readdir(dir)) {
        if (auto offset = parseSnapshotName(ent->d_name)) offsets.push_back(*offset);
    }
    ::closedir(dir);
    std::sort(offsets.begin(), offsets.end());
    return offsets;
}

Status ProducerStateTable::deleteSnapshotsBelow(const std::string& partitionDir, int64_t offset) {
    return deleteSnapshots(
        partitionDir, [](int64_t snapshot, int64_t limit) { return snapshot < limit; }, offset);
}

Status ProducerStateTable::deleteSnapshotsFrom(const std::string& partitionDir, int64_t offset) {
    return deleteSnapshots(
        partitionDir, [](int64_t snapshot, int64_t limit) { return snapshot >= limit; }, offset);
}

}  // namespace partita::storage
