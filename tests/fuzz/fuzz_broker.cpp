// fuzz_broker: libFuzzer target for the broker's request dispatch: any frame a client sends must get an answer or a
// close, never a crash.
//
// One broker (one node, a temporary data directory) serves every input; its state grows across
// inputs (topics, records) as it would under a hostile client. The broker side lives in
// brokerdriver.cpp, built without instrumentation (see there); the codec and storage code it calls
// are instrumented.
#include "brokerdriver.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    partita::fuzz::serveFrame(data, size);
    return 0;
}
