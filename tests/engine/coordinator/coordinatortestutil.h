// A coordinator topic on plain partition logs in a temporary directory, as a single-broker leader has it.
#pragma once

#include "engine/coordinator/coordinatortopic.h"
#include "engine/storage/clock.h"
#include "engine/storage/logconfig.h"
#include "engine/storage/partitionlog.h"

#include <map>
#include <memory>
#include <string>

namespace partita::coordinator::test {

class LogBackedTopic final : public CoordinatorTopic {
public:
    LogBackedTopic(std::string dir, std::string topic, const storage::Clock& clock)
        : m_dir(std::move(dir)), m_topic(std::move(topic)), m_clock(clock) {}

    bool exists() override { return true; }

    Result<std::shared_ptr<storage::PartitionLog>> partitionLog(int32_t partition) override {
        auto& slot = m_logs[partition];
        if (!slot) {
            storage::LogConfig config;
            config.compactEnabled = true;
            config.deleteEnabled = false;
            auto log = storage::PartitionLog::open(m_dir, m_topic, partition, config, {}, m_clock);
            if (!log) return log.error();
            slot = std::move(*log);
        }
        return slot;
    }

    Status append(int32_t partition, std::span<uint8_t> batch) override {
        auto log = partitionLog(partition);
        if (!log) return log.error();
        if (auto appended = (*log)->appendAsLeader(batch, 0); !appended) return appended.error();
        (*log)->updateHighWatermark((*log)->logEndOffset());
        ++appends;
        return {};
    }

    int appends = 0;

private:
    std::string m_dir;
    std::string m_topic;
    const storage::Clock& m_clock;
    std::map<int32_t, std::shared_ptr<storage::PartitionLog>> m_logs;
};

}  // namespace partita::coordinator::test
