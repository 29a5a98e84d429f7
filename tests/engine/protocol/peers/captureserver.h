// CaptureServer: a loopback test broker that records every request frame a real client sends.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace partita::tests {

// One request frame as it came off the wire, without its 4-byte length prefix.
struct CapturedFrame {
    int connection = 0;  // connections are numbered from 0 in accept order
    int indexOnConnection = 0;
    std::vector<uint8_t> bytes;
};

// Listens on 127.0.0.1 (port chosen by the kernel), one thread per connection. It answers
// ApiVersions, Metadata, Produce, InitProducerId and FindCoordinator as a single-broker
// cluster whose only node (0) is this server; every other request is recorded, noted and
// answered by closing the connection, which is what Kafka does with requests it cannot parse.
// Every blocking call is bounded so a misbehaving client can never hang a test.
class CaptureServer {
public:
    struct Options {
        std::string clusterId = "partita-capture-cluster";
        // Returned for "all topics" Metadata requests (v0 with no topics, v1+ with null).
        std::string fixedTopic = "partita-capture-fixed";
        // ApiVersions requests above this version get Kafka's UNSUPPORTED_VERSION fallback.
        int16_t maxApiVersionsVersion = 3;
    };

    CaptureServer();
    explicit CaptureServer(Options options);
    ~CaptureServer();
    CaptureServer(const CaptureServer&) = delete;
    CaptureServer& operator=(const CaptureServer&) = delete;

    // Binds and starts accepting; false (with a reason in *error) when the socket calls fail.
    bool start(std::string* error);
    // Stops accepting, closes every connection and joins every thread (at most ~1 s).
    void stop();

    uint16_t port() const { return m_port; }
    std::string bootstrap() const { return "127.0.0.1:" + std::to_string(m_port); }

    std::vector<CapturedFrame> frames() const;
    // Things the server could not answer or did not expect, for failure messages.
    std::vector<std::string> notes() const;

    // Waits until `done` holds for the frames captured so far, or `timeout` passes.
    bool waitFor(const std::function<bool(const std::vector<CapturedFrame>&)>& done,
                 std::chrono::milliseconds timeout) const;

private:
    struct Reply;
    void acceptLoop();
    void serve(int fd, int connection);
    Reply answer(const std::vector<uint8_t>& frame);
    void note(std::string text);

    Options m_options;
    int m_listenFd = -1;
    uint16_t m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptThread;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::vector<CapturedFrame> m_frames;
    std::vector<std::string> m_notes;
    std::vector<std::thread> m_connectionThreads;
    // Kept open until stop() so a descriptor number is never reused while another thread
    // might still shut it down.
    std::vector<int> m_connectionFds;
};

// The Kafka 3.7 maximum version of `apiKey` as a KRaft broker advertises it, or -1 when such
// a broker does not advertise the API (controller-only, ZooKeeper-only, newer than 3.7).
int16_t kafka37AdvertisedMax(int16_t apiKey);

}  // namespace partita::tests
