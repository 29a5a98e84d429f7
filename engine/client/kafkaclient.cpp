// KafkaClient: the connection pool, metadata cache, routing, retries and deadlines of one cluster.
#include "engine/client/kafkaclient.h"

#include "engine/client/brokerconnection.h"
#include "engine/client/pendingrequest.h"
#include "engine/protocol/apiregistry.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/findcoordinator.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/security/tlsclientcontext.h"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <utility>

namespace partita::client {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using protocol::ErrorCode;

namespace {

// APIs that change nothing on the broker: safe to send again after a connection was lost
// with the request possibly delivered.
bool isReadOnly(int16_t apiKey) {
    switch (apiKey) {
        case 1:   // Fetch
        case 2:   // ListOffsets
        case 3:   // Metadata
        case 9:   // OffsetFetch
        case 10:  // FindCoordinator
        case 15:  // DescribeGroups
        case 16:  // ListGroups
        case 18:  // ApiVersions
        case 29:  // DescribeAcls
        case 32:  // DescribeConfigs
        case 35:  // DescribeLogDirs
        case 46:  // ListPartitionReassignments
        case 50:  // DescribeUserScramCredentials
        case 60:  // DescribeCluster
        case 61:  // DescribeProducers
        case 65:  // DescribeTransactions
        case 66:  // ListTransactions
            return true;
        default:
            return false;
    }
}

bool isCoordinatorRetriable(int16_t code) {
    return code == protocol::code(ErrorCode::CoordinatorNotAvailable) ||
           code == protocol::code(ErrorCode::CoordinatorLoadInProgress) ||
           code == protocol::code(ErrorCode::NotCoordinator);
}

std::string apiName(const protocol::ApiMessage& message) {
    const protocol::ApiInfo* api = protocol::findApi(message.messageApiKey());
    return api != nullptr ? api->name : message.messageName();
}

std::string describeTarget(const Target& target) {
    switch (target.kind) {
        case Target::Kind::AnyBroker:
            return "any broker";
        case Target::Kind::Node:
            return target.nodeId < 0 ? "a bootstrap server" : "broker " + std::to_string(target.nodeId);
        case Target::Kind::Controller:
            return "the controller";
        case Target::Kind::Leader:
            return "the leader of " + target.name + "-" + std::to_string(target.partition);
        case Target::Kind::GroupCoordinator:
            return "the coordinator of group " + target.name;
        case Target::Kind::TransactionCoordinator:
            return "the coordinator of transactional id " + target.name;
    }
    return "a broker";
}

}  // namespace

namespace detail {

class ClientCore : public std::enable_shared_from_this<ClientCore> {
public:
    ClientCore(ClientConfig config, std::shared_ptr<ConnectionSettings> settings, std::vector<HostPort> bootstrap)
        : m_settings(std::move(settings)),
          m_bootstrap(std::move(bootstrap)),
          m_routing(asio::make_strand(io)),
          m_work(asio::make_work_guard(io)),
          m_refreshTimer(io),
          m_config(std::move(config)) {}

    asio::io_context io;

    const ClientConfig& config() const { return m_config; }

    void startThreads(int count) {
        for (int i = 0; i < count; ++i) m_threads.emplace_back([self = shared_from_this()] { self->io.run(); });
        scheduleMetadataRefresh();
    }

