// ProducerBatch: appends, the build or in-place restamp of the producer fields, and delivery reports.
#include "engine/client/producerbatch.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/crc32c.h"
#include "engine/protocol/records/recordbatch.h"

namespace partita::client {

namespace records = protocol::records;

ProducerBatch::ProducerBatch(uint64_t id, std::string topic, int32_t partition, records::RecordBatchBuilder builder,
                             Clock::time_point createdAt, Clock::time_point deadline, uint64_t flushEpoch)
    : createdAt(createdAt),
      deadline(deadline),
      flushEpoch(flushEpoch),
      m_id(id),
      m_topic(std::move(topic)),
      m_partition(partition),
      m_builder(std::move(builder)) {}

std::string ProducerBatch::where() const {
    return m_topic + "-" + std::to_string(m_partition);
}

Status ProducerBatch::append(int64_t timestamp, records::OptionalBytesView key, records::OptionalBytesView value,
                             std::span<const records::HeaderView> headers, DeliveryCallback&& done, int32_t keySize,
                             int32_t valueSize) {
    if (Status s = m_builder.append(timestamp, key, value, headers); !s.ok()) return s;
    if (m_deliveries.capacity() == 0) m_deliveries.reserve(64);
    m_deliveries.push_back(Delivery{std::move(done), timestamp, keySize, valueSize});
    return Status::success();
}

Status ProducerBatch::stamp(int64_t producerId, int16_t producerEpoch, int32_t sequence) {
    if (!m_built) {
        m_builder.setProducer(producerId, producerEpoch, sequence);
        auto built = m_builder.build();
        if (!built.ok()) return built.error();
        m_built = std::make_shared<std::vector<uint8_t>>(std::move(built.value()));
        return Status::success();
    }
    // The CRC covers everything from the attributes on, producer fields included.
    uint8_t* p = m_built->data();
    records::storeBe64(p + records::batch::kProducerId, uint64_t(producerId));
    records::storeBe16(p + records::batch::kProducerEpoch, uint16_t(producerEpoch));
    records::storeBe32(p + records::batch::kBaseSequence, uint32_t(sequence));
    records::storeBe32(p + records::batch::kCrc,
                       records::crc32c(std::span<const uint8_t>(*m_built).subspan(records::batch::kAttributes)));
    return Status::success();
}

Bytes ProducerBatch::bytes() const {
    if (!m_built) return {};
    return Bytes(m_built, m_built->data(), m_built->size());
}

void ProducerBatch::complete(int64_t baseOffset, int64_t logAppendTime) {
    for (size_t i = 0; i < m_deliveries.size(); ++i) {
        Delivery& d = m_deliveries[i];
        if (!d.done) continue;
        RecordMetadata metadata;
        metadata.topic = m_topic;
        metadata.partition = m_partition;
        metadata.offset = baseOffset >= 0 ? baseOffset + int64_t(i) : -1;
        metadata.timestamp = logAppendTime >= 0 ? logAppendTime : d.timestamp;
        metadata.serializedKeySize = d.keySize;
        metadata.serializedValueSize = d.valueSize;
        d.done(std::move(metadata));
    }
}

void ProducerBatch::fail(const Error& error) {
    for (Delivery& d : m_deliveries)
        if (d.done) d.done(error);
}

}  // namespace partita::client
