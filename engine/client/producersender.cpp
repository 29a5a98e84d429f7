// ProducerSender: Produce requests per leader, their answers, retries, timeouts and idempotence.
#include "engine/client/producersender.h"

#include "engine/client/clustermetadata.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/initproducerid.h"
#include "engine/protocol/messages/produce.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace partita::client {

namespace asio = boost::asio;
using protocol::ErrorCode;

namespace {

constexpr int16_t kProduceMinVersion = 3;  // the first with RecordBatch v2

bool isCode(const Error& error, ErrorCode code) {
    return error.kind == ErrorKind::Broker && error.kafkaCode == protocol::code(code);
}

// Errors after which the cached leader is probably wrong.
bool leaderMoved(const Error& error) {
    return isCode(error, ErrorCode::NotLeaderOrFollower) || isCode(error, ErrorCode::LeaderNotAvailable) ||
           isCode(error, ErrorCode::UnknownTopicOrPartition) || isCode(error, ErrorCode::FencedLeaderEpoch) ||
           isCode(error, ErrorCode::KafkaStorageError) || isCode(error, ErrorCode::NotController) ||
           isCode(error, ErrorCode::BrokerNotAvailable);
}

// A failure of the whole request (no answer per partition): which of them trying again can fix.
bool requestRetriable(const Error& error) {
    if (retriable(error)) return true;
    // The core's routing: a broker that left the cluster since the metadata we used.
    return isCode(error, ErrorCode::BrokerNotAvailable);
}

std::string partitionError(const protocol::ProduceResponsePartitionProduceResponse& p) {
    std::string message = p.errorMessage.value_or("");
    for (const auto& record : p.recordErrors) {
        if (!message.empty()) message += "; ";
        message += "record " + std::to_string(record.batchIndex);
        if (record.batchIndexErrorMessage) message += ": " + *record.batchIndexErrorMessage;
    }
    return message;
}

}  // namespace

ProducerSender::ProducerSender(std::shared_ptr<KafkaClient> client, ProducerConfig config)
    : m_client(std::move(client)),
      m_config(std::move(config)),
      m_accumulator(m_config),
      m_strand(asio::make_strand(m_client->ioContext())),
      m_timer(m_strand) {
    if (Status valid = m_config.validate(); !valid.ok()) {
        m_fatal = valid.error();
        m_accumulator.refuseAppends(valid.error());
    }
}

ProducerSender::~ProducerSender() = default;

Status ProducerSender::produce(const ProducerRecord& record, DeliveryCallback done) {
    auto result = m_accumulator.append(record, done);
    switch (result.outcome) {
        case RecordAccumulator::Outcome::Refused:
            return *result.error;
        case RecordAccumulator::Outcome::Failed:
            m_recordsFailed.fetch_add(1, std::memory_order_relaxed);
            if (done)
                asio::post(m_strand, [done = std::move(done), error = std::move(*result.error)]() { done(error); });
            return Status::success();
        case RecordAccumulator::Outcome::WaitingForMetadata:
            if (result.lookupTopic)
                asio::post(m_strand, [self = shared_from_this(), topic = record.topic] { self->lookupTopic(topic); });
            return Status::success();
        case RecordAccumulator::Outcome::Appended:
            if (result.wakeSender) wake();
            return Status::success();
    }
    return Status::success();
}

void ProducerSender::flush(FlushCallback done) {
    if (m_accumulator.flush(done)) {
        asio::post(m_strand, [done = std::move(done)] {
            if (done) done(Status::success());
        });
    }
    wake();
}

void ProducerSender::close(FlushCallback done) {
    m_accumulator.refuseAppends(Error{ErrorKind::Cancelled, "the producer is closed"});
    flush([self = shared_from_this(), done = std::move(done)](Status status) {
        asio::post(self->m_strand, [self, done, status] {
            self->m_stopped = true;
            self->m_timer.cancel();
            if (done) done(status);
        });
    });
}

