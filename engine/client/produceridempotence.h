// ProducerIdempotence: the idempotent producer's id and epoch, their generations, and sequence arithmetic.
#pragma once

#include <chrono>
#include <cstdint>

namespace partita::client {

// The id comes from InitProducerId (no transactional id). When a batch that carried a sequence
// fails for good, the partition's sequence has a gap the broker will never accept: the id is
// forgotten (a new generation begins) and a new one is asked for, with every partition's
// sequence starting again at 0. Batches stamped in an older generation are stamped again before
// they are sent. Used only on the sender's strand.
class ProducerIdempotence {
public:
    using Clock = std::chrono::steady_clock;

    bool hasProducerId() const { return m_producerId >= 0; }
    int64_t producerId() const { return m_producerId; }
    int16_t producerEpoch() const { return m_producerEpoch; }
    uint64_t generation() const { return m_generation; }

    void set(int64_t producerId, int16_t producerEpoch);
    // Forgets the id: batches stamped so far belong to an older generation.
    void reset();

    // Kafka's sequence arithmetic: sequences wrap from INT32_MAX to 0.
    static int32_t incrementSequence(int32_t sequence, int32_t increment);

    // The InitProducerId request of the sender.
    bool requestInFlight = false;
    Clock::time_point retryAt{};

private:
    int64_t m_producerId = -1;
    int16_t m_producerEpoch = -1;
    uint64_t m_generation = 1;
};

}  // namespace partita::client
