// search_bench: the message search (TopicScanner) over a whole topic, and the producer that fills
// the topic with ~SIZE-byte JSON records first. Prints RESULT lines for tests/bench/search_bench.sh.
//
//   search_bench BOOTSTRAP TOPIC produce COUNT SIZE PARTITIONS
//   search_bench BOOTSTRAP TOPIC search 'FILTER'
#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "engine/client/recordfilter.h"
#include "engine/client/topicscanner.h"

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>

using namespace partita;
using namespace partita::client;

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

long peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// An order event padded to `size` bytes; one in 1000 mentions "needle-x", status cycles through 4 values.
std::string orderJson(int64_t i, size_t size) {
    static const char* statuses[] = {"active", "pending", "shipped", "cancelled"};
    std::string v = "{\"id\":" + std::to_string(i) + ",\"status\":\"" + statuses[i % 4] +
                    "\",\"amount\":" + std::to_string((i * 7919) % 10000) + ".25,\"customer\":{\"id\":\"c-" +
                    std::to_string(i % 5003) + "\",\"tier\":\"" + (i % 3 == 0 ? "gold" : "basic") +
                    "\"},\"tags\":[\"t" + std::to_string(i % 17) + "\",\"web\"],\"note\":\"" +
                    (i % 1000 == 7 ? "needle-x " : "") + "lorem ipsum";
    const std::string filler = " dolor sit amet consectetur adipiscing elit sed do eiusmod tempor";
    while (v.size() + 2 < size) v += filler[v.size() % filler.size()];
    return v + "\"}";
}

int produce(std::shared_ptr<KafkaClient> client, const std::string& topic, int64_t count, size_t size, int partitions) {
    std::promise<Result<std::vector<CreatedTopic>>> created;
    NewTopic t;
    t.name = topic;
    t.numPartitions = partitions;
    t.replicationFactor = 1;
    Admin(client).createTopics({t}, {}, [&](auto r) { created.set_value(std::move(r)); });
    auto c = created.get_future().get();
    if (!c.ok()) return std::fprintf(stderr, "create: %s\n", c.error().message.c_str()), 1;
    auto producer = Producer::create(client);
    if (!producer.ok()) return std::fprintf(stderr, "%s\n", producer.error().message.c_str()), 1;
    std::atomic<int64_t> failed{0};
    auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < count; ++i) {
        ProducerRecord record{.topic = topic, .key = "order-" + std::to_string(i), .value = orderJson(i, size)};
        while (!(*producer)->produce(record, [&](Result<RecordMetadata> r) { failed += r.ok() ? 0 : 1; }).ok())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::promise<Status> flushed;
    (*producer)->flush([&](Status s) { flushed.set_value(std::move(s)); });
    Status flushStatus = flushed.get_future().get();
    if (!flushStatus.ok()) return std::fprintf(stderr, "flush: %s\n", flushStatus.error().message.c_str()), 1;
    std::printf("RESULT produced=%lld failed=%lld seconds=%.3f\n", static_cast<long long>(count),
                static_cast<long long>(failed.load()), seconds(start));
    return failed == 0 ? 0 : 1;
}

int search(std::shared_ptr<KafkaClient> client, const std::string& topic, const std::string& filterText) {
    auto filter = RecordFilter::parse(filterText);
    if (!filter.ok()) return std::fprintf(stderr, "%s\n", filter.error().message.c_str()), 2;
    ScanRequest request;
    request.topic = topic;
    request.filter = *filter;
    std::atomic<uint64_t> kept{0};
    std::promise<Result<ScanSummary>> done;
    TopicScanner scanner(client);
    auto start = std::chrono::steady_clock::now();
    scanner.start(std::move(request), {.onResults = [&](std::vector<ScanMatch> matches) { kept += matches.size(); },
                                       .onProgress = {},
                                       .onDone = [&](Result<ScanSummary> r) { done.set_value(std::move(r)); }});
    auto result = done.get_future().get();
    const double elapsed = seconds(start);
    if (!result.ok()) return std::fprintf(stderr, "search: %s\n", result.error().message.c_str()), 1;
    const auto& t = result->totals;
    std::printf(
        "RESULT scanned=%llu matched=%llu received=%llu seconds=%.3f msgs_per_s=%.0f MB_per_s=%.1f "
        "peak_rss_mb=%ld\n",
        static_cast<unsigned long long>(t.scanned), static_cast<unsigned long long>(t.matched),
        static_cast<unsigned long long>(kept.load()), elapsed, t.scanned / elapsed, t.bytes / elapsed / 1e6,
        peakRssMb());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr,
                     "usage: search_bench BOOTSTRAP TOPIC produce COUNT SIZE PARTITIONS\n"
                     "       search_bench BOOTSTRAP TOPIC search FILTER\n");
        return 2;
    }
    auto config = ClientConfig::fromProperties({{"bootstrap.servers", argv[1]}, {"linger.ms", "5"}});
    if (!config.ok()) return std::fprintf(stderr, "%s\n", config.error().message.c_str()), 2;
    auto client = KafkaClient::create(*config);
    if (!client.ok()) return std::fprintf(stderr, "%s\n", client.error().message.c_str()), 1;
    const std::string mode = argv[3];
    int rc = 2;
    if (mode == "produce" && argc >= 7)
        rc = produce(*client, argv[2], std::atoll(argv[4]), std::strtoul(argv[5], nullptr, 10), std::atoi(argv[6]));
    else if (mode == "search" && argc >= 5)
        rc = search(*client, argv[2], argv[4]);
    (*client)->close();
    return rc;
}