ProducerMetrics ProducerSender::metrics() const {
    ProducerMetrics m;
    m.recordsSent = m_recordsSent.load(std::memory_order_relaxed);
    m.recordsFailed = m_recordsFailed.load(std::memory_order_relaxed);
    m.bytesSent = m_bytesSent.load(std::memory_order_relaxed);
    m.batchesSent = m_batchesSent.load(std::memory_order_relaxed);
    m.requestsSent = m_requestsSent.load(std::memory_order_relaxed);
    m.retries = m_retries.load(std::memory_order_relaxed);
    m.producerIdResets = m_producerIdResets.load(std::memory_order_relaxed);
    m.requestsInFlight = m_requestsInFlight.load(std::memory_order_relaxed);
    m.recordsQueued = m_accumulator.queuedRecords();
    m.bufferedBytes = m_accumulator.bufferedBytes();
    return m;
}

void ProducerSender::wake() {
    if (m_wakePending.exchange(true, std::memory_order_acq_rel)) return;
    asio::post(m_strand, [self = shared_from_this()] {
        self->m_wakePending.store(false, std::memory_order_release);
        self->run();
    });
}

void ProducerSender::run() {
    if (m_stopped) return;
    const auto now = Clock::now();
    m_drained.clear();
    m_accumulator.drain(now, m_drained);
    for (auto& batch : m_drained) enqueue(std::move(batch));
    m_drained.clear();

    if (auto metadata = m_client->metadata(); metadata && metadata != m_seenMetadata) {
        m_accumulator.updatePartitions(*metadata);
        m_seenMetadata = std::move(metadata);
    }
    for (auto it = m_lookupRetries.begin(); it != m_lookupRetries.end();) {
        if (it->second <= now) {
            const std::string topic = it->first;
            it = m_lookupRetries.erase(it);
            lookupTopic(topic);
        } else {
            ++it;
        }
    }

    m_nextQueueEvent = Clock::time_point::max();
    expireQueued(now);
    if (!m_fatal) {
        if (m_config.idempotence && !m_idempotence.hasProducerId())
            initProducerId(now);
        else
            sendReady(now);
    }
    maybeRefreshMetadata(now);
    schedule(now);
}

ProducerSender::PartitionQueue& ProducerSender::queueFor(const ProducerBatch& batch) {
    auto key = std::make_pair(batch.topic(), batch.partition());
    auto it = m_queues.find(key);
    if (it == m_queues.end()) {
        auto queue = std::make_unique<PartitionQueue>();
        queue->topic = batch.topic();
        queue->partition = batch.partition();
        it = m_queues.emplace(std::move(key), std::move(queue)).first;
    }
    return *it->second;
}

void ProducerSender::activate(PartitionQueue& queue) {
    if (queue.active) return;
    queue.active = true;
    m_active.push_back(&queue);
}

void ProducerSender::enqueue(std::unique_ptr<ProducerBatch> batch) {
    PartitionQueue& queue = queueFor(*batch);
    batch->ordinal = queue.nextOrdinal++;
    queue.queue.push_back(std::move(batch));
    activate(queue);
}

void ProducerSender::expireQueued(Clock::time_point now) {
    // Batches of a partition were created in order, so the expired ones are at the front
    // (a retried batch goes back to the front too).
    for (PartitionQueue* queue : m_active) {
        while (!queue->queue.empty() && queue->queue.front()->deadline <= now) {
            std::unique_ptr<ProducerBatch> batch = std::move(queue->queue.front());
            queue->queue.pop_front();
            const std::string where = batch->where();
            const int32_t count = batch->recordCount();
            failBatch(std::move(batch), Error{ErrorKind::Timeout, where + ": expiring " + std::to_string(count) +
                                                                      " record(s): delivery.timeout.ms (" +
                                                                      std::to_string(m_config.deliveryTimeoutMs) +
                                                                      " ms) passed since the batch was created"});
        }
        if (!queue->queue.empty()) m_nextQueueEvent = std::min(m_nextQueueEvent, queue->queue.front()->deadline);
    }
}

