// Control record keys, transaction marker values, and the marker batch.
#include "engine/protocol/records/controlrecord.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"

#include <string>

namespace partita::protocol::records {

bool isKnownControlType(int16_t type) {
    return type >= 0 && type <= int16_t(ControlRecordType::KRaftVoters);
}

std::array<uint8_t, 4> encodeControlRecordKey(ControlRecordType type, int16_t version) {
    std::array<uint8_t, 4> key{};
    storeBe16(key.data(), uint16_t(version));
    storeBe16(key.data() + 2, uint16_t(type));
    return key;
}

Result<ControlRecordKey> decodeControlRecordKey(std::span<const uint8_t> key) {
    if (key.size() < 4) {
        return makeError(ErrorKind::Malformed,
                         "control record key of " + std::to_string(key.size()) + " bytes is shorter than 4");
    }
    ControlRecordKey result{loadBeI16(key.data()), loadBeI16(key.data() + 2)};
    if (result.version < 0) {
        return makeError(ErrorKind::Malformed,
                         "control record key has negative version " + std::to_string(result.version));
    }
    return result;
}

std::array<uint8_t, 6> encodeEndTxnMarker(const EndTxnMarker& marker) {
    std::array<uint8_t, 6> value{};
    storeBe16(value.data(), uint16_t(marker.version));
    storeBe32(value.data() + 2, uint32_t(marker.coordinatorEpoch));
    return value;
}

Result<EndTxnMarker> decodeEndTxnMarker(std::span<const uint8_t> value) {
    if (value.size() < 6) {
        return makeError(ErrorKind::Malformed,
                         "transaction marker value of " + std::to_string(value.size()) + " bytes is shorter than 6");
    }
    EndTxnMarker marker{loadBeI16(value.data()), loadBeI32(value.data() + 2)};
    if (marker.version < 0) {
        return makeError(ErrorKind::Malformed,
                         "transaction marker has negative version " + std::to_string(marker.version));
    }
    return marker;
}

Result<std::vector<uint8_t>> buildEndTxnMarkerBatch(const EndTxnMarkerBatch& marker) {
    RecordBatchBuilder builder;
    builder.setBaseOffset(marker.baseOffset);
    builder.setPartitionLeaderEpoch(marker.partitionLeaderEpoch);
    builder.setProducer(marker.producerId, marker.producerEpoch, kNoSequence);
    builder.setTransactional(true);
    builder.setControl(true);
    const auto key = encodeControlRecordKey(marker.commit ? ControlRecordType::Commit : ControlRecordType::Abort);
    const auto value = encodeEndTxnMarker(EndTxnMarker{0, marker.coordinatorEpoch});
    Status status = builder.append(marker.timestamp, std::span<const uint8_t>(key), std::span<const uint8_t>(value));
    if (!status) return status.error();
    return builder.build();
}

std::optional<TxnMarker> readTxnMarker(const RecordBatchView& batch) {
    // A marker holds one small record; a control batch bigger than this is not read for its type.
    constexpr size_t kMaxControlBatchBytes = 64 * 1024;
    if (!batch.isControl()) return std::nullopt;
    auto reader = RecordReader::open(batch, kMaxControlBatchBytes);
    RecordView record;
    if (!reader || !reader->next(record) || !record.key) return std::nullopt;
    auto key = decodeControlRecordKey(*record.key);
    if (!key || (key->type != int16_t(ControlRecordType::Abort) && key->type != int16_t(ControlRecordType::Commit))) {
        return std::nullopt;
    }
    TxnMarker marker;
    marker.commit = key->type == int16_t(ControlRecordType::Commit);
    if (record.value) {
        if (auto value = decodeEndTxnMarker(*record.value)) marker.coordinatorEpoch = value->coordinatorEpoch;
    }
    return marker;
}

}  // namespace partita::protocol::records
