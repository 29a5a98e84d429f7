// txn_bench: produce throughput of one librdkafka producer with acks=all, with idempotence, or in
// transactions of N messages, for any Kafka-protocol broker. Not a *_bench binary: it takes its own
// arguments (eos_bench.sh runs every mode against partitad and librdkafka's mock cluster side by side).
//
//   txn_bench -b BOOTSTRAP -t TOPIC [-n MSGS] [-s SIZE] [-l LINGER_MS] [-d MAX_SECONDS]
//             [--idempotent | --txn-size N] [--any-partition] [--create PARTITIONS] [--requests] [--log FILE]
//             [-X key=value]...
//
// Modes, the same workload in each (MSGS messages of SIZE bytes, payload random A-Z letters with the
// first 8 bytes varied per message, no keys, message i to partition i mod the topic's partition count,
// so every transaction of at least that many messages touches every partition; --any-partition leaves
// the choice to librdkafka's partitioner instead, which for messages without a key sticks to one
// partition for sticky.partitioning.linger.ms, as the perf tool does):
//   (default)       acks=all, enable.idempotence=false: plain at-least-once;
//   --idempotent    enable.idempotence=true (acks=all; librdkafka then keeps at most 5 requests in
//                   flight per connection);
//   --txn-size N    transactional.id set (so idempotent too): init_transactions() once, then begin_transaction(),
//                   produce N messages, commit_transaction(), until MSGS are sent (the last
//                   transaction may be shorter).
// Throughput runs from the first produce() (txn: the first begin_transaction(), after
// init_transactions()) until the last delivery report (txn: the last commit_transaction() returned).
// -d stops early: no message (txn: no transaction) is started after MAX_SECONDS, the figures are
// then over what was sent (limited=1 in the RESULT line), for workloads too slow to finish.
// Commit latency = the time commit_transaction() takes (it first waits for the transaction's
// messages still in flight, then sends EndTxn); transaction time = begin_transaction() to the end
// of commit_transaction(). Both as p50 / p99 over the run's transactions.
//
// Before and after the run the partitions' high watermarks are read: log_delta = how many offsets
// the run added to the topic, extra_offsets = log_delta - delivered messages (a broker that writes
// transaction markers adds one per partition per transaction: they take an offset each).
// The client's own CPU time (user + system) is reported as client_cpu_s.
//
// --create PARTITIONS creates TOPIC through the admin API first (an existing topic is fine).
// --requests turns on librdkafka's "protocol" debug log and counts the responses per API with their
// round-trip times, printed as "REQUESTS api=... count=... per_txn=... rtt_p50_ms=... rtt_p99_ms=..."
// lines (costs client CPU: use it in a separate, untimed run). --log FILE writes every librdkafka log
// line there, prefixed with ms since the start (-X debug=eos,protocol for the transaction manager).
// Any error stops the run: it is reported with librdkafka's error name and flags, the RESULT line
// says failed=1 and the exit status is 1. Prints one "RESULT k=v ..." line.
#include <librdkafka/rdkafka.h>

#include "rdkafkaadmin.h"

#include <sys/resource.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

struct Options {
    std::string bootstrap, topic;
    long messages = 500000;
    long size = 100;
    int lingerMs = 5;
    bool idempotent = false;
    long txnSize = 0;  // 0: not transactional
    int createPartitions = 0;
    bool requests = false;
    bool anyPartition = false;  // the client's partitioner instead of round-robin
    double maxSeconds = 0;      // 0: no limit
    std::string logFile;
    std::vector<std::pair<std::string, std::string>> extra;
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: txn_bench -b BOOTSTRAP -t TOPIC [-n MSGS] [-s SIZE] [-l LINGER_MS] [-d MAX_SECONDS]\n"
                 "                 [--idempotent | --txn-size N] [--any-partition] [--create PARTITIONS] [--requests]\n"
                 "                 [--log FILE] [-X key=value]...\n");
    std::exit(2);
}

