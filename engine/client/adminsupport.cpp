// Internal helpers of the Admin sources: deadlines, backoff timers, route-staleness codes.
#include "engine/client/adminsupport.h"

#include "engine/protocol/errorcodes.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace partita::client::adminsupport {

using protocol::ErrorCode;

CallBudget::CallBudget(const KafkaClient& client)
    : m_deadline(Clock::now() + std::chrono::milliseconds(std::max(1, client.config().requestTimeoutMs))),
      m_backoffMs(std::max(1, client.config().retryBackoffMs)) {}

int32_t CallBudget::remainingMs() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - Clock::now()).count();
    return static_cast<int32_t>(std::max<int64_t>(1, left));
}

std::optional<int32_t> CallBudget::backoffBefore(int attempt) const {
    int64_t wait = m_backoffMs;
    for (int i = 1; i < attempt && wait < 1000; ++i) wait *= 2;
    wait = std::min<int64_t>(wait, std::max(1000, m_backoffMs));
    if (Clock::now() + std::chrono::milliseconds(wait) >= m_deadline) return std::nullopt;
    return static_cast<int32_t>(wait);
}

Error clientGone() {
    return Error{ErrorKind::Cancelled, "the Kafka client was closed before the admin operation finished"};
}

void runAfter(KafkaClient& client, int32_t delayMs, std::function<void()> fn) {
    auto timer = std::make_shared<boost::asio::steady_timer>(client.ioContext(), std::chrono::milliseconds(delayMs));
    // The timer rides along in its own handler so it lives until it fires.
    timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code&) { fn(); });
}

bool isCoordinatorError(int16_t code) {
    return code == protocol::code(ErrorCode::NotCoordinator) ||
           code == protocol::code(ErrorCode::CoordinatorNotAvailable) ||
           code == protocol::code(ErrorCode::CoordinatorLoadInProgress);
}

bool isLeaderError(int16_t code) {
    return code == protocol::code(ErrorCode::NotLeaderOrFollower) ||
           code == protocol::code(ErrorCode::UnknownTopicOrPartition) ||
           code == protocol::code(ErrorCode::LeaderNotAvailable) ||
           code == protocol::code(ErrorCode::FencedLeaderEpoch) ||
           code == protocol::code(ErrorCode::UnknownLeaderEpoch) ||
           code == protocol::code(ErrorCode::ReplicaNotAvailable);
}

bool isControllerError(int16_t code) {
    return code == protocol::code(ErrorCode::NotController);
}

Status statusOf(int16_t code, const std::string& context, const std::optional<std::string>& serverMessage) {
    if (code == 0) return Status::success();
    return brokerError(code, context, serverMessage.value_or(std::string()));
}

}  // namespace partita::client::adminsupport
