// GroupConsumer: group membership, committed start positions and commits around a browsing Consumer.
#include "engine/client/groupconsumer.h"

#include "engine/client/consumer.h"
#include "engine/client/consumerconfig.h"
#include "engine/client/kafkaclient.h"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <mutex>
#include <set>

namespace partita::client {

namespace asio = boost::asio;

namespace {

std::vector<TopicPartition> toList(const PartitionsByTopic& partitions) {
    std::vector<TopicPartition> out;
    for (const auto& [topic, list] : partitions)
        for (int32_t p : list) out.push_back(TopicPartition{topic, p});
    return out;
}

}  // namespace

class GroupConsumer::State : public std::enable_shared_from_this<GroupConsumer::State> {
public:
    State(std::shared_ptr<KafkaClient> client, ConsumerConfig consumerConfig, GroupMembershipConfig groupConfig,
          bool autoCommit, int32_t autoCommitIntervalMs, Listener listener)
        : m_client(std::move(client)),
          m_fetchMaxWaitMs(consumerConfig.fetchMaxWaitMs),
          m_consumer(m_client, std::move(consumerConfig)),
          m_offsets(m_client, groupConfig.groupId),
          m_groupConfig(std::move(groupConfig)),
          m_autoCommit(autoCommit),
          m_autoCommitIntervalMs(autoCommitIntervalMs),
          m_listener(std::move(listener)),
          m_idleTimer(m_client->ioContext()),
          m_autoCommitTimer(m_client->ioContext()),
          m_retryTimer(m_client->ioContext()) {}

    // Separate from the constructor: the membership's callbacks need weak_from_this().
    void start() {
        GroupMembership::Callbacks callbacks;
        std::weak_ptr<State> weak = weak_from_this();
        callbacks.onPartitionsRevoked = [weak](const PartitionsByTopic& partitions, bool lost,
                                               std::function<void()> done) {
            if (auto self = weak.lock()) return self->onRevoked(toList(partitions), lost, std::move(done));
            done();
        };
        callbacks.onPartitionsAssigned = [weak](const PartitionsByTopic& added, const GroupGeneration&) {
            if (auto self = weak.lock()) self->fetchStartPositions(toList(added));
        };
        callbacks.onFatalError = [weak](const Error& error) {
            if (auto self = weak.lock()) self->onFatal(error);
        };
        m_membership = std::make_unique<GroupMembership>(m_client, m_groupConfig, std::move(callbacks));
        std::lock_guard lock(m_mutex);
        scheduleAutoCommit();
    }

    void shutdown() {
        PollCallback waiting;
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
            cancelTimers();
            m_consumer.close();  // a poll waiting in the Consumer gets Cancelled from it
            waiting = std::exchange(m_waitingPoll, nullptr);
        }
        m_membership->stop();
        if (waiting) post([waiting] { waiting(Error{ErrorKind::Cancelled, "the consumer was destroyed"}); });
    }

    void subscribe(std::vector<std::string> topics) { m_membership->subscribe(std::move(topics)); }
    std::vector<std::string> subscription() const { return m_membership->subscription(); }
    GroupGeneration generation() const { return m_membership->generation(); }
    const std::string& groupId() const { return m_groupConfig.groupId; }

    std::vector<TopicPartition> assignment() const {
        std::lock_guard lock(m_mutex);
        return {m_active.begin(), m_active.end()};
    }

    std::optional<int64_t> position(const TopicPartition& tp) const {
        std::lock_guard lock(m_mutex);
        if (m_active.count(tp) == 0) return std::nullopt;
        if (auto it = m_delivered.find(tp); it != m_delivered.end()) return it->second;
        return m_consumer.position(tp);
    }

    // --- polling ---

    void poll(PollCallback done) {
        std::unique_lock lock(m_mutex);
        std::optional<Error> refused;
        if (m_closed || m_closing)
            refused = Error{ErrorKind::Cancelled, "group " + groupId() + ": the consumer is closed"};
        else if (m_fatal)
            refused = *m_fatal;
        else if (m_pollOutstanding)
            refused = Error{ErrorKind::InvalidArgument, "a poll is already waiting on this consumer"};
        if (refused) {
            lock.unlock();
            return post([done = std::move(done), error = *refused] { done(error); });
        }
        m_pollOutstanding = true;
        if (m_active.empty()) {
            // Nothing to fetch yet: wait like a long poll, or until partitions arrive.
            m_waitingPoll = std::move(done);
            m_idleTimer.expires_after(std::chrono::milliseconds(m_fetchMaxWaitMs));
            m_idleTimer.async_wait([weak = weak_from_this()](auto ec) {
                if (ec) return;
                if (auto self = weak.lock()) self->finishIdlePoll(FetchResult{});
            });
            return;
        }
        m_consumer.poll(wrapPoll(std::move(done)));
    }

