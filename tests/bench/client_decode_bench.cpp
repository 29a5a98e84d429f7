// client_decode_bench: our browsing consumer reading a topic from the beginning, either only
// walking the records (raw consume) or decoding every record into owned objects in memory, as
// the message browser does. Prints a RESULT line for tests/bench/client_bench.sh.
//
//   client_decode_bench BOOTSTRAP TOPIC COUNT [walk|keep]
#include "engine/client/consumer.h"
#include "engine/client/consumerconfig.h"
#include "engine/client/kafkaclient.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <vector>

using namespace partita;
using namespace partita::client;

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: client_decode_bench BOOTSTRAP TOPIC COUNT [walk|keep]\n");
        return 2;
    }
    const std::string topic = argv[2];
    const int64_t wanted = std::atoll(argv[3]);
    const bool keep = argc > 4 && std::string(argv[4]) == "keep";
    auto config = ClientConfig::fromProperties({{"bootstrap.servers", argv[1]}});
    if (!config.ok()) return std::fprintf(stderr, "%s\n", config.error().message.c_str()), 2;
    auto client = KafkaClient::create(*config);
    if (!client.ok()) return std::fprintf(stderr, "%s\n", client.error().message.c_str()), 1;
    auto consumerConfig = ConsumerConfig::fromClientConfig(*config);
    if (!consumerConfig.ok()) return std::fprintf(stderr, "%s\n", consumerConfig.error().message.c_str()), 2;

    std::promise<Result<std::shared_ptr<const ClusterMetadata>>> metadataPromise;
    (*client)->metadataFor({topic}, [&](auto result) { metadataPromise.set_value(std::move(result)); });
    auto metadata = metadataPromise.get_future().get();
    if (!metadata.ok()) return std::fprintf(stderr, "%s\n", metadata.error().message.c_str()), 1;
    std::vector<TopicPartition> partitions;
    for (const auto& p : (*metadata)->topic(topic)->partitions) partitions.push_back({topic, p.partition});

    Consumer consumer(*client, *consumerConfig);
    consumer.assign(partitions);
    (void)consumer.seek(StartPosition::beginning());

    std::vector<ConsumerRecord> kept;
    if (keep) kept.reserve(size_t(wanted));
    int64_t records = 0;
    int64_t payloadBytes = 0;
    std::chrono::steady_clock::time_point first{};
    while (records < wanted) {
        std::promise<Result<FetchResult>> pollPromise;
        consumer.poll([&](Result<FetchResult> result) { pollPromise.set_value(std::move(result)); });
        auto result = pollPromise.get_future().get();
        if (!result.ok()) return std::fprintf(stderr, "poll: %s\n", result.error().message.c_str()), 1;
        for (auto& partition : result->partitions) {
            if (partition.error) return std::fprintf(stderr, "poll: %s\n", partition.error->message.c_str()), 1;
            for (const FetchedRecord& record : partition.records) {
                if (records == 0) first = std::chrono::steady_clock::now();
                payloadBytes += record.value ? int64_t(record.value->size()) : 0;
                if (keep) kept.push_back(record.toOwned());
                ++records;
            }
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - first).count();
    std::printf("RESULT mode=%s msgs=%lld seconds=%.3f msgs_per_s=%.0f MB_per_s=%.1f\n", keep ? "keep" : "walk",
                static_cast<long long>(records), seconds, double(records) / seconds,
                double(payloadBytes) / seconds / 1e6);
    return 0;
}
