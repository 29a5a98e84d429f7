// users describe|set-password|delete: SCRAM credentials (kafka-configs.sh --entity-type users), through the Admin
// client.
#include "clierrors.h"
#include "commands.h"
#include "output.h"
#include "session.h"
#include "table.h"

#include <boost/json.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace partita::cli {

namespace {

client::ScramMechanism mechanismOf(const std::string& name) {
    auto mechanism = client::parseScramMechanism(name);
    if (!mechanism || *mechanism == client::ScramMechanism::Unknown)
        throw UsageError("--mechanism expects SCRAM-SHA-256 or SCRAM-SHA-512, got '" + name + "'");
    return *mechanism;
}

int describeUsers(const CommonOptions& options, const std::vector<std::string>& users) {
    Session session(options);
    auto described = session.requireFeature<std::vector<client::UserScramCredentials>>(
        [&](auto done) { session.admin().describeUserScramCredentials(users, std::move(done)); },
        "cannot describe SCRAM users", "SCRAM credentials");
    int exitCode = kExitOk;
    boost::json::array out;
    Table table({"USER", "MECHANISM", "ITERATIONS"});
    for (const auto& u : described) {
        if (!u.status.ok()) {
            exitCode = kExitFailed;
            if (!session.json()) printError(u.status.error().message);
        }
        boost::json::array credentials;
        for (const auto& c : u.credentials) {
            credentials.push_back(
                {{"mechanism", client::scramMechanismName(c.mechanism)}, {"iterations", c.iterations}});
            table.addRow({u.user, client::scramMechanismName(c.mechanism), std::to_string(c.iterations)});
        }
        out.push_back({{"user", u.user}, {"credentials", std::move(credentials)}, {"error", errorJson(u.status)}});
    }
    if (session.json())
        printJson(out);
    else
        table.print(std::cout);
    return exitCode;
}

int setPassword(const CommonOptions& options, const std::string& user, const std::string& mechanismName,
                int32_t iterations) {
    const auto mechanism = mechanismOf(mechanismName);
    // The password comes from stdin (first line), never from the command line where ps shows it.
    std::string password;
    if (!std::getline(std::cin, password) || password.empty())
        throw UsageError("users set-password reads the password from the first line of stdin; it was empty");
    if (!password.empty() && password.back() == '\r') password.pop_back();
    Session session(options);
    auto result = session.requireFeature<std::vector<client::ItemStatus>>(
        [&](auto done) {
            session.admin().alterUserScramCredentials({{user, mechanism, iterations, password}}, {}, std::move(done));
        },
        "cannot set the password of " + user, "SCRAM credentials");
    throwIfFailed(client::firstFailure(result));
    if (session.json())
        printJson({{"user", user}, {"mechanism", client::scramMechanismName(mechanism)}, {"iterations", iterations}});
    else
        std::cout << "Set the " << client::scramMechanismName(mechanism) << " password of " << user << ".\n";
    return kExitOk;
}

int deleteUser(const CommonOptions& options, const std::string& user, const std::string& mechanismName) {
    const auto mechanism = mechanismOf(mechanismName);
    Session session(options);
    auto result = session.requireFeature<std::vector<client::ItemStatus>>(
        [&](auto done) {
            session.admin().alterUserScramCredentials({}, {{user, mechanism}}, std::move(done));
        },
        "cannot delete the credentials of " + user, "SCRAM credentials");
    throwIfFailed(client::firstFailure(result));
    if (session.json())
        printJson({{"user", user}, {"mechanism", client::scramMechanismName(mechanism)}, {"deleted", true}});
    else
        std::cout << "Deleted the " << client::scramMechanismName(mechanism) << " credentials of " << user << ".\n";
    return kExitOk;
}

}  // namespace

void addUsersCommands(CLI::App& app, CommandContext& context) {
    auto* users = app.add_subcommand("users", "SCRAM users: describe, set a password, delete");
    users->require_subcommand(1);

    auto names = std::make_shared<std::vector<std::string>>();
    auto* describe = users->add_subcommand("describe", "The SCRAM mechanisms and iterations of users (default: all)");
    describe->add_option("user", *names, "Users");
    onRun(describe, context, [names](const CommonOptions& o) { return describeUsers(o, *names); });

    struct SetOptions {
        std::string user;
        std::string mechanism = "SCRAM-SHA-256";
        int32_t iterations = 8192;
    };
    auto set = std::make_shared<SetOptions>();
    auto* setCmd = users->add_subcommand("set-password", "Set a user's SCRAM password, read from stdin");
    setCmd->add_option("user", set->user, "The user")->required();
    setCmd->add_option("--mechanism", set->mechanism, "SCRAM-SHA-256 (default) or SCRAM-SHA-512");
    setCmd->add_option("--iterations", set->iterations, "PBKDF2 iterations (4096 to 16384)")
        ->check(CLI::Range(4096, 16384));
    onRun(setCmd, context,
          [set](const CommonOptions& o) { return setPassword(o, set->user, set->mechanism, set->iterations); });

    auto remove = std::make_shared<SetOptions>();
    auto* deleteCmd = users->add_subcommand("delete", "Delete a user's SCRAM credentials for one mechanism");
    deleteCmd->add_option("user", remove->user, "The user")->required();
    deleteCmd->add_option("--mechanism", remove->mechanism, "SCRAM-SHA-256 (default) or SCRAM-SHA-512");
    onRun(deleteCmd, context,
          [remove](const CommonOptions& o) { return deleteUser(o, remove->user, remove->mechanism); });
}

}  // namespace partita::cli
