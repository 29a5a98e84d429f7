// Topic and broker metadata with one JSON file behind it.
#include "engine/cluster/metadatastore.h"

#include "engine/storage/filehandle.h"

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace partita::cluster {

namespace json = boost::json;

namespace {

std::string toHex(const Uuid& id) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (uint8_t b : id.bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::optional<Uuid> fromHex(std::string_view hex) {
    if (hex.size() != 32) return std::nullopt;
    Uuid id;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (size_t i = 0; i < 16; ++i) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        id.bytes[i] = uint8_t(hi << 4 | lo);
    }
    return id;
}

json::array toJson(const std::vector<int32_t>& ids) {
    json::array out;
    for (int32_t id : ids) out.push_back(id);
    return out;
}

std::vector<int32_t> idsFrom(const json::value& value) {
    std::vector<int32_t> out;
    for (const json::value& v : value.as_array()) out.push_back(int32_t(v.to_number<int64_t>()));
    return out;
}

json::object topicToJson(const TopicInfo& topic) {
    json::object t;
    t["name"] = topic.name;
    t["id"] = toHex(topic.id);
    t["internal"] = topic.internal;
    json::object configs;
    for (const auto& [key, value] : topic.configs) configs[key] = value;
    t["configs"] = std::move(configs);
    json::array partitions;
    for (const PartitionInfo& p : topic.partitions) {
        partitions.push_back(json::object{{"partition", p.partition},
                                          {"leader", p.leader},
                                          {"leaderEpoch", p.leaderEpoch},
                                          {"replicas", toJson(p.replicas)},
                                          {"isr", toJson(p.isr)}});
    }
    t["partitions"] = std::move(partitions);
    return t;
}

// Throws (Boost.JSON) on a missing or mistyped field; nullopt for a bad topic id.
std::optional<TopicInfo> topicFromJson(const json::value& t) {
    TopicInfo topic;
    topic.name = json::value_to<std::string>(t.at("name"));
    auto id = fromHex(json::value_to<std::string>(t.at("id")));
    if (!id) return std::nullopt;
    topic.id = *id;
    topic.internal = t.at("internal").as_bool();
    for (const auto& [key, value] : t.at("configs").as_object()) {
        topic.configs[std::string(key)] = json::value_to<std::string>(value);
    }
    for (const json::value& p : t.at("partitions").as_array()) {
        PartitionInfo partition;
        partition.partition = int32_t(p.at("partition").to_number<int64_t>());
        partition.leader = int32_t(p.at("leader").to_number<int64_t>());
        partition.leaderEpoch = int32_t(p.at("leaderEpoch").to_number<int64_t>());
        partition.replicas = idsFrom(p.at("replicas"));
        partition.isr = idsFrom(p.at("isr"));
        topic.partitions.push_back(std::move(partition));
    }
    return topic;
}

// The change log never shrinks below this before a new snapshot takes it in.
constexpr uint64_t kMinChangeLogBytes = 1 << 20;

Error notFound(const std::string& name) {
    return makeError(ErrorKind::InvalidArgument, "unknown topic " + name);
}

}  // namespace

Result<std::unique_ptr<MetadataStore>> MetadataStore::open(const std::string& path, std::string clusterId,
                                                           int32_t controllerId) {
    std::unique_ptr<MetadataStore> store(new MetadataStore(path, std::move(clusterId), controllerId));
    if (Status st = store->load(); !st) return st.error();
    return store;
}

Status MetadataStore::load() {
    if (std::filesystem::exists(m_path)) {
        std::ifstream in(m_path);
        std::stringstream text;
        text << in.rdbuf();
        m_snapshotBytes = text.str().size();
        boost::system::error_code ec;
        json::value root = json::parse(text.str(), ec);
        auto corrupt = [this](const std::string& why) { return makeError(ErrorKind::Corrupt, m_path + ": " + why); };
        if (ec || !root.is_object()) return corrupt("not a JSON object");
        try {
            // Files from before producer ids were handed out (or before the change log) lack these.
            if (const json::value* next = root.as_object().if_contains("nextProducerId")) {
                m_nextProducerId = next->to_number<int64_t>();
            }
            if (const json::value* sequence = root.as_object().if_contains("sequence")) {
                m_sequence = sequence->to_number<uint64_t>();
            }
            for (const json::value& t : root.at("topics").as_array()) {
                auto topic = topicFromJson(t);
                if (!topic) return corrupt("bad topic id of " + json::value_to<std::string>(t.at("name")));
                m_topics[topic->name] = std::move(*topic);
            }
        } catch (const std::exception& e) {
            // Boost.JSON reports a missing or mistyped field by throwing; it stays in here.
            return corrupt(e.what());
        }
    }
    return replayChangeLog();
}

Status MetadataStore::replayChangeLog() {
    const std::string path = changeLogPath();
    if (!std::filesystem::exists(path)) return {};
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    m_changeLogBytes = text.size();
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        // A last line without its newline is a write a crash cut short: that change was never
        // acknowledged, so it is dropped (and overwritten by the next append).
        if (end == std::string::npos) {
            m_changeLogBytes = start;
            break;
        }
        const std::string_view line(text.data() + start, end - start);
        auto corrupt = [&](const std::string& why) {
            return makeError(ErrorKind::Corrupt, path + " at byte " + std::to_string(start) + ": " + why);
        };
        boost::system::error_code ec;
        json::value change = json::parse(line, ec);
        if (ec || !change.is_object()) return corrupt("not a JSON object");
        try {
            const auto sequence = change.at("sequence").to_number<uint64_t>();
            if (sequence > m_sequence) {
                auto topic = topicFromJson(change.at("createTopic"));
                if (!topic) return corrupt("bad topic id");
                m_topics[topic->name] = std::move(*topic);
                m_sequence = sequence;
            }
        } catch (const std::exception& e) {
            return corrupt(e.what());
        }
        start = end + 1;
    }
    return {};
}

