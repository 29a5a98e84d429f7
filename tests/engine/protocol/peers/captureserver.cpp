// CaptureServer: the sockets, the per-connection framing and the answers built with the codec.
#include "captureserver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <variant>

#include "engine/protocol/apiregistry.h"
#include "engine/protocol/apiversionssupport.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/findcoordinator.h"
#include "engine/protocol/messages/initproducerid.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/protocol/messages/produce.h"

namespace partita::tests {

using namespace partita::protocol;

namespace {

// Poll interval of every loop: how quickly stop() is noticed, not a test timing.
constexpr int kPollMs = 100;
// Larger frames are refused: no client here sends more than a few KiB.
constexpr int32_t kMaxFrame = 64 * 1024 * 1024;
constexpr int32_t kNodeId = 0;
constexpr int64_t kProducerId = 1000;

// Kafka 3.7 (KRaft broker) maxima; -1 = not advertised by such a broker. Taken from the
// "Kafka 3.7.0 broker range" and "Listeners" columns of CLIENT-VERSIONS.md. ConsumerGroupDescribe
// (unstable in 3.7) and the telemetry APIs (only with a metrics reporter) are left out as
// Kafka leaves them out by default.
constexpr int16_t kKafka37Max[] = {
    10, 16, 8,  12, -1, -1, -1, -1, 9,  9,   // 0-9
    4,  9,  4,  5,  5,  5,  4,  1,  3,  7,   // 10-19
    6,  2,  4,  4,  4,  3,  3,  1,  3,  3,   // 20-29
    3,  3,  4,  2,  2,  4,  2,  3,  3,  2,   // 30-39
    2,  3,  2,  2,  1,  0,  0,  0,  1,  1,   // 40-49
    0,  0,  -1, -1, -1, 1,  -1, 1,  -1, -1,  // 50-59
    1,  0,  -1, -1, 0,  0,  0,  -1, 0,  -1,  // 60-69
    -1, -1, -1, -1, 0,                       // 70-74
};

int32_t readBE32(const uint8_t* p) {
    return static_cast<int32_t>((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]);
}

bool sendAll(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        // SO_SNDTIMEO bounds each call; MSG_NOSIGNAL keeps a closed peer from killing the test.
        ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

ApiVersionsResponse advertisedApiVersions() {
    ApiVersionsResponse all = makeSupportedApiVersionsResponse();
    ApiVersionsResponse out;
    for (const auto& entry : all.apiKeys) {
        const int16_t cap = kafka37AdvertisedMax(entry.apiKey);
        if (cap < 0 || entry.minVersion > cap) continue;
        auto capped = entry;
        if (capped.maxVersion > cap) capped.maxVersion = cap;
        out.apiKeys.push_back(capped);
    }
    return out;
}

MetadataResponse::MetadataResponseTopic singlePartitionTopic(const std::string& name) {
    MetadataResponse::MetadataResponseTopic topic;
    topic.name = name;
    MetadataResponse::MetadataResponsePartition partition;
    partition.partitionIndex = 0;
    partition.leaderId = kNodeId;
    partition.leaderEpoch = 0;
    partition.replicaNodes = {kNodeId};
    partition.isrNodes = {kNodeId};
    topic.partitions.push_back(partition);
    return topic;
}

std::string describe(const RequestHeaderPrefix& p) {
    const ApiInfo* api = findApi(p.apiKey);
    return std::string(api ? api->name : "unknown API " + std::to_string(p.apiKey)) + " v" +
           std::to_string(p.apiVersion);
}

}  // namespace

int16_t kafka37AdvertisedMax(int16_t apiKey) {
    if (apiKey < 0 || static_cast<size_t>(apiKey) >= std::size(kKafka37Max)) return -1;
    return kKafka37Max[apiKey];
}

// What to do after a request: send `frame` (when set), then close the connection if asked.
struct CaptureServer::Reply {
    std::optional<Bytes> frame;
    bool close = false;
};

CaptureServer::CaptureServer() : CaptureServer(Options{}) {}
CaptureServer::CaptureServer(Options options) : m_options(std::move(options)) {}
CaptureServer::~CaptureServer() {
    stop();
}

bool CaptureServer::start(std::string* error) {
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0) {
        *error = std::string("socket: ") + std::strerror(errno);
        return false;
    }
    int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listenFd, 16) != 0 ||
        ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        *error = std::string("bind/listen: ") + std::strerror(errno);
        ::close(m_listenFd);
        m_listenFd = -1;
        return false;
    }
    m_port = ntohs(addr.sin_port);
    m_acceptThread = std::thread([this] { acceptLoop(); });
    return true;
}

