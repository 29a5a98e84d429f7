// Committed offsets and group administration: OffsetCommit, OffsetFetch, ListGroups, DescribeGroups,
// DeleteGroups, OffsetDelete, and offset retention.
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/protocol/errorcodes.h"

#include <spdlog/spdlog.h>

namespace partita::coordinator {

using protocol::code;
using protocol::ErrorCode;

namespace {

// Kafka's mapping of a failed __consumer_offsets append to what the committer is told.
int16_t commitStorageError(const Error& error) {
    return error.kind == ErrorKind::TooLarge ? code(ErrorCode::InvalidCommitOffsetSize)
                                             : code(ErrorCode::CoordinatorNotAvailable);
}

}  // namespace

int16_t GroupCoordinator::commitOffsets(const std::string& groupId, const std::string& memberId,
                                        const std::optional<std::string>& groupInstanceId, int32_t generationId,
                                        std::vector<OffsetCommitEntry>& entries) {
    auto failAll = [&entries](int16_t error) {
        for (auto& e : entries) e.errorCode = error;
        return error;
    };
    std::lock_guard lock(m_mutex);
    if (!isValidGroupId(groupId, true)) return failAll(code(ErrorCode::InvalidGroupId));
    Group* group = findGroup(groupId);
    if (!group) {
        // A consumer using assign() commits with generation -1: the group exists only for its offsets.
        if (generationId >= 0) return failAll(code(ErrorCode::IllegalGeneration));
        group = &getOrCreateGroup(groupId);
    } else if (group->is(GroupState::Dead)) {
        return failAll(code(ErrorCode::CoordinatorNotAvailable));
    } else if (!(generationId < 0 && group->is(GroupState::Empty))) {
        if (int16_t error = validateMember(*group, memberId, groupInstanceId)) return failAll(error);
        if (generationId != group->generationId) return failAll(code(ErrorCode::IllegalGeneration));
        if (group->is(GroupState::CompletingRebalance)) return failAll(code(ErrorCode::RebalanceInProgress));
        scheduleHeartbeat(*group->member(memberId));
    }

    const int64_t t = now();
    std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
    std::vector<std::pair<TopicPartition, CommittedOffset>> accepted;
    for (auto& e : entries) {
        if (e.errorCode != 0) continue;
        if (e.metadata && e.metadata->size() > size_t(m_config.offsetMetadataMaxBytes)) {
            e.errorCode = code(ErrorCode::OffsetMetadataTooLarge);
            continue;
        }
        CommittedOffset offset;
        offset.offset = e.offset;
        offset.leaderEpoch = e.leaderEpoch;
        offset.metadata = e.metadata.value_or("");
        offset.commitTimestampMs = t;
        offset.expireTimestampMs = e.expireTimestampMs;
        records.emplace_back(offsetCommitKey(groupId, e.partition), offsetCommitValue(offset));
        accepted.emplace_back(e.partition, std::move(offset));
    }
    if (records.empty()) return 0;
    if (Status st = appendRecords(partitionFor(groupId), records); !st) {
        spdlog::warn("group {}: cannot store {} offsets: {}", groupId, records.size(), st.error().message);
        const int16_t error = commitStorageError(st.error());
        for (auto& e : entries) {
            if (e.errorCode == 0) e.errorCode = error;
        }
        return 0;
    }
    for (auto& [partition, offset] : accepted) group->offsets[partition] = std::move(offset);
    return 0;
}

int16_t GroupCoordinator::commitTxnOffsets(const std::string& groupId, int64_t producerId, int16_t producerEpoch,
                                           const std::string& memberId,
                                           const std::optional<std::string>& groupInstanceId, int32_t generationId,
                                           std::vector<OffsetCommitEntry>& entries) {
    auto failAll = [&entries](int16_t error) {
        for (auto& e : entries) e.errorCode = error;
        return error;
    };
    std::lock_guard lock(m_mutex);
    if (!isValidGroupId(groupId, false)) return failAll(code(ErrorCode::InvalidGroupId));
    Group& group = getOrCreateGroup(groupId);
    if (group.is(GroupState::Dead)) return failAll(code(ErrorCode::CoordinatorNotAvailable));
    // KIP-447: a producer that names its consumer's generation is checked like the consumer itself.
    if (generationId >= 0 || !memberId.empty()) {
        if (int16_t error = validateMember(group, memberId, groupInstanceId)) return failAll(error);
        if (generationId != group.generationId) return failAll(code(ErrorCode::IllegalGeneration));
    }
    const int64_t t = now();
    std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
    std::vector<std::pair<TopicPartition, CommittedOffset>> accepted;
    for (auto& e : entries) {
        if (e.errorCode != 0) continue;
        if (e.metadata && e.metadata->size() > size_t(m_config.offsetMetadataMaxBytes)) {
            e.errorCode = code(ErrorCode::OffsetMetadataTooLarge);
            continue;
        }
        CommittedOffset offset{e.offset, e.leaderEpoch, e.metadata.value_or(""), t, std::nullopt};
        records.emplace_back(offsetCommitKey(groupId, e.partition), offsetCommitValue(offset));
        accepted.emplace_back(e.partition, std::move(offset));
    }
    if (records.empty()) return 0;
    if (Status st = appendRecords(partitionFor(groupId), records, producerId, producerEpoch); !st) {
        spdlog::warn("group {}: cannot store transactional offsets: {}", groupId, st.error().message);
        const int16_t error = commitStorageError(st.error());
        for (auto& e : entries) {
            if (e.errorCode == 0) e.errorCode = error;
        }
        return 0;
    }
    auto& pending = group.pendingTxnOffsets[producerId];
    for (auto& [partition, offset] : accepted) pending[partition] = std::move(offset);
    return 0;
}

void GroupCoordinator::completeTxnOffsets(int32_t partition, int64_t producerId, bool commit) {
    std::lock_guard lock(m_mutex);
    completeTxnOffsetsLocked(partition, producerId, commit);
}

void GroupCoordinator::completeTxnOffsetsLocked(int32_t partition, int64_t producerId, bool commit) {
    for (auto& [id, group] : m_groups) {
        if (partitionFor(id) != partition) continue;
        auto pending = group->pendingTxnOffsets.find(producerId);
        if (pending == group->pendingTxnOffsets.end()) continue;
        if (commit) {
            for (auto& [tp, offset] : pending->second) group->offsets[tp] = std::move(offset);
        }
        group->pendingTxnOffsets.erase(pending);
    }
}

int16_t GroupCoordinator::fetchOffsets(const std::string& groupId,
                                       const std::optional<std::vector<TopicPartition>>& partitions,
                                       std::vector<FetchedOffset>& out, bool requireStable) {
    std::lock_guard lock(m_mutex);
    if (!isValidGroupId(groupId, true)) return code(ErrorCode::InvalidGroupId);
    const Group* group = findGroup(groupId);
    auto toFetched = [](const TopicPartition& partition, const CommittedOffset* committed) {
        FetchedOffset f;
        f.partition = partition;
        if (committed) {
            f.offset = committed->offset;
            f.leaderEpoch = committed->leaderEpoch;
            f.metadata = committed->metadata;
        }
        return f;
    };
    auto unstable = [&](const TopicPartition& partition) {
        if (!requireStable || !group) return false;
        for (const auto& [producer, offsets] : group->pendingTxnOffsets) {
            if (offsets.count(partition)) return true;
        }
        return false;
    };
    if (partitions) {
        for (const auto& partition : *partitions) {
            const CommittedOffset* committed = nullptr;
            if (group) {
                auto it = group->offsets.find(partition);
                if (it != group->offsets.end()) committed = &it->second;
            }
            out.push_back(toFetched(partition, committed));
            if (unstable(partition)) out.back().errorCode = code(ErrorCode::UnstableOffsetCommit);
        }
    } else if (group) {
        for (const auto& [partition, committed] : group->offsets) {
            out.push_back(toFetched(partition, &committed));
            if (unstable(partition)) out.back().errorCode = code(ErrorCode::UnstableOffsetCommit);
        }
    }
    return 0;
}

std::vector<GroupListing> GroupCoordinator::listGroups() const {
    std::lock_guard lock(m_mutex);
    std::vector<GroupListing> out;
    for (const auto& [id, group] : m_groups) {
        if (group->is(GroupState::Dead)) continue;
        out.push_back({id, group->protocolType.value_or(""), group->state()});
    }
    return out;
}

GroupDescription GroupCoordinator::describeGroup(const std::string& groupId) const {
    std::lock_guard lock(m_mutex);
    GroupDescription out;
    if (!isValidGroupId(groupId, true)) {
        out.errorCode = code(ErrorCode::InvalidGroupId);
        return out;
    }
    const Group* group = findGroup(groupId);
    if (!group) return out;
    out.state = group->state();
    out.protocolType = group->protocolType.value_or("");
    // Kafka shows the protocol, member subscriptions and assignments only once the group is stable.
    const bool stable = group->is(GroupState::Stable) && group->protocolName;
    if (stable) out.protocolName = *group->protocolName;
    for (const auto& [id, m] : group->members) {
        DescribedMember d{id, m.groupInstanceId, m.clientId, m.clientHost, {}, {}};
        if (stable) {
            if (const MemberProtocol* p = m.protocol(*group->protocolName)) d.metadata = p->metadata;
            d.assignment = m.assignment;
        }
        out.members.push_back(std::move(d));
    }
    return out;
}

int16_t GroupCoordinator::deleteGroup(const std::string& groupId) {
    std::lock_guard lock(m_mutex);
    if (!isValidGroupId(groupId, true)) return code(ErrorCode::InvalidGroupId);
    Group* group = findGroup(groupId);
    if (!group || group->is(GroupState::Dead)) return code(ErrorCode::GroupIdNotFound);
    if (!group->is(GroupState::Empty)) return code(ErrorCode::NonEmptyGroup);
    // Tombstones for every offset and the group itself, so compaction forgets it after a restart too.
    std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
    for (const auto& [partition, offset] : group->offsets) {
        records.emplace_back(offsetCommitKey(groupId, partition), std::nullopt);
    }
    records.emplace_back(groupMetadataKey(groupId), std::nullopt);
    if (Status st = appendRecords(partitionFor(groupId), records); !st) {
        spdlog::warn("group {}: cannot write its tombstones: {}", groupId, st.error().message);
        return code(ErrorCode::CoordinatorNotAvailable);
    }
    group->transitionTo(GroupState::Dead, now());
    m_groups.erase(groupId);
    spdlog::info("group {} deleted", groupId);
    return 0;
}

int16_t GroupCoordinator::deleteOffsets(const std::string& groupId, const std::vector<TopicPartition>& partitions,
                                        std::vector<int16_t>& errors) {
    std::lock_guard lock(m_mutex);
    errors.resize(partitions.size(), 0);
    if (!isValidGroupId(groupId, true)) return code(ErrorCode::InvalidGroupId);
    Group* group = findGroup(groupId);
    if (!group || group->is(GroupState::Dead)) return code(ErrorCode::GroupIdNotFound);
    const bool empty = group->is(GroupState::Empty);
    // Offsets of a live group may go only for topics its consumers do not subscribe to.
    if (!empty && group->protocolType != "consumer") return code(ErrorCode::NonEmptyGroup);
    std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
    std::vector<TopicPartition> deleted;
    for (size_t i = 0; i < partitions.size(); ++i) {
        if (errors[i] != 0) continue;
        if (!empty && group->subscribedTopics.count(partitions[i].topic)) {
            errors[i] = code(ErrorCode::GroupSubscribedToTopic);
            continue;
        }
        if (group->offsets.count(partitions[i])) {
            records.emplace_back(offsetCommitKey(groupId, partitions[i]), std::nullopt);
            deleted.push_back(partitions[i]);
        }
    }
    if (records.empty()) return 0;
    if (Status st = appendRecords(partitionFor(groupId), records); !st) {
        spdlog::warn("group {}: cannot delete offsets: {}", groupId, st.error().message);
        return code(ErrorCode::CoordinatorNotAvailable);
    }
    for (const auto& partition : deleted) group->offsets.erase(partition);
    return 0;
}

void GroupCoordinator::expireOffsets() {
    std::lock_guard lock(m_mutex);
    const int64_t t = now();
    size_t expiredOffsets = 0;
    std::vector<std::string> deadGroups;
    for (auto& [groupId, groupPtr] : m_groups) {
        Group& group = *groupPtr;
        // KIP-211: an empty group's offsets age from when it emptied; a live consumer group's only
        // for topics nobody subscribes to; a group that only stores offsets (assign() users) from
        // each commit. Explicit expire timestamps of old commits win.
        const bool standalone = !group.protocolType || group.protocolType->empty();
        const bool consumerStable = group.protocolType == "consumer" && group.is(GroupState::Stable);
        if (!standalone && !group.is(GroupState::Empty) && !consumerStable) continue;
        std::vector<TopicPartition> expired;
        for (const auto& [partition, offset] : group.offsets) {
            if (consumerStable && group.subscribedTopics.count(partition.topic)) continue;
            const int64_t base =
                group.is(GroupState::Empty) && !standalone ? group.stateTimestampMs() : offset.commitTimestampMs;
            const bool due =
                offset.expireTimestampMs ? t >= *offset.expireTimestampMs : t - base >= m_config.offsetsRetentionMs;
            if (due) expired.push_back(partition);
        }
        const bool dies = group.is(GroupState::Empty) && expired.size() == group.offsets.size();
        if (expired.empty() && !dies) continue;
        std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
        for (const auto& partition : expired) records.emplace_back(offsetCommitKey(groupId, partition), std::nullopt);
        if (dies) records.emplace_back(groupMetadataKey(groupId), std::nullopt);
        if (Status st = appendRecords(partitionFor(groupId), records); !st) {
            spdlog::warn("group {}: cannot expire offsets: {}", groupId, st.error().message);
            continue;
        }
        for (const auto& partition : expired) group.offsets.erase(partition);
        expiredOffsets += expired.size();
        if (dies) deadGroups.push_back(groupId);
    }
    for (const auto& id : deadGroups) m_groups.erase(id);
    if (expiredOffsets || !deadGroups.empty()) {
        spdlog::info("offset retention: removed {} offsets and {} empty groups", expiredOffsets, deadGroups.size());
    }
}

}  // namespace partita::coordinator
