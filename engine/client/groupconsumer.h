// GroupConsumer: a consumer in a consumer group: subscribes to topics, gets partitions from the
// group's assignment, starts them at the committed offsets and commits its progress.
#pragma once

#include "engine/client/admintypes.h"
#include "engine/client/clientconfig.h"
#include "engine/client/consumerfetchresult.h"
#include "engine/client/groupmembership.h"
#include "engine/client/groupoffsets.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace partita::client {

class KafkaClient;

// Settings (Kafka's names, from the ClientConfig's properties): group.id (required),
// group.instance.id, session.timeout.ms, heartbeat.interval.ms, max.poll.interval.ms (the
// rebalance timeout), partition.assignment.strategy (default "range,cooperative-sticky"),
// enable.auto.commit (true), auto.commit.interval.ms (5000), auto.offset.reset (latest), and the
// browsing Consumer's fetch settings.
//
// Fetching is the browsing Consumer's: poll() hands out its FetchResult for the partitions this
// member owns. A partition's position starts at the group's committed offset, or where
// auto.offset.reset says when the group has none. "Delivered" positions (the nextOffset of each
// partition a poll returned) are what commit() and the auto-commit write; with auto-commit they
// are also committed when partitions are revoked and on close(), so the next owner carries on
// where this member stopped.
//
// Calls return at once and may come from any thread; callbacks run on engine threads.
class GroupConsumer {
public:
    using PollCallback = std::function<void(Result<FetchResult>)>;
    using Offsets = GroupOffsets::OffsetMap;

    struct Listener {
        // After the group gave these partitions to this member and their start positions are set.
        std::function<void(const std::vector<TopicPartition>& partitions)> onPartitionsAssigned;
        // After this member stopped fetching these partitions (and auto-committed them).
        std::function<void(const std::vector<TopicPartition>& partitions)> onPartitionsRevoked;
        // The group dropped this member (session timeout, fencing): the partitions may belong to
        // another member already, so nothing was committed for them.
        std::function<void(const std::vector<TopicPartition>& partitions)> onPartitionsLost;
        // A fatal error (FENCED_INSTANCE_ID, GROUP_AUTHORIZATION_FAILED, ...): the consumer stopped;
        // every later poll fails with it.
        std::function<void(const Error& error)> onFatalError;
    };

    // Reads the group and consumer settings from `settings` (InvalidArgument naming the key).
    static Result<std::unique_ptr<GroupConsumer>> create(std::shared_ptr<KafkaClient> client,
                                                         const ClientConfig& settings, Listener listener = {});
    // The same with the settings of the client's own config.
    static Result<std::unique_ptr<GroupConsumer>> create(std::shared_ptr<KafkaClient> client, Listener listener = {});

    // Stops at once: no LeaveGroup, no commit (the group notices after session.timeout.ms). Call
    // close() first for a clean exit.
    ~GroupConsumer();
    GroupConsumer(const GroupConsumer&) = delete;
    GroupConsumer& operator=(const GroupConsumer&) = delete;

    // Joins the group with these topics (again, when they change).
    void subscribe(std::vector<std::string> topics);
    std::vector<std::string> subscription() const;

    // Records of the partitions this member owns. While it owns none (still joining, or more
    // members than partitions) the callback gets an empty result after fetch.max.wait.ms or as
    // soon as partitions arrive. One poll at a time (a second one fails with InvalidArgument).
    void poll(PollCallback done);

    // Commits the delivered positions of the owned partitions that moved since the last commit.
    void commit(std::function<void(Status)> done);
    // Commits these offsets (the next record to read, per partition).
    void commit(Offsets offsets, std::function<void(Status)> done);
    // The group's committed offsets of these partitions (absent: none).
    void committed(std::vector<TopicPartition> partitions, std::function<void(Result<Offsets>)> done) const;

    // The partitions this member fetches now (sorted).
    std::vector<TopicPartition> assignment() const;
    // The next offset poll returns for an owned partition (nullopt while unknown).
    std::optional<int64_t> position(const TopicPartition& partition) const;
    GroupGeneration generation() const;
    const std::string& groupId() const;

    // Commits (with auto-commit), revokes, leaves the group, stops fetching. A waiting poll gets
    // Cancelled. `done` reports the first failure of the commit or the LeaveGroup.
    void close(std::function<void(Status)> done);

private:
    class State;
    explicit GroupConsumer(std::shared_ptr<State> state);
    std::shared_ptr<State> m_state;
};

}  // namespace partita::client