    // --- committing ---

    void commitDelivered(std::function<void(Status)> done) {
        Offsets offsets;
        {
            std::lock_guard lock(m_mutex);
            offsets = movedPositions(m_active);
        }
        commit(std::move(offsets), std::move(done));
    }

    void commit(Offsets offsets, std::function<void(Status)> done) {
        if (offsets.empty()) return post([done = std::move(done)] { done(Status::success()); });
        m_offsets.commit(offsets, m_membership->generation(), m_groupConfig.groupInstanceId,
                         [weak = weak_from_this(), offsets, done = std::move(done)](Status status) {
                             if (auto self = weak.lock(); self && status.ok()) {
                                 std::lock_guard lock(self->m_mutex);
                                 for (const auto& [tp, o] : offsets) self->m_lastCommitted[tp] = o.offset;
                             }
                             if (done) done(status);
                         });
    }

    void committed(std::vector<TopicPartition> partitions, std::function<void(Result<Offsets>)> done) const {
        m_offsets.fetch(std::move(partitions), std::move(done));
    }

    void close(std::function<void(Status)> done) {
        {
            std::lock_guard lock(m_mutex);
            if (m_closed || m_closing) {
                if (done) post([done = std::move(done)] { done(Status::success()); });
                return;
            }
            m_closing = true;
            cancelTimers();
            if (m_waitingPoll) {
                auto waiting = std::exchange(m_waitingPoll, nullptr);
                m_pollOutstanding = false;
                post([waiting] { waiting(Error{ErrorKind::Cancelled, "the consumer is closing"}); });
            }
        }
        // Leaving revokes every partition first, which commits them (auto-commit) in onRevoked.
        m_membership->leave([self = shared_from_this(), done = std::move(done)](Status left) {
            Status result = left;
            {
                std::lock_guard lock(self->m_mutex);
                self->m_closed = true;
                self->m_consumer.close();
                if (!self->m_closeCommit.ok()) result = self->m_closeCommit;
            }
            if (done) done(result);
        });
    }

private:
    void post(std::function<void()> fn) { asio::post(m_client->ioContext(), std::move(fn)); }

    void cancelTimers() {
        m_idleTimer.cancel();
        m_autoCommitTimer.cancel();
        m_retryTimer.cancel();
    }

    // Positions of `partitions` that moved since their last commit (caller holds the mutex).
    Offsets movedPositions(const std::set<TopicPartition>& partitions) const {
        Offsets out;
        for (const TopicPartition& tp : partitions) {
            std::optional<int64_t> at;
            if (auto it = m_delivered.find(tp); it != m_delivered.end())
                at = it->second;
            else
                at = m_consumer.position(tp);
            if (!at) continue;
            auto last = m_lastCommitted.find(tp);
            if (last != m_lastCommitted.end() && last->second == *at) continue;
            out[tp] = GroupOffsets::Offset{*at, -1, {}};
        }
        return out;
    }

    PollCallback wrapPoll(PollCallback done) {
        return [weak = weak_from_this(), done = std::move(done)](Result<FetchResult> result) {
            auto self = weak.lock();
            if (!self) return done(std::move(result));
            {
                std::lock_guard lock(self->m_mutex);
                self->m_pollOutstanding = false;
                if (result.ok()) {
                    // Drop what arrived for partitions revoked meanwhile: it is someone else's now.
                    auto& parts = result.value().partitions;
                    std::erase_if(parts,
                                  [&](const PartitionFetch& f) { return self->m_active.count(f.partition) == 0; });
                    for (const PartitionFetch& f : parts)
                        if (!f.error && f.nextOffset >= 0) self->m_delivered[f.partition] = f.nextOffset;
                } else if (result.error().kind == ErrorKind::InvalidArgument && self->m_active.empty()) {
                    // Every partition was revoked between the check and the fetch.
                    result = FetchResult{};
                }
            }
            done(std::move(result));
        };
    }

    void finishIdlePoll(Result<FetchResult> result) {
        PollCallback waiting;
        {
            std::lock_guard lock(m_mutex);
            if (!m_waitingPoll) return;
            waiting = std::exchange(m_waitingPoll, nullptr);
            m_pollOutstanding = false;
        }
        waiting(std::move(result));
    }

    // --- the membership's callbacks ---

