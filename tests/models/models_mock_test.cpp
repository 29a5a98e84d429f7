// Tests of ClusterSession and its models against librdkafka's mock cluster (a Kafka broker
// implementation nobody here wrote): three brokers, a replicated topic, a broker taken down.
#include "clienttestutil.h"

#include "models/brokermodel.h"
#include "models/clustersession.h"
#include "models/partitionmodel.h"
#include "models/topicmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace partita;
using namespace partita::models;

namespace {

void printSnapshot(const ClusterSnapshot& s) {
    qInfo() << "snapshot" << s.sequence << "controller" << s.controllerId << "warnings" << s.warnings;
    for (const auto& b : s.brokers)
        qInfo() << " broker" << b.id << b.host << b.port << "reachable" << b.reachable << b.unreachableReason << "led"
                << b.partitionsLed << "bytes" << b.logDirBytes;
    if (const TopicInfo* t = s.findTopic("t"))
        for (const auto& p : t->partitions)
            qInfo() << " t-" << p.partition << "leader" << p.leader << "replicas" << p.replicas << "isr" << p.isr
                    << "offline" << p.offlineReplicas << p.error;
}

}  // namespace

class ModelsMockTest : public QObject {
    Q_OBJECT
private slots:
    void modelsOfAReplicatedCluster() {
        tests::MockCluster mock;
        QVERIFY(mock.start(3, {"t:4:3"}));

        ClusterSession session(tests::clientConfig(
            mock.bootstrap(), {{"request.timeout.ms", "2000"}, {"socket.connection.setup.timeout.ms", "2000"}}));
        session.setRefreshInterval(500);
        BrokerModel brokers;
        TopicModel topics;
        PartitionModel partitions;
        QAbstractItemModelTester brokerTester(&brokers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester topicTester(&topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester partitionTester(&partitions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&session, &ClusterSession::snapshotReady, &brokers, &BrokerModel::setSnapshot);
        connect(&session, &ClusterSession::snapshotReady, &topics, &TopicModel::setSnapshot);
        connect(&session, &ClusterSession::snapshotReady, &partitions, &PartitionModel::setSnapshot);
        partitions.setTopic(QStringLiteral("t"));

        QTRY_VERIFY_WITH_TIMEOUT(session.state() == ClusterSession::State::Connected, 30000);
        QCOMPARE(brokers.rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QVERIFY(brokers.index(row, BrokerModel::ReachableColumn).data(BrokerModel::ReachableRole).toBool());
        const int t = topics.rowOf("t");
        QVERIFY(t >= 0);
        QCOMPARE(topics.index(t, TopicModel::PartitionsColumn).data().toInt(), 4);
        QCOMPARE(topics.index(t, TopicModel::ReplicationColumn).data().toInt(), 3);
        QCOMPARE(partitions.rowCount(), 4);
        for (int row = 0; row < 4; ++row) {
            QCOMPARE(partitions.partition(row)->replicas.size(), 3);
            QCOMPARE(partitions.index(row, PartitionModel::ReplicasColumn).data().toString().count(','), 2);
        }

        // Message counts: the refresh's ListOffsets reach each partition's leader.
        QVERIFY(tests::kcatProduceNumbered(mock.bootstrap(), "t", 0, 7));
        QVERIFY(tests::kcatProduceNumbered(mock.bootstrap(), "t", 1, 3));
        QTRY_VERIFY_WITH_TIMEOUT(
            topics.index(topics.rowOf("t"), TopicModel::MessagesColumn).data(TopicModel::SortRole).toLongLong() == 10,
            30000);
        QCOMPARE(partitions.index(0, PartitionModel::EndOffsetColumn).data().toLongLong(), 7);
        QCOMPARE(partitions.index(0, PartitionModel::StartOffsetColumn).data().toLongLong(), 0);
        QCOMPARE(partitions.index(1, PartitionModel::MessagesColumn).data().toLongLong(), 3);
        QCOMPARE(partitions.summary().messages, 10);

        QSignalSpy brokerReset(&brokers, &QAbstractItemModel::modelReset);
        QVERIFY(mock.command("down 2"));
        const quint64 before = session.snapshot()->sequence;
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(session.snapshot()->sequence > before + 1, 30000);
        printSnapshot(*session.snapshot());

        // The mock closes broker 2's connections and refuses new ones, but its metadata keeps
        // listing broker 2 with the same leaders and a full ISR (printed above): the models show
        // that as it is, and the broker table marks broker 2 unreachable from its own probe.
        QTRY_VERIFY_WITH_TIMEOUT(
            !brokers.index(1, BrokerModel::ReachableColumn).data(BrokerModel::ReachableRole).toBool(), 30000);
        QCOMPARE(brokers.index(1, BrokerModel::IdColumn).data().toInt(), 2);
        QCOMPARE(brokers.index(1, BrokerModel::ReachableColumn).data().toString(), QStringLiteral("No"));
        QVERIFY(!brokers.index(1, BrokerModel::ReachableColumn).data(Qt::ToolTipRole).toString().isEmpty());
        QVERIFY(brokers.index(0, BrokerModel::ReachableColumn).data(BrokerModel::ReachableRole).toBool());
        QVERIFY(brokers.index(2, BrokerModel::ReachableColumn).data(BrokerModel::ReachableRole).toBool());
        QCOMPARE(brokers.rowCount(), 3);
        QCOMPARE(brokerReset.count(), 0);
        QCOMPARE(session.state(), ClusterSession::State::Connected);

        const TopicInfo* reported = session.snapshot()->findTopic("t");
        QVERIFY(reported != nullptr);
        QCOMPARE(topics.index(topics.rowOf("t"), TopicModel::UnderReplicatedColumn).data().toInt(),
                 reported->underReplicatedCount());
        QCOMPARE(topics.index(topics.rowOf("t"), TopicModel::OfflineColumn).data().toInt(), reported->offlineCount());
        QCOMPARE(partitions.summary().underReplicated, reported->underReplicatedCount());
        QCOMPARE(partitions.summary().offline, reported->offlineCount());
        for (int row = 0; row < 4; ++row) {
            const PartitionInfo& p = reported->partitions[size_t(row)];
            QCOMPARE(partitions.index(row, PartitionModel::LeaderColumn).data().toString(), QString::number(p.leader));
            QCOMPARE(partitions.index(row, 0).data(PartitionModel::UnderReplicatedRole).toBool(), p.underReplicated());
        }

        // Back up: reachable again, by itself.
        QVERIFY(mock.command("up 2"));
        QTRY_VERIFY_WITH_TIMEOUT(
            brokers.index(1, BrokerModel::ReachableColumn).data(BrokerModel::ReachableRole).toBool(), 30000);
        QCOMPARE(brokerReset.count(), 0);
    }
};

QTEST_GUILESS_MAIN(ModelsMockTest)
#include "models_mock_test.moc"
