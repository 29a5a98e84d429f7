// Admin's committed-offset operations on a group: list (OffsetFetch), alter (OffsetCommit as an
// admin) and delete (OffsetDelete), all at the group's coordinator.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/offsetcommit.h"
#include "engine/protocol/messages/offsetdelete.h"
#include "engine/protocol/messages/offsetfetch.h"

#include <algorithm>
#include <map>

namespace partita::client {

using namespace adminsupport;
using protocol::ErrorCode;

namespace {

std::string groupContext(const std::string& group) {
    return "group " + group;
}

// The first coordinator error among the per-partition codes (OffsetCommit has no group-level code;
// OffsetFetch before v2 neither).
template <class Topics>
int16_t partitionCoordinatorError(const Topics& topics) {
    for (const auto& t : topics)
        for (const auto& p : t.partitions)
            if (isCoordinatorError(p.errorCode)) return p.errorCode;
    return 0;
}

bool isActiveGroupError(int16_t code) {
    return code == protocol::code(ErrorCode::UnknownMemberId) ||
           code == protocol::code(ErrorCode::RebalanceInProgress) ||
           code == protocol::code(ErrorCode::IllegalGeneration) ||
           code == protocol::code(ErrorCode::FencedMemberEpoch) || code == protocol::code(ErrorCode::StaleMemberEpoch);
}

// The error code of every partition in an answer.
template <class Topics>
std::map<TopicPartition, int16_t> partitionCodes(const Topics& topics) {
    std::map<TopicPartition, int16_t> codes;
    for (const auto& t : topics)
        for (const auto& p : t.partitions) codes[{t.name, p.partitionIndex}] = p.errorCode;
    return codes;
}

// Each partition's status, in `partitions`' order, from the coordinator's codes; a partition it
// left out is reported as such.
std::vector<PartitionStatus> partitionStatuses(const std::string& group, const std::vector<TopicPartition>& partitions,
                                               const std::map<TopicPartition, int16_t>& codes) {
    std::vector<PartitionStatus> out;
    for (const TopicPartition& tp : partitions) {
        auto it = codes.find(tp);
        if (it == codes.end())
            out.push_back({tp, Error{ErrorKind::Malformed, groupContext(group) + " " + formatPartition(tp) +
                                                               ": the coordinator did not answer for it"}});
        else
            out.push_back({tp, statusOf(it->second, groupContext(group) + " " + formatPartition(tp))});
    }
    return out;
}

}  // namespace

void Admin::listConsumerGroupOffsets(std::string group, std::vector<TopicPartition> partitions,
                                     Done<std::vector<CommittedOffset>> done) {
    auto make = [group, partitions] {
        auto request = std::make_unique<protocol::OffsetFetchRequest>();
        request->groupId = group;
        if (partitions.empty()) {
            request->topics = std::nullopt;  // every partition the group committed
        } else {
            std::map<std::string, std::vector<int32_t>> byTopic;
            for (const auto& tp : partitions) byTopic[tp.topic].push_back(tp.partition);
            request->topics.emplace();
            for (auto& [topic, indexes] : byTopic) request->topics->push_back({topic, std::move(indexes), {}});
        }
        return request;
    };
    auto spec =
        groupCoordinatorSpec<protocol::OffsetFetchResponse>(group, make, [](const protocol::OffsetFetchResponse& r) {
            if (isCoordinatorError(r.errorCode)) return r.errorCode;
            return partitionCoordinatorError(r.topics);
        });
    // v8 moved everything into a per-group list; v7 says the same for one group. "All
    // partitions" (null topics) needs v2.
    spec->options.maxVersion = 7;
    if (partitions.empty()) spec->options.minVersion = 2;
    callWithRetry<protocol::OffsetFetchResponse>(
        m_client, CallBudget(*m_client), spec,
        [group, done](Result<TypedResponse<protocol::OffsetFetchResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            if (response.errorCode != 0) return done(brokerError(response.errorCode, groupContext(group)));
            std::vector<CommittedOffset> out;
            for (const auto& t : response.topics) {
                for (const auto& p : t.partitions) {
                    CommittedOffset c;
                    c.partition = {t.name, p.partitionIndex};
                    c.status = statusOf(p.errorCode, groupContext(group) + " " + formatPartition(c.partition));
                    c.offset = p.committedOffset;
                    c.leaderEpoch = p.committedLeaderEpoch;
                    c.metadata = p.metadata.value_or(std::string());
                    out.push_back(std::move(c));
                }
            }
            std::sort(out.begin(), out.end(),
                      [](const CommittedOffset& a, const CommittedOffset& b) { return a.partition < b.partition; });
            done(std::move(out));
        });
}

void Admin::alterConsumerGroupOffsets(std::string group, std::map<TopicPartition, OffsetAndMetadata> offsets,
                                      Done<std::vector<PartitionStatus>> done) {
    if (offsets.empty()) return done(std::vector<PartitionStatus>{});
    auto make = [group, offsets] {
        // Kafka's AdminClient commits with no generation and no member: the coordinator accepts
        // that only while the group has no members, so running consumers are never overridden.
        auto request = std::make_unique<protocol::OffsetCommitRequest>();
        request->groupId = group;
        request->generationIdOrMemberEpoch = -1;
        request->memberId = "";
        std::map<std::string, std::vector<protocol::OffsetCommitRequest::OffsetCommitRequestPartition>> byTopic;
        for (const auto& [tp, o] : offsets) {
            protocol::OffsetCommitRequest::OffsetCommitRequestPartition p;
            p.partitionIndex = tp.partition;
            p.committedOffset = o.offset;
            p.committedLeaderEpoch = o.leaderEpoch;
            p.committedMetadata = o.metadata;
            byTopic[tp.topic].push_back(std::move(p));
        }
        for (auto& [topic, parts] : byTopic) request->topics.push_back({topic, std::move(parts), {}});
        return request;
    };
    auto spec = groupCoordinatorSpec<protocol::OffsetCommitResponse>(
        group, make, [](const protocol::OffsetCommitResponse& r) { return partitionCoordinatorError(r.topics); });
    callWithRetry<protocol::OffsetCommitResponse>(
        m_client, CallBudget(*m_client), spec,
        [group, offsets, done](Result<TypedResponse<protocol::OffsetCommitResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto codes = partitionCodes(result.value()->topics);
            for (const auto& [tp, code] : codes) {
                if (!isActiveGroupError(code)) continue;
                return done(Error{ErrorKind::Broker,
                                  groupContext(group) +
                                      " is not empty: it has active members, so its offsets "
                                      "can only be changed once its consumers are stopped (" +
                                      std::string(protocol::errorName(code)) + ")",
                                  code});
            }
            std::vector<TopicPartition> partitions;
            for (const auto& [tp, o] : offsets) partitions.push_back(tp);
            done(partitionStatuses(group, partitions, codes));
        });
}

void Admin::deleteConsumerGroupOffsets(std::string group, std::vector<TopicPartition> partitions,
                                       Done<std::vector<PartitionStatus>> done) {
    if (partitions.empty()) return done(std::vector<PartitionStatus>{});
    auto make = [group, partitions] {
        auto request = std::make_unique<protocol::OffsetDeleteRequest>();
        request->groupId = group;
        std::map<std::string, std::vector<protocol::OffsetDeleteRequest::OffsetDeleteRequestPartition>> byTopic;
        for (const auto& tp : partitions) byTopic[tp.topic].push_back({tp.partition, {}});
        for (auto& [topic, parts] : byTopic) request->topics.push_back({topic, std::move(parts), {}});
        return request;
    };
    auto spec =
        groupCoordinatorSpec<protocol::OffsetDeleteResponse>(group, make, [](const protocol::OffsetDeleteResponse& r) {
            return isCoordinatorError(r.errorCode) ? r.errorCode : int16_t{0};
        });
    callWithRetry<protocol::OffsetDeleteResponse>(
        m_client, CallBudget(*m_client), spec,
        [group, partitions, done](Result<TypedResponse<protocol::OffsetDeleteResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            if (response.errorCode != 0) return done(brokerError(response.errorCode, groupContext(group)));
            const auto codes = partitionCodes(response.topics);
            done(partitionStatuses(group, partitions, codes));
        });
}

}  // namespace partita::client