    void shutdown() {
        std::vector<std::shared_ptr<BrokerConnection>> connections;
        {
            std::lock_guard lock(m_mutex);
            if (m_closed) return;
            m_closed = true;
            for (auto& [key, connection] : m_connections) connections.push_back(connection);
            m_connections.clear();
        }
        asio::post(io, [self = shared_from_this()] {
            self->m_refreshTimer.cancel();
            std::set<std::shared_ptr<asio::steady_timer>> retries;
            {
                std::lock_guard lock(self->m_mutex);
                retries = self->m_retryTimers;
            }
            for (const auto& timer : retries) timer->cancel();
        });
        for (auto& connection : connections) connection->close(Error{ErrorKind::Cancelled, "the client was closed"});
        m_work.reset();
        const bool onEngineThread = std::any_of(m_threads.begin(), m_threads.end(), [](const std::thread& t) {
            return t.get_id() == std::this_thread::get_id();
        });
        // Give the engine threads a moment to deliver the Cancelled callbacks, then stop
        // whatever timers are left (a user's linger timer, a deadline).
        for (int i = 0; i < 100 && !io.stopped() && !onEngineThread; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        io.stop();
        for (auto& thread : m_threads) {
            // The last reference may go away inside a callback: that thread cannot join itself,
            // and holds the core alive until it returns.
            if (thread.get_id() == std::this_thread::get_id())
                thread.detach();
            else if (thread.joinable())
                thread.join();
        }
    }

    // One strand for all routing keeps requests in the order send() got them on their way to a
    // connection: a producer's pipelined batches must reach the broker in sequence.
    void dispatch(std::shared_ptr<PendingRequest> request) {
        asio::post(m_routing, [self = shared_from_this(), request = std::move(request)]() mutable {
            self->route(std::move(request));
        });
    }

    std::shared_ptr<const ClusterMetadata> metadata() {
        std::lock_guard lock(m_mutex);
        applyStaleLeaders();
        return m_metadata;
    }

    // topics: nullopt = every topic; an empty list = brokers and controller only.
    void fetchMetadata(std::optional<std::vector<std::string>> topics, bool allowAutoCreate, Clock::time_point deadline,
                       MetadataCallback done) {
        auto request = std::make_unique<protocol::MetadataRequest>();
        const bool allTopics = !topics.has_value();
        if (allTopics) {
            request->topics = std::nullopt;
        } else {
            request->topics.emplace();
            for (const auto& name : *topics) {
                protocol::MetadataRequest::MetadataRequestTopic topic;
                topic.name = name;
                request->topics->push_back(std::move(topic));
            }
        }
        request->allowAutoTopicCreation = allowAutoCreate;
        RequestOptions options;
        options.minVersion = 1;  // v0 cannot ask for "all topics" and no supported broker needs it
        options.maxVersion = 12;
        options.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
            // Before v4 the broker's auto.create.topics.enable alone decides.
            if (version < 4) static_cast<protocol::MetadataRequest&>(message).allowAutoTopicCreation = true;
        };
        auto callback = [self = shared_from_this(), allTopics, topics,
                         done = std::move(done)](Result<Response> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = static_cast<const protocol::MetadataResponse&>(*result->body);
            std::shared_ptr<const ClusterMetadata> snapshot;
            {
                std::lock_guard lock(self->m_mutex);
                self->applyStaleLeaders();  // a partial answer keeps the other topics as invalidated
                auto merged = std::make_shared<ClusterMetadata>(
                    ClusterMetadata::fromResponse(response, allTopics, self->m_metadata.get()));
                for (const auto& b : merged->brokers) self->m_addresses[b.nodeId] = HostPort{b.host, uint16_t(b.port)};
                if (topics) self->m_watchedTopics.insert(topics->begin(), topics->end());
                self->m_metadata = merged;
                snapshot = std::move(merged);
            }
            done(std::move(snapshot));
        };
        startRequest(Target::anyBroker(), std::move(request), std::move(callback), options, deadline);
    }

    void metadataFor(std::vector<std::string> topics, MetadataCallback done) {
        auto snapshot = metadata();
        bool complete = !snapshot->brokers.empty();
        for (const auto& name : topics) {
            const TopicInfo* topic = snapshot->topic(name);
            if (topic == nullptr || topic->errorCode != 0 || topic->partitions.empty()) {
                complete = false;
                break;
            }
            for (const auto& p : topic->partitions)
                if (p.leader < 0) complete = false;
        }
        if (complete) {
            asio::post(
                io, [done = std::move(done), snapshot = std::move(snapshot)]() mutable { done(std::move(snapshot)); });
            return;
        }
        {
            std::lock_guard lock(m_mutex);
            m_lookups.push_back({std::move(topics), std::move(done)});
            if (m_lookupInFlight) return;  // the answer in flight starts the next batch
            m_lookupInFlight = true;
        }
        startLookups();
    }

