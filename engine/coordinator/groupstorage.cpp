// The coordinator's state in __consumer_offsets: appending records and loading them back at start.
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/protocol/records/recordset.h"
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"

#include <spdlog/spdlog.h>

namespace partita::coordinator {

namespace records = protocol::records;

namespace {

// COMMIT (true) or ABORT (false) for a transaction marker batch; nullopt for other control batches.
std::optional<bool> markerCommits(const records::RecordBatchView& batch) {
    auto reader = records::RecordReader::open(batch, 64 * 1024);
    records::RecordView record;
    if (!reader || !reader->next(record) || !record.key) return std::nullopt;
    auto key = records::decodeControlRecordKey(*record.key);
    if (!key) return std::nullopt;
    if (key->type == int16_t(records::ControlRecordType::Commit)) return true;
    if (key->type == int16_t(records::ControlRecordType::Abort)) return false;
    return std::nullopt;
}

// A batch of the offsets topic is small; reading back goes in steps of this much.
constexpr size_t kLoadChunkBytes = 4 << 20;
// Coordinator records are never compressed beyond what one record holds; no bombs here.
constexpr size_t kMaxUncompressedBatch = 64 << 20;
}  // namespace

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
    int64_t offset = (*log)->logStartOffset();
    const int64_t end = (*log)->highWatermark();
    while (offset < end) {
        auto chunk = (*log)->readVerified(offset, kLoadChunkBytes, end);
        if (!chunk) return chunk.error();
        if (chunk->size() == 0) break;
        records::RecordSetReader reader(*chunk);
        const int64_t before = offset;
        for (;;) {
            auto batch = reader.nextBatch();
            if (!batch) return batch.error();
            if (!*batch) break;
            offset = (*batch)->nextOffset();
            if ((*batch)->isControl()) {
                if (auto commit = markerCommits(**batch))
                    completeTxnOffsetsLocked(partition, (*batch)->producerId(), *commit);
                continue;
            }
            const int64_t txnProducer = (*batch)->isTransactional() ? (*batch)->producerId() : -1;
            auto recordReader = records::RecordReader::open(**batch, kMaxUncompressedBatch);
            if (!recordReader) return recordReader.error();
            records::RecordView record;
            while (recordReader->next(record)) {
                if (!record.key) continue;
                std::optional<Bytes> value;
                if (record.value) value = Bytes::copyOf(*record.value);
                auto decoded = decodeOffsetsTopicRecord(Bytes::copyOf(*record.key), value);
                if (!decoded) {
                    spdlog::warn("{}-{} offset {}: skipping a record: {}", kOffsetsTopic, partition, record.offset,
                                 decoded.error().message);
                    continue;
                }
                if (auto* o = std::get_if<OffsetRecord>(&*decoded); o && txnProducer >= 0) {
                    // Pending until this producer's marker, further on in the partition (or never).
                    if (o->offset) getOrCreateGroup(o->group).pendingTxnOffsets[txnProducer][o->partition] = *o->offset;
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
            }
            if (!recordReader->status()) return recordReader->status();
        }
        if (offset == before) break;  // nothing whole in the chunk: a batch larger than the chunk size
    }
    return {};
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
