// groups list|describe|lag|reset-offsets|delete: Kafka's kafka-consumer-groups.sh, through the Admin client.
#include "clierrors.h"
#include "commands.h"
#include "output.h"
#include "resettarget.h"
#include "session.h"
#include "table.h"

#include "engine/protocol/errorcodes.h"

#include <boost/json.hpp>

#include <charconv>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace partita::cli {

namespace {

using client::TopicPartition;

std::string dashIfEmpty(const std::string& s) {
    return s.empty() ? "-" : s;
}

// "orders(0,1,2),payments(3)", as kafka-consumer-groups.sh --members --verbose prints assignments.
std::string assignmentText(const std::vector<TopicPartition>& partitions) {
    std::map<std::string, std::vector<int32_t>> byTopic;
    for (const auto& tp : partitions) byTopic[tp.topic].push_back(tp.partition);
    std::string out;
    for (const auto& [topic, ids] : byTopic) {
        if (!out.empty()) out += ',';
        out += topic + "(" + joinIds(ids) + ")";
    }
    return out.empty() ? "-" : out;
}

boost::json::array partitionsJson(const std::vector<TopicPartition>& partitions) {
    boost::json::array out;
    for (const auto& tp : partitions) out.push_back({{"topic", tp.topic}, {"partition", tp.partition}});
    return out;
}

int listGroups(const CommonOptions& options) {
    Session session(options);
    auto listings = session.require<client::GroupListings>(
        [&](auto done) { session.admin().listConsumerGroups({}, std::move(done)); }, "cannot list groups");
    for (const auto& e : listings.brokerErrors) printWarning("groups of a broker are missing: " + e.message);
    if (session.json()) {
        boost::json::array out;
        for (const auto& g : listings.groups)
            out.push_back({{"group", g.groupId},
                           {"state", g.state.empty() ? boost::json::value(nullptr) : boost::json::value(g.state)},
                           {"protocol_type", g.protocolType},
                           {"coordinator", g.coordinatorId}});
        printJson(out);
    } else {
        Table table({"GROUP", "STATE", "PROTOCOL-TYPE"});
        for (const auto& g : listings.groups)
            table.addRow({g.groupId, dashIfEmpty(g.state), dashIfEmpty(g.protocolType)});
        table.print(std::cout);
    }
    return listings.brokerErrors.empty() ? kExitOk : kExitFailed;
}

client::ConsumerGroupDescription describeGroup(Session& session, const std::string& group) {
    auto described = session.require<std::vector<client::ConsumerGroupDescription>>(
        [&](auto done) { session.admin().describeConsumerGroups({group}, {}, std::move(done)); },
        "cannot describe group " + group);
    if (described.empty()) throw CommandFailed("group " + group + ": the broker did not describe it");
    throwIfFailed(described.front().status);
    return std::move(described.front());
}

int describeGroupCommand(const CommonOptions& options, const std::string& group) {
    Session session(options);
    auto g = describeGroup(session, group);
    if (g.state == "Dead") throw CommandFailed("Consumer group '" + group + "' does not exist.");
    if (session.json()) {
        boost::json::array members;
        for (const auto& m : g.members)
            members.push_back(
                {{"member_id", m.memberId},
                 {"group_instance_id", m.groupInstanceId ? boost::json::value(*m.groupInstanceId) : nullptr},
                 {"client_id", m.clientId},
                 {"host", m.host},
                 {"subscription", boost::json::value_from(m.subscribedTopics)},
                 {"assignment", partitionsJson(m.assignment)}});
        printJson({{"group", g.groupId},
                   {"state", g.state},
                   {"protocol_type", g.protocolType},
                   {"protocol", g.protocol},
                   {"coordinator", g.coordinatorId},
                   {"members", std::move(members)}});
        return kExitOk;
    }
    std::cout << "Group:         " << g.groupId << '\n'
              << "State:         " << g.state << '\n'
              << "Protocol type: " << dashIfEmpty(g.protocolType) << '\n'
              << "Protocol:      " << dashIfEmpty(g.protocol) << '\n'
              << "Coordinator:   " << g.coordinatorId << "\n\n";
    if (g.members.empty()) {
        std::cout << "Consumer group '" << group << "' has no active members.\n";
        return kExitOk;
    }
    Table table({"MEMBER-ID", "CLIENT-ID", "HOST", "ASSIGNMENT"});
    for (const auto& m : g.members) table.addRow({m.memberId, m.clientId, m.host, assignmentText(m.assignment)});
    table.print(std::cout);
    return kExitOk;
}

int lagCommand(const CommonOptions& options, const std::string& group) {
    Session session(options);
    auto lag = session.require<client::ConsumerGroupLag>(
        [&](auto done) { session.admin().describeConsumerGroupLag(group, std::move(done)); },
        "cannot read the lag of group " + group);
    int exitCode = kExitOk;
    for (const auto& p : lag.partitions)
        if (!p.status.ok()) {
            printWarning(p.status.error().message);
            exitCode = kExitFailed;
        }
    if (session.json()) {
        boost::json::array partitions;
        auto optional = [](const std::optional<int64_t>& v) { return v ? boost::json::value(*v) : nullptr; };
        for (const auto& p : lag.partitions)
            partitions.push_back({{"topic", p.partition.topic},
                                  {"partition", p.partition.partition},
                                  {"committed", optional(p.committedOffset)},
                                  {"end", optional(p.logEndOffset)},
                                  {"lag", optional(p.lag)},
                                  {"member_id", nullIfEmpty(p.memberId)},
                                  {"client_id", nullIfEmpty(p.clientId)},
                                  {"host", nullIfEmpty(p.host)},
                                  {"error", errorJson(p.status)}});
        printJson({{"group", lag.groupId},
                   {"state", lag.state},
                   {"partitions", std::move(partitions)},
                   {"total_lag", lag.totalLag},
                   {"partitions_without_lag", lag.partitionsWithoutLag}});
        return exitCode;
    }
    if (lag.members.empty()) std::cout << "Consumer group '" << group << "' has no active members.\n\n";
    Table table(
        {"GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"});
    for (const auto& p : lag.partitions)
        table.addRow({lag.groupId, p.partition.topic, std::to_string(p.partition.partition),
                      valueOr(p.committedOffset, "-"), valueOr(p.logEndOffset, "-"), valueOr(p.lag, "-"),
                      dashIfEmpty(p.memberId), dashIfEmpty(p.host), dashIfEmpty(p.clientId)});
    table.print(std::cout);
    std::cout << "\nTotal lag: " << lag.totalLag;
    if (lag.partitionsWithoutLag > 0)
        std::cout << " (" << lag.partitionsWithoutLag << " partitions without a known lag)";
    std::cout << '\n';
    return exitCode;
}

struct ResetOptions {
    std::string group;
    std::vector<std::string> topics;  // T or T:p,p
    bool allTopics = false;
    bool toEarliest = false;
    bool toLatest = false;
    bool toCurrent = false;
    std::optional<int64_t> toOffset;
    std::string toDatetime;
    std::string byDuration;
    std::optional<int64_t> shiftBy;
    bool execute = false;
    bool dryRun = false;
};

ResetTarget resetTarget(const ResetOptions& o) {
    std::vector<ResetTarget> chosen;
    if (o.toEarliest) chosen.push_back({ResetTarget::Kind::Earliest, 0});
    if (o.toLatest) chosen.push_back({ResetTarget::Kind::Latest, 0});
    if (o.toCurrent) chosen.push_back({ResetTarget::Kind::Current, 0});
    if (o.toOffset) chosen.push_back({ResetTarget::Kind::Offset, *o.toOffset});
    if (o.shiftBy) chosen.push_back({ResetTarget::Kind::ShiftBy, *o.shiftBy});
    if (!o.toDatetime.empty()) {
        auto ms = parseDateTime(o.toDatetime);
        if (!ms)
            throw UsageError("--to-datetime expects YYYY-MM-DDTHH:mm:SS[.sss][Z|+hh:mm], got '" + o.toDatetime + "'");
        chosen.push_back({ResetTarget::Kind::Timestamp, *ms});
    }
    if (!o.byDuration.empty()) {
        auto ms = parseDuration(o.byDuration);
        if (!ms) throw UsageError("--by-duration expects PnDTnHnMnS (e.g. PT1H30M), got '" + o.byDuration + "'");
        const int64_t now =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        chosen.push_back({ResetTarget::Kind::Timestamp, std::max<int64_t>(0, now - *ms)});
    }
    if (chosen.size() != 1)
        throw UsageError(
            "give exactly one of --to-earliest, --to-latest, --to-current, --to-offset, --to-datetime, "
            "--by-duration, --shift-by");
    return chosen.front();
}

// The partitions a reset covers: --all-topics (every partition the group committed) or each
// --topic T (all its partitions) / T:0,2 (those).
std::vector<TopicPartition> resetScope(Session& session, const ResetOptions& o,
                                       const std::map<TopicPartition, int64_t>& committed) {
    std::set<TopicPartition> scope;
    if (o.allTopics) {
        for (const auto& [tp, offset] : committed) scope.insert(tp);
        return {scope.begin(), scope.end()};
    }
    std::vector<std::string> wholeTopics;
    for (const auto& spec : o.topics) {
        const auto colon = spec.find(':');
        if (colon == std::string::npos) {
            wholeTopics.push_back(spec);
            continue;
        }
        const std::string topic = spec.substr(0, colon);
        std::string_view list = std::string_view(spec).substr(colon + 1);
        while (!list.empty()) {
            const auto comma = list.find(',');
            const std::string_view item = list.substr(0, comma);
            int32_t p = -1;
            auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), p);
            if (ec != std::errc() || end != item.data() + item.size() || p < 0)
                throw UsageError("--topic expects TOPIC or TOPIC:P,P..., got '" + spec + "'");
            scope.insert({topic, p});
            list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        }
    }
    if (!wholeTopics.empty()) {
        auto described = session.require<std::vector<client::TopicDescription>>(
            [&](auto done) { session.admin().describeTopics(wholeTopics, std::move(done)); }, "cannot describe topics");
        for (const auto& t : described) {
            throwIfFailed(t.status);
            for (const auto& p : t.partitions) scope.insert({t.name, p.partition});
        }
    }
    return {scope.begin(), scope.end()};
}

