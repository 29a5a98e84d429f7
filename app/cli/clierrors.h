// The CLI's two ways a command ends early: a usage error (exit status 2) and a failed operation (exit status 1).
#pragma once

#include "engine/protocol/result.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace partita::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// The command line asks for something that cannot work as written (a bad -X value, no bootstrap
// servers, conflicting options): nothing was sent to the cluster.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The cluster or the connection refused the operation. Thrown only on the main thread (commands
// run synchronously there), caught by main() which prints the message and exits with 1.
class CommandFailed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The value, or CommandFailed with the error's message (prefixed by `context` when given).
template <class T>
T valueOrThrow(Result<T>&& result, const std::string& context = {}) {
    if (!result.ok())
        throw CommandFailed(context.empty() ? result.error().message : context + ": " + result.error().message);
    return std::move(result).value();
}

inline void throwIfFailed(const Status& status, const std::string& context = {}) {
    if (!status.ok())
        throw CommandFailed(context.empty() ? status.error().message : context + ": " + status.error().message);
}

}  // namespace partita::cli
