// The system clock behind storage policies.
#include "engine/storage/clock.h"

#include <chrono>

namespace partita::storage {

namespace {
class SystemClock final : public Clock {
public:
    int64_t nowMs() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
};
}  // namespace

const Clock& systemClock() {
    static const SystemClock clock;
    return clock;
}

}  // namespace partita::storage
