// RecordAccumulator: partition choice, batching under one short lock, linger order and flush generations.
#include "engine/client/recordaccumulator.h"

#include "engine/client/clustermetadata.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/records/recordbatch.h"

#include <array>
#include <cstddef>
#include <random>

namespace partita::client {

namespace records = protocol::records;

namespace {

// Kafka's upper bound of a record's encoded size: every varint at its widest.
int64_t recordSizeUpperBound(const ProducerRecord& record) {
    int64_t size = 5 + 1 + 10 + 5 + 5 + 5 + 5;  // length, attributes, deltas, key/value lengths, header count
    if (record.key) size += int64_t(record.key->size());
    if (record.value) size += int64_t(record.value->size());
    for (const ProducerHeader& h : record.headers) {
        size += 10 + int64_t(h.key.size());
        if (h.value) size += int64_t(h.value->size());
    }
    return size;
}

records::OptionalBytesView bytesOf(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text->data()), text->size());
}

int64_t wallClockMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int32_t sizeOrNull(const std::optional<std::string>& text) {
    return text ? int32_t(text->size()) : -1;
}

}  // namespace

void RecordAccumulator::Completions::run() {
    for (Failure& f : failures)
        if (f.done) f.done(std::move(f.error));
    failures.clear();
    for (FlushCallback& f : flushed)
        if (f) f(Status::success());
    flushed.clear();
}

RecordAccumulator::RecordAccumulator(const ProducerConfig& config)
    : m_config(config), m_partitioner(std::random_device{}() | (uint64_t(std::random_device{}()) << 32)) {}

RecordAccumulator::~RecordAccumulator() = default;

RecordAccumulator::AppendResult RecordAccumulator::append(const ProducerRecord& record, DeliveryCallback& done) {
    AppendResult result;
    int64_t timestamp = record.timestamp;
    if (timestamp == -1) {
        timestamp = wallClockMs();
    } else if (timestamp < 0) {
        result.outcome = Outcome::Failed;
        result.error = Error{ErrorKind::InvalidArgument,
                             record.topic + ": invalid record timestamp " + std::to_string(record.timestamp)};
        return result;
    }
    if (record.partition < -1) {
        result.outcome = Outcome::Failed;
        result.error =
            Error{ErrorKind::InvalidArgument, record.topic + ": invalid partition " + std::to_string(record.partition)};
        return result;
    }
    const int64_t size = recordSizeUpperBound(record);
    if (size + int64_t(records::batch::kHeaderSize) > m_config.maxRequestSize || size > m_config.bufferMemory) {
        const bool request = size + int64_t(records::batch::kHeaderSize) > m_config.maxRequestSize;
        result.outcome = Outcome::Failed;
        result.error = Error{ErrorKind::TooLarge,
                             record.topic + ": the record is " + std::to_string(size) +
                                 " bytes when serialized, which is larger than " +
                                 (request ? "max.request.size (" + std::to_string(m_config.maxRequestSize)
                                          : "buffer.memory (" + std::to_string(m_config.bufferMemory)) +
                                 ")",
                             protocol::code(protocol::ErrorCode::MessageTooLarge)};
        return result;
    }
    if (record.topic.empty()) {
        result.outcome = Outcome::Failed;
        result.error = Error{ErrorKind::InvalidArgument, "a record needs a topic"};
        return result;
    }

    const auto now = Clock::now();
    std::lock_guard lock(m_mutex);
    if (m_refusal) {
        result.outcome = Outcome::Refused;
        result.error = *m_refusal;
        return result;
    }
    const int64_t buffered = m_bufferedBytes.load(std::memory_order_relaxed);
    if (buffered + size > m_config.bufferMemory) {
        result.outcome = Outcome::Refused;
        result.error = Error{ErrorKind::TooLarge,
                             "the producer's buffer is full: buffer.memory (" + std::to_string(m_config.bufferMemory) +
                                 " bytes) holds " + std::to_string(m_queuedRecords.load(std::memory_order_relaxed)) +
                                 " records waiting for delivery; wait for deliveries (or flush) and produce again"};
        return result;
    }

    auto it = m_topics.find(record.topic);
    if (it == m_topics.end()) {
        auto state = std::make_unique<TopicState>();
        state->name = record.topic;
        it = m_topics.emplace(record.topic, std::move(state)).first;
    }
    TopicState& topic = *it->second;
    if (topic.numPartitions < 0) {
        result.outcome = Outcome::WaitingForMetadata;
        result.lookupTopic = topic.waiting.empty();
        topic.waiting.push_back(Waiting{record, std::move(done), timestamp, m_flushEpoch, now, size});
        ++m_outstanding[m_flushEpoch];
        m_bufferedBytes.fetch_add(size, std::memory_order_relaxed);
        m_queuedRecords.fetch_add(1, std::memory_order_relaxed);
        return result;
    }
    auto partition = choosePartition(topic, record, size_t(size), result.wakeSender);
    if (!partition.ok()) {
        result.outcome = Outcome::Failed;
        result.error = partition.error();
        return result;
    }
    Status appended = appendLocked(topic, partition.value(), record, timestamp, std::move(done), m_flushEpoch, size,
                                   now, result.wakeSender);
    if (!appended.ok()) {
        result.outcome = Outcome::Failed;
        result.error = appended.error();
        return result;
    }
    m_bufferedBytes.fetch_add(size, std::memory_order_relaxed);
    m_queuedRecords.fetch_add(1, std::memory_order_relaxed);
    return result;
}