    // Every lookup queued since the last one went out, in one Metadata request: each answer is
    // merged into a copy of the whole cache (O(partitions known)), so a producer meeting
    // thousands of new topics must not cost one merge per topic.
    void startLookups() {
        auto batch = std::make_shared<std::vector<Lookup>>();
        {
            std::lock_guard lock(m_mutex);
            batch->swap(m_lookups);
            if (batch->empty()) {
                m_lookupInFlight = false;
                return;
            }
        }
        std::set<std::string> names;
        for (const Lookup& lookup : *batch) names.insert(lookup.topics.begin(), lookup.topics.end());
        fetchMetadata(std::vector<std::string>(names.begin(), names.end()), false, Clock::now() + requestTimeout(),
                      [self = shared_from_this(), batch](Result<std::shared_ptr<const ClusterMetadata>> result) {
                          for (Lookup& lookup : *batch) lookup.done(result);
                          self->startLookups();
                      });
    }

    void invalidateLeader(const std::string& topic, int32_t partition) {
        std::lock_guard lock(m_mutex);
        const PartitionInfo* known = m_metadata->partition(topic, partition);
        if (known == nullptr || known->leader < 0) return;
        m_staleLeaders.emplace(topic, partition);
    }

    // Applies the invalidations noted since the last read in one copy of the snapshot: copying it
    // is O(partitions known), and a producer or consumer answered NOT_LEADER_OR_FOLLOWER for
    // thousands of partitions invalidates them one by one. Needs m_mutex.
    void applyStaleLeaders() {
        if (m_staleLeaders.empty()) return;
        auto copy = std::make_shared<ClusterMetadata>(*m_metadata);
        for (const auto& [topic, partition] : m_staleLeaders) {
            auto it = copy->topics.find(topic);
            if (it == copy->topics.end()) continue;
            for (auto& p : it->second.partitions)
                if (p.partition == partition) p.leader = -1;
        }
        m_staleLeaders.clear();
        m_metadata = std::move(copy);
    }

    void invalidateCoordinator(Target::Kind kind, const std::string& key) {
        std::lock_guard lock(m_mutex);
        m_coordinators.erase({int(kind), key});
    }

    // Starts a request of the core's own (metadata, coordinator lookups) with its own deadline.
    void startRequest(Target target, std::unique_ptr<protocol::ApiMessage> message, ResponseCallback callback,
                      RequestOptions options, Clock::time_point deadline) {
        auto request = std::make_shared<PendingRequest>(io, std::move(target), std::move(message), std::move(callback),
                                                        options, deadline);
        armDeadline(request);
        dispatch(request);
    }

    void armDeadline(const std::shared_ptr<PendingRequest>& request) {
        const std::string what = apiName(*request->request) + " to " + describeTarget(request->target);
        const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(request->deadline - Clock::now());
        request->armDeadline([what, timeout](const std::shared_ptr<PendingRequest>& expired) {
            auto connection = expired->connection.lock();
            const bool wasSent = expired->written;
            expired->complete(Error{ErrorKind::Timeout, what + ": no answer within " + std::to_string(timeout.count()) +
                                                            " ms" +
                                                            (connection ? " from " + connection->describe() : "")});
            // Answers come in order: one that is overdue holds up everything behind it.
            if (connection && wasSent)
                connection->close(Error{ErrorKind::Timeout, connection->describe() + ": request timed out"});
        });
    }

    std::chrono::milliseconds requestTimeout() const { return std::chrono::milliseconds(m_config.requestTimeoutMs); }

private:
    struct Lookup {
        std::vector<std::string> topics;
        MetadataCallback done;
    };

    struct NodeHealth {
        int failures = 0;
        Clock::time_point retryAt{};
        std::optional<Error> lastError;
    };

