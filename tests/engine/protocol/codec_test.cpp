// Wire primitives, hand-computed message bytes, request/response framing, the ignorable
// rule and hostile lengths.
#include <QtTest>

#include <limits>

#include "engine/protocol/apiregistry.h"
#include "engine/protocol/apiversionssupport.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/alterclientquotas.h"
#include "engine/protocol/messages/apiversions.h"
#include "engine/protocol/messages/describetopicpartitions.h"
#include "engine/protocol/messages/metadata.h"
#include "engine/protocol/messages/produce.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"

using namespace partita;
using namespace partita::protocol;

namespace {

std::vector<uint8_t> toVector(const Bytes& b) {
    return {b.data(), b.data() + b.size()};
}
std::vector<uint8_t> toVector(const Writer& w) {
    return {w.data(), w.data() + w.size()};
}
Bytes bytesOf(std::vector<uint8_t> v) {
    return Bytes::fromVector(std::move(v));
}

// Decodes what `w` holds as a Message of `version`; nullopt unless every byte decoded cleanly.
template <class Message>
std::optional<Message> decodeAll(const Writer& w, int16_t version) {
    Message decoded;
    Reader r(w.data(), w.size());
    decoded.decode(r, version);
    if (!r.ok() || r.remaining() != 0) return std::nullopt;
    return decoded;
}

}  // namespace

class CodecTest : public QObject {
    Q_OBJECT

private slots:
    void varintsMatchTheSpec() {
        Writer w;
        w.writeUnsignedVarint(0);
        w.writeUnsignedVarint(300);
        w.writeUnsignedVarint(0xFFFFFFFFu);
        w.writeVarint(-1);
        w.writeVarint(1);
        w.writeVarint(-2);
        w.writeVarlong(INT64_MIN);
        const std::vector<uint8_t> expected = {0x00, 0xAC, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02, 0x03,
                                               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
        QCOMPARE(toVector(w), expected);

        Reader r(expected.data(), expected.size());
        QCOMPARE(r.readUnsignedVarint(), 0u);
        QCOMPARE(r.readUnsignedVarint(), 300u);
        QCOMPARE(r.readUnsignedVarint(), 0xFFFFFFFFu);
        QCOMPARE(r.readVarint(), -1);
        QCOMPARE(r.readVarint(), 1);
        QCOMPARE(r.readVarint(), -2);
        QCOMPARE(r.readVarlong(), INT64_MIN);
        QVERIFY(r.ok());
        QCOMPARE(r.remaining(), size_t{0});
    }

    void overlongVarintsAreRejected() {
        const uint8_t sixBytes[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
        Reader r(sixBytes, sizeof sixBytes);
        r.readUnsignedVarint();
        QVERIFY(!r.ok());
        const uint8_t tooBig[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};  // 35 bits
        Reader r2(tooBig, sizeof tooBig);
        r2.readUnsignedVarint();
        QVERIFY(!r2.ok());
        const uint8_t cut[] = {0x80, 0x80};
        Reader r3(cut, sizeof cut);
        r3.readVarlong();
        QVERIFY(!r3.ok());
        QVERIFY(r3.truncated());
    }

    void lengthsAreCheckedBeforeAllocation() {
        // A string claiming 32 KiB in a 6-byte buffer, an array claiming 2^31-1 elements, bytes
        // claiming 2 GiB: each is an error, and nothing close to those sizes is allocated.
        const uint8_t longString[] = {0x7F, 0xFF, 'a', 'b', 'c', 'd'};
        Reader r(longString, sizeof longString);
        r.readString(false);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error()).contains("exceeds"));

        const uint8_t hugeArray[] = {0x7F, 0xFF, 0xFF, 0xFF, 0x00};
        Reader r2(hugeArray, sizeof hugeArray);
        QCOMPARE(r2.readArrayLength(false, true), 0);
        QVERIFY(!r2.ok());

        const uint8_t hugeBytes[] = {0x7F, 0xFF, 0xFF, 0xFF};
        Reader r3(hugeBytes, sizeof hugeBytes);
        r3.readBytes(false);
        QVERIFY(!r3.ok());

        const uint8_t negative[] = {0xFF, 0xFE};
        Reader r4(negative, sizeof negative);
        r4.readNullableString(false);
        QVERIFY(!r4.ok());
    }

