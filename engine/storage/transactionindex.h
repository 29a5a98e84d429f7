// TransactionIndex: a segment's .txnindex file of aborted transactions, as Kafka lays it out.
#pragma once

#include "engine/protocol/result.h"
#include "engine/storage/filehandle.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace partita::storage {

// One aborted transaction whose ABORT marker is in this segment. lastStableOffset is the LSO when
// the marker was written: a fetch below it may also need earlier segments' entries.
struct AbortedTxn {
    int64_t producerId;
    int64_t firstOffset;
    int64_t lastOffset;
    int64_t lastStableOffset;

    bool operator==(const AbortedTxn&) const = default;
};

// Entries of 34 bytes, big-endian: int16 version (0), int64 producer id, int64 first offset,
// int64 last offset, int64 last stable offset. Unlike the offset and time indexes the file is not
// preallocated, and it only comes into existence with its first entry. Thread-safe.
class TransactionIndex {
public:
    static constexpr size_t kEntrySize = 34;
    static constexpr int16_t kVersion = 0;

    // Opens path if it exists and checks it (size, versions, entries within the segment); a
    // damaged file is ErrorKind::Corrupt naming file and byte position.
    static Result<std::unique_ptr<TransactionIndex>> open(const std::string& path, int64_t baseOffset);

    // lastOffset must be above the previous entry's (InvalidArgument otherwise).
    Status append(const AbortedTxn& txn);
    // The aborted transactions overlapping [fetchOffset, upperBoundOffset), in file order. When
    // searchComplete is given it is set if an entry's lastStableOffset reaches upperBoundOffset:
    // then no earlier segment can hold a transaction still open inside the range (Kafka's
    // TxnIndexSearchResult.isComplete).
    Result<std::vector<AbortedTxn>> collectAbortedTxns(int64_t fetchOffset, int64_t upperBoundOffset,
                                                       bool* searchComplete = nullptr) const;
    Result<std::vector<AbortedTxn>> allAbortedTxns() const;
    // Drops the entries with lastOffset >= offset.
    Status truncateTo(int64_t offset);
    // Drops every entry (the file stays, empty).
    Status reset();
    Status flush();
    // Releases the descriptor; a later call opens the file again.
    Status close();
    Status deleteFile();
    // Moves the file if it exists; the index uses newPath from now on either way.
    Status renameTo(const std::string& newPath);

    const std::string& path() const { return m_path; }
    int64_t baseOffset() const { return m_baseOffset; }

private:
    TransactionIndex(std::string path, int64_t baseOffset) : m_path(std::move(path)), m_baseOffset(baseOffset) {}
    // Opens the file if it exists (or create is set); false when there is no file.
    Result<bool> ensureOpenLocked(bool create) const;
    Result<std::vector<AbortedTxn>> readAllLocked() const;

    mutable std::mutex m_mutex;
    std::string m_path;
    const int64_t m_baseOffset;
    // Opened lazily (the file may not exist yet, or close() released it), also by const readers.
    mutable FileHandle m_file;
    mutable uint64_t m_size = 0;
    std::optional<int64_t> m_lastOffset;
    mutable bool m_createdUnsynced = false;  // the file's name is not yet durable in its directory
};

}  // namespace partita::storage
