// partita-cli: entry point; parses the command line, runs the chosen command, maps failures to exit statuses.
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <iostream>

#include "clierrors.h"
#include "commands.h"
#include "output.h"

int main(int argc, char** argv) {
    using namespace partita::cli;
    // A closed stdout (partita-cli consume ... | head) is reported by the write, not a signal.
    std::signal(SIGPIPE, SIG_IGN);
    // The engine logs through spdlog's default logger, which writes to stdout: keep stdout for
    // the command's output and only warnings by default (SPDLOG_LEVEL=info shows more).
    auto logger = spdlog::stderr_color_mt("partita-cli");
    logger->set_pattern("partita-cli: %l: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::warn);
    spdlog::cfg::load_env_levels();

    CLI::App app{"partita-cli: a scriptable client for Kafka clusters"};
    app.fallthrough();
    app.require_subcommand(1);
    app.footer(
        "Exit status: 0 success, 1 the operation failed, 2 a usage error.\n"
        "Run 'partita-cli COMMAND --help' for a command's options.");
    CommandContext context;
    addCommonOptions(app, context.common);
    addClusterCommands(app, context);
    addTopicsCommands(app, context);
    addConfigsCommands(app, context);
    addProduceCommand(app, context);
    addConsumeCommand(app, context);
    addGroupsCommands(app, context);
    addAclsCommands(app, context);
    addUsersCommands(app, context);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    if (!context.run) {
        std::cerr << app.help();
        return kExitUsage;
    }
    try {
        return context.run(context.common);
    } catch (const UsageError& e) {
        printError(e.what());
        return kExitUsage;
    } catch (const CommandFailed& e) {
        printError(e.what());
        return kExitFailed;
    } catch (const std::exception& e) {
        printError(std::string("unexpected failure: ") + e.what());
        return kExitFailed;
    }
}
