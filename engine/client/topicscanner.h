// TopicScanner: the message search, a bounded scan of a topic's partitions matched on worker threads.
#pragma once

#include "engine/client/admintypes.h"
#include "engine/client/consumerstartposition.h"
#include "engine/client/fetchedrecords.h"
#include "engine/client/recordfilter.h"
#include "engine/protocol/result.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace partita::client {

class KafkaClient;

struct ScanRequest {
    std::string topic;
    std::vector<int32_t> partitions;  // empty: every partition of the topic
    // Where each partition's scan starts: an offset, the beginning, end-N (the last N records)
    // or a time (the first record at or after it).
    StartPosition from = StartPosition::beginning();
    // Where it stops (exclusive): nullopt or End: the end offsets taken when the scan starts, so
    // the scan terminates even while producers write; an offset; a time (records before it).
    std::optional<StartPosition> to;
    RecordFilter filter;  // default: every record matches
    // read_committed skips aborted transactions; nullopt: the client's isolation.level.
    std::optional<IsolationLevel> isolation;
    size_t maxResults = 0;     // 0: no limit; otherwise the scan stops after this many matches
    size_t resultBatch = 256;  // matches handed to onResults at a time (at most)
    std::chrono::milliseconds progressInterval{100};
};

// A matching record, copied out of the fetched buffers (a handful of matches never pin whole
// fetch responses in memory).
struct ScanMatch {
    int32_t partition = 0;
    ConsumerRecord record;
};

struct ScanPartitionProgress {
    int32_t partition = 0;
    int64_t startOffset = 0;
    int64_t endOffset = 0;  // exclusive
    int64_t position = 0;   // the next offset to scan; endOffset when done
};

struct ScanProgress {
    uint64_t scanned = 0;       // records decoded and tested
    uint64_t matched = 0;       // records that matched (reported or about to be)
    uint64_t bytes = 0;         // fetched record-set bytes
    uint64_t totalOffsets = 0;  // sum of end - start: the work to do (gaps make it an upper bound)
    uint64_t doneOffsets = 0;   // sum of position - start
    std::vector<ScanPartitionProgress> partitions;
};

struct ScanSummary {
    ScanProgress totals;
    bool cancelled = false;
    bool limitReached = false;  // stopped at maxResults
    std::chrono::milliseconds elapsed{0};
};

// Callbacks run on worker or engine threads, one at a time (never concurrently), and never
// after onDone. Matches of one partition arrive in offset order.
struct ScanCallbacks {
    std::function<void(std::vector<ScanMatch>)> onResults;
    std::function<void(const ScanProgress&)> onProgress;
    // Exactly once: the totals (also after cancel() or the limit), or the error that stopped it
    // (unknown topic or partition, a broker error naming the partition, corrupt data).
    std::function<void(Result<ScanSummary>)> onDone;
};

// One search. start() returns at once; the scan resolves the start and end offsets
// (ListOffsets), then fetches with its own Consumer on the shared client and tests each record
// on ScanWorkerPool threads while the next fetch is in flight.
//
//   TopicScanner scanner(client);
//   scanner.start({.topic = "orders", .filter = *RecordFilter::parse("$.status == \"late\"")},
//                 {.onResults = ..., .onProgress = ..., .onDone = ...});
//   ... scanner.cancel();
class TopicScanner {
public:
    explicit TopicScanner(std::shared_ptr<KafkaClient> client);
    ~TopicScanner();  // cancel(); callbacks may still be running on other threads when it returns
    TopicScanner(const TopicScanner&) = delete;
    TopicScanner& operator=(const TopicScanner&) = delete;

    // One scan per scanner: a second start() fails the new scan's onDone with InvalidArgument.
    void start(ScanRequest request, ScanCallbacks callbacks);
    // Stops fetching and matching promptly; onDone then reports the totals with cancelled set.
    void cancel();

    struct State;

private:
    std::shared_ptr<KafkaClient> m_client;
    std::shared_ptr<State> m_state;
};

}  // namespace partita::client
