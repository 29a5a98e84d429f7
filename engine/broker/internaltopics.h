// The internal topics of the coordinators: how they are created and how the group coordinator reaches its logs.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace partita::coordinator {
class CoordinatorTopic;
class TransactionMarkers;
struct GroupCoordinatorConfig;
struct TransactionCoordinatorConfig;
}  // namespace partita::coordinator

namespace partita::broker {

class BrokerContext;
struct BrokerConfig;

// __consumer_offsets or __transaction_state: created with their own settings, written only by
// their coordinators.
bool isCoordinatorTopic(std::string_view name);

// The group coordinator's settings from the broker's (offsets.*, group.*).
coordinator::GroupCoordinatorConfig groupCoordinatorConfig(const BrokerConfig& config);
// The transaction coordinator's settings from the broker's (transaction.*).
coordinator::TransactionCoordinatorConfig transactionCoordinatorConfig(const BrokerConfig& config);
// Transaction markers written into this broker's partition logs.
std::unique_ptr<coordinator::TransactionMarkers> makeTransactionMarkers(BrokerContext& context);
// A coordinator's topic through the broker: created on first use, appends wake waiting fetches.
std::unique_ptr<coordinator::CoordinatorTopic> makeCoordinatorTopic(BrokerContext& context, std::string topic);

}  // namespace partita::broker