Options parseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--idempotent") {
            o.idempotent = true;
            continue;
        }
        if (flag == "--requests") {
            o.requests = true;
            continue;
        }
        if (flag == "--any-partition") {
            o.anyPartition = true;
            continue;
        }
        if (i + 1 >= argc) usage();
        std::string value = argv[++i];
        if (flag == "-b") {
            o.bootstrap = value;
        } else if (flag == "-t") {
            o.topic = value;
        } else if (flag == "-n") {
            o.messages = std::atol(value.c_str());
        } else if (flag == "-s") {
            o.size = std::atol(value.c_str());
        } else if (flag == "-l") {
            o.lingerMs = std::atoi(value.c_str());
        } else if (flag == "--txn-size") {
            o.txnSize = std::atol(value.c_str());
            if (o.txnSize < 1) usage();
        } else if (flag == "--create") {
            o.createPartitions = std::atoi(value.c_str());
            if (o.createPartitions < 1) usage();
        } else if (flag == "-d") {
            o.maxSeconds = std::atof(value.c_str());
            if (o.maxSeconds <= 0) usage();
        } else if (flag == "--log") {
            o.logFile = value;
        } else if (flag == "-X") {
            auto eq = value.find('=');
            if (eq == std::string::npos || eq == 0) usage();
            o.extra.emplace_back(value.substr(0, eq), value.substr(eq + 1));
        } else {
            usage();
        }
    }
    if (o.bootstrap.empty() || o.topic.empty() || o.messages < 1 || o.size < 1 || o.lingerMs < 0 ||
        (o.idempotent && o.txnSize))
        usage();
    return o;
}

// ---------------------------------------------------------------------------------------------
// librdkafka's log: optionally to a file, and response round trips counted per API.

struct ApiTally {
    std::vector<double> rttMs;
};

struct LogSink {
    std::mutex mutex;
    std::FILE* file = nullptr;
    bool countResponses = false;
    std::map<std::string, ApiTally> responses;
    Clock::time_point start = Clock::now();
};
LogSink logSink;

// librdkafka's protocol debug line for a response: "Received <Api>Response (v<V>, <N> bytes, CorrId <C>,
// rtt <R>ms)".
void countResponse(const char* line) {
    const char* at = std::strstr(line, "Received ");
    if (!at) return;
    at += std::strlen("Received ");
    const char* end = std::strstr(at, "Response (");
    const char* rtt = std::strstr(at, "rtt ");
    if (!end || !rtt || end - at > 64) return;
    double ms = std::atof(rtt + 4);
    logSink.responses[std::string(at, size_t(end - at))].rttMs.push_back(ms);
}

// The benchmark's own steps in the log file, on the same clock, to place the client's requests.
void logStep(const char* what, long transaction) {
    std::lock_guard lock(logSink.mutex);
    if (logSink.file)
        std::fprintf(logSink.file, "%.3f BENCH %s %ld\n", msBetween(logSink.start, Clock::now()), what, transaction);
}

void onLog(const rd_kafka_t*, int, const char* facility, const char* line) {
    std::lock_guard lock(logSink.mutex);
    if (logSink.file)
        std::fprintf(logSink.file, "%.3f %s %s\n", msBetween(logSink.start, Clock::now()), facility, line);
    if (logSink.countResponses && std::strcmp(facility, "RECV") == 0) countResponse(line);
}

// ---------------------------------------------------------------------------------------------

struct Deliveries {
    long ok = 0;
    long failed = 0;
    rd_kafka_resp_err_t firstError = RD_KAFKA_RESP_ERR_NO_ERROR;
    Clock::time_point last;
};

void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* deliveries = static_cast<Deliveries*>(opaque);
    deliveries->last = Clock::now();
    if (message->err) {
        if (!deliveries->failed) deliveries->firstError = message->err;
        deliveries->failed++;
        return;
    }
    deliveries->ok++;
}