std::map<TopicPartition, int64_t> offsetsAt(Session& session, const std::vector<TopicPartition>& partitions,
                                            int64_t spec) {
    std::map<TopicPartition, int64_t> specs;
    for (const auto& tp : partitions) specs[tp] = spec;
    auto listed = session.require<std::vector<client::ListedOffset>>(
        [&](auto done) {
            session.admin().listOffsets(specs, client::IsolationLevel::ReadUncommitted, std::move(done));
        },
        "cannot list offsets");
    std::map<TopicPartition, int64_t> out;
    for (const auto& l : listed) {
        throwIfFailed(l.status);
        out[l.partition] = l.offset;
    }
    return out;
}

int resetOffsets(const CommonOptions& options, const ResetOptions& o) {
    if (o.allTopics == !o.topics.empty()) throw UsageError("give --topic T[:p,p] (repeatable) or --all-topics");
    if (o.execute && o.dryRun) throw UsageError("--dry-run and --execute exclude each other");
    const ResetTarget target = resetTarget(o);

    Session session(options);
    const auto group = describeGroup(session, o.group);
    if (group.state != "Empty" && group.state != "Dead")
        throw CommandFailed("Assignments can only be reset if the group '" + o.group +
                            "' is inactive, but the current state is " + group.state + ".");
    auto committedList = session.require<std::vector<client::CommittedOffset>>(
        [&](auto done) { session.admin().listConsumerGroupOffsets(o.group, {}, std::move(done)); },
        "cannot read the offsets of group " + o.group);
    std::map<TopicPartition, int64_t> committed;
    for (const auto& c : committedList) {
        throwIfFailed(c.status);
        if (c.offset >= 0) committed[c.partition] = c.offset;
    }
    const auto scope = resetScope(session, o, committed);
    if (scope.empty()) throw CommandFailed("group " + o.group + " has no offsets to reset in the partitions given");

    const auto earliest = offsetsAt(session, scope, client::OffsetSpec::kEarliest);
    const auto latest = offsetsAt(session, scope, client::OffsetSpec::kLatest);
    std::map<TopicPartition, int64_t> byTime;
    if (target.kind == ResetTarget::Kind::Timestamp) byTime = offsetsAt(session, scope, target.value);

    std::map<TopicPartition, client::OffsetAndMetadata> plan;
    for (const auto& tp : scope) {
        const auto current = committed.find(tp);
        int64_t offset = 0;
        switch (target.kind) {
            case ResetTarget::Kind::Earliest:
                offset = earliest.at(tp);
                break;
            case ResetTarget::Kind::Latest:
                offset = latest.at(tp);
                break;
            case ResetTarget::Kind::Offset:
                offset = target.value;
                break;
            case ResetTarget::Kind::Timestamp:
                offset = byTime.at(tp) >= 0 ? byTime.at(tp) : latest.at(tp);  // no record that late: the end
                break;
            case ResetTarget::Kind::Current:
            case ResetTarget::Kind::ShiftBy:
                if (current == committed.end())
                    throw CommandFailed("cannot " +
                                        std::string(target.kind == ResetTarget::Kind::ShiftBy ? "shift" : "keep") +
                                        " the offset of " + partitionName(tp.topic, tp.partition) + ": group " +
                                        o.group + " has no committed offset there");
                offset = current->second + (target.kind == ResetTarget::Kind::ShiftBy ? target.value : 0);
                break;
        }
        // Kafka's tool clamps to what the log holds, with these warnings.
        const int64_t low = earliest.at(tp), high = latest.at(tp);
        if (offset < low || offset > high) {
            const int64_t clamped = std::clamp(offset, low, high);
            printWarning("New offset (" + std::to_string(offset) + ") is " +
                         (offset < low ? "lower than earliest" : "higher than latest") +
                         " offset for topic partition " + partitionName(tp.topic, tp.partition) +
                         ". Value will be set to " + std::to_string(clamped));
            offset = clamped;
        }
        plan[tp].offset = offset;
    }

    if (o.execute) {
        auto altered = session.require<std::vector<client::PartitionStatus>>(
            [&](auto done) { session.admin().alterConsumerGroupOffsets(o.group, plan, std::move(done)); },
            "cannot reset the offsets of group " + o.group);
        throwIfFailed(client::firstFailure(altered));
    }

    if (session.json()) {
        boost::json::array partitions;
        for (const auto& [tp, next] : plan) {
            const auto current = committed.find(tp);
            partitions.push_back(
                {{"topic", tp.topic},
                 {"partition", tp.partition},
                 {"current", current == committed.end() ? boost::json::value(nullptr) : current->second},
                 {"new", next.offset}});
        }
        printJson({{"group", o.group}, {"executed", o.execute}, {"partitions", std::move(partitions)}});
    } else {
        Table table({"GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"});
        for (const auto& [tp, next] : plan) {
            const auto current = committed.find(tp);
            table.addRow({o.group, tp.topic, std::to_string(tp.partition),
                          current == committed.end() ? "-" : std::to_string(current->second),
                          std::to_string(next.offset)});
        }
        std::cout << '\n';
        table.print(std::cout);
    }
    if (!o.execute) std::cerr << "Dry run: nothing was changed. Add --execute to reset the offsets.\n";
    return kExitOk;
}

