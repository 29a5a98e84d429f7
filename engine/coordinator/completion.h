// Completion<T>: a value one side sets later (a finished rebalance) and a coroutine awaits.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace partita::coordinator {

// A JoinGroup or SyncGroup answer is known only when the rebalance completes, on whatever
// thread completes it. The waiting request sleeps on a timer of its own executor; complete()
// stores the value and cancels that timer there (timers are not thread-safe). The first value
// wins; later ones are dropped.
template <class T>
class Completion {
public:
    bool isComplete() const {
        std::lock_guard lock(m_mutex);
        return m_value.has_value();
    }

    void complete(T value) {
        std::lock_guard lock(m_mutex);
        if (m_value) return;
        m_value = std::move(value);
        if (auto timer = m_timer) {
            boost::asio::post(timer->get_executor(), [timer] { timer->cancel(); });
        }
    }

    // Only one coroutine may wait. It looks again every second as well: a cancel that raced
    // ahead of async_wait on a multi-threaded executor would otherwise be lost.
    boost::asio::awaitable<T> wait() {
        auto executor = co_await boost::asio::this_coro::executor;
        for (;;) {
            std::shared_ptr<boost::asio::steady_timer> timer;
            {
                std::lock_guard lock(m_mutex);
                if (m_value) co_return std::move(*m_value);
                if (!m_timer) m_timer = std::make_shared<boost::asio::steady_timer>(executor);
                timer = m_timer;
            }
            timer->expires_after(std::chrono::seconds(1));
            (void)co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        }
    }

private:
    mutable std::mutex m_mutex;
    std::optional<T> m_value;
    std::shared_ptr<boost::asio::steady_timer> m_timer;
};

}  // namespace partita::coordinator
