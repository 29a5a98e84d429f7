// The transaction coordinator over a real __transaction_state log with a manual clock: epochs, fencing,
// ending transactions with markers, timeouts, expiry, and finishing prepared transactions after a restart.
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "coordinatortestutil.h"
#include "engine/coordinator/produceridmanager.h"
#include "engine/coordinator/transactioncoordinator.h"
#include "engine/protocol/errorcodes.h"
#include "engine/storage/clock.h"
#include "engine/storage/logconfig.h"
#include "engine/storage/partitionlog.h"

using namespace partita;
using namespace partita::coordinator;
using protocol::ErrorCode;

namespace {

constexpr int64_t kStart = 1'700'000'000'000;

int16_t err(ErrorCode e) {
    return protocol::code(e);
}

struct Marker {
    TopicPartition partition;
    int64_t producerId;
    int16_t epoch;
    bool commit;
};

// The partitions of the "cluster": orders-0..2 exist. Markers are recorded (the broker's side is
// tested with real clients); `failing` makes every write fail, as a broker going down would.
class RecordingMarkers final : public TransactionMarkers {
public:
    bool hasPartition(const TopicPartition& p) override { return p.topic == "orders" && p.partition < 3; }
    Status writeMarker(const TopicPartition& p, int64_t producerId, int16_t epoch, bool commit) override {
        if (failing) return Error{ErrorKind::Io, "broker down"};
        written.push_back({p, producerId, epoch, commit});
        return {};
    }
    std::vector<Marker> written;
    bool failing = false;
};

struct Fixture {
    QTemporaryDir dir;
    storage::ManualClock clock{kStart};
    RecordingMarkers markers;
    int64_t nextBlock = 0;
    ProducerIdManager producerIds{[this](int32_t count) -> Result<int64_t> {
        const int64_t first = nextBlock;
        nextBlock += count;
        return first;
    }};
    std::unique_ptr<test::LogBackedTopic> topic;
    std::unique_ptr<TransactionCoordinator> txns;
    TransactionCoordinatorConfig config;

    Fixture() {
        config.maxTimeoutMs = 60000;
        config.idExpirationMs = 3600000;
        open();
    }
    void open() {
        txns.reset();
        topic = std::make_unique<test::LogBackedTopic>(dir.path().toStdString(), kTransactionStateTopic, clock);
        txns = std::make_unique<TransactionCoordinator>(config, *topic, markers, producerIds, clock);
        if (auto st = txns->load(); !st) qFatal("load: %s", st.error().message.c_str());
    }
    int16_t add(const std::string& id, const ProducerIdAndEpoch& p, std::vector<TopicPartition> partitions) {
        std::vector<int16_t> errors;
        int16_t top = txns->addPartitions(id, p.producerId, p.producerEpoch, partitions, false, errors);
        for (int16_t e : errors) {
            if (e != 0) return e;
        }
        return top;
    }
};

}  // namespace

class TransactionCoordinatorTest : public QObject {
    Q_OBJECT

private slots:
    void initProducerIdGivesIdsAndBumpsEpochs() {
        Fixture f;
        auto first = f.txns->initProducerId("t", 10000, -1, -1);
        QCOMPARE(first.errorCode, int16_t(0));
        QCOMPARE(first.producerEpoch, int16_t(0));
        auto again = f.txns->initProducerId("t", 10000, -1, -1);
        QCOMPARE(again.producerId, first.producerId);
        QCOMPARE(again.producerEpoch, int16_t(1));
        QVERIFY(f.txns->initProducerId("other", 10000, -1, -1).producerId != first.producerId);
        QCOMPARE(f.txns->initProducerId("t", 60001, -1, -1).errorCode, err(ErrorCode::InvalidTransactionTimeout));
        // KIP-360: the current id and epoch bump; a retry of that bump gets the same answer; a stranger is fenced.
        auto bumped = f.txns->initProducerId("t", 10000, again.producerId, again.producerEpoch);
        QCOMPARE(bumped.producerEpoch, int16_t(2));
        auto retried = f.txns->initProducerId("t", 10000, again.producerId, again.producerEpoch);
        QCOMPARE(retried.producerEpoch, int16_t(2));
        QCOMPARE(f.txns->initProducerId("t", 10000, 999, 0).errorCode, err(ErrorCode::ProducerFenced));
    }

    void commitWritesMarkersToEveryPartitionOnce() {
        Fixture f;
        auto p = f.txns->initProducerId("t", 10000, -1, -1);
        QCOMPARE(f.add("t", p, {{"orders", 0}, {"orders", 1}}), int16_t(0));
        QCOMPARE(f.add("t", p, {{"orders", 1}}), int16_t(0));
        QCOMPARE(f.txns->describe("t")->state, TxnState::Ongoing);
        QCOMPARE(f.txns->endTransaction("t", p.producerId, p.producerEpoch, true), int16_t(0));
        QCOMPARE(f.markers.written.size(), size_t(2));
        for (const auto& m : f.markers.written) {
            QVERIFY(m.commit);
            QCOMPARE(m.producerId, p.producerId);
            QCOMPARE(m.epoch, p.producerEpoch);
        }
        QCOMPARE(f.txns->describe("t")->state, TxnState::CompleteCommit);
        // A retried EndTxn succeeds; the opposite outcome is refused; nothing is written again.
        QCOMPARE(f.txns->endTransaction("t", p.producerId, p.producerEpoch, true), int16_t(0));
        QCOMPARE(f.txns->endTransaction("t", p.producerId, p.producerEpoch, false), err(ErrorCode::InvalidTxnState));
        QCOMPARE(f.markers.written.size(), size_t(2));
    }

