// How transaction errors reach clients of older request versions.
#pragma once

#include "engine/protocol/errorcodes.h"

#include <cstdint>

namespace partita::broker {

// PRODUCER_FENCED (KIP-588) is unknown to clients of older request versions; Kafka tells them
// INVALID_PRODUCER_EPOCH instead, which they treat the same way.
inline int16_t fencedForVersion(int16_t error, int16_t version, int16_t firstVersionWithFenced) {
    if (error == protocol::code(protocol::ErrorCode::ProducerFenced) && version < firstVersionWithFenced) {
        return protocol::code(protocol::ErrorCode::InvalidProducerEpoch);
    }
    return error;
}

}  // namespace partita::broker