    void route(std::shared_ptr<PendingRequest> request) {
        if (request->isCompleted()) return;
        if (isClosed()) {
            request->complete(Error{ErrorKind::Cancelled, "the client was closed"});
            return;
        }
        const Target& target = request->target;
        switch (target.kind) {
            case Target::Kind::Node:
                return sendTo(target.nodeId, std::move(request));
            case Target::Kind::AnyBroker:
                return sendTo(pickAnyNode(), std::move(request));
            case Target::Kind::Controller:
                return routeToController(std::move(request));
            case Target::Kind::Leader:
                return routeToLeader(std::move(request));
            case Target::Kind::GroupCoordinator:
            case Target::Kind::TransactionCoordinator:
                return routeToCoordinator(std::move(request));
        }
    }

    void routeToController(std::shared_ptr<PendingRequest> request) {
        auto snapshot = metadata();
        if (snapshot->controllerId >= 0 && snapshot->broker(snapshot->controllerId) != nullptr)
            return sendTo(snapshot->controllerId, std::move(request));
        fetchMetadata(std::vector<std::string>{}, false, request->deadline,
                      [self = shared_from_this(), request](Result<std::shared_ptr<const ClusterMetadata>> result) {
                          if (!result.ok()) return void(request->complete(result.error()));
                          const auto& m = *result.value();
                          if (m.controllerId < 0 || m.broker(m.controllerId) == nullptr)
                              return self->retryLater(
                                  request, Error{ErrorKind::Broker, "the cluster reports no active controller"});
                          self->sendTo(m.controllerId, request);
                      });
    }

    void routeToLeader(std::shared_ptr<PendingRequest> request) {
        const std::string& topic = request->target.name;
        const int32_t partition = request->target.partition;
        auto snapshot = metadata();
        if (const PartitionInfo* p = snapshot->partition(topic, partition); p && p->leader >= 0)
            return sendTo(p->leader, std::move(request));
        fetchMetadata(
            std::vector<std::string>{topic}, false, request->deadline,
            [self = shared_from_this(), request, topic,
             partition](Result<std::shared_ptr<const ClusterMetadata>> result) {
                if (!result.ok()) return void(request->complete(result.error()));
                const ClusterMetadata& m = *result.value();
                const TopicInfo* t = m.topic(topic);
                const std::string where = topic + "-" + std::to_string(partition);
                if (t != nullptr && t->errorCode != 0) {
                    Error error = brokerError(t->errorCode, topic);
                    if (retriable(error) && t->errorCode != protocol::code(ErrorCode::UnknownTopicOrPartition))
                        return self->retryLater(request, std::move(error));
                    return void(request->complete(std::move(error)));
                }
                const PartitionInfo* p = m.partition(topic, partition);
                if (t == nullptr || p == nullptr)
                    return void(request->complete(
                        brokerError(protocol::code(ErrorCode::UnknownTopicOrPartition), where,
                                    t ? "the topic has " + std::to_string(t->partitions.size()) + " partitions" : "")));
                if (p->leader < 0)
                    return self->retryLater(request, brokerError(protocol::code(ErrorCode::LeaderNotAvailable), where));
                self->sendTo(p->leader, request);
            });
    }

    void routeToCoordinator(std::shared_ptr<PendingRequest> request) {
        const auto key = std::make_pair(int(request->target.kind), request->target.name);
        {
            std::lock_guard lock(m_mutex);
            if (auto it = m_coordinators.find(key); it != m_coordinators.end()) {
                const int32_t node = it->second;
                // Unlocked below: sendTo takes the lock itself.
                asio::post(m_routing, [self = shared_from_this(), node, request] { self->sendTo(node, request); });
                return;
            }
        }
        auto find = std::make_unique<protocol::FindCoordinatorRequest>();
        find->key = request->target.name;
        find->keyType = request->target.kind == Target::Kind::GroupCoordinator ? 0 : 1;
        RequestOptions options;
        options.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
            auto& request = static_cast<protocol::FindCoordinatorRequest&>(message);
            if (version >= 4) request.coordinatorKeys = {std::exchange(request.key, {})};  // batched form (KIP-699)
        };
        startRequest(
            Target::anyBroker(), std::move(find),
            [self = shared_from_this(), request, key](Result<Response> result) {
                if (!result.ok()) return void(request->complete(result.error()));
                const auto& response = static_cast<const protocol::FindCoordinatorResponse&>(*result->body);
                // v4+ answers in a list (one entry: we ask for one key); older versions at the top level.
                int16_t errorCode = response.errorCode;
                std::string errorMessage = response.errorMessage.value_or("");
                int32_t nodeId = response.nodeId;
                HostPort address{response.host, uint16_t(response.port)};
                if (result->version >= 4) {
                    if (response.coordinators.empty())
                        return void(request->complete(
                            Error{ErrorKind::Malformed, "FindCoordinator answered without a coordinator"}));
                    const auto& c = response.coordinators.front();
                    errorCode = c.errorCode;
                    errorMessage = c.errorMessage.value_or("");
                    nodeId = c.nodeId;
                    address = HostPort{c.host, uint16_t(c.port)};
                }
                if (errorCode != 0) {
                    Error error = brokerError(errorCode, describeTarget(request->target), errorMessage);
                    if (isCoordinatorRetriable(errorCode)) return self->retryLater(request, std::move(error));
                    return void(request->complete(std::move(error)));
                }
                {
                    std::lock_guard lock(self->m_mutex);
                    self->m_addresses[nodeId] = address;
                    self->m_coordinators[key] = nodeId;
                }
                self->sendTo(nodeId, request);
            },
            options, request->deadline);
    }

