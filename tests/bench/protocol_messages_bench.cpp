// Encode and decode cost of large protocol messages: a Metadata response for 10,000
// partitions and a Fetch request for 1,000 partitions, at the versions clients use.
#include <benchmark/benchmark.h>

#include "engine/protocol/messages/fetch.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"

using namespace partita;
using namespace partita::protocol;

namespace {

// 100 topics x 100 partitions, replication factor 3 over 5 brokers.
MetadataResponse makeMetadata() {
    MetadataResponse m;
    for (int b = 0; b < 5; ++b) {
        MetadataResponse::MetadataResponseBroker broker;
        broker.nodeId = b;
        broker.host = "broker-" + std::to_string(b) + ".kafka.internal";
        broker.port = 9092;
        broker.rack = "rack-" + std::to_string(b % 3);
        m.brokers.push_back(broker);
    }
    m.clusterId = "p4rt1t4-cluster-000001";
    m.controllerId = 0;
    for (int t = 0; t < 100; ++t) {
        MetadataResponse::MetadataResponseTopic topic;
        topic.name = "service.events.topic-" + std::to_string(t);
        topic.topicId = Uuid::random();
        for (int p = 0; p < 100; ++p) {
            MetadataResponse::MetadataResponsePartition partition;
            partition.partitionIndex = p;
            partition.leaderId = p % 5;
            partition.leaderEpoch = 7;
            partition.replicaNodes = {p % 5, (p + 1) % 5, (p + 2) % 5};
            partition.isrNodes = partition.replicaNodes;
            topic.partitions.push_back(std::move(partition));
        }
        m.topics.push_back(std::move(topic));
    }
    return m;
}

// 50 topics x 20 partitions.
FetchRequest makeFetch() {
    FetchRequest f;
    f.replicaId = -1;
    f.maxWaitMs = 500;
    f.minBytes = 1;
    f.maxBytes = 52428800;
    for (int t = 0; t < 50; ++t) {
        FetchRequest::FetchTopic topic;
        topic.topic = "service.events.topic-" + std::to_string(t);
        topic.topicId = Uuid::random();
        for (int p = 0; p < 20; ++p) {
            FetchRequest::FetchPartition partition;
            partition.partition = p;
            partition.currentLeaderEpoch = 7;
            partition.fetchOffset = 123456789 + p;
            partition.logStartOffset = -1;
            partition.partitionMaxBytes = 1048576;
            topic.partitions.push_back(partition);
        }
        f.topics.push_back(std::move(topic));
    }
    return f;
}

template <class Message>
void encodeBench(benchmark::State& state, const Message& message, int16_t version) {
    size_t bytes = 0;
    for (auto _ : state) {
        Writer w;
        message.encode(w, version);
        bytes = w.size();
        benchmark::DoNotOptimize(w.data());
    }
    state.counters["bytes"] = static_cast<double>(bytes);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

template <class Message>
void decodeBench(benchmark::State& state, const Message& message, int16_t version) {
    Writer w;
    message.encode(w, version);
    const Bytes encoded = w.take();
    for (auto _ : state) {
        Message decoded;
        Reader r(encoded);
        decoded.decode(r, version);
        if (!r.ok()) state.SkipWithError(r.error().c_str());
        benchmark::DoNotOptimize(decoded);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * encoded.size()));
}

void BM_MetadataResponse10kPartitions_Encode(benchmark::State& state) {
    static const MetadataResponse m = makeMetadata();
    encodeBench(state, m, static_cast<int16_t>(state.range(0)));
}
void BM_MetadataResponse10kPartitions_Decode(benchmark::State& state) {
    static const MetadataResponse m = makeMetadata();
    decodeBench(state, m, static_cast<int16_t>(state.range(0)));
}
void BM_FetchRequest1kPartitions_Encode(benchmark::State& state) {
    static const FetchRequest f = makeFetch();
    encodeBench(state, f, static_cast<int16_t>(state.range(0)));
}
void BM_FetchRequest1kPartitions_Decode(benchmark::State& state) {
    static const FetchRequest f = makeFetch();
    decodeBench(state, f, static_cast<int16_t>(state.range(0)));
}

}  // namespace

// Metadata v1 (kafka-python), v9 (first flexible), v12 (Java); Fetch v11 (kafkajs /
// librdkafka) and v15 (Java 3.7, topic ids, flexible).
BENCHMARK(BM_MetadataResponse10kPartitions_Encode)->Arg(1)->Arg(9)->Arg(12)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MetadataResponse10kPartitions_Decode)->Arg(1)->Arg(9)->Arg(12)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FetchRequest1kPartitions_Encode)->Arg(11)->Arg(15)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FetchRequest1kPartitions_Decode)->Arg(11)->Arg(15)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
