// Admin against a real partitad: cluster, topics, configs, log dirs, and the operations partitad
// does not have (ACLs, SCRAM, elections, reassignments) failing plainly.
#include "clienttestutil.h"

#include <QTest>

#include <algorithm>

using namespace partita;
using namespace partita::client;
using partita::tests::contains;
using partita::tests::waitFor;

namespace {

const ConfigEntry* findEntry(const ResourceConfig& config, const std::string& name) {
    auto it = std::find_if(config.entries.begin(), config.entries.end(),
                           [&](const ConfigEntry& e) { return e.name == name; });
    return it == config.entries.end() ? nullptr : &*it;
}

}  // namespace

class AdminTopicsTest : public QObject, protected tests::AdminFixture {
    Q_OBJECT

private:
    Result<std::vector<CreatedTopic>> create(std::vector<NewTopic> topics, CreateTopicsOptions options = {}) {
        return waitFor<std::vector<CreatedTopic>>(
            [&](auto done) { m_admin->createTopics(std::move(topics), options, std::move(done)); });
    }
    Result<std::vector<TopicListing>> list(bool internal = false) {
        return waitFor<std::vector<TopicListing>>([&](auto done) { m_admin->listTopics(internal, std::move(done)); });
    }
    bool listed(const std::string& name) {
        auto topics = list();
        if (!topics.ok()) qFatal("listTopics failed: %s", topics.error().message.c_str());
        return std::any_of(topics->begin(), topics->end(), [&](const TopicListing& t) { return t.name == name; });
    }
    Result<std::vector<TopicDescription>> describe(std::vector<std::string> names) {
        return waitFor<std::vector<TopicDescription>>(
            [&](auto done) { m_admin->describeTopics(std::move(names), std::move(done)); });
    }
    Result<std::vector<ResourceConfig>> configs(ConfigResource resource, DescribeConfigsOptions options = {}) {
        return waitFor<std::vector<ResourceConfig>>(
            [&](auto done) { m_admin->describeConfigs({resource}, options, std::move(done)); });
    }
    Result<std::vector<ResourceStatus>> alter(ConfigResource resource, std::vector<ConfigOp> ops) {
        return waitFor<std::vector<ResourceStatus>>([&](auto done) {
            m_admin->incrementalAlterConfigs({{resource, std::move(ops)}}, false, std::move(done));
        });
    }

private slots:
    void initTestCase() { QVERIFY(startPartitad({"num.partitions=3"})); }

    void cleanupTestCase() { stopCluster(); }

    void describeClusterNamesTheBrokerAndController() {
        auto cluster = waitFor<ClusterDescription>([&](auto done) { m_admin->describeCluster(std::move(done)); });
        QVERIFY2(cluster.ok(), cluster.ok() ? "" : cluster.error().message.c_str());
        QVERIFY(!cluster->clusterId.empty());
        QCOMPARE(cluster->brokers.size(), size_t(1));
        const BrokerDescription& broker = cluster->brokers.front();
        QCOMPARE(broker.id, 1);
        QCOMPARE(broker.port, m_broker->port());
        QCOMPARE(cluster->controllerId, 1);
        QVERIFY(broker.isController);
    }

