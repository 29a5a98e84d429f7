// Admin API handlers (topics, partitions, configs, records, cluster, log dirs) at old and new versions, as a client
// decodes them.
#include <QTemporaryDir>
#include <QTest>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../storage/storagetestutil.h"
#include "engine/broker/apihandler.h"
#include "engine/broker/brokerconfig.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/net/framehandler.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/alterconfigs.h"
#include "engine/protocol/messages/createpartitions.h"
#include "engine/protocol/messages/createtopics.h"
#include "engine/protocol/messages/deleterecords.h"
#include "engine/protocol/messages/deletetopics.h"
#include "engine/protocol/messages/describecluster.h"
#include "engine/protocol/messages/describeconfigs.h"
#include "engine/protocol/messages/describelogdirs.h"
#include "engine/protocol/messages/incrementalalterconfigs.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"
#include "engine/storage/clock.h"
#include "engine/storage/logmanager.h"
#include "engine/storage/partitionlog.h"

using namespace partita;
using namespace partita::broker;
using namespace partita::protocol;

namespace {

constexpr int16_t kNone = 0;
constexpr int8_t kTopic = 2;
constexpr int8_t kBroker = 4;
constexpr int8_t kBrokerLogger = 8;
constexpr int8_t kDynamicTopic = 1;
constexpr int8_t kStaticBroker = 4;
constexpr int8_t kDefault = 5;

int16_t err(ErrorCode e) {
    return protocol::code(e);
}

// One node on a fresh data directory, as partitad wires it, with a server.properties that sets
// log.segment.bytes (a STATIC_BROKER_CONFIG source) and log.retention.hours (a retention.ms stand-in).
struct Node {
    QTemporaryDir dir;
    storage::ManualClock clock{storagetest::kStart};
    std::unique_ptr<cluster::MetadataStore> metadata;
    std::unique_ptr<storage::LogManager> logs;
    std::unique_ptr<BrokerContext> context;
    net::ConnectionInfo connection{1, "127.0.0.1:50000", "PLAINTEXT"};

    Node() {
        const std::string path = dir.path().toStdString();
        auto meta = cluster::MetadataStore::open(path + "/meta.json", "cluster-id", 1);
        if (!meta) qFatal("metadata: %s", meta.error().message.c_str());
        metadata = std::move(*meta);
        metadata->registerBroker({1, {{"PLAINTEXT", "PLAINTEXT", "localhost", 9092}}, {}});
        auto config = makeBrokerConfig({{"node.id", "1"},
                                        {"listeners", "PLAINTEXT://localhost:9092"},
                                        {"log.dirs", path + "/data"},
                                        {"log.segment.bytes", "536870912"},
                                        {"log.retention.hours", "168"}});
        if (!config) qFatal("broker config: %s", config.error().message.c_str());
        auto manager = storage::LogManager::open(
            config->logManagerConfig, [this](const std::string& topic) { return context->topicLogConfig(topic); },
            clock);
        if (!manager) qFatal("logs: %s", manager.error().message.c_str());
        logs = std::move(*manager);
        context = std::make_unique<BrokerContext>(*config, *metadata, *logs, clock);
    }
    ~Node() { (void)logs->shutdown(); }

    // Runs the handler as the connection would, then encodes the response at `version` and decodes it
    // again: what the test sees is what a client of that version sees.
    template <class Response>
    std::unique_ptr<Response> call(std::unique_ptr<ApiHandler> (*factory)(BrokerContext&), ApiMessage& request,
                                   int16_t version) {
        auto handler = factory(*context);
        if (version < handler->minVersion() || version > handler->maxVersion()) qFatal("version out of range");
        // The request as it would arrive: encoded and decoded at this version.
        Writer requestWriter;
        request.encode(requestWriter, version);
        if (!requestWriter.ok()) qFatal("request encode: %s", requestWriter.error().c_str());
        Bytes requestBytes = requestWriter.take();
        std::unique_ptr<ApiMessage> decodedRequest(newRequestLike(request));
        Reader requestReader(requestBytes);
        decodedRequest->decode(requestReader, version);
        if (!requestReader.ok()) qFatal("request decode failed");

        RequestContext rc{connection, version, 42, "adminhandlers_test"};
        std::unique_ptr<ApiMessage> out;
        boost::asio::io_context io;
        boost::asio::co_spawn(
            io, [&]() -> boost::asio::awaitable<void> { out = co_await handler->handle(rc, *decodedRequest); },
            boost::asio::detached);
        io.run();
        if (!out) qFatal("no response");
        Writer writer;
        out->encode(writer, version);
        if (!writer.ok()) qFatal("response encode v%d: %s", int(version), writer.error().c_str());
        Bytes bytes = writer.take();
        auto decoded = std::make_unique<Response>();
        Reader reader(bytes);
        decoded->decode(reader, version);
        if (!reader.ok() || reader.remaining() != 0) qFatal("response decode v%d failed", int(version));
        return decoded;
    }

