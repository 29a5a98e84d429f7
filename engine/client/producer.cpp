// Producer: the public face of ProducerSender.
#include "engine/client/producer.h"

#include "engine/client/kafkaclient.h"
#include "engine/client/producersender.h"

namespace partita::client {

Producer::Producer(std::shared_ptr<KafkaClient> client, ProducerConfig config)
    : m_sender(std::make_shared<ProducerSender>(std::move(client), std::move(config))) {}

Result<std::unique_ptr<Producer>> Producer::create(std::shared_ptr<KafkaClient> client) {
    if (!client) return Error{ErrorKind::InvalidArgument, "the producer needs a client"};
    auto config = ProducerConfig::fromClientConfig(client->config());
    if (!config.ok()) return config.error();
    return std::make_unique<Producer>(std::move(client), std::move(config.value()));
}

Producer::~Producer() {
    m_sender->close({});
}

const ProducerConfig& Producer::config() const {
    return m_sender->config();
}

Status Producer::produce(const ProducerRecord& record, DeliveryCallback done) {
    return m_sender->produce(record, std::move(done));
}

void Producer::flush(std::function<void(Status)> done) {
    m_sender->flush(std::move(done));
}

void Producer::close(std::function<void(Status)> done) {
    m_sender->close(std::move(done));
}

ProducerMetrics Producer::metrics() const {
    return m_sender->metrics();
}

}  // namespace partita::client
