// fuzz_broker: libFuzzer target for the broker's request dispatch: any frame a client sends must get an answer or a
// close, never a crash.
//
// One broker (one node, a temporary data directory) serves every input; its state grows across
// inputs (topics, records) as it would under a hostile client. Each frame is handled to
// completion on a private io_context, bounded in time so a fetch's long poll cannot stall the run.
#include <boost/asio.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "brokerdriver.h"

#include "engine/broker/broker.h"
#include "engine/broker/brokerconfig.h"
#include "engine/broker/brokercontext.h"
#include "engine/cluster/metadatastore.h"
#include "engine/net/framehandler.h"
#include "engine/storage/clock.h"
#include "engine/storage/logmanager.h"

using namespace partita;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_broker: %s\n", what.c_str());
    std::abort();
}

struct Node {
    std::string dir;
    broker::BrokerConfig config;
    std::unique_ptr<cluster::MetadataStore> metadata;
    std::unique_ptr<storage::LogManager> logs;
    std::unique_ptr<broker::BrokerContext> context;
    std::unique_ptr<broker::Broker> broker;

    Node() {
        dir = (fs::temp_directory_path() / ("fuzz_broker." + std::to_string(::getpid()))).string();
        fs::remove_all(dir);
        auto made = broker::makeBrokerConfig({{"node.id", "1"},
                                              {"listeners", "PLAINTEXT://localhost:9092"},
                                              {"log.dirs", dir},
                                              {"log.segment.bytes", "65536"}});
        if (!made) fail(made.error().message);
        config = std::move(*made);
        auto store = cluster::MetadataStore::open(dir + "/meta.json", "fuzz-cluster", 1);
        if (!store) fail(store.error().message);
        metadata = std::move(*store);
        metadata->registerBroker({1, {{"PLAINTEXT", "PLAINTEXT", "localhost", 9092}}, {}});
        auto opened = storage::LogManager::open(
            config.logManagerConfig, [this](const std::string&) { return config.defaultLogConfig; },
            storage::systemClock());
        if (!opened) fail(opened.error().message);
        logs = std::move(*opened);
        context = std::make_unique<broker::BrokerContext>(config, *metadata, *logs, storage::systemClock());
        broker = std::make_unique<broker::Broker>(*context);
    }
};

// Whatever the answer, its length prefix must match what follows it.
void checkLengthPrefix(const net::ResponseFrame& response) {
    if (response.parts.empty()) return;  // the connection is closed
    uint64_t total = 0;
    for (const auto& part : response.parts) total += part.file.length > 0 ? part.file.length : part.bytes.size();
    const Bytes& first = response.parts.front().bytes;
    if (first.size() < 4) fail("response without a length prefix");
    const uint8_t* p = first.data();
    uint64_t declared = uint64_t(p[0]) << 24 | uint64_t(p[1]) << 16 | uint64_t(p[2]) << 8 | p[3];
    if (declared + 4 != total) fail("response length prefix does not match the frame");
}

}  // namespace

void partita::fuzz::serveFrame(const uint8_t* data, size_t size) {
    static Node node;
    // One io_context for the whole run: a fetch still in its long poll when this input's time is
    // up finishes during a later input, as it would on a live connection.
    static boost::asio::io_context io;
    static const net::ConnectionInfo connection{1, "fuzzer", "PLAINTEXT"};
    Bytes frame = Bytes::copyOf(std::span(data, size));
    boost::asio::co_spawn(io, node.broker->handleFrame(connection, frame),
                          [](std::exception_ptr error, std::optional<net::ResponseFrame> response) {
                              if (error) fail("the handler threw");
                              if (response) checkLengthPrefix(*response);
                          });
    io.restart();
    io.run_for(std::chrono::milliseconds(50));
}
