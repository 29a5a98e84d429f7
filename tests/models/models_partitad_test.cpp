// Tests of ClusterSession and the broker, topic and partition models against a real partitad:
// what a user sees after refreshes, that refreshes never reset, and losing / regaining the broker.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "models/brokermodel.h"
#include "models/clustersession.h"
#include "models/partitionmodel.h"
#include "models/topicmodel.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace partita;
using namespace partita::models;
using partita::tests::PartitadProcess;

namespace {

void createTopic(client::Admin admin, const std::string& name, int partitions) {
    const QString created = tests::createTopic(admin, name, partitions);
    QVERIFY2(created.isEmpty(), qPrintable(created));
}

void deleteTopic(client::Admin admin, const std::string& name) {
    auto deleted =
        tests::waitFor<std::vector<client::ItemStatus>>([&](auto done) { admin.deleteTopics({name}, done); });
    QVERIFY(deleted.ok());
    QVERIFY(client::firstFailure(deleted.value()).ok());
}

int partitionsShown(const TopicModel& model, const QString& topic) {
    const int row = model.rowOf(topic);
    return row < 0 ? -1 : model.index(row, TopicModel::PartitionsColumn).data(TopicModel::SortRole).toInt();
}

}  // namespace

class ModelsPartitadTest : public QObject {
    Q_OBJECT
private slots:
    void sessionAndModelsFollowTheCluster() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=3"}));

        // A short request timeout so a stopped broker shows as lost quickly.
        ClusterSession session(tests::clientConfig(
            partitad.bootstrap(), {{"request.timeout.ms", "2000"}, {"socket.connection.setup.timeout.ms", "2000"}}));
        session.setRefreshInterval(500);
        QVERIFY(session.admin().has_value());
        client::Admin admin = *session.admin();
        createTopic(admin, "orders", 3);
        createTopic(admin, "users", 2);