bool ProducerSender::canSendHead(const PartitionQueue& queue) const {
    if (queue.queue.empty()) return false;
    const ProducerBatch& head = *queue.queue.front();
    // Kafka keeps the last five batches per producer and partition to detect duplicates.
    if (m_config.idempotence && queue.inFlight >= 5) return false;
    // A broker takes any sequence from a producer id it has no state for on the partition (Kafka
    // does, so that expired producer state is not fatal). Were a later batch to arrive first, it
    // would be written first and the first one refused: the first batch goes out alone.
    if (m_config.idempotence && queue.ackedGeneration != m_idempotence.generation()) return queue.inFlight == 0;
    if (head.resend || queue.resendsInFlight > 0) return queue.inFlight == 0;
    return true;
}

bool ProducerSender::prepareHead(PartitionQueue& queue) {
    ProducerBatch& batch = *queue.queue.front();
    const bool wasBuilt = batch.isBuilt();
    Status stamped = Status::success();
    if (m_config.idempotence) {
        const uint64_t generation = m_idempotence.generation();
        if (!batch.stamped || batch.generation != generation) {
            if (queue.sequenceGeneration != generation) {
                queue.sequenceGeneration = generation;
                queue.nextSequence = 0;
            }
            const int32_t sequence = queue.nextSequence;
            stamped = batch.stamp(m_idempotence.producerId(), m_idempotence.producerEpoch(), sequence);
            if (stamped.ok()) {
                queue.nextSequence = ProducerIdempotence::incrementSequence(sequence, batch.recordCount());
                batch.stamped = true;
                batch.generation = generation;
                batch.baseSequence = sequence;
            }
        }
    } else if (!wasBuilt) {
        stamped = batch.stamp(protocol::records::kNoProducerId, protocol::records::kNoProducerEpoch,
                              protocol::records::kNoSequence);
    }
    if (!wasBuilt && batch.isBuilt()) m_accumulator.releaseBuilder(batch.takeBuilder());
    if (stamped.ok()) return true;
    std::unique_ptr<ProducerBatch> failed = std::move(queue.queue.front());
    queue.queue.pop_front();
    const std::string where = failed->where();
    failBatch(std::move(failed), Error{stamped.error().kind, where + ": " + stamped.error().message});
    return false;
}

void ProducerSender::sendReady(Clock::time_point now) {
    auto metadata = m_client->metadata();
    bool needMetadata = false;
    for (auto& [node, queues] : m_byLeader) queues.clear();
    for (size_t i = 0; i < m_active.size();) {
        PartitionQueue* queue = m_active[i];
        if (queue->queue.empty()) {
            queue->active = false;
            m_active[i] = m_active.back();
            m_active.pop_back();
            continue;
        }
        ++i;
        if (queue->backoffUntil > now) {
            m_nextQueueEvent = std::min(m_nextQueueEvent, queue->backoffUntil);
            continue;
        }
        if (!canSendHead(*queue)) continue;
        const PartitionInfo* info = metadata ? metadata->partition(queue->topic, queue->partition) : nullptr;
        if (info == nullptr || info->leader < 0 || metadata->broker(info->leader) == nullptr) {
            needMetadata = true;
            continue;
        }
        m_byLeader[info->leader].push_back(queue);
    }

    for (auto& [node, queues] : m_byLeader) {
        if (queues.empty()) continue;
        int& inFlight = m_brokerInFlight[node];
        while (inFlight < m_config.maxInFlight) {
            std::vector<std::unique_ptr<ProducerBatch>> batches;
            size_t bytes = 0;
            for (PartitionQueue* queue : queues) {
                if (!canSendHead(*queue)) continue;
                if (!prepareHead(*queue)) continue;
                const size_t size = queue->queue.front()->sizeInBytes();
                if (!batches.empty() && bytes + size > size_t(m_config.maxRequestSize)) continue;
                bytes += size;
                std::unique_ptr<ProducerBatch> batch = std::move(queue->queue.front());
                queue->queue.pop_front();
                ++queue->inFlight;
                if (batch->resend) ++queue->resendsInFlight;
                queue->inFlightOrdinals.push_back(batch->ordinal);
                batches.push_back(std::move(batch));
            }
            if (batches.empty()) break;
            ++inFlight;
            sendRequest(node, std::move(batches));
        }
    }
    if (needMetadata) requestMetadataRefresh();
}

