// Transactions as the transaction coordinator keeps them, and their records in __transaction_state.
#pragma once

#include "engine/coordinator/group.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace partita::coordinator {

inline constexpr const char* kTransactionStateTopic = "__transaction_state";

// Kafka's TransactionState ids, as stored in TransactionLogValue.TransactionStatus.
enum class TxnState : int8_t {
    Empty = 0,
    Ongoing = 1,
    PrepareCommit = 2,
    PrepareAbort = 3,
    CompleteCommit = 4,
    CompleteAbort = 5,
    Dead = 6,
    PrepareEpochFence = 7,
};
std::string_view txnStateName(TxnState state);
std::optional<TxnState> parseTxnState(std::string_view name);

struct TransactionMetadata {
    std::string transactionalId;
    int64_t producerId = -1;
    int64_t lastProducerId = -1;  // before an epoch overflow moved to a new id
    int16_t producerEpoch = -1;
    int16_t lastProducerEpoch = -1;  // the epoch before the last bump (a retried InitProducerId)
    int32_t timeoutMs = 60000;
    TxnState state = TxnState::Empty;
    std::set<TopicPartition> partitions;
    int64_t startTimestampMs = -1;
    int64_t lastUpdateTimestampMs = -1;
};

// TransactionLogKey v0 and TransactionLogValue v0 (what Kafka 3.x writes); a null value removes the id.
Bytes transactionLogKey(const std::string& transactionalId);
Bytes transactionLogValue(const TransactionMetadata& txn);
// nullopt transaction: a tombstone. Corrupt if the bytes do not parse.
struct TransactionRecord {
    std::string transactionalId;
    std::optional<TransactionMetadata> transaction;
};
Result<TransactionRecord> decodeTransactionRecord(const Bytes& key, const std::optional<Bytes>& value);

}  // namespace partita::coordinator
