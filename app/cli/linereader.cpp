// LineReader: splits a file descriptor's bytes into lines, reading in large blocks.
#include "linereader.h"

#include "stopsignal.h"

#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace partita::cli {

LineReader::LineReader(int fd, char delimiter, size_t blockSize)
    : m_fd(fd), m_delimiter(delimiter), m_blockSize(blockSize), m_buffer(blockSize) {}

bool LineReader::next(std::string_view& line) {
    for (;;) {
        const char* start = m_buffer.data() + m_begin;
        const size_t available = m_end - m_begin;
        if (m_scanned < available) {
            const void* found = std::memchr(start + m_scanned, m_delimiter, available - m_scanned);
            if (found != nullptr) {
                const size_t length = static_cast<const char*>(found) - start;
                line = std::string_view(start, length);
                m_begin += length + 1;
                m_scanned = 0;
                return true;
            }
            m_scanned = available;
        }
        if (m_eof) {
            if (available == 0) return false;
            line = std::string_view(start, available);
            m_begin = m_end;
            m_scanned = 0;
            return true;
        }
        if (!fill()) m_eof = true;
    }
}

bool LineReader::fill() {
    // Keep the partial line, moved to the front; grow only for a line longer than the buffer.
    if (m_begin > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_buffer.size() - m_end < m_blockSize / 2) m_buffer.resize(m_buffer.size() * 2);
    for (;;) {
        const ssize_t n = ::read(m_fd, m_buffer.data() + m_end, m_buffer.size() - m_end);
        if (n > 0) {
            m_end += size_t(n);
            return true;
        }
        if (n == 0) return false;
        if (errno == EINTR) {
            if (stopRequested()) return false;
            continue;
        }
        m_error = std::string("cannot read the input: ") + std::strerror(errno);
        return false;
    }
}

}  // namespace partita::cli