bool RecordAccumulator::fitsInOpen(const TopicState& topic, int32_t partition, size_t size) const {
    const auto& batch = topic.open[size_t(partition)];
    return batch && (batch->recordCount() == 0 || batch->uncompressedSize() + size <= size_t(m_config.batchSize));
}

Result<int32_t> RecordAccumulator::choosePartition(TopicState& topic, const ProducerRecord& record, size_t size,
                                                   bool& wake) {
    const int32_t count = topic.numPartitions;
    if (record.partition >= 0) {
        if (record.partition >= count) {
            return Error{ErrorKind::InvalidArgument,
                         topic.name + "-" + std::to_string(record.partition) + ": no such partition (topic " +
                             topic.name + " has " + std::to_string(count) + " partitions)",
                         protocol::code(protocol::ErrorCode::UnknownTopicOrPartition)};
        }
        return record.partition;
    }
    if (record.key) return partitionForKey(*record.key, count);
    // KIP-480: stay on the sticky partition while its open batch has room; a record that would
    // start a new batch there moves the topic to another partition first.
    if (topic.sticky < 0 || topic.sticky >= count) {
        topic.sticky = m_partitioner.nextStickyPartition(-1, topic.available, count);
    } else if (!fitsInOpen(topic, topic.sticky, size)) {
        // The batch there is full (or gone): it is ready now, like Java's closeForRecordAppends.
        if (topic.open[size_t(topic.sticky)]) {
            closeOpen(topic, topic.sticky);
            wake = true;
        }
        topic.sticky = m_partitioner.nextStickyPartition(topic.sticky, topic.available, count);
    }
    return topic.sticky;
}

