// Admin: construction and the small shared pieces of its public types.
#include "engine/client/admin.h"

#include "engine/client/kafkaclient.h"

namespace partita::client {

Admin::Admin(std::shared_ptr<KafkaClient> client) : m_client(std::move(client)) {}

std::string formatPartition(const TopicPartition& tp) {
    return tp.topic + "-" + std::to_string(tp.partition);
}

}  // namespace partita::client
