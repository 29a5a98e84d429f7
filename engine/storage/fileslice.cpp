// Sending and reading a slice of a segment file.
#include "engine/storage/fileslice.h"

#include "engine/storage/filehandle.h"

#include <sys/sendfile.h>
#include <algorithm>
#include <cerrno>
#include <memory>

namespace partita::storage {

const std::string& FileSlice::path() const {
    static const std::string none;
    return m_file ? m_file->path() : none;
}

int FileSlice::fd() const {
    return m_file ? m_file->fd() : -1;
}

Result<size_t> FileSlice::sendTo(int socketFd, uint64_t offset, size_t maxBytes) const {
    if (offset >= m_size) return size_t(0);
    off_t from = off_t(m_position + offset);
    size_t count = size_t(std::min<uint64_t>(maxBytes, m_size - offset));
    for (;;) {
        ssize_t n = ::sendfile(socketFd, m_file->fd(), &from, count);
        if (n >= 0) return size_t(n);
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return size_t(0);
        return fileError("cannot send", m_file->path(), errno);
    }
}

Status FileSlice::readInto(std::span<uint8_t> out) const {
    if (out.size() < m_size) return makeError(ErrorKind::InvalidArgument, "buffer smaller than the slice");
    if (m_size == 0) return {};
    return m_file->readAt(m_position, out.first(m_size));
}

Result<Bytes> FileSlice::read() const {
    if (m_size == 0) return Bytes();
    // Not zero-filled first: every byte is overwritten by the read.
    auto buffer = std::make_shared_for_overwrite<uint8_t[]>(m_size);
    if (Status st = m_file->readAt(m_position, std::span(buffer.get(), m_size)); !st) return st.error();
    const uint8_t* data = buffer.get();
    return Bytes(std::move(buffer), data, m_size);
}

}  // namespace partita::storage
