// Tests for legacy message sets (magic 0/1): exact bytes, round trips, wrappers, peer-made sets, corrupt input.
#include "engine/protocol/records/legacymessageset.h"

#include "recordstestutil.h"

#include <QTest>

#include <xxhash.h>
#include <zlib.h>

using namespace partita;
using namespace partita::protocol::records;
using namespace recordstest;

Q_DECLARE_METATYPE(partita::protocol::records::CompressionType)

namespace {

constexpr size_t kLimit = 64 << 20;

// Offset 3, key "k", value "v", magic 0; CRC-32 (zlib) of bytes 16..27.
const uint8_t kHandV0[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,  // Offset
    0x00, 0x00, 0x00, 0x10,                          // MessageSize 16
    0x1f, 0xec, 0xd7, 0x0a,                          // CRC
    0x00, 0x00,                                      // Magic, Attributes
    0x00, 0x00, 0x00, 0x01, 0x6b,                    // key "k"
    0x00, 0x00, 0x00, 0x01, 0x76,                    // value "v"
};

// Offset 3, timestamp 1700000000000, null key, value "v", magic 1.
const uint8_t kHandV1[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,  // Offset
    0x00, 0x00, 0x00, 0x17,                          // MessageSize 23
    0xc1, 0x67, 0x2a, 0xc5,                          // CRC
    0x01, 0x00,                                      // Magic, Attributes
    0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,  // Timestamp
    0xff, 0xff, 0xff, 0xff,                          // key null
    0x00, 0x00, 0x00, 0x01, 0x76,                    // value "v"
};

// Message sets written by kafka-python 2.0.2 (LegacyRecordBatchBuilder): three messages at
// offsets 0-2, keys key-0 / null / key-2, values "value N partita partita", magic-1
// timestamps 1700000000000 + N. Its wrappers carry offset 0.
// v0_none
const char* const kV0None =
    "00000000000000000000002a550de7e80000000000056b65792d300000001776616c7565203020706172746974612070"
    "617274697461000000000000000100000025ff8667640000ffffffff0000001776616c75652031207061727469746120"
    "7061727469746100000000000000020000002a825a8d150000000000056b65792d320000001776616c75652032207061"
    "72746974612070617274697461";
// v0_gzip
const char* const kV0Gzip =
    "000000000000000000000068a8e34db30001ffffffff0000005a1f8b0800cd33066b02ff63608003ad50dee72fc02cd6"
    "ecd44a5d032043bc2c31a73455c140a120b1a824b324114643753002b1eaffb6f4140686ff4080d06088430313c89aa6"
    "a85e51843546085d46e8ba00295623ad9d000000";
// v1_none
const char* const kV1None =
    "000000000000000000000032b71e9ff501000000018bcfe56800000000056b65792d300000001776616c756520302070"
    "617274697461207061727469746100000000000000010000002d762264e001000000018bcfe56801ffffffff00000017"
    "76616c7565203120706172746974612070617274697461000000000000000200000032bad8dd7701000000018bcfe568"
    "02000000056b65792d320000001776616c7565203220706172746974612070617274697461";
// v1_gzip
const char* const kV1Gzip =
    "00000000000000000000007d5c8ce1fa01010000000000000000ffffffff000000671f8b0800cd33066b02ff63608003"
    "a3ed72f3bf3202198cdde79f66804458b3532b750d800cf1b2c49cd25405038582c4a292cc9244180dd509d2a45ba694"
    "f200ae9bf13f1020341ae2d0c804b276d78dbbe5708d4c306b8d10ba8dd0750300ca3b1895b5000000";

using KeyValues = std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>>;

// The inputs point into kv, which must outlive them.
std::vector<LegacyMessageInput> inputsOf(KeyValues&& kv, int64_t firstTimestamp) = delete;
std::vector<LegacyMessageInput> inputsOf(const KeyValues& kv, int64_t firstTimestamp) {
    std::vector<LegacyMessageInput> inputs;
    int64_t ts = firstTimestamp;
    for (const auto& [k, v] : kv) {
        LegacyMessageInput in;
        in.timestamp = ts++;
        if (k) in.key = spanOf(*k);
        if (v) in.value = spanOf(*v);
        inputs.push_back(in);
    }
    return inputs;
}

std::optional<std::string> textOfOptional(const std::optional<Bytes>& b) {
    if (!b) return std::nullopt;
    return std::string(b->view());
}

std::vector<uint8_t> entryOf(int64_t offset, int8_t magic, int8_t attributes, int64_t timestamp,
                             std::optional<std::vector<uint8_t>> key, std::optional<std::vector<uint8_t>> value) {
    std::vector<uint8_t> body = {uint8_t(magic), uint8_t(attributes)};
    auto put32 = [&](uint32_t v) {
        uint8_t b[4];
        storeBe32(b, v);
        body.insert(body.end(), b, b + 4);
    };
    if (magic == 1) {
        uint8_t b[8];
        storeBe64(b, uint64_t(timestamp));
        body.insert(body.end(), b, b + 8);
    }
    for (const auto* f : {&key, &value}) {
        if (!*f) {
            put32(uint32_t(-1));
        } else {
            put32(uint32_t((*f)->size()));
            body.insert(body.end(), (*f)->begin(), (*f)->end());
        }
    }
    std::vector<uint8_t> e(16);
    storeBe64(e.data(), uint64_t(offset));
    storeBe32(e.data() + 8, uint32_t(body.size() + 4));
    storeBe32(e.data() + 12, uint32_t(crc32_z(0, body.data(), body.size())));
    e.insert(e.end(), body.begin(), body.end());
    return e;
}

}  // namespace

