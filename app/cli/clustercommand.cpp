// The cluster command (cluster id, controller, brokers) and api-versions (the codec's API table).
#include "apiversionstable.h"
#include "commands.h"
#include "output.h"
#include "session.h"
#include "table.h"

#include <boost/json.hpp>

#include <iostream>

namespace partita::cli {

namespace {

int describeCluster(const CommonOptions& options) {
    Session session(options);
    auto cluster = session.require<client::ClusterDescription>(
        [&](auto done) { session.admin().describeCluster(std::move(done)); }, "cannot describe the cluster");
    if (session.json()) {
        boost::json::array brokers;
        for (const auto& b : cluster.brokers) {
            brokers.push_back({{"id", b.id},
                               {"host", b.host},
                               {"port", b.port},
                               {"rack", b.rack ? boost::json::value(*b.rack) : nullptr},
                               {"controller", b.isController}});
        }
        printJson({{"cluster_id", cluster.clusterId},
                   {"controller", cluster.controllerId >= 0 ? boost::json::value(cluster.controllerId) : nullptr},
                   {"brokers", std::move(brokers)}});
        return kExitOk;
    }
    std::cout << "Cluster ID: " << cluster.clusterId << '\n'
              << "Controller: " << (cluster.controllerId >= 0 ? std::to_string(cluster.controllerId) : "unknown")
              << "\n\n";
    Table table({"ID", "ADDRESS", "RACK", "CONTROLLER"});
    for (const auto& b : cluster.brokers)
        table.addRow({std::to_string(b.id), b.host + ":" + std::to_string(b.port), valueOr(b.rack, "-"),
                      b.isController ? "*" : ""});
    table.print(std::cout);
    return kExitOk;
}

}  // namespace

void addClusterCommands(CLI::App& app, CommandContext& context) {
    auto* cluster = app.add_subcommand("cluster", "Show the cluster id, the controller and the brokers");
    onRun(cluster, context, describeCluster);

    auto* versions = app.add_subcommand("api-versions", "Print the Kafka APIs and versions Partita's codec supports");
    onRun(versions, context, [](const CommonOptions&) {
        printApiVersionsTable(std::cout);
        return kExitOk;
    });
}

}  // namespace partita::cli
