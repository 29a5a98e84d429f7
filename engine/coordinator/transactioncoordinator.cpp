// The transaction coordinator: InitProducerId for transactional ids, AddPartitionsToTxn, EndTxn, timeouts, expiry.
#include "engine/coordinator/transactioncoordinator.h"

#include "engine/coordinator/coordinatorlog.h"
#include "engine/coordinator/coordinatorpartition.h"
#include "engine/coordinator/produceridmanager.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/storage/clock.h"
#include "engine/storage/partitionlog.h"

#include <spdlog/spdlog.h>

#include <limits>

namespace partita::coordinator {

namespace records = protocol::records;
using protocol::code;
using protocol::ErrorCode;

namespace {

constexpr auto kTick = std::chrono::milliseconds(200);

bool isPrepare(TxnState state) {
    return state == TxnState::PrepareCommit || state == TxnState::PrepareAbort || state == TxnState::PrepareEpochFence;
}

}  // namespace

TransactionCoordinator::TransactionCoordinator(TransactionCoordinatorConfig config, CoordinatorTopic& topic,
                                               TransactionMarkers& markers, ProducerIdManager& producerIds,
                                               const storage::Clock& clock)
    : m_config(config), m_topic(topic), m_markers(markers), m_producerIds(producerIds), m_clock(clock) {}

TransactionCoordinator::~TransactionCoordinator() {
    stop();
}

int64_t TransactionCoordinator::now() const {
    return m_clock.nowMs();
}

int32_t TransactionCoordinator::partitionFor(const std::string& transactionalId) const {
    return coordinatorPartition(transactionalId, m_config.numPartitions);
}

// --- persistence ---

Status TransactionCoordinator::store(const TransactionMetadata& txn) {
    const Bytes value = transactionLogValue(txn);
    return appendRecord(txn.transactionalId, value.span());
}

Status TransactionCoordinator::storeTombstone(const std::string& transactionalId) {
    return appendRecord(transactionalId, std::nullopt);
}

Status TransactionCoordinator::appendRecord(const std::string& transactionalId,
                                            std::optional<std::span<const uint8_t>> value) {
    records::RecordBatchBuilder builder;
    const Bytes key = transactionLogKey(transactionalId);
    if (Status st = builder.append(now(), key.span(), value); !st) return st;
    auto batch = builder.build();
    if (!batch) return batch.error();
    return m_topic.append(partitionFor(transactionalId), *batch);
}

Status TransactionCoordinator::load() {
    if (!m_topic.exists()) return {};
    for (int32_t p = 0; p < m_config.numPartitions; ++p) {
        if (Status st = loadPartition(p); !st) return st;
    }
    std::lock_guard lock(m_mutex);
    // A transaction that was being ended when the broker stopped is ended now, as it was decided.
    size_t finished = 0;
    for (auto& [id, txn] : m_transactions) {
        if (!isPrepare(txn.state)) continue;
        (void)complete(txn, txn.state == TxnState::PrepareCommit);
        ++finished;
    }
    if (!m_transactions.empty()) {
        spdlog::info("loaded {} transactional ids ({} prepared transactions completed)", m_transactions.size(),
                     finished);
    }
    return {};
}

Status TransactionCoordinator::loadPartition(int32_t partition) {
    auto log = m_topic.partitionLog(partition);
    if (!log) return log.error();
    std::lock_guard lock(m_mutex);
    CoordinatorLogVisitor visitor;
    visitor.onRecord = [&](const records::RecordBatchView&, int64_t offset, const Bytes& key,
                           const std::optional<Bytes>& value) {
        auto decoded = decodeTransactionRecord(key, value);
        if (!decoded) {
            spdlog::warn("{}-{} offset {}: skipping a record: {}", kTransactionStateTopic, partition, offset,
                         decoded.error().message);
        } else if (decoded->transaction) {
            m_transactions[decoded->transactionalId] = std::move(*decoded->transaction);
        } else {
            m_transactions.erase(decoded->transactionalId);
        }
    };
    return replayCoordinatorLog(**log, visitor);
}

// --- requests ---

int16_t TransactionCoordinator::checkEpoch(const TransactionMetadata& txn, int64_t producerId,
                                           int16_t producerEpoch) const {
    if (txn.producerId != producerId) return code(ErrorCode::InvalidProducerIdMapping);
    if (txn.producerEpoch != producerEpoch) return code(ErrorCode::ProducerFenced);
    return 0;
}

ProducerIdAndEpoch TransactionCoordinator::initProducerId(const std::string& transactionalId, int32_t timeoutMs,
                                                          int64_t expectedProducerId, int16_t expectedEpoch) {
    ProducerIdAndEpoch out;
    auto fail = [&out](ErrorCode error) {
        out.errorCode = code(error);
        return out;
    };
    if (timeoutMs <= 0 || timeoutMs > m_config.maxTimeoutMs) return fail(ErrorCode::InvalidTransactionTimeout);
    std::lock_guard lock(m_mutex);
    auto it = m_transactions.find(transactionalId);
    const int64_t t = now();
    if (it == m_transactions.end()) {
        auto id = m_producerIds.next();
        if (!id) return fail(ErrorCode::CoordinatorNotAvailable);
        TransactionMetadata txn;
        txn.transactionalId = transactionalId;
        txn.producerId = *id;
        txn.producerEpoch = 0;
        txn.timeoutMs = timeoutMs;
        txn.lastUpdateTimestampMs = t;
        if (Status st = store(txn); !st) {
            spdlog::warn("transactional id {}: cannot store it: {}", transactionalId, st.error().message);
            return fail(ErrorCode::CoordinatorNotAvailable);
        }
        out.producerId = txn.producerId;
        out.producerEpoch = txn.producerEpoch;
        m_transactions.emplace(transactionalId, std::move(txn));
        return out;
    }
    TransactionMetadata& txn = it->second;
    if (isPrepare(txn.state)) return fail(ErrorCode::ConcurrentTransactions);
    // KIP-360: a producer recovering names the id and epoch it had; anything else is a zombie.
    if (expectedProducerId >= 0) {
        const bool current = expectedProducerId == txn.producerId && expectedEpoch == txn.producerEpoch;
        const bool retried = expectedProducerId == txn.lastProducerId && expectedEpoch == txn.lastProducerEpoch;
        if (!current && !retried) return fail(ErrorCode::ProducerFenced);
        if (retried) {
            out.producerId = txn.producerId;
            out.producerEpoch = txn.producerEpoch;
            return out;
        }
    }
    // A new incarnation of the producer: its predecessor's open transaction is aborted under the
    // new epoch, which fences the predecessor in every partition.
    const int64_t oldId = txn.producerId;
    const int16_t oldEpoch = txn.producerEpoch;
    if (txn.producerEpoch >= std::numeric_limits<int16_t>::max() - 1) {
        auto id = m_producerIds.next();
        if (!id) return fail(ErrorCode::CoordinatorNotAvailable);
        txn.producerId = *id;
        txn.producerEpoch = 0;
    } else {
        ++txn.producerEpoch;
    }
    txn.lastProducerId = oldId;
    txn.lastProducerEpoch = oldEpoch;
    txn.timeoutMs = timeoutMs;
    if (txn.state == TxnState::Ongoing) {
        spdlog::info("transactional id {}: a new producer instance aborts the open transaction of epoch {}",
                     transactionalId, oldEpoch);
        if (oldId != txn.producerId) {
            // Markers must carry the id the partitions know, with an epoch above the zombie's.
            const int64_t newId = txn.producerId;
            const int16_t newEpoch = txn.producerEpoch;
            txn.producerId = oldId;
            txn.producerEpoch = int16_t(oldEpoch + 1);
            if (int16_t error = complete(txn, false)) return fail(ErrorCode(error));
            txn.producerId = newId;
            txn.producerEpoch = newEpoch;
        } else if (int16_t error = complete(txn, false)) {
            return fail(ErrorCode(error));
        }
    }
    txn.state = TxnState::Empty;
    txn.partitions.clear();
    txn.startTimestampMs = -1;
    txn.lastUpdateTimestampMs = t;
    if (Status st = store(txn); !st) {
        spdlog::warn("transactional id {}: cannot store the new epoch: {}", transactionalId, st.error().message);
        return fail(ErrorCode::CoordinatorNotAvailable);
    }
    out.producerId = txn.producerId;
    out.producerEpoch = txn.producerEpoch;
    return out;
}

int16_t TransactionCoordinator::addPartitions(const std::string& transactionalId, int64_t producerId,
                                              int16_t producerEpoch, const std::vector<TopicPartition>& partitions,
                                              bool verifyOnly, std::vector<int16_t>& errors) {
    errors.assign(partitions.size(), 0);
    auto failAll = [&errors](int16_t error) {
        for (auto& e : errors) e = error;
        return error;
    };
    std::lock_guard lock(m_mutex);
    auto it = m_transactions.find(transactionalId);
    if (it == m_transactions.end()) return failAll(code(ErrorCode::InvalidProducerIdMapping));
    TransactionMetadata& txn = it->second;
    if (int16_t error = checkEpoch(txn, producerId, producerEpoch)) return failAll(error);
    if (isPrepare(txn.state)) return failAll(code(ErrorCode::ConcurrentTransactions));
    if (verifyOnly) {
        for (size_t i = 0; i < partitions.size(); ++i) {
            if (txn.state != TxnState::Ongoing || !txn.partitions.count(partitions[i])) {
                errors[i] = code(ErrorCode::InvalidTxnState);
            }
        }
        return 0;
    }
    // An unknown partition fails the request; the others are reported as not attempted.
    bool unknown = false;
    for (size_t i = 0; i < partitions.size(); ++i) {
        if (!m_markers.hasPartition(partitions[i])) {
            errors[i] = code(ErrorCode::UnknownTopicOrPartition);
            unknown = true;
        }
    }
    if (unknown) {
        for (auto& e : errors) {
            if (e == 0) e = code(ErrorCode::OperationNotAttempted);
        }
        return 0;
    }
    bool added = txn.state != TxnState::Ongoing;
    for (const auto& p : partitions) added |= txn.partitions.insert(p).second;
    if (!added) return 0;
    const int64_t t = now();
    if (txn.state != TxnState::Ongoing) {
        txn.state = TxnState::Ongoing;
        txn.startTimestampMs = t;
    }
    txn.lastUpdateTimestampMs = t;
    if (Status st = store(txn); !st) {
        spdlog::warn("transactional id {}: cannot store added partitions: {}", transactionalId, st.error().message);
        return failAll(code(ErrorCode::CoordinatorNotAvailable));
    }
    return 0;
}

int16_t TransactionCoordinator::checkProducer(const std::string& transactionalId, int64_t producerId,
                                              int16_t producerEpoch) const {
    std::lock_guard lock(m_mutex);
    auto it = m_transactions.find(transactionalId);
    if (it == m_transactions.end()) return code(ErrorCode::InvalidProducerIdMapping);
    return checkEpoch(it->second, producerId, producerEpoch);
}

int16_t TransactionCoordinator::endTransaction(const std::string& transactionalId, int64_t producerId,
                                               int16_t producerEpoch, bool commit) {
    std::lock_guard lock(m_mutex);
    auto it = m_transactions.find(transactionalId);
    if (it == m_transactions.end()) return code(ErrorCode::InvalidProducerIdMapping);
    TransactionMetadata& txn = it->second;
    if (int16_t error = checkEpoch(txn, producerId, producerEpoch)) return error;
    switch (txn.state) {
        case TxnState::Ongoing:
            return complete(txn, commit);
        case TxnState::CompleteCommit:
            // A retry of the same EndTxn succeeds; the other outcome is not possible any more.
            return commit ? int16_t(0) : code(ErrorCode::InvalidTxnState);
        case TxnState::CompleteAbort:
            return commit ? code(ErrorCode::InvalidTxnState) : int16_t(0);
        case TxnState::PrepareCommit:
        case TxnState::PrepareAbort:
        case TxnState::PrepareEpochFence:
            return code(ErrorCode::ConcurrentTransactions);
        case TxnState::Empty:
        case TxnState::Dead:
            break;
    }
    return code(ErrorCode::InvalidTxnState);
}

int16_t TransactionCoordinator::complete(TransactionMetadata& txn, bool commit) {
    const int64_t t = now();
    txn.state = commit ? TxnState::PrepareCommit : TxnState::PrepareAbort;
    txn.lastUpdateTimestampMs = t;
    if (Status st = store(txn); !st) {
        spdlog::warn("transactional id {}: cannot store the end of the transaction: {}", txn.transactionalId,
                     st.error().message);
        txn.state = TxnState::Ongoing;
        return code(ErrorCode::CoordinatorNotAvailable);
    }
    for (const auto& partition : txn.partitions) {
        // A partition deleted meanwhile needs no marker (Kafka drops those too).
        if (!m_markers.hasPartition(partition)) continue;
        if (Status st = m_markers.writeMarker(partition, txn.producerId, txn.producerEpoch, commit); !st) {
            // The prepare record is in the log: the next start completes it.
            spdlog::error("transactional id {}: marker for {}-{} failed: {}", txn.transactionalId, partition.topic,
                          partition.partition, st.error().message);
            return code(ErrorCode::CoordinatorNotAvailable);
        }
    }
    txn.state = commit ? TxnState::CompleteCommit : TxnState::CompleteAbort;
    txn.partitions.clear();
    txn.lastUpdateTimestampMs = now();
    if (Status st = store(txn); !st) {
        spdlog::warn("transactional id {}: cannot store the completed transaction: {}", txn.transactionalId,
                     st.error().message);
    }
    return 0;
}

std::optional<TransactionMetadata> TransactionCoordinator::describe(const std::string& transactionalId) const {
    std::lock_guard lock(m_mutex);
    auto it = m_transactions.find(transactionalId);
    if (it == m_transactions.end()) return std::nullopt;
    return it->second;
}

std::vector<TransactionListing> TransactionCoordinator::list() const {
    std::lock_guard lock(m_mutex);
    std::vector<TransactionListing> out;
    for (const auto& [id, txn] : m_transactions) out.push_back({id, txn.producerId, txn.state, txn.startTimestampMs});
    return out;
}

// --- time ---

void TransactionCoordinator::abortTimedOut() {
    std::lock_guard lock(m_mutex);
    const int64_t t = now();
    for (auto& [id, txn] : m_transactions) {
        if (txn.state != TxnState::Ongoing || t < txn.startTimestampMs + txn.timeoutMs) continue;
        // Kafka bumps the epoch when it aborts on a timeout: the producer, if it is still there,
        // is fenced rather than carrying on in a transaction that is gone.
        spdlog::info("transactional id {}: aborting the transaction open for more than {} ms", id, txn.timeoutMs);
        if (txn.producerEpoch < std::numeric_limits<int16_t>::max() - 1) {
            txn.lastProducerId = txn.producerId;
            txn.lastProducerEpoch = txn.producerEpoch;
            ++txn.producerEpoch;
        }
        (void)complete(txn, false);
    }
}

void TransactionCoordinator::removeExpired() {
    std::lock_guard lock(m_mutex);
    const int64_t t = now();
    for (auto it = m_transactions.begin(); it != m_transactions.end();) {
        const TransactionMetadata& txn = it->second;
        const bool idle = txn.state == TxnState::Empty || txn.state == TxnState::CompleteCommit ||
                          txn.state == TxnState::CompleteAbort;
        if (idle && t - txn.lastUpdateTimestampMs >= m_config.idExpirationMs && storeTombstone(it->first).ok()) {
            spdlog::info("transactional id {} expired", it->first);
            it = m_transactions.erase(it);
        } else {
            ++it;
        }
    }
}

void TransactionCoordinator::startBackgroundTasks() {
    int64_t nextAbortCheck = 0;
    int64_t nextExpiryCheck = now() + m_config.removeExpiredCheckIntervalMs;
    m_background.start(kTick, [this, nextAbortCheck, nextExpiryCheck]() mutable {
        const int64_t t = now();
        if (t >= nextAbortCheck) {
            abortTimedOut();
            nextAbortCheck = t + m_config.abortTimedOutCheckIntervalMs;
        }
        if (t >= nextExpiryCheck) {
            removeExpired();
            nextExpiryCheck = t + m_config.removeExpiredCheckIntervalMs;
        }
    });
}

void TransactionCoordinator::stop() {
    m_background.stop();
}

}  // namespace partita::coordinator
