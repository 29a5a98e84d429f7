// partita-cli: entry point and command-line parsing.
#include <iostream>

#include <CLI/CLI.hpp>

#include "apiversionstable.h"

int main(int argc, char** argv) {
    CLI::App app{"partita-cli: a scriptable client for Kafka clusters"};
    app.require_subcommand(1);

    auto* versions = app.add_subcommand("api-versions", "Print the Kafka APIs and versions Partita's codec supports");
    versions->callback([] { partita::cli::printApiVersionsTable(std::cout); });

    CLI11_PARSE(app, argc, argv);
    return 0;
}
