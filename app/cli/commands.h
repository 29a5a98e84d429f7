// The command groups of partita-cli; each source file registers its own on the top-level app.
#pragma once

#include "clioptions.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <limits>

namespace partita::cli {

struct CommandContext {
    CommonOptions common;
    // Set by the callback of the subcommand that was parsed; main() runs it after parsing, so
    // usage errors are all reported before anything is sent.
    std::function<int(const CommonOptions&)> run;
};

// Makes `command` the one main() runs when it is given on the command line.
inline void onRun(CLI::App* command, CommandContext& context, std::function<int(const CommonOptions&)> run) {
    command->callback([&context, run = std::move(run)] { context.run = run; });
}

// A check that the value is at least `min` of its type, worded with integers (CLI11's
// PositiveNumber / NonNegativeNumber print their bounds as doubles).
template <class T>
CLI::Range atLeast(T min) {
    return CLI::Range(min, std::numeric_limits<T>::max());
}

void addClusterCommands(CLI::App& app, CommandContext& context);  // cluster, api-versions
void addTopicsCommands(CLI::App& app, CommandContext& context);   // topics list|describe|create|delete|alter
void addConfigsCommands(CLI::App& app, CommandContext& context);  // configs describe|alter
void addProduceCommand(CLI::App& app, CommandContext& context);   // produce
void addConsumeCommand(CLI::App& app, CommandContext& context);   // consume
void addGroupsCommands(CLI::App& app, CommandContext& context);   // groups list|describe|lag|reset-offsets|delete
void addAclsCommands(CLI::App& app, CommandContext& context);     // acls list|create|delete
void addUsersCommands(CLI::App& app, CommandContext& context);    // users describe|set-password|delete

}  // namespace partita::cli
