// The coordinator's state in __consumer_offsets: appending records and loading them back at start.
#include "engine/coordinator/coordinatorlog.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"

#include <spdlog/spdlog.h>

namespace partita::coordinator {

namespace records = protocol::records;

Status GroupCoordinator::appendRecords(int32_t partition,
                                       const std::vector<std::pair<Bytes, std::optional<Bytes>>>& entries,
                                       int64_t producerId, int16_t producerEpoch) {
    records::RecordBatchBuilder builder;
    if (producerId >= 0) {
        builder.setProducer(producerId, producerEpoch, -1);
        builder.setTransactional(true);
    }
    const int64_t t = now();
    for (const auto& [key, value] : entries) {
        records::OptionalBytesView valueView;
        if (value) valueView = value->span();
        if (Status st = builder.append(t, key.span(), valueView); !st) return st;
    }
    auto batch = builder.build();
    if (!batch) return batch.error();
    return m_topic.append(partition, *batch);
}

Status GroupCoordinator::storeGroup(const Group& group) {
    return appendRecords(partitionFor(group.id()), {{groupMetadataKey(group.id()), groupMetadataValue(group)}});
}

Status GroupCoordinator::load() {
    if (!m_topic.exists()) return {};
    for (int32_t p = 0; p < m_config.offsetsTopicNumPartitions; ++p) {
        if (Status st = loadPartition(p); !st) return st;
    }
    std::lock_guard lock(m_mutex);
    size_t offsets = 0;
    for (const auto& [id, group] : m_groups) offsets += group->offsets.size();
    if (!m_groups.empty()) spdlog::info("loaded {} groups with {} committed offsets", m_groups.size(), offsets);
    return {};
}

Status GroupCoordinator::loadPartition(int32_t partition) {
    auto log = m_topic.partitionLog(partition);
    if (!log) return log.error();
    std::lock_guard lock(m_mutex);
    CoordinatorLogVisitor visitor;
    visitor.onControlBatch = [&](const records::RecordBatchView& batch) {
        if (auto marker = records::readTxnMarker(batch)) {
            completeTxnOffsetsLocked(partition, batch.producerId(), marker->commit);
        }
    };
    visitor.onRecord = [&](const records::RecordBatchView& batch, int64_t offset, const Bytes& key,
                           const std::optional<Bytes>& value) {
        auto decoded = decodeOffsetsTopicRecord(key, value);
        if (!decoded) {
            spdlog::warn("{}-{} offset {}: skipping a record: {}", kOffsetsTopic, partition, offset,
                         decoded.error().message);
            return;
        }
        if (auto* o = std::get_if<OffsetRecord>(&*decoded); o && batch.isTransactional()) {
            // Pending until this producer's marker, further on in the partition (or never).
            if (o->offset) getOrCreateGroup(o->group).pendingTxnOffsets[batch.producerId()][o->partition] = *o->offset;
        } else if (o) {
            if (o->offset) {
                getOrCreateGroup(o->group).offsets[o->partition] = *o->offset;
            } else if (Group* group = findGroup(o->group)) {
                group->offsets.erase(o->partition);
            }
        } else if (auto* g = std::get_if<GroupRecord>(&*decoded)) {
            if (g->value) {
                applyLoadedGroup(g->group, *g->value);
            } else {
                m_groups.erase(g->group);
            }
        }
    };
    return replayCoordinatorLog(**log, visitor);
}

void GroupCoordinator::applyLoadedGroup(const std::string& groupId, const protocol::GroupMetadataValue& value) {
    Group& group = getOrCreateGroup(groupId);
    auto keptOffsets = std::move(group.offsets);
    auto keptPending = std::move(group.pendingTxnOffsets);
    group = Group(groupId, value.currentStateTimestamp >= 0 ? value.currentStateTimestamp : now());
    group.offsets = std::move(keptOffsets);
    group.pendingTxnOffsets = std::move(keptPending);
    group.generationId = value.generation;
    if (!value.protocolType.empty()) group.protocolType = value.protocolType;
    group.protocolName = value.protocol;
    for (const auto& m : value.members) {
        Member member;
        member.memberId = m.memberId;
        member.groupInstanceId = m.groupInstanceId;
        member.clientId = m.clientId;
        member.clientHost = m.clientHost;
        member.rebalanceTimeoutMs = m.rebalanceTimeout >= 0 ? m.rebalanceTimeout : m.sessionTimeout;
        member.sessionTimeoutMs = m.sessionTimeout;
        if (value.protocol) member.protocols.push_back({*value.protocol, m.subscription});
        member.assignment = m.assignment;
        // The members get one session from now to show up again, as after a coordinator move.
        scheduleHeartbeat(member);
        group.addMember(std::move(member), value.protocolType);
    }
    group.leaderId = value.leader;
    // A stored group with members was stable when written; otherwise it is empty.
    group.transitionTo(group.members.empty() ? GroupState::Empty : GroupState::Stable, group.stateTimestampMs());
    group.updateSubscribedTopics();
}

}  // namespace partita::coordinator
