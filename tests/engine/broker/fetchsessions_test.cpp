// Tests of FetchSessions: Kafka's incremental fetch session rules as a client sees them.
#include "engine/broker/fetchsessions.h"
#include "engine/protocol/errorcodes.h"

#include <QTest>

using namespace partita;
using namespace partita::broker;

namespace {

FetchKey key(const std::string& topic, int32_t partition) {
    return FetchKey{topic, Uuid{}, partition};
}

std::vector<std::pair<FetchKey, FetchPosition>> positions(std::initializer_list<std::pair<std::string, int32_t>> keys,
                                                          int64_t offset = 0) {
    std::vector<std::pair<FetchKey, FetchPosition>> out;
    for (const auto& [topic, partition] : keys) out.push_back({key(topic, partition), FetchPosition{offset, 1 << 20}});
    return out;
}

}  // namespace

class TestFetchSessions : public QObject {
    Q_OBJECT

private slots:
    void sessionlessFetchesCreateNothing() {
        FetchSessions sessions(10);
        auto plan = sessions.begin(0, -1, positions({{"a", 0}, {"a", 1}}), {});
        QCOMPARE(plan.errorCode, int16_t(0));
        QCOMPARE(plan.sessionId, 0);
        QVERIFY(!plan.incremental);
        QCOMPARE(plan.partitions.size(), size_t(2));
        QCOMPARE(sessions.size(), size_t(0));
    }

    void aFullFetchOpensASessionAndIncrementalOnesUseIt() {
        FetchSessions sessions(10);
        auto full = sessions.begin(0, 0, positions({{"a", 0}, {"a", 1}, {"b", 0}}), {});
        QVERIFY(full.sessionId > 0);
        QVERIFY(!full.incremental);
        for (const auto& [k, p] : full.partitions) {
            QVERIFY(sessions.hasNews(full.sessionId, k, {10, 10, 0}, false));  // never reported yet
            sessions.remember(full.sessionId, k, {10, 10, 0});
        }

        // Epoch 1 names only the partition whose position moved, and forgets b-0.
        auto next = sessions.begin(full.sessionId, 1, positions({{"a", 1}}, 7), {key("b", 0)});
        QCOMPARE(next.errorCode, int16_t(0));
        QVERIFY(next.incremental);
        QCOMPARE(next.partitions.size(), size_t(2));
        QCOMPARE(next.partitions[0].first, key("a", 0));
        QCOMPARE(next.partitions[1].second.fetchOffset, int64_t(7));
        // Only partitions with news go into the answer.
        QVERIFY(!sessions.hasNews(full.sessionId, key("a", 0), {10, 10, 0}, false));
        QVERIFY(sessions.hasNews(full.sessionId, key("a", 1), {10, 10, 0}, true));
        QVERIFY(sessions.hasNews(full.sessionId, key("a", 0), {12, 12, 0}, false));
        // Until an answer carrying the new high watermark is sent, it stays news.
        QVERIFY(sessions.hasNews(full.sessionId, key("a", 0), {12, 12, 0}, false));
        sessions.remember(full.sessionId, key("a", 0), {12, 12, 0});
        QVERIFY(!sessions.hasNews(full.sessionId, key("a", 0), {12, 12, 0}, false));
    }

    void wrongEpochsAndUnknownSessionsGetKafkasErrors() {
        FetchSessions sessions(10);
        auto full = sessions.begin(0, 0, positions({{"a", 0}}), {});
        auto skipped = sessions.begin(full.sessionId, 2, {}, {});
        QCOMPARE(skipped.errorCode, protocol::code(protocol::ErrorCode::InvalidFetchSessionEpoch));
        auto unknown = sessions.begin(full.sessionId + 1, 1, {}, {});
        QCOMPARE(unknown.errorCode, protocol::code(protocol::ErrorCode::FetchSessionIdNotFound));
        // The right epoch still works after the errors.
        QCOMPARE(sessions.begin(full.sessionId, 1, {}, {}).errorCode, int16_t(0));
    }

    void epochMinusOneClosesTheSession() {
        FetchSessions sessions(10);
        auto full = sessions.begin(0, 0, positions({{"a", 0}}), {});
        auto closing = sessions.begin(full.sessionId, -1, positions({{"a", 0}}), {});
        QCOMPARE(closing.sessionId, 0);
        QCOMPARE(closing.partitions.size(), size_t(1));
        QCOMPARE(sessions.size(), size_t(0));
        QCOMPARE(sessions.begin(full.sessionId, 1, {}, {}).errorCode,
                 protocol::code(protocol::ErrorCode::FetchSessionIdNotFound));
    }

    void theLeastRecentlyUsedSessionMakesRoom() {
        FetchSessions sessions(2);
        auto first = sessions.begin(0, 0, positions({{"a", 0}}), {});
        auto second = sessions.begin(0, 0, positions({{"b", 0}}), {});
        QCOMPARE(sessions.begin(first.sessionId, 1, {}, {}).errorCode, int16_t(0));  // first is now the newest
        auto third = sessions.begin(0, 0, positions({{"c", 0}}), {});
        QCOMPARE(sessions.size(), size_t(2));
        QCOMPARE(sessions.begin(second.sessionId, 1, {}, {}).errorCode,
                 protocol::code(protocol::ErrorCode::FetchSessionIdNotFound));
        QCOMPARE(sessions.begin(first.sessionId, 2, {}, {}).errorCode, int16_t(0));
        QVERIFY(third.sessionId != first.sessionId);
        // No room at all (cache slots 0): full fetches stay sessionless.
        FetchSessions none(0);
        QCOMPARE(none.begin(0, 0, positions({{"a", 0}}), {}).sessionId, 0);
    }
};

QTEST_APPLESS_MAIN(TestFetchSessions)
#include "fetchsessions_test.moc"