    void onRevoked(std::vector<TopicPartition> partitions, bool lost, std::function<void()> done) {
        Offsets toCommit;
        {
            std::lock_guard lock(m_mutex);
            std::set<TopicPartition> revoked(partitions.begin(), partitions.end());
            if (!lost && m_autoCommit) toCommit = movedPositions(revoked);
            for (const TopicPartition& tp : partitions) m_active.erase(tp);
            if (!m_closed) m_consumer.assign({m_active.begin(), m_active.end()});
        }
        auto finish = [self = shared_from_this(), partitions, lost, done = std::move(done)](Status committed) {
            {
                std::lock_guard lock(self->m_mutex);
                for (const TopicPartition& tp : partitions) {
                    // A partition revoked and then assigned again keeps its fresh state.
                    if (self->m_active.count(tp) != 0) continue;
                    self->m_delivered.erase(tp);
                    self->m_lastCommitted.erase(tp);
                }
                if (!committed.ok() && self->m_closing && self->m_closeCommit.ok()) self->m_closeCommit = committed;
            }
            if (!committed.ok())
                spdlog::warn("group {}: committing revoked partitions: {}", self->groupId(), committed.error().message);
            const auto& callback = lost ? self->m_listener.onPartitionsLost : self->m_listener.onPartitionsRevoked;
            if (callback && !partitions.empty()) callback(partitions);
            done();
        };
        if (toCommit.empty()) return finish(Status::success());
        commit(std::move(toCommit), std::move(finish));
    }

    // New partitions start at the group's committed offsets (or auto.offset.reset).
    void fetchStartPositions(std::vector<TopicPartition> added) {
        if (added.empty()) {
            if (m_listener.onPartitionsAssigned) m_listener.onPartitionsAssigned({});
            return;
        }
        m_offsets.fetch(added, [weak = weak_from_this(), added](Result<Offsets> result) {
            auto self = weak.lock();
            if (!self) return;
            if (!result.ok()) {
                if (!retriable(result.error()) && result.error().kind != ErrorKind::Timeout &&
                    result.error().kind != ErrorKind::Network)
                    return self->onFatal(result.error());
                spdlog::warn("group {}: reading committed offsets: {}; retrying", self->groupId(),
                             result.error().message);
                std::lock_guard lock(self->m_mutex);
                if (self->m_closed || self->m_closing) return;
                self->m_retryTimer.expires_after(std::chrono::milliseconds(1000));
                self->m_retryTimer.async_wait([weak = std::weak_ptr<State>(self), added](auto ec) {
                    if (ec) return;
                    if (auto s = weak.lock()) s->fetchStartPositions(added);
                });
                return;
            }
            self->startPartitions(added, result.value());
        });
    }

    void startPartitions(const std::vector<TopicPartition>& added, const Offsets& committedOffsets) {
        std::vector<TopicPartition> started;
        PollCallback waiting;
        {
            std::lock_guard lock(m_mutex);
            if (m_closed || m_closing || m_fatal) return;
            // A rebalance may have taken some of them away while their offsets were read.
            const PartitionsByTopic owned = m_membership->assignment();
            for (const TopicPartition& tp : added) {
                if (!containsPartition(owned, tp.topic, tp.partition) || m_active.count(tp) != 0) continue;
                m_active.insert(tp);
                started.push_back(tp);
            }
            // Under the mutex, so assignments reach the Consumer in the order they were made.
            m_consumer.assign({m_active.begin(), m_active.end()});
            for (const TopicPartition& tp : started) {
                auto it = committedOffsets.find(tp);
                if (it == committedOffsets.end()) continue;
                Status sought = m_consumer.seek(tp, StartPosition::offset(it->second.offset));
                if (!sought.ok()) {
                    spdlog::warn("group {}: {}", groupId(), sought.error().message);
                    continue;
                }
                m_delivered[tp] = it->second.offset;
                m_lastCommitted[tp] = it->second.offset;
            }
            if (m_waitingPoll && !m_active.empty()) {
                waiting = std::exchange(m_waitingPoll, nullptr);
                m_idleTimer.cancel();
            }
        }
        spdlog::debug("group {}: started {} partition(s)", groupId(), started.size());
        if (m_listener.onPartitionsAssigned) m_listener.onPartitionsAssigned(started);
        // The poll that waited for partitions now fetches them.
        if (waiting) m_consumer.poll(wrapPoll(std::move(waiting)));
    }

    void onFatal(const Error& error) {
        PollCallback waiting;
        {
            std::lock_guard lock(m_mutex);
            if (m_fatal) return;
            m_fatal = error;
            m_active.clear();
            m_consumer.assign({});
            cancelTimers();
            if (m_waitingPoll) {
                waiting = std::exchange(m_waitingPoll, nullptr);
                m_pollOutstanding = false;
            }
        }
        if (waiting) waiting(error);
        if (m_listener.onFatalError) m_listener.onFatalError(error);
    }

