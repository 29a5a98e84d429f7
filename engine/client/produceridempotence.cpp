// ProducerIdempotence: producer id generations and sequence wrap-around.
#include "engine/client/produceridempotence.h"

#include <limits>

namespace partita::client {

void ProducerIdempotence::set(int64_t producerId, int16_t producerEpoch) {
    m_producerId = producerId;
    m_producerEpoch = producerEpoch;
}

void ProducerIdempotence::reset() {
    m_producerId = -1;
    m_producerEpoch = -1;
    ++m_generation;
}

int32_t ProducerIdempotence::incrementSequence(int32_t sequence, int32_t increment) {
    constexpr int32_t max = std::numeric_limits<int32_t>::max();
    if (sequence > max - increment) return increment - (max - sequence) - 1;
    return sequence + increment;
}

}  // namespace partita::client
