// __consumer_offsets and __transaction_state: created on demand with Kafka's settings for them.
#include "engine/broker/internaltopics.h"

#include "engine/broker/brokercontext.h"
#include "engine/cluster/metadatastore.h"
#include "engine/coordinator/groupcoordinator.h"
#include "engine/coordinator/offsetsrecords.h"
#include "engine/protocol/errorcodes.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace partita::broker {

namespace {

class BrokerOffsetsTopic final : public coordinator::OffsetsTopicAccess {
public:
    explicit BrokerOffsetsTopic(BrokerContext& context) : m_context(context) {}

    bool offsetsTopicExists() override { return m_context.metadata().topic(coordinator::kOffsetsTopic).has_value(); }

    Result<std::shared_ptr<storage::PartitionLog>> offsetsLog(int32_t partition) override {
        if (ApiError e = m_context.ensureInternalTopic(coordinator::kOffsetsTopic); !e.ok()) {
            return Error{ErrorKind::Io, e.message};
        }
        std::shared_ptr<storage::PartitionLog> log;
        if (ApiError e = m_context.leaderLog(coordinator::kOffsetsTopic, partition, log); !e.ok()) {
            return Error{ErrorKind::Io, std::string(coordinator::kOffsetsTopic) + "-" + std::to_string(partition) +
                                            ": " + std::string(protocol::errorName(e.code)) + " " + e.message};
        }
        return log;
    }

    void appended() override { m_context.waiters().notifyAll(); }

private:
    BrokerContext& m_context;
};

}  // namespace

bool isCoordinatorTopic(std::string_view name) {
    return name == coordinator::kOffsetsTopic || name == kTransactionStateTopic;
}

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

std::unique_ptr<coordinator::OffsetsTopicAccess> makeOffsetsTopicAccess(BrokerContext& context) {
    return std::make_unique<BrokerOffsetsTopic>(context);
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