Status RecordAccumulator::appendLocked(TopicState& topic, int32_t partition, const ProducerRecord& record,
                                       int64_t timestamp, DeliveryCallback&& done, uint64_t flushEpoch, int64_t charged,
                                       Clock::time_point now, bool& wake) {
    auto& slot = topic.open[size_t(partition)];
    if (slot && !fitsInOpen(topic, partition, size_t(charged))) {
        closeOpen(topic, partition);
        wake = true;
    }
    if (!slot) {
        records::RecordBatchBuilder builder;
        if (!m_builderPool.empty()) {
            builder = std::move(m_builderPool.back());
            m_builderPool.pop_back();
        }
        builder.setCompression(m_config.compression);
        builder.setProducer(records::kNoProducerId, records::kNoProducerEpoch, records::kNoSequence);
        const uint64_t id = m_nextBatchId++;
        slot =
            std::make_unique<ProducerBatch>(id, topic.name, partition, std::move(builder), now,
                                            now + std::chrono::milliseconds(m_config.deliveryTimeoutMs), m_flushEpoch);
        ++m_outstanding[m_flushEpoch];
        m_openOrder.push_back(OpenEntry{&topic, partition, id});
        // The sender arms its linger timer for the oldest open batch; a later one can wait.
        if (m_openCount++ == 0 || m_config.lingerMs == 0) wake = true;
    }

    std::array<records::HeaderView, 8> inlineHeaders;
    std::vector<records::HeaderView> manyHeaders;
    std::span<const records::HeaderView> headers;
    if (record.headers.size() <= inlineHeaders.size()) {
        for (size_t i = 0; i < record.headers.size(); ++i)
            inlineHeaders[i] = records::HeaderView{record.headers[i].key, bytesOf(record.headers[i].value)};
        headers = std::span<const records::HeaderView>(inlineHeaders.data(), record.headers.size());
    } else {
        manyHeaders.reserve(record.headers.size());
        for (const ProducerHeader& h : record.headers) manyHeaders.push_back({h.key, bytesOf(h.value)});
        headers = manyHeaders;
    }
    ProducerBatch& batch = *slot;
    Status appended = batch.append(timestamp, bytesOf(record.key), bytesOf(record.value), headers, std::move(done),
                                   sizeOrNull(record.key), sizeOrNull(record.value));
    if (!appended.ok()) {
        if (batch.recordCount() == 0) {
            // Nothing else in it: drop the empty batch again.
            if (auto it = m_outstanding.find(batch.flushEpoch); it != m_outstanding.end() && --it->second == 0)
                m_outstanding.erase(it);
            m_builderPool.push_back(batch.takeBuilder());
            slot.reset();
            --m_openCount;
        }
        return Error{appended.error().kind, batch.where() + ": " + appended.error().message};
    }
    batch.chargedBytes += charged;
    if (flushEpoch < batch.flushEpoch) {
        // A record from before a flush() joined a newer batch: the batch now counts for that flush.
        if (auto it = m_outstanding.find(batch.flushEpoch); it != m_outstanding.end() && --it->second == 0)
            m_outstanding.erase(it);
        ++m_outstanding[flushEpoch];
        batch.flushEpoch = flushEpoch;
    }
    if (batch.uncompressedSize() >= size_t(m_config.batchSize)) {
        closeOpen(topic, partition);
        wake = true;
    }
    return Status::success();
}

void RecordAccumulator::closeOpen(TopicState& topic, int32_t partition) {
    auto& slot = topic.open[size_t(partition)];
    if (!slot) return;
    m_ready.push_back(std::move(slot));
    --m_openCount;
}

void RecordAccumulator::retire(uint64_t flushEpoch, Completions& completions) {
    if (auto it = m_outstanding.find(flushEpoch); it != m_outstanding.end() && --it->second == 0)
        m_outstanding.erase(it);
    if (m_flushWaiters.empty()) return;
    const uint64_t oldest = m_outstanding.empty() ? UINT64_MAX : m_outstanding.begin()->first;
    for (auto it = m_flushWaiters.begin(); it != m_flushWaiters.end();) {
        if (it->first < oldest) {
            completions.flushed.push_back(std::move(it->second));
            it = m_flushWaiters.erase(it);
        } else {
            ++it;
        }
    }
}

