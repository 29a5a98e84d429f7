// configs describe|alter: topic and broker configs (Kafka's kafka-configs.sh), with incremental changes.
#include "clierrors.h"
#include "commands.h"
#include "output.h"
#include "session.h"
#include "table.h"

#include <boost/json.hpp>

#include <iostream>
#include <memory>

namespace partita::cli {

namespace {

using client::ConfigResource;

struct ResourceOptions {
    std::string topic;
    int32_t broker = -1;
    bool brokerDefaults = false;
    bool all = false;
    std::vector<std::string> set;
    std::vector<std::string> remove;

    ConfigResource resource() const {
        if (int(!topic.empty()) + int(broker >= 0) + int(brokerDefaults) != 1)
            throw UsageError("give exactly one of --topic NAME, --broker ID or --broker-defaults");
        if (brokerDefaults) return ConfigResource{client::ConfigResourceType::Broker, ""};
        return topic.empty() ? ConfigResource::broker(broker) : ConfigResource::topic(topic);
    }
};

std::string resourceLabel(const ConfigResource& r) {
    if (r.type == client::ConfigResourceType::Broker && r.name.empty()) return "the cluster-wide broker defaults";
    return std::string(r.type == client::ConfigResourceType::Topic ? "topic " : "broker ") + r.name;
}

int describeConfigs(const CommonOptions& options, const ResourceOptions& what) {
    const ConfigResource resource = what.resource();
    Session session(options);
    auto configs = session.require<std::vector<client::ResourceConfig>>(
        [&](auto done) { session.admin().describeConfigs({resource}, {}, std::move(done)); },
        "cannot describe the configs of " + resourceLabel(resource));
    if (configs.empty()) throw CommandFailed("no configs returned for " + resourceLabel(resource));
    const auto& rc = configs.front();
    throwIfFailed(rc.status);

    std::vector<const client::ConfigEntry*> shown;
    for (const auto& e : rc.entries)
        if (what.all || (!e.isDefault && e.source != client::ConfigSource::DefaultConfig)) shown.push_back(&e);
    if (session.json()) {
        boost::json::array entries;
        for (const auto* e : shown)
            entries.push_back(
                {{"name", e->name},
                 {"value", e->sensitive || !e->value ? boost::json::value(nullptr) : boost::json::value(*e->value)},
                 {"source", client::configSourceName(e->source)},
                 {"default", e->isDefault},
                 {"read_only", e->readOnly},
                 {"sensitive", e->sensitive}});
        printJson({{"resource",
                    {{"type", resource.type == client::ConfigResourceType::Topic ? "topic" : "broker"},
                     {"name", resource.name}}},
                   {"configs", std::move(entries)}});
        return kExitOk;
    }
    if (shown.empty()) {
        std::cout << "No configs of " << resourceLabel(resource)
                  << " differ from the defaults (--all shows every config).\n";
        return kExitOk;
    }
    Table table({"NAME", "VALUE", "SOURCE", "READ-ONLY"});
    for (const auto* e : shown)
        table.addRow({e->name, e->sensitive ? "(sensitive)" : valueOr(e->value, "null"),
                      client::configSourceName(e->source), e->readOnly ? "yes" : "no"});
    table.print(std::cout);
    return kExitOk;
}

int alterConfigs(const CommonOptions& options, const ResourceOptions& what) {
    const ConfigResource resource = what.resource();
    if (what.set.empty() && what.remove.empty())
        throw UsageError("configs alter needs --set key=value or --delete key");
    client::ConfigChanges changes{resource, {}};
    for (const auto& s : what.set) {
        auto [key, value] = parseKeyValue(s, "--set");
        changes.ops.push_back({key, client::ConfigOpType::Set, value});
    }
    for (const auto& key : what.remove) changes.ops.push_back({key, client::ConfigOpType::Delete, {}});
    Session session(options);
    auto result = session.require<std::vector<client::ResourceStatus>>(
        [&](auto done) { session.admin().incrementalAlterConfigs({changes}, false, std::move(done)); },
        "cannot change the configs of " + resourceLabel(resource));
    throwIfFailed(client::firstFailure(result));
    if (session.json()) {
        boost::json::array set, removed;
        for (const auto& op : changes.ops) {
            if (op.op == client::ConfigOpType::Set)
                set.push_back({{"name", op.name}, {"value", *op.value}});
            else
                removed.push_back(boost::json::string(op.name));
        }
        printJson({{"resource", resource.name}, {"set", std::move(set)}, {"deleted", std::move(removed)}});
    } else {
        std::cout << "Updated the configs of " << resourceLabel(resource) << ".\n";
    }
    return kExitOk;
}

void addResourceOptions(CLI::App* command, ResourceOptions& what) {
    command->add_option("--topic", what.topic, "The topic");
    command->add_option("--broker", what.broker, "The broker id")->check(atLeast<int32_t>(0));
    command->add_flag("--broker-defaults", what.brokerDefaults,
                      "The cluster-wide dynamic broker defaults (kafka-configs.sh --entity-default)");
}

}  // namespace

void addConfigsCommands(CLI::App& app, CommandContext& context) {
    auto* configs = app.add_subcommand("configs", "Describe and change topic and broker configs");
    configs->require_subcommand(1);

    auto describe = std::make_shared<ResourceOptions>();
    auto* describeCmd = configs->add_subcommand("describe", "Show the configs that differ from the defaults");
    addResourceOptions(describeCmd, *describe);
    describeCmd->add_flag("--all", describe->all, "Show every config, defaults included");
    onRun(describeCmd, context, [describe](const CommonOptions& o) { return describeConfigs(o, *describe); });

    auto alter = std::make_shared<ResourceOptions>();
    auto* alterCmd = configs->add_subcommand("alter", "Set or remove configs (incremental: others are kept)");
    addResourceOptions(alterCmd, *alter);
    alterCmd->add_option("--set,--add-config", alter->set, "Set key=value (repeatable)")->allow_extra_args(false);
    alterCmd->add_option("--delete,--delete-config", alter->remove, "Remove an override (repeatable)")
        ->allow_extra_args(false);
    onRun(alterCmd, context, [alter](const CommonOptions& o) { return alterConfigs(o, *alter); });
}

}  // namespace partita::cli
