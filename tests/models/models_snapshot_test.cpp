// Tests of the broker, topic and partition models fed with hand-made snapshots: the states a real
// single-broker partitad or the mock cannot show (under-replicated, offline, sizes).
#include "models/brokermodel.h"
#include "models/partitionmodel.h"
#include "models/topicmodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace partita::models;

namespace {

PartitionInfo partition(int id, int leader, QList<int> replicas, QList<int> isr, qint64 size) {
    PartitionInfo p;
    p.partition = id;
    p.leader = leader;
    p.replicas = replicas;
    p.isr = isr;
    p.size = size;
    return p;
}

ClusterSnapshot healthy() {
    ClusterSnapshot s;
    s.controllerId = 2;
    for (int id : {1, 2, 3}) {
        BrokerInfo b;
        b.id = id;
        b.host = QStringLiteral("b%1").arg(id);
        b.port = 9092;
        b.controller = id == 2;
        b.partitionsLed = 1;
        b.logDirBytes = 1000 * id;
        s.brokers.push_back(b);
    }
    TopicInfo orders;
    orders.name = QStringLiteral("orders");
    orders.partitions = {partition(0, 1, {1, 2, 3}, {1, 2, 3}, 100), partition(1, 2, {2, 3, 1}, {2, 3, 1}, 200),
                         partition(2, 3, {3, 1, 2}, {3, 1, 2}, 300)};
    TopicInfo offsets;
    offsets.name = QStringLiteral("__consumer_offsets");
    offsets.internal = true;
    offsets.partitions = {partition(0, 1, {1}, {1}, 5)};
    s.topics = {offsets, orders};
    return s;
}

}  // namespace

class ModelsSnapshotTest : public QObject {
    Q_OBJECT
private slots:
    void partitionsStandOutWhenUnhealthy() {
        PartitionModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ClusterSnapshot s = healthy();
        model.setTopic(QStringLiteral("orders"), s);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.summary().underReplicated, 0);
        QVERIFY(!model.index(0, 0).data(PartitionModel::UnderReplicatedRole).toBool());
        QCOMPARE(model.index(1, PartitionModel::ReplicasColumn).data().toString(), QStringLiteral("2, 3, 1"));

        QSignalSpy summary(&model, &PartitionModel::summaryChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QPersistentModelIndex last(model.index(2, 0));
        auto& parts = s.topics[1].partitions;
        parts[1].isr = {2};                               // under-replicated
        parts[2] = partition(2, -1, {3, 1, 2}, {}, 300);  // offline
        parts[2].offlineReplicas = {3, 1, 2};
        model.setSnapshot(s);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);  // rows 1 and 2 in one range
        QCOMPARE(summary.count(), 1);
        QCOMPARE(model.summary().underReplicated, 2);  // an offline partition has no ISR either
        QCOMPARE(model.summary().offline, 1);
        QVERIFY(model.index(1, 0).data(PartitionModel::UnderReplicatedRole).toBool());
        QVERIFY(!model.index(1, 0).data(PartitionModel::OfflineRole).toBool());
        QVERIFY(model.index(2, 0).data(PartitionModel::OfflineRole).toBool());
        QCOMPARE(model.index(2, PartitionModel::LeaderColumn).data().toString(), QStringLiteral("none"));
        QCOMPARE(model.index(2, PartitionModel::OfflineReplicasColumn).data().toString(), QStringLiteral("3, 1, 2"));
        QVERIFY(last.isValid());
        QVERIFY(model.summaryText().contains(QStringLiteral("1 offline")));

        // The topic disappears: its rows are removed, not reset.
        s.topics.pop_back();
        model.setSnapshot(s);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(reset.count(), 0);
    }

    void topicsCountProblemsAndHideInternal() {
        TopicModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ClusterSnapshot s = healthy();
        s.topics[1].partitions[0].isr = {1};
        model.setSnapshot(s);
        const int orders = model.rowOf(QStringLiteral("orders"));
        QCOMPARE(model.index(orders, TopicModel::PartitionsColumn).data().toInt(), 3);
        QCOMPARE(model.index(orders, TopicModel::ReplicationColumn).data().toInt(), 3);
        QCOMPARE(model.index(orders, TopicModel::UnderReplicatedColumn).data().toInt(), 1);
        QCOMPARE(model.index(orders, TopicModel::OfflineColumn).data().toInt(), 0);
        QCOMPARE(model.index(orders, TopicModel::SizeColumn).data(TopicModel::SortRole).toLongLong(), 600);
        QVERIFY(!model.index(orders, TopicModel::SizeColumn).data().toString().isEmpty());
        QVERIFY(model.index(orders, 0).data(TopicModel::ProblemRole).toBool());

        // What a "show internal topics" toggle does: filter on InternalRole.
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilterRole(TopicModel::InternalRole);
        proxy.setFilterFixedString(QStringLiteral("false"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("orders"));
    }

    void brokersShowControllerAndSizes() {
        BrokerModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(healthy());
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.index(1, BrokerModel::ControllerColumn).data(BrokerModel::ControllerRole).toBool());
        QVERIFY(model.index(0, BrokerModel::ControllerColumn).data().toString().isEmpty());
        QCOMPARE(model.index(2, BrokerModel::SizeColumn).data(BrokerModel::SortRole).toLongLong(), 3000);
        QCOMPARE(model.index(0, BrokerModel::AddressColumn).data().toString(), QStringLiteral("b1:9092"));
        QCOMPARE(model.headerData(BrokerModel::LeaderCountColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Partitions led"));

        // Broker 3 leaves, broker 4 joins, the controller moves: no reset.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        ClusterSnapshot s = healthy();
        s.brokers.pop_back();
        s.brokers[1].controller = false;
        s.brokers[0].controller = true;
        BrokerInfo b4;
        b4.id = 4;
        s.brokers.push_back(b4);
        model.setSnapshot(s);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2, BrokerModel::IdColumn).data().toInt(), 4);
        QVERIFY(model.index(0, BrokerModel::ControllerColumn).data(BrokerModel::ControllerRole).toBool());
        QCOMPARE(reset.count(), 0);
    }
};

QTEST_GUILESS_MAIN(ModelsSnapshotTest)
#include "models_snapshot_test.moc"
