// consume TOPIC: prints records (kcat -C in spirit): chosen partitions from an offset, up to the end
// offsets seen at start (or --follow), or as a group member (-G) that commits what it printed.
#include "clierrors.h"
#include "commands.h"
#include "output.h"
#include "recordformatter.h"
#include "session.h"
#include "stopsignal.h"

#include "engine/client/consumer.h"
#include "engine/client/groupconsumer.h"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>

namespace partita::cli {

namespace {

using client::TopicPartition;

struct ConsumeOptions {
    std::string topic;
    std::vector<int32_t> partitions;
    std::string offset = "beginning";
    int64_t count = 0;
    bool follow = false;
    std::string format = "%s\\n";
    std::string isolation;
    std::string group;
};

// -o as given: beginning, end, OFFSET, -N (N before the end) or @TIMESTAMP_MS.
struct StartSpec {
    enum class Kind { Beginning, End, Offset, FromEnd, Timestamp } kind = Kind::Beginning;
    int64_t value = 0;
};

StartSpec parseStart(const std::string& text) {
    if (text == "beginning") return {StartSpec::Kind::Beginning, 0};
    if (text == "end") return {StartSpec::Kind::End, 0};
    auto number = [&](std::string_view digits) {
        int64_t value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || value < 0)
            throw UsageError("-o expects beginning, end, OFFSET, -N or @TIMESTAMP_MS, got '" + text + "'");
        return value;
    };
    if (text.starts_with('@')) return {StartSpec::Kind::Timestamp, number(std::string_view(text).substr(1))};
    if (text.starts_with('-')) return {StartSpec::Kind::FromEnd, number(std::string_view(text).substr(1))};
    return {StartSpec::Kind::Offset, number(text)};
}

// The reader of stdout went away (partita-cli consume ... | head): stop quietly, like cat.
struct OutputClosed {};

// Buffers the output in large blocks: one write per poll (or per MiB), not per record.
class Output {
public:
    Output() { m_buffer.reserve(kFlushBytes + (kFlushBytes >> 2)); }
    std::string& buffer() { return m_buffer; }
    void maybeFlush() {
        if (m_buffer.size() >= kFlushBytes) flush();
    }
    void flush() {
        if (m_buffer.empty()) return;
        const size_t size = m_buffer.size();
        const size_t written = std::fwrite(m_buffer.data(), 1, size, stdout);
        m_buffer.clear();
        if (written != size || std::fflush(stdout) != 0) {
            if (errno == EPIPE) throw OutputClosed{};
            throw CommandFailed(std::string("cannot write the output: ") + std::strerror(errno));
        }
    }

private:
    static constexpr size_t kFlushBytes = size_t(1) << 20;
    std::string m_buffer;
};

RecordFormatter makeFormatter(const CommonOptions& options, const ConsumeOptions& consume) {
    if (options.json) return RecordFormatter::json();
    auto formatter = RecordFormatter::compile(consume.format);
    if (!formatter.ok()) throw UsageError(formatter.error().message);
    return std::move(formatter.value());
}

// The topic's partitions (all, or the ones asked for), failing with the topic named when it does
// not exist.
std::vector<TopicPartition> topicPartitions(Session& session, const ConsumeOptions& consume) {
    auto metadata = session.require<std::shared_ptr<const client::ClusterMetadata>>(
        [&](auto done) { session.client()->refreshMetadata({consume.topic}, std::move(done), false); },
        "cannot read the metadata of topic " + consume.topic);
    const client::TopicInfo* info = metadata->topic(consume.topic);
    if (info == nullptr) throw CommandFailed("topic " + consume.topic + " does not exist");
    if (info->errorCode != 0)
        throw CommandFailed(client::brokerError(info->errorCode, "topic " + consume.topic).message);
    std::vector<TopicPartition> out;
    if (consume.partitions.empty()) {
        for (const auto& p : info->partitions) out.push_back({consume.topic, p.partition});
        return out;
    }
    for (int32_t p : consume.partitions) {
        if (metadata->partition(consume.topic, p) == nullptr)
            throw CommandFailed("topic " + consume.topic + " has no partition " + std::to_string(p) + " (it has " +
                                std::to_string(info->partitions.size()) + ")");
        out.push_back({consume.topic, p});
    }
    return out;
}

std::map<TopicPartition, int64_t> listOffsets(Session& session, const std::vector<TopicPartition>& partitions,
                                              int64_t spec, client::IsolationLevel isolation) {
    std::map<TopicPartition, int64_t> specs;
    for (const auto& tp : partitions) specs[tp] = spec;
    auto listed = session.require<std::vector<client::ListedOffset>>(
        [&](auto done) { session.admin().listOffsets(specs, isolation, std::move(done)); }, "cannot list offsets");
    std::map<TopicPartition, int64_t> out;
    for (const auto& l : listed) {
        throwIfFailed(l.status);
        out[l.partition] = l.offset;
    }
    return out;
}

client::IsolationLevel isolationOf(const client::ClientConfig& config) {
    return config.stringProperty("isolation.level", "read_uncommitted") == "read_committed"
               ? client::IsolationLevel::ReadCommitted
               : client::IsolationLevel::ReadUncommitted;
}

// Without a group: assign, seek to offsets worked out here (so a partition already at its end is
// never fetched), stop at the end offsets seen at start unless --follow.
int consumePartitions(const CommonOptions& options, const ConsumeOptions& consume,
                      const std::map<std::string, std::string>& overrides) {
    Session session(options, overrides);
    auto config = client::ConsumerConfig::fromClientConfig(session.client()->config());
    if (!config.ok()) throw UsageError(config.error().message);
    const RecordFormatter formatter = makeFormatter(options, consume);
    const StartSpec start = parseStart(consume.offset);
    const auto isolation = config->isolationLevel;

    const auto partitions = topicPartitions(session, consume);
    const auto earliest = listOffsets(session, partitions, client::OffsetSpec::kEarliest, isolation);
    const auto latest = listOffsets(session, partitions, client::OffsetSpec::kLatest, isolation);
    std::map<TopicPartition, int64_t> byTime;
    if (start.kind == StartSpec::Kind::Timestamp) byTime = listOffsets(session, partitions, start.value, isolation);

    std::map<TopicPartition, int64_t> from;
    std::vector<TopicPartition> active;
    for (const auto& tp : partitions) {
        const int64_t low = earliest.at(tp), high = latest.at(tp);
        int64_t offset = low;
        switch (start.kind) {
            case StartSpec::Kind::Beginning:
                break;
            case StartSpec::Kind::End:
                offset = high;
                break;
            case StartSpec::Kind::Offset:
                offset = std::max(low, start.value);
                break;
            case StartSpec::Kind::FromEnd:
                offset = std::max(low, high - start.value);
                break;
            case StartSpec::Kind::Timestamp:
                offset = byTime.at(tp) >= 0 ? byTime.at(tp) : high;  // -1: no record at or after it
                break;
        }
        if (!consume.follow && offset >= high) continue;
        from[tp] = offset;
        active.push_back(tp);
    }
    if (active.empty()) return kExitOk;

    client::Consumer consumer(session.client(), std::move(config.value()));
    consumer.assign(active);
    for (const auto& tp : active) throwIfFailed(consumer.seek(tp, client::StartPosition::offset(from[tp])));

    installStopHandler();
    Output output;
    std::set<TopicPartition> remaining(active.begin(), active.end());
    int64_t printed = 0;
    const auto pollLimit = std::chrono::milliseconds(consumer.config().fetchMaxWaitMs + session.timeoutMs() + 5000);
    client::FetchedRecord record;
    while (!stopRequested() && !remaining.empty()) {
        auto polled = waitFor<client::FetchResult>([&](auto done) { consumer.poll(std::move(done)); }, pollLimit);
        if (!polled.ok()) {
            output.flush();
            throw CommandFailed(polled.error().message);
        }
        for (const auto& pf : polled.value().partitions) {
            const TopicPartition& tp = pf.partition;
            if (!remaining.count(tp)) continue;
            const int64_t end = consume.follow ? INT64_MAX : latest.at(tp);
            auto cursor = pf.records.cursor();
            bool reachedEnd = false;
            while (cursor.next(record)) {
                if (record.offset >= end) {
                    reachedEnd = true;
                    break;
                }
                formatter.append(output.buffer(), tp.topic, tp.partition, record);
                output.maybeFlush();
                if (consume.count > 0 && ++printed >= consume.count) {
                    output.flush();
                    return kExitOk;
                }
            }
            if (!cursor.status().ok()) {
                output.flush();  // the records before the bad batch
                throw CommandFailed(cursor.status().error().message);
            }
            if (pf.error) {
                const bool transient = pf.error->kind == ErrorKind::Network || pf.error->kind == ErrorKind::Timeout ||
                                       (pf.error->kind == ErrorKind::Broker && client::retriable(*pf.error));
                if (!consume.follow || !transient) {
                    output.flush();
                    throw CommandFailed(pf.error->message);
                }
                printWarning(pf.error->message);
            }
            if (!consume.follow && (reachedEnd || (!pf.error && pf.nextOffset >= end))) {
                remaining.erase(tp);
                (void)consumer.pause(tp);  // done: fetch only the others
            }
        }
        output.flush();
    }
    output.flush();
    consumer.close();
    return kExitOk;
}

// With -G: a group member. What it printed is committed (every few seconds and at the end), not
// what it fetched, so -c never skips records for the group's next reader.
int consumeInGroup(const CommonOptions& options, const ConsumeOptions& consume,
                   std::map<std::string, std::string> overrides) {
    if (!consume.partitions.empty()) throw UsageError("-p cannot be combined with -G (the group assigns partitions)");
    const StartSpec start = parseStart(consume.offset);
    if (start.kind != StartSpec::Kind::Beginning && start.kind != StartSpec::Kind::End)
        throw UsageError(
            "with -G, -o can only be beginning or end (where the group starts without a committed offset)");
    overrides["group.id"] = consume.group;
    overrides["enable.auto.commit"] = "false";
    // -o sets where a group without a commit starts, unless -X auto.offset.reset says otherwise.
    bool resetGiven = false;
    for (const auto& p : options.properties) resetGiven |= p.starts_with("auto.offset.reset=");
    if (!resetGiven && !overrides.count("auto.offset.reset"))
        overrides["auto.offset.reset"] = start.kind == StartSpec::Kind::Beginning ? "earliest" : "latest";

    Session session(options, overrides);
    const RecordFormatter formatter = makeFormatter(options, consume);
    const auto partitions = topicPartitions(session, consume);
    std::map<TopicPartition, int64_t> latest;
    if (!consume.follow)
        latest = listOffsets(session, partitions, client::OffsetSpec::kLatest, isolationOf(session.client()->config()));

    auto created = client::GroupConsumer::create(session.client());
    if (!created.ok()) throw UsageError(created.error().message);
    auto consumer = std::move(created.value());
    consumer->subscribe({consume.topic});

    installStopHandler();
    Output output;
    client::GroupConsumer::Offsets printedUpTo;  // committed at the end: the next record to print
    auto commit = [&] {
        if (printedUpTo.empty()) return;
        Status committed = session.callStatus([&](auto done) { consumer->commit(printedUpTo, std::move(done)); });
        if (!committed.ok())
            printWarning("cannot commit the offsets of group " + consume.group + ": " + committed.error().message);
    };
    auto finish = [&](int code) {
        output.flush();
        commit();
        Status closed = session.callStatus([&](auto done) { consumer->close(std::move(done)); });
        if (!closed.ok()) printWarning(closed.error().message);
        return code;
    };

    int64_t printed = 0;
    auto lastCommit = std::chrono::steady_clock::now();
    const auto pollLimit = std::chrono::milliseconds(session.timeoutMs() + 10000);
    client::FetchedRecord record;
    while (!stopRequested()) {
        auto polled = waitFor<client::FetchResult>([&](auto done) { consumer->poll(std::move(done)); }, pollLimit);
        if (!polled.ok()) {
            output.flush();
            throw CommandFailed(polled.error().message);
        }
        for (const auto& pf : polled.value().partitions) {
            const TopicPartition& tp = pf.partition;
            auto cursor = pf.records.cursor();
            while (cursor.next(record)) {
                formatter.append(output.buffer(), tp.topic, tp.partition, record);
                output.maybeFlush();
                printedUpTo[tp].offset = record.offset + 1;
                if (consume.count > 0 && ++printed >= consume.count) return finish(kExitOk);
            }
            if (!cursor.status().ok()) {
                output.flush();
                throw CommandFailed(cursor.status().error().message);
            }
            if (pf.error) printWarning(pf.error->message);
            // Past skipped control records too, when the whole result was printed.
            if (!pf.error && pf.nextOffset > 0 && printedUpTo.count(tp)) printedUpTo[tp].offset = pf.nextOffset;
        }
        output.flush();
        if (std::chrono::steady_clock::now() - lastCommit > std::chrono::seconds(5)) {
            commit();
            lastCommit = std::chrono::steady_clock::now();
        }
        if (!consume.follow) {
            // Done once this member owns partitions and each is at the end seen at start.
            const auto owned = consumer->assignment();
            bool atEnd = !owned.empty();
            for (const auto& tp : owned) {
                auto position = consumer->position(tp);
                auto end = latest.find(tp);
                if (!position || (end != latest.end() && *position < end->second)) atEnd = false;
            }
            if (atEnd) return finish(kExitOk);
        }
    }
    return finish(kExitOk);
}

int consumeCommand(const CommonOptions& options, const ConsumeOptions& consume) {
    std::map<std::string, std::string> overrides;
    if (!consume.isolation.empty()) overrides["isolation.level"] = consume.isolation;
    try {
        if (!consume.group.empty()) return consumeInGroup(options, consume, overrides);
        return consumePartitions(options, consume, overrides);
    } catch (const OutputClosed&) {
        return kExitOk;
    }
}

}  // namespace