void set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
    char error[512];
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
        std::fprintf(stderr, "txn_bench: %s=%s: %s\n", key.c_str(), value.c_str(), error);
        std::exit(1);
    }
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return -1;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p / 100.0 * double(values.size())))];
}

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The topic's partition count once every partition has a leader (this also connects to the broker).
int partitionCount(rd_kafka_t* rk, const std::string& topic) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    int found = -1;
    for (int attempt = 0; attempt < 100 && found < 0; ++attempt) {
        const rd_kafka_metadata_t* metadata = nullptr;
        if (rd_kafka_metadata(rk, 0, rkt, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (int i = 0; i < metadata->topic_cnt; ++i) {
                const auto& t = metadata->topics[i];
                if (topic != t.topic || t.err || t.partition_cnt == 0) continue;
                bool led = std::all_of(t.partitions, t.partitions + t.partition_cnt,
                                       [](const rd_kafka_metadata_partition_t& p) { return p.leader >= 0; });
                if (led) found = t.partition_cnt;
            }
            rd_kafka_metadata_destroy(metadata);
        }
        if (found < 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    rd_kafka_topic_destroy(rkt);
    return found;
}

// Sum of the partitions' high watermarks, or -1 if one cannot be read.
int64_t highWatermarks(rd_kafka_t* rk, const std::string& topic, int partitions) {
    int64_t sum = 0;
    for (int p = 0; p < partitions; ++p) {
        int64_t low = -1, high = -1;
        if (rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &high, 10000)) return -1;
        sum += high;
    }
    return sum;
}

// Reports a transactional API error with its flags; true if there was one.
bool failedCall(const char* call, rd_kafka_error_t* error, long transaction) {
    if (!error) return false;
    std::fprintf(stderr, "txn_bench: %s (transaction %ld): %s: %s (fatal=%d retriable=%d requires_abort=%d)\n", call,
                 transaction, rd_kafka_error_name(error), rd_kafka_error_string(error), rd_kafka_error_is_fatal(error),
                 rd_kafka_error_is_retriable(error), rd_kafka_error_txn_requires_abort(error));
    rd_kafka_error_destroy(error);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parseOptions(argc, argv);
    if (!o.logFile.empty() && !(logSink.file = std::fopen(o.logFile.c_str(), "w"))) {
        std::perror(o.logFile.c_str());
        return 1;
    }
    logSink.countResponses = o.requests;
    const bool transactional = o.txnSize > 0;
    const char* mode = transactional ? "txn" : o.idempotent ? "idempotent" : "plain";

    Deliveries deliveries;
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", o.bootstrap);
    set(conf, "acks", "all");
    set(conf, "linger.ms", std::to_string(o.lingerMs));
    set(conf, "queue.buffering.max.messages", "1000000");
    set(conf, "queue.buffering.max.kbytes", "1048576");
    // A transactional producer is an idempotent one (librdkafka requires the setting).
    set(conf, "enable.idempotence", o.idempotent || transactional ? "true" : "false");
    if (transactional) {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        set(conf, "transactional.id",
            "txn-bench-" + std::to_string(getpid()) + "-" +
                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()));
    }
    if (o.requests) set(conf, "debug", "protocol");
    for (const auto& [key, value] : o.extra) set(conf, key, value);
    if (logSink.file || o.requests) rd_kafka_conf_set_log_cb(conf, onLog);
    rd_kafka_conf_set_opaque(conf, &deliveries);
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    char error[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!rk) {
        std::fprintf(stderr, "txn_bench: rd_kafka_new: %s\n", error);
        return 1;
    }

    if (o.createPartitions && !createTopicWithLibrdkafka(rk, o.topic, o.createPartitions, "txn_bench")) return 1;
    const int partitions = partitionCount(rk, o.topic);
    if (partitions < 1 || (o.createPartitions && partitions != o.createPartitions)) {
        std::fprintf(stderr, "txn_bench: topic %s has %d partitions (-1: not found), expected %d\n", o.topic.c_str(),
                     partitions, o.createPartitions);
        return 1;
    }
    const int64_t highBefore = highWatermarks(rk, o.topic, partitions);

    double initMs = -1;
    if (transactional) {
        auto before = Clock::now();
        if (failedCall("init_transactions", rd_kafka_init_transactions(rk, 60000), -1)) return 1;
        initMs = msBetween(before, Clock::now());
    }
    {
        // Only the timed part goes into the request counts.
        std::lock_guard lock(logSink.mutex);
        logSink.responses.clear();
    }

    std::string payload(size_t(o.size), 'A');
    std::mt19937 random(12345);
    for (char& c : payload) c = char('A' + random() % 26);
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, o.topic.c_str(), nullptr);
    bool failed = false;
    // Produces message i (waiting while the local queue is full); false on another error.
    auto produce = [&](long i) {
        if (o.size >= 8) std::memcpy(payload.data(), &i, sizeof i);
        for (;;) {
            const int32_t partition = o.anyPartition ? RD_KAFKA_PARTITION_UA : int32_t(i % partitions);
            if (rd_kafka_produce(rkt, partition, RD_KAFKA_MSG_F_COPY, payload.data(), payload.size(), nullptr, 0,
                                 nullptr) == 0)
                break;
            rd_kafka_resp_err_t err = rd_kafka_last_error();
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                std::fprintf(stderr, "txn_bench: produce message %ld: %s\n", i, rd_kafka_err2str(err));
                return false;
            }
            rd_kafka_poll(rk, 1);
        }
        if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
        return true;
    };

    std::vector<double> commitMs, txnMs;
    const double cpuBefore = cpuSeconds();
    const auto start = Clock::now();
    Clock::time_point end = start;
    const auto deadline =
        o.maxSeconds > 0
            ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.maxSeconds))
            : Clock::time_point::max();
    bool limited = false;
    long sent = 0;
    if (transactional) {
        commitMs.reserve(size_t(o.messages / o.txnSize + 1));
        txnMs.reserve(commitMs.capacity());
        for (long txn = 0; sent < o.messages && !failed; ++txn) {
            auto began = Clock::now();
            if (began >= deadline) {
                limited = true;
                break;
            }
            logStep("begin_transaction", txn);
            if (failedCall("begin_transaction", rd_kafka_begin_transaction(rk), txn)) {
                failed = true;
                break;
            }
            const long last = std::min(o.messages, sent + o.txnSize);
            while (sent < last && !failed) failed = !produce(sent++);
            if (failed) break;
            auto committing = Clock::now();
            logStep("commit_transaction", txn);
            if (failedCall("commit_transaction", rd_kafka_commit_transaction(rk, 60000), txn)) {
                failed = true;
                break;
            }
            end = Clock::now();
            logStep("committed", txn);
            commitMs.push_back(msBetween(committing, end));
            txnMs.push_back(msBetween(began, end));
        }
    } else {
        while (sent < o.messages && !failed) {
            if ((sent & 1023) == 0 && Clock::now() >= deadline) {
                limited = true;
                break;
            }
            failed = !produce(sent++);
        }
        while (rd_kafka_outq_len(rk) > 0) rd_kafka_poll(rk, 50);
        end = deliveries.last;
    }
    rd_kafka_poll(rk, 0);
    const double clientCpu = cpuSeconds() - cpuBefore;
    if (failed) end = Clock::now();
    const double seconds = std::chrono::duration<double>(end - start).count();

    std::map<std::string, ApiTally> responses;
    {
        std::lock_guard lock(logSink.mutex);
        responses = logSink.responses;
        logSink.countResponses = false;
    }
    const int64_t highAfter = highWatermarks(rk, o.topic, partitions);
    const int64_t logDelta = highBefore >= 0 && highAfter >= 0 ? highAfter - highBefore : -1;
    rd_kafka_topic_destroy(rkt);
    rd_kafka_flush(rk, 10000);
    rd_kafka_destroy(rk);
    if (logSink.file) std::fclose(logSink.file);

    if (deliveries.failed) {
        std::fprintf(stderr, "txn_bench: %ld deliveries failed, first: %s\n", deliveries.failed,
                     rd_kafka_err2name(deliveries.firstError));
        failed = true;
    }
    if (!failed && deliveries.ok != sent) {
        std::fprintf(stderr, "txn_bench: %ld of %ld messages delivered\n", deliveries.ok, sent);
        failed = true;
    }
    const long transactions = long(commitMs.size());
    const double rate = seconds > 0 ? double(deliveries.ok) / seconds : 0;
    std::printf("%s%s: %ld msgs x %ld B to %d partitions in %.2f s: %.0f msgs/s, %.2f MB/s", mode,
                transactional ? (" of " + std::to_string(o.txnSize)).c_str() : "", deliveries.ok, o.size, partitions,
                seconds, rate, rate * double(o.size) / 1e6);
    if (transactional)
        std::printf(", %ld transactions, commit ms p50=%.2f p99=%.2f, transaction ms p50=%.2f", transactions,
                    percentile(commitMs, 50), percentile(commitMs, 99), percentile(txnMs, 50));
    std::printf("; log +%" PRId64 " offsets%s\n", logDelta, limited ? " (stopped by -d)" : "");
    for (const auto& [api, tally] : responses) {
        double sumMs = 0;
        for (double ms : tally.rttMs) sumMs += ms;
        std::printf("REQUESTS api=%s count=%zu per_txn=%.2f rtt_p50_ms=%.2f rtt_p99_ms=%.2f rtt_sum_ms=%.0f\n",
                    api.c_str(), tally.rttMs.size(),
                    transactions ? double(tally.rttMs.size()) / double(transactions) : -1.0,
                    percentile(tally.rttMs, 50), percentile(tally.rttMs, 99), sumMs);
    }
    std::printf(
        "RESULT mode=%s txn_size=%ld msgs=%ld size=%ld partitions=%d linger_ms=%d seconds=%.3f msgs_per_s=%.0f "
        "MB_per_s=%.2f transactions=%ld init_ms=%.1f commit_p50_ms=%.3f commit_p99_ms=%.3f txn_p50_ms=%.3f "
        "txn_p99_ms=%.3f log_delta=%" PRId64 " extra_offsets=%" PRId64
        " client_cpu_s=%.2f errors=%ld limited=%d "
        "failed=%d\n",
        mode, o.txnSize, deliveries.ok, o.size, partitions, o.lingerMs, seconds, rate, rate * double(o.size) / 1e6,
        transactions, initMs, percentile(commitMs, 50), percentile(commitMs, 99), percentile(txnMs, 50),
        percentile(txnMs, 99), logDelta, logDelta >= 0 ? logDelta - deliveries.ok : -1, clientCpu, deliveries.failed,
        limited ? 1 : 0, failed ? 1 : 0);
    return failed ? 1 : 0;
}
