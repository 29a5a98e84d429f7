// Result<T>: a value or an Error, the engine's way to return expected failures without exceptions.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace partita {

// Why an operation failed, coarse enough for a caller to decide what to do next.
enum class ErrorKind {
    Truncated,        // input ended before a length or field it announced
    Malformed,        // input is not valid for the format (bad magic, bad varint, bad CRC, ...)
    TooLarge,         // a size is over a configured limit
    Unsupported,      // a version, codec or feature this code does not handle
    InvalidArgument,  // the caller asked for something that cannot be encoded
    Io,               // the operating system refused (file, socket)
    OutOfRange,       // an offset or position outside what exists (Kafka's OFFSET_OUT_OF_RANGE)
    Corrupt,          // stored data failed a check (CRC, sizes, offsets); the message names file and position
    OutOfOrderSequence,  // an idempotent producer's batch does not follow its previous one
    StaleProducerEpoch,  // a producer epoch older than one the partition has seen (a zombie)
    // Client side (engine/client):
    Network,         // a connection could not be made or was lost; the message names the broker
    Timeout,         // no answer within the request's deadline
    Cancelled,       // the caller cancelled the request
    Authentication,  // TLS or SASL refused the connection (wrong password, untrusted certificate, ...)
    Broker,          // the broker answered with a Kafka error code (Error::kafkaCode)
};

const char* errorKindName(ErrorKind kind);

struct Error {
    ErrorKind kind;
    std::string message;
    // The Kafka error code when kind is Broker (0 otherwise), so a caller can tell a retriable
    // NOT_LEADER_OR_FOLLOWER from a fatal TOPIC_AUTHORIZATION_FAILED.
    int16_t kafkaCode = 0;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    // By value from a temporary, so `for (auto& x : *makeResult())` cannot dangle.
    T operator*() && { return std::move(value()); }

    const Error& error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)), m_failed(true) {}
    static Status success() { return {}; }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error{ErrorKind::Malformed, {}};
    bool m_failed = false;
};

inline Error makeError(ErrorKind kind, std::string message) {
    return Error{kind, std::move(message)};
}

}  // namespace partita
