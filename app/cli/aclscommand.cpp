// acls list|create|delete: Kafka's kafka-acls.sh options and names, through the Admin client.
#include "clierrors.h"
#include "commands.h"
#include "output.h"
#include "session.h"
#include "table.h"

#include <boost/json.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <tuple>

namespace partita::cli {

namespace {

using client::AclBinding;
using client::AclBindingFilter;
using client::AclOperation;
using client::AclPatternType;
using client::AclPermission;
using client::AclResourceType;

struct AclOptions {
    std::vector<std::string> allowPrincipals;
    std::vector<std::string> denyPrincipals;
    std::vector<std::string> allowHosts;
    std::vector<std::string> denyHosts;
    std::vector<std::string> operations;
    std::vector<std::string> topics;
    std::vector<std::string> groups;
    std::vector<std::string> transactionalIds;
    bool cluster = false;
    std::string patternType;
    std::string principal;  // list: only this principal's ACLs
};

struct Resource {
    AclResourceType type;
    std::string name;
};

std::vector<Resource> resources(const AclOptions& o) {
    std::vector<Resource> out;
    for (const auto& t : o.topics) out.push_back({AclResourceType::Topic, t});
    for (const auto& g : o.groups) out.push_back({AclResourceType::Group, g});
    for (const auto& t : o.transactionalIds) out.push_back({AclResourceType::TransactionalId, t});
    if (o.cluster) out.push_back({AclResourceType::Cluster, "kafka-cluster"});
    return out;
}

AclPatternType patternType(const AclOptions& o, AclPatternType fallback) {
    if (o.patternType.empty()) return fallback;
    auto type = client::parseAclPatternType(o.patternType);
    if (!type)
        throw UsageError("--resource-pattern-type expects literal, prefixed, match or any, got '" + o.patternType +
                         "'");
    return *type;
}

std::vector<AclOperation> operations(const AclOptions& o, AclOperation fallback) {
    std::vector<AclOperation> out;
    for (const auto& name : o.operations) {
        auto op = client::parseAclOperation(name);
        if (!op)
            throw UsageError("--operation: unknown operation '" + name +
                             "' (Read, Write, Create, Delete, Alter, "
                             "Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, All)");
        out.push_back(*op);
    }
    if (out.empty()) out.push_back(fallback);
    return out;
}

// The principals with their permission and hosts ('*' unless given).
std::vector<std::tuple<std::string, AclPermission, std::string>> principals(const AclOptions& o) {
    std::vector<std::tuple<std::string, AclPermission, std::string>> out;
    auto add = [&](const std::vector<std::string>& names, AclPermission permission,
                   const std::vector<std::string>& hosts) {
        for (const auto& p : names) {
            if (p.find(':') == std::string::npos)
                throw UsageError("a principal is TYPE:NAME (e.g. User:alice), got '" + p + "'");
            if (hosts.empty()) out.emplace_back(p, permission, "*");
            for (const auto& h : hosts) out.emplace_back(p, permission, h);
        }
    };
    add(o.allowPrincipals, AclPermission::Allow, o.allowHosts);
    add(o.denyPrincipals, AclPermission::Deny, o.denyHosts);
    return out;
}

boost::json::object bindingJson(const AclBinding& b) {
    return {{"resource_type", client::aclResourceTypeName(b.resourceType)},
            {"resource_name", b.resourceName},
            {"pattern_type", client::aclPatternTypeName(b.patternType)},
            {"principal", b.principal},
            {"host", b.host},
            {"operation", client::aclOperationName(b.operation)},
            {"permission", client::aclPermissionName(b.permission)}};
}

void printBindings(const std::vector<AclBinding>& bindings) {
    Table table({"RESOURCE-TYPE", "NAME", "PATTERN", "PRINCIPAL", "HOST", "OPERATION", "PERMISSION"});
    for (const auto& b : bindings)
        table.addRow({client::aclResourceTypeName(b.resourceType), b.resourceName,
                      client::aclPatternTypeName(b.patternType), b.principal, b.host,
                      client::aclOperationName(b.operation), client::aclPermissionName(b.permission)});
    table.print(std::cout);
}

// Filters for list and delete: one per resource given (or any resource), narrowed by principal
// and operation when given.
std::vector<AclBindingFilter> filters(const AclOptions& o, bool forDelete) {
    std::vector<AclBindingFilter> out;
    auto res = resources(o);
    const AclPatternType pattern = patternType(o, forDelete ? AclPatternType::Literal : AclPatternType::Any);
    if (res.empty()) {
        if (forDelete)
            throw UsageError("acls delete needs a resource: --topic, --group, --transactional-id or --cluster");
        out.push_back({});
        out.back().patternType = pattern;
    }
    for (const auto& r : res) {
        AclBindingFilter f;
        f.resourceType = r.type;
        f.resourceName = r.name;
        f.patternType = pattern;
        out.push_back(f);
    }
    std::vector<AclBindingFilter> narrowed;
    auto who = principals(o);
    auto ops = operations(o, AclOperation::Any);
    for (const auto& f : out) {
        for (AclOperation op : ops) {
            if (who.empty()) {
                AclBindingFilter g = f;
                g.operation = op;
                if (!o.principal.empty()) g.principal = o.principal;
                narrowed.push_back(g);
            }
            for (const auto& [principal, permission, host] : who) {
                AclBindingFilter g = f;
                g.operation = op;
                g.principal = principal;
                g.permission = permission;
                if (host != "*") g.host = host;
                narrowed.push_back(g);
            }
        }
    }
    return narrowed;
}

int listAcls(const CommonOptions& options, const AclOptions& o) {
    auto all = filters(o, false);
    Session session(options);
    std::vector<AclBinding> bindings;
    for (const auto& f : all) {
        auto found = session.requireFeature<std::vector<AclBinding>>(
            [&](auto done) { session.admin().describeAcls(f, std::move(done)); }, "cannot list ACLs", "ACLs");
        for (auto& b : found)
            if (std::find(bindings.begin(), bindings.end(), b) == bindings.end()) bindings.push_back(std::move(b));
    }
    if (session.json()) {
        boost::json::array out;
        for (const auto& b : bindings) out.push_back(bindingJson(b));
        printJson(out);
    } else {
        printBindings(bindings);
    }
    return kExitOk;
}

int createAcls(const CommonOptions& options, const AclOptions& o) {
    auto res = resources(o);
    if (res.empty())
        throw UsageError("acls create needs a resource: --topic, --group, --transactional-id or --cluster");
    auto who = principals(o);
    if (who.empty()) throw UsageError("acls create needs --allow-principal or --deny-principal");
    const AclPatternType pattern = patternType(o, AclPatternType::Literal);
    if (pattern != AclPatternType::Literal && pattern != AclPatternType::Prefixed)
        throw UsageError("acls create takes --resource-pattern-type literal or prefixed");
    std::vector<AclBinding> bindings;
    for (const auto& r : res)
        for (AclOperation op : operations(o, AclOperation::All))
            for (const auto& [principal, permission, host] : who)
                bindings.push_back({r.type, r.name, pattern, principal, host, op, permission});
    Session session(options);
    auto created = session.requireFeature<std::vector<client::AclCreationResult>>(
        [&](auto done) { session.admin().createAcls(bindings, std::move(done)); }, "cannot create ACLs", "ACLs");
    int exitCode = kExitOk;
    boost::json::array out;
    for (const auto& c : created) {
        if (!c.status.ok()) {
            exitCode = kExitFailed;
            if (!session.json()) printError(c.status.error().message);
        }
        auto item = bindingJson(c.binding);
        item["error"] = errorJson(c.status);
        out.push_back(std::move(item));
    }
    if (session.json())
        printJson(out);
    else if (exitCode == kExitOk)
        std::cout << "Created " << created.size() << " ACLs.\n";
    return exitCode;
}

int deleteAcls(const CommonOptions& options, const AclOptions& o) {
    auto all = filters(o, true);
    Session session(options);
    auto deleted = session.requireFeature<std::vector<client::AclDeletionResult>>(
        [&](auto done) { session.admin().deleteAcls(all, std::move(done)); }, "cannot delete ACLs", "ACLs");
    int exitCode = kExitOk;
    std::vector<AclBinding> removed;
    for (const auto& d : deleted) {
        if (!d.status.ok()) {
            exitCode = kExitFailed;
            printError(d.status.error().message);
        }
        for (const auto& f : d.failures) {
            exitCode = kExitFailed;
            printError(f.message);
        }
        removed.insert(removed.end(), d.deleted.begin(), d.deleted.end());
    }
    if (session.json()) {
        boost::json::array out;
        for (const auto& b : removed) out.push_back(bindingJson(b));
        printJson(out);
    } else {
        std::cout << "Deleted " << removed.size() << " ACLs.\n";
        if (!removed.empty()) printBindings(removed);
    }
    return exitCode;
}

void addAclOptions(CLI::App* command, AclOptions& o, bool withPrincipals) {
    command->add_option("--topic", o.topics, "A topic (repeatable)")->allow_extra_args(false);
    command->add_option("--group", o.groups, "A consumer group (repeatable)")->allow_extra_args(false);
    command->add_option("--transactional-id", o.transactionalIds, "A transactional id (repeatable)")
        ->allow_extra_args(false);
    command->add_flag("--cluster", o.cluster, "The cluster resource");
    command->add_option("--resource-pattern-type", o.patternType, "literal (default), prefixed, match or any");
    command->add_option("--operation", o.operations, "Read, Write, Describe, ... (repeatable)")
        ->allow_extra_args(false);
    if (withPrincipals) {
        command->add_option("--allow-principal", o.allowPrincipals, "e.g. User:alice (repeatable)")
            ->allow_extra_args(false);
        command->add_option("--deny-principal", o.denyPrincipals, "e.g. User:mallory (repeatable)")
            ->allow_extra_args(false);
        command->add_option("--allow-host", o.allowHosts, "Hosts the allow rules apply to (default: *)")
            ->allow_extra_args(false);
        command->add_option("--deny-host", o.denyHosts, "Hosts the deny rules apply to (default: *)")
            ->allow_extra_args(false);
    }
}

}  // namespace

void addAclsCommands(CLI::App& app, CommandContext& context) {
    auto* acls = app.add_subcommand("acls", "List, create and delete ACLs");
    acls->require_subcommand(1);

    auto list = std::make_shared<AclOptions>();
    auto* listCmd = acls->add_subcommand("list", "List ACLs (all, or those of the resources and principal given)");
    addAclOptions(listCmd, *list, false);
    listCmd->add_option("--principal", list->principal, "Only this principal's ACLs");
    onRun(listCmd, context, [list](const CommonOptions& o) { return listAcls(o, *list); });

    auto create = std::make_shared<AclOptions>();
    auto* createCmd = acls->add_subcommand("create", "Create ACLs: every resource x operation x principal given");
    addAclOptions(createCmd, *create, true);
    onRun(createCmd, context, [create](const CommonOptions& o) { return createAcls(o, *create); });

    auto remove = std::make_shared<AclOptions>();
    auto* deleteCmd =
        acls->add_subcommand("delete", "Delete the ACLs matching the resources, principals and operations");
    addAclOptions(deleteCmd, *remove, true);
    onRun(deleteCmd, context, [remove](const CommonOptions& o) { return deleteAcls(o, *remove); });
}

}  // namespace partita::cli
