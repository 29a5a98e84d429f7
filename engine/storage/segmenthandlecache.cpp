// Closing the longest-open inactive segments when too many are open.
#include "engine/storage/segmenthandlecache.h"

#include "engine/storage/logsegment.h"

#include <sys/resource.h>
#include <algorithm>
#include <vector>

namespace partita::storage {

void SegmentHandleCache::opened(const std::shared_ptr<LogSegment>& segment) {
    std::vector<std::shared_ptr<LogSegment>> toClose;
    {
        std::lock_guard lock(m_mutex);
        m_open.push_back(segment);
        while (m_open.size() > m_max) {
            if (auto victim = m_open.front().lock()) toClose.push_back(std::move(victim));
            m_open.pop_front();
        }
    }
    // Outside the cache lock: closing waits for the segment's readers.
    for (auto& victim : toClose) victim->closeHandles();
}

size_t SegmentHandleCache::openCount() const {
    std::lock_guard lock(m_mutex);
    return m_open.size();
}

size_t SegmentHandleCache::defaultLimit() {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
    return std::max<size_t>(16, size_t(limit.rlim_cur) / 4);
}

}  // namespace partita::storage