void CaptureServer::stop() {
    m_stopping = true;
    if (m_acceptThread.joinable()) m_acceptThread.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        for (int fd : m_connectionFds) ::shutdown(fd, SHUT_RDWR);
        threads.swap(m_connectionThreads);
    }
    for (std::thread& t : threads) t.join();
    std::lock_guard lock(m_mutex);
    for (int fd : m_connectionFds) ::close(fd);
    m_connectionFds.clear();
    if (m_listenFd >= 0) {
        ::close(m_listenFd);
        m_listenFd = -1;
    }
}

std::vector<CapturedFrame> CaptureServer::frames() const {
    std::lock_guard lock(m_mutex);
    return m_frames;
}

std::vector<std::string> CaptureServer::notes() const {
    std::lock_guard lock(m_mutex);
    return m_notes;
}

bool CaptureServer::waitFor(const std::function<bool(const std::vector<CapturedFrame>&)>& done,
                            std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] { return done(m_frames); });
}

void CaptureServer::note(std::string text) {
    std::lock_guard lock(m_mutex);
    m_notes.push_back(std::move(text));
}

void CaptureServer::acceptLoop() {
    int nextConnection = 0;
    while (!m_stopping) {
        pollfd p{m_listenFd, POLLIN, 0};
        int r = ::poll(&p, 1, kPollMs);
        if (r <= 0) continue;
        int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        timeval sendTimeout{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, sizeof sendTimeout);
        std::lock_guard lock(m_mutex);
        m_connectionFds.push_back(fd);
        const int connection = nextConnection++;
        m_connectionThreads.emplace_back([this, fd, connection] { serve(fd, connection); });
    }
}

void CaptureServer::serve(int fd, int connection) {
    std::vector<uint8_t> pending;
    uint8_t chunk[16384];
    int index = 0;
    while (!m_stopping) {
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, kPollMs);
        if (r < 0 && errno != EINTR) break;
        if (r <= 0) continue;
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // the client closed (or reset) the connection
        pending.insert(pending.end(), chunk, chunk + n);

        // Requests are answered strictly in arrival order, as Kafka does per connection.
        while (pending.size() >= 4) {
            const int32_t length = readBE32(pending.data());
            if (length < 0 || length > kMaxFrame) {
                note("connection " + std::to_string(connection) + ": frame length " + std::to_string(length));
                ::shutdown(fd, SHUT_RDWR);
                return;
            }
            if (pending.size() < 4 + static_cast<size_t>(length)) break;
            std::vector<uint8_t> frame(pending.begin() + 4, pending.begin() + 4 + length);
            pending.erase(pending.begin(), pending.begin() + 4 + length);

            Reply reply = answer(frame);
            {
                std::lock_guard lock(m_mutex);
                m_frames.push_back({connection, index++, std::move(frame)});
            }
            m_changed.notify_all();
            if (reply.frame && !sendAll(fd, reply.frame->data(), reply.frame->size())) {
                note("connection " + std::to_string(connection) + ": send failed: " + std::strerror(errno));
                reply.close = true;
            }
            if (reply.close) {
                ::shutdown(fd, SHUT_RDWR);
                return;
            }
        }
    }
}

