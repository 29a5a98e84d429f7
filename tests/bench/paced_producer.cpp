// paced_producer: produce latency percentiles at a fixed message rate (librdkafka), for any Kafka-protocol broker.
//
//   paced_producer -b BOOTSTRAP -t TOPIC -r MSGS_PER_SEC [-n MSGS] [-s SIZE] [-a ACKS]
//
// librdkafka's own perf tool produces as fast as it can, so its latencies are mostly queueing.
// This one paces produce() calls at the given rate (half of the measured peak, in the benchmark
// script) and reports the time from produce() to the delivery report, as a user of a loaded but
// not saturated broker sees it. Prints a "RESULT ..." line like the perf tool.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Latencies {
    std::vector<double> ms;
    long errors = 0;
};

void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* latencies = static_cast<Latencies*>(opaque);
    if (message->err) {
        latencies->errors++;
        return;
    }
    auto sentAt = Clock::time_point(Clock::duration(reinterpret_cast<intptr_t>(message->_private)));
    latencies->ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sentAt).count());
}

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: paced_producer -b BOOTSTRAP -t TOPIC -r MSGS_PER_SEC [-n MSGS] [-s SIZE] [-a ACKS]\n");
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string bootstrap, topic, acks = "1";
    long rate = 0, total = 100000, size = 1024;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "-b")
            bootstrap = argv[i + 1];
        else if (flag == "-t")
            topic = argv[i + 1];
        else if (flag == "-r")
            rate = std::atol(argv[i + 1]);
        else if (flag == "-n")
            total = std::atol(argv[i + 1]);
        else if (flag == "-s")
            size = std::atol(argv[i + 1]);
        else if (flag == "-a")
            acks = argv[i + 1];
        else
            usage();
    }
    if (bootstrap.empty() || topic.empty() || rate <= 0 || total <= 0 || size <= 0) usage();

    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    Latencies latencies;
    latencies.ms.reserve(size_t(total));
    rd_kafka_conf_set_opaque(conf, &latencies);
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    for (auto [key, value] : {std::pair{"bootstrap.servers", bootstrap.c_str()},
                              {"acks", acks.c_str()},
                              {"linger.ms", "1"},
                              {"queue.buffering.max.messages", "1000000"}}) {
        if (rd_kafka_conf_set(conf, key, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
            std::fprintf(stderr, "%s\n", error);
            return 1;
        }
    }
    rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!producer) {
        std::fprintf(stderr, "%s\n", error);
        return 1;
    }
    std::string payload(size_t(size), 'x');
    auto start = Clock::now();
    for (long i = 0; i < total; ++i) {
        // Paced: message i leaves at start + i / rate, never earlier.
        auto due = start +
                   std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(double(i) / double(rate)));
        while (Clock::now() < due) rd_kafka_poll(producer, 0);
        std::memcpy(payload.data(), &i, std::min(sizeof i, payload.size()));
        void* sentAt = reinterpret_cast<void*>(intptr_t(Clock::now().time_since_epoch().count()));
        while (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()),
                                 RD_KAFKA_V_VALUE(payload.data(), payload.size()),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(sentAt),
                                 RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(producer, 1);
        }
        rd_kafka_poll(producer, 0);
    }
    rd_kafka_flush(producer, 60000);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    rd_kafka_destroy(producer);

    auto& ms = latencies.ms;
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) {
        return ms.empty() ? -1.0 : ms[std::min(ms.size() - 1, size_t(p / 100.0 * double(ms.size())))];
    };
    std::printf("%zu delivered at %.0f msgs/s (asked %ld), latency ms p50=%.3f p99=%.3f max=%.3f, errors=%ld\n",
                ms.size(), double(ms.size()) / seconds, rate, pct(50), pct(99), ms.empty() ? -1.0 : ms.back(),
                latencies.errors);
    std::printf("RESULT mode=paced msgs=%zu rate=%ld p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%ld\n", ms.size(), rate,
                pct(50), pct(99), ms.empty() ? -1.0 : ms.back(), latencies.errors);
    return latencies.errors > 0 ? 1 : 0;
}
