// TransactionLogKey / TransactionLogValue encoding with the generated internal-record structs.
#include "engine/coordinator/transactionrecords.h"

#include "engine/protocol/messages/transactionlogkey.h"
#include "engine/protocol/messages/transactionlogvalue.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace partita::coordinator {

namespace {

constexpr int16_t kKeyVersion = 0;
constexpr int16_t kValueVersion = 0;
constexpr TxnState kAllStates[] = {TxnState::Empty,        TxnState::Ongoing,          TxnState::PrepareCommit,
                                   TxnState::PrepareAbort, TxnState::CompleteCommit,   TxnState::CompleteAbort,
                                   TxnState::Dead,         TxnState::PrepareEpochFence};

Bytes encode(const protocol::ApiMessage& message, int16_t version) {
    protocol::Writer writer(64);
    writer.writeInt16(version);
    message.encode(writer, version);
    return writer.ok() ? writer.take() : Bytes();
}

Error corrupt(const std::string& what) {
    return Error{ErrorKind::Corrupt, "__transaction_state record: " + what};
}

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
        std::string_view known = txnStateName(state);
        if (known.size() == name.size() && std::equal(known.begin(), known.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            })) {
            return state;
        }
    }
    return std::nullopt;
}

Bytes transactionLogKey(const std::string& transactionalId) {
    protocol::TransactionLogKey key;
    key.transactionalId = transactionalId;
    return encode(key, kKeyVersion);
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
    return encode(value, kValueVersion);
}

Result<TransactionRecord> decodeTransactionRecord(const Bytes& key, const std::optional<Bytes>& value) {
    protocol::Reader keyReader(key);
    const int16_t keyVersion = keyReader.readInt16();
    if (!keyReader.ok() || keyVersion != kKeyVersion) return corrupt("unknown key version");
    protocol::TransactionLogKey k;
    k.decode(keyReader, keyVersion);
    if (!keyReader.ok()) return corrupt(keyReader.error());
    TransactionRecord record{k.transactionalId, std::nullopt};
    if (!value) return record;
    protocol::Reader valueReader(*value);
    const int16_t valueVersion = valueReader.readInt16();
    if (!valueReader.ok() || valueVersion < protocol::TransactionLogValue::kLowestVersion ||
        valueVersion > protocol::TransactionLogValue::kHighestVersion) {
        return corrupt("unknown value version");
    }
    protocol::TransactionLogValue v;
    v.decode(valueReader, valueVersion);
    if (!valueReader.ok()) return corrupt(valueReader.error());
    if (v.transactionStatus < 0 || v.transactionStatus > int8_t(TxnState::PrepareEpochFence)) {
        return corrupt("unknown transaction state " + std::to_string(v.transactionStatus));
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
