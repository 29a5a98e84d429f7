// TransactionCoordinator: transactional ids, their producer ids and epochs, and ending transactions with markers.
#pragma once

#include "engine/coordinator/coordinatortopic.h"
#include "engine/coordinator/periodicthread.h"
#include "engine/coordinator/transactionrecords.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace partita::storage {
class Clock;
}

namespace partita::coordinator {

class ProducerIdManager;

// What ending a transaction needs of the broker: the partitions and their logs.
class TransactionMarkers {
public:
    virtual ~TransactionMarkers() = default;
    virtual bool hasPartition(const TopicPartition& partition) = 0;
    // Appends a COMMIT or ABORT marker of the producer to the partition's log (and, for
    // __consumer_offsets, lets the group coordinator apply or drop the transaction's offsets).
    virtual Status writeMarker(const TopicPartition& partition, int64_t producerId, int16_t producerEpoch,
                               bool commit) = 0;
};

// Kafka's broker settings for transactions, by their Kafka names.
struct TransactionCoordinatorConfig {
    int32_t numPartitions = 50;                      // transaction.state.log.num.partitions
    int32_t maxTimeoutMs = 900000;                   // transaction.max.timeout.ms
    int64_t idExpirationMs = 604800000;              // transactional.id.expiration.ms
    int64_t abortTimedOutCheckIntervalMs = 10000;    // transaction.abort.timed.out.transaction.cleanup.interval.ms
    int64_t removeExpiredCheckIntervalMs = 3600000;  // transaction.remove.expired.transaction.cleanup.interval.ms
};

struct ProducerIdAndEpoch {
    int16_t errorCode = 0;
    int64_t producerId = -1;
    int16_t producerEpoch = -1;
};

struct TransactionListing {
    std::string transactionalId;
    int64_t producerId = -1;
    TxnState state = TxnState::Empty;
    int64_t startTimestampMs = -1;
};

// One lock guards every transaction. Ending a transaction writes the PrepareCommit/PrepareAbort
// record, the markers, then the Complete record before it answers: a client never sees a
// half-ended transaction, and a restart finishes any prepared one from the log.
class TransactionCoordinator {
public:
    TransactionCoordinator(TransactionCoordinatorConfig config, CoordinatorTopic& topic, TransactionMarkers& markers,
                           ProducerIdManager& producerIds, const storage::Clock& clock);
    ~TransactionCoordinator();
    TransactionCoordinator(const TransactionCoordinator&) = delete;
    TransactionCoordinator& operator=(const TransactionCoordinator&) = delete;

    int32_t partitionFor(const std::string& transactionalId) const;
    // Reads __transaction_state back and completes transactions that were being ended.
    Status load();
    void startBackgroundTasks();
    void stop();

    // InitProducerId with a transactional id: a new id, or the id's next epoch (fencing older
    // producers and aborting their open transaction). expected* are the KIP-360 fields (-1: none).
    ProducerIdAndEpoch initProducerId(const std::string& transactionalId, int32_t timeoutMs, int64_t expectedProducerId,
                                      int16_t expectedEpoch);
    // The top-level error; each partition's in `errors` (same order). verifyOnly (KIP-890) checks
    // the partitions are in the transaction and adds nothing.
    int16_t addPartitions(const std::string& transactionalId, int64_t producerId, int16_t producerEpoch,
                          const std::vector<TopicPartition>& partitions, bool verifyOnly, std::vector<int16_t>& errors);
    int16_t endTransaction(const std::string& transactionalId, int64_t producerId, int16_t producerEpoch, bool commit);
    // For TxnOffsetCommit: NONE if the producer's transaction may commit offsets now.
    int16_t checkProducer(const std::string& transactionalId, int64_t producerId, int16_t producerEpoch) const;

    std::optional<TransactionMetadata> describe(const std::string& transactionalId) const;
    std::vector<TransactionListing> list() const;

    // Aborts transactions open past their timeout (bumping the epoch, which fences their producer).
    void abortTimedOut();
    // Forgets ids unused for transactional.id.expiration.ms.
    void removeExpired();

private:
    int16_t checkEpoch(const TransactionMetadata& txn, int64_t producerId, int16_t producerEpoch) const;
    Status store(const TransactionMetadata& txn);
    Status storeTombstone(const std::string& transactionalId);
    Status appendRecord(const std::string& transactionalId, std::optional<std::span<const uint8_t>> value);
    // Writes the prepare record, every marker and the complete record.
    int16_t complete(TransactionMetadata& txn, bool commit);
    Status loadPartition(int32_t partition);
    int64_t now() const;

    const TransactionCoordinatorConfig m_config;
    CoordinatorTopic& m_topic;
    TransactionMarkers& m_markers;
    ProducerIdManager& m_producerIds;
    const storage::Clock& m_clock;

    mutable std::mutex m_mutex;
    std::map<std::string, TransactionMetadata> m_transactions;

    PeriodicThread m_background;
};

}  // namespace partita::coordinator
