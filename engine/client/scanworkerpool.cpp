// ScanWorkerPool: a mutex-and-condition-variable job queue drained by a fixed set of threads.
#include "engine/client/scanworkerpool.h"

#include <algorithm>

namespace partita::client {

ScanWorkerPool::ScanWorkerPool(unsigned threads) {
    threads = std::max(1u, threads);
    m_threads.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) m_threads.emplace_back([this] { run(); });
}

ScanWorkerPool::~ScanWorkerPool() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads) t.join();
}

ScanWorkerPool& ScanWorkerPool::shared() {
    static ScanWorkerPool pool([] {
        // Matching is CPU-bound and the network threads mostly wait, so one thread per core.
        return std::clamp(std::thread::hardware_concurrency(), 2u, 8u);
    }());
    return pool;
}

void ScanWorkerPool::post(std::function<void()> job) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void ScanWorkerPool::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty()) return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job();
    }
}

}  // namespace partita::client
