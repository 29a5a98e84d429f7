// topics list|describe|create|delete|alter: Kafka's kafka-topics.sh, through the Admin client.
#include "clierrors.h"
#include "commands.h"
#include "output.h"
#include "session.h"
#include "table.h"

#include "engine/protocol/errorcodes.h"

#include <boost/json.hpp>

#include <iostream>
#include <map>
#include <memory>

namespace partita::cli {

namespace {

using client::ConfigResource;
using client::ConfigSource;

bool hasCode(const Status& status, protocol::ErrorCode code) {
    return !status.ok() && status.error().kafkaCode == protocol::code(code);
}

int listTopics(const CommonOptions& options, bool internal) {
    Session session(options);
    auto topics = session.require<std::vector<client::TopicListing>>(
        [&](auto done) { session.admin().listTopics(internal, std::move(done)); }, "cannot list topics");
    if (session.json()) {
        boost::json::array out;
        for (const auto& t : topics)
            out.push_back({{"name", t.name},
                           {"partitions", t.partitionCount},
                           {"internal", t.internal},
                           {"topic_id", nullIfEmpty(t.topicId.isZero() ? std::string() : t.topicId.toBase64())}});
        printJson(out);
    } else {
        for (const auto& t : topics) std::cout << t.name << '\n';
    }
    return kExitOk;
}

// The entries of each topic's config that differ from the defaults (Kafka's describe shows those).
std::map<std::string, std::vector<client::ConfigEntry>> overriddenConfigs(Session& session,
                                                                          const std::vector<std::string>& topics) {
    std::vector<ConfigResource> resources;
    for (const auto& t : topics) resources.push_back(ConfigResource::topic(t));
    auto configs = session.call<std::vector<client::ResourceConfig>>(
        [&](auto done) { session.admin().describeConfigs(std::move(resources), {}, std::move(done)); });
    std::map<std::string, std::vector<client::ConfigEntry>> out;
    if (!configs.ok()) {
        printWarning("cannot read topic configs: " + configs.error().message);
        return out;
    }
    for (const auto& rc : configs.value()) {
        if (!rc.status.ok()) continue;  // the topic's own error is reported by the describe
        for (const auto& e : rc.entries)
            if (!e.isDefault && e.source != ConfigSource::DefaultConfig) out[rc.resource.name].push_back(e);
    }
    return out;
}

std::string configValue(const client::ConfigEntry& e) {
    return e.sensitive ? "(sensitive)" : valueOr(e.value, "null");
}

int describeTopics(const CommonOptions& options, std::vector<std::string> names) {
    Session session(options);
    if (names.empty()) {
        auto listed = session.require<std::vector<client::TopicListing>>(
            [&](auto done) { session.admin().listTopics(false, std::move(done)); }, "cannot list topics");
        for (const auto& t : listed) names.push_back(t.name);
    }
    auto topics = session.require<std::vector<client::TopicDescription>>(
        [&](auto done) { session.admin().describeTopics(names, std::move(done)); }, "cannot describe topics");
    std::vector<std::string> found;
    for (const auto& t : topics)
        if (t.status.ok()) found.push_back(t.name);
    auto configs =
        found.empty() ? std::map<std::string, std::vector<client::ConfigEntry>>{} : overriddenConfigs(session, found);

    int exitCode = kExitOk;
    boost::json::array jsonTopics;
    for (const auto& t : topics) {
        if (!t.status.ok()) {
            printError(t.status.error().message);
            exitCode = kExitFailed;
            continue;
        }
        const size_t replicationFactor = t.partitions.empty() ? 0 : t.partitions.front().replicas.size();
        const auto& entries = configs[t.name];
        if (session.json()) {
            boost::json::array partitions;
            for (const auto& p : t.partitions)
                partitions.push_back({{"partition", p.partition},
                                      {"leader", p.leader >= 0 ? boost::json::value(p.leader) : nullptr},
                                      {"replicas", idsJson(p.replicas)},
                                      {"isr", idsJson(p.isr)},
                                      {"offline", idsJson(p.offlineReplicas)},
                                      {"error", errorJson(p.status)}});
            boost::json::object config;
            for (const auto& e : entries)
                config[e.name] = e.sensitive || !e.value ? boost::json::value(nullptr) : boost::json::value(*e.value);
            jsonTopics.push_back({{"name", t.name},
                                  {"topic_id", nullIfEmpty(t.topicId.isZero() ? std::string() : t.topicId.toBase64())},
                                  {"internal", t.internal},
                                  {"partition_count", t.partitions.size()},
                                  {"replication_factor", replicationFactor},
                                  {"partitions", std::move(partitions)},
                                  {"configs", std::move(config)}});
            continue;
        }
        std::string configText;
        for (const auto& e : entries) {
            if (!configText.empty()) configText += ',';
            configText += e.name + "=" + configValue(e);
        }
        std::cout << "Topic: " << t.name << "\tTopicId: " << (t.topicId.isZero() ? "-" : t.topicId.toBase64())
                  << "\tPartitionCount: " << t.partitions.size() << "\tReplicationFactor: " << replicationFactor
                  << "\tConfigs: " << configText << '\n';
        for (const auto& p : t.partitions) {
            std::cout << "\tTopic: " << t.name << "\tPartition: " << p.partition
                      << "\tLeader: " << (p.leader >= 0 ? std::to_string(p.leader) : "none")
                      << "\tReplicas: " << joinIds(p.replicas) << "\tIsr: " << joinIds(p.isr)
                      << "\tOffline: " << joinIds(p.offlineReplicas);
            if (!p.status.ok()) std::cout << "\tError: " << p.status.error().message;
            std::cout << '\n';
        }
    }
    if (session.json()) printJson(jsonTopics);
    return exitCode;
}

struct CreateOptions {
    std::vector<std::string> names;
    int32_t partitions = -1;
    int16_t replicationFactor = -1;
    std::vector<std::string> configs;
    bool ifNotExists = false;
};

int createTopics(const CommonOptions& options, const CreateOptions& create) {
    std::map<std::string, std::string> configs;
    for (const auto& c : create.configs) configs.insert(parseKeyValue(c, "--config"));
    std::vector<client::NewTopic> topics;
    for (const auto& name : create.names)
        topics.push_back({name, create.partitions, create.replicationFactor, {}, configs});
    Session session(options);
    auto created = session.require<std::vector<client::CreatedTopic>>(
        [&](auto done) { session.admin().createTopics(std::move(topics), {}, std::move(done)); },
        "cannot create topics");
    int exitCode = kExitOk;
    boost::json::array out;
    for (const auto& t : created) {
        const bool exists = hasCode(t.status, protocol::ErrorCode::TopicAlreadyExists);
        const bool ok = t.status.ok() || (exists && create.ifNotExists);
        if (!ok) exitCode = kExitFailed;
        if (session.json()) {
            out.push_back({{"name", t.name},
                           {"created", t.status.ok()},
                           {"error", ok ? boost::json::value(nullptr) : errorJson(t.status)}});
        } else if (t.status.ok()) {
            std::cout << "Created topic " << t.name << ".\n";
        } else if (ok) {
            std::cout << "Topic " << t.name << " already exists.\n";
        } else {
            printError(t.status.error().message);
        }
    }
    if (session.json()) printJson(out);
    return exitCode;
}

int deleteTopics(const CommonOptions& options, const std::vector<std::string>& names, bool ifExists) {
    Session session(options);
    auto deleted = session.require<std::vector<client::ItemStatus>>(
        [&](auto done) { session.admin().deleteTopics(names, std::move(done)); }, "cannot delete topics");
    int exitCode = kExitOk;
    boost::json::array out;
    for (const auto& t : deleted) {
        const bool missing = hasCode(t.status, protocol::ErrorCode::UnknownTopicOrPartition);
        const bool ok = t.status.ok() || (missing && ifExists);
        if (!ok) exitCode = kExitFailed;
        if (session.json()) {
            out.push_back({{"name", t.name},
                           {"deleted", t.status.ok()},
                           {"error", ok ? boost::json::value(nullptr) : errorJson(t.status)}});
        } else if (t.status.ok()) {
            std::cout << "Deleted topic " << t.name << ".\n";
        } else if (ok) {
            std::cout << "Topic " << t.name << " does not exist.\n";
        } else {
            printError(t.status.error().message);
        }
    }
    if (session.json()) printJson(out);
    return exitCode;
}

struct AlterOptions {
    std::string name;
    int32_t partitions = 0;
    std::vector<std::string> setConfigs;
    std::vector<std::string> deleteConfigs;
};

int alterTopic(const CommonOptions& options, const AlterOptions& alter) {
    if (alter.partitions <= 0 && alter.setConfigs.empty() && alter.deleteConfigs.empty())
        throw UsageError("topics alter needs --partitions, --config or --delete-config");
    client::ConfigChanges changes{ConfigResource::topic(alter.name), {}};
    for (const auto& c : alter.setConfigs) {
        auto [key, value] = parseKeyValue(c, "--config");
        changes.ops.push_back({key, client::ConfigOpType::Set, value});
    }
    for (const auto& key : alter.deleteConfigs) changes.ops.push_back({key, client::ConfigOpType::Delete, {}});

    Session session(options);
    boost::json::object out{{"name", alter.name}};
    if (alter.partitions > 0) {
        auto result = session.require<std::vector<client::ItemStatus>>(
            [&](auto done) {
                session.admin().createPartitions({{alter.name, alter.partitions, {}}}, false, std::move(done));
            },
            "cannot add partitions to " + alter.name);
        throwIfFailed(client::firstFailure(result));
        out["partitions"] = alter.partitions;
        if (!session.json()) std::cout << "Topic " << alter.name << " now has " << alter.partitions << " partitions.\n";
    }
    if (!changes.ops.empty()) {
        auto result = session.require<std::vector<client::ResourceStatus>>(
            [&](auto done) { session.admin().incrementalAlterConfigs({changes}, false, std::move(done)); },
            "cannot change the configs of " + alter.name);
        throwIfFailed(client::firstFailure(result));
        out["configs_changed"] = changes.ops.size();
        if (!session.json()) std::cout << "Updated the configs of topic " << alter.name << ".\n";
    }
    if (session.json()) printJson(out);
    return kExitOk;
}

}  // namespace

void addTopicsCommands(CLI::App& app, CommandContext& context) {
    auto* topics = app.add_subcommand("topics", "List, describe, create, delete and alter topics");
    topics->require_subcommand(1);

    auto internal = std::make_shared<bool>(false);
    auto* list = topics->add_subcommand("list", "List topic names");
    list->add_flag("--internal", *internal, "Include internal topics (__consumer_offsets, ...)");
    onRun(list, context, [internal](const CommonOptions& o) { return listTopics(o, *internal); });

    auto describeNames = std::make_shared<std::vector<std::string>>();
    auto* describe =
        topics->add_subcommand("describe", "Partitions (leader, replicas, isr, offline) and overridden configs");
    describe->add_option("name", *describeNames, "Topics to describe (default: every topic)");
    onRun(describe, context, [describeNames](const CommonOptions& o) { return describeTopics(o, *describeNames); });

    auto create = std::make_shared<CreateOptions>();
    auto* createCmd = topics->add_subcommand("create", "Create topics");
    createCmd->add_option("name", create->names, "Topic names")->required();
    createCmd
        ->add_option("--partitions", create->partitions, "Number of partitions (default: the broker's num.partitions)")
        ->check(atLeast<int32_t>(1));
    createCmd
        ->add_option("--replication-factor", create->replicationFactor,
                     "Replicas per partition (default: the broker's default.replication.factor)")
        ->check(atLeast<int16_t>(1));
    createCmd->add_option("--config", create->configs, "A topic config key=value (repeatable)")
        ->allow_extra_args(false);
    createCmd->add_flag("--if-not-exists", create->ifNotExists, "Succeed when the topic already exists");
    onRun(createCmd, context, [create](const CommonOptions& o) { return createTopics(o, *create); });

    auto deleteNames = std::make_shared<std::vector<std::string>>();
    auto ifExists = std::make_shared<bool>(false);
    auto* deleteCmd = topics->add_subcommand("delete", "Delete topics");
    deleteCmd->add_option("name", *deleteNames, "Topic names")->required();
    deleteCmd->add_flag("--if-exists", *ifExists, "Succeed when a topic does not exist");
    onRun(deleteCmd, context,
          [deleteNames, ifExists](const CommonOptions& o) { return deleteTopics(o, *deleteNames, *ifExists); });

    auto alter = std::make_shared<AlterOptions>();
    auto* alterCmd = topics->add_subcommand("alter", "Add partitions or change a topic's configs");
    alterCmd->add_option("name", alter->name, "Topic name")->required();
    alterCmd->add_option("--partitions", alter->partitions, "The new total number of partitions")
        ->check(atLeast<int32_t>(1));
    alterCmd->add_option("--config", alter->setConfigs, "Set a topic config key=value (repeatable)")
        ->allow_extra_args(false);
    alterCmd->add_option("--delete-config", alter->deleteConfigs, "Remove a topic config override (repeatable)")
        ->allow_extra_args(false);
    onRun(alterCmd, context, [alter](const CommonOptions& o) { return alterTopic(o, *alter); });
}

}  // namespace partita::cli