int deleteGroups(const CommonOptions& options, const std::vector<std::string>& groups) {
    Session session(options);
    auto deleted = session.require<std::vector<client::ItemStatus>>(
        [&](auto done) { session.admin().deleteConsumerGroups(groups, std::move(done)); }, "cannot delete groups");
    int exitCode = kExitOk;
    boost::json::array out;
    for (const auto& g : deleted) {
        if (!g.status.ok()) exitCode = kExitFailed;
        if (session.json())
            out.push_back({{"group", g.name}, {"deleted", g.status.ok()}, {"error", errorJson(g.status)}});
        else if (g.status.ok())
            std::cout << "Deleted group " << g.name << ".\n";
        else
            printError(g.status.error().message);
    }
    if (session.json()) printJson(out);
    return exitCode;
}

}  // namespace

void addGroupsCommands(CLI::App& app, CommandContext& context) {
    auto* groups = app.add_subcommand("groups", "List, describe, inspect the lag of, reset and delete consumer groups");
    groups->require_subcommand(1);

    auto* list = groups->add_subcommand("list", "List consumer groups");
    onRun(list, context, listGroups);

    auto describeName = std::make_shared<std::string>();
    auto* describe = groups->add_subcommand("describe", "State, protocol and members with their assignments");
    describe->add_option("group", *describeName, "The group")->required();
    onRun(describe, context, [describeName](const CommonOptions& o) { return describeGroupCommand(o, *describeName); });

    auto lagName = std::make_shared<std::string>();
    auto* lag = groups->add_subcommand("lag", "Committed offset, log end offset, lag and owner of each partition");
    lag->add_option("group", *lagName, "The group")->required();
    onRun(lag, context, [lagName](const CommonOptions& o) { return lagCommand(o, *lagName); });

    auto reset = std::make_shared<ResetOptions>();
    auto* resetCmd = groups->add_subcommand(
        "reset-offsets", "Move a group's committed offsets (a dry run printing the plan unless --execute)");
    resetCmd->add_option("group", reset->group, "The group (it must have no active members)")->required();
    resetCmd->add_option("--topic", reset->topics, "TOPIC or TOPIC:P,P... (repeatable)")->allow_extra_args(false);
    resetCmd->add_flag("--all-topics", reset->allTopics, "Every partition the group has committed offsets for");
    resetCmd->add_flag("--to-earliest", reset->toEarliest, "To the log start");
    resetCmd->add_flag("--to-latest", reset->toLatest, "To the log end");
    resetCmd->add_flag("--to-current", reset->toCurrent, "To the committed offset (no change)");
    resetCmd->add_option("--to-offset", reset->toOffset, "To this offset")->check(atLeast<int64_t>(0));
    resetCmd->add_option(
        "--to-datetime", reset->toDatetime,
        "To the first record at or after YYYY-MM-DDTHH:mm:SS[.sss][Z|+hh:mm] (local time without a zone)");
    resetCmd->add_option("--by-duration", reset->byDuration, "To the first record at or after now minus PnDTnHnMnS");
    resetCmd->add_option("--shift-by", reset->shiftBy, "By N from the committed offset (negative: back)");
    resetCmd->add_flag("--execute", reset->execute, "Apply the plan");
    resetCmd->add_flag("--dry-run", reset->dryRun, "Only print the plan (the default)");
    onRun(resetCmd, context, [reset](const CommonOptions& o) { return resetOffsets(o, *reset); });

    auto deleteNames = std::make_shared<std::vector<std::string>>();
    auto* deleteCmd = groups->add_subcommand("delete", "Delete consumer groups (they must have no active members)");
    deleteCmd->add_option("group", *deleteNames, "Groups")->required();
    onRun(deleteCmd, context, [deleteNames](const CommonOptions& o) { return deleteGroups(o, *deleteNames); });
}

}  // namespace partita::cli
