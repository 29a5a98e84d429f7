// __consumer_offsets and __transaction_state: created on demand with Kafka's settings for them.
#include "engine/broker/internaltopics.h"

#include "engine/broker/brokercontext.h"
#include "engine/cluster/metadatastore.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace partita::broker {

namespace {

class BrokerCoordinatorTopic final : public coordinator::CoordinatorTopic {
public:
    BrokerCoordinatorTopic(BrokerContext& context, std::string topic) : m_context(context), m_topic(std::move(topic)) {}

    bool exists() override { return m_context.metadata().partitionCount(m_topic).has_value(); }

    Result<std::shared_ptr<storage::PartitionLog>> partitionLog(int32_t partition) override {
        if (ApiError e = m_context.ensureInternalTopic(m_topic); !e.ok()) return Error{ErrorKind::Io, e.message};
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(m_topic, partition, log); !e.ok()) {
            return Error{ErrorKind::Io, m_topic + "-" + std::to_string(partition) + ": " +
                                            std::string(protocol::errorName(e.code)) + " " + e.message};
        }
        return log;
    }

    Status append(int32_t partition, std::span<uint8_t> batch) override {
        auto log = partitionLog(partition);
        if (!log) return log.error();
        if (auto appended = (*log)->appendAsLeader(batch, 0); !appended) return appended.error();
        (*log)->updateHighWatermark((*log)->logEndOffset());
        m_context.waiters().notifyAll();
        return {};
    }

private:
    BrokerContext& m_context;
    const std::string m_topic;
};

}  // namespace

bool isCoordinatorTopic(std::string_view name) {
    return name == coordinator::kOffsetsTopic || name == coordinator::kTransactionStateTopic;
}

// Markers straight into this broker's partition logs (it leads them all).
class BrokerTransactionMarkers final : public coordinator::TransactionMarkers {
public:
    explicit BrokerTransactionMarkers(BrokerContext& context) : m_context(context) {}

    bool hasPartition(const coordinator::TopicPartition& partition) override {
        return m_context.hasPartition(partition.topic, partition.partition);
    }

    Status writeMarker(const coordinator::TopicPartition& partition, int64_t producerId, int16_t producerEpoch,
                       bool commit) override {
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(partition.topic, partition.partition, log); !e.ok()) {
            return Error{ErrorKind::Io, e.message};
        }
        protocol::records::EndTxnMarkerBatch marker;
        marker.commit = commit;
        marker.producerId = producerId;
        marker.producerEpoch = producerEpoch;
        marker.timestamp = m_context.clock().nowMs();
        auto batch = protocol::records::buildEndTxnMarkerBatch(marker);
        if (!batch) return batch.error();
        auto appended = log->appendAsLeader(*batch, 0);
        if (!appended) return appended.error();
        // One replica: the marker is committed as it is written.
        log->updateHighWatermark(log->logEndOffset());
        m_context.waiters().notifyAll();
        if (partition.topic == coordinator::kOffsetsTopic) {
            m_context.groups().completeTxnOffsets(partition.partition, producerId, commit);
        }
        return {};
    }

private:
    BrokerContext& m_context;
};

coordinator::GroupCoordinatorConfig groupCoordinatorConfig(const BrokerConfig& config) {
    coordinator::GroupCoordinatorConfig out;
    out.offsetsTopicNumPartitions = config.offsetsTopicNumPartitions;
    out.initialRebalanceDelayMs = config.groupInitialRebalanceDelayMs;
    out.minSessionTimeoutMs = config.groupMinSessionTimeoutMs;
    out.maxSessionTimeoutMs = config.groupMaxSessionTimeoutMs;
    out.maxSize = config.groupMaxSize;
    out.offsetsRetentionMs = int64_t(config.offsetsRetentionMinutes) * 60000;
    out.offsetsRetentionCheckIntervalMs = config.offsetsRetentionCheckIntervalMs;
    out.offsetMetadataMaxBytes = config.offsetMetadataMaxBytes;
    return out;
}

coordinator::TransactionCoordinatorConfig transactionCoordinatorConfig(const BrokerConfig& config) {
    coordinator::TransactionCoordinatorConfig out;
    out.numPartitions = config.transactionStateLogNumPartitions;
    out.maxTimeoutMs = config.transactionMaxTimeoutMs;
    out.idExpirationMs = config.transactionalIdExpirationMs;
    out.abortTimedOutCheckIntervalMs = config.transactionAbortTimedOutTransactionCleanupIntervalMs;
    out.removeExpiredCheckIntervalMs = config.transactionRemoveExpiredTransactionCleanupIntervalMs;
    return out;
}

std::unique_ptr<coordinator::TransactionMarkers> makeTransactionMarkers(BrokerContext& context) {
    return std::make_unique<BrokerTransactionMarkers>(context);
}

std::unique_ptr<coordinator::CoordinatorTopic> makeCoordinatorTopic(BrokerContext& context, std::string topic) {
    return std::make_unique<BrokerCoordinatorTopic>(context, std::move(topic));
}

ApiError BrokerContext::ensureInternalTopic(const std::string& name) {
    if (m_metadata.topic(name)) return {};
    const bool offsets = name == coordinator::kOffsetsTopic;
    const int32_t partitions = offsets ? m_config.offsetsTopicNumPartitions : m_config.transactionStateLogNumPartitions;
    const int16_t wantedFactor =
        offsets ? m_config.offsetsTopicReplicationFactor : m_config.transactionStateLogReplicationFactor;
    const int32_t segmentBytes = offsets ? m_config.offsetsTopicSegmentBytes : m_config.transactionStateLogSegmentBytes;
    // Kafka waits for enough brokers before creating these; a local cluster may never have them,
    // so the topic gets as many replicas as there are brokers (and says so).
    const auto brokers = int16_t(std::max<size_t>(1, m_metadata.brokers().size()));
    const int16_t factor = std::min(wantedFactor, brokers);
    if (factor < wantedFactor) {
        spdlog::warn("creating {} with replication factor {} instead of {}: only {} broker(s)", name, factor,
                     wantedFactor, brokers);
    }
    std::map<std::string, std::string> configs{{"cleanup.policy", "compact"},
                                               {"compression.type", "producer"},
                                               {"segment.bytes", std::to_string(segmentBytes)}};
    if (!offsets)
        configs["min.insync.replicas"] = std::to_string(std::min<int32_t>(factor, m_config.transactionStateLogMinIsr));
    ApiError e = createTopic(name, partitions, factor, {}, configs, false);
    // Two lookups may race to create it; the loser finds it there.
    if (e.code == protocol::code(protocol::ErrorCode::TopicAlreadyExists)) return {};
    if (e.ok()) spdlog::info("created internal topic {} with {} partitions", name, partitions);
    return e;
}

}  // namespace partita::broker
