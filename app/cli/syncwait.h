// waitFor / waitForStatus: block the CLI's main thread on one asynchronous engine call.
#pragma once

#include "engine/protocol/result.h"

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>

namespace partita::cli {

// The engine's calls complete on engine threads; a command line tool has nothing else to do
// meanwhile, so it waits. `start` receives the completion callback and starts the call. The limit
// is a safety net: engine calls end at their own deadlines, which come first.
template <class T, class Start>
Result<T> waitFor(Start&& start, std::chrono::milliseconds limit) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    start(std::function<void(Result<T>)>([promise](Result<T> result) { promise->set_value(std::move(result)); }));
    if (future.wait_for(limit) != std::future_status::ready)
        return Error{ErrorKind::Timeout, "no answer within " + std::to_string(limit.count()) + " ms"};
    return future.get();
}

template <class Start>
Status waitForStatus(Start&& start, std::chrono::milliseconds limit) {
    auto promise = std::make_shared<std::promise<Status>>();
    auto future = promise->get_future();
    start(std::function<void(Status)>([promise](Status status) { promise->set_value(std::move(status)); }));
    if (future.wait_for(limit) != std::future_status::ready)
        return Error{ErrorKind::Timeout, "no answer within " + std::to_string(limit.count()) + " ms"};
    return future.get();
}

}  // namespace partita::cli
