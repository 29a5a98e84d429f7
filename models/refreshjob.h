// RefreshJob: one background refresh of a cluster: the Admin calls a ClusterSnapshot needs, run
// in parallel on engine threads and joined into the snapshot there.
#pragma once

#include "engine/client/admin.h"
#include "engine/protocol/result.h"
#include "models/clustersnapshot.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace partita::models {

class RefreshJob : public std::enable_shared_from_this<RefreshJob> {
public:
    // Runs on an engine thread: the snapshot, or why the cluster could not be described.
    using Done = std::function<void(Result<ClusterSnapshot>)>;

    // Starts the calls and returns at once; `done` runs exactly once.
    static void start(client::Admin admin, Done done);

    explicit RefreshJob(client::Admin admin, Done done);

private:
    void run();
    void begin();
    void finish();
    ClusterSnapshot build();
    // Starts the earliest and latest ListOffsets of the described topics' led partitions.
    void listOffsets(const std::vector<client::TopicDescription>& topics);
    void takeOffsets(Result<std::vector<client::ListedOffset>> listed, std::map<client::TopicPartition, int64_t>& into);

    client::Admin m_admin;
    Done m_done;

    std::mutex m_mutex;
    int m_pending = 0;
    std::optional<Error> m_fatal;
    std::optional<client::ClusterDescription> m_cluster;
    std::vector<client::TopicDescription> m_topics;
    std::vector<client::BrokerLogDirs> m_logDirs;
    std::map<client::TopicPartition, int64_t> m_startOffsets;
    std::map<client::TopicPartition, int64_t> m_endOffsets;
    std::vector<client::GroupListing> m_groups;
    std::vector<std::pair<int32_t, QString>> m_unreachable;  // broker id, why
    QStringList m_warnings;
};

}  // namespace partita::models
