// group_bench: consumer-group rebalance time and OffsetCommit throughput (librdkafka), for any
// Kafka-protocol broker. Not a *_bench binary: it takes its own arguments (groups_bench.sh runs it
// against partitad and librdkafka's mock cluster side by side).
//
//   group_bench rebalance -b BOOTSTRAP -t TOPIC [-n MEMBERS] [-r REPEATS] [-p PARTITIONS] [--create]
//                         [--heartbeat-ms MS] [--session-ms MS] [--limit-s SECONDS] [--trace FILE]
//   group_bench commit    -b BOOTSTRAP -t TOPIC [-p PARTITIONS] [-d SECONDS] [--async IN_FLIGHT] [--create]
//
// rebalance: N consumers (one rd_kafka_t each, each polled from its own thread) subscribe to TOPIC
// in a fresh group. Join time = from the moment the last member calls subscribe() until the group is
// stable: every member holds a non-empty assignment (from its rebalance callback) and together they
// hold every partition exactly once; the end point is the latest of those assignment callbacks.
// A state only counts once it held for a confirmation window (no callback in 2 heartbeat intervals,
// at least 1 s), so a generation superseded right away is not reported as the end. Then (N > 1) the
// last member to join leaves with rd_kafka_consumer_close(), and rejoin time = from that call until
// the remaining N-1 members hold every partition again. Repeated with a fresh group id each time;
// a group not stable within --limit-s (60) fails the run and ends the repeats. --trace FILE writes
// every member's librdkafka "cgrp" debug lines there, prefixed with ms since the program started
// and the member index, to see where a rebalance spends its time.
//
// commit: one consumer in a fresh group, assign()ed PARTITIONS partitions of TOPIC (paused, so no
// fetches run beside the commits), commits an offset for every partition in each OffsetCommit, for
// SECONDS: synchronously (latency per commit) or with up to IN_FLIGHT asynchronous commits
// outstanding. Every commit carries new offsets (commit k commits offset k everywhere); at the end the
// committed offsets are read back and must be the last commit's.
//
// --create creates TOPIC with PARTITIONS partitions through the admin API first (an existing topic
// is fine); either way the topic must then have exactly PARTITIONS partitions.
// Each mode prints a "RESULT k=v ..." line.
#include <librdkafka/rdkafka.h>

#include "rdkafkaadmin.h"

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

struct Options {
    std::string mode, bootstrap, topic;
    int members = 10;
    int repeats = 3;
    int partitions = -1;  // default per mode
    bool create = false;
    int heartbeatMs = 1000;
    int sessionMs = 6000;
    double seconds = 5;
    int inFlight = 0;  // 0 = synchronous commits
    int limitSeconds = 60;
    std::string trace;  // file for the members' librdkafka cgrp debug lines, timed from the start
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: group_bench rebalance -b BOOTSTRAP -t TOPIC [-n MEMBERS] [-r REPEATS] [-p PARTITIONS]\n"
                 "                             [--create] [--heartbeat-ms MS] [--session-ms MS] [--limit-s SECONDS]\n"
                 "                             [--trace FILE]\n"
                 "       group_bench commit -b BOOTSTRAP -t TOPIC [-p PARTITIONS] [-d SECONDS] [--async IN_FLIGHT]\n"
                 "                          [--create]\n");
    std::exit(2);
}

Options parseOptions(int argc, char** argv) {
    if (argc < 2) usage();
    Options o;
    o.mode = argv[1];
    if (o.mode != "rebalance" && o.mode != "commit") usage();
    for (int i = 2; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--create") {
            o.create = true;
            continue;
        }
        if (i + 1 >= argc) usage();
        const char* value = argv[++i];
        if (flag == "-b")
            o.bootstrap = value;
        else if (flag == "-t")
            o.topic = value;
        else if (flag == "-n")
            o.members = std::atoi(value);
        else if (flag == "-r")
            o.repeats = std::atoi(value);
        else if (flag == "-p")
            o.partitions = std::atoi(value);
        else if (flag == "-d")
            o.seconds = std::atof(value);
        else if (flag == "--async")
            o.inFlight = std::atoi(value);
        else if (flag == "--heartbeat-ms")
            o.heartbeatMs = std::atoi(value);
        else if (flag == "--session-ms")
            o.sessionMs = std::atoi(value);
        else if (flag == "--limit-s")
            o.limitSeconds = std::atoi(value);
        else if (flag == "--trace")
            o.trace = value;
        else
            usage();
    }
    if (o.partitions < 0) o.partitions = o.mode == "rebalance" ? 64 : 100;
    if (o.bootstrap.empty() || o.topic.empty() || o.members < 1 || o.repeats < 1 || o.partitions < 1 ||
        o.seconds <= 0 || o.inFlight < 0 || o.heartbeatMs < 1 || o.sessionMs < 1 || o.limitSeconds < 1)
        usage();
    return o;
}