CaptureServer::Reply CaptureServer::answer(const std::vector<uint8_t>& raw) {
    Reply reply;
    const Bytes frame = Bytes::copyOf(std::span<const uint8_t>(raw));
    const auto prefix = peekRequestHeader(frame.span());
    if (!prefix) {
        note("request shorter than a header");
        reply.close = true;
        return reply;
    }
    const int32_t correlationId = prefix->correlationId;

    // ApiVersions must be answered whatever its version, before the body is even parsed.
    if (prefix->apiKey == ApiVersionsRequest::kApiKey && prefix->apiVersion > m_options.maxApiVersionsVersion) {
        reply.frame = encodeApiVersionsFallbackResponse(correlationId);
        return reply;
    }

    auto decoded = decodeRequest(frame);
    if (auto* failure = std::get_if<RequestDecodeError>(&decoded)) {
        note("cannot decode " + describe(*prefix) + ": " + failure->message);
        reply.close = true;
        return reply;
    }
    const DecodedRequest& request = std::get<DecodedRequest>(decoded);
    const int16_t version = prefix->apiVersion;

    auto encode = [&](const ApiMessage& body) {
        Result<Bytes> encoded = encodeResponse(correlationId, prefix->apiKey, version, body);
        if (!encoded) {
            note("cannot encode the answer to " + describe(*prefix) + ": " + encoded.error().message);
            reply.close = true;
        } else {
            reply.frame = std::move(encoded.value());
        }
    };

    switch (prefix->apiKey) {
        case ApiVersionsRequest::kApiKey:
            encode(advertisedApiVersions());
            break;
        case MetadataRequest::kApiKey: {
            const auto& req = static_cast<const MetadataRequest&>(*request.body);
            MetadataResponse resp;
            MetadataResponse::MetadataResponseBroker broker;
            broker.nodeId = kNodeId;
            broker.host = "127.0.0.1";
            broker.port = m_port;
            resp.brokers.push_back(broker);
            resp.clusterId = m_options.clusterId;
            resp.controllerId = kNodeId;
            // v0 has no null array: an empty list there means "all topics", as null does later.
            const bool allTopics = !req.topics || (version == 0 && req.topics->empty());
            if (allTopics) {
                resp.topics.push_back(singlePartitionTopic(m_options.fixedTopic));
            } else {
                for (const auto& t : *req.topics) resp.topics.push_back(singlePartitionTopic(t.name.value_or("")));
            }
            encode(resp);
            break;
        }
        case ProduceRequest::kApiKey: {
            const auto& req = static_cast<const ProduceRequest&>(*request.body);
            if (req.acks == 0) break;  // acks=0: Kafka sends nothing back
            ProduceResponse resp;
            for (const auto& topic : req.topicData) {
                ProduceResponse::TopicProduceResponse t;
                t.name = topic.name;
                for (const auto& partition : topic.partitionData) {
                    ProduceResponse::PartitionProduceResponse p;
                    p.index = partition.index;
                    p.baseOffset = 0;
                    t.partitionResponses.push_back(p);
                }
                resp.responses.push_back(std::move(t));
            }
            encode(resp);
            break;
        }
        case InitProducerIdRequest::kApiKey: {
            InitProducerIdResponse resp;
            resp.producerId = kProducerId;
            resp.producerEpoch = 0;
            encode(resp);
            break;
        }
        case FindCoordinatorRequest::kApiKey: {
            const auto& req = static_cast<const FindCoordinatorRequest&>(*request.body);
            FindCoordinatorResponse resp;
            // v4 answers a batch of keys; before that one key with the node inline.
            if (version >= 4) {
                for (const std::string& key : req.coordinatorKeys) {
                    FindCoordinatorResponse::Coordinator c;
                    c.key = key;
                    c.nodeId = kNodeId;
                    c.host = "127.0.0.1";
                    c.port = m_port;
                    c.errorMessage = std::nullopt;
                    resp.coordinators.push_back(c);
                }
            } else {
                resp.nodeId = kNodeId;
                resp.host = "127.0.0.1";
                resp.port = m_port;
                resp.errorMessage = std::nullopt;
            }
            encode(resp);
            break;
        }
        default:
            note("not answered (connection closed): " + describe(*prefix));
            reply.close = true;
            break;
    }
    return reply;
}

}  // namespace partita::tests
