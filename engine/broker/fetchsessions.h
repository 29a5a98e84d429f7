// FetchSessions: Kafka's incremental fetch sessions (KIP-227): which partitions a fetch covers and which it reports.
#pragma once

#include "engine/protocol/uuid.h"

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace partita::broker {

// A partition as a fetch names it: by topic name (v0-12) or topic id (v13+).
struct FetchKey {
    std::string topic;
    Uuid topicId;
    int32_t partition = 0;
    friend bool operator<(const FetchKey& a, const FetchKey& b) {
        return std::tie(a.topic, a.topicId.bytes, a.partition) < std::tie(b.topic, b.topicId.bytes, b.partition);
    }
    friend bool operator==(const FetchKey&, const FetchKey&) = default;
};

struct FetchPosition {
    int64_t fetchOffset = 0;
    int32_t partitionMaxBytes = 0;
};

// What a partition's last answer said, to tell whether an incremental response must carry it.
struct ReportedState {
    int64_t highWatermark = -1;
    int64_t lastStableOffset = -1;
    int64_t logStartOffset = -1;
};

// The session cache of one broker (max.incremental.fetch.session.cache.slots sessions, the
// least recently used evicted first). A full fetch (epoch 0) creates a session when there is room;
// an incremental one (epoch > 0) names only partitions whose position changed plus the forgotten
// ones, and its answer carries only partitions with news: records, an error, or changed offsets.
// Epoch -1 closes the session; session id 0 with epoch -1 is the sessionless fetch older clients use.
class FetchSessions {
public:
    explicit FetchSessions(size_t maxSessions) : m_maxSessions(maxSessions) {}

    struct Plan {
        int16_t errorCode = 0;  // FETCH_SESSION_ID_NOT_FOUND (70) or INVALID_FETCH_SESSION_EPOCH (71)
        int32_t sessionId = 0;  // what the response says (0: no session)
        bool incremental = false;
        std::vector<std::pair<FetchKey, FetchPosition>> partitions;  // what to read, in request/session order
    };

    Plan begin(int32_t sessionId, int32_t epoch, const std::vector<std::pair<FetchKey, FetchPosition>>& requested,
               const std::vector<FetchKey>& forgotten);
    // Whether an incremental answer must carry this partition, given what was read now.
    bool hasNews(int32_t sessionId, const FetchKey& key, const ReportedState& state, bool hasRecordsOrError) const;
    // What the answer that is sent said of the partition, for the next comparison.
    void remember(int32_t sessionId, const FetchKey& key, const ReportedState& state);
    size_t size() const;

private:
    struct Entry {
        FetchPosition position;
        std::optional<ReportedState> reported;
    };
    struct Session {
        int32_t id = 0;
        int32_t nextEpoch = 1;
        std::map<FetchKey, Entry> partitions;
        std::vector<FetchKey> order;  // insertion order, for stable responses
    };

    Session* find(int32_t id);
    const Entry* entry(int32_t sessionId, const FetchKey& key) const;
    int32_t newId();

    mutable std::mutex m_mutex;
    size_t m_maxSessions;
    std::list<Session> m_sessions;  // most recently used first
    uint32_t m_idState = 0x9e3779b9u;
};

}  // namespace partita::broker