// A configuration from key/value pairs; exits on a rejected setting.
rd_kafka_conf_t* makeConf(std::initializer_list<std::pair<const char*, std::string>> settings) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    for (const auto& [key, value] : settings) {
        if (rd_kafka_conf_set(conf, key, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
            std::fprintf(stderr, "group_bench: %s=%s: %s\n", key, value.c_str(), error);
            std::exit(1);
        }
    }
    return conf;
}

rd_kafka_t* newClient(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
    char error[512];
    rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof error);
    if (!rk) {
        std::fprintf(stderr, "group_bench: rd_kafka_new: %s\n", error);
        std::exit(1);
    }
    return rk;
}

std::string uniqueGroup(const char* what, int a, int b) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::string("group-bench-") + what + "-" + std::to_string(getpid()) + "-" +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + "-" +
           std::to_string(a) + "-" + std::to_string(b);
}

// Creates the topic if asked, then waits until metadata shows it with the expected partition count.
bool prepareTopic(const Options& o) {
    rd_kafka_t* rk = newClient(RD_KAFKA_PRODUCER, makeConf({{"bootstrap.servers", o.bootstrap}}));
    bool ok = true;
    if (o.create) ok = createTopicWithLibrdkafka(rk, o.topic, o.partitions, "group_bench");
    int found = -1;
    for (int attempt = 0; ok && attempt < 100; ++attempt) {
        const rd_kafka_metadata_t* metadata = nullptr;
        if (rd_kafka_metadata(rk, 1, nullptr, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (int i = 0; i < metadata->topic_cnt; ++i) {
                const auto& topic = metadata->topics[i];
                if (o.topic != topic.topic || topic.err) continue;
                bool led = std::all_of(topic.partitions, topic.partitions + topic.partition_cnt,
                                       [](const rd_kafka_metadata_partition_t& p) { return p.leader >= 0; });
                if (led) found = topic.partition_cnt;
            }
            rd_kafka_metadata_destroy(metadata);
        }
        if (found >= 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    rd_kafka_destroy(rk);
    if (ok && found != o.partitions) {
        std::fprintf(stderr, "group_bench: topic %s has %d partitions, expected %d (-1: not found)\n", o.topic.c_str(),
                     found, o.partitions);
        ok = false;
    }
    return ok;
}

// ---------------------------------------------------------------------------------------------
// rebalance

struct Group;

struct Member {
    Group* group = nullptr;
    int index = 0;
    rd_kafka_t* rk = nullptr;
    std::thread poller;
    std::atomic<bool> stop{false};
    bool closeOnStop = true;
    // Guarded by group->mutex.
    std::vector<int32_t> assigned;
    Clock::time_point changedAt;
    int assignCallbacks = 0;
};

struct Trace {
    std::mutex mutex;
    std::FILE* file = nullptr;
    Clock::time_point start = Clock::now();
};
Trace trace;

void onLog(const rd_kafka_t* rk, int, const char* facility, const char* line) {
    auto* member = static_cast<Member*>(rd_kafka_opaque(rk));
    std::lock_guard lock(trace.mutex);
    if (!trace.file) return;
    std::fprintf(trace.file, "%.3f m%d %s %s\n", msBetween(trace.start, Clock::now()), member ? member->index : -1,
                 facility, line);
}

struct Group {
    std::mutex mutex;
    std::condition_variable changed;
    Clock::time_point lastCallback;
    long callbacks = 0;
    long callbackErrors = 0;
};

void onRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto now = Clock::now();
    auto* member = static_cast<Member*>(opaque);
    std::vector<int32_t> held;
    bool failed = false;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        failed = rd_kafka_assign(rk, partitions) != RD_KAFKA_RESP_ERR_NO_ERROR;
        for (int i = 0; i < partitions->cnt; ++i) held.push_back(partitions->elems[i].partition);
    } else {
        failed = err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS;
        rd_kafka_assign(rk, nullptr);
    }
    Group& group = *member->group;
    {
        std::lock_guard lock(group.mutex);
        member->assigned = std::move(held);
        member->changedAt = now;
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) member->assignCallbacks++;
        group.lastCallback = now;
        group.callbacks++;
        if (failed) group.callbackErrors++;
    }
    group.changed.notify_all();
}