    static ApiMessage* newRequestLike(const ApiMessage& request) {
        switch (request.messageApiKey()) {
            case CreateTopicsRequest::kApiKey:
                return new CreateTopicsRequest;
            case DeleteTopicsRequest::kApiKey:
                return new DeleteTopicsRequest;
            case CreatePartitionsRequest::kApiKey:
                return new CreatePartitionsRequest;
            case DescribeConfigsRequest::kApiKey:
                return new DescribeConfigsRequest;
            case AlterConfigsRequest::kApiKey:
                return new AlterConfigsRequest;
            case IncrementalAlterConfigsRequest::kApiKey:
                return new IncrementalAlterConfigsRequest;
            case DeleteRecordsRequest::kApiKey:
                return new DeleteRecordsRequest;
            case DescribeClusterRequest::kApiKey:
                return new DescribeClusterRequest;
            case DescribeLogDirsRequest::kApiKey:
                return new DescribeLogDirsRequest;
        }
        qFatal("unexpected request");
        return nullptr;
    }

    void createTopic(const std::string& name, int32_t partitions, std::map<std::string, std::string> configs = {}) {
        ApiError e = context->createTopic(name, partitions, 1, {}, configs, false);
        if (!e.ok()) qFatal("create %s: %s", name.c_str(), e.message.c_str());
    }

    std::shared_ptr<storage::PartitionLog> log(const std::string& topic, int32_t partition) {
        std::shared_ptr<storage::PartitionLog> out;
        ApiError e = context->leaderLog(topic, partition, out);
        if (!e.ok()) qFatal("log %s-%d: %s", topic.c_str(), partition, e.message.c_str());
        return out;
    }

