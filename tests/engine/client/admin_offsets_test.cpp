// Admin's offset and record operations against a real partitad: listOffsets (earliest, latest,
// by timestamp, max timestamp, read_committed) and deleteRecords, with records produced by kcat.
#include "clienttestutil.h"

#include <QTest>

#include <chrono>

using namespace partita;
using namespace partita::client;
using partita::tests::contains;
using partita::tests::waitFor;

class AdminOffsetsTest : public QObject, protected tests::AdminFixture {
    Q_OBJECT

private:
    Result<std::vector<ListedOffset>> offsets(std::map<TopicPartition, int64_t> specs,
                                              IsolationLevel isolation = IsolationLevel::ReadUncommitted) {
        return waitFor<std::vector<ListedOffset>>(
            [&](auto done) { m_admin->listOffsets(std::move(specs), isolation, std::move(done)); });
    }
    // The one offset asked for, or -100 with a printed reason.
    int64_t offsetOf(const std::string& topic, int32_t partition, int64_t spec) {
        auto listed = offsets({{{topic, partition}, spec}});
        if (!listed.ok()) {
            qWarning("listOffsets failed: %s", listed.error().message.c_str());
            return -100;
        }
        if (!listed->front().status.ok()) {
            qWarning("listOffsets failed: %s", listed->front().status.error().message.c_str());
            return -100;
        }
        return listed->front().offset;
    }

private slots:
    void initTestCase() {
        QVERIFY(startPartitad());
        QVERIFY(createTopics({{"events", 2, 1, {}, {}}, {"trimmed", 1, 1, {}, {}}}));
        QVERIFY(tests::kcatProduceNumbered(m_broker->bootstrap(), "events", 0, 10));
        QVERIFY(tests::kcatProduceNumbered(m_broker->bootstrap(), "events", 1, 4));
        QVERIFY(tests::kcatProduceNumbered(m_broker->bootstrap(), "trimmed", 0, 10));
    }

    void cleanupTestCase() { stopCluster(); }

    void earliestAndLatestFollowWhatWasProduced() {
        auto latest = offsets({{{"events", 0}, OffsetSpec::kLatest}, {{"events", 1}, OffsetSpec::kLatest}});
        QVERIFY2(latest.ok(), latest.ok() ? "" : latest.error().message.c_str());
        QCOMPARE(latest->size(), size_t(2));
        QVERIFY(firstFailure(*latest).ok());
        QCOMPARE((*latest)[0].partition, (TopicPartition{"events", 0}));
        QCOMPARE((*latest)[0].offset, int64_t(10));
        QCOMPARE((*latest)[1].offset, int64_t(4));
        QCOMPARE(offsetOf("events", 0, OffsetSpec::kEarliest), int64_t(0));
        QCOMPARE(offsetOf("events", 1, OffsetSpec::kEarliest), int64_t(0));
    }

    void readCommittedLatestIsTheStableEnd() {
        auto latest = offsets({{{"events", 0}, OffsetSpec::kLatest}}, IsolationLevel::ReadCommitted);
        QVERIFY(latest.ok());
        QVERIFY(latest->front().status.ok());
        QCOMPARE(latest->front().offset, int64_t(10));  // no open transactions
    }

    void byTimestampFindsTheFirstRecordAtOrAfterIt() {
        QCOMPARE(offsetOf("events", 0, 0), int64_t(0));
        const int64_t inAnHour =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count() +
            3600 * 1000;
        QCOMPARE(offsetOf("events", 0, inAnHour), int64_t(-1));  // nothing that late
    }

    void maxTimestampPointsAtARecord() {
        auto listed = offsets({{{"events", 0}, OffsetSpec::kMaxTimestamp}});
        QVERIFY(listed.ok());
        QVERIFY2(listed->front().status.ok(), listed->front().status.error().message.c_str());
        QVERIFY(listed->front().offset >= 0 && listed->front().offset < 10);
        QVERIFY(listed->front().timestamp > 0);
    }

    void deleteRecordsMovesTheEarliestOffset() {
        auto deleted = waitFor<std::vector<DeletedRecords>>([&](auto done) {
            m_admin->deleteRecords({{{"trimmed", 0}, 4}}, std::move(done));
        });
        QVERIFY2(deleted.ok(), deleted.ok() ? "" : deleted.error().message.c_str());
        QVERIFY2(deleted->front().status.ok(), deleted->front().status.error().message.c_str());
        QCOMPARE(deleted->front().lowWatermark, int64_t(4));
        QCOMPARE(offsetOf("trimmed", 0, OffsetSpec::kEarliest), int64_t(4));
        QCOMPARE(offsetOf("trimmed", 0, OffsetSpec::kLatest), int64_t(10));

        // Past the end is refused, naming the partition.
        auto beyond = waitFor<std::vector<DeletedRecords>>([&](auto done) {
            m_admin->deleteRecords({{{"trimmed", 0}, 100}}, std::move(done));
        });
        QVERIFY(beyond.ok());
        QVERIFY(!beyond->front().status.ok());
        QVERIFY2(contains(beyond->front().status.error().message, "OFFSET_OUT_OF_RANGE"),
                 beyond->front().status.error().message.c_str());
        QVERIFY(contains(beyond->front().status.error().message, "trimmed-0"));

        // -1 deletes everything up to the high watermark.
        auto all = waitFor<std::vector<DeletedRecords>>([&](auto done) {
            m_admin->deleteRecords({{{"trimmed", 0}, -1}}, std::move(done));
        });
        QVERIFY(all.ok() && all->front().status.ok());
        QCOMPARE(all->front().lowWatermark, int64_t(10));
        QCOMPARE(offsetOf("trimmed", 0, OffsetSpec::kEarliest), int64_t(10));
    }

    void unknownTopicsAndPartitionsAreNamed() {
        auto listed = offsets({{{"ghost", 0}, OffsetSpec::kLatest},
                               {{"events", 7}, OffsetSpec::kLatest},
                               {{"events", 0}, OffsetSpec::kLatest}});
        QVERIFY(listed.ok());
        QCOMPARE(listed->size(), size_t(3));
        for (const auto& l : *listed) {
            if (l.partition == TopicPartition{"events", 0}) {
                QVERIFY(l.status.ok());
                QCOMPARE(l.offset, int64_t(10));
                continue;
            }
            QVERIFY(!l.status.ok());
            QVERIFY2(contains(l.status.error().message, "UNKNOWN_TOPIC_OR_PARTITION"),
                     l.status.error().message.c_str());
            QVERIFY2(contains(l.status.error().message, l.partition.topic), l.status.error().message.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(AdminOffsetsTest)
#include "admin_offsets_test.moc"
