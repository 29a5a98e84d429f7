// produce TOPIC: one message per stdin line (kcat -P in spirit), as fast as the producer takes them.
#include "clierrors.h"
#include "commands.h"
#include "linereader.h"
#include "output.h"
#include "session.h"
#include "stopsignal.h"

#include "engine/client/producer.h"
#include "engine/protocol/errorcodes.h"

#include <boost/json.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>

namespace partita::cli {

namespace {

using client::RecordMetadata;

struct ProduceOptions {
    std::string topic;
    std::string keySeparator;
    std::vector<std::string> headers;
    int32_t partition = -1;
    std::string compression;
    std::string acks;
    bool verbose = false;
};

// What the delivery callbacks (engine threads) report to the reading loop (main thread).
class Deliveries {
public:
    Deliveries(bool perMessage, bool json) : m_perMessage(perMessage), m_json(json) {}

    void onDelivery(uint64_t line, const Result<RecordMetadata>& result) {
        if (result.ok()) {
            const RecordMetadata& m = result.value();
            m_delivered.fetch_add(1, std::memory_order_relaxed);
            m_bytes.fetch_add(uint64_t(std::max(m.serializedKeySize, 0) + std::max(m.serializedValueSize, 0)),
                              std::memory_order_relaxed);
            if (m_perMessage) {
                std::lock_guard lock(m_mutex);
                std::string text = m_json ? boost::json::serialize(boost::json::object{
                                                {"line", line}, {"partition", m.partition}, {"offset", m.offset}})
                                          : "line " + std::to_string(line) + ": partition " +
                                                std::to_string(m.partition) + " offset " + std::to_string(m.offset);
                text += '\n';
                std::fwrite(text.data(), 1, text.size(), stdout);
            }
        } else {
            std::lock_guard lock(m_mutex);
            ++m_failed;
            if (!m_firstError) m_firstError = result.error().message;
            if (m_perMessage) {
                std::string text =
                    m_json
                        ? boost::json::serialize(boost::json::object{{"line", line}, {"error", result.error().message}})
                        : "line " + std::to_string(line) + ": " + result.error().message;
                text += '\n';
                std::fwrite(text.data(), 1, text.size(), stdout);
            }
        }
        if (m_waiting.load(std::memory_order_acquire)) {
            std::lock_guard lock(m_mutex);
            m_progress.notify_all();
        }
    }

    // The producer's buffer is full: wait until some deliveries free it (or a short while, so a
    // wakeup that slipped by costs little).
    void waitForProgress() {
        std::unique_lock lock(m_mutex);
        m_waiting.store(true, std::memory_order_release);
        m_progress.wait_for(lock, std::chrono::milliseconds(10));
        m_waiting.store(false, std::memory_order_release);
    }

