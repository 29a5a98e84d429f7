// BrokerDriver: one in-process broker for fuzz_broker, built without fuzzing instrumentation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace partita::fuzz {

// Hands one request frame to the broker and runs its io_context for a moment (a fetch still in its
// long poll finishes during a later call). Aborts if an answer's length prefix is wrong.
void serveFrame(const uint8_t* data, size_t size);

}  // namespace partita::fuzz
