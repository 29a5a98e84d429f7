// Admin's topic operations: list, describe, create, delete, add partitions.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/createpartitions.h"
#include "engine/protocol/messages/createtopics.h"
#include "engine/protocol/messages/deletetopics.h"
#include "engine/protocol/messages/metadata.h"

#include <algorithm>
#include <unordered_map>

namespace partita::client {

using namespace adminsupport;

namespace {

// Topic changes go to the controller; a NOT_CONTROLLER answer means the cached controller moved,
// so the next attempt refreshes metadata first.
RequestOptions controllerOptions(int16_t minVersion) {
    RequestOptions options;
    options.minVersion = minVersion;
    return options;
}

void forgetController(KafkaClient& client, int16_t) {
    client.refreshMetadata({}, [](Result<std::shared_ptr<const ClusterMetadata>>) {});
}

template <class Item>
int16_t firstControllerError(const std::vector<Item>& items) {
    for (const auto& item : items)
        if (isControllerError(item.errorCode)) return item.errorCode;
    return 0;
}

// Each topic's status, in the order asked, from answers found by `nameOf(answer)`; a topic the
// broker left out is reported as such rather than dropped.
template <class Answer, class NameOf>
std::vector<ItemStatus> statusesByTopic(const std::vector<std::string>& names, const std::vector<Answer>& answers,
                                        NameOf nameOf) {
    std::unordered_map<std::string, const Answer*> byName;
    for (const auto& a : answers) byName[nameOf(a)] = &a;
    std::vector<ItemStatus> out;
    for (const auto& name : names) {
        auto it = byName.find(name);
        if (it == byName.end())
            out.push_back({name, Error{ErrorKind::Malformed, name + ": the broker did not answer for this topic"}});
        else
            out.push_back({name, statusOf(it->second->errorCode, name, it->second->errorMessage)});
    }
    return out;
}

}  // namespace

void Admin::listTopics(bool includeInternal, Done<std::vector<TopicListing>> done) {
    auto request = std::make_unique<protocol::MetadataRequest>();
    request->topics = std::nullopt;  // every topic
    RequestOptions options;
    options.minVersion = 1;  // v0 cannot say "all topics" with null
    m_client->call<protocol::MetadataResponse>(
        Target::anyBroker(), std::move(request),
        [includeInternal, done](Result<TypedResponse<protocol::MetadataResponse>> result) {
            if (!result.ok()) return done(result.error());
            std::vector<TopicListing> topics;
            for (const auto& t : result.value()->topics) {
                if (t.errorCode != 0 || (t.isInternal && !includeInternal)) continue;
                topics.push_back({t.name.value_or(std::string()), t.topicId, t.isInternal,
                                  static_cast<int32_t>(t.partitions.size())});
            }
            std::sort(topics.begin(), topics.end(),
                      [](const TopicListing& a, const TopicListing& b) { return a.name < b.name; });
            done(std::move(topics));
        },
        options);
}

void Admin::describeTopics(std::vector<std::string> names, Done<std::vector<TopicDescription>> done) {
    if (names.empty()) return done(std::vector<TopicDescription>{});
    auto request = std::make_unique<protocol::MetadataRequest>();
    request->topics.emplace();
    for (const auto& name : names) {
        protocol::MetadataRequest::MetadataRequestTopic topic;
        topic.name = name;
        request->topics->push_back(std::move(topic));
    }
    // Describing must never create a topic. allowAutoTopicCreation exists from v4; an older broker
    // is asked for every topic instead, as naming one could create it there.
    request->allowAutoTopicCreation = false;
    RequestOptions options;
    options.minVersion = 1;
    options.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
        auto& r = static_cast<protocol::MetadataRequest&>(message);
        if (version >= 4) return;
        r.topics = std::nullopt;
        r.allowAutoTopicCreation = true;
    };
    m_client->call<protocol::MetadataResponse>(
        Target::anyBroker(), std::move(request),
        [names, done](Result<TypedResponse<protocol::MetadataResponse>> result) {
            if (!result.ok()) return done(result.error());
            std::unordered_map<std::string, const protocol::MetadataResponse::MetadataResponseTopic*> byName;
            for (const auto& t : result.value()->topics) byName[t.name.value_or(std::string())] = &t;
            std::vector<TopicDescription> out;
            for (const auto& name : names) {
                TopicDescription d;
                d.name = name;
                auto it = byName.find(name);
                if (it == byName.end()) {
                    d.status = brokerError(protocol::code(protocol::ErrorCode::UnknownTopicOrPartition), name);
                    out.push_back(std::move(d));
                    continue;
                }
                const auto& t = *it->second;
                d.status = statusOf(t.errorCode, name);
                d.topicId = t.topicId;
                d.internal = t.isInternal;
                for (const auto& p : t.partitions) {
                    PartitionDescription pd;
                    pd.partition = p.partitionIndex;
                    pd.leader = p.leaderId;
                    pd.leaderEpoch = p.leaderEpoch;
                    pd.replicas = p.replicaNodes;
                    pd.isr = p.isrNodes;
                    pd.offlineReplicas = p.offlineReplicas;
                    pd.status = statusOf(p.errorCode, formatPartition({name, p.partitionIndex}));
                    d.partitions.push_back(std::move(pd));
                }
                std::sort(d.partitions.begin(), d.partitions.end(),
                          [](const auto& a, const auto& b) { return a.partition < b.partition; });
                out.push_back(std::move(d));
            }
            done(std::move(out));
        },
        options);
}

