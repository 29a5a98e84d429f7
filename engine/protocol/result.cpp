// Names of error kinds for messages and logs.
#include "engine/protocol/result.h"

namespace partita {

const char* errorKindName(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Truncated:
            return "truncated";
        case ErrorKind::Malformed:
            return "malformed";
        case ErrorKind::TooLarge:
            return "too large";
        case ErrorKind::Unsupported:
            return "unsupported";
        case ErrorKind::InvalidArgument:
            return "invalid argument";
        case ErrorKind::Io:
            return "I/O error";
        case ErrorKind::OutOfRange:
            return "out of range";
        case ErrorKind::OutOfOrderSequence:
            return "out of order sequence";
        case ErrorKind::StaleProducerEpoch:
            return "stale producer epoch";
        case ErrorKind::Corrupt:
            return "corrupt";
        case ErrorKind::Network:
            return "network error";
        case ErrorKind::Timeout:
            return "timed out";
        case ErrorKind::Cancelled:
            return "cancelled";
        case ErrorKind::Authentication:
            return "authentication failed";
        case ErrorKind::Broker:
            return "broker error";
    }
    return "error";
}

}  // namespace partita