void RecordAccumulator::dropWaiting(Waiting& waiting, Error error, Completions& completions) {
    completions.failures.push_back({std::move(waiting.done), std::move(error)});
    m_bufferedBytes.fetch_sub(waiting.charged, std::memory_order_relaxed);
    m_queuedRecords.fetch_sub(1, std::memory_order_relaxed);
    retire(waiting.flushEpoch, completions);
}

void RecordAccumulator::setPartitionCount(TopicState& topic, int32_t count) {
    if (count <= topic.numPartitions) return;  // Kafka never shrinks a topic
    topic.numPartitions = count;
    topic.open.resize(size_t(count));
}

bool RecordAccumulator::applyTopic(const TopicInfo& info, Completions& completions) {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(info.name);
    if (it == m_topics.end()) return false;
    TopicState& topic = *it->second;
    setPartitionCount(topic, int32_t(info.partitions.size()));
    topic.available.clear();
    for (const PartitionInfo& p : info.partitions)
        if (p.leader >= 0) topic.available.push_back(p.partition);

    bool wake = false;
    const auto now = Clock::now();
    std::vector<Waiting> waiting = std::move(topic.waiting);
    topic.waiting.clear();
    for (Waiting& w : waiting) {
        auto partition = choosePartition(topic, w.record, size_t(w.charged), wake);
        if (!partition.ok()) {
            dropWaiting(w, partition.error(), completions);
            continue;
        }
        Status appended = appendLocked(topic, partition.value(), w.record, w.timestamp, std::move(w.done), w.flushEpoch,
                                       w.charged, now, wake);
        if (!appended.ok()) {
            dropWaiting(w, appended.error(), completions);
            continue;
        }
        retire(w.flushEpoch, completions);  // its unit now lives in the batch
    }
    // Records from before a flush() skip linger.ms: the flush is waiting for them.
    for (int32_t p = 0; p < topic.numPartitions; ++p) {
        const auto& slot = topic.open[size_t(p)];
        if (slot && slot->flushEpoch < m_flushEpoch) {
            closeOpen(topic, p);
            wake = true;
        }
    }
    return wake;
}

void RecordAccumulator::updatePartitions(const ClusterMetadata& metadata) {
    std::lock_guard lock(m_mutex);
    for (auto& [name, topic] : m_topics) {
        if (topic->numPartitions < 0) continue;
        const TopicInfo* info = metadata.topic(name);
        if (info == nullptr || info->errorCode != 0 || info->partitions.empty()) continue;
        setPartitionCount(*topic, int32_t(info->partitions.size()));
        topic->available.clear();
        for (const PartitionInfo& p : info->partitions)
            if (p.leader >= 0) topic->available.push_back(p.partition);
    }
}

void RecordAccumulator::failTopic(const std::string& name, const Error& error, Completions& completions) {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(name);
    if (it == m_topics.end()) return;
    TopicState& topic = *it->second;
    for (Waiting& w : topic.waiting) dropWaiting(w, error, completions);
    topic.waiting.clear();
    // Forgotten, so the next record looks the topic up again (it may have been created since).
    if (topic.numPartitions < 0) m_topics.erase(it);
}

bool RecordAccumulator::expireWaiting(const std::string& name, Clock::time_point now, const Error& lastError,
                                      Completions& completions) {
    std::lock_guard lock(m_mutex);
    auto it = m_topics.find(name);
    if (it == m_topics.end()) return false;
    auto& waiting = it->second->waiting;
    const auto timeout = std::chrono::milliseconds(m_config.deliveryTimeoutMs);
    size_t kept = 0;
    for (size_t i = 0; i < waiting.size(); ++i) {
        if (now - waiting[i].createdAt >= timeout) {
            dropWaiting(
                waiting[i],
                Error{ErrorKind::Timeout,
                      name + ": delivery.timeout.ms (" + std::to_string(m_config.deliveryTimeoutMs) +
                          " ms) passed while waiting for the topic's metadata; last error: " + lastError.message,
                      lastError.kafkaCode},
                completions);
        } else {
            if (kept != i) waiting[kept] = std::move(waiting[i]);
            ++kept;
        }
    }
    waiting.erase(waiting.begin() + std::ptrdiff_t(kept), waiting.end());
    return !waiting.empty();
}

