// Control records: the key (version, type) and the transaction marker value, and marker batches.
#pragma once

#include "engine/protocol/records/recordconstants.h"
#include "engine/protocol/result.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace partita::protocol::records {

enum class ControlRecordType : int16_t {
    Abort = 0,
    Commit = 1,
    LeaderChange = 2,
    SnapshotHeader = 3,
    SnapshotFooter = 4,
    KRaftVersion = 5,
    KRaftVoters = 6,
};

struct ControlRecordKey {
    int16_t version = 0;
    int16_t type = 0;  // raw; readers ignore types they do not know (isKnownControlType)
};

bool isKnownControlType(int16_t type);

// Key of a control record: int16 version, int16 type.
std::array<uint8_t, 4> encodeControlRecordKey(ControlRecordType type, int16_t version = 0);
// Malformed if shorter than 4 bytes or the version is negative; a longer key is accepted.
Result<ControlRecordKey> decodeControlRecordKey(std::span<const uint8_t> key);

// Value of an ABORT or COMMIT record: int16 version, int32 coordinator epoch.
struct EndTxnMarker {
    int16_t version = 0;
    int32_t coordinatorEpoch = 0;
};

std::array<uint8_t, 6> encodeEndTxnMarker(const EndTxnMarker& marker);
// Reads the first 6 bytes; later versions may append fields. Malformed if shorter or negative version.
Result<EndTxnMarker> decodeEndTxnMarker(std::span<const uint8_t> value);

// What a transaction marker batch says: COMMIT or ABORT, and the coordinator's epoch (from its
// one record). nullopt for other control batches and for one whose record does not decode.
struct TxnMarker {
    bool commit = false;
    std::optional<int32_t> coordinatorEpoch;  // nullopt: the record carries no readable value
};
class RecordBatchView;
std::optional<TxnMarker> readTxnMarker(const RecordBatchView& batch);

// A marker batch as the leader writes it for WriteTxnMarkers: transactional + control,
// uncompressed, CreateTime, BaseSequence -1, one record at offset delta 0.
struct EndTxnMarkerBatch {
    bool commit = true;
    int64_t producerId = kNoProducerId;
    int16_t producerEpoch = kNoProducerEpoch;
    int32_t coordinatorEpoch = 0;
    int64_t timestamp = kNoTimestamp;
    int64_t baseOffset = 0;
    int32_t partitionLeaderEpoch = kNoPartitionLeaderEpoch;
};
Result<std::vector<uint8_t>> buildEndTxnMarkerBatch(const EndTxnMarkerBatch& marker);

}  // namespace partita::protocol::records