void pollLoop(Member* member) {
    while (!member->stop.load()) {
        if (rd_kafka_message_t* message = rd_kafka_consumer_poll(member->rk, 100)) {
            if (message->err && message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                std::fprintf(stderr, "group_bench: member %d: %s\n", member->index, rd_kafka_message_errstr(message));
            rd_kafka_message_destroy(message);
        }
    }
    if (member->closeOnStop) {
        rd_kafka_consumer_close(member->rk);
        rd_kafka_destroy(member->rk);
        member->rk = nullptr;
    }
}

// True when the given members (all non-empty) hold every partition exactly once; `latest` is then the
// newest of their assignment callbacks. Caller holds the group mutex.
bool coversAll(const std::vector<Member*>& members, int partitions, Clock::time_point& latest) {
    std::vector<int> seen(size_t(partitions), 0);
    latest = Clock::time_point::min();
    for (const Member* m : members) {
        if (m->assigned.empty()) return false;
        for (int32_t p : m->assigned) {
            if (p < 0 || p >= partitions || seen[size_t(p)]++) return false;
        }
        latest = std::max(latest, m->changedAt);
    }
    return std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; });
}

// Waits until the members cover every partition and nothing changed for `settle`; returns the time
// the settled state was reached (its newest assignment callback), or nothing after `limit`.
bool waitStable(Group& group, const std::vector<Member*>& members, int partitions, std::chrono::milliseconds settle,
                std::chrono::seconds limit, Clock::time_point& stableAt) {
    auto deadline = Clock::now() + limit;
    std::unique_lock lock(group.mutex);
    for (;;) {
        Clock::time_point latest;
        auto now = Clock::now();
        if (coversAll(members, partitions, latest) && now - group.lastCallback >= settle) {
            stableAt = latest;
            return true;
        }
        if (now >= deadline) return false;
        group.changed.wait_for(lock, std::chrono::milliseconds(20));
    }
}

std::string describe(Group& group, const std::vector<Member*>& members) {
    std::lock_guard lock(group.mutex);
    int empty = 0;
    size_t held = 0;
    for (const Member* m : members) {
        if (m->assigned.empty()) empty++;
        held += m->assigned.size();
    }
    return std::to_string(members.size() - size_t(empty)) + "/" + std::to_string(members.size()) +
           " members hold partitions, " + std::to_string(held) + " partitions held, " +
           std::to_string(group.callbacks) + " rebalance callbacks";
}

struct Stats {
    std::vector<double> values;
    double median() const {
        if (values.empty()) return -1;
        auto v = values;
        std::sort(v.begin(), v.end());
        return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    }
    double max() const { return values.empty() ? -1 : *std::max_element(values.begin(), values.end()); }
};

