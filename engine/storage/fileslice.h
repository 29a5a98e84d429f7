// FileSlice: a byte range of a segment file that a fetch sends to a socket without copying it.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace partita::storage {

class FileHandle;

// The slice shares the segment's open descriptor, so it stays readable while it is being sent
// even if the segment is closed, deleted by retention or replaced by compaction meanwhile.
class FileSlice {
public:
    FileSlice() = default;
    FileSlice(std::shared_ptr<const FileHandle> file, uint64_t position, uint64_t size)
        : m_file(std::move(file)), m_position(position), m_size(size) {}

    uint64_t position() const { return m_position; }
    uint64_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const std::string& path() const;
    // For a sender that hands the descriptor to the kernel (sendfile): the descriptor, and what keeps
    // it open until the send is done.
    int fd() const;
    std::shared_ptr<const void> keepAlive() const { return m_file; }

    // Plaintext path: sendfile(2) from `offset` bytes into the slice, at most maxBytes. Returns
    // the bytes sent; 0 means the socket would block (non-blocking) and the caller waits for it.
    Result<size_t> sendTo(int socketFd, uint64_t offset, size_t maxBytes) const;
    // TLS and in-process path: the bytes, read with one pread into one buffer.
    Result<Bytes> read() const;
    // The same into the caller's buffer (at least size() bytes), for readers that reuse one.
    Status readInto(std::span<uint8_t> out) const;

private:
    std::shared_ptr<const FileHandle> m_file;
    uint64_t m_position = 0;
    uint64_t m_size = 0;
};

}  // namespace partita::storage
