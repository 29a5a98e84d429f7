// Tests for the Kafka error code table: completeness, order, Kafka's names and retriability.
#include <QtTest>

#include <cctype>
#include <set>
#include <string>
#include <string_view>

#include "engine/protocol/apiversionssupport.h"
#include "engine/protocol/errorcodes.h"

using namespace partita::protocol;

namespace {

struct Enumerator {
    const char* identifier;
    ErrorCode value;
};

// Every enumerator, spelled out by hand so a renamed or renumbered one shows up here.
#define X(e) Enumerator{#e, ErrorCode::e},
const Enumerator kEnumerators[] = {
    X(UnknownServerError) X(None) X(OffsetOutOfRange) X(CorruptMessage) X(UnknownTopicOrPartition) X(
        InvalidFetchSize) X(LeaderNotAvailable) X(NotLeaderOrFollower) X(RequestTimedOut) X(BrokerNotAvailable)
        X(ReplicaNotAvailable) X(MessageTooLarge) X(StaleControllerEpoch) X(OffsetMetadataTooLarge) X(
            NetworkException) X(CoordinatorLoadInProgress) X(CoordinatorNotAvailable) X(NotCoordinator)
            X(InvalidTopicException) X(RecordListTooLarge) X(NotEnoughReplicas) X(NotEnoughReplicasAfterAppend) X(
                InvalidRequiredAcks) X(IllegalGeneration) X(InconsistentGroupProtocol) X(InvalidGroupId)
                X(UnknownMemberId) X(InvalidSessionTimeout) X(RebalanceInProgress) X(InvalidCommitOffsetSize) X(
                    TopicAuthorizationFailed) X(GroupAuthorizationFailed) X(ClusterAuthorizationFailed)
                    X(InvalidTimestamp) X(UnsupportedSaslMechanism) X(IllegalSaslState) X(UnsupportedVersion) X(
                        TopicAlreadyExists) X(InvalidPartitions) X(InvalidReplicationFactor) X(InvalidReplicaAssignment)
                        X(InvalidConfig) X(NotController) X(InvalidRequest) X(UnsupportedForMessageFormat) X(
                            PolicyViolation) X(OutOfOrderSequenceNumber) X(DuplicateSequenceNumber) X(InvalidProducerEpoch)
                            X(InvalidTxnState) X(InvalidProducerIdMapping) X(InvalidTransactionTimeout) X(
                                ConcurrentTransactions) X(TransactionCoordinatorFenced)
                                X(TransactionalIdAuthorizationFailed) X(SecurityDisabled) X(OperationNotAttempted) X(KafkaStorageError) X(
                                    LogDirNotFound) X(SaslAuthenticationFailed) X(UnknownProducerId) X(ReassignmentInProgress)
                                    X(DelegationTokenAuthDisabled) X(DelegationTokenNotFound) X(DelegationTokenOwnerMismatch) X(
                                        DelegationTokenRequestNotAllowed) X(DelegationTokenAuthorizationFailed)
                                        X(DelegationTokenExpired) X(InvalidPrincipalType) X(NonEmptyGroup) X(GroupIdNotFound) X(
                                            FetchSessionIdNotFound) X(InvalidFetchSessionEpoch) X(ListenerNotFound) X(TopicDeletionDisabled) X(FencedLeaderEpoch)
                                            X(UnknownLeaderEpoch) X(
                                                UnsupportedCompressionType) X(StaleBrokerEpoch) X(OffsetNotAvailable) X(MemberIdRequired)
                                                X(PreferredLeaderNotAvailable) X(GroupMaxSizeReached) X(FencedInstanceId) X(
                                                    EligibleLeadersNotAvailable) X(ElectionNotNeeded) X(NoReassignmentInProgress)
                                                    X(GroupSubscribedToTopic) X(InvalidRecord) X(UnstableOffsetCommit) X(
                                                        ThrottlingQuotaExceeded) X(ProducerFenced) X(ResourceNotFound)
                                                        X(DuplicateResource) X(UnacceptableCredential) X(InconsistentVoterSet) X(
                                                            InvalidUpdateVersion) X(FeatureUpdateFailed)
                                                            X(PrincipalDeserializationFailure) X(SnapshotNotFound) X(
                                                                PositionOutOfRange) X(UnknownTopicId) X(DuplicateBrokerRegistration)
                                                                X(BrokerIdNotRegistered) X(
                                                                    InconsistentTopicId) X(InconsistentClusterId)
                                                                    X(TransactionalIdNotFound) X(FetchSessionTopicIdError) X(
                                                                        IneligibleReplica) X(NewLeaderElected) X(OffsetMovedToTieredStorage)
                                                                        X(FencedMemberEpoch) X(UnreleasedInstanceId) X(
                                                                            UnsupportedAssignor) X(StaleMemberEpoch)
                                                                            X(MismatchedEndpointType) X(
                                                                                UnsupportedEndpointType) X(UnknownControllerId)
                                                                                X(UnknownSubscriptionId) X(TelemetryTooLarge) X(
                                                                                    InvalidRegistration) X(TransactionAbortable)
                                                                                    X(InvalidRecordState) X(ShareSessionNotFound) X(
                                                                                        InvalidShareSessionEpoch) X(FencedStateEpoch)
                                                                                        X(InvalidVoterKey) X(
                                                                                            DuplicateVoter)
                                                                                            X(VoterNotFound) X(
                                                                                                InvalidRegularExpression)
                                                                                                X(RebootstrapRequired) X(
                                                                                                    StreamsInvalidTopology)
                                                                                                    X(StreamsInvalidTopologyEpoch)
                                                                                                        X(StreamsTopologyFenced)
                                                                                                            X(ShareSessionLimitReached)};
#undef X

// "UnknownTopicOrPartition" -> "UNKNOWN_TOPIC_OR_PARTITION".
std::string upperSnake(std::string_view pascal) {
    std::string out;
    for (char c : pascal) {
        if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out += '_';
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

}  // namespace

class ErrorCodesTest : public QObject {
    Q_OBJECT

private slots:
    void tableIsSortedWithUniqueCodes() {
        std::span<const ErrorInfo> all = allErrors();
        QVERIFY(!all.empty());
        for (std::size_t i = 1; i < all.size(); ++i)
            QVERIFY2(all[i - 1].code < all[i].code, qPrintable(qs(all[i].name)));
        std::set<std::string_view> names;
        for (const ErrorInfo& e : all) QVERIFY2(names.insert(e.name).second, qPrintable(qs(e.name)));
    }

    // Kafka numbers its errors without gaps from -1 up; the newest one we know is 133.
    void coversEveryKafkaCode() {
        std::span<const ErrorInfo> all = allErrors();
        QCOMPARE(all.front().code, int16_t(-1));
        QCOMPARE(all.back().code, int16_t(133));
        QCOMPARE(all.size(), std::size_t(135));
        for (int c = -1; c <= 133; ++c) QVERIFY2(findError(int16_t(c)) != nullptr, qPrintable(QString::number(c)));
    }

    void knownCodes_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("retriable");
        auto row = [](int code, const char* name, bool retriable) {
            QTest::newRow(name) << code << QString::fromLatin1(name) << retriable;
        };
        row(-1, "UNKNOWN_SERVER_ERROR", false);
        row(0, "NONE", false);
        row(1, "OFFSET_OUT_OF_RANGE", false);
        row(2, "CORRUPT_MESSAGE", true);
        row(3, "UNKNOWN_TOPIC_OR_PARTITION", true);
        row(5, "LEADER_NOT_AVAILABLE", true);
        row(6, "NOT_LEADER_OR_FOLLOWER", true);
        row(7, "REQUEST_TIMED_OUT", true);
        row(10, "MESSAGE_TOO_LARGE", false);
        row(13, "NETWORK_EXCEPTION", true);
        row(14, "COORDINATOR_LOAD_IN_PROGRESS", true);
        row(15, "COORDINATOR_NOT_AVAILABLE", true);
        row(16, "NOT_COORDINATOR", true);
        row(17, "INVALID_TOPIC_EXCEPTION", false);
        row(19, "NOT_ENOUGH_REPLICAS", true);
        row(22, "ILLEGAL_GENERATION", false);
        row(25, "UNKNOWN_MEMBER_ID", false);
        row(27, "REBALANCE_IN_PROGRESS", false);
        row(29, "TOPIC_AUTHORIZATION_FAILED", false);
        row(35, "UNSUPPORTED_VERSION", false);
        row(36, "TOPIC_ALREADY_EXISTS", false);
        row(37, "INVALID_PARTITIONS", false);
        row(38, "INVALID_REPLICATION_FACTOR", false);
        row(40, "INVALID_CONFIG", false);
        row(41, "NOT_CONTROLLER", true);
        row(42, "INVALID_REQUEST", false);
        row(47, "INVALID_PRODUCER_EPOCH", false);
        row(51, "CONCURRENT_TRANSACTIONS", true);
        row(56, "KAFKA_STORAGE_ERROR", true);
        row(58, "SASL_AUTHENTICATION_FAILED", false);
        row(74, "FENCED_LEADER_EPOCH", true);
        row(79, "MEMBER_ID_REQUIRED", false);
        row(87, "INVALID_RECORD", false);
        row(89, "THROTTLING_QUOTA_EXCEEDED", true);
        row(90, "PRODUCER_FENCED", false);
        row(100, "UNKNOWN_TOPIC_ID", true);
        row(110, "FENCED_MEMBER_EPOCH", false);
        row(120, "TRANSACTION_ABORTABLE", false);
        row(128, "INVALID_REGULAR_EXPRESSION", false);
        row(129, "REBOOTSTRAP_REQUIRED", false);
        row(133, "SHARE_SESSION_LIMIT_REACHED", true);
    }

    void knownCodes() {
        QFETCH(int, code);
        QFETCH(QString, name);
        QFETCH(bool, retriable);
        const ErrorInfo* info = findError(int16_t(code));
        QVERIFY(info != nullptr);
        QCOMPARE(info->code, int16_t(code));
        QCOMPARE(qs(info->name), name);
        QCOMPARE(info->retriable, retriable);
        QCOMPARE(qs(errorName(int16_t(code))), name);
    }

    void enumValuesMatchTable() {
        QCOMPARE(std::size(kEnumerators), allErrors().size());
        for (const Enumerator& e : kEnumerators) {
            const ErrorInfo* info = findError(code(e.value));
            QVERIFY2(info != nullptr, e.identifier);
            QCOMPARE(qs(info->name), qs(upperSnake(e.identifier)));
        }
        QCOMPARE(code(ErrorCode::UnknownTopicOrPartition), int16_t(3));
        QCOMPARE(code(ErrorCode::InvalidTopicException), int16_t(17));
        QCOMPARE(code(ErrorCode::UnsupportedVersion), int16_t(35));
    }

    void apiVersionsConstantsAgree() {
        QCOMPARE(kErrorNone, code(ErrorCode::None));
        QCOMPARE(kErrorUnsupportedVersion, code(ErrorCode::UnsupportedVersion));
        QCOMPARE(kErrorInvalidRequest, code(ErrorCode::InvalidRequest));
    }

    void everyEntryHasAReadableMessage() {
        for (const ErrorInfo& e : allErrors()) {
            QVERIFY2(!e.message.empty(), qPrintable(qs(e.name)));
            QVERIFY2(e.message.back() == '.', qPrintable(qs(e.name)));
            QVERIFY2(std::isupper(static_cast<unsigned char>(e.message.front())), qPrintable(qs(e.name)));
        }
    }

    // A newer broker may send a code this build has never heard of.
    void unknownCodes() {
        for (int c : {-32768, -3, -2, 134, 999, 32767}) {
            QVERIFY2(findError(int16_t(c)) == nullptr, qPrintable(QString::number(c)));
            QCOMPARE(errorName(int16_t(c)), std::string_view("UNKNOWN_SERVER_ERROR"));
        }
    }
};

QTEST_APPLESS_MAIN(ErrorCodesTest)
#include "errorcodes_test.moc"
