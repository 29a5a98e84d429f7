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
