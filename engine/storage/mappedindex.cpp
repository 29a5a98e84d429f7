// Mapping, trimming and flushing the fixed-entry index files.
#include "engine/storage/mappedindex.h"

#include "engine/storage/filehandle.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>

namespace partita::storage {

MappedIndex::MappedIndex(std::string path, int64_t baseOffset, size_t entrySize)
    : m_path(std::move(path)), m_baseOffset(baseOffset), m_entrySize(entrySize) {}

MappedIndex::~MappedIndex() {
    (void)close();
}

Status MappedIndex::open(bool writable, int32_t maxIndexBytes, bool preallocate) {
    m_writable = writable;
    m_fd = ::open(m_path.c_str(), (writable ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC, 0644);
    if (m_fd < 0) return fileError("cannot open", m_path, errno);
    struct stat st {};
    if (::fstat(m_fd, &st) != 0) return fileError("cannot stat", m_path, errno);
    size_t fileBytes = size_t(st.st_size);
    size_t held = fileBytes / m_entrySize;
    size_t mapBytes = fileBytes - fileBytes % m_entrySize;
    if (writable) {
        size_t maxBytes = size_t(std::max(maxIndexBytes, 0)) / m_entrySize * m_entrySize;
        mapBytes = std::max(maxBytes, held * m_entrySize);
        if (mapBytes != fileBytes) {
            int rc = preallocate ? ::posix_fallocate(m_fd, 0, off_t(mapBytes)) : ::ftruncate(m_fd, off_t(mapBytes));
            if (rc != 0 && ::ftruncate(m_fd, off_t(mapBytes)) != 0) return fileError("cannot size", m_path, errno);
        }
    }
    m_maxEntries = mapBytes / m_entrySize;
    if (mapBytes > 0) {
        void* p = ::mmap(nullptr, mapBytes, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, m_fd, 0);
        if (p == MAP_FAILED) return fileError("cannot map", m_path, errno);
        m_data = static_cast<uint8_t*>(p);
        m_mappedBytes = mapBytes;
    }
    m_entries.store(held, std::memory_order_release);
    return {};
}

void MappedIndex::reset() {
    m_entries.store(0, std::memory_order_release);
}

void MappedIndex::truncateToEntries(size_t entries) {
    if (entries < this->entries()) m_entries.store(entries, std::memory_order_release);
}

Status MappedIndex::trimToValidSize() {
    if (m_fd < 0 || !m_writable) return {};
    // The mapping stays as it is: only bytes past the last entry become unbacked, and nothing
    // reads there. Remapping here could pull the pages from under a concurrent reader.
    if (::ftruncate(m_fd, off_t(sizeInBytes())) != 0) return fileError("cannot trim", m_path, errno);
    m_maxEntries = entries();
    return {};
}

Status MappedIndex::flush() {
    if (m_data && m_writable && ::msync(m_data, m_mappedBytes, MS_SYNC) != 0) {
        return fileError("cannot flush", m_path, errno);
    }
    return {};
}

Status MappedIndex::close() {
    Status st = trimToValidSize();
    if (m_data) ::munmap(m_data, m_mappedBytes);
    m_data = nullptr;
    m_mappedBytes = 0;
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    return st;
}

Status MappedIndex::renameTo(const std::string& newPath) {
    if (::rename(m_path.c_str(), newPath.c_str()) != 0 && errno != ENOENT) {
        return fileError("cannot rename", m_path, errno);
    }
    m_path = newPath;
    return {};
}

Status MappedIndex::deleteFile() {
    if (::unlink(m_path.c_str()) != 0 && errno != ENOENT) return fileError("cannot delete", m_path, errno);
    return {};
}

}  // namespace partita::storage
