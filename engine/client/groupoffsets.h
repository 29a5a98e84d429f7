// GroupOffsets: a consumer group's committed offsets, read with OffsetFetch and written with
// OffsetCommit at the group's coordinator.
#pragma once

#include "engine/client/admintypes.h"
#include "engine/client/groupmembership.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace partita::client {

class KafkaClient;

class GroupOffsets {
public:
    // A committed offset: the next record the group will read.
    struct Offset {
        int64_t offset = -1;
        int32_t leaderEpoch = -1;  // -1: unknown
        std::string metadata;
        friend bool operator==(const Offset&, const Offset&) = default;
    };
    using OffsetMap = std::map<TopicPartition, Offset>;

    // `timeoutMs`: how long fetch and commit keep retrying while the coordinator moves or loads
    // (default.api.timeout.ms).
    GroupOffsets(std::shared_ptr<KafkaClient> client, std::string groupId, int32_t timeoutMs = 60000);

    // The offsets the group committed for `partitions`; a partition without a commit is absent
    // from the map. Asks for stable offsets (no pending transactional commit) where the broker
    // can tell (OffsetFetch v7+) and waits out UNSTABLE_OFFSET_COMMIT.
    void fetch(std::vector<TopicPartition> partitions, std::function<void(Result<OffsetMap>)> done) const;

    // Commits as a member of `generation` (generation -1 and no member id: a commit from outside
    // the group's generations, as consumers without a subscription do). A refusal because the
    // group rebalanced (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID) is not retried:
    // the offsets may belong to another member by now.
    void commit(OffsetMap offsets, const GroupGeneration& generation, const std::optional<std::string>& groupInstanceId,
                std::function<void(Status)> done) const;

    const std::string& groupId() const { return m_groupId; }

private:
    std::shared_ptr<KafkaClient> m_client;
    std::string m_groupId;
    int32_t m_timeoutMs;
};

}  // namespace partita::client