    // Caller holds the mutex.
    void scheduleAutoCommit() {
        if (!m_autoCommit || m_closed || m_closing) return;
        m_autoCommitTimer.expires_after(std::chrono::milliseconds(m_autoCommitIntervalMs));
        m_autoCommitTimer.async_wait([weak = weak_from_this()](auto ec) {
            if (ec) return;
            auto self = weak.lock();
            if (!self) return;
            if (self->m_membership->generation().generationId < 0) {
                std::lock_guard lock(self->m_mutex);
                return self->scheduleAutoCommit();
            }
            self->commitDelivered([weak](Status status) {
                auto self = weak.lock();
                if (!self) return;
                if (!status.ok()) spdlog::warn("group {}: auto-commit: {}", self->groupId(), status.error().message);
                std::lock_guard lock(self->m_mutex);
                self->scheduleAutoCommit();
            });
        });
    }

    std::shared_ptr<KafkaClient> m_client;
    const int32_t m_fetchMaxWaitMs;
    Consumer m_consumer;
    GroupOffsets m_offsets;
    GroupMembershipConfig m_groupConfig;
    const bool m_autoCommit;
    const int32_t m_autoCommitIntervalMs;
    Listener m_listener;
    std::unique_ptr<GroupMembership> m_membership;

    mutable std::mutex m_mutex;
    std::set<TopicPartition> m_active;              // handed to the Consumer
    std::map<TopicPartition, int64_t> m_delivered;  // the next offset after what poll returned
    std::map<TopicPartition, int64_t> m_lastCommitted;
    PollCallback m_waitingPoll;
    bool m_pollOutstanding = false;
    bool m_closing = false;
    bool m_closed = false;
    Status m_closeCommit;
    std::optional<Error> m_fatal;
    asio::steady_timer m_idleTimer;
    asio::steady_timer m_autoCommitTimer;
    asio::steady_timer m_retryTimer;
};

Result<std::unique_ptr<GroupConsumer>> GroupConsumer::create(std::shared_ptr<KafkaClient> client,
                                                             const ClientConfig& settings, Listener listener) {
    if (!client) return Error{ErrorKind::InvalidArgument, "GroupConsumer needs a KafkaClient"};
    auto groupConfig = GroupMembershipConfig::fromClientConfig(settings);
    if (!groupConfig.ok()) return groupConfig.error();
    auto consumerConfig = ConsumerConfig::fromClientConfig(settings);
    if (!consumerConfig.ok()) return consumerConfig.error();
    auto autoCommit = settings.boolProperty("enable.auto.commit", true);
    if (!autoCommit.ok()) return autoCommit.error();
    auto interval = settings.intProperty("auto.commit.interval.ms", 5000, 1, INT32_MAX);
    if (!interval.ok()) return interval.error();
    auto state =
        std::make_shared<State>(std::move(client), std::move(consumerConfig.value()), std::move(groupConfig.value()),
                                *autoCommit, static_cast<int32_t>(*interval), std::move(listener));
    state->start();
    return std::unique_ptr<GroupConsumer>(new GroupConsumer(std::move(state)));
}

Result<std::unique_ptr<GroupConsumer>> GroupConsumer::create(std::shared_ptr<KafkaClient> client, Listener listener) {
    if (!client) return Error{ErrorKind::InvalidArgument, "GroupConsumer needs a KafkaClient"};
    const ClientConfig settings = client->config();
    return create(std::move(client), settings, std::move(listener));
}

GroupConsumer::GroupConsumer(std::shared_ptr<State> state) : m_state(std::move(state)) {}

GroupConsumer::~GroupConsumer() {
    m_state->shutdown();
}

void GroupConsumer::subscribe(std::vector<std::string> topics) {
    m_state->subscribe(std::move(topics));
}

std::vector<std::string> GroupConsumer::subscription() const {
    return m_state->subscription();
}

void GroupConsumer::poll(PollCallback done) {
    m_state->poll(std::move(done));
}

void GroupConsumer::commit(std::function<void(Status)> done) {
    m_state->commitDelivered(std::move(done));
}

void GroupConsumer::commit(Offsets offsets, std::function<void(Status)> done) {
    m_state->commit(std::move(offsets), std::move(done));
}

void GroupConsumer::committed(std::vector<TopicPartition> partitions, std::function<void(Result<Offsets>)> done) const {
    m_state->committed(std::move(partitions), std::move(done));
}

std::vector<TopicPartition> GroupConsumer::assignment() const {
    return m_state->assignment();
}

std::optional<int64_t> GroupConsumer::position(const TopicPartition& partition) const {
    return m_state->position(partition);
}

GroupGeneration GroupConsumer::generation() const {
    return m_state->generation();
}

const std::string& GroupConsumer::groupId() const {
    return m_state->groupId();
}

void GroupConsumer::close(std::function<void(Status)> done) {
    m_state->close(std::move(done));
}

}  // namespace partita::client