    void createdTopicIsListedWithThreePartitions() {
        auto created = create({{"orders", 3, 1, {}, {}}});
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        QCOMPARE(created->size(), size_t(1));
        QVERIFY2(created->front().status.ok(), created->front().status.error().message.c_str());

        auto topics = list();
        QVERIFY(topics.ok());
        auto it =
            std::find_if(topics->begin(), topics->end(), [](const TopicListing& t) { return t.name == "orders"; });
        QVERIFY(it != topics->end());
        QCOMPARE(it->partitionCount, 3);
        QVERIFY(!it->internal);

        auto described = describe({"orders"});
        QVERIFY(described.ok());
        QCOMPARE(described->size(), size_t(1));
        const TopicDescription& d = described->front();
        QVERIFY(d.status.ok());
        QVERIFY(!d.topicId.isZero());
        QCOMPARE(d.partitions.size(), size_t(3));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(d.partitions[size_t(i)].partition, i);
            QCOMPARE(d.partitions[size_t(i)].leader, 1);
            QCOMPARE(d.partitions[size_t(i)].replicas, std::vector<int32_t>{1});
            QCOMPARE(d.partitions[size_t(i)].isr, std::vector<int32_t>{1});
        }
    }

    void creatingAnExistingTopicSaysTopicAlreadyExists() {
        auto first = create({{"twice", 1, 1, {}, {}}});
        QVERIFY(first.ok() && first->front().status.ok());
        auto second = create({{"twice", 1, 1, {}, {}}});
        QVERIFY(second.ok());
        const Status& status = second->front().status;
        QVERIFY(!status.ok());
        QCOMPARE(status.error().kind, ErrorKind::Broker);
        qInfo("%s", status.error().message.c_str());
        QCOMPARE(status.error().kafkaCode, int16_t(36));
        QVERIFY2(contains(status.error().message, "TOPIC_ALREADY_EXISTS"), status.error().message.c_str());
        QVERIFY2(contains(status.error().message, "twice"), status.error().message.c_str());
    }

    void brokerDefaultsApplyWhenCountsAreMinusOne() {
        auto created = create({{"defaults", -1, -1, {}, {}}});
        QVERIFY(created.ok());
        QVERIFY2(created->front().status.ok(), created->front().status.error().message.c_str());
        auto described = describe({"defaults"});
        QVERIFY(described.ok());
        QCOMPARE(described->front().partitions.size(), size_t(3));  // num.partitions=3
    }

    void explicitAssignmentPlacesReplicas() {
        NewTopic topic;
        topic.name = "assigned";
        topic.replicaAssignment = {{0, {1}}, {1, {1}}};
        auto created = create({topic});
        QVERIFY(created.ok());
        QVERIFY2(created->front().status.ok(), created->front().status.error().message.c_str());
        auto described = describe({"assigned"});
        QVERIFY(described.ok());
        QCOMPARE(described->front().partitions.size(), size_t(2));
    }

    void validateOnlyCreatesNothing() {
        CreateTopicsOptions options;
        options.validateOnly = true;
        auto created = create({{"dry-run", 2, 1, {}, {}}}, options);
        QVERIFY(created.ok());
        QVERIFY(created->front().status.ok());
        QVERIFY(!listed("dry-run"));
    }

    void describingAnUnknownTopicNamesIt() {
        auto described = describe({"orders", "no-such-topic"});
        QVERIFY(described.ok());
        QCOMPARE(described->size(), size_t(2));
        QVERIFY((*described)[0].status.ok());
        const Status& missing = (*described)[1].status;
        QVERIFY(!missing.ok());
        QVERIFY2(contains(missing.error().message, "no-such-topic"), missing.error().message.c_str());
        QVERIFY2(contains(missing.error().message, "UNKNOWN_TOPIC_OR_PARTITION"), missing.error().message.c_str());
        // Describing must not have created it.
        QVERIFY(!listed("no-such-topic"));
    }

    void createPartitionsGrowsATopic() {
        QVERIFY(create({{"growing", 2, 1, {}, {}}}).ok());
        auto grown = waitFor<std::vector<ItemStatus>>([&](auto done) {
            m_admin->createPartitions({{"growing", 5, {}}}, false, std::move(done));
        });
        QVERIFY(grown.ok());
        QVERIFY2(grown->front().status.ok(), grown->front().status.error().message.c_str());
        auto described = describe({"growing"});
        QVERIFY(described.ok());
        QCOMPARE(described->front().partitions.size(), size_t(5));

        // Fewer partitions than it has is refused, naming the topic.
        auto shrunk = waitFor<std::vector<ItemStatus>>([&](auto done) {
            m_admin->createPartitions({{"growing", 2, {}}}, false, std::move(done));
        });
        QVERIFY(shrunk.ok());
        QVERIFY(!shrunk->front().status.ok());
        QVERIFY2(contains(shrunk->front().status.error().message, "INVALID_PARTITIONS"),
                 shrunk->front().status.error().message.c_str());
        QVERIFY(contains(shrunk->front().status.error().message, "growing"));
    }

    void deletedTopicIsNoLongerListed() {
        QVERIFY(create({{"doomed", 1, 1, {}, {}}}).ok());
        QVERIFY(listed("doomed"));
        auto deleted =
            waitFor<std::vector<ItemStatus>>([&](auto done) { m_admin->deleteTopics({"doomed"}, std::move(done)); });
        QVERIFY(deleted.ok());
        QVERIFY2(deleted->front().status.ok(), deleted->front().status.error().message.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(!listed("doomed"), 10000);

        auto again =
            waitFor<std::vector<ItemStatus>>([&](auto done) { m_admin->deleteTopics({"doomed"}, std::move(done)); });
        QVERIFY(again.ok());
        QVERIFY(!again->front().status.ok());
        QVERIFY2(contains(again->front().status.error().message, "UNKNOWN_TOPIC_OR_PARTITION"),
                 again->front().status.error().message.c_str());
    }

    void topicConfigsShowTheirSource() {
        QVERIFY(create({{"configured", 1, 1, {}, {{"cleanup.policy", "compact"}}}}).ok());
        auto described = configs(ConfigResource::topic("configured"));
        QVERIFY2(described.ok(), described.ok() ? "" : described.error().message.c_str());
        QVERIFY(described->front().status.ok());
        const ConfigEntry* policy = findEntry(described->front(), "cleanup.policy");
        QVERIFY(policy != nullptr);
        QCOMPARE(policy->value, std::optional<std::string>("compact"));
        QCOMPARE(policy->source, ConfigSource::DynamicTopicConfig);
        QCOMPARE(std::string(configSourceName(policy->source)), std::string("DYNAMIC_TOPIC_CONFIG"));
        QVERIFY(!policy->isDefault);
        const ConfigEntry* retention = findEntry(described->front(), "retention.ms");
        QVERIFY(retention != nullptr);
        QVERIFY(retention->source != ConfigSource::DynamicTopicConfig);
    }

    void incrementalAlterThenDescribeShowsTheTopicValue() {
        QVERIFY(create({{"tuned", 1, 1, {}, {}}}).ok());
        auto altered = alter(ConfigResource::topic("tuned"), {{"retention.ms", ConfigOpType::Set, "123456"}});
        QVERIFY2(altered.ok(), altered.ok() ? "" : altered.error().message.c_str());
        QVERIFY2(altered->front().status.ok(), altered->front().status.error().message.c_str());

        DescribeConfigsOptions options;
        options.configNames = {"retention.ms"};
        options.includeSynonyms = true;
        options.includeDocumentation = true;
        auto described = configs(ConfigResource::topic("tuned"), options);
        QVERIFY(described.ok());
        QCOMPARE(described->front().entries.size(), size_t(1));
        const ConfigEntry& retention = described->front().entries.front();
        QCOMPARE(retention.value, std::optional<std::string>("123456"));
        QCOMPARE(retention.source, ConfigSource::DynamicTopicConfig);
        QCOMPARE(retention.type, ConfigType::Long);
        QVERIFY(!retention.synonyms.empty());
        QCOMPARE(retention.synonyms.front().source, ConfigSource::DynamicTopicConfig);

        // DELETE goes back to the default.
        auto reverted = alter(ConfigResource::topic("tuned"), {{"retention.ms", ConfigOpType::Delete, {}}});
        QVERIFY(reverted.ok() && reverted->front().status.ok());
        auto after = configs(ConfigResource::topic("tuned"), options);
        QVERIFY(after.ok());
        QVERIFY(after->front().entries.front().source != ConfigSource::DynamicTopicConfig);
        QVERIFY(after->front().entries.front().value != std::optional<std::string>("123456"));
    }

    void legacyAlterReplacesTheWholeSet() {
        QVERIFY(create({{"replaced", 1, 1, {}, {{"cleanup.policy", "compact"}}}}).ok());
        auto altered = waitFor<std::vector<ResourceStatus>>([&](auto done) {
            m_admin->alterConfigs({{ConfigResource::topic("replaced"), {{"max.message.bytes", "2048"}}}}, false,
                                  std::move(done));
        });
        QVERIFY(altered.ok());
        QVERIFY2(altered->front().status.ok(), altered->front().status.error().message.c_str());
        auto described = configs(ConfigResource::topic("replaced"));
        QVERIFY(described.ok());
        const ConfigEntry* size = findEntry(described->front(), "max.message.bytes");
        QVERIFY(size && size->value == std::optional<std::string>("2048"));
        QCOMPARE(size->source, ConfigSource::DynamicTopicConfig);
        const ConfigEntry* policy = findEntry(described->front(), "cleanup.policy");
        QVERIFY(policy != nullptr);
        QVERIFY(policy->source != ConfigSource::DynamicTopicConfig);  // no longer overridden
    }

    void invalidConfigNameIsRefusedByName() {
        auto altered = alter(ConfigResource::topic("orders"), {{"no.such.config", ConfigOpType::Set, "1"}});
        QVERIFY(altered.ok());
        const Status& status = altered->front().status;
        QVERIFY(!status.ok());
        QVERIFY2(contains(status.error().message, "INVALID_CONFIG"), status.error().message.c_str());
        QVERIFY2(contains(status.error().message, "no.such.config"), status.error().message.c_str());
        QVERIFY2(contains(status.error().message, "orders"), status.error().message.c_str());
    }

    void configsOfAnUnknownTopicFail() {
        auto described = configs(ConfigResource::topic("nowhere"));
        QVERIFY(described.ok());
        QVERIFY(!described->front().status.ok());
        QVERIFY(contains(described->front().status.error().message, "UNKNOWN_TOPIC_OR_PARTITION"));
    }

    void brokerConfigsComeFromThatBroker() {
        auto described = configs(ConfigResource::broker(1), {{"num.partitions", "log.retention.hours"}, true, false});
        QVERIFY2(described.ok(), described.ok() ? "" : described.error().message.c_str());
        QVERIFY2(described->front().status.ok(), described->front().status.error().message.c_str());
        const ConfigEntry* partitions = findEntry(described->front(), "num.partitions");
        QVERIFY(partitions != nullptr);
        QCOMPARE(partitions->value, std::optional<std::string>("3"));  // the --override
        QVERIFY(partitions->source != ConfigSource::DefaultConfig);
        QVERIFY(findEntry(described->front(), "log.retention.hours") != nullptr);
    }

    void describeLogDirsListsTheTopicsPartitions() {
        auto dirs =
            waitFor<std::vector<BrokerLogDirs>>([&](auto done) { m_admin->describeLogDirs({}, std::move(done)); });
        QVERIFY2(dirs.ok(), dirs.ok() ? "" : dirs.error().message.c_str());
        QCOMPARE(dirs->size(), size_t(1));
        const BrokerLogDirs& broker = dirs->front();
        QCOMPARE(broker.brokerId, 1);
        QVERIFY(broker.status.ok());
        QVERIFY(!broker.dirs.empty());
        int ordersPartitions = 0;
        for (const auto& dir : broker.dirs) {
            QVERIFY(dir.status.ok());
            QVERIFY(!dir.path.empty());
            for (const auto& p : dir.partitions)
                if (p.partition.topic == "orders") ++ordersPartitions;
        }
        QCOMPARE(ordersPartitions, 3);
    }

    void aclsAreUnsupportedByPartitadAndSaySo() {
        auto acls = waitFor<std::vector<AclBinding>>([&](auto done) { m_admin->describeAcls({}, std::move(done)); });
        QVERIFY(!acls.ok());
        qInfo("%s", acls.error().message.c_str());
        QCOMPARE(acls.error().kind, ErrorKind::Unsupported);
        QVERIFY2(contains(acls.error().message, "DescribeAcls"), acls.error().message.c_str());

        AclBinding binding;
        binding.resourceName = "orders";
        binding.principal = "User:alice";
        binding.operation = AclOperation::Read;
        auto created = waitFor<std::vector<AclCreationResult>>(
            [&](auto done) { m_admin->createAcls({binding}, std::move(done)); });
        QVERIFY(!created.ok());
        QCOMPARE(created.error().kind, ErrorKind::Unsupported);
        QVERIFY2(contains(created.error().message, "CreateAcls"), created.error().message.c_str());
    }

    void scramElectionsAndReassignmentsAreUnsupportedAndSaySo() {
        auto users = waitFor<std::vector<UserScramCredentials>>(
            [&](auto done) { m_admin->describeUserScramCredentials({}, std::move(done)); });
        QVERIFY(!users.ok());
        QCOMPARE(users.error().kind, ErrorKind::Unsupported);
        QVERIFY2(contains(users.error().message, "DescribeUserScramCredentials"), users.error().message.c_str());

        auto altered = waitFor<std::vector<ItemStatus>>([&](auto done) {
            m_admin->alterUserScramCredentials({{"alice", ScramMechanism::ScramSha256, 4096, "secret"}}, {},
                                               std::move(done));
        });
        QVERIFY(!altered.ok());
        QCOMPARE(altered.error().kind, ErrorKind::Unsupported);
        QVERIFY(!contains(altered.error().message, "secret"));

        auto elected = waitFor<std::vector<PartitionStatus>>(
            [&](auto done) { m_admin->electLeaders(ElectionType::Preferred, std::nullopt, std::move(done)); });
        QVERIFY(!elected.ok());
        QCOMPARE(elected.error().kind, ErrorKind::Unsupported);
        QVERIFY2(contains(elected.error().message, "ElectLeaders"), elected.error().message.c_str());

        auto reassignments = waitFor<std::vector<PartitionReassignment>>(
            [&](auto done) { m_admin->listPartitionReassignments(std::nullopt, std::move(done)); });
        QVERIFY(!reassignments.ok());
        QCOMPARE(reassignments.error().kind, ErrorKind::Unsupported);
        QVERIFY(contains(reassignments.error().message, "ListPartitionReassignments"));
    }

    void aScramChangeThatCannotBePreparedFailsForThatUserOnly() {
        // Nothing reaches the broker (which lacks the API): the bad upsertion is refused here.
        auto altered = waitFor<std::vector<ItemStatus>>([&](auto done) {
            m_admin->alterUserScramCredentials({{"bob", ScramMechanism::Unknown, 4096, "pw"}}, {}, std::move(done));
        });
        QVERIFY2(altered.ok(), altered.ok() ? "" : altered.error().message.c_str());
        QCOMPARE(altered->size(), size_t(1));
        QCOMPARE(altered->front().name, std::string("bob"));
        QVERIFY(!altered->front().status.ok());
        QCOMPARE(altered->front().status.error().kind, ErrorKind::InvalidArgument);
        QVERIFY(contains(altered->front().status.error().message, "bob"));
    }

    void aclAndScramNamesPrintAndParseLikeKafka() {
        QCOMPARE(std::string(aclOperationName(AclOperation::DescribeConfigs)), std::string("DESCRIBE_CONFIGS"));
        QCOMPARE(parseAclOperation("describe-configs"), std::optional<AclOperation>(AclOperation::DescribeConfigs));
        QCOMPARE(std::string(aclResourceTypeName(AclResourceType::TransactionalId)), std::string("TRANSACTIONAL_ID"));
        QCOMPARE(parseAclPatternType("prefixed"), std::optional<AclPatternType>(AclPatternType::Prefixed));
        QCOMPARE(parseAclPermission("nope"), std::optional<AclPermission>());
        QCOMPARE(std::string(scramMechanismName(ScramMechanism::ScramSha512)), std::string("SCRAM-SHA-512"));
        QCOMPARE(parseScramMechanism("scram-sha-256"), std::optional<ScramMechanism>(ScramMechanism::ScramSha256));
        auto ops = authorizedOperationsFromBits((1 << 3) | (1 << 8));
        QVERIFY(ops.has_value());
        QCOMPARE(*ops, (std::vector<AclOperation>{AclOperation::Read, AclOperation::Describe}));
        QVERIFY(!authorizedOperationsFromBits(INT32_MIN).has_value());
    }
};

QTEST_GUILESS_MAIN(AdminTopicsTest)
#include "admin_topics_test.moc"
