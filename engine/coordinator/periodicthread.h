// PeriodicThread: a background thread that runs a task at a fixed period until it is stopped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace partita::coordinator {

// The coordinators' timers (sessions, rebalances, transaction timeouts, expiry) are checks run
// every tick; stop() wakes the thread at once and joins it.
class PeriodicThread {
public:
    PeriodicThread() = default;
    ~PeriodicThread() { stop(); }
    PeriodicThread(const PeriodicThread&) = delete;
    PeriodicThread& operator=(const PeriodicThread&) = delete;

    void start(std::chrono::milliseconds period, std::function<void()> task) {
        m_thread = std::thread([this, period, task = std::move(task)] {
            std::unique_lock lock(m_mutex);
            while (!m_stopping) {
                m_wake.wait_for(lock, period, [this] { return m_stopping; });
                if (m_stopping) break;
                lock.unlock();
                task();
                lock.lock();
            }
        });
    }

    void stop() {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable()) m_thread.join();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace partita::coordinator
