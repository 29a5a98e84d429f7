// Positioned file I/O with errors that name the file.
#include "engine/storage/filehandle.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <string>

namespace partita::storage {

Error fileError(const char* what, const std::string& path, int err) {
    // ENOSPC, EFBIG, EDQUOT and EIO all mean the write did not happen: a storage error.
    return makeError(ErrorKind::Io, std::string(what) + " " + path + ": " + std::strerror(err));
}

Result<FileHandle> FileHandle::open(const std::string& path, Mode mode) {
    int flags = O_CLOEXEC;
    switch (mode) {
        case Mode::ReadOnly:
            flags |= O_RDONLY;
            break;
        case Mode::ReadWrite:
            flags |= O_RDWR;
            break;
        case Mode::CreateReadWrite:
            flags |= O_RDWR | O_CREAT;
            break;
    }
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) return fileError("cannot open", path, errno);
    return FileHandle(fd, path);
}

FileHandle::FileHandle(FileHandle&& other) noexcept : m_fd(other.m_fd), m_path(std::move(other.m_path)) {
    other.m_fd = -1;
}

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
    if (this != &other) {
        close();
        m_fd = other.m_fd;
        m_path = std::move(other.m_path);
        other.m_fd = -1;
    }
    return *this;
}

FileHandle::~FileHandle() {
    close();
}

void FileHandle::close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

Error FileHandle::ioError(const char* what, int err) const {
    return fileError(what, m_path, err);
}

Result<uint64_t> FileHandle::size() const {
    struct stat st {};
    if (::fstat(m_fd, &st) != 0) return ioError("cannot stat", errno);
    return uint64_t(st.st_size);
}

Status FileHandle::writeAt(uint64_t position, std::span<const uint8_t> data) const {
    while (!data.empty()) {
        ssize_t n = ::pwrite(m_fd, data.data(), data.size(), off_t(position));
        if (n < 0) {
            if (errno == EINTR) continue;
            return ioError("cannot write", errno);
        }
        if (n == 0) return ioError("cannot write", EIO);
        data = data.subspan(size_t(n));
        position += uint64_t(n);
    }
    return {};
}

Status FileHandle::readAt(uint64_t position, std::span<uint8_t> out) const {
    while (!out.empty()) {
        ssize_t n = ::pread(m_fd, out.data(), out.size(), off_t(position));
        if (n < 0) {
            if (errno == EINTR) continue;
            return ioError("cannot read", errno);
        }
        if (n == 0) {
            return makeError(ErrorKind::Truncated,
                             "unexpected end of " + m_path + " at byte " + std::to_string(position));
        }
        out = out.subspan(size_t(n));
        position += uint64_t(n);
    }
    return {};
}

Status FileHandle::truncate(uint64_t size) const {
    while (::ftruncate(m_fd, off_t(size)) != 0) {
        if (errno != EINTR) return ioError("cannot truncate", errno);
    }
    return {};
}

Status FileHandle::allocate(uint64_t size) const {
    int err = ::posix_fallocate(m_fd, 0, off_t(size));
    // Filesystems without fallocate (some tmpfs versions) still work, only without the reservation.
    if (err == EOPNOTSUPP || err == EINVAL) return truncate(size);
    if (err != 0) return ioError("cannot allocate", err);
    return {};
}

Status FileHandle::dataSync() const {
    if (::fdatasync(m_fd) != 0) return ioError("cannot sync", errno);
    return {};
}

Status FileHandle::rename(const std::string& newPath) {
    if (::rename(m_path.c_str(), newPath.c_str()) != 0) return ioError("cannot rename", errno);
    m_path = newPath;
    return {};
}

Status writeFileAtomically(const std::string& path, std::span<const uint8_t> bytes) {
    const std::string tmpPath = path + ".tmp";
    Status written = [&]() -> Status {
        auto file = FileHandle::open(tmpPath, FileHandle::Mode::CreateReadWrite);
        if (!file) return file.error();
        // A .tmp left by a crash may be longer than what is written now.
        if (Status st = file->truncate(0); !st) return st;
        if (Status st = file->writeAt(0, bytes); !st) return st;
        if (Status st = file->dataSync(); !st) return st;
        return file->rename(path);
    }();
    if (!written) {
        ::unlink(tmpPath.c_str());
        return written;
    }
    size_t slash = path.rfind('/');
    return syncDirectory(slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash));
}

Status syncDirectory(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return fileError("cannot open directory", path, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return fileError("cannot sync directory", path, err);
    return {};
}

}  // namespace partita::storage
