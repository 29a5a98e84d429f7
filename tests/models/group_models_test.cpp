// Tests of GroupModel, GroupLagModel and OffsetResetPlan against a real partitad and a real group:
// the group list, per-partition lag and totals, reset previews, applying a reset, and refusing to
// reset while a consumer of the group runs.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "models/clustersession.h"
#include "models/grouplagmodel.h"
#include "models/groupmodel.h"
#include "models/offsetresetplan.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace partita;
using namespace partita::models;
using partita::tests::PartitadProcess;

namespace {

const char* kTopic = "events";

// A consumer of the group that stays in it until its stdin closes; prints "assigned" once the
// coordinator gave it partitions.
const char* kMemberScript = R"(
import select, sys
from confluent_kafka import Consumer
c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': sys.argv[2], 'enable.auto.commit': False})
c.subscribe([sys.argv[3]], on_assign=lambda consumer, parts: print('assigned', flush=True))
while True:
    c.poll(0.2)
    ready, _, _ = select.select([sys.stdin], [], [], 0)
    if ready and not sys.stdin.readline():
        break
c.close()
)";

std::map<int, qint64> endOffsets(client::Admin admin) {
    auto listed = tests::waitFor<std::vector<client::ListedOffset>>([&](auto done) {
        admin.listOffsets({{{kTopic, 0}, client::OffsetSpec::kLatest}, {{kTopic, 1}, client::OffsetSpec::kLatest}},
                          client::IsolationLevel::ReadUncommitted, done);
    });
    std::map<int, qint64> ends;
    if (!listed.ok()) return ends;
    for (const auto& l : listed.value())
        if (l.status.ok()) ends[l.partition.partition] = l.offset;
    return ends;
}

qint64 cell(const QAbstractItemModel& model, int row, int column) {
    return model.index(row, column).data(Qt::UserRole + 1).toLongLong();
}

}  // namespace

class GroupModelsTest : public QObject {
    Q_OBJECT
private slots:
    void groupListLagResetAndRefusal() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=2"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        QVERIFY(session.admin().has_value());
        client::Admin admin = *session.admin();

        const QString created = tests::createTopic(admin, kTopic, 2);
        QVERIFY2(created.isEmpty(), qPrintable(created));

        // 100 records, half to each partition so both can hold the committed offsets below.
        const QString produced = tests::produceValues(session.client(), kTopic, 100, 2);
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        const std::map<int, qint64> ends = endOffsets(admin);
        QCOMPARE(int(ends.size()), 2);
        QCOMPARE(ends.at(0) + ends.at(1), qint64(100));

        auto committed = tests::waitFor<std::vector<client::PartitionStatus>>([&](auto done) {
            admin.alterConsumerGroupOffsets("g", {{{kTopic, 0}, {30, -1, {}}}, {{kTopic, 1}, {20, -1, {}}}}, done);
        });
        QVERIFY(committed.ok());
        QVERIFY(client::firstFailure(committed.value()).ok());

        // The group list.
        GroupModel groups;
        QAbstractItemModelTester groupTester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        groups.setAdmin(admin);
        connect(&session, &ClusterSession::snapshotReady, &groups, &GroupModel::setSnapshot);
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(groups.rowOf("g") >= 0, 30000);
        const int groupRow = groups.rowOf("g");
        QCOMPARE(groups.index(groupRow, GroupModel::StateColumn).data().toString(), QStringLiteral("Empty"));
        QTRY_COMPARE_WITH_TIMEOUT(groups.index(groups.rowOf("g"), GroupModel::MembersColumn).data(GroupModel::SortRole),
                                  QVariant(0), 30000);

