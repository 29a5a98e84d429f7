// Producer ids from persisted blocks.
#include "engine/coordinator/produceridmanager.h"

namespace partita::coordinator {

Result<int64_t> ProducerIdManager::next() {
    std::lock_guard lock(m_mutex);
    if (m_next == m_end) {
        auto first = m_allocator(kBlockSize);
        if (!first) return first.error();
        m_next = *first;
        m_end = *first + kBlockSize;
    }
    return m_next++;
}

}  // namespace partita::coordinator