void Admin::createTopics(std::vector<NewTopic> topics, CreateTopicsOptions options,
                         Done<std::vector<CreatedTopic>> done) {
    if (topics.empty()) return done(std::vector<CreatedTopic>{});
    const int32_t timeoutMs = m_client->config().requestTimeoutMs;
    int16_t minVersion = options.validateOnly ? 1 : -1;
    auto request = std::make_shared<protocol::CreateTopicsRequest>();
    request->timeoutMs = timeoutMs;
    request->validateOnly = options.validateOnly;
    for (const auto& t : topics) {
        protocol::CreateTopicsRequest::CreatableTopic c;
        c.name = t.name;
        if (t.replicaAssignment.empty()) {
            c.numPartitions = t.numPartitions;
            c.replicationFactor = t.replicationFactor;
            // The broker's defaults (-1) arrived with CreateTopics v4 (KIP-464).
            if (t.numPartitions < 0 || t.replicationFactor < 0) minVersion = std::max<int16_t>(minVersion, 4);
        } else {
            // With an explicit assignment Kafka wants both counts at -1.
            c.numPartitions = -1;
            c.replicationFactor = -1;
            for (const auto& [partition, brokers] : t.replicaAssignment)
                c.assignments.push_back({partition, brokers, {}});
        }
        for (const auto& [name, value] : t.configs) c.configs.push_back({name, value, {}});
        request->topics.push_back(std::move(c));
    }
    auto spec = std::make_shared<RetrySpec<protocol::CreateTopicsResponse>>();
    spec->target = [] { return Target::controller(); };
    spec->makeRequest = [request] { return std::make_unique<protocol::CreateTopicsRequest>(*request); };
    spec->retryCode = [](const protocol::CreateTopicsResponse& r) { return firstControllerError(r.topics); };
    spec->onRetry = forgetController;
    spec->options = controllerOptions(minVersion);
    callWithRetry<protocol::CreateTopicsResponse>(
        m_client, CallBudget(*m_client), spec,
        [topics = std::move(topics), done](Result<TypedResponse<protocol::CreateTopicsResponse>> result) {
            if (!result.ok()) return done(result.error());
            std::unordered_map<std::string, const protocol::CreateTopicsResponse::CreatableTopicResult*> byName;
            for (const auto& r : result.value()->topics) byName[r.name] = &r;
            std::vector<CreatedTopic> out;
            for (const auto& t : topics) {
                CreatedTopic created;
                created.name = t.name;
                auto it = byName.find(t.name);
                if (it == byName.end()) {
                    created.status = Error{ErrorKind::Malformed, t.name + ": the broker did not answer for this topic"};
                } else {
                    const auto& r = *it->second;
                    created.status = statusOf(r.errorCode, t.name, r.errorMessage);
                    created.topicId = r.topicId;
                    created.numPartitions = r.numPartitions;
                    created.replicationFactor = r.replicationFactor;
                }
                out.push_back(std::move(created));
            }
            done(std::move(out));
        });
}

