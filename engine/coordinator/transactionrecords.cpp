// TransactionLogKey / TransactionLogValue encoding with the generated internal-record structs.
#include "engine/coordinator/transactionrecords.h"

#include "engine/coordinator/internalrecord.h"
#include "engine/protocol/messages/transactionlogkey.h"
#include "engine/protocol/messages/transactionlogvalue.h"
#include "engine/storage/configsyntax.h"

#include <map>

namespace partita::coordinator {

namespace {

constexpr int16_t kKeyVersion = 0;
constexpr int16_t kValueVersion = 0;
constexpr TxnState kAllStates[] = {TxnState::Empty,        TxnState::Ongoing,          TxnState::PrepareCommit,
                                   TxnState::PrepareAbort, TxnState::CompleteCommit,   TxnState::CompleteAbort,
                                   TxnState::Dead,         TxnState::PrepareEpochFence};

}  // namespace

std::string_view txnStateName(TxnState state) {
    switch (state) {
        case TxnState::Empty:
            return "Empty";
        case TxnState::Ongoing:
            return "Ongoing";
        case TxnState::PrepareCommit:
            return "PrepareCommit";
        case TxnState::PrepareAbort:
            return "PrepareAbort";
        case TxnState::CompleteCommit:
            return "CompleteCommit";
        case TxnState::CompleteAbort:
            return "CompleteAbort";
        case TxnState::Dead:
            return "Dead";
        case TxnState::PrepareEpochFence:
            return "PrepareEpochFence";
    }
    return "Unknown";
}

std::optional<TxnState> parseTxnState(std::string_view name) {
    for (TxnState state : kAllStates) {
        if (storage::equalsIgnoreCase(name, txnStateName(state))) return state;
    }
    return std::nullopt;
}

Bytes transactionLogKey(const std::string& transactionalId) {
    protocol::TransactionLogKey key;
    key.transactionalId = transactionalId;
    return encodeInternalRecord(key, kKeyVersion);
}

Bytes transactionLogValue(const TransactionMetadata& txn) {
    protocol::TransactionLogValue value;
    value.producerId = txn.producerId;
    value.producerEpoch = txn.producerEpoch;
    value.transactionTimeoutMs = txn.timeoutMs;
    value.transactionStatus = int8_t(txn.state);
    std::map<std::string, std::vector<int32_t>> byTopic;
    for (const auto& tp : txn.partitions) byTopic[tp.topic].push_back(tp.partition);
    value.transactionPartitions.emplace();
    for (auto& [topic, partitions] : byTopic) {
        protocol::TransactionLogValuePartitionsSchema entry;
        entry.topic = topic;
        entry.partitionIds = std::move(partitions);
        value.transactionPartitions->push_back(std::move(entry));
    }
    value.transactionLastUpdateTimestampMs = txn.lastUpdateTimestampMs;
    value.transactionStartTimestampMs = txn.startTimestampMs;
    return encodeInternalRecord(value, kValueVersion);
}

Result<TransactionRecord> decodeTransactionRecord(const Bytes& key, const std::optional<Bytes>& value) {
    protocol::Reader keyReader(key);
    protocol::TransactionLogKey k;
    if (Status st = decodeInternalRecord(keyReader, k, keyReader.readInt16(), "TransactionLogKey"); !st) {
        return st.error();
    }
    TransactionRecord record{k.transactionalId, std::nullopt};
    if (!value) return record;
    protocol::Reader valueReader(*value);
    protocol::TransactionLogValue v;
    if (Status st = decodeInternalRecord(valueReader, v, valueReader.readInt16(), "TransactionLogValue"); !st) {
        return st.error();
    }
    if (v.transactionStatus < 0 || v.transactionStatus > int8_t(TxnState::PrepareEpochFence)) {
        return Error{ErrorKind::Corrupt,
                     "TransactionLogValue: unknown transaction state " + std::to_string(v.transactionStatus)};
    }
    TransactionMetadata txn;
    txn.transactionalId = k.transactionalId;
    txn.producerId = v.producerId;
    txn.producerEpoch = v.producerEpoch;
    txn.timeoutMs = v.transactionTimeoutMs;
    txn.state = TxnState(v.transactionStatus);
    if (v.transactionPartitions) {
        for (const auto& entry : *v.transactionPartitions) {
            for (int32_t p : entry.partitionIds) txn.partitions.insert({entry.topic, p});
        }
    }
    txn.lastUpdateTimestampMs = v.transactionLastUpdateTimestampMs;
    txn.startTimestampMs = v.transactionStartTimestampMs;
    record.transaction = std::move(txn);
    return record;
}

}  // namespace partita::coordinator