    // Tries again after retry.backoff.ms, unless that would pass the deadline (which then
    // reports a Timeout carrying `why` in its place).
    void retryLater(std::shared_ptr<PendingRequest> request, Error why, std::chrono::milliseconds delay = {}) {
        if (delay.count() == 0) delay = std::chrono::milliseconds(m_config.retryBackoffMs);
        if (Clock::now() + delay >= request->deadline) {
            request->complete(std::move(why));
            return;
        }
        ++request->attempts;
        auto timer = std::make_shared<asio::steady_timer>(io, delay);
        // On shutdown the timer is cancelled and the handler runs at once: route() then reports Cancelled.
        timer->async_wait([self = shared_from_this(), request, timer](boost::system::error_code) {
            {
                std::lock_guard lock(self->m_mutex);
                self->m_retryTimers.erase(timer);
            }
            request->written = false;
            self->route(request);
        });
        std::lock_guard lock(m_mutex);
        m_retryTimers.insert(timer);  // after async_wait: a cancel must not race its start
    }

    int32_t pickAnyNode() {
        std::lock_guard lock(m_mutex);
        const auto now = Clock::now();
        // A broker we are already talking to costs nothing.
        for (const auto& [key, connection] : m_connections)
            if (key.second == Lane::Default && connection->state() == BrokerConnection::State::Ready)
                return connection->nodeId();
        auto healthy = [&](int32_t node) {
            auto it = m_health.find(node);
            return it == m_health.end() || it->second.retryAt <= now;
        };
        for (const auto& broker : m_metadata->brokers)
            if (healthy(broker.nodeId)) return broker.nodeId;
        for (size_t i = 0; i < m_bootstrap.size(); ++i) {
            const int32_t node = -1 - int32_t((m_nextBootstrap + i) % m_bootstrap.size());
            if (healthy(node)) {
                m_nextBootstrap = (m_nextBootstrap + i + 1) % m_bootstrap.size();
                return node;
            }
        }
        // Every address is backing off: the one that will be ready first.
        int32_t best = m_metadata->brokers.empty() ? -1 : m_metadata->brokers.front().nodeId;
        for (const auto& [node, health] : m_health)
            if (health.retryAt < m_health[best].retryAt) best = node;
        return best;
    }

