// MetaProperties: the meta.properties file Kafka keeps in each log directory (cluster id, node id, directory id).
#pragma once

#include "engine/protocol/result.h"

#include <cstdint>
#include <string>

namespace partita::broker {

struct MetaProperties {
    int32_t version = 1;    // 1: KRaft (node.id); 0: a ZooKeeper-era directory (broker.id)
    std::string clusterId;  // base64url UUID, 22 characters
    int32_t nodeId = -1;
    std::string directoryId;  // base64url UUID naming this directory (Kafka 3.7+)
    bool created = false;     // this call wrote the file for a new directory
};

// A random id as Kafka's Uuid.randomUuid makes them: a version 4 UUID in unpadded base64url, never one of the
// ids Kafka reserves (all-zero high half) and never starting with '-' (it would read as a command-line option).
std::string randomKafkaUuid();

// Reads <logDir>/meta.properties, or, when the directory has none, creates the directory and writes one (atomically)
// with a new cluster id. A stored node id other than `nodeId` is an error naming both, as Kafka refuses to start; a
// version 1 file without directory.id gains one, as Kafka 3.7 adds it.
Result<MetaProperties> loadOrCreateMetaProperties(const std::string& logDir, int32_t nodeId);

}  // namespace partita::broker
