// Admin: Kafka's administrative operations (topics, configs, offsets, groups, ACLs, SCRAM users,
// log dirs, elections, reassignments) over a shared KafkaClient.
#pragma once

#include "engine/client/admingrouptypes.h"
#include "engine/client/adminsecuritytypes.h"
#include "engine/client/admintypes.h"
#include "engine/protocol/result.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace partita::client {

class KafkaClient;

// Every call returns at once; its callback runs exactly once on an engine thread. A call fails
// as a whole (the Result's error) when it could not be carried out at all: a broker that lacks the
// API (ErrorKind::Unsupported naming it), no connection, the deadline. Batches report each item's
// own outcome in its `status`. Routing follows Kafka's AdminClient: topic changes to the controller,
// broker configs to that broker, offsets to partition leaders, group calls to the group's
// coordinator; stale leaders and coordinators are refreshed and the request retried with
// retry.backoff.ms until request.timeout.ms.
//
// Admin holds only a pointer to the client: copies are cheap and share it. Pending calls do not
// keep the client alive; when it closes they fail with Cancelled.
class Admin {
public:
    template <class T>
    using Done = std::function<void(Result<T>)>;

    explicit Admin(std::shared_ptr<KafkaClient> client);

    const std::shared_ptr<KafkaClient>& client() const { return m_client; }

    // ---- cluster (admincluster.cpp)
    // DescribeCluster where the broker has it, else Metadata.
    void describeCluster(Done<ClusterDescription> done);

    // ---- topics (admintopics.cpp)
    void listTopics(bool includeInternal, Done<std::vector<TopicListing>> done);  // sorted by name
    // One entry per name, in the order asked, each with its own status.
    void describeTopics(std::vector<std::string> names, Done<std::vector<TopicDescription>> done);
    void createTopics(std::vector<NewTopic> topics, CreateTopicsOptions options, Done<std::vector<CreatedTopic>> done);
    void deleteTopics(std::vector<std::string> names, Done<std::vector<ItemStatus>> done);
    void createPartitions(std::vector<NewPartitions> topics, bool validateOnly, Done<std::vector<ItemStatus>> done);

    // ---- configs (adminconfigs.cpp)
    void describeConfigs(std::vector<ConfigResource> resources, DescribeConfigsOptions options,
                         Done<std::vector<ResourceConfig>> done);
    // Legacy AlterConfigs: each resource's dynamic config becomes exactly `configs`.
    void alterConfigs(std::vector<ConfigReplacement> changes, bool validateOnly,
                      Done<std::vector<ResourceStatus>> done);
    void incrementalAlterConfigs(std::vector<ConfigChanges> changes, bool validateOnly,
                                 Done<std::vector<ResourceStatus>> done);

    // ---- offsets and records (adminoffsets.cpp)
    // `specs`: partition -> OffsetSpec::kEarliest / kLatest / kMaxTimestamp or a timestamp in ms.
    void listOffsets(std::map<TopicPartition, int64_t> specs, IsolationLevel isolation,
                     Done<std::vector<ListedOffset>> done);
    // Deletes the records before each offset (-1: the high watermark, i.e. everything).
    void deleteRecords(std::map<TopicPartition, int64_t> beforeOffsets, Done<std::vector<DeletedRecords>> done);

    // ---- log dirs, elections, reassignments (adminreplicas.cpp)
    // `brokers` empty: every broker.
    void describeLogDirs(std::vector<int32_t> brokers, Done<std::vector<BrokerLogDirs>> done);
    // `partitions` nullopt: every partition that needs an election.
    void electLeaders(ElectionType type, std::optional<std::vector<TopicPartition>> partitions,
                      Done<std::vector<PartitionStatus>> done);
    // partition -> the new replica list, or nullopt to cancel that partition's reassignment.
    void alterPartitionReassignments(std::map<TopicPartition, std::optional<std::vector<int32_t>>> reassignments,
                                     Done<std::vector<PartitionStatus>> done);
    // `partitions` nullopt: every ongoing reassignment.
    void listPartitionReassignments(std::optional<std::vector<TopicPartition>> partitions,
                                    Done<std::vector<PartitionReassignment>> done);

    // ---- consumer groups (admingroups.cpp, admingroupoffsets.cpp, admingrouplag.cpp)
    // Asks every broker and merges their answers.
    void listConsumerGroups(ListGroupsOptions options, Done<GroupListings> done);
    void describeConsumerGroups(std::vector<std::string> groups, DescribeGroupsOptions options,
                                Done<std::vector<ConsumerGroupDescription>> done);
    void deleteConsumerGroups(std::vector<std::string> groups, Done<std::vector<ItemStatus>> done);
    // `partitions` empty: every partition the group committed.
    void listConsumerGroupOffsets(std::string group, std::vector<TopicPartition> partitions,
                                  Done<std::vector<CommittedOffset>> done);
    // Commits as an admin (generation -1, no member), which only an empty group accepts.
    void alterConsumerGroupOffsets(std::string group, std::map<TopicPartition, OffsetAndMetadata> offsets,
                                   Done<std::vector<PartitionStatus>> done);
    void deleteConsumerGroupOffsets(std::string group, std::vector<TopicPartition> partitions,
                                    Done<std::vector<PartitionStatus>> done);
    // Committed offsets, log end offsets and owners of a group's partitions.
    void describeConsumerGroupLag(std::string group, Done<ConsumerGroupLag> done);

    // ---- ACLs (adminacls.cpp)
    void describeAcls(AclBindingFilter filter, Done<std::vector<AclBinding>> done);
    void createAcls(std::vector<AclBinding> bindings, Done<std::vector<AclCreationResult>> done);
    void deleteAcls(std::vector<AclBindingFilter> filters, Done<std::vector<AclDeletionResult>> done);

    // ---- SCRAM users (adminscram.cpp)
    // `users` empty: every user with credentials.
    void describeUserScramCredentials(std::vector<std::string> users, Done<std::vector<UserScramCredentials>> done);
    void alterUserScramCredentials(std::vector<ScramUpsertion> upsertions, std::vector<ScramDeletion> deletions,
                                   Done<std::vector<ItemStatus>> done);

private:
    std::shared_ptr<KafkaClient> m_client;
};

}  // namespace partita::client