std::vector<std::string> RecordAccumulator::topicsWaitingForMetadata() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> names;
    for (const auto& [name, topic] : m_topics)
        if (!topic->waiting.empty()) names.push_back(name);
    return names;
}

void RecordAccumulator::drain(Clock::time_point now, std::vector<std::unique_ptr<ProducerBatch>>& out) {
    const auto linger = std::chrono::milliseconds(m_config.lingerMs);
    std::lock_guard lock(m_mutex);
    for (auto& batch : m_ready) out.push_back(std::move(batch));
    m_ready.clear();
    while (!m_openOrder.empty()) {
        const OpenEntry& entry = m_openOrder.front();
        auto& slot = entry.topic->open[size_t(entry.partition)];
        if (slot && slot->id() == entry.batchId) {
            if (slot->createdAt + linger > now) break;
            out.push_back(std::move(slot));
            --m_openCount;
        }
        m_openOrder.pop_front();
    }
}

std::optional<RecordAccumulator::Clock::time_point> RecordAccumulator::nextReadyTime() {
    std::lock_guard lock(m_mutex);
    if (!m_ready.empty()) return Clock::now();
    while (!m_openOrder.empty()) {
        const OpenEntry& entry = m_openOrder.front();
        const auto& slot = entry.topic->open[size_t(entry.partition)];
        if (slot && slot->id() == entry.batchId) return slot->createdAt + std::chrono::milliseconds(m_config.lingerMs);
        m_openOrder.pop_front();
    }
    return std::nullopt;
}

bool RecordAccumulator::flush(FlushCallback& done) {
    std::lock_guard lock(m_mutex);
    const uint64_t epoch = m_flushEpoch++;
    for (const OpenEntry& entry : m_openOrder) {
        auto& slot = entry.topic->open[size_t(entry.partition)];
        if (slot && slot->id() == entry.batchId) closeOpen(*entry.topic, entry.partition);
    }
    m_openOrder.clear();
    if (m_outstanding.empty() || m_outstanding.begin()->first > epoch) return true;
    m_flushWaiters.emplace_back(epoch, std::move(done));
    return false;
}

void RecordAccumulator::batchDone(const ProducerBatch& batch, Completions& completions) {
    std::lock_guard lock(m_mutex);
    m_bufferedBytes.fetch_sub(batch.chargedBytes, std::memory_order_relaxed);
    m_queuedRecords.fetch_sub(batch.recordCount(), std::memory_order_relaxed);
    retire(batch.flushEpoch, completions);
}

void RecordAccumulator::releaseBuilder(records::RecordBatchBuilder builder) {
    std::lock_guard lock(m_mutex);
    if (m_builderPool.size() < 64) m_builderPool.push_back(std::move(builder));
}

void RecordAccumulator::refuseAppends(Error why) {
    std::lock_guard lock(m_mutex);
    if (!m_refusal) m_refusal = std::move(why);
}

void RecordAccumulator::takeAll(std::vector<std::unique_ptr<ProducerBatch>>& batches, Completions& completions,
                                const Error& why) {
    std::lock_guard lock(m_mutex);
    for (auto& batch : m_ready) batches.push_back(std::move(batch));
    m_ready.clear();
    for (const OpenEntry& entry : m_openOrder) {
        auto& slot = entry.topic->open[size_t(entry.partition)];
        if (slot && slot->id() == entry.batchId) {
            batches.push_back(std::move(slot));
            --m_openCount;
        }
    }
    m_openOrder.clear();
    for (auto& [name, topic] : m_topics) {
        for (Waiting& w : topic->waiting) dropWaiting(w, why, completions);
        topic->waiting.clear();
    }
}

}  // namespace partita::client