void ProducerSender::sendRequest(int32_t node, std::vector<std::unique_ptr<ProducerBatch>> batches) {
    auto request = std::make_unique<protocol::ProduceRequest>();
    request->transactionalId = std::nullopt;
    request->acks = m_config.acks;
    request->timeoutMs = m_config.requestTimeoutMs;
    for (const auto& batch : batches) {
        auto topic = std::find_if(request->topicData.begin(), request->topicData.end(),
                                  [&](const auto& t) { return t.name == batch->topic(); });
        if (topic == request->topicData.end()) {
            request->topicData.emplace_back();
            topic = std::prev(request->topicData.end());
            topic->name = batch->topic();
        }
        protocol::ProduceRequest::PartitionProduceData data;
        data.index = batch->partition();
        data.records = batch->bytes();
        topic->partitionData.push_back(std::move(data));
    }
    auto inFlight = std::make_shared<InFlightRequest>();
    inFlight->node = node;
    inFlight->batches = std::move(batches);
    m_requestsSent.fetch_add(1, std::memory_order_relaxed);
    m_requestsInFlight.fetch_add(1, std::memory_order_relaxed);

    RequestOptions options;
    options.lane = Lane::Produce;
    options.minVersion = kProduceMinVersion;
    options.expectResponse = m_config.acks != 0;
    m_client->send(
        Target::node(node), std::move(request),
        [self = shared_from_this(), inFlight](Result<Response> result) {
            asio::post(self->m_strand, [self, inFlight, result = std::move(result)]() mutable {
                self->onResponse(inFlight, std::move(result));
            });
        },
        options);
}

void ProducerSender::onResponse(const std::shared_ptr<InFlightRequest>& request, Result<Response> result) {
    const auto now = Clock::now();
    --m_brokerInFlight[request->node];
    m_requestsInFlight.fetch_sub(1, std::memory_order_relaxed);
    for (const auto& batch : request->batches) {
        PartitionQueue& queue = queueFor(*batch);
        --queue.inFlight;
        if (batch->resend) --queue.resendsInFlight;
        auto& ordinals = queue.inFlightOrdinals;
        ordinals.erase(std::remove(ordinals.begin(), ordinals.end(), batch->ordinal), ordinals.end());
    }

    if (!result.ok()) {
        const Error& error = result.error();
        const bool retry = requestRetriable(error);
        for (auto& batch : request->batches) {
            Error mine{error.kind, batch->where() + ": " + error.message, error.kafkaCode};
            handleError(std::move(batch), std::move(mine), retry, now);
        }
        // The broker may be gone or lead nothing any more.
        if (retry) requestMetadataRefresh();
    } else if (result->body == nullptr) {
        // acks=0: written is all we will ever know.
        for (auto& batch : request->batches) succeed(std::move(batch), -1, -1);
    } else if (auto* response = dynamic_cast<const protocol::ProduceResponse*>(result->body.get())) {
        // Answers usually come in request order; look further only when they do not.
        std::vector<const protocol::ProduceResponsePartitionProduceResponse*> flat;
        std::vector<const std::string*> names;
        for (const auto& topic : response->responses) {
            for (const auto& partition : topic.partitionResponses) {
                flat.push_back(&partition);
                names.push_back(&topic.name);
            }
        }
        for (size_t i = 0; i < request->batches.size(); ++i) {
            auto& batch = request->batches[i];
            const protocol::ProduceResponsePartitionProduceResponse* answer = nullptr;
            auto matches = [&](size_t j) {
                return *names[j] == batch->topic() && flat[j]->index == batch->partition();
            };
            if (i < flat.size() && matches(i)) {
                answer = flat[i];
            } else {
                for (size_t j = 0; j < flat.size() && answer == nullptr; ++j)
                    if (matches(j)) answer = flat[j];
            }
            if (answer == nullptr) {
                Error missing{ErrorKind::Malformed,
                              batch->where() + ": the broker's Produce response has no answer for it"};
                handleError(std::move(batch), std::move(missing), true, now);
                continue;
            }
            const int16_t code = answer->errorCode;
            if (code == 0 || code == protocol::code(ErrorCode::DuplicateSequenceNumber)) {
                succeed(std::move(batch), answer->baseOffset, answer->logAppendTimeMs);
                continue;
            }
            Error error = brokerError(code, batch->where(), partitionError(*answer));
            const bool retry = retriable(error);
            if (leaderMoved(error)) {
                m_client->invalidateLeader(batch->topic(), batch->partition());
                requestMetadataRefresh();
            }
            handleError(std::move(batch), std::move(error), retry, now);
        }
    } else {
        for (auto& batch : request->batches) {
            Error wrong{ErrorKind::Malformed, batch->where() + ": unexpected answer to a Produce request"};
            handleError(std::move(batch), std::move(wrong), false, now);
        }
    }
    run();
}