        // Per-partition lag and totals.
        GroupLagModel lag(admin);
        QAbstractItemModelTester lagTester(&lag, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy lagRefreshed(&lag, &GroupLagModel::refreshed);
        lag.setGroup("g");
        QVERIFY(lag.isLoading());
        QVERIFY(lagRefreshed.wait(30000));
        QCOMPARE(lag.state(), GroupLagModel::State::Ready);
        QCOMPARE(lag.rowCount(), 2);
        const std::map<int, qint64> committedAt{{0, 30}, {1, 20}};
        for (int p = 0; p < 2; ++p) {
            const int row = lag.rowOf(kTopic, p);
            QVERIFY(row >= 0);
            QCOMPARE(cell(lag, row, GroupLagModel::CommittedColumn), committedAt.at(p));
            QCOMPARE(cell(lag, row, GroupLagModel::EndOffsetColumn), ends.at(p));
            QCOMPARE(cell(lag, row, GroupLagModel::LagColumn), ends.at(p) - committedAt.at(p));
        }
        QCOMPARE(lag.totalLag(), qint64(50));
        QCOMPARE(lag.lagByTopic().value(kTopic), qint64(50));
        QCOMPARE(lag.groupState(), QStringLiteral("Empty"));

        // Reset previews.
        OffsetResetPlan plan(admin);
        QAbstractItemModelTester planTester(&plan, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy planReady(&plan, &OffsetResetPlan::planReady);
        QSignalSpy applied(&plan, &OffsetResetPlan::applied);

        plan.build("g", OffsetResetPlan::Strategy::Earliest);
        QVERIFY(planReady.wait(30000));
        QCOMPARE(plan.rowCount(), 2);
        for (int p = 0; p < 2; ++p) {
            const int row = plan.rowOf(kTopic, p);
            QCOMPARE(cell(plan, row, OffsetResetPlan::CurrentColumn), committedAt.at(p));
            QCOMPARE(cell(plan, row, OffsetResetPlan::NewOffsetColumn), qint64(0));
            QCOMPARE(cell(plan, row, OffsetResetPlan::LagAfterColumn), ends.at(p));
        }

        plan.build("g", OffsetResetPlan::Strategy::ToOffset, 1000000);
        QVERIFY(planReady.wait(30000));
        for (int p = 0; p < 2; ++p) {
            QCOMPARE(cell(plan, plan.rowOf(kTopic, p), OffsetResetPlan::NewOffsetColumn), ends.at(p));
            QCOMPARE(cell(plan, plan.rowOf(kTopic, p), OffsetResetPlan::LagAfterColumn), qint64(0));
        }

        // Every record is newer than the epoch; none is from the far future (then the end is taken).
        plan.build("g", OffsetResetPlan::Strategy::ToTimestamp, 0);
        QVERIFY(planReady.wait(30000));
        for (int p = 0; p < 2; ++p)
            QCOMPARE(cell(plan, plan.rowOf(kTopic, p), OffsetResetPlan::NewOffsetColumn), qint64(0));
        plan.build("g", OffsetResetPlan::Strategy::ToTimestamp, QDateTime::currentMSecsSinceEpoch() + 86400000);
        QVERIFY(planReady.wait(30000));
        for (int p = 0; p < 2; ++p)
            QCOMPARE(cell(plan, plan.rowOf(kTopic, p), OffsetResetPlan::NewOffsetColumn), ends.at(p));

        plan.build("g", OffsetResetPlan::Strategy::ShiftBy, -1000, kTopic);
        QVERIFY(planReady.wait(30000));
        for (int p = 0; p < 2; ++p)
            QCOMPARE(cell(plan, plan.rowOf(kTopic, p), OffsetResetPlan::NewOffsetColumn), qint64(0));

        // Applying it: the lag table's rows change in place.
        plan.apply();
        QVERIFY(applied.wait(30000));
        QCOMPARE(applied.last().at(0).toBool(), true);
        QSignalSpy reset(&lag, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&lag, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&lag, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&lag, &QAbstractItemModel::dataChanged);
        const QPersistentModelIndex first = lag.index(lag.rowOf(kTopic, 0), GroupLagModel::CommittedColumn);
        lag.refresh();
        QVERIFY(lagRefreshed.wait(30000));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QVERIFY(changed.count() > 0);
        QVERIFY(first.isValid());
        QCOMPARE(first.data(GroupLagModel::SortRole).toLongLong(), qint64(0));
        QCOMPARE(cell(lag, lag.rowOf(kTopic, 1), GroupLagModel::CommittedColumn), qint64(0));
        QCOMPARE(lag.totalLag(), qint64(100));

        // A running consumer makes the group active: the reset is refused.
        QProcess member;
        member.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        member.start("/usr/bin/python3", {"-c", kMemberScript, partitad.bootstrap(), "g", kTopic});
        QVERIFY(member.waitForStarted());
        // QTRY re-evaluates its condition, so the output is collected rather than read in it.
        QByteArray said;
        connect(&member, &QProcess::readyReadStandardOutput, this, [&] { said += member.readAllStandardOutput(); });
        QTRY_VERIFY_WITH_TIMEOUT(said.contains("assigned"), 60000);

        plan.build("g", OffsetResetPlan::Strategy::Latest);
        QVERIFY(planReady.wait(30000));
        plan.apply();
        QVERIFY(applied.wait(30000));
        QCOMPARE(applied.last().at(0).toBool(), false);
        const QString why = applied.last().at(1).toString();
        QVERIFY2(why.contains("not empty"), qPrintable(why));

        // The member leaves; nothing was committed by the refused reset.
        member.closeWriteChannel();
        QVERIFY(member.waitForFinished(30000));
        lag.refresh();
        QVERIFY(lagRefreshed.wait(30000));
        QCOMPARE(lag.totalLag(), qint64(100));
    }

    void lagOfAllGroups() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=2"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        client::Admin admin = *session.admin();
        const QString created = tests::createTopic(admin, kTopic, 2);
        QVERIFY2(created.isEmpty(), qPrintable(created));
        QVERIFY(tests::kcatProduceNumbered(partitad.bootstrap(), kTopic, 0, 50));
        QVERIFY(tests::kcatProduceNumbered(partitad.bootstrap(), kTopic, 1, 50));
        auto commit = [&](const std::string& group, qint64 at0, qint64 at1) {
            auto committed = tests::waitFor<std::vector<client::PartitionStatus>>([&](auto done) {
                admin.alterConsumerGroupOffsets(group, {{{kTopic, 0}, {at0, -1, {}}}, {{kTopic, 1}, {at1, -1, {}}}},
                                                done);
            });
            return committed.ok() && client::firstFailure(committed.value()).ok();
        };
        QVERIFY(commit("lagging", 30, 20));
        QVERIFY(commit("caught-up", 50, 50));

        GroupModel groups;
        QAbstractItemModelTester tester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        groups.setAdmin(admin);
        connect(&session, &ClusterSession::snapshotReady, &groups, &GroupModel::setSnapshot);
        auto lagOf = [&](const QString& group) {
            const int row = groups.rowOf(group);
            return row < 0 ? -2 : groups.index(row, GroupModel::LagColumn).data(GroupModel::SortRole).toLongLong();
        };
        session.refreshNow();
        QTRY_COMPARE_WITH_TIMEOUT(lagOf("lagging"), qint64(50), 30000);
        QCOMPARE(lagOf("caught-up"), qint64(0));
        QCOMPARE(groups.headerData(GroupModel::LagColumn, Qt::Horizontal).toString(), QStringLiteral("Lag"));
        QCOMPARE(groups.index(groups.rowOf("lagging"), GroupModel::LagColumn).data().toString(), QStringLiteral("50"));
        QCOMPARE(groups.index(groups.rowOf("lagging"), GroupModel::TopicsColumn).data().toInt(), 1);

        // The same total as `partita-cli groups lag` prints for the group.
        auto cliLag = [&](const QString& group) -> qint64 {
            const tests::ToolRun run = tests::runTool(QCoreApplication::applicationDirPath() + "/partita-cli",
                                                      {"-b", partitad.bootstrap(), "groups", "lag", group});
            const QRegularExpressionMatch m = QRegularExpression("Total lag: (\\d+)").match(run.out);
            if (run.exitCode != 0 || !m.hasMatch()) {
                qWarning() << "partita-cli:" << run.exitCode << run.out << run.err;
                return -1;
            }
            return m.captured(1).toLongLong();
        };
        QCOMPARE(lagOf("lagging"), cliLag("lagging"));
        QCOMPARE(lagOf("caught-up"), cliLag("caught-up"));

        // More records: the lag grows in place on the next refresh (dataChanged, no reset).
        QSignalSpy reset(&groups, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&groups, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&groups, &QAbstractItemModel::dataChanged);
        const QPersistentModelIndex lagging(groups.index(groups.rowOf("lagging"), GroupModel::GroupIdColumn));
        QVERIFY(tests::kcatProduceNumbered(partitad.bootstrap(), kTopic, 0, 10));
        session.refreshNow();
        QTRY_COMPARE_WITH_TIMEOUT(lagOf("lagging"), qint64(60), 30000);
        QCOMPARE(lagOf("caught-up"), qint64(10));
        QCOMPARE(lagOf("lagging"), cliLag("lagging"));
        QVERIFY(lagging.isValid());
        QCOMPARE(lagging.data().toString(), QStringLiteral("lagging"));
        QVERIFY(changed.count() >= 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 0);
    }

    void destroyedWhileFetching() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start());
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        QVERIFY(session.admin().has_value());
        // Requests still in flight when the models go must not reach them.
        for (int i = 0; i < 5; ++i) {
            auto lag = std::make_unique<GroupLagModel>(*session.admin());
            lag->setGroup("nobody");
            auto plan = std::make_unique<OffsetResetPlan>(*session.admin());
            plan->build("nobody", OffsetResetPlan::Strategy::Earliest);
        }
        QTest::qWait(2000);
        GroupLagModel lag(*session.admin());
        QSignalSpy refreshed(&lag, &GroupLagModel::refreshed);
        QSignalSpy failed(&lag, &GroupLagModel::errorOccurred);
        lag.setGroup("nobody");
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() + failed.count() > 0, 30000);
        QCOMPARE(lag.isLoading(), false);
    }
};

QTEST_MAIN(GroupModelsTest)
#include "group_models_test.moc"
