// Internal helpers of the Admin sources: call deadlines, retries with backoff, fan-in of parallel
// requests, Kafka error codes turned into statuses.
#pragma once

#include "engine/client/kafkaclient.h"
#include "engine/protocol/result.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace partita::client::adminsupport {

using Clock = std::chrono::steady_clock;

// One admin call's deadline (request.timeout.ms from its start, like Kafka's AdminClient's
// default.api.timeout.ms covers all retries) and its backoff between attempts.
class CallBudget {
public:
    explicit CallBudget(const KafkaClient& client);
    // Milliseconds left (at least 1 while not expired, so a request never gets a zero timeout).
    int32_t remainingMs() const;
    bool expired() const { return Clock::now() >= m_deadline; }
    // The wait before attempt `attempt` (1-based): retry.backoff.ms doubling up to 1 s; nullopt
    // when the deadline comes first, so the caller stops and reports what it has.
    std::optional<int32_t> backoffBefore(int attempt) const;

private:
    Clock::time_point m_deadline;
    int32_t m_backoffMs;
};

// The client was closed (or dropped) while the call was pending.
Error clientGone();

// Runs `fn` on an engine thread after `delayMs`.
void runAfter(KafkaClient& client, int32_t delayMs, std::function<void()> fn);

// Codes after which the cached route is stale: try again elsewhere after a refresh.
bool isCoordinatorError(int16_t code);  // NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS
bool isLeaderError(int16_t code);       // NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, ...
bool isControllerError(int16_t code);   // NOT_CONTROLLER

// Success for 0, else client::brokerError naming `context`.
Status statusOf(int16_t code, const std::string& context, const std::optional<std::string>& serverMessage = {});

// A Response as the typed response `call<>` would give.
template <class Resp>
Result<TypedResponse<Resp>> typed(Result<Response> result) {
    if (!result.ok()) return result.error();
    Response& r = result.value();
    auto* body = dynamic_cast<Resp*>(r.body.get());
    if (body == nullptr) return Error{ErrorKind::Malformed, "unexpected response type"};
    r.body.release();
    return TypedResponse<Resp>{std::unique_ptr<Resp>(body), r.version, r.nodeId};
}

// A request that is retried while its answer says the route is stale (NOT_COORDINATOR, ...) or
// the routing itself failed retriably (no coordinator yet), until the budget runs out; then the
// last answer or error is handed on as it is, so the caller reports Kafka's own error.
template <class Resp>
struct RetrySpec {
    std::function<Target()> target;
    std::function<std::unique_ptr<protocol::ApiMessage>()> makeRequest;
    // The code in an answer that calls for another attempt, or 0.
    std::function<int16_t(const Resp&)> retryCode;
    // Forgets the stale route before the next attempt.
    std::function<void(KafkaClient&, int16_t code)> onRetry;
    RequestOptions options;
};

template <class Resp>
void callWithRetry(std::weak_ptr<KafkaClient> weak, CallBudget budget, std::shared_ptr<const RetrySpec<Resp>> spec,
                   std::function<void(Result<TypedResponse<Resp>>)> done, int attempt = 1) {
    auto client = weak.lock();
    if (!client) return done(clientGone());
    RequestOptions options = spec->options;
    options.timeoutMs = budget.remainingMs();
    client->send(
        spec->target(), spec->makeRequest(),
        [weak, budget, spec, done, attempt](Result<Response> result) {
            auto retry = [&](int16_t code) {
                auto wait = budget.backoffBefore(attempt);
                auto client = weak.lock();
                if (!wait || !client) return false;
                if (code != 0 && spec->onRetry) spec->onRetry(*client, code);
                runAfter(*client, *wait,
                         [weak, budget, spec, done, attempt] { callWithRetry(weak, budget, spec, done, attempt + 1); });
                return true;
            };
            if (!result.ok()) {
                const Error& error = result.error();
                if (error.kind == ErrorKind::Broker && retriable(error) && retry(error.kafkaCode)) return;
                return done(error);
            }
            auto response = typed<Resp>(std::move(result));
            if (response.ok() && spec->retryCode) {
                const int16_t code = spec->retryCode(*response.value().body);
                if (code != 0 && retry(code)) return;
            }
            done(std::move(response));
        },
        options);
}

// A request to `group`'s coordinator, retried after forgetting the coordinator while `retryCode`
// finds NOT_COORDINATOR and the like in the answer.
template <class Resp>
std::shared_ptr<RetrySpec<Resp>> groupCoordinatorSpec(const std::string& group,
                                                      std::function<std::unique_ptr<protocol::ApiMessage>()> make,
                                                      std::function<int16_t(const Resp&)> retryCode) {
    auto spec = std::make_shared<RetrySpec<Resp>>();
    spec->target = [group] { return Target::groupCoordinator(group); };
    spec->makeRequest = std::move(make);
    spec->retryCode = std::move(retryCode);
    spec->onRetry = [group](KafkaClient& client, int16_t) {
        client.invalidateCoordinator(Target::Kind::GroupCoordinator, group);
    };
    return spec;
}

// Collects the outcomes of parallel requests into `State` and runs `finish` once, after the last.
template <class State>
class Join {
public:
    Join(size_t expected, std::function<void(State&)> finish) : m_pending(expected), m_finish(std::move(finish)) {}

    // Applies one outcome; the last arrival finishes (outside the lock).
    void arrive(const std::function<void(State&)>& apply) {
        bool last = false;
        {
            std::lock_guard lock(m_mutex);
            apply(m_state);
            last = --m_pending == 0;
        }
        if (last) m_finish(m_state);
    }
    State& state() { return m_state; }

private:
    std::mutex m_mutex;
    size_t m_pending;
    State m_state;
    std::function<void(State&)> m_finish;
};

// What one request per item (group, broker) gathers: a result per item in the items' order. An
// Unsupported error fails the whole call, since the broker can do it for none of them; any other
// failure stays with its item.
template <class R>
struct PerItemResults {
    std::vector<R> results;
    std::optional<Error> fatal;

    // Records that the request for item `i` failed.
    void fail(size_t i, const Error& error) {
        if (error.kind == ErrorKind::Unsupported) fatal = error;
        results[i].status = error;
    }
};

// A Join over `count` items that hands `done` their results, or the fatal error.
template <class R>
std::shared_ptr<Join<PerItemResults<R>>> joinPerItem(size_t count, std::function<void(Result<std::vector<R>>)> done) {
    auto join = std::make_shared<Join<PerItemResults<R>>>(count, [done](PerItemResults<R>& s) {
        if (s.fatal) return done(*s.fatal);
        done(std::move(s.results));
    });
    join->state().results.resize(count);
    return join;
}

}  // namespace partita::client::adminsupport
