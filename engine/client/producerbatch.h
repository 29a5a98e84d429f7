// ProducerBatch: the records of one partition on their way to the broker, and their callbacks.
#pragma once

#include "engine/client/producerrecord.h"
#include "engine/protocol/bytes.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/result.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace partita::client {

// Records go straight into a RecordBatchBuilder (keys and values are copied once, into its one
// buffer); the batch is built (compressed, CRC) when it is first sent, with the producer id and
// sequence the sender gives it. A retry after a producer id change patches those header fields
// in place rather than building again. The accumulator owns an open batch under its lock, the
// sender owns it afterwards on its strand; nothing here locks.
class ProducerBatch {
public:
    using Clock = std::chrono::steady_clock;

    ProducerBatch(uint64_t id, std::string topic, int32_t partition, protocol::records::RecordBatchBuilder builder,
                  Clock::time_point createdAt, Clock::time_point deadline, uint64_t flushEpoch);

    uint64_t id() const { return m_id; }
    const std::string& topic() const { return m_topic; }
    int32_t partition() const { return m_partition; }
    int32_t recordCount() const { return int32_t(m_deliveries.size()); }
    // Bytes of records so far, before compression, batch header included.
    size_t uncompressedSize() const { return m_builder.uncompressedSize(); }
    // "topic-partition", the way errors name it.
    std::string where() const;

    Status append(int64_t timestamp, protocol::records::OptionalBytesView key,
                  protocol::records::OptionalBytesView value, std::span<const protocol::records::HeaderView> headers,
                  DeliveryCallback&& done, int32_t keySize, int32_t valueSize);

    // Builds the batch (once) with these producer fields, or patches them into the built bytes.
    Status stamp(int64_t producerId, int16_t producerEpoch, int32_t baseSequence);
    bool isBuilt() const { return m_built != nullptr; }
    // The builder, to reuse for another batch once this one is built.
    protocol::records::RecordBatchBuilder takeBuilder() { return std::move(m_builder); }
    // The built batch as the request carries it (shares this batch's buffer).
    Bytes bytes() const;
    size_t sizeInBytes() const { return m_built ? m_built->size() : m_builder.uncompressedSize(); }

    // Runs every record's callback, in order.
    void complete(int64_t baseOffset, int64_t logAppendTime);
    void fail(const Error& error);

    // Bookkeeping of the accumulator and the sender.
    const Clock::time_point createdAt;
    const Clock::time_point deadline;  // delivery.timeout.ms after creation
    uint64_t flushEpoch;               // the flush() generation its records belong to
    int64_t chargedBytes = 0;          // counted against buffer.memory
    int64_t ordinal = 0;               // order within its partition (set when drained)
    int32_t attempts = 0;              // sends that failed and were retried
    bool resend = false;               // sent before: goes out alone, after the batches before it
    bool stamped = false;              // carries a sequence of generation `generation`
    uint64_t generation = 0;           // the producer id generation of that sequence
    int32_t baseSequence = -1;

private:
    struct Delivery {
        DeliveryCallback done;
        int64_t timestamp;
        int32_t keySize;
        int32_t valueSize;
    };

    const uint64_t m_id;
    const std::string m_topic;
    const int32_t m_partition;
    protocol::records::RecordBatchBuilder m_builder;
    std::shared_ptr<std::vector<uint8_t>> m_built;
    std::vector<Delivery> m_deliveries;
};

}  // namespace partita::client