    void sendTo(int32_t nodeId, std::shared_ptr<PendingRequest> request) {
        if (request->isCompleted()) return;
        const Lane lane = request->options.lane;
        std::shared_ptr<BrokerConnection> connection;
        {
            std::unique_lock lock(m_mutex);
            if (m_closed) {
                lock.unlock();
                request->complete(Error{ErrorKind::Cancelled, "the client was closed"});
                return;
            }
            auto it = m_connections.find({nodeId, lane});
            if (it != m_connections.end() && it->second->state() != BrokerConnection::State::Closed) {
                connection = it->second;
            } else {
                std::optional<HostPort> address = addressOf(nodeId);
                if (!address) {
                    lock.unlock();
                    return retryAfterMetadata(std::move(request), nodeId);
                }
                NodeHealth& health = m_health[nodeId];
                if (health.retryAt > Clock::now()) {
                    Error why = health.lastError.value_or(Error{ErrorKind::Network, "reconnecting"});
                    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(health.retryAt - Clock::now());
                    lock.unlock();
                    return retryLater(std::move(request), std::move(why), std::max(wait, std::chrono::milliseconds(1)));
                }
                connection = std::make_shared<BrokerConnection>(
                    io, nodeId, *address, m_settings,
                    [weak = weak_from_this()](BrokerConnection& ready) {
                        if (auto self = weak.lock()) self->onReady(ready);
                    },
                    [weak = weak_from_this()](BrokerConnection& closed, const Error& error,
                                              std::vector<std::shared_ptr<PendingRequest>> pending) {
                        if (auto self = weak.lock())
                            self->onClosed(closed, error, std::move(pending));
                        else
                            for (auto& p : pending) p->complete(Error{ErrorKind::Cancelled, "the client was closed"});
                    });
                m_connections[{nodeId, lane}] = connection;
                connection->start();
            }
        }
        connection->submit(std::move(request));
    }

    // A node id we have no address for (a coordinator from an old answer, a broker that
    // joined): learn the brokers again, then retry.
    void retryAfterMetadata(std::shared_ptr<PendingRequest> request, int32_t nodeId) {
        fetchMetadata(
            std::vector<std::string>{}, false, request->deadline,
            [self = shared_from_this(), request, nodeId](Result<std::shared_ptr<const ClusterMetadata>> result) {
                if (!result.ok()) return void(request->complete(result.error()));
                if ((*result)->broker(nodeId) == nullptr)
                    return void(request->complete(Error{ErrorKind::Broker,
                                                        "broker " + std::to_string(nodeId) + " is not in the cluster",
                                                        protocol::code(ErrorCode::BrokerNotAvailable)}));
                self->sendTo(nodeId, request);
            });
    }

    std::optional<HostPort> addressOf(int32_t nodeId) const {
        if (nodeId < 0) {
            const size_t index = size_t(-1 - nodeId);
            if (index < m_bootstrap.size()) return m_bootstrap[index];
            return std::nullopt;
        }
        auto it = m_addresses.find(nodeId);
        if (it == m_addresses.end()) return std::nullopt;
        return it->second;
    }

    void onReady(BrokerConnection& connection) {
        std::lock_guard lock(m_mutex);
        m_health.erase(connection.nodeId());
    }

    void onClosed(BrokerConnection& connection, const Error& error,
                  std::vector<std::shared_ptr<PendingRequest>> pending) {
        bool closed;
        {
            std::lock_guard lock(m_mutex);
            closed = m_closed;
            for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
                if (it->second.get() == &connection) {
                    m_connections.erase(it);
                    break;
                }
            }
            // A connection that never got through its handshake backs off exponentially with
            // jitter (reconnect.backoff.ms .. reconnect.backoff.max.ms) so a dead broker is not hammered.
            if (connection.apiRanges() == nullptr && error.kind != ErrorKind::Cancelled) {
                NodeHealth& health = m_health[connection.nodeId()];
                health.failures = std::min(health.failures + 1, 20);
                double backoff = double(m_config.reconnectBackoffMs) * std::pow(2.0, health.failures - 1);
                backoff = std::min(backoff, double(m_config.reconnectBackoffMaxMs));
                static thread_local std::mt19937 random{std::random_device{}()};
                backoff *= std::uniform_real_distribution<double>(0.8, 1.2)(random);
                health.retryAt = Clock::now() + std::chrono::milliseconds(int64_t(backoff));
                health.lastError = error;
            }
        }
        for (auto& request : pending) {
            if (request->isCompleted()) continue;
            const bool mayRetry = !closed && error.kind != ErrorKind::Authentication &&
                                  error.kind != ErrorKind::Cancelled && error.kind != ErrorKind::Unsupported &&
                                  (!request->written || isReadOnly(request->request->messageApiKey()));
            if (!mayRetry) {
                request->complete(closed ? Error{ErrorKind::Cancelled, "the client was closed"} : error);
                continue;
            }
            // A pinned node may have been a bootstrap address: any broker will do then.
            retryLater(request, error);
        }
    }