    void structElementBudgetBoundsMemory() {
        // 300 elements fit in the bytes but not in a budget of 100 struct elements.
        std::vector<uint8_t> buffer = {0x00, 0x00, 0x01, 0x2C};
        buffer.resize(4 + 300 * 2, 0);
        DecodeLimits limits;
        limits.maxStructElements = 100;
        Reader r(buffer.data(), buffer.size(), {}, limits);
        r.readArrayLength(false, true);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error()).contains("more than 100"));
    }

    void nullsAndCompactEncodings() {
        Writer w;
        w.writeNullableString(std::nullopt, false);
        w.writeNullableString(std::nullopt, true);
        w.writeNullableBytes(std::nullopt, false);
        w.writeNullableBytes(Bytes::copyOf(std::string_view("hi")), true);
        w.writeString("", true);
        const std::vector<uint8_t> expected = {0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 'h', 'i', 0x01};
        QCOMPARE(toVector(w), expected);
        Reader r(expected.data(), expected.size());
        QVERIFY(!r.readNullableString(false).has_value());
        QVERIFY(!r.readNullableString(true).has_value());
        QVERIFY(!r.readNullableBytes(false).has_value());
        QCOMPARE(r.readNullableBytes(true)->view(), std::string_view("hi"));
        QCOMPARE(r.readString(true), std::string());
        QVERIFY(r.ok());
        // A null where the field is not nullable is an error, not an empty value.
        Reader r2(expected.data(), expected.size());
        r2.readString(false);
        QVERIFY(!r2.ok());
    }

    void apiVersionsRequestV3Bytes() {
        RequestHeader header;
        header.requestApiKey = ApiVersionsRequest::kApiKey;
        header.requestApiVersion = 3;
        header.correlationId = 7;
        header.clientId = "c";
        ApiVersionsRequest body;
        body.clientSoftwareName = "kcat";
        body.clientSoftwareVersion = "1.7";
        auto frame = encodeRequest(header, body);
        QVERIFY(frame.ok());
        // length 22 | key 18 | version 3 | correlation 7 | client id "c" (int16 length even in
        // header v2) | no header tags | compact "kcat" | compact "1.7" | no body tags
        const std::vector<uint8_t> expected = {0x00, 0x00, 0x00, 0x16, 0x00, 0x12, 0x00, 0x03, 0x00,
                                               0x00, 0x00, 0x07, 0x00, 0x01, 'c',  0x00, 0x05, 'k',
                                               'c',  'a',  't',  0x04, '1',  '.',  '7',  0x00};
        QCOMPARE(toVector(*frame), expected);

        auto decoded = decodeRequest(frame->slice(4, frame->size() - 4));
        QVERIFY(std::holds_alternative<DecodedRequest>(decoded));
        auto& request = std::get<DecodedRequest>(decoded);
        QCOMPARE(request.header.clientId.value(), std::string("c"));
        QCOMPARE(request.header.correlationId, 7);
        QVERIFY(request.body->equals(body));
    }

    void metadataRequestBytesV0AndV9() {
        MetadataRequest request;
        MetadataRequest::MetadataRequestTopic topic;
        topic.name = "ab";
        request.topics = std::vector{topic};

        Writer v0;
        request.encode(v0, 0);
        QVERIFY(v0.ok());
        QCOMPARE(toVector(v0), (std::vector<uint8_t>{0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 'a', 'b'}));

        // v9: compact array (n+1), compact nullable name, topic tags, allow auto-create,
        // include topic authorized operations, include cluster authorized operations, tags.
        Writer v9;
        request.encode(v9, 9);
        QVERIFY(v9.ok());
        QCOMPARE(toVector(v9), (std::vector<uint8_t>{0x02, 0x03, 'a', 'b', 0x00, 0x01, 0x00, 0x00, 0x00}));

        // v1+ "all topics" is a null array; v0 cannot say it, and an empty v0 list means all.
        MetadataRequest all;
        all.topics.reset();
        Writer v1;
        all.encode(v1, 1);
        QCOMPARE(toVector(v1), (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFF}));
        Writer v0null;
        all.encode(v0null, 0);
        QVERIFY(!v0null.ok());
    }

    void nonIgnorableFieldsFailInOlderVersions() {
        MetadataRequest request;
        request.allowAutoTopicCreation = false;  // v4+, not ignorable
        Writer w3;
        request.encode(w3, 3);
        QVERIFY(!w3.ok());
        QVERIFY(QString::fromStdString(w3.error()).contains("AllowAutoTopicCreation"));
        Writer w4;
        request.encode(w4, 4);
        QVERIFY(w4.ok());

        ProduceRequest produce;
        produce.transactionalId = "tx-1";  // v3+
        Writer p2;
        produce.encode(p2, 2);
        QVERIFY(!p2.ok());
    }

    void ignorableFieldsAreDroppedSilently() {
        MetadataResponse response;
        response.throttleTimeMs = 250;  // v3+, ignorable
        Writer w;
        response.encode(w, 2);
        QVERIFY(w.ok());
        auto decoded = decodeAll<MetadataResponse>(w, 2);
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->throttleTimeMs, 0);
    }

    void taggedFieldsKnownAndUnknownRoundTrip() {
        ApiVersionsResponse response;
        response.finalizedFeaturesEpoch = 42;  // tag 1
        response.unknownTaggedFields.push_back({0x05, Bytes::copyOf(std::string_view("new"))});
        response.unknownTaggedFields.push_back({0x99, Bytes::copyOf(std::string_view("newer"))});
        Writer w;
        response.encode(w, 3);
        QVERIFY(w.ok());
        // ... | tags: count 3, tag 1 (size 8, int64 42), tag 5 "new", tag 0x99 (varint 99 01) "newer"
        const auto bytes = toVector(w);
        const std::vector<uint8_t> tail = {0x03, 0x01, 0x08, 0,   0,    0,    0,    0,   0,   0,   42,  0x05,
                                           0x03, 'n',  'e',  'w', 0x99, 0x01, 0x05, 'n', 'e', 'w', 'e', 'r'};
        QVERIFY(bytes.size() > tail.size());
        QCOMPARE(std::vector<uint8_t>(bytes.end() - static_cast<long>(tail.size()), bytes.end()), tail);

        auto decoded = decodeAll<ApiVersionsResponse>(w, 3);
        QVERIFY(decoded.has_value());
        QVERIFY(*decoded == response);
        // Tagged fields cannot go out in a non-flexible version.
        ApiVersionsResponse v2 = response;
        v2.finalizedFeaturesEpoch = -1;
        Writer w2;
        v2.encode(w2, 2);
        QVERIFY(!w2.ok());
    }

    void nullableStructHasAPresenceByte() {
        DescribeTopicPartitionsRequest request;
        Writer empty;
        request.encode(empty, 0);
        // no topics (compact 0+1), partition limit 2000 (the spec default), cursor null (-1), no tags
        QCOMPARE(toVector(empty), (std::vector<uint8_t>{0x01, 0x00, 0x00, 0x07, 0xD0, 0xFF, 0x00}));

        request.cursor.emplace();
        request.cursor->topicName = "t";
        request.cursor->partitionIndex = 3;
        Writer withCursor;
        request.encode(withCursor, 0);
        QCOMPARE(toVector(withCursor), (std::vector<uint8_t>{0x01, 0x00, 0x00, 0x07, 0xD0, 0x01, 0x02, 't', 0x00, 0x00,
                                                             0x00, 0x03, 0x00, 0x00}));
        auto decoded = decodeAll<DescribeTopicPartitionsRequest>(withCursor, 0);
        QVERIFY(decoded.has_value());
        QVERIFY(*decoded == request);
    }

    void highestUnknownTagSurvivesBesideKnownTags() {
        // Found by fuzzing: tag 0xFFFFFFFF was counted but never written.
        ApiVersionsResponse response;
        response.zkMigrationReady = true;  // known tag 3
        response.unknownTaggedFields.push_back({0xFFFFFFFFu, Bytes()});
        Writer w;
        response.encode(w, 3);
        QVERIFY(w.ok());
        auto decoded = decodeAll<ApiVersionsResponse>(w, 3);
        QVERIFY(decoded.has_value());
        QVERIFY(*decoded == response);
    }

    void nanRoundTripsAsItself() {
        AlterClientQuotasRequest request;
        AlterClientQuotasRequest::EntryData entry;
        AlterClientQuotasRequest::OpData op;
        op.key = "producer_byte_rate";
        op.value = std::numeric_limits<double>::quiet_NaN();
        entry.ops.push_back(op);
        request.entries.push_back(entry);
        Writer w;
        request.encode(w, 1);
        QVERIFY(w.ok());
        auto decoded = decodeAll<AlterClientQuotasRequest>(w, 1);
        QVERIFY(decoded.has_value());
        QVERIFY(*decoded == request);
    }

    void headerVersionExceptions() {
        QCOMPARE(requestHeaderVersion(7, 0), int16_t{0});  // ControlledShutdown v0
        QCOMPARE(requestHeaderVersion(7, 1), int16_t{1});
        QCOMPARE(requestHeaderVersion(3, 8), int16_t{1});
        QCOMPARE(requestHeaderVersion(3, 9), int16_t{2});
        QCOMPARE(responseHeaderVersion(18, 3), int16_t{0});  // ApiVersions always v0
        QCOMPARE(responseHeaderVersion(3, 9), int16_t{1});
        QCOMPARE(responseHeaderVersion(0, 8), int16_t{0});
    }

    void apiVersionsFallbackIsKafkasAnswer() {
        const Bytes frame = encodeApiVersionsFallbackResponse(0x0A0B0C0D);
        // length 16 | correlation id | error 35 | one entry: key 18, min 0, max 4
        const std::vector<uint8_t> expected = {0x00, 0x00, 0x00, 0x10, 0x0A, 0x0B, 0x0C, 0x0D, 0x00, 0x23,
                                               0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x04};
        QCOMPARE(toVector(frame), expected);
    }

    void supportedTableCoversEveryApi() {
        ApiVersionsResponse response = makeSupportedApiVersionsResponse();
        QCOMPARE(response.apiKeys.size(), allApis().size());
        QCOMPARE(allApis().size(), size_t{88});
        for (const auto& entry : response.apiKeys) {
            const ApiInfo* api = findApi(entry.apiKey);
            QVERIFY(api != nullptr);
            QCOMPARE(entry.minVersion, api->minVersion);
            QCOMPARE(entry.maxVersion, api->maxStableVersion());
        }
        QCOMPARE(findApi(0)->maxVersion, int16_t{11});  // Produce
        QCOMPARE(findApi(18)->firstFlexibleVersion, int16_t{3});
        QVERIFY(findApi(88) == nullptr);
        QVERIFY(findApi(-1) == nullptr);
    }

    void clientSoftwareFieldRule() {
        QVERIFY(isValidClientSoftwareField("librdkafka"));
        QVERIFY(isValidClientSoftwareField("apache-kafka-java"));
        QVERIFY(isValidClientSoftwareField("2.0.2"));
        QVERIFY(isValidClientSoftwareField("a"));
        QVERIFY(!isValidClientSoftwareField(""));
        QVERIFY(!isValidClientSoftwareField("-x"));
        QVERIFY(!isValidClientSoftwareField("x."));
        QVERIFY(!isValidClientSoftwareField("a b"));
    }

    void requestDecodeFailuresAreClassified() {
        auto unknown = decodeRequest(bytesOf({0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05}));
        QVERIFY(std::holds_alternative<RequestDecodeError>(unknown));
        QCOMPARE(int(std::get<RequestDecodeError>(unknown).failure), int(RequestDecodeFailure::UnknownApi));
        QCOMPARE(std::get<RequestDecodeError>(unknown).prefix->correlationId, 5);

        auto tooNew = decodeRequest(bytesOf({0x00, 0x12, 0x00, 0x63, 0x00, 0x00, 0x00, 0x09}));
        QVERIFY(std::holds_alternative<RequestDecodeError>(tooNew));
        QCOMPARE(int(std::get<RequestDecodeError>(tooNew).failure), int(RequestDecodeFailure::UnsupportedVersion));
        QCOMPARE(std::get<RequestDecodeError>(tooNew).prefix->apiVersion, int16_t{99});

        auto shortFrame = decodeRequest(bytesOf({0x00, 0x12, 0x00}));
        QCOMPARE(int(std::get<RequestDecodeError>(shortFrame).failure), int(RequestDecodeFailure::Malformed));

        // Metadata v0 whose topic array claims more than there is.
        auto truncated = decodeRequest(
            bytesOf({0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x05}));
        QCOMPARE(int(std::get<RequestDecodeError>(truncated).failure), int(RequestDecodeFailure::Malformed));

        // Trailing garbage after a complete body.
        auto trailing = decodeRequest(
            bytesOf({0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xAA}));
        QCOMPARE(int(std::get<RequestDecodeError>(trailing).failure), int(RequestDecodeFailure::Malformed));
    }

    void responseFramesRoundTrip() {
        MetadataResponse response;
        MetadataResponse::MetadataResponseBroker broker;
        broker.nodeId = 1;
        broker.host = "localhost";
        broker.port = 9092;
        response.brokers.push_back(broker);
        response.clusterId = "cluster-1";
        response.controllerId = 1;
        for (int16_t version : {int16_t{2}, int16_t{9}, int16_t{12}}) {
            auto frame = encodeResponse(99, MetadataRequest::kApiKey, version, response);
            QVERIFY(frame.ok());
            auto decoded = decodeResponse(frame->slice(4, frame->size() - 4), MetadataRequest::kApiKey, version);
            QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
            QCOMPARE(decoded->correlationId, 99);
            QVERIFY(decoded->body->equals(response));
        }
        // The records of a decoded request are views that keep the frame alive.
        ProduceRequest produce;
        ProduceRequest::TopicProduceData topic;
        topic.name = "t";
        ProduceRequest::PartitionProduceData partition;
        partition.records = Bytes::copyOf(std::string_view("record-bytes"));
        topic.partitionData.push_back(partition);
        produce.topicData.push_back(topic);
        RequestHeader header;
        header.requestApiKey = 0;
        header.requestApiVersion = 9;
        auto frame = encodeRequest(header, produce);
        QVERIFY(frame.ok());
        Bytes records;
        {
            Bytes body = frame->slice(4, frame->size() - 4);
            auto decoded = decodeRequest(body);
            auto& request = std::get<DecodedRequest>(decoded);
            records = *static_cast<ProduceRequest&>(*request.body).topicData[0].partitionData[0].records;
            QVERIFY(records.data() > body.data());
            QVERIFY(records.data() < body.data() + body.size());
        }
        frame = Result<Bytes>(Bytes());
        QCOMPARE(records.view(), std::string_view("record-bytes"));
    }
};

QTEST_APPLESS_MAIN(CodecTest)
#include "codec_test.moc"
