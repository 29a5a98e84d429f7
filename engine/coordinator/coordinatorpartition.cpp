// Which partition of a coordinator topic holds a group or transactional id, as Kafka computes it.
#include "engine/coordinator/coordinatorpartition.h"

#include <algorithm>
#include <climits>

namespace partita::coordinator {

int32_t coordinatorPartition(const std::string& id, int32_t partitionCount) {
    // Java's String.hashCode over UTF-16 code units, 32-bit wrap-around; Kafka's Utils.abs maps
    // INT32_MIN to 0. Ids are decoded as UTF-8, so hash the UTF-16 units of that text.
    uint32_t hash = 0;
    auto mix = [&hash](uint32_t unit) { hash = hash * 31u + unit; };
    for (size_t i = 0; i < id.size();) {
        const auto c = static_cast<unsigned char>(id[i]);
        uint32_t cp = c;
        size_t length = 1;
        if (c >= 0xF0 && i + 3 < id.size()) {
            cp = (c & 0x07u) << 18 | (uint32_t(id[i + 1]) & 0x3Fu) << 12 | (uint32_t(id[i + 2]) & 0x3Fu) << 6 |
                 (uint32_t(id[i + 3]) & 0x3Fu);
            length = 4;
        } else if (c >= 0xE0 && i + 2 < id.size()) {
            cp = (c & 0x0Fu) << 12 | (uint32_t(id[i + 1]) & 0x3Fu) << 6 | (uint32_t(id[i + 2]) & 0x3Fu);
            length = 3;
        } else if (c >= 0xC0 && i + 1 < id.size()) {
            cp = (c & 0x1Fu) << 6 | (uint32_t(id[i + 1]) & 0x3Fu);
            length = 2;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            mix(0xD800u + (cp >> 10));
            mix(0xDC00u + (cp & 0x3FFu));
        } else {
            mix(cp);
        }
        i += length;
    }
    const auto signedHash = static_cast<int32_t>(hash);
    const int32_t positive = signedHash == INT32_MIN ? 0 : (signedHash < 0 ? -signedHash : signedHash);
    return positive % std::max(1, partitionCount);
}

}  // namespace partita::coordinator