        BrokerModel brokers;
        TopicModel topics;
        PartitionModel partitions;
        QAbstractItemModelTester brokerTester(&brokers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester topicTester(&topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester partitionTester(&partitions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&session, &ClusterSession::snapshotReady, &brokers, &BrokerModel::setSnapshot);
        connect(&session, &ClusterSession::snapshotReady, &topics, &TopicModel::setSnapshot);
        connect(&session, &ClusterSession::snapshotReady, &partitions, &PartitionModel::setSnapshot);
        partitions.setTopic(QStringLiteral("orders"));

        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(partitionsShown(topics, "users") == 2, 30000);
        QCOMPARE(session.state(), ClusterSession::State::Connected);
        QVERIFY(session.lastError().isEmpty());

        QCOMPARE(brokers.rowCount(), 1);
        QCOMPARE(brokers.index(0, BrokerModel::IdColumn).data().toInt(), 1);
        QVERIFY(brokers.index(0, BrokerModel::ControllerColumn).data(BrokerModel::ControllerRole).toBool());
        QVERIFY(!brokers.index(0, BrokerModel::ControllerColumn).data().toString().isEmpty());
        QCOMPARE(brokers.index(0, BrokerModel::AddressColumn).data().toString(),
                 QStringLiteral("localhost:%1").arg(partitad.port()));
        QVERIFY(brokers.index(0, BrokerModel::ReachableColumn).data(BrokerModel::ReachableRole).toBool());
        QVERIFY(brokers.index(0, BrokerModel::LeaderCountColumn).data().toInt() >= 5);
        QCOMPARE(partitionsShown(topics, "orders"), 3);
        QCOMPARE(topics.index(topics.rowOf("orders"), TopicModel::ReplicationColumn).data().toInt(), 1);
        QCOMPARE(
            topics.index(topics.rowOf("orders"), TopicModel::InternalColumn).data(TopicModel::InternalRole).toBool(),
            false);
        QCOMPARE(topics.headerData(TopicModel::NameColumn, Qt::Horizontal).toString(), QStringLiteral("Name"));

        // Partitions of "orders": leader 1, ISR [1], nothing flagged.
        QCOMPARE(partitions.rowCount(), 3);
        for (int row = 0; row < 3; ++row) {
            QCOMPARE(partitions.index(row, PartitionModel::PartitionColumn).data().toInt(), row);
            QCOMPARE(partitions.index(row, PartitionModel::LeaderColumn).data().toString(), QStringLiteral("1"));
            QCOMPARE(partitions.index(row, PartitionModel::IsrColumn).data().toString(), QStringLiteral("1"));
            QCOMPARE(partitions.index(row, PartitionModel::ReplicasColumn).data().toString(), QStringLiteral("1"));
            QVERIFY(!partitions.index(row, 0).data(PartitionModel::UnderReplicatedRole).toBool());
            QVERIFY(!partitions.index(row, 0).data(PartitionModel::OfflineRole).toBool());
        }
        QCOMPARE(partitions.summary().partitions, 3);
        QCOMPARE(partitions.summary().underReplicated, 0);
        QCOMPARE(partitions.summary().offline, 0);

        // A new topic arrives as an insertion; the selection (a persistent index) survives.
        QPersistentModelIndex users(topics.index(topics.rowOf("users"), TopicModel::NameColumn));
        QSignalSpy inserted(&topics, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&topics, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&topics, &QAbstractItemModel::modelReset);
        QSignalSpy partitionReset(&partitions, &QAbstractItemModel::modelReset);
        createTopic(admin, "alerts", 4);
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(partitionsShown(topics, "alerts") == 4, 30000);
        QVERIFY(inserted.count() >= 1);
        QVERIFY(users.isValid());
        QCOMPARE(users.data().toString(), QStringLiteral("users"));

        // A deleted topic goes as a removal.
        deleteTopic(admin, "orders");
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(topics.rowOf("orders") < 0, 30000);
        QVERIFY(removed.count() >= 1);
        QVERIFY(users.isValid());
        QCOMPARE(users.data().toString(), QStringLiteral("users"));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(partitionReset.count(), 0);
        QTRY_COMPARE(partitions.rowCount(), 0);  // the topic shown is gone

        // The broker stops: the session says so within the request timeout and keeps what it had.
        QSignalSpy states(&session, &ClusterSession::stateChanged);
        partitad.stop();
        QTRY_VERIFY_WITH_TIMEOUT(session.state() == ClusterSession::State::Lost, 20000);
        QVERIFY(!session.lastError().isEmpty());
        qInfo() << "lost:" << session.lastError();
        QVERIFY(session.snapshot() != nullptr);
        QVERIFY(topics.rowOf("users") >= 0);

        // It comes back by itself once the broker is up again.
        QVERIFY(partitad.restart({"num.partitions=3"}));
        QTRY_VERIFY_WITH_TIMEOUT(session.state() == ClusterSession::State::Connected, 30000);
        QVERIFY(session.lastError().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(partitionsShown(topics, "alerts") == 4, 30000);
        QCOMPARE(reset.count(), 0);
        QVERIFY(states.count() >= 2);  // Lost, then Connected
        QCOMPARE(states.last().at(0).value<ClusterSession::State>(), ClusterSession::State::Connected);
    }

    void messageCountsAndOffsets() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=3"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        client::Admin admin = *session.admin();
        createTopic(admin, "counted", 2);
        QVERIFY(tests::kcatProduceNumbered(partitad.bootstrap(), "counted", 0, 30));
        QVERIFY(tests::kcatProduceNumbered(partitad.bootstrap(), "counted", 1, 20));

        TopicModel topics;
        PartitionModel partitions;
        QAbstractItemModelTester topicTester(&topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester partitionTester(&partitions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&session, &ClusterSession::snapshotReady, &topics, &TopicModel::setSnapshot);
        connect(&session, &ClusterSession::snapshotReady, &partitions, &PartitionModel::setSnapshot);
        partitions.setTopic(QStringLiteral("counted"));
        auto messages = [&] {
            const int row = topics.rowOf("counted");
            return row < 0 ? -2 : topics.index(row, TopicModel::MessagesColumn).data(TopicModel::SortRole).toLongLong();
        };
        session.refreshNow();
        QTRY_COMPARE_WITH_TIMEOUT(messages(), qint64(50), 30000);
        QCOMPARE(topics.headerData(TopicModel::MessagesColumn, Qt::Horizontal).toString(), QStringLiteral("Messages"));
        QCOMPARE(topics.index(topics.rowOf("counted"), TopicModel::MessagesColumn).data().toLongLong(), 50);
        QCOMPARE(partitions.rowCount(), 2);
        QCOMPARE(partitions.index(0, PartitionModel::StartOffsetColumn).data().toLongLong(), 0);
        QCOMPARE(partitions.index(0, PartitionModel::EndOffsetColumn).data().toLongLong(), 30);
        QCOMPARE(partitions.index(0, PartitionModel::MessagesColumn).data().toLongLong(), 30);
        QCOMPARE(partitions.index(1, PartitionModel::EndOffsetColumn).data().toLongLong(), 20);
        QCOMPARE(partitions.summary().messages, 50);
        QVERIFY2(partitions.summaryText().contains(QStringLiteral("50 messages")),
                 qPrintable(partitions.summaryText()));

        // Deleting the first 10 records of partition 0 moves its start offset; the rows change in
        // place (dataChanged), the tables are not reset.
        QSignalSpy topicReset(&topics, &QAbstractItemModel::modelReset);
        QSignalSpy partitionReset(&partitions, &QAbstractItemModel::modelReset);
        QSignalSpy partitionChanged(&partitions, &QAbstractItemModel::dataChanged);
        QSignalSpy partitionInserted(&partitions, &QAbstractItemModel::rowsInserted);
        const QPersistentModelIndex first(partitions.index(0, PartitionModel::StartOffsetColumn));
        auto deleted = tests::waitFor<std::vector<client::DeletedRecords>>([&](auto done) {
            admin.deleteRecords({{{"counted", 0}, 10}}, done);
        });
        QVERIFY(deleted.ok());
        QVERIFY(deleted.value().at(0).status.ok());
        QCOMPARE(deleted.value().at(0).lowWatermark, 10);
        session.refreshNow();
        QTRY_COMPARE_WITH_TIMEOUT(messages(), qint64(40), 30000);
        QVERIFY(first.isValid());
        QCOMPARE(first.data().toLongLong(), 10);
        QCOMPARE(partitions.index(0, PartitionModel::EndOffsetColumn).data().toLongLong(), 30);
        QCOMPARE(partitions.index(0, PartitionModel::MessagesColumn).data().toLongLong(), 20);
        QCOMPARE(partitions.summary().messages, 40);
        QVERIFY(partitionChanged.count() >= 1);
        QCOMPARE(partitionInserted.count(), 0);
        QCOMPARE(topicReset.count(), 0);
        QCOMPARE(partitionReset.count(), 0);

        // An empty topic counts zero messages, not unknown.
        createTopic(admin, "empty", 1);
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(topics.rowOf("empty") >= 0, 30000);
        QCOMPARE(
            topics.index(topics.rowOf("empty"), TopicModel::MessagesColumn).data(TopicModel::SortRole).toLongLong(), 0);
    }

    void internalTopicsCanBeHidden() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=3"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        TopicModel topics;
        QAbstractItemModelTester tester(&topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&session, &ClusterSession::snapshotReady, &topics, &TopicModel::setSnapshot);
        createTopic(*session.admin(), "plain", 1);
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(topics.rowOf("plain") >= 0, 30000);
        QVERIFY(!topics.index(topics.rowOf("plain"), 0).data(TopicModel::InternalRole).toBool());
        // Internal topics exist once a group committed; only check the role is there on each row.
        for (int row = 0; row < topics.rowCount(); ++row)
            QVERIFY(topics.index(row, 0).data(TopicModel::InternalRole).isValid());
    }

    void invalidConfigIsLostAtOnce() {
        client::ClientConfig config;  // no bootstrap servers
        ClusterSession session(config);
        QCOMPARE(session.state(), ClusterSession::State::Lost);
        QVERIFY(!session.lastError().isEmpty());
        QVERIFY(!session.admin().has_value());
    }
};

QTEST_GUILESS_MAIN(ModelsPartitadTest)
#include "models_partitad_test.moc"