bool ProducerSender::earlierUnresolved(const PartitionQueue& queue, const ProducerBatch& batch) const {
    for (int64_t ordinal : queue.inFlightOrdinals)
        if (ordinal < batch.ordinal) return true;
    return !queue.queue.empty() && queue.queue.front()->ordinal < batch.ordinal;
}

void ProducerSender::handleError(std::unique_ptr<ProducerBatch> batch, Error error, bool retriable,
                                 Clock::time_point now) {
    if (m_config.idempotence &&
        (isCode(error, ErrorCode::OutOfOrderSequenceNumber) || isCode(error, ErrorCode::UnknownProducerId) ||
         isCode(error, ErrorCode::InvalidProducerEpoch))) {
        // Stamped under a producer id we gave up since: it gets the new one.
        if (batch->generation != m_idempotence.generation()) return requeue(std::move(batch), now, false);
        // A batch before it failed or is still on its way: the broker is waiting for that one.
        if (isCode(error, ErrorCode::OutOfOrderSequenceNumber) && earlierUnresolved(queueFor(*batch), *batch))
            return requeue(std::move(batch), now, true);
        error.message +=
            " (the broker lost this producer's sequence for the partition; these records are not "
            "written, and later ones go out under a new producer id)";
        return failBatch(std::move(batch), error);
    }
    if (retriable && batch->attempts < m_config.retries && now < batch->deadline) {
        ++batch->attempts;
        m_retries.fetch_add(1, std::memory_order_relaxed);
        return requeue(std::move(batch), now, true);
    }
    if (retriable && now >= batch->deadline) {
        error = Error{ErrorKind::Timeout,
                      batch->where() + ": expiring " + std::to_string(batch->recordCount()) +
                          " record(s): delivery.timeout.ms (" + std::to_string(m_config.deliveryTimeoutMs) +
                          " ms) passed since the batch was created; last error: " + error.message,
                      error.kafkaCode};
    }
    failBatch(std::move(batch), error);
}

void ProducerSender::requeue(std::unique_ptr<ProducerBatch> batch, Clock::time_point now, bool backoff) {
    PartitionQueue& queue = queueFor(*batch);
    batch->resend = true;
    auto at = std::find_if(queue.queue.begin(), queue.queue.end(),
                           [&](const auto& queued) { return queued->ordinal > batch->ordinal; });
    queue.queue.insert(at, std::move(batch));
    if (backoff)
        queue.backoffUntil = std::max(queue.backoffUntil, now + std::chrono::milliseconds(m_config.retryBackoffMs));
    activate(queue);
}

void ProducerSender::succeed(std::unique_ptr<ProducerBatch> batch, int64_t baseOffset, int64_t logAppendTime) {
    if (m_config.idempotence && batch->stamped) queueFor(*batch).ackedGeneration = batch->generation;
    m_recordsSent.fetch_add(uint64_t(batch->recordCount()), std::memory_order_relaxed);
    m_bytesSent.fetch_add(batch->sizeInBytes(), std::memory_order_relaxed);
    m_batchesSent.fetch_add(1, std::memory_order_relaxed);
    batch->complete(baseOffset, logAppendTime);
    finish(std::move(batch));
}