void addConsumeCommand(CLI::App& app, CommandContext& context) {
    auto options = std::make_shared<ConsumeOptions>();
    auto* consume = app.add_subcommand("consume", "Print a topic's records");
    consume->add_option("topic", options->topic, "The topic")->required();
    consume->add_option("-p,--partition", options->partitions, "A partition to read (repeatable; default: all)")
        ->allow_extra_args(false)
        ->check(atLeast<int32_t>(0));
    consume->add_option("-o,--offset", options->offset,
                        "Where to start: beginning (default), end, OFFSET, -N (N before the end), @TIMESTAMP_MS");
    consume->add_option("-c,--count", options->count, "Stop after this many records")->check(atLeast<int64_t>(1));
    consume->add_flag("-f,--follow", options->follow,
                      "Keep waiting for new records (default: stop at the end offsets seen at start)");
    consume->add_option("--format", options->format,
                        "kcat-like format: %t topic, %p partition, %o offset, %k key, %s value, %T timestamp, "
                        "%h headers, %K/%S key/value length, \\n \\t (default: '%s\\n')");
    consume->add_option("--isolation", options->isolation, "isolation.level")
        ->check(CLI::IsMember({"read_uncommitted", "read_committed"}));
    consume->add_option("-G,--group", options->group, "Consume as a member of this group and commit what was printed");
    onRun(consume, context, [options](const CommonOptions& o) { return consumeCommand(o, *options); });
}

}  // namespace partita::cli
