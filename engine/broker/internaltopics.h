// The internal topics of the coordinators: how they are created and how the group coordinator reaches its logs.
#pragma once

#include <memory>
#include <string_view>

namespace partita::coordinator {
class OffsetsTopicAccess;
struct GroupCoordinatorConfig;
}  // namespace partita::coordinator

namespace partita::broker {

inline constexpr const char* kTransactionStateTopic = "__transaction_state";

class BrokerContext;
struct BrokerConfig;

// __consumer_offsets or __transaction_state: created with their own settings, written only by
// their coordinators.
bool isCoordinatorTopic(std::string_view name);

// The group coordinator's settings from the broker's (offsets.*, group.*).
coordinator::GroupCoordinatorConfig groupCoordinatorConfig(const BrokerConfig& config);
// __consumer_offsets through the broker: created on first use, appends wake waiting fetches.
std::unique_ptr<coordinator::OffsetsTopicAccess> makeOffsetsTopicAccess(BrokerContext& context);

}  // namespace partita::broker