void ProducerSender::failBatch(std::unique_ptr<ProducerBatch> batch, const Error& error) {
    // Its sequence numbers are used up without a write: the partition's sequence has a gap the
    // broker would refuse every later batch for.
    if (m_config.idempotence && batch->stamped && batch->generation == m_idempotence.generation()) resetProducerId();
    m_recordsFailed.fetch_add(uint64_t(batch->recordCount()), std::memory_order_relaxed);
    batch->fail(error);
    finish(std::move(batch));
}

void ProducerSender::finish(std::unique_ptr<ProducerBatch> batch) {
    RecordAccumulator::Completions completions;
    m_accumulator.batchDone(*batch, completions);
    batch.reset();
    completions.run();
}

void ProducerSender::lookupTopic(const std::string& topic) {
    if (m_stopped || m_lookups.count(topic) != 0) return;
    m_lookups.insert(topic);
    m_lookupRetries.erase(topic);
    m_client->metadataFor({topic},
                          [self = shared_from_this(), topic](Result<std::shared_ptr<const ClusterMetadata>> result) {
                              asio::post(self->m_strand, [self, topic, result = std::move(result)]() mutable {
                                  self->onLookup(topic, std::move(result));
                              });
                          });
}

void ProducerSender::onLookup(const std::string& topic, Result<std::shared_ptr<const ClusterMetadata>> result) {
    m_lookups.erase(topic);
    const auto now = Clock::now();
    Error error{ErrorKind::Broker, {}};
    if (result.ok()) {
        const TopicInfo* info = result.value()->topic(topic);
        if (info != nullptr && info->errorCode == 0 && !info->partitions.empty()) {
            RecordAccumulator::Completions completions;
            m_accumulator.applyTopic(*info, completions);
            completions.run();
            run();
            return;
        }
        if (info == nullptr || info->errorCode == protocol::code(ErrorCode::UnknownTopicOrPartition))
            error = brokerError(protocol::code(ErrorCode::UnknownTopicOrPartition), topic, "the topic does not exist");
        else if (info->errorCode != 0)
            error = brokerError(info->errorCode, topic);
        else
            error =
                brokerError(protocol::code(ErrorCode::LeaderNotAvailable), topic, "the topic has no partitions yet");
    } else {
        error = result.error();
    }
    // Java waits up to max.block.ms for a topic to appear; this producer says so at once.
    const bool retry = retriable(error) && !isCode(error, ErrorCode::UnknownTopicOrPartition);
    RecordAccumulator::Completions completions;
    if (!retry) {
        m_accumulator.failTopic(topic, error, completions);
    } else if (m_accumulator.expireWaiting(topic, now, error, completions)) {
        m_lookupRetries[topic] = now + std::chrono::milliseconds(m_config.retryBackoffMs);
    }
    completions.run();
    run();
}

void ProducerSender::requestMetadataRefresh() {
    m_refreshWanted = true;
}

void ProducerSender::maybeRefreshMetadata(Clock::time_point now) {
    if (!m_refreshWanted || m_refreshInFlight || m_stopped) return;
    if (now < m_lastRefresh + std::chrono::milliseconds(m_config.retryBackoffMs)) return;  // schedule() wakes us
    std::set<std::string> topics;
    for (const auto& [key, queue] : m_queues)
        if (!queue->queue.empty() || queue->inFlight > 0) topics.insert(key.first);
    m_refreshWanted = false;
    if (topics.empty()) return;
    m_refreshInFlight = true;
    m_lastRefresh = now;
    m_client->refreshMetadata(std::vector<std::string>(topics.begin(), topics.end()),
                              [self = shared_from_this()](Result<std::shared_ptr<const ClusterMetadata>> result) {
                                  asio::post(self->m_strand, [self, ok = result.ok()] {
                                      self->m_refreshInFlight = false;
                                      // Still unsure after a failed refresh: try again after the backoff.
                                      if (!ok) self->m_refreshWanted = true;
                                      self->run();
                                  });
                              });
}