    void scheduleMetadataRefresh() {
        m_refreshTimer.expires_after(std::chrono::milliseconds(m_config.metadataMaxAgeMs));
        m_refreshTimer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            auto self = weak.lock();
            if (ec || !self || self->isClosed()) return;
            std::optional<std::vector<std::string>> topics;
            {
                std::lock_guard lock(self->m_mutex);
                if (!self->m_metadata->hasAllTopics)
                    topics = std::vector<std::string>(self->m_watchedTopics.begin(), self->m_watchedTopics.end());
            }
            self->fetchMetadata(std::move(topics), false, Clock::now() + self->requestTimeout(),
                                [](Result<std::shared_ptr<const ClusterMetadata>> result) {
                                    if (!result.ok())
                                        spdlog::debug("client: periodic metadata refresh failed: {}",
                                                      result.error().message);
                                });
            self->scheduleMetadataRefresh();
        });
    }

    bool isClosed() const {
        std::lock_guard lock(m_mutex);
        return m_closed;
    }

    std::shared_ptr<const ConnectionSettings> m_settings;
    const std::vector<HostPort> m_bootstrap;
    asio::strand<asio::io_context::executor_type> m_routing;
    asio::executor_work_guard<asio::io_context::executor_type> m_work;
    asio::steady_timer m_refreshTimer;
    std::vector<std::thread> m_threads;
    const ClientConfig m_config;

    mutable std::mutex m_mutex;
    bool m_closed = false;
    std::map<std::pair<int32_t, Lane>, std::shared_ptr<BrokerConnection>> m_connections;
    std::map<int32_t, NodeHealth> m_health;
    std::map<int32_t, HostPort> m_addresses;
    std::shared_ptr<const ClusterMetadata> m_metadata = std::make_shared<ClusterMetadata>();
    std::set<std::string> m_watchedTopics;
    std::set<std::pair<std::string, int32_t>> m_staleLeaders;  // invalidated, not yet applied to m_metadata
    std::vector<Lookup> m_lookups;                             // metadataFor calls waiting for the next batched request
    bool m_lookupInFlight = false;
    std::map<std::pair<int, std::string>, int32_t> m_coordinators;
    std::set<std::shared_ptr<asio::steady_timer>> m_retryTimers;  // requests waiting out a backoff
    size_t m_nextBootstrap = 0;
};

}  // namespace detail

void RequestHandle::cancel() {
    if (auto pending = m_pending.lock()) pending->completeLater(Error{ErrorKind::Cancelled, "request cancelled"});
}

Result<std::shared_ptr<KafkaClient>> KafkaClient::create(ClientConfig config) {
    if (config.bootstrapServers.empty()) return Error{ErrorKind::InvalidArgument, "bootstrap.servers is empty"};
    std::vector<HostPort> bootstrap;
    for (const auto& entry : config.bootstrapServers) {
        auto parsed = parseHostPort(entry);
        if (!parsed.ok()) return parsed.error();
        bootstrap.push_back(parsed.value());
    }
    auto settings = std::make_shared<detail::ConnectionSettings>();
    settings->useTls =
        config.securityProtocol == SecurityProtocol::Ssl || config.securityProtocol == SecurityProtocol::SaslSsl;
    if (settings->useTls) {
        auto tls = security::makeTlsClientContext(
            {config.sslCaLocation, config.sslCertificateLocation, config.sslKeyLocation, config.sslKeyPassword});
        if (!tls.ok()) return tls.error();
        settings->tls = tls.value();
    } else {
        settings->tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    }
    settings->config = config;
    auto core = std::make_shared<detail::ClientCore>(config, std::move(settings), std::move(bootstrap));
    core->startThreads(2);
    return std::shared_ptr<KafkaClient>(new KafkaClient(std::move(core)));
}

