// SegmentHandleCache: bounds how many inactive segments keep their files open at once.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

namespace partita::storage {

class LogSegment;

// A broker with thousands of partitions must not run out of descriptors: inactive segments open
// their files on demand and register here; past the limit the longest-open one is closed (it
// reopens on its next read). Active segments are never closed.
class SegmentHandleCache {
public:
    explicit SegmentHandleCache(size_t maxOpenSegments) : m_max(maxOpenSegments) {}

    void opened(const std::shared_ptr<LogSegment>& segment);
    size_t openCount() const;
    // A limit that leaves room for sockets: a quarter of RLIMIT_NOFILE, at least 16.
    static size_t defaultLimit();

private:
    mutable std::mutex m_mutex;
    std::deque<std::weak_ptr<LogSegment>> m_open;  // oldest first
    size_t m_max;
};

}  // namespace partita::storage
