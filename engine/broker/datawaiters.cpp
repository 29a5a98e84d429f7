// Waking waiting fetches when records arrive.
#include "engine/broker/datawaiters.h"

#include <boost/asio.hpp>

namespace partita::broker {

namespace asio = boost::asio;

asio::awaitable<void> DataWaiters::waitUntil(std::chrono::steady_clock::time_point deadline) {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, deadline);
    std::list<std::shared_ptr<asio::steady_timer>>::iterator entry;
    {
        std::lock_guard lock(m_mutex);
        entry = m_waiting.insert(m_waiting.end(), timer);
    }
    // Cancelled (new data) or expired (deadline): either way the fetch reads again.
    (void)co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    std::lock_guard lock(m_mutex);
    m_waiting.erase(entry);
}

void DataWaiters::notifyAll() {
    std::lock_guard lock(m_mutex);
    for (auto& timer : m_waiting) {
        // Cancelled on its own executor: timers are not thread-safe.
        asio::post(timer->get_executor(), [timer] { timer->cancel(); });
    }
}

}  // namespace partita::broker