Result<std::shared_ptr<KafkaClient>> KafkaClient::shared(const ClientConfig& config) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<KafkaClient>> clients;
    std::lock_guard lock(mutex);
    const std::string key = config.poolKey();
    if (auto existing = clients[key].lock()) return existing;
    auto created = create(config);
    if (created.ok()) clients[key] = created.value();
    return created;
}

KafkaClient::KafkaClient(std::shared_ptr<detail::ClientCore> core) : m_core(std::move(core)) {}

KafkaClient::~KafkaClient() {
    close();
}

const ClientConfig& KafkaClient::config() const {
    return m_core->config();
}

RequestHandle KafkaClient::send(Target target, std::unique_ptr<protocol::ApiMessage> request, ResponseCallback done,
                                RequestOptions options) {
    const auto timeout =
        options.timeoutMs >= 0 ? std::chrono::milliseconds(options.timeoutMs) : m_core->requestTimeout();
    auto pending = std::make_shared<detail::PendingRequest>(m_core->io, std::move(target), std::move(request),
                                                            std::move(done), options, Clock::now() + timeout);
    m_core->armDeadline(pending);
    m_core->dispatch(pending);
    return RequestHandle(pending);
}

std::shared_ptr<const ClusterMetadata> KafkaClient::metadata() const {
    return m_core->metadata();
}

void KafkaClient::refreshMetadata(std::vector<std::string> topics, MetadataCallback done, bool allowAutoCreate) {
    std::optional<std::vector<std::string>> wanted;
    if (!topics.empty()) wanted = std::move(topics);
    m_core->fetchMetadata(std::move(wanted), allowAutoCreate, Clock::now() + m_core->requestTimeout(), std::move(done));
}

void KafkaClient::metadataFor(std::vector<std::string> topics, MetadataCallback done) {
    m_core->metadataFor(std::move(topics), std::move(done));
}

void KafkaClient::invalidateLeader(const std::string& topic, int32_t partition) {
    m_core->invalidateLeader(topic, partition);
}

void KafkaClient::invalidateCoordinator(Target::Kind kind, const std::string& key) {
    m_core->invalidateCoordinator(kind, key);
}

void KafkaClient::apiVersions(int32_t nodeId, std::function<void(Result<std::vector<ApiRange>>)> done) {
    auto request = std::make_unique<protocol::ApiVersionsRequest>();
    request->clientSoftwareName = "partita";
    request->clientSoftwareVersion = "0.1.0";
    call<protocol::ApiVersionsResponse>(
        Target::node(nodeId), std::move(request),
        [done = std::move(done)](Result<TypedResponse<protocol::ApiVersionsResponse>> result) {
            if (!result.ok()) return done(result.error());
            if (result.value()->errorCode != 0) return done(brokerError(result.value()->errorCode, "ApiVersions"));
            std::vector<ApiRange> ranges;
            for (const auto& key : result.value()->apiKeys)
                ranges.push_back({key.apiKey, key.minVersion, key.maxVersion});
            done(std::move(ranges));
        });
}

asio::io_context& KafkaClient::ioContext() {
    return m_core->io;
}

void KafkaClient::close() {
    m_core->shutdown();
}

Error brokerError(int16_t code, const std::string& context, const std::string& serverMessage) {
    const protocol::ErrorInfo* info = protocol::findError(code);
    std::string message = context + ": " + std::string(protocol::errorName(code));
    if (info == nullptr) message += " (error code " + std::to_string(code) + ")";
    if (!serverMessage.empty())
        message += ": " + serverMessage;
    else if (info != nullptr && !info->message.empty())
        message += " (" + std::string(info->message) + ")";
    return Error{ErrorKind::Broker, std::move(message), code};
}

bool retriable(const Error& error) {
    switch (error.kind) {
        case ErrorKind::Network:
        case ErrorKind::Timeout:
            return true;
        case ErrorKind::Broker: {
            const protocol::ErrorInfo* info = protocol::findError(error.kafkaCode);
            return info != nullptr && info->retriable;
        }
        default:
            return false;
    }
}

}  // namespace partita::client