    // `batches` batches of 5 records, all committed (high watermark at the log end).
    void produce(const std::string& topic, int32_t partition, int batches) {
        auto l = log(topic, partition);
        for (int i = 0; i < batches; ++i) {
            if (!storagetest::leaderAppend(*l, storagetest::makeBatch(5, storagetest::kStart + i, 100, {}, i))) {
                qFatal("append failed");
            }
        }
        l->updateHighWatermark(l->logEndOffset());
    }
};

CreateTopicsRequest::CreatableTopic newTopic(std::string name, int32_t partitions, int16_t factor,
                                             std::map<std::string, std::string> configs = {}) {
    CreateTopicsRequest::CreatableTopic t;
    t.name = std::move(name);
    t.numPartitions = partitions;
    t.replicationFactor = factor;
    for (auto& [k, v] : configs) t.configs.push_back({k, v, {}});
    return t;
}

const DescribeConfigsResponse::DescribeConfigsResourceResult* findConfig(
    const std::vector<DescribeConfigsResponse::DescribeConfigsResourceResult>& configs, const std::string& name) {
    for (const auto& c : configs)
        if (c.name == name) return &c;
    return nullptr;
}

const CreateTopicsResponse::CreatableTopicConfigs* findConfig(
    const std::vector<CreateTopicsResponse::CreatableTopicConfigs>& configs, const std::string& name) {
    for (const auto& c : configs)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace

class TestAdminHandlers : public QObject {
    Q_OBJECT

private slots:
    void createTopicsV0() {
        Node node;
        CreateTopicsRequest request;
        request.topics.push_back(newTopic("orders", 3, 1));
        request.topics.push_back(newTopic("twice", 1, 1));
        request.topics.push_back(newTopic("twice", 2, 1));
        request.topics.push_back(newTopic("bad name!", 1, 1));
        request.topics.push_back(newTopic("zero", 0, 1));
        request.topics.push_back(newTopic("two-billion", 2'000'000'000, 1));  // refused, not allocated
        request.topics.push_back(newTopic("too-many-replicas", 1, 3));
        request.topics.push_back(newTopic("bad-config", 1, 1, {{"retention.ms", "soon"}}));
        auto assigned = newTopic("assigned", -1, -1);
        assigned.assignments.push_back({1, {1}, {}});
        assigned.assignments.push_back({0, {1}, {}});
        request.topics.push_back(assigned);
        auto badAssignment = newTopic("bad-assignment", -1, -1);
        badAssignment.assignments.push_back({0, {5}, {}});
        request.topics.push_back(badAssignment);
        auto response = node.call<CreateTopicsResponse>(makeCreateTopicsHandler, request, 0);

        QCOMPARE(response->topics.size(), size_t(10));
        std::map<std::string, int16_t> codes;
        std::vector<int16_t> twice;
        for (const auto& t : response->topics) {
            if (t.name == "twice") twice.push_back(t.errorCode);
            codes[t.name] = t.errorCode;
        }
        QCOMPARE(codes["orders"], kNone);
        QCOMPARE(twice, std::vector<int16_t>({err(ErrorCode::InvalidRequest), err(ErrorCode::InvalidRequest)}));
        QCOMPARE(codes["bad name!"], err(ErrorCode::InvalidTopicException));
        QCOMPARE(codes["zero"], err(ErrorCode::InvalidPartitions));
        QCOMPARE(codes["two-billion"], err(ErrorCode::InvalidPartitions));
        QCOMPARE(codes["too-many-replicas"], err(ErrorCode::InvalidReplicationFactor));
        QCOMPARE(codes["bad-config"], err(ErrorCode::InvalidConfig));
        QCOMPARE(codes["assigned"], kNone);
        QCOMPARE(codes["bad-assignment"], err(ErrorCode::InvalidReplicaAssignment));

        QCOMPARE(node.metadata->topic("orders")->partitions.size(), size_t(3));
        QCOMPARE(node.metadata->topic("assigned")->partitions.size(), size_t(2));
        QVERIFY(!node.metadata->topic("twice"));
        QVERIFY(!node.metadata->topic("bad-config"));

        // Again: the topic exists now.
        CreateTopicsRequest again;
        again.topics.push_back(newTopic("orders", 3, 1));
        auto second = node.call<CreateTopicsResponse>(makeCreateTopicsHandler, again, 1);
        QCOMPARE(second->topics[0].errorCode, err(ErrorCode::TopicAlreadyExists));
        QCOMPARE(second->topics[0].errorMessage.value_or(""), std::string("Topic 'orders' already exists."));
    }

    void createTopicsMessagesAndCollisions() {
        Node node;
        node.createTopic("page.views", 1);
        CreateTopicsRequest request;
        request.topics.push_back(newTopic("page_views", 1, 1));
        request.topics.push_back(newTopic("dup", 1, 1));
        request.topics.push_back(newTopic("dup", 1, 1));
        request.topics.push_back(newTopic("bad-config", 1, 1, {{"no.such.config", "1"}}));
        auto response = node.call<CreateTopicsResponse>(makeCreateTopicsHandler, request, 4);
        QCOMPARE(response->topics[0].errorCode, err(ErrorCode::InvalidTopicException));
        QVERIFY(response->topics[0].errorMessage->find("collides with existing topic: page.views") !=
                std::string::npos);
        QCOMPARE(response->topics[1].errorMessage.value_or(""), std::string("Duplicate topic name."));
        QCOMPARE(response->topics[3].errorCode, err(ErrorCode::InvalidConfig));
        QVERIFY(response->topics[3].errorMessage->find("no.such.config") != std::string::npos);
    }

    void createTopicsV7ReportsWhatWasCreated() {
        Node node;
        CreateTopicsRequest request;
        request.topics.push_back(newTopic("events", -1, -1, {{"retention.ms", "1000"}}));
        auto response = node.call<CreateTopicsResponse>(makeCreateTopicsHandler, request, 7);
        const auto& t = response->topics.at(0);
        QCOMPARE(t.errorCode, kNone);
        QVERIFY(!t.errorMessage);
        auto info = node.metadata->topic("events");
        QVERIFY(info);
        QVERIFY(!t.topicId.isZero());
        QVERIFY(t.topicId == info->id);
        QCOMPARE(t.numPartitions, 1);  // num.partitions default
        QCOMPARE(t.replicationFactor, int16_t(1));
        QVERIFY(t.configs);
        QCOMPARE(t.configs->size(), storage::topicConfigDefs().size());
        auto* retention = findConfig(*t.configs, "retention.ms");
        QVERIFY(retention);
        QCOMPARE(retention->value.value_or(""), std::string("1000"));
        QCOMPARE(retention->configSource, kDynamicTopic);
        QCOMPARE(retention->readOnly, false);
        QCOMPARE(retention->isSensitive, false);
        auto* segment = findConfig(*t.configs, "segment.bytes");
        QCOMPARE(segment->value.value_or(""), std::string("536870912"));
        QCOMPARE(segment->configSource, kStaticBroker);
        auto* cleanup = findConfig(*t.configs, "cleanup.policy");
        QCOMPARE(cleanup->value.value_or(""), std::string("delete"));
        QCOMPARE(cleanup->configSource, kDefault);

        // validateOnly: the same answer, nothing created.
        CreateTopicsRequest check;
        check.validateOnly = true;
        check.topics.push_back(newTopic("dry-run", 4, 1));
        auto dry = node.call<CreateTopicsResponse>(makeCreateTopicsHandler, check, 5);
        QCOMPARE(dry->topics[0].errorCode, kNone);
        QCOMPARE(dry->topics[0].numPartitions, 4);
        QCOMPARE(dry->topics[0].replicationFactor, int16_t(1));
        QVERIFY(!node.metadata->topic("dry-run"));

        // A failure carries no configs and Kafka's -1 counts.
        CreateTopicsRequest existing;
        existing.topics.push_back(newTopic("events", 1, 1));
        auto failed = node.call<CreateTopicsResponse>(makeCreateTopicsHandler, existing, 7);
        QCOMPARE(failed->topics[0].errorCode, err(ErrorCode::TopicAlreadyExists));
        QCOMPARE(failed->topics[0].numPartitions, -1);
        QVERIFY(failed->topics[0].configs->empty());
    }

    void deleteTopicsByNameAndId() {
        Node node;
        node.createTopic("a", 2);
        node.createTopic("b", 1);
        node.createTopic("c", 1);
        node.produce("a", 0, 1);
        QVERIFY(node.logs->getLog("a", 0));

        DeleteTopicsRequest v1;
        v1.topicNames = {"a", "missing"};
        auto response = node.call<DeleteTopicsResponse>(makeDeleteTopicsHandler, v1, 1);
        QCOMPARE(response->responses.size(), size_t(2));
        QCOMPARE(response->responses[0].name.value_or(""), std::string("a"));
        QCOMPARE(response->responses[0].errorCode, kNone);
        QCOMPARE(response->responses[1].errorCode, err(ErrorCode::UnknownTopicOrPartition));
        QVERIFY(!node.metadata->topic("a"));
        QVERIFY(!node.logs->getLog("a", 0));

        const Uuid bId = node.metadata->topic("b")->id;
        DeleteTopicsRequest v6;
        v6.topics.push_back({std::nullopt, bId, {}});
        v6.topics.push_back({std::nullopt, Uuid::random(), {}});
        v6.topics.push_back({std::string("c"), Uuid{}, {}});
        v6.topics.push_back({std::string("missing"), Uuid{}, {}});
        auto byId = node.call<DeleteTopicsResponse>(makeDeleteTopicsHandler, v6, 6);
        QCOMPARE(byId->responses.size(), size_t(4));
        QCOMPARE(byId->responses[0].errorCode, kNone);
        QCOMPARE(byId->responses[0].name.value_or(""), std::string("b"));
        QVERIFY(byId->responses[0].topicId == bId);
        QCOMPARE(byId->responses[1].errorCode, err(ErrorCode::UnknownTopicId));
        QVERIFY(!byId->responses[1].name);
        QCOMPARE(byId->responses[2].errorCode, kNone);
        QVERIFY(!byId->responses[2].topicId.isZero());
        QCOMPARE(byId->responses[3].errorCode, err(ErrorCode::UnknownTopicOrPartition));
        QVERIFY(byId->responses[3].errorMessage);
        QVERIFY(node.metadata->topics().empty());
    }

    void createPartitions() {
        Node node;
        node.createTopic("grow", 1);
        CreatePartitionsRequest v0;
        v0.topics.push_back({"grow", 3, std::nullopt, {}});
        v0.topics.push_back({"missing", 3, std::nullopt, {}});
        auto response = node.call<CreatePartitionsResponse>(makeCreatePartitionsHandler, v0, 0);
        QCOMPARE(response->results[0].errorCode, kNone);
        QVERIFY(!response->results[0].errorMessage);
        QCOMPARE(response->results[1].errorCode, err(ErrorCode::UnknownTopicOrPartition));
        auto info = node.metadata->topic("grow");
        QCOMPARE(info->partitions.size(), size_t(3));
        QCOMPARE(info->partitions[2].replicas, std::vector<int32_t>({1}));
        QCOMPARE(info->partitions[2].leader, 1);
        node.produce("grow", 2, 1);  // the new partition takes writes

        CreatePartitionsRequest v3;
        v3.topics.push_back({"grow", 2, std::nullopt, {}});
        auto shrink = node.call<CreatePartitionsResponse>(makeCreatePartitionsHandler, v3, 3);
        QCOMPARE(shrink->results[0].errorCode, err(ErrorCode::InvalidPartitions));
        QCOMPARE(shrink->results[0].errorMessage.value_or(""),
                 std::string("The topic grow currently has 3 partition(s); 2 would not be an increase."));

        CreatePartitionsRequest same;
        same.topics.push_back({"grow", 3, std::nullopt, {}});
        QCOMPARE(node.call<CreatePartitionsResponse>(makeCreatePartitionsHandler, same, 3)->results[0].errorCode,
                 err(ErrorCode::InvalidPartitions));

        CreatePartitionsRequest wrongCount;
        wrongCount.topics.push_back(
            {"grow", 5, std::vector<CreatePartitionsRequest::CreatePartitionsAssignment>{{{1}, {}}}, {}});
        auto wrong = node.call<CreatePartitionsResponse>(makeCreatePartitionsHandler, wrongCount, 3);
        QCOMPARE(wrong->results[0].errorCode, err(ErrorCode::InvalidReplicaAssignment));

        CreatePartitionsRequest dry;
        dry.validateOnly = true;
        dry.topics.push_back(
            {"grow", 4, std::vector<CreatePartitionsRequest::CreatePartitionsAssignment>{{{1}, {}}}, {}});
        QCOMPARE(node.call<CreatePartitionsResponse>(makeCreatePartitionsHandler, dry, 2)->results[0].errorCode, kNone);
        QCOMPARE(node.metadata->topic("grow")->partitions.size(), size_t(3));
    }

    void describeTopicConfigsV0() {
        Node node;
        node.createTopic("t", 1, {{"retention.ms", "1000"}});
        DescribeConfigsRequest request;
        request.resources.push_back({kTopic, "t", std::vector<std::string>{"retention.ms", "cleanup.policy"}, {}});
        request.resources.push_back({kTopic, "missing", std::nullopt, {}});
        auto response = node.call<DescribeConfigsResponse>(makeDescribeConfigsHandler, request, 0);
        QCOMPARE(response->results.size(), size_t(2));
        const auto& r = response->results[0];
        QCOMPARE(r.errorCode, kNone);
        QCOMPARE(r.resourceName, std::string("t"));
        QCOMPARE(r.configs.size(), size_t(2));
        auto* retention = findConfig(r.configs, "retention.ms");
        QCOMPARE(retention->value.value_or(""), std::string("1000"));
        QCOMPARE(retention->isDefault, false);
        auto* cleanup = findConfig(r.configs, "cleanup.policy");
        QCOMPARE(cleanup->value.value_or(""), std::string("delete"));
        QCOMPARE(cleanup->isDefault, true);
        QCOMPARE(response->results[1].errorCode, err(ErrorCode::UnknownTopicOrPartition));
        QVERIFY(response->results[1].configs.empty());
    }

    void describeTopicConfigsV4WithSynonyms() {
        Node node;
        node.createTopic("t", 1, {{"retention.ms", "1000"}});
        DescribeConfigsRequest request;
        request.includeSynonyms = true;
        request.includeDocumentation = true;
        request.resources.push_back({kTopic, "t", std::nullopt, {}});
        auto response = node.call<DescribeConfigsResponse>(makeDescribeConfigsHandler, request, 4);
        const auto& configs = response->results.at(0).configs;
        QCOMPARE(configs.size(), storage::topicConfigDefs().size());

        auto* retention = findConfig(configs, "retention.ms");
        QCOMPARE(retention->configSource, kDynamicTopic);
        QCOMPARE(retention->configType, int8_t(5));  // LONG
        QCOMPARE(retention->readOnly, false);
        QCOMPARE(retention->isSensitive, false);
        QVERIFY(!retention->documentation);
        // log.retention.hours only stands in for log.retention.ms, so Kafka does not list it.
        QCOMPARE(retention->synonyms.size(), size_t(1));
        QCOMPARE(retention->synonyms[0].name, std::string("retention.ms"));
        QCOMPARE(retention->synonyms[0].source, kDynamicTopic);

        auto* segment = findConfig(configs, "segment.bytes");
        QCOMPARE(segment->value.value_or(""), std::string("536870912"));
        QCOMPARE(segment->configSource, kStaticBroker);
        QCOMPARE(segment->configType, int8_t(3));  // INT
        QCOMPARE(segment->synonyms.size(), size_t(2));
        QCOMPARE(segment->synonyms[0].name, std::string("log.segment.bytes"));
        QCOMPARE(segment->synonyms[0].value.value_or(""), std::string("536870912"));
        QCOMPARE(segment->synonyms[0].source, kStaticBroker);
        QCOMPARE(segment->synonyms[1].name, std::string("log.segment.bytes"));
        QCOMPARE(segment->synonyms[1].value.value_or(""), std::string("1073741824"));
        QCOMPARE(segment->synonyms[1].source, kDefault);

        auto* cleanup = findConfig(configs, "cleanup.policy");
        QCOMPARE(cleanup->configSource, kDefault);
        QCOMPARE(cleanup->configType, int8_t(7));  // LIST
        QCOMPARE(cleanup->synonyms.size(), size_t(1));
        QCOMPARE(cleanup->synonyms[0].name, std::string("log.cleanup.policy"));
        QCOMPARE(cleanup->synonyms[0].source, kDefault);

        auto* throttled = findConfig(configs, "leader.replication.throttled.replicas");
        QCOMPARE(throttled->configSource, kDefault);
        QVERIFY(throttled->synonyms.empty());

        // Without includeSynonyms the sources stay, the synonyms go.
        DescribeConfigsRequest plain;
        plain.resources.push_back({kTopic, "t", std::vector<std::string>{"segment.bytes"}, {}});
        auto v1 = node.call<DescribeConfigsResponse>(makeDescribeConfigsHandler, plain, 1);
        QCOMPARE(v1->results[0].configs.size(), size_t(1));
        QCOMPARE(v1->results[0].configs[0].configSource, kStaticBroker);
        QVERIFY(v1->results[0].configs[0].synonyms.empty());
    }

    void describeBrokerConfigs() {
        Node node;
        DescribeConfigsRequest request;
        request.includeSynonyms = true;
        request.resources.push_back({kBroker, "1", std::nullopt, {}});
        request.resources.push_back({kBroker, "2", std::nullopt, {}});
        request.resources.push_back({kBroker, "", std::nullopt, {}});
        request.resources.push_back({kBrokerLogger, "1", std::nullopt, {}});
        request.resources.push_back({kBrokerLogger, "", std::nullopt, {}});
        auto response = node.call<DescribeConfigsResponse>(makeDescribeConfigsHandler, request, 4);
        QCOMPARE(response->results.size(), size_t(5));
        const auto& mine = response->results[0];
        QCOMPARE(mine.errorCode, kNone);
        QCOMPARE(mine.configs.size(), brokerConfigDefs().size());
        auto* segment = findConfig(mine.configs, "log.segment.bytes");
        QVERIFY(segment);
        QCOMPARE(segment->value.value_or(""), std::string("536870912"));
        QCOMPARE(segment->configSource, kStaticBroker);
        QCOMPARE(segment->synonyms.size(), size_t(2));
        auto* partitions = findConfig(mine.configs, "num.partitions");
        QVERIFY(partitions);
        QCOMPARE(partitions->value.value_or(""), std::string("1"));
        QCOMPARE(partitions->configSource, kDefault);
        auto* nodeId = findConfig(mine.configs, "node.id");
        QVERIFY(nodeId);
        QCOMPARE(nodeId->readOnly, true);
        QCOMPARE(nodeId->configSource, kStaticBroker);
        for (const auto& c : mine.configs) {
            if (c.isSensitive) QVERIFY2(!c.value, c.name.c_str());
        }
        QCOMPARE(response->results[1].errorCode, err(ErrorCode::InvalidRequest));
        QVERIFY(response->results[1].errorMessage->find("Unexpected broker id") != std::string::npos);
        QCOMPARE(response->results[2].errorCode, kNone);
        QVERIFY(response->results[2].configs.empty());
        QCOMPARE(response->results[3].errorCode, kNone);
        QCOMPARE(response->results[4].errorCode, err(ErrorCode::InvalidRequest));
    }

    void alterConfigsReplacesTheOverrides() {
        Node node;
        node.createTopic("t", 2, {{"retention.ms", "1000"}, {"cleanup.policy", "compact"}});
        auto log0 = node.log("t", 0);
        QCOMPARE(log0->config().retentionMs, int64_t(1000));

        AlterConfigsRequest request;
        request.resources.push_back(
            {kTopic, "t", {{"retention.ms", std::string("5000")}, {"segment.ms", std::nullopt}}, {}});
        request.resources.push_back({kTopic, "missing", {{"retention.ms", std::string("1")}}, {}});
        auto response = node.call<AlterConfigsResponse>(makeAlterConfigsHandler, request, 0);
        QCOMPARE(response->responses[0].errorCode, kNone);
        QCOMPARE(response->responses[1].errorCode, err(ErrorCode::UnknownTopicOrPartition));
        auto stored = node.metadata->topic("t")->configs;
        QCOMPARE(stored, (std::map<std::string, std::string>{{"retention.ms", "5000"}}));
        // Applied to the open log: retention changed, cleanup.policy back to its default.
        QCOMPARE(log0->config().retentionMs, int64_t(5000));
        QCOMPARE(log0->config().compactEnabled, false);

        AlterConfigsRequest bad;
        bad.resources.push_back({kTopic, "t", {{"retention.ms", std::string("-7")}}, {}});
        bad.resources.push_back({kTopic, "t", {{"unknown.key", std::string("1")}}, {}});
        auto refused = node.call<AlterConfigsResponse>(makeAlterConfigsHandler, bad, 2);
        QCOMPARE(refused->responses[0].errorCode, err(ErrorCode::InvalidRequest));  // the same resource twice
        AlterConfigsRequest badValue;
        badValue.resources.push_back({kTopic, "t", {{"retention.ms", std::string("-7")}}, {}});
        auto invalid = node.call<AlterConfigsResponse>(makeAlterConfigsHandler, badValue, 2);
        QCOMPARE(invalid->responses[0].errorCode, err(ErrorCode::InvalidConfig));
        QVERIFY(invalid->responses[0].errorMessage->find("retention.ms") != std::string::npos);
        QCOMPARE(log0->config().retentionMs, int64_t(5000));

        AlterConfigsRequest dry;
        dry.validateOnly = true;
        dry.resources.push_back({kTopic, "t", {{"retention.ms", std::string("9000")}}, {}});
        QCOMPARE(node.call<AlterConfigsResponse>(makeAlterConfigsHandler, dry, 1)->responses[0].errorCode, kNone);
        QCOMPARE(node.metadata->topic("t")->configs.at("retention.ms"), std::string("5000"));

        AlterConfigsRequest brokerChange;
        // log.dirs is static: partitad refuses it as Kafka does (dynamic ones are in dynamicbrokerconfigs_test).
        brokerChange.resources.push_back({kBroker, "1", {{"log.dirs", std::string("/tmp/x")}}, {}});
        auto broker = node.call<AlterConfigsResponse>(makeAlterConfigsHandler, brokerChange, 1);
        QCOMPARE(broker->responses[0].errorCode, err(ErrorCode::InvalidRequest));
        QVERIFY(broker->responses[0].errorMessage->find("dynamic") != std::string::npos);
    }

    void incrementalAlterConfigs() {
        Node node;
        node.createTopic("t", 1, {{"retention.ms", "1000"}});
        auto log0 = node.log("t", 0);
        using Op = IncrementalAlterConfigsRequest::AlterableConfig;
        IncrementalAlterConfigsRequest request;
        request.resources.push_back(
            {kTopic,
             "t",
             {Op{"cleanup.policy", 2, std::string("compact"), {}}, Op{"segment.ms", 0, std::string("60000"), {}},
              Op{"retention.ms", 1, std::nullopt, {}}},
             {}});
        auto response = node.call<IncrementalAlterConfigsResponse>(makeIncrementalAlterConfigsHandler, request, 0);
        QCOMPARE(response->responses[0].errorCode, kNone);
        QCOMPARE(node.metadata->topic("t")->configs,
                 (std::map<std::string, std::string>{{"cleanup.policy", "delete,compact"}, {"segment.ms", "60000"}}));
        QCOMPARE(log0->config().compactEnabled, true);
        QCOMPARE(log0->config().deleteEnabled, true);
        QCOMPARE(log0->config().segmentMs, int64_t(60000));
        QCOMPARE(log0->config().retentionMs, int64_t(604800000));

        IncrementalAlterConfigsRequest subtract;
        subtract.resources.push_back({kTopic, "t", {Op{"cleanup.policy", 3, std::string("delete"), {}}}, {}});
        QCOMPARE(node.call<IncrementalAlterConfigsResponse>(makeIncrementalAlterConfigsHandler, subtract, 1)
                     ->responses[0]
                     .errorCode,
                 kNone);
        QCOMPARE(node.metadata->topic("t")->configs.at("cleanup.policy"), std::string("compact"));
        QCOMPARE(log0->config().deleteEnabled, false);

        IncrementalAlterConfigsRequest bad;
        bad.resources.push_back({kTopic, "t", {Op{"retention.ms", 2, std::string("5"), {}}}, {}});
        auto notList = node.call<IncrementalAlterConfigsResponse>(makeIncrementalAlterConfigsHandler, bad, 1);
        QCOMPARE(notList->responses[0].errorCode, err(ErrorCode::InvalidConfig));
        QVERIFY(notList->responses[0].errorMessage->find("LIST") != std::string::npos);

        IncrementalAlterConfigsRequest dup;
        dup.resources.push_back(
            {kTopic, "t", {Op{"segment.ms", 0, std::string("1"), {}}, Op{"segment.ms", 1, std::nullopt, {}}}, {}});
        auto dupResponse = node.call<IncrementalAlterConfigsResponse>(makeIncrementalAlterConfigsHandler, dup, 1);
        QCOMPARE(dupResponse->responses[0].errorCode, err(ErrorCode::InvalidRequest));

        IncrementalAlterConfigsRequest invalid;
        invalid.validateOnly = true;
        invalid.resources.push_back({kTopic, "t", {Op{"segment.bytes", 0, std::string("1"), {}}}, {}});
        auto tooSmall = node.call<IncrementalAlterConfigsResponse>(makeIncrementalAlterConfigsHandler, invalid, 1);
        QCOMPARE(tooSmall->responses[0].errorCode, err(ErrorCode::InvalidConfig));
        QVERIFY(tooSmall->responses[0].errorMessage->find("segment.bytes") != std::string::npos);

        IncrementalAlterConfigsRequest broker;
        broker.resources.push_back({kBroker, "1", {Op{"node.id", 0, std::string("2"), {}}}, {}});
        QCOMPARE(node.call<IncrementalAlterConfigsResponse>(makeIncrementalAlterConfigsHandler, broker, 1)
                     ->responses[0]
                     .errorCode,
                 err(ErrorCode::InvalidRequest));
    }

    void deleteRecords() {
        Node node;
        node.createTopic("t", 2);
        node.produce("t", 0, 4);  // offsets 0-19
        node.produce("t", 1, 2);  // offsets 0-9
        DeleteRecordsRequest v0;
        v0.topics.push_back({"t", {{0, 7, {}}, {1, -1, {}}, {5, 0, {}}}, {}});
        auto response = node.call<DeleteRecordsResponse>(makeDeleteRecordsHandler, v0, 0);
        const auto& parts = response->topics.at(0).partitions;
        QCOMPARE(parts.size(), size_t(3));
        QCOMPARE(parts[0].errorCode, kNone);
        QCOMPARE(parts[0].lowWatermark, int64_t(7));
        QCOMPARE(parts[1].errorCode, kNone);
        QCOMPARE(parts[1].lowWatermark, int64_t(10));
        QCOMPARE(parts[2].errorCode, err(ErrorCode::UnknownTopicOrPartition));
        QCOMPARE(parts[2].lowWatermark, int64_t(-1));
        QCOMPARE(node.log("t", 0)->logStartOffset(), int64_t(7));
        auto remaining = storagetest::readAll(*node.log("t", 0), node.log("t", 0)->highWatermark());
        QCOMPARE(remaining.front().offset, int64_t(7));
        QCOMPARE(remaining.size(), size_t(13));

        DeleteRecordsRequest v2;
        v2.topics.push_back({"t", {{0, 21, {}}, {0, 3, {}}}, {}});
        v2.topics.push_back({"missing", {{0, 1, {}}}, {}});
        auto second = node.call<DeleteRecordsResponse>(makeDeleteRecordsHandler, v2, 2);
        QCOMPARE(second->topics[0].partitions[0].errorCode, err(ErrorCode::OffsetOutOfRange));
        // Below the current start: nothing moves, the start is reported.
        QCOMPARE(second->topics[0].partitions[1].errorCode, kNone);
        QCOMPARE(second->topics[0].partitions[1].lowWatermark, int64_t(7));
        QCOMPARE(second->topics[1].partitions[0].errorCode, err(ErrorCode::UnknownTopicOrPartition));

        // A compact-only topic keeps its records.
        node.createTopic("compacted", 1, {{"cleanup.policy", "compact"}});
        node.produce("compacted", 0, 1);
        DeleteRecordsRequest compacted;
        compacted.topics.push_back({"compacted", {{0, 2, {}}}, {}});
        QCOMPARE(
            node.call<DeleteRecordsResponse>(makeDeleteRecordsHandler, compacted, 2)->topics[0].partitions[0].errorCode,
            err(ErrorCode::PolicyViolation));
    }

    void describeCluster() {
        Node node;
        node.metadata->registerBroker({2, {{"INTERNAL", "PLAINTEXT", "10.0.0.2", 19092}}, std::string("rack-b")});
        DescribeClusterRequest request;
        auto v0 = node.call<DescribeClusterResponse>(makeDescribeClusterHandler, request, 0);
        QCOMPARE(v0->errorCode, kNone);
        QCOMPARE(v0->clusterId, std::string("cluster-id"));
        QCOMPARE(v0->controllerId, 1);
        // Broker 2 has no PLAINTEXT listener: a client on PLAINTEXT could not reach it.
        QCOMPARE(v0->brokers.size(), size_t(1));
        QCOMPARE(v0->brokers[0].brokerId, 1);
        QCOMPARE(v0->brokers[0].host, std::string("localhost"));
        QCOMPARE(v0->brokers[0].port, 9092);
        QCOMPARE(v0->clusterAuthorizedOperations, INT32_MIN);

        request.includeClusterAuthorizedOperations = true;
        auto v1 = node.call<DescribeClusterResponse>(makeDescribeClusterHandler, request, 1);
        QCOMPARE(v1->endpointType, int8_t(1));
        QVERIFY(v1->clusterAuthorizedOperations & (1 << 8));   // DESCRIBE
        QVERIFY(v1->clusterAuthorizedOperations & (1 << 11));  // ALTER_CONFIGS

        node.connection.listenerName = "INTERNAL";
        auto internal = node.call<DescribeClusterResponse>(makeDescribeClusterHandler, request, 1);
        QCOMPARE(internal->brokers.size(), size_t(1));
        QCOMPARE(internal->brokers[0].brokerId, 2);
        QCOMPARE(internal->brokers[0].rack.value_or(""), std::string("rack-b"));

        request.endpointType = 2;
        auto controller = node.call<DescribeClusterResponse>(makeDescribeClusterHandler, request, 1);
        QCOMPARE(controller->errorCode, err(ErrorCode::MismatchedEndpointType));
    }

    void describeLogDirs() {
        Node node;
        node.createTopic("a", 2);
        node.createTopic("b", 1);
        node.produce("a", 0, 3);
        node.produce("b", 0, 1);
        const int64_t a0 = int64_t(node.log("a", 0)->sizeInBytes());
        QVERIFY(a0 > 0);

        DescribeLogDirsRequest all;
        all.topics = std::nullopt;
        auto v1 = node.call<DescribeLogDirsResponse>(makeDescribeLogDirsHandler, all, 1);
        QCOMPARE(v1->results.size(), size_t(1));
        const auto& dir = v1->results[0];
        QCOMPARE(dir.errorCode, kNone);
        QCOMPARE(dir.logDir, node.dir.path().toStdString() + "/data");
        QCOMPARE(dir.topics.size(), size_t(2));
        QCOMPARE(dir.topics[0].name, std::string("a"));
        QCOMPARE(dir.topics[0].partitions.size(), size_t(2));
        QCOMPARE(dir.topics[0].partitions[0].partitionSize, a0);
        QCOMPARE(dir.topics[0].partitions[1].partitionSize, int64_t(0));
        QCOMPARE(dir.topics[0].partitions[0].offsetLag, int64_t(0));
        QCOMPARE(dir.topics[0].partitions[0].isFutureKey, false);
        QCOMPARE(dir.totalBytes, int64_t(-1));  // not in v1

        DescribeLogDirsRequest some;
        some.topics = std::vector<DescribeLogDirsRequest::DescribableLogDirTopic>{{"a", {0, 7}, {}}, {"zzz", {0}, {}}};
        auto v4 = node.call<DescribeLogDirsResponse>(makeDescribeLogDirsHandler, some, 4);
        QCOMPARE(v4->errorCode, kNone);
        const auto& d4 = v4->results.at(0);
        QCOMPARE(d4.topics.size(), size_t(1));
        QCOMPARE(d4.topics[0].partitions.size(), size_t(1));
        QCOMPARE(d4.topics[0].partitions[0].partitionIndex, 0);
        QVERIFY(d4.totalBytes > 0);
        QVERIFY(d4.usableBytes >= 0);
        QVERIFY(d4.usableBytes <= d4.totalBytes);

        DescribeLogDirsRequest none;  // an empty list: no partitions
        auto empty = node.call<DescribeLogDirsResponse>(makeDescribeLogDirsHandler, none, 0);
        QVERIFY(empty->results.at(0).topics.empty());
    }

    void handlersDeclareTheCodecRange() {
        Node node;
        auto check = [&](std::unique_ptr<ApiHandler> h, int16_t key, int16_t max) {
            QCOMPARE(h->apiKey(), key);
            QCOMPARE(h->minVersion(), int16_t(0));
            QCOMPARE(h->maxVersion(), max);
        };
        check(makeCreateTopicsHandler(*node.context), 19, 7);
        check(makeDeleteTopicsHandler(*node.context), 20, 6);
        check(makeCreatePartitionsHandler(*node.context), 37, 3);
        check(makeDescribeConfigsHandler(*node.context), 32, 4);
        check(makeAlterConfigsHandler(*node.context), 33, 2);
        check(makeIncrementalAlterConfigsHandler(*node.context), 44, 1);
        check(makeDeleteRecordsHandler(*node.context), 21, 2);
        check(makeDescribeClusterHandler(*node.context), 60, 1);
        check(makeDescribeLogDirsHandler(*node.context), 35, 4);
    }
};

QTEST_GUILESS_MAIN(TestAdminHandlers)
#include "adminhandlers_test.moc"