    uint64_t delivered() const { return m_delivered.load(); }
    uint64_t bytes() const { return m_bytes.load(); }
    uint64_t failed() {
        std::lock_guard lock(m_mutex);
        return m_failed;
    }
    std::optional<std::string> firstError() {
        std::lock_guard lock(m_mutex);
        return m_firstError;
    }

private:
    const bool m_perMessage;
    const bool m_json;
    std::atomic<uint64_t> m_delivered{0};
    std::atomic<uint64_t> m_bytes{0};
    std::atomic<bool> m_waiting{false};
    std::mutex m_mutex;
    std::condition_variable m_progress;
    uint64_t m_failed = 0;
    std::optional<std::string> m_firstError;
};

// kcat's delimiter escapes, so -K '\t' means a tab: \t \n \r \\ and \xNN.
std::string unescapeSeparator(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
            out += text[i];
            continue;
        }
        const char c = text[++i];
        if (c == 't') {
            out += '\t';
        } else if (c == 'n') {
            out += '\n';
        } else if (c == 'r') {
            out += '\r';
        } else if (c == 'x' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

// Fails early, within the timeout, when the cluster cannot be reached or the topic does not exist
// (and cannot be created), instead of letting every record wait for delivery.timeout.ms.
void checkTopic(Session& session, const std::string& topic) {
    auto metadata = session.require<std::shared_ptr<const client::ClusterMetadata>>(
        [&](auto done) { session.client()->refreshMetadata({topic}, std::move(done), true); },
        "cannot reach the cluster");
    const client::TopicInfo* info = metadata->topic(topic);
    if (info == nullptr) throw CommandFailed("topic " + topic + " does not exist");
    if (info->errorCode != 0 && info->errorCode != protocol::code(protocol::ErrorCode::LeaderNotAvailable))
        throw CommandFailed(client::brokerError(info->errorCode, topic).message);
}

int produce(const CommonOptions& options, const ProduceOptions& produce) {
    std::map<std::string, std::string> overrides;
    if (!produce.compression.empty()) overrides["compression.type"] = produce.compression;
    if (!produce.acks.empty()) overrides["acks"] = produce.acks;
    std::vector<client::ProducerHeader> headers;
    for (const auto& h : produce.headers) {
        const auto eq = h.find('=');
        if (eq == 0) throw UsageError("-H expects name=value, got '" + h + "'");
        if (eq == std::string::npos)
            headers.push_back({h, std::nullopt});
        else
            headers.push_back({h.substr(0, eq), h.substr(eq + 1)});
    }

    const std::string keySeparator = unescapeSeparator(produce.keySeparator);
    if (keySeparator.find('\n') != std::string::npos) throw UsageError("-K cannot contain a newline (it splits lines)");

    Session session(options, overrides);
    auto created = client::Producer::create(session.client());
    if (!created.ok()) throw UsageError(created.error().message);
    std::unique_ptr<client::Producer> producer = std::move(created.value());
    checkTopic(session, produce.topic);

    installStopHandler();
    // On the heap: if close() does not finish in time, late callbacks must still find it (it is
    // then left allocated on purpose, the process ends right after).
    auto owned = std::make_unique<Deliveries>(produce.verbose || session.json(), session.json());
    Deliveries& deliveries = *owned;
    client::ProducerRecord record;
    record.topic = produce.topic;
    record.partition = produce.partition;
    record.headers = std::move(headers);
    record.value.emplace();
    std::optional<std::string> fatal;
    uint64_t lines = 0;     // input lines, for the per-message report
    uint64_t produced = 0;  // messages handed to the producer
    // Throughput as librdkafka's perf tool counts it: from the first produce to the last delivery.
    std::chrono::steady_clock::time_point firstProduce{};

    LineReader reader(0);
    std::string_view line;
    while (!fatal && !stopRequested() && reader.next(line)) {
        ++lines;
        if (line.empty()) continue;  // as kcat: an empty line is no message
        if (++produced == 1) firstProduce = std::chrono::steady_clock::now();
        std::string_view value = line;
        // Assigned in place, so the key's and value's buffers are reused from line to line.
        const auto at = keySeparator.empty() ? std::string_view::npos : line.find(keySeparator);
        if (at != std::string_view::npos) {
            if (!record.key) record.key.emplace();
            record.key->assign(line.substr(0, at));
            value = line.substr(at + keySeparator.size());
        } else {
            record.key.reset();
        }
        record.value->assign(value);
        Deliveries* sink = &deliveries;
        const uint64_t number = lines;
        for (;;) {
            Status taken = producer->produce(
                record, [sink, number](Result<RecordMetadata> result) { sink->onDelivery(number, result); });
            if (taken.ok()) break;
            if (taken.error().kind != ErrorKind::TooLarge) {  // closed or a fatal producer error
                fatal = taken.error().message;
                break;
            }
            deliveries.waitForProgress();
        }
    }
    if (reader.error()) fatal = reader.error();

    const auto& config = producer->config();
    const std::chrono::milliseconds flushLimit(int64_t(config.deliveryTimeoutMs) + config.requestTimeoutMs + 5000);
    Status flushed = waitForStatus([&](auto done) { producer->close(std::move(done)); }, flushLimit);
    if (!flushed.ok()) {
        if (!fatal) fatal = flushed.error().message;
        (void)owned.release();
    }

    const double seconds =
        produced == 0 ? 0.0 : std::chrono::duration<double>(std::chrono::steady_clock::now() - firstProduce).count();
    const double rate = seconds > 0 ? double(deliveries.delivered()) / seconds : 0.0;

    // Messages never taken (a fatal error) count as failed too.
    const uint64_t failed = produced - deliveries.delivered();
    const auto firstError = deliveries.firstError();
    if (session.json()) {
        printJson({{"topic", produce.topic},
                   {"messages", deliveries.delivered()},
                   {"bytes", deliveries.bytes()},
                   {"errors", failed},
                   {"seconds", seconds},
                   {"messages_per_second", std::llround(rate)},
                   {"error", fatal        ? boost::json::value(*fatal)
                             : firstError ? boost::json::value(*firstError)
                                          : nullptr}});
    } else {
        std::fflush(stdout);
        std::cout << "Produced " << deliveries.delivered() << " messages (" << deliveries.bytes() << " bytes) to "
                  << produce.topic << ", " << failed << " failed, in " << std::fixed << std::setprecision(3) << seconds
                  << " s (" << std::llround(rate) << " messages/s).\n";
    }
    if (fatal) printError(*fatal);
    if (failed > 0 && firstError && !session.json())
        printError(std::to_string(failed) + " messages failed; the first: " + *firstError);
    return fatal || failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void addProduceCommand(CLI::App& app, CommandContext& context) {
    auto options = std::make_shared<ProduceOptions>();
    auto* produce = app.add_subcommand(
        "produce", "Produce stdin to a topic, one message per line (empty lines are skipped, as by kcat)");
    produce->add_option("topic", options->topic, "The topic")->required();
    produce->add_option(
        "-K,--key-separator", options->keySeparator,
        "Split each line at the first SEP into key and value (no SEP in a line: null key); \\t, \\xNN escapes");
    produce->add_option("-H,--header", options->headers, "A header name=value added to every message (repeatable)")
        ->allow_extra_args(false);
    produce->add_option("-p,--partition", options->partition, "Produce to this partition (default: the partitioner)")
        ->check(atLeast<int32_t>(0));
    produce->add_option("-z,--compression", options->compression, "Compression codec (compression.type)")
        ->check(CLI::IsMember({"none", "gzip", "snappy", "lz4", "zstd"}));
    produce->add_option("--acks", options->acks, "Acknowledgements: all, -1, 0 or 1")
        ->check(CLI::IsMember({"all", "-1", "0", "1"}));
    produce->add_flag("-v,--verbose", options->verbose, "Print each message's partition and offset (or error)");
    onRun(produce, context, [options](const CommonOptions& o) { return cli::produce(o, *options); });
}

}  // namespace partita::cli
