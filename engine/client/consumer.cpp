// Consumer: the public face of the browsing consumer; the work happens in detail::ConsumerCore.
#include "engine/client/consumer.h"

#include "engine/client/consumercore.h"

namespace partita::client {

void PollHandle::cancel() {
    if (auto core = m_core.lock()) core->cancelPoll(m_id);
}

Consumer::Consumer(std::shared_ptr<KafkaClient> client, ConsumerConfig config)
    : m_core(std::make_shared<detail::ConsumerCore>(std::move(client), std::move(config))) {}

Consumer::~Consumer() {
    close();
}

const ConsumerConfig& Consumer::config() const {
    return m_core->config();
}

void Consumer::assign(std::vector<TopicPartition> partitions) {
    m_core->assign(std::move(partitions));
}

void Consumer::unassign() {
    m_core->assign({});
}

std::vector<TopicPartition> Consumer::assignment() const {
    return m_core->assignment();
}

Status Consumer::seek(const TopicPartition& partition, StartPosition position) {
    return m_core->seek(partition, position);
}

Status Consumer::seek(StartPosition position) {
    return m_core->seekAll(position);
}

PollHandle Consumer::poll(PollCallback done) {
    return m_core->poll(std::move(done));
}

std::optional<int64_t> Consumer::position(const TopicPartition& partition) const {
    return m_core->position(partition);
}

std::optional<int64_t> Consumer::highWatermark(const TopicPartition& partition) const {
    return m_core->highWatermark(partition);
}

std::optional<int64_t> Consumer::lastStableOffset(const TopicPartition& partition) const {
    return m_core->lastStableOffset(partition);
}

std::optional<int64_t> Consumer::logStartOffset(const TopicPartition& partition) const {
    return m_core->logStartOffset(partition);
}

Status Consumer::pause(const TopicPartition& partition) {
    return m_core->setPaused(partition, true);
}

Status Consumer::resume(const TopicPartition& partition) {
    return m_core->setPaused(partition, false);
}

bool Consumer::isPaused(const TopicPartition& partition) const {
    return m_core->isPaused(partition);
}

void Consumer::close() {
    m_core->close();
}

}  // namespace partita::client
