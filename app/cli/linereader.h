// LineReader: splits a file descriptor's bytes into lines, reading in large blocks (produce's stdin).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace partita::cli {

class LineReader {
public:
    explicit LineReader(int fd, char delimiter = '\n', size_t blockSize = size_t(1) << 20);

    // The next line without its delimiter, valid until the next call. A last line without a
    // delimiter counts; false at the end of input, on a read error (error()) or after a stop
    // signal interrupted a read.
    bool next(std::string_view& line);
    const std::optional<std::string>& error() const { return m_error; }

private:
    bool fill();

    int m_fd;
    char m_delimiter;
    size_t m_blockSize;
    std::vector<char> m_buffer;
    size_t m_begin = 0;
    size_t m_end = 0;
    size_t m_scanned = 0;  // bytes after m_begin already searched for a delimiter
    bool m_eof = false;
    std::optional<std::string> m_error;
};

}  // namespace partita::cli