    void badRequestsGetKafkasErrors() {
        Fixture f;
        auto p = f.txns->initProducerId("t", 10000, -1, -1);
        QCOMPARE(f.add("nobody", p, {{"orders", 0}}), err(ErrorCode::InvalidProducerIdMapping));
        QCOMPARE(f.add("t", {0, p.producerId + 1, p.producerEpoch}, {{"orders", 0}}),
                 err(ErrorCode::InvalidProducerIdMapping));
        QCOMPARE(f.add("t", {0, p.producerId, int16_t(p.producerEpoch + 1)}, {{"orders", 0}}),
                 err(ErrorCode::ProducerFenced));
        std::vector<int16_t> errors;
        f.txns->addPartitions("t", p.producerId, p.producerEpoch, {{"orders", 0}, {"missing", 0}}, false, errors);
        QCOMPARE(errors[0], err(ErrorCode::OperationNotAttempted));
        QCOMPARE(errors[1], err(ErrorCode::UnknownTopicOrPartition));
        QCOMPARE(f.txns->endTransaction("t", p.producerId, p.producerEpoch, true), err(ErrorCode::InvalidTxnState));
        // KIP-890 verification: only partitions already in the transaction pass.
        f.add("t", p, {{"orders", 2}});
        f.txns->addPartitions("t", p.producerId, p.producerEpoch, {{"orders", 2}, {"orders", 0}}, true, errors);
        QCOMPARE(errors[0], int16_t(0));
        QCOMPARE(errors[1], err(ErrorCode::InvalidTxnState));
    }

    void aNewProducerInstanceAbortsTheOpenTransactionAndFencesTheOldOne() {
        Fixture f;
        auto zombie = f.txns->initProducerId("t", 10000, -1, -1);
        f.add("t", zombie, {{"orders", 0}});
        auto fresh = f.txns->initProducerId("t", 10000, -1, -1);
        QCOMPARE(fresh.producerEpoch, int16_t(zombie.producerEpoch + 1));
        QCOMPARE(f.markers.written.size(), size_t(1));
        QVERIFY(!f.markers.written[0].commit);
        QVERIFY(f.markers.written[0].epoch > zombie.producerEpoch);  // the partitions fence the zombie too
        QCOMPARE(f.txns->endTransaction("t", zombie.producerId, zombie.producerEpoch, true),
                 err(ErrorCode::ProducerFenced));
        QCOMPARE(f.txns->checkProducer("t", zombie.producerId, zombie.producerEpoch), err(ErrorCode::ProducerFenced));
        QCOMPARE(f.txns->checkProducer("t", fresh.producerId, fresh.producerEpoch), int16_t(0));
    }

    void transactionsOpenPastTheirTimeoutAreAborted() {
        Fixture f;
        auto p = f.txns->initProducerId("t", 10000, -1, -1);
        f.add("t", p, {{"orders", 0}});
        f.clock.advance(9000);
        f.txns->abortTimedOut();
        QVERIFY(f.markers.written.empty());
        f.clock.advance(2000);
        f.txns->abortTimedOut();
        QCOMPARE(f.markers.written.size(), size_t(1));
        QVERIFY(!f.markers.written[0].commit);
        QCOMPARE(f.txns->describe("t")->state, TxnState::CompleteAbort);
        // The producer carrying on is told it was fenced.
        QCOMPARE(f.txns->endTransaction("t", p.producerId, p.producerEpoch, true), err(ErrorCode::ProducerFenced));
    }

    void aRestartFinishesPreparedTransactionsAndKeepsOngoingOnes() {
        Fixture f;
        auto a = f.txns->initProducerId("a", 10000, -1, -1);
        auto b = f.txns->initProducerId("b", 10000, -1, -1);
        f.add("a", a, {{"orders", 0}, {"orders", 1}});
        f.add("b", b, {{"orders", 2}});
        // The markers cannot be written: "a" stays PrepareCommit in the log.
        f.markers.failing = true;
        QCOMPARE(f.txns->endTransaction("a", a.producerId, a.producerEpoch, true),
                 err(ErrorCode::CoordinatorNotAvailable));
        f.markers.failing = false;
        f.open();
        QCOMPARE(f.markers.written.size(), size_t(2));
        QVERIFY(f.markers.written[0].commit && f.markers.written[1].commit);
        QCOMPARE(f.txns->describe("a")->state, TxnState::CompleteCommit);
        auto ongoing = f.txns->describe("b");
        QCOMPARE(ongoing->state, TxnState::Ongoing);
        QCOMPARE(ongoing->partitions.size(), size_t(1));
        QCOMPARE(f.txns->endTransaction("b", b.producerId, b.producerEpoch, false), int16_t(0));
        QCOMPARE(f.txns->list().size(), size_t(2));
    }

    void idleTransactionalIdsExpire() {
        Fixture f;
        auto p = f.txns->initProducerId("t", 10000, -1, -1);
        f.add("t", p, {{"orders", 0}});
        f.txns->endTransaction("t", p.producerId, p.producerEpoch, false);
        f.clock.advance(f.config.idExpirationMs - 1);
        f.txns->removeExpired();
        QVERIFY(f.txns->describe("t"));
        f.clock.advance(2);
        f.txns->removeExpired();
        QVERIFY(!f.txns->describe("t"));
        f.open();  // the tombstone is in the log
        QVERIFY(!f.txns->describe("t"));
    }
};

QTEST_GUILESS_MAIN(TransactionCoordinatorTest)
#include "transactioncoordinator_test.moc"