Status MetadataStore::persistLocked() {
    json::array topics;
    for (const auto& [name, topic] : m_topics) topics.push_back(topicToJson(topic));
    json::object root{{"version", 1},
                      {"clusterId", m_clusterId},
                      {"nextProducerId", m_nextProducerId},
                      {"sequence", m_sequence},
                      {"topics", std::move(topics)}};
    std::string text = json::serialize(root);
    if (Status st =
            storage::writeFileAtomically(m_path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
        !st)
        return st;
    m_snapshotBytes = text.size();
    // The snapshot holds every change up to m_sequence; a log left behind by a crash here is
    // skipped on load by its sequence numbers.
    std::error_code ignored;
    std::filesystem::remove(changeLogPath(), ignored);
    m_changeLogBytes = 0;
    return {};
}

Status MetadataStore::recordCreatedLocked(const TopicInfo& topic) {
    if (m_changeLogBytes >= std::max(kMinChangeLogBytes, m_snapshotBytes)) return persistLocked();
    const uint64_t sequence = m_sequence + 1;
    const std::string line =
        json::serialize(json::object{{"sequence", sequence}, {"createTopic", topicToJson(topic)}}) + "\n";
    auto log = storage::FileHandle::open(changeLogPath(), storage::FileHandle::Mode::CreateReadWrite);
    Status written = log.ok() ? Status{} : Status(log.error());
    // Bytes past the last whole change (a torn line found at load, or a failed append) go first,
    // so the file is only ever whole lines.
    if (written.ok()) {
        auto size = log->size();
        written = !size.ok()                 ? Status(size.error())
                  : *size > m_changeLogBytes ? log->truncate(m_changeLogBytes)
                                             : Status{};
    }
    if (written.ok())
        written = log->writeAt(m_changeLogBytes, std::span(reinterpret_cast<const uint8_t*>(line.data()), line.size()));
    if (written.ok()) written = log->dataSync();
    // A new file's name must survive a crash too.
    if (written.ok() && m_changeLogBytes == 0)
        written = storage::syncDirectory(std::filesystem::absolute(m_path).parent_path().string());
    if (!written.ok()) {
        // A full snapshot records the change instead (and removes the log).
        ++m_sequence;
        return persistLocked();
    }
    m_sequence = sequence;
    m_changeLogBytes += line.size();
    return {};
}

Result<int64_t> MetadataStore::allocateProducerIds(int32_t count) {
    std::lock_guard lock(m_mutex);
    const int64_t first = m_nextProducerId;
    m_nextProducerId += count;
    if (Status st = persistLocked(); !st) {
        m_nextProducerId = first;
        return st.error();
    }
    return first;
}

void MetadataStore::registerBroker(BrokerInfo broker) {
    std::lock_guard lock(m_mutex);
    m_brokers[broker.nodeId] = std::move(broker);
}

std::vector<BrokerInfo> MetadataStore::brokers() const {
    std::lock_guard lock(m_mutex);
    std::vector<BrokerInfo> out;
    for (const auto& [id, broker] : m_brokers) out.push_back(broker);
    return out;
}

std::optional<BrokerInfo> MetadataStore::broker(int32_t nodeId) const {
    std::lock_guard lock(m_mutex);
    auto it = m_brokers.find(nodeId);
    if (it == m_brokers.end()) return std::nullopt;
    return it->second;
}

std::vector<AdvertisedBroker> MetadataStore::brokersOn(const std::string& listener) const {
    std::lock_guard lock(m_mutex);
    std::vector<AdvertisedBroker> out;
    for (const auto& [id, broker] : m_brokers) {
        for (const BrokerEndpoint& endpoint : broker.endpoints) {
            if (endpoint.listener == listener)
                out.push_back({broker.nodeId, endpoint.host, endpoint.port, broker.rack});
        }
    }
    return out;
}

std::optional<TopicInfo> MetadataStore::topic(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(name);
    if (it == m_topics.end()) return std::nullopt;
    return it->second;
}

std::optional<int32_t> MetadataStore::partitionCount(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(name);
    if (it == m_topics.end()) return std::nullopt;
    return int32_t(it->second.partitions.size());
}

std::optional<TopicInfo> MetadataStore::topicById(const Uuid& id) const {
    std::lock_guard lock(m_mutex);
    for (const auto& [name, topic] : m_topics) {
        if (topic.id == id) return topic;
    }
    return std::nullopt;
}

std::vector<TopicInfo> MetadataStore::topics() const {
    std::lock_guard lock(m_mutex);
    std::vector<TopicInfo> out;
    for (const auto& [name, topic] : m_topics) out.push_back(topic);
    return out;
}

Result<TopicInfo> MetadataStore::createTopic(const std::string& name,
                                             const std::vector<std::vector<int32_t>>& assignment,
                                             const std::map<std::string, std::string>& configs) {
    std::lock_guard lock(m_mutex);
    if (m_topics.count(name)) return makeError(ErrorKind::InvalidArgument, "topic " + name + " already exists");
    TopicInfo topic;
    topic.name = name;
    topic.id = Uuid::random();
    topic.configs = configs;
    topic.internal = name.starts_with("__");
    for (size_t p = 0; p < assignment.size(); ++p) {
        PartitionInfo partition;
        partition.partition = int32_t(p);
        partition.replicas = assignment[p];
        partition.isr = assignment[p];
        partition.leader = assignment[p].empty() ? -1 : assignment[p].front();
        topic.partitions.push_back(std::move(partition));
    }
    m_topics[name] = topic;
    if (Status st = recordCreatedLocked(topic); !st) {
        m_topics.erase(name);
        return st.error();
    }
    return topic;
}

Status MetadataStore::deleteTopic(const std::string& name) {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(name);
    if (it == m_topics.end()) return notFound(name);
    TopicInfo removed = std::move(it->second);
    m_topics.erase(it);
    if (Status st = persistLocked(); !st) {
        m_topics[name] = std::move(removed);
        return st;
    }
    return {};
}

Status MetadataStore::addPartitions(const std::string& name, const std::vector<std::vector<int32_t>>& assignment) {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(name);
    if (it == m_topics.end()) return notFound(name);
    TopicInfo before = it->second;
    for (const auto& replicas : assignment) {
        PartitionInfo partition;
        partition.partition = int32_t(it->second.partitions.size());
        partition.replicas = replicas;
        partition.isr = replicas;
        partition.leader = replicas.empty() ? -1 : replicas.front();
        it->second.partitions.push_back(std::move(partition));
    }
    if (Status st = persistLocked(); !st) {
        it->second = std::move(before);
        return st;
    }
    return {};
}

Status MetadataStore::setTopicConfigs(const std::string& name, const std::map<std::string, std::string>& configs) {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(name);
    if (it == m_topics.end()) return notFound(name);
    auto before = it->second.configs;
    it->second.configs = configs;
    if (Status st = persistLocked(); !st) {
        it->second.configs = std::move(before);
        return st;
    }
    return {};
}

}  // namespace partita::cluster
