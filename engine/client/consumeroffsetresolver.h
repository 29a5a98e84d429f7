// ConsumerOffsetResolver: turns start positions (either end, end minus N, a time) into offsets.
#pragma once

#include "engine/client/consumerconfig.h"
#include "engine/client/consumerstartposition.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace partita::client {

class KafkaClient;

struct OffsetQuery {
    TopicPartition partition;
    StartPosition position;
};

struct ResolvedOffset {
    TopicPartition partition;
    int64_t offset = -1;
    std::optional<Error> error;
    // The partition's leader moved or is being elected (NOT_LEADER_OR_FOLLOWER, ...): the cached
    // leader was dropped and asking again after a metadata refresh is expected to work.
    bool leaderChanged = false;
};

// Asks each partition's leader with ListOffsets, partitions grouped by leader, one request per
// leader and lookup (end minus N needs the end and the log start; a time whose answer is -1,
// nothing at or after it, needs the end next). The end is the last stable offset with
// read_committed, the high watermark otherwise.
class ConsumerOffsetResolver {
public:
    using Done = std::function<void(std::vector<ResolvedOffset>)>;

    // `done` runs once on an engine thread with one answer per query, in the queries' order.
    static void resolve(std::shared_ptr<KafkaClient> client, std::vector<OffsetQuery> queries, IsolationLevel isolation,
                        Done done);
};

}  // namespace partita::client
