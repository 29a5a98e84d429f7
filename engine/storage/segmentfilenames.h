// The names of segment files: Kafka's extensions, the suffixes of files in transition, base offsets.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace partita::storage {

inline constexpr std::string_view kLogExtension = ".log";
inline constexpr std::string_view kIndexExtension = ".index";
inline constexpr std::string_view kTimeIndexExtension = ".timeindex";
inline constexpr std::string_view kTxnIndexExtension = ".txnindex";

// Appended after the extension ("00000000000000000042.log.cleaned"), as Kafka does.
inline constexpr std::string_view kCleanedSuffix = ".cleaned";  // compaction output being written
inline constexpr std::string_view kSwapSuffix = ".swap";        // compaction output being swapped in
inline constexpr std::string_view kDeletedSuffix = ".deleted";  // waiting for file.delete.delay.ms

// The base offset of "<20 digits>.<anything>", or nothing for any other name.
inline std::optional<int64_t> baseOffsetOfFileName(std::string_view name) {
    if (name.size() < 21 || name[20] != '.') return std::nullopt;
    int64_t value = 0;
    for (size_t i = 0; i < 20; ++i) {
        if (name[i] < '0' || name[i] > '9') return std::nullopt;
        value = value * 10 + (name[i] - '0');
    }
    return value;
}

}  // namespace partita::storage