class TestLegacyMessageSet : public QObject {
    Q_OBJECT

private slots:
    void handComputedBytes() {
        const LegacyMessageInput v0{0, spanOf("k"), spanOf("v")};
        auto encoded = LegacyMessageSet::encode(std::span(&v0, 1), {.magic = 0, .baseOffset = 3});
        QVERIFY(encoded.ok());
        QCOMPARE(*encoded, std::vector<uint8_t>(std::begin(kHandV0), std::end(kHandV0)));

        const LegacyMessageInput v1{1700000000000, std::nullopt, spanOf("v")};
        encoded = LegacyMessageSet::encode(std::span(&v1, 1), {.magic = 1, .baseOffset = 3});
        QVERIFY(encoded.ok());
        QCOMPARE(*encoded, std::vector<uint8_t>(std::begin(kHandV1), std::end(kHandV1)));

        auto messages = LegacyMessageSet::decode(Bytes::copyOf(kHandV1), kLimit);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), size_t(1));
        const LegacyMessage& m = (*messages)[0];
        QCOMPARE(m.offset, int64_t(3));
        QCOMPARE(m.magic, int8_t(1));
        QCOMPARE(m.timestamp, int64_t(1700000000000));
        QCOMPARE(m.timestampType, TimestampType::CreateTime);
        QVERIFY(!m.key);
        QCOMPARE(textOfOptional(m.value), std::optional<std::string>("v"));

        messages = LegacyMessageSet::decode(Bytes::copyOf(kHandV0), kLimit);
        QVERIFY(messages.ok());
        QCOMPARE((*messages)[0].timestamp, kNoTimestamp);
        QCOMPARE(textOfOptional((*messages)[0].key), std::optional<std::string>("k"));
    }

    void decodesKafkaPythonSets_data() {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<int>("magic");
        QTest::newRow("v0 plain") << QByteArray(kV0None) << 0;
        QTest::newRow("v0 gzip") << QByteArray(kV0Gzip) << 0;
        QTest::newRow("v1 plain") << QByteArray(kV1None) << 1;
        QTest::newRow("v1 gzip") << QByteArray(kV1Gzip) << 1;
    }

    void decodesKafkaPythonSets() {
        QFETCH(QByteArray, hex);
        QFETCH(int, magic);
        auto messages = LegacyMessageSet::decode(Bytes::fromVector(fromHex(hex.toStdString())), kLimit);
        QVERIFY2(messages.ok(), messages.ok() ? "" : messages.error().message.c_str());
        QCOMPARE(messages->size(), size_t(3));
        for (int i = 0; i < 3; ++i) {
            const LegacyMessage& m = (*messages)[size_t(i)];
            QCOMPARE(m.offset, int64_t(i));
            QCOMPARE(int(m.magic), magic);
            QCOMPARE(m.timestamp, magic == 1 ? int64_t(1700000000000 + i) : kNoTimestamp);
            QCOMPARE(textOfOptional(m.key),
                     i == 1 ? std::nullopt : std::optional<std::string>("key-" + std::to_string(i)));
            QCOMPARE(textOfOptional(m.value),
                     std::optional<std::string>("value " + std::to_string(i) + " partita partita"));
        }
    }

    void roundTrip_data() {
        QTest::addColumn<int>("magic");
        QTest::addColumn<CompressionType>("codec");
        for (int magic : {0, 1}) {
            for (int id = 0; id <= 3; ++id) {
                QTest::addRow("magic %d %s", magic, compressionTypeName(CompressionType(id)))
                    << magic << CompressionType(id);
            }
        }
    }

    void roundTrip() {
        QFETCH(int, magic);
        QFETCH(CompressionType, codec);
        std::mt19937_64 rng(uint64_t(magic * 10 + int(codec)));
        KeyValues kv;
        for (int i = 0; i < 300; ++i) {
            std::optional<std::string> key =
                i % 5 == 0 ? std::nullopt : std::optional<std::string>("key" + std::to_string(i));
            std::optional<std::string> value =
                i % 17 == 3 ? std::nullopt : std::optional<std::string>(jsonPayload(rng, 50 + rng() % 500));
            kv.emplace_back(key, value);
        }
        const auto inputs = inputsOf(kv, 1700000000000);
        auto encoded =
            LegacyMessageSet::encode(inputs, {.magic = int8_t(magic), .compression = codec, .baseOffset = 5000});
        QVERIFY(encoded.ok());
        if (codec != CompressionType::None) {
            // One wrapper: offset of the last message, codec in the attributes, null key.
            QCOMPARE(loadBeI64(encoded->data()), int64_t(5299));
            QCOMPARE(int((*encoded)[17] & 7), int(codec));
            const size_t keyAt = magic == 0 ? 18 : 26;
            QCOMPARE(loadBeI32(encoded->data() + keyAt), -1);
            if (magic == 1) QCOMPARE(loadBeI64(encoded->data() + 18), int64_t(1700000000299));  // max inner timestamp
        }
        auto messages = LegacyMessageSet::decode(Bytes::fromVector(*encoded), kLimit);
        QVERIFY2(messages.ok(), messages.ok() ? "" : messages.error().message.c_str());
        QCOMPARE(messages->size(), kv.size());
        for (size_t i = 0; i < kv.size(); ++i) {
            const LegacyMessage& m = (*messages)[i];
            QCOMPARE(m.offset, int64_t(5000 + i));
            QCOMPARE(m.timestamp, magic == 1 ? int64_t(1700000000000 + i) : kNoTimestamp);
            QCOMPARE(textOfOptional(m.key), kv[i].first);
            QCOMPARE(textOfOptional(m.value), kv[i].second);
            QCOMPARE(int(m.attributes & 7), 0);
        }
    }

    void innerOffsetsOfMagic1() {
        // Inner offsets 0..2 relative; wrapper at absolute 102 => 100, 101, 102.
        std::vector<uint8_t> inner;
        for (int i = 0; i < 3; ++i) {
            const auto e = entryOf(i, 1, 0, 10 + i, std::nullopt, bytesOf("m" + std::to_string(i)));
            inner.insert(inner.end(), e.begin(), e.end());
        }
        auto packed = compress(CompressionType::Gzip, inner);
        const auto wrapper = entryOf(102, 1, 1, 12, std::nullopt, *packed);
        auto messages = LegacyMessageSet::decode(Bytes::copyOf(wrapper), kLimit);
        QVERIFY(messages.ok());
        QCOMPARE((*messages)[0].offset, int64_t(100));
        QCOMPARE((*messages)[2].offset, int64_t(102));
        QCOMPARE((*messages)[1].timestamp, int64_t(11));

        // Wrapper offset 0, as some old producers send: the inner offsets stand.
        const auto zeroWrapper = entryOf(0, 1, 1, 12, std::nullopt, *packed);
        messages = LegacyMessageSet::decode(Bytes::copyOf(zeroWrapper), kLimit);
        QVERIFY(messages.ok());
        QCOMPARE((*messages)[0].offset, int64_t(0));
        QCOMPARE((*messages)[2].offset, int64_t(2));

        // LogAppendTime on the wrapper: every inner message takes the wrapper's timestamp.
        const auto appendTime = entryOf(102, 1, 1 | 8, 999, std::nullopt, *packed);
        messages = LegacyMessageSet::decode(Bytes::copyOf(appendTime), kLimit);
        QVERIFY(messages.ok());
        for (const auto& m : *messages) {
            QCOMPARE(m.timestamp, int64_t(999));
            QCOMPARE(m.timestampType, TimestampType::LogAppendTime);
        }
    }

    void logAppendTimeEncoding() {
        const KeyValues kv = {{"a", "1"}, {"b", "2"}};
        const auto inputs = inputsOf(kv, 5);
        for (CompressionType codec : {CompressionType::None, CompressionType::Snappy}) {
            auto encoded = LegacyMessageSet::encode(inputs, {.magic = 1,
                                                             .compression = codec,
                                                             .timestampType = TimestampType::LogAppendTime,
                                                             .logAppendTime = 777});
            QVERIFY(encoded.ok());
            auto messages = LegacyMessageSet::decode(Bytes::fromVector(*encoded), kLimit);
            QVERIFY(messages.ok());
            QCOMPARE(messages->size(), size_t(2));
            for (const auto& m : *messages) {
                QCOMPARE(m.timestamp, int64_t(777));
                QCOMPARE(m.timestampType, TimestampType::LogAppendTime);
            }
        }
        QVERIFY(!LegacyMessageSet::encode(inputs, {.magic = 0, .timestampType = TimestampType::LogAppendTime}).ok());
    }

    void lz4HeaderChecksumFollowsTheMagic() {
        const KeyValues kv = {{"k", "lz4 lz4 lz4 lz4 lz4 lz4"}};
        const auto inputs = inputsOf(kv, 1);
        for (int magic : {0, 1}) {
            auto encoded =
                LegacyMessageSet::encode(inputs, {.magic = int8_t(magic), .compression = CompressionType::Lz4});
            QVERIFY(encoded.ok());
            // The wrapper's value: entry header, then (magic 1) timestamp, key -1, value length.
            const size_t valueAt = 12 + (magic == 0 ? 6 : 14) + 4 + 4;
            const uint8_t* frame = encoded->data() + valueAt;
            QCOMPARE(loadLe32(frame), 0x184D2204u);
            const uint8_t broken = uint8_t((XXH32(frame, 6, 0) >> 8) & 0xFF);
            const uint8_t right = uint8_t((XXH32(frame + 4, 2, 0) >> 8) & 0xFF);
            QCOMPARE(frame[6], magic == 0 ? broken : right);
            auto messages = LegacyMessageSet::decode(Bytes::fromVector(*encoded), kLimit);
            QVERIFY(messages.ok());
            QCOMPARE(textOfOptional((*messages)[0].value), std::optional<std::string>("lz4 lz4 lz4 lz4 lz4 lz4"));
        }
        // A magic-1 wrapper with the magic-0 checksum is refused, as Kafka refuses it.
        std::vector<uint8_t> inner = entryOf(0, 1, 0, 1, std::nullopt, bytesOf("x"));
        auto frame = compress(CompressionType::Lz4, inner, {.lz4LegacyHeaderChecksum = true});
        auto messages = LegacyMessageSet::decode(Bytes::fromVector(entryOf(0, 1, 3, 1, std::nullopt, *frame)), kLimit);
        QVERIFY(!messages.ok());
        // And a magic-0 wrapper accepts both checksums.
        inner = entryOf(0, 0, 0, 0, std::nullopt, bytesOf("x"));
        frame = compress(CompressionType::Lz4, inner);
        messages = LegacyMessageSet::decode(Bytes::fromVector(entryOf(0, 0, 3, 0, std::nullopt, *frame)), kLimit);
        QVERIFY(messages.ok());
    }

    void zstdIsNotAllowed() {
        const KeyValues kv = {{"k", "v"}};
        const auto inputs = inputsOf(kv, 1);
        auto encoded = LegacyMessageSet::encode(inputs, {.magic = 1, .compression = CompressionType::Zstd});
        QVERIFY(!encoded.ok());
        QCOMPARE(encoded.error().kind, ErrorKind::Unsupported);
        auto packed = compress(CompressionType::Zstd, entryOf(0, 1, 0, 1, std::nullopt, bytesOf("x")));
        auto messages = LegacyMessageSet::decode(Bytes::fromVector(entryOf(0, 1, 4, 1, std::nullopt, *packed)), kLimit);
        QVERIFY(!messages.ok());
        QCOMPARE(messages.error().kind, ErrorKind::Unsupported);
        QVERIFY(!LegacyMessageSet::encode(inputs, {.magic = 2}).ok());
    }

    void incompleteTrailingEntryIsDropped() {
        const KeyValues kv = {{"a", "1"}, {"b", "2"}, {"c", "3"}};
        const auto inputs = inputsOf(kv, 1);
        auto encoded = LegacyMessageSet::encode(inputs, {.magic = 1});
        const size_t entry = encoded->size() / 3;
        for (size_t cut = 2 * entry; cut < encoded->size(); ++cut) {
            auto messages = LegacyMessageSet::decode(Bytes::copyOf(std::span(*encoded).first(cut)), kLimit);
            QVERIFY(messages.ok());
            QCOMPARE(messages->size(), size_t(2));
        }
    }

    void corruptSets_data() {
        QTest::addColumn<std::vector<uint8_t>>("set");
        QTest::addColumn<int>("kind");
        const int malformed = int(ErrorKind::Malformed);
        auto flipped = std::vector<uint8_t>(std::begin(kHandV1), std::end(kHandV1));
        flipped.back() ^= 1;
        QTest::newRow("crc mismatch") << flipped << malformed;
        auto badKey = entryOf(0, 1, 0, 1, std::nullopt, bytesOf("v"));
        storeBe32(badKey.data() + 26, 100);  // key length past the message (CRC fixed below)
        storeBe32(badKey.data() + 12, uint32_t(crc32_z(0, badKey.data() + 16, badKey.size() - 16)));
        QTest::newRow("key past the message") << badKey << malformed;
        auto negative = entryOf(0, 0, 0, 0, bytesOf("k"), bytesOf("v"));
        storeBe32(negative.data() + 18, uint32_t(-2));
        storeBe32(negative.data() + 12, uint32_t(crc32_z(0, negative.data() + 16, negative.size() - 16)));
        QTest::newRow("key length -2") << negative << malformed;
        auto extra = entryOf(0, 0, 0, 0, bytesOf("k"), bytesOf("v"));
        extra.push_back(0);
        storeBe32(extra.data() + 8, uint32_t(extra.size() - 12));
        storeBe32(extra.data() + 12, uint32_t(crc32_z(0, extra.data() + 16, extra.size() - 16)));
        QTest::newRow("bytes after the value") << extra << malformed;
        auto tooShort = std::vector<uint8_t>(std::begin(kHandV0), std::end(kHandV0));
        storeBe32(tooShort.data() + 8, 10);
        QTest::newRow("size below the minimum") << tooShort << malformed;
        auto magic1Short = entryOf(0, 1, 0, 1, std::nullopt, std::nullopt);
        magic1Short.resize(magic1Short.size() - 2);
        storeBe32(magic1Short.data() + 8, uint32_t(magic1Short.size() - 12));
        QTest::newRow("magic-1 size below its minimum") << magic1Short << malformed;

        const auto innerPlain = entryOf(0, 1, 0, 1, std::nullopt, bytesOf("x"));
        QTest::newRow("wrapper with null value") << entryOf(0, 1, 1, 1, std::nullopt, std::nullopt) << malformed;
        QTest::newRow("wrapper holding nothing")
            << entryOf(0, 1, 1, 1, std::nullopt, *compress(CompressionType::Gzip, {})) << malformed;
        const auto innerCompressed = entryOf(0, 1, 1, 1, std::nullopt, *compress(CompressionType::Gzip, innerPlain));
        QTest::newRow("nested compression")
            << entryOf(0, 1, 1, 1, std::nullopt, *compress(CompressionType::Gzip, innerCompressed)) << malformed;
        QTest::newRow("inner magic differs")
            << entryOf(0, 0, 1, 0, std::nullopt, *compress(CompressionType::Gzip, innerPlain)) << malformed;
        auto cutInner = innerPlain;
        cutInner.resize(cutInner.size() - 3);
        QTest::newRow("inner set truncated")
            << entryOf(0, 1, 1, 1, std::nullopt, *compress(CompressionType::Gzip, cutInner)) << malformed;
        auto innerBadCrc = innerPlain;
        innerBadCrc.back() ^= 1;
        QTest::newRow("inner crc mismatch")
            << entryOf(0, 1, 1, 1, std::nullopt, *compress(CompressionType::Gzip, innerBadCrc)) << malformed;
        auto gz = *compress(CompressionType::Gzip, innerPlain);
        gz.resize(gz.size() - 5);
        QTest::newRow("compressed value cut short")
            << entryOf(0, 1, 1, 1, std::nullopt, gz) << int(ErrorKind::Truncated);
        QTest::newRow("unknown magic") << [] {
            auto e = entryOf(0, 1, 0, 1, std::nullopt, bytesOf("x"));
            e[16] = 3;
            return e;
        }() << int(ErrorKind::Unsupported);
    }

    void corruptSets() {
        QFETCH(std::vector<uint8_t>, set);
        QFETCH(int, kind);
        auto messages = LegacyMessageSet::decode(Bytes::fromVector(set), kLimit);
        QVERIFY(!messages.ok());
        QCOMPARE(int(messages.error().kind), kind);
    }

    void wrapperValueIsLimited() {
        std::mt19937_64 rng(1);
        KeyValues kv;
        for (int i = 0; i < 100; ++i) kv.emplace_back(std::nullopt, jsonPayload(rng, 1000));
        const auto inputs = inputsOf(kv, 1);
        for (int id = 1; id <= 3; ++id) {
            auto encoded = LegacyMessageSet::encode(inputs, {.magic = 1, .compression = CompressionType(id)});
            auto messages = LegacyMessageSet::decode(Bytes::fromVector(*encoded), 50000);
            QVERIFY(!messages.ok());
            QCOMPARE(messages.error().kind, ErrorKind::TooLarge);
        }
    }

    void mutatedSetsNeverCrash() {
        std::mt19937_64 rng(21);
        KeyValues kv;
        for (int i = 0; i < 20; ++i) kv.emplace_back("k" + std::to_string(i), jsonPayload(rng, 80));
        const auto inputs = inputsOf(kv, 1);
        for (int magic : {0, 1}) {
            for (int id = 0; id <= 3; ++id) {
                const auto good =
                    *LegacyMessageSet::encode(inputs, {.magic = int8_t(magic), .compression = CompressionType(id)});
                for (int i = 0; i < 400; ++i) {
                    auto bad = good;
                    bad[rng() % bad.size()] = uint8_t(rng());
                    (void)LegacyMessageSet::decode(Bytes::fromVector(std::move(bad)), 1 << 20);
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestLegacyMessageSet)
#include "legacymessageset_test.moc"