void ProducerSender::initProducerId(Clock::time_point now) {
    // After a reset, answers under the old id come back first, so nothing is stamped out of order.
    if (m_idempotence.requestInFlight || now < m_idempotence.retryAt ||
        m_requestsInFlight.load(std::memory_order_relaxed) > 0)
        return;
    m_idempotence.requestInFlight = true;
    auto request = std::make_unique<protocol::InitProducerIdRequest>();
    request->transactionalId = std::nullopt;
    request->transactionTimeoutMs = 60000;
    request->producerId = -1;
    request->producerEpoch = -1;
    m_client->call<protocol::InitProducerIdResponse>(
        Target::anyBroker(), std::move(request),
        [self = shared_from_this()](Result<TypedResponse<protocol::InitProducerIdResponse>> result) {
            asio::post(self->m_strand, [self, result = std::move(result)]() mutable {
                self->m_idempotence.requestInFlight = false;
                Error error{ErrorKind::Broker, {}};
                if (result.ok() && result.value()->errorCode == 0) {
                    self->m_idempotence.set(result.value()->producerId, result.value()->producerEpoch);
                    self->run();
                    return;
                }
                error = result.ok() ? brokerError(result.value()->errorCode, "InitProducerId") : result.error();
                if (retriable(error)) {
                    self->m_idempotence.retryAt =
                        Clock::now() + std::chrono::milliseconds(self->m_config.retryBackoffMs);
                } else {
                    self->fatal(Error{error.kind,
                                      "the idempotent producer could not get a producer id: " + error.message +
                                          " (enable.idempotence=false produces without one)",
                                      error.kafkaCode});
                }
                self->run();
            });
        });
}

void ProducerSender::resetProducerId() {
    if (!m_idempotence.hasProducerId()) {
        // Already waiting for a new id; make sure the batches stamped meanwhile are stamped again.
        m_idempotence.reset();
        return;
    }
    m_idempotence.reset();
    m_producerIdResets.fetch_add(1, std::memory_order_relaxed);
}

void ProducerSender::fatal(const Error& error) {
    if (m_fatal) return;
    m_fatal = error;
    m_accumulator.refuseAppends(error);
    std::vector<std::unique_ptr<ProducerBatch>> batches;
    RecordAccumulator::Completions completions;
    m_accumulator.takeAll(batches, completions, error);
    completions.run();
    for (auto& [key, queue] : m_queues) {
        for (auto& batch : queue->queue) batches.push_back(std::move(batch));
        queue->queue.clear();
    }
    for (auto& batch : batches) {
        Error mine{error.kind, batch->where() + ": " + error.message, error.kafkaCode};
        m_recordsFailed.fetch_add(uint64_t(batch->recordCount()), std::memory_order_relaxed);
        batch->fail(mine);
        finish(std::move(batch));
    }
}

void ProducerSender::schedule(Clock::time_point now) {
    if (m_stopped) return;
    Clock::time_point next = m_nextQueueEvent;
    if (auto ready = m_accumulator.nextReadyTime()) next = std::min(next, *ready);
    for (const auto& [topic, at] : m_lookupRetries) next = std::min(next, at);
    if (m_refreshWanted && !m_refreshInFlight)
        next = std::min(next, m_lastRefresh + std::chrono::milliseconds(m_config.retryBackoffMs));
    if (m_config.idempotence && !m_idempotence.hasProducerId() && !m_idempotence.requestInFlight && !m_fatal &&
        m_requestsInFlight.load(std::memory_order_relaxed) == 0)
        next = std::min(next, m_idempotence.retryAt);
    if (next == Clock::time_point::max()) return;
    arm(std::max(next, now));
}

void ProducerSender::arm(Clock::time_point at) {
    if (at >= m_timerAt) return;  // an earlier wake-up is set already
    m_timerAt = at;
    m_timer.expires_at(at);
    m_timer.async_wait(asio::bind_executor(m_strand, [self = shared_from_this(), at](boost::system::error_code ec) {
        if (ec) return;
        if (self->m_timerAt == at) self->m_timerAt = Clock::time_point::max();
        self->run();
    }));
}

}  // namespace partita::client
