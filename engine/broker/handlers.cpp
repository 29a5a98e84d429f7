// The one list of APIs partitad serves.
#include "engine/broker/handlers.h"

#include "engine/broker/apihandler.h"

namespace partita::broker {

std::vector<std::unique_ptr<ApiHandler>> makeAllHandlers(BrokerContext& context) {
    std::vector<std::unique_ptr<ApiHandler>> handlers;
    handlers.push_back(makeApiVersionsHandler(context));
    handlers.push_back(makeMetadataHandler(context));
    handlers.push_back(makeProduceHandler(context));
    handlers.push_back(makeFetchHandler(context));
    handlers.push_back(makeListOffsetsHandler(context));
    handlers.push_back(makeInitProducerIdHandler(context));
    handlers.push_back(makeAddPartitionsToTxnHandler(context));
    handlers.push_back(makeAddOffsetsToTxnHandler(context));
    handlers.push_back(makeTxnOffsetCommitHandler(context));
    handlers.push_back(makeEndTxnHandler(context));
    handlers.push_back(makeDescribeTransactionsHandler(context));
    handlers.push_back(makeListTransactionsHandler(context));
    handlers.push_back(makeDescribeProducersHandler(context));
    handlers.push_back(makeWriteTxnMarkersHandler(context));
    handlers.push_back(makeFindCoordinatorHandler(context));
    handlers.push_back(makeJoinGroupHandler(context));
    handlers.push_back(makeSyncGroupHandler(context));
    handlers.push_back(makeHeartbeatHandler(context));
    handlers.push_back(makeLeaveGroupHandler(context));
    handlers.push_back(makeOffsetCommitHandler(context));
    handlers.push_back(makeOffsetFetchHandler(context));
    handlers.push_back(makeListGroupsHandler(context));
    handlers.push_back(makeDescribeGroupsHandler(context));
    handlers.push_back(makeDeleteGroupsHandler(context));
    handlers.push_back(makeOffsetDeleteHandler(context));
    handlers.push_back(makeCreateTopicsHandler(context));
    handlers.push_back(makeDeleteTopicsHandler(context));
    handlers.push_back(makeCreatePartitionsHandler(context));
    handlers.push_back(makeDescribeConfigsHandler(context));
    handlers.push_back(makeAlterConfigsHandler(context));
    handlers.push_back(makeIncrementalAlterConfigsHandler(context));
    handlers.push_back(makeDeleteRecordsHandler(context));
    handlers.push_back(makeDescribeClusterHandler(context));
    handlers.push_back(makeDescribeLogDirsHandler(context));
    advertiseApis(*handlers.front(), handlers);
    return handlers;
}

}  // namespace partita::broker
