// FileHandle: one open file descriptor with the positioned, all-or-error I/O the storage layer needs.
#pragma once

#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace partita::storage {

// Errors name the file, so a corrupt or failing segment can be found on disk.
class FileHandle {
public:
    enum class Mode { ReadOnly, ReadWrite, CreateReadWrite };

    static Result<FileHandle> open(const std::string& path, Mode mode);
    FileHandle() = default;
    FileHandle(FileHandle&& other) noexcept;
    FileHandle& operator=(FileHandle&& other) noexcept;
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
    ~FileHandle();

    int fd() const { return m_fd; }
    const std::string& path() const { return m_path; }
    bool isOpen() const { return m_fd >= 0; }

    Result<uint64_t> size() const;
    // Writes all of data at position or fails; a short write is reported as an error.
    Status writeAt(uint64_t position, std::span<const uint8_t> data) const;
    // Reads exactly out.size() bytes at position; fewer available is Truncated.
    Status readAt(uint64_t position, std::span<uint8_t> out) const;
    Status truncate(uint64_t size) const;
    // Reserves space so later writes cannot fail for lack of blocks (index preallocation).
    Status allocate(uint64_t size) const;
    Status dataSync() const;
    void close();

    // Renames (and keeps the handle: an open descriptor follows its file).
    Status rename(const std::string& newPath);

private:
    FileHandle(int fd, std::string path) : m_fd(fd), m_path(std::move(path)) {}
    Error ioError(const char* what, int err) const;

    int m_fd = -1;
    std::string m_path;
};

// "<what> <path>: <strerror>", the one format of storage I/O errors.
Error fileError(const char* what, const std::string& path, int err);
// Replaces `path` with `bytes` so that a crash leaves the old file or the new one, never a mix:
// written to "<path>.tmp", synced, renamed over `path`, and the directory synced.
Status writeFileAtomically(const std::string& path, std::span<const uint8_t> bytes);
// fsync of a directory, so new, renamed and deleted names in it survive a crash.
Status syncDirectory(const std::string& path);

}  // namespace partita::storage