int runRebalance(const Options& o) {
    auto settle = std::chrono::milliseconds(std::max(1000, 2 * o.heartbeatMs));
    auto limit = std::chrono::seconds(o.limitSeconds);
    Stats join, fromFirst, rejoin, closeCall;
    int failures = 0;
    int generations = 0;
    for (int repeat = 0; repeat < o.repeats; ++repeat) {
        Group group;
        std::string groupId = uniqueGroup("rebalance", o.members, repeat);
        std::vector<std::unique_ptr<Member>> owned;
        std::vector<Member*> members;
        for (int i = 0; i < o.members; ++i) {
            auto member = std::make_unique<Member>();
            member->group = &group;
            member->index = i;
            rd_kafka_conf_t* conf = makeConf({{"bootstrap.servers", o.bootstrap},
                                              {"group.id", groupId},
                                              {"client.id", "group-bench-" + std::to_string(i)},
                                              {"session.timeout.ms", std::to_string(o.sessionMs)},
                                              {"heartbeat.interval.ms", std::to_string(o.heartbeatMs)},
                                              {"enable.auto.commit", "false"},
                                              {"auto.offset.reset", "latest"}});
            rd_kafka_conf_set_opaque(conf, member.get());
            rd_kafka_conf_set_rebalance_cb(conf, onRebalance);
            if (trace.file) {
                char error[512];
                rd_kafka_conf_set(conf, "debug", "cgrp", error, sizeof error);
                rd_kafka_conf_set_log_cb(conf, onLog);
            }
            member->rk = newClient(RD_KAFKA_CONSUMER, conf);
            rd_kafka_poll_set_consumer(member->rk);
            members.push_back(member.get());
            owned.push_back(std::move(member));
        }
        // Connections and topic metadata first, so the timed part is the group protocol.
        for (Member* m : members) {
            rd_kafka_topic_t* rkt = rd_kafka_topic_new(m->rk, o.topic.c_str(), nullptr);
            const rd_kafka_metadata_t* metadata = nullptr;
            if (rd_kafka_metadata(m->rk, 0, rkt, &metadata, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
                rd_kafka_metadata_destroy(metadata);
            rd_kafka_topic_destroy(rkt);
        }
        for (Member* m : members) m->poller = std::thread(pollLoop, m);

        rd_kafka_topic_partition_list_t* subscription = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(subscription, o.topic.c_str(), RD_KAFKA_PARTITION_UA);
        Clock::time_point firstSubscribe, lastSubscribe;
        for (Member* m : members) {
            auto now = Clock::now();
            if (m == members.front()) firstSubscribe = now;
            lastSubscribe = now;
            if (rd_kafka_resp_err_t err = rd_kafka_subscribe(m->rk, subscription)) {
                std::fprintf(stderr, "group_bench: subscribe: %s\n", rd_kafka_err2str(err));
                return 1;
            }
        }
        rd_kafka_topic_partition_list_destroy(subscription);
        if (trace.file) {
            std::lock_guard lock(trace.mutex);
            std::fprintf(trace.file, "%.3f repeat %d: last subscribe() returned\n",
                         msBetween(trace.start, Clock::now()), repeat);
        }

        Clock::time_point stableAt;
        double joinMs = -1, rejoinMs = -1, closeMs = -1;
        if (waitStable(group, members, o.partitions, settle, limit, stableAt)) {
            joinMs = msBetween(lastSubscribe, stableAt);
            join.values.push_back(joinMs);
            fromFirst.values.push_back(msBetween(firstSubscribe, stableAt));
            std::lock_guard lock(group.mutex);
            generations = members.front()->assignCallbacks;
        } else {
            failures++;
            std::fprintf(stderr, "group_bench: %d members, repeat %d: not stable after %lld s: %s\n", o.members, repeat,
                         (long long)limit.count(), describe(group, members).c_str());
        }

        if (joinMs >= 0 && o.members > 1) {
            // The last member to join leaves; the others must take over its partitions.
            Member* leaver = members.back();
            members.pop_back();
            leaver->closeOnStop = false;
            leaver->stop = true;
            leaver->poller.join();
            auto leaveAt = Clock::now();
            if (trace.file) {
                std::lock_guard lock(trace.mutex);
                std::fprintf(trace.file, "%.3f repeat %d: m%d closes\n", msBetween(trace.start, leaveAt), repeat,
                             leaver->index);
            }
            rd_kafka_consumer_close(leaver->rk);
            closeMs = msBetween(leaveAt, Clock::now());
            closeCall.values.push_back(closeMs);
            rd_kafka_destroy(leaver->rk);
            leaver->rk = nullptr;
            if (waitStable(group, members, o.partitions, settle, limit, stableAt) && stableAt > leaveAt) {
                rejoinMs = msBetween(leaveAt, stableAt);
                rejoin.values.push_back(rejoinMs);
            } else {
                failures++;
                std::fprintf(stderr, "group_bench: %d members, repeat %d: after one left, not stable: %s\n", o.members,
                             repeat, describe(group, members).c_str());
            }
        }
        std::printf(
            "rebalance members=%d repeat=%d join_ms=%.1f from_first_subscribe_ms=%.1f "
            "first_member_assignments=%d rejoin_ms=%.1f close_ms=%.1f\n",
            o.members, repeat, joinMs, fromFirst.values.empty() ? -1.0 : fromFirst.values.back(), generations, rejoinMs,
            closeMs);
        std::fflush(stdout);

        for (Member* m : members) m->stop = true;
        for (auto& m : owned) {
            if (m->poller.joinable()) m->poller.join();
        }
        {
            std::lock_guard lock(group.mutex);
            if (group.callbackErrors)
                std::fprintf(stderr, "group_bench: %ld rebalance callbacks failed to assign\n", group.callbackErrors);
        }
        if (failures) break;
    }
    std::printf(
        "RESULT mode=rebalance members=%d partitions=%d repeats=%d heartbeat_ms=%d session_ms=%d "
        "join_median_ms=%.1f join_max_ms=%.1f from_first_median_ms=%.1f rejoin_median_ms=%.1f "
        "rejoin_max_ms=%.1f close_median_ms=%.1f failures=%d\n",
        o.members, o.partitions, o.repeats, o.heartbeatMs, o.sessionMs, join.median(), join.max(), fromFirst.median(),
        rejoin.median(), rejoin.max(), closeCall.median(), failures);
    return failures ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// commit

struct CommitTally {
    long commits = 0;
    long failedCommits = 0;
    long failedPartitions = 0;
    rd_kafka_resp_err_t firstError = RD_KAFKA_RESP_ERR_NO_ERROR;
    std::vector<double> latencyMs;

    void record(rd_kafka_resp_err_t err, const rd_kafka_topic_partition_list_t* offsets, double ms) {
        commits++;
        long bad = 0;
        for (int i = 0; offsets && i < offsets->cnt; ++i) {
            if (offsets->elems[i].err) {
                bad++;
                if (!firstError) firstError = offsets->elems[i].err;
            }
        }
        if (err && !firstError) firstError = err;
        if (err || bad) failedCommits++;
        failedPartitions += bad;
        latencyMs.push_back(ms);
    }
    double percentile(double p) {
        if (latencyMs.empty()) return -1;
        std::sort(latencyMs.begin(), latencyMs.end());
        return latencyMs[std::min(latencyMs.size() - 1, size_t(p / 100.0 * double(latencyMs.size())))];
    }
};

struct SyncCommit {
    CommitTally* tally;
    Clock::time_point sentAt;
};

void onSyncCommit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets, void* opaque) {
    auto* commit = static_cast<SyncCommit*>(opaque);
    commit->tally->record(err, offsets, msBetween(commit->sentAt, Clock::now()));
}

void setOffsets(rd_kafka_topic_partition_list_t* list, int64_t offset) {
    for (int i = 0; i < list->cnt; ++i) list->elems[i].offset = offset;
}

int runCommit(const Options& o) {
    std::string groupId = uniqueGroup("commit", o.partitions, o.inFlight);
    rd_kafka_t* rk = newClient(RD_KAFKA_CONSUMER, makeConf({{"bootstrap.servers", o.bootstrap},
                                                            {"group.id", groupId},
                                                            {"enable.auto.commit", "false"},
                                                            {"enable.auto.offset.store", "false"},
                                                            {"auto.offset.reset", "latest"}}));
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t* offsets = rd_kafka_topic_partition_list_new(o.partitions);
    for (int p = 0; p < o.partitions; ++p) rd_kafka_topic_partition_list_add(offsets, o.topic.c_str(), p);
    setOffsets(offsets, RD_KAFKA_OFFSET_END);
    if (rd_kafka_resp_err_t err = rd_kafka_assign(rk, offsets)) {
        std::fprintf(stderr, "group_bench: assign: %s\n", rd_kafka_err2str(err));
        return 1;
    }
    // Assigned but paused: the connection to the coordinator carries only the commits.
    rd_kafka_pause_partitions(rk, offsets);

    int64_t next = 1;
    // One commit first: finds the coordinator and connects, not timed. Waited for with a limit, so a
    // broker without a coordinator fails the run instead of hanging it.
    {
        rd_kafka_queue_t* first = rd_kafka_queue_new(rk);
        setOffsets(offsets, next++);
        rd_kafka_commit_queue(rk, offsets, first, nullptr, nullptr);
        rd_kafka_event_t* event = nullptr;
        auto giveUp = Clock::now() + std::chrono::seconds(30);
        while (!event && Clock::now() < giveUp) {
            event = rd_kafka_queue_poll(first, 1000);
            if (event && rd_kafka_event_type(event) != RD_KAFKA_EVENT_OFFSET_COMMIT) {
                rd_kafka_event_destroy(event);
                event = nullptr;
            }
        }
        CommitTally warmup;
        if (event) warmup.record(rd_kafka_event_error(event), rd_kafka_event_topic_partition_list(event), 0);
        bool failed = !event || warmup.failedCommits;
        if (failed)
            std::fprintf(stderr, "group_bench: first commit: %s\n",
                         event ? rd_kafka_err2str(warmup.firstError) : "no answer in 30 s");
        if (event) rd_kafka_event_destroy(event);
        rd_kafka_queue_destroy(first);
        if (failed) return 1;
    }

    CommitTally tally;
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
    if (o.inFlight == 0) {
        while (Clock::now() < deadline) {
            SyncCommit commit{&tally, Clock::now()};
            setOffsets(offsets, next++);
            rd_kafka_commit_queue(rk, offsets, nullptr, onSyncCommit, &commit);
            rd_kafka_poll(rk, 0);
        }
    } else {
        // Up to inFlight commits outstanding; results come back as events on our own queue, each
        // carrying its offset (= its sequence number) as opaque to time it.
        rd_kafka_queue_t* results = rd_kafka_queue_new(rk);
        std::vector<Clock::time_point> sentAt;
        sentAt.reserve(1 << 20);
        const int64_t base = next;
        long outstanding = 0;
        for (;;) {
            while (outstanding < o.inFlight && Clock::now() < deadline) {
                int64_t offset = next++;
                setOffsets(offsets, offset);
                sentAt.push_back(Clock::now());
                rd_kafka_commit_queue(rk, offsets, results, nullptr, reinterpret_cast<void*>(intptr_t(offset)));
                outstanding++;
            }
            if (outstanding == 0) break;
            rd_kafka_event_t* event = rd_kafka_queue_poll(results, 10000);
            if (!event) {
                std::fprintf(stderr, "group_bench: %ld commits outstanding and no result in 10 s\n", outstanding);
                return 1;
            }
            if (rd_kafka_event_type(event) == RD_KAFKA_EVENT_OFFSET_COMMIT) {
                auto offset = int64_t(reinterpret_cast<intptr_t>(rd_kafka_event_opaque(event)));
                tally.record(rd_kafka_event_error(event), rd_kafka_event_topic_partition_list(event),
                             msBetween(sentAt[size_t(offset - base)], Clock::now()));
                outstanding--;
            }
            rd_kafka_event_destroy(event);
        }
        rd_kafka_queue_destroy(results);
    }
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const int64_t last = next - 1;

    // Read back: every partition must hold the last commit's offset.
    setOffsets(offsets, RD_KAFKA_OFFSET_INVALID);
    long wrong = 0;
    if (rd_kafka_resp_err_t err = rd_kafka_committed(rk, offsets, 10000)) {
        std::fprintf(stderr, "group_bench: committed(): %s\n", rd_kafka_err2str(err));
        wrong = o.partitions;
    } else {
        for (int i = 0; i < offsets->cnt; ++i) {
            if (offsets->elems[i].err || offsets->elems[i].offset != last) wrong++;
        }
        if (wrong)
            std::fprintf(stderr, "group_bench: %ld partitions read back another offset than %lld (first: %lld)\n",
                         wrong, (long long)last, (long long)offsets->elems[0].offset);
    }
    rd_kafka_topic_partition_list_destroy(offsets);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);

    double commitsPerSecond = double(tally.commits) / seconds;
    const char* mode = o.inFlight ? "async" : "sync";
    if (tally.failedCommits)
        std::fprintf(stderr, "group_bench: %ld commits failed (%ld partition errors), first: %s\n", tally.failedCommits,
                     tally.failedPartitions, rd_kafka_err2str(tally.firstError));
    std::printf(
        "%ld commits of %d partitions in %.2f s (%s, in flight %d): %.0f commits/s, %.0f offsets/s, "
        "latency ms p50=%.3f p99=%.3f max=%.3f\n",
        tally.commits, o.partitions, seconds, mode, o.inFlight ? o.inFlight : 1, commitsPerSecond,
        commitsPerSecond * o.partitions, tally.percentile(50), tally.percentile(99), tally.percentile(100));
    std::printf(
        "RESULT mode=commit commit=%s in_flight=%d partitions=%d commits=%ld seconds=%.2f "
        "commits_per_s=%.0f offsets_per_s=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f failed=%ld "
        "readback_wrong=%ld\n",
        mode, o.inFlight ? o.inFlight : 1, o.partitions, tally.commits, seconds, commitsPerSecond,
        commitsPerSecond * o.partitions, tally.percentile(50), tally.percentile(99), tally.percentile(100),
        tally.failedCommits, wrong);
    return tally.failedCommits || wrong ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parseOptions(argc, argv);
    if (!o.trace.empty() && !(trace.file = std::fopen(o.trace.c_str(), "w"))) {
        std::perror(o.trace.c_str());
        return 1;
    }
    if (!prepareTopic(o)) return 1;
    return o.mode == "rebalance" ? runRebalance(o) : runCommit(o);
}
