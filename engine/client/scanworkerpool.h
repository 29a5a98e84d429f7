// ScanWorkerPool: the few threads message searches decode and match on (never the network threads).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace partita::client {

// A plain FIFO pool. Searches share one process-wide pool sized to the machine (2 to 8
// threads), so several searches at once do not oversubscribe the CPU.
class ScanWorkerPool {
public:
    explicit ScanWorkerPool(unsigned threads);
    ~ScanWorkerPool();  // runs what is queued, then joins
    ScanWorkerPool(const ScanWorkerPool&) = delete;
    ScanWorkerPool& operator=(const ScanWorkerPool&) = delete;

    static ScanWorkerPool& shared();

    unsigned size() const { return static_cast<unsigned>(m_threads.size()); }
    void post(std::function<void()> job);

private:
    void run();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

}  // namespace partita::client