void Admin::deleteTopics(std::vector<std::string> names, Done<std::vector<ItemStatus>> done) {
    if (names.empty()) return done(std::vector<ItemStatus>{});
    auto request = std::make_shared<protocol::DeleteTopicsRequest>();
    request->topicNames = names;
    request->timeoutMs = m_client->config().requestTimeoutMs;
    auto spec = std::make_shared<RetrySpec<protocol::DeleteTopicsResponse>>();
    spec->target = [] { return Target::controller(); };
    spec->makeRequest = [request] { return std::make_unique<protocol::DeleteTopicsRequest>(*request); };
    spec->retryCode = [](const protocol::DeleteTopicsResponse& r) { return firstControllerError(r.responses); };
    spec->onRetry = forgetController;
    spec->options.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
        // v6 moved the names into a list of (name, id) states.
        auto& r = static_cast<protocol::DeleteTopicsRequest&>(message);
        if (version < 6) return;
        for (auto& name : r.topicNames) r.topics.push_back({std::move(name), {}, {}});
        r.topicNames.clear();
    };
    callWithRetry<protocol::DeleteTopicsResponse>(
        m_client, CallBudget(*m_client), spec,
        [names, done](Result<TypedResponse<protocol::DeleteTopicsResponse>> result) {
            if (!result.ok()) return done(result.error());
            done(statusesByTopic(names, result.value()->responses,
                                 [](const auto& r) { return r.name.value_or(std::string()); }));
        });
}

void Admin::createPartitions(std::vector<NewPartitions> topics, bool validateOnly, Done<std::vector<ItemStatus>> done) {
    if (topics.empty()) return done(std::vector<ItemStatus>{});
    auto request = std::make_shared<protocol::CreatePartitionsRequest>();
    request->timeoutMs = m_client->config().requestTimeoutMs;
    request->validateOnly = validateOnly;
    std::vector<std::string> names;
    for (const auto& t : topics) {
        protocol::CreatePartitionsRequest::CreatePartitionsTopic c;
        c.name = t.topic;
        c.count = t.totalCount;
        if (t.assignments.empty()) {
            c.assignments = std::nullopt;  // the broker places the new partitions
        } else {
            c.assignments.emplace();
            for (const auto& brokers : t.assignments) c.assignments->push_back({brokers, {}});
        }
        request->topics.push_back(std::move(c));
        names.push_back(t.topic);
    }
    auto spec = std::make_shared<RetrySpec<protocol::CreatePartitionsResponse>>();
    spec->target = [] { return Target::controller(); };
    spec->makeRequest = [request] { return std::make_unique<protocol::CreatePartitionsRequest>(*request); };
    spec->retryCode = [](const protocol::CreatePartitionsResponse& r) { return firstControllerError(r.results); };
    spec->onRetry = forgetController;
    callWithRetry<protocol::CreatePartitionsResponse>(
        m_client, CallBudget(*m_client), spec,
        [names, done](Result<TypedResponse<protocol::CreatePartitionsResponse>> result) {
            if (!result.ok()) return done(result.error());
            done(statusesByTopic(names, result.value()->results, [](const auto& r) { return r.name; }));
        });
}

}  // namespace partita::client
