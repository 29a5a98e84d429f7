// The APIs partitad serves: one factory per handler (one file pair per API), collected in one list.
#pragma once

#include <memory>
#include <vector>

namespace partita::broker {

class ApiHandler;
class BrokerContext;

// Every handler the broker registers; ApiVersions advertises exactly these.
std::vector<std::unique_ptr<ApiHandler>> makeAllHandlers(BrokerContext& context);

// Gives the ApiVersions handler the list it advertises: every registered handler's range.
void advertiseApis(ApiHandler& apiVersionsHandler, const std::vector<std::unique_ptr<ApiHandler>>& handlers);

// Data plane.
std::unique_ptr<ApiHandler> makeApiVersionsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeMetadataHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeProduceHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeFetchHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeListOffsetsHandler(BrokerContext& context);

// Producer ids and transactions.
std::unique_ptr<ApiHandler> makeInitProducerIdHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeAddPartitionsToTxnHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeAddOffsetsToTxnHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeTxnOffsetCommitHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeEndTxnHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDescribeTransactionsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeListTransactionsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDescribeProducersHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeWriteTxnMarkersHandler(BrokerContext& context);

// Group coordinator.
std::unique_ptr<ApiHandler> makeFindCoordinatorHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeJoinGroupHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeSyncGroupHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeHeartbeatHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeLeaveGroupHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeOffsetCommitHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeOffsetFetchHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeListGroupsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDescribeGroupsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDeleteGroupsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeOffsetDeleteHandler(BrokerContext& context);

// Admin.
std::unique_ptr<ApiHandler> makeCreateTopicsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDeleteTopicsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeCreatePartitionsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDescribeConfigsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeAlterConfigsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeIncrementalAlterConfigsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDeleteRecordsHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDescribeClusterHandler(BrokerContext& context);
std::unique_ptr<ApiHandler> makeDescribeLogDirsHandler(BrokerContext& context);

}  // namespace partita::broker
