// MappedIndex: a memory-mapped file of fixed-size entries, preallocated while written, trimmed when done.
#pragma once

#include "engine/protocol/result.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace partita::storage {

// The shared mechanics of the .index and .timeindex files. A writable index (the active
// segment's) is mapped at its maximum size so appends never remap; readers may search it
// concurrently with one appender: an entry is written before the count that publishes it.
// An index opened read-only is mapped at its file size (it was trimmed when its segment rolled).
class MappedIndex {
public:
    MappedIndex(const MappedIndex&) = delete;
    MappedIndex& operator=(const MappedIndex&) = delete;
    ~MappedIndex();

    const std::string& path() const { return m_path; }
    int64_t baseOffset() const { return m_baseOffset; }
    size_t entries() const { return m_entries.load(std::memory_order_acquire); }
    size_t maxEntries() const { return m_maxEntries; }
    bool isFull() const { return entries() >= m_maxEntries; }
    bool isWritable() const { return m_writable; }
    // Bytes the index holds (entries, not the preallocated space).
    uint64_t sizeInBytes() const { return uint64_t(entries()) * m_entrySize; }

    // Drops every entry (recovery rebuilds the index from the log).
    void reset();
    // Keeps the first `entries` entries.
    void truncateToEntries(size_t entries);
    // Cuts the file to its entries: on roll and on close, so a finished index holds no zeros.
    Status trimToValidSize();
    // Writes dirty mapped pages to disk.
    Status flush();
    // Releases the mapping (and trims a writable index first).
    Status close();
    // Renames the file (compaction's .cleaned -> .swap -> final names).
    Status renameTo(const std::string& newPath);
    Status deleteFile();

protected:
    MappedIndex(std::string path, int64_t baseOffset, size_t entrySize);
    // Maps the file: writable => created if missing, preallocated to maxIndexBytes (rounded down to
    // whole entries) and entries = what the file held before; read-only => mapped at its size.
    Status open(bool writable, int32_t maxIndexBytes, bool preallocate);

    const uint8_t* entryAt(size_t slot) const { return m_data + slot * m_entrySize; }
    uint8_t* appendSlot() { return m_data + entries() * m_entrySize; }
    void publishAppend() { m_entries.store(entries() + 1, std::memory_order_release); }

private:
    std::string m_path;
    int64_t m_baseOffset;
    size_t m_entrySize;
    int m_fd = -1;
    uint8_t* m_data = nullptr;
    size_t m_mappedBytes = 0;
    size_t m_maxEntries = 0;
    std::atomic<size_t> m_entries{0};
    bool m_writable = false;
};

}  // namespace partita::storage
