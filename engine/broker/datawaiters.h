// DataWaiters: fetches waiting for new records (the long poll of max.wait.ms / min.bytes).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <list>
#include <memory>
#include <mutex>

namespace partita::broker {

// A waiting fetch sleeps on a timer until its deadline; every append wakes all waiters early and
// they re-read. Simple and cheap for the partition counts of a local cluster.
class DataWaiters {
public:
    // Returns at the deadline or at the next notifyAll(), whichever comes first.
    boost::asio::awaitable<void> waitUntil(std::chrono::steady_clock::time_point deadline);
    void notifyAll();

private:
    std::mutex m_mutex;
    std::list<std::shared_ptr<boost::asio::steady_timer>> m_waiting;
};

}  // namespace partita::broker
