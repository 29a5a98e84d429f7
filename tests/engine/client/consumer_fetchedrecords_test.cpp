// FetchedRecords on hand-built fetch answers: every codec, a fetch offset inside a batch, CRC mismatches,
// transactions aborted and committed, cut-off tails, legacy message sets and records that do not decode.
#include "engine/client/fetchedrecords.h"
#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/protocol/records/crc32c.h"
#include "engine/protocol/records/legacymessageset.h"
#include "engine/protocol/records/recordbatchbuilder.h"

#include <QTest>

#include <string>
#include <tuple>
#include <vector>

using namespace partita;
using namespace partita::client;
using namespace partita::protocol::records;

namespace {

std::span<const uint8_t> bytesOf(const std::string& text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::string text(const OptionalBytesView& view) {
    return view ? std::string(reinterpret_cast<const char*>(view->data()), view->size()) : std::string("<null>");
}

// One batch of `count` records "k<offset>" / "v<offset>" starting at baseOffset.
std::vector<uint8_t> makeBatch(int64_t baseOffset, int count, CompressionType codec = CompressionType::None,
                               int64_t producerId = -1, bool transactional = false) {
    RecordBatchBuilder builder;
    builder.setBaseOffset(baseOffset);
    builder.setCompression(codec);
    if (producerId >= 0) builder.setProducer(producerId, 0, 0);
    builder.setTransactional(transactional);
    builder.setPartitionLeaderEpoch(3);
    std::vector<std::string> keys, values;
    for (int i = 0; i < count; ++i) {
        keys.push_back("k" + std::to_string(baseOffset + i));
        values.push_back("v" + std::to_string(baseOffset + i));
    }
    for (int i = 0; i < count; ++i) {
        const std::string headerValue = "h" + std::to_string(baseOffset + i);
        HeaderView header{"trace", bytesOf(headerValue)};
        if (!builder.append(1700000000000 + baseOffset + i, bytesOf(keys[size_t(i)]), bytesOf(values[size_t(i)]),
                            std::span<const HeaderView>(&header, 1)))
            qFatal("append failed");
    }
    auto built = builder.build();
    if (!built) qFatal("build failed: %s", built.error().message.c_str());
    return *built;
}

std::vector<uint8_t> marker(int64_t offset, int64_t producerId, bool commit) {
    EndTxnMarkerBatch m;
    m.commit = commit;
    m.producerId = producerId;
    m.producerEpoch = 0;
    m.baseOffset = offset;
    m.timestamp = 1700000000000;
    auto built = buildEndTxnMarkerBatch(m);
    if (!built) qFatal("marker failed");
    return *built;
}

Bytes concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> all;
    for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
    return Bytes::fromVector(std::move(all));
}

FetchedRecords::ParseOptions options(int64_t fetchOffset = 0) {
    FetchedRecords::ParseOptions o;
    o.topic = "orders";
    o.partition = 2;
    o.fetchOffset = fetchOffset;
    o.partitionLimitBytes = 1048576;
    return o;
}

std::vector<int64_t> offsets(const FetchedRecords& records) {
    std::vector<int64_t> out;
    for (const FetchedRecord& r : records) out.push_back(r.offset);
    return out;
}

}  // namespace

class FetchedRecordsTest : public QObject {
    Q_OBJECT

private slots:
    void everyCodecDecodesLazily_data() {
        QTest::addColumn<int>("codec");
        for (auto c : {CompressionType::None, CompressionType::Gzip, CompressionType::Snappy, CompressionType::Lz4,
                       CompressionType::Zstd})
            QTest::newRow(compressionTypeName(c)) << int(c);
    }
    void everyCodecDecodesLazily() {
        QFETCH(int, codec);
        const auto type = CompressionType(codec);
        const Bytes set = concat({makeBatch(0, 3, type), makeBatch(3, 2, type)});
        auto parsed = FetchedRecords::parse(set, options());
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.nextOffset, int64_t(5));
        QCOMPARE(parsed.records.batches().size(), size_t(2));
        QCOMPARE(parsed.records.approximateRecordCount(), size_t(5));
        QCOMPARE(parsed.records.sizeInBytes(), set.size());

        int64_t expected = 0;
        for (const FetchedRecord& r : parsed.records) {
            QCOMPARE(r.offset, expected);
            QCOMPARE(text(r.key), "k" + std::to_string(expected));
            QCOMPARE(text(r.value), "v" + std::to_string(expected));
            QCOMPARE(r.timestamp, 1700000000000 + expected);
            QCOMPARE(r.codec, type);
            QCOMPARE(r.leaderEpoch, std::optional<int32_t>(3));
            QVERIFY(!r.aborted && !r.isControl && !r.isTransactional);
            const auto headers = r.headers();
            QCOMPARE(headers.size(), size_t(1));
            QCOMPARE(std::string(headers[0].key), std::string("trace"));
            QCOMPARE(text(headers[0].value), "h" + std::to_string(expected));
            if (type == CompressionType::None) {
                // Uncompressed payloads are views into the fetched bytes, not copies.
                QVERIFY(r.value->data() >= set.data() && r.value->data() < set.data() + set.size());
            }
            ++expected;
        }
        QCOMPARE(expected, int64_t(5));
        QVERIFY(!parsed.records.decodeError());
    }

    void ownedRecordsOutliveTheFetch() {
        std::vector<ConsumerRecord> kept;
        {
            auto parsed = FetchedRecords::parse(concat({makeBatch(10, 4, CompressionType::Zstd)}), options(10));
            auto all = parsed.records.decodeAll();
            QVERIFY(all.ok());
            kept = std::move(*all);
        }
        QCOMPARE(kept.size(), size_t(4));
        QCOMPARE(kept[3].offset, int64_t(13));
        QCOMPARE(std::string(kept[3].value->view()), std::string("v13"));
        QCOMPARE(std::string(kept[3].headers.at(0).value->view()), std::string("h13"));
        QCOMPARE(kept[3].codec, CompressionType::Zstd);
    }

    void fetchOffsetInsideABatchSkipsEarlierRecords() {
        auto parsed =
            FetchedRecords::parse(concat({makeBatch(0, 5), makeBatch(5, 5, CompressionType::Lz4)}), options(3));
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.nextOffset, int64_t(10));
        QCOMPARE(offsets(parsed.records), (std::vector<int64_t>{3, 4, 5, 6, 7, 8, 9}));

        // A batch that ends before the fetch offset is dropped whole, but still moves the position.
        auto later = FetchedRecords::parse(concat({makeBatch(0, 5), makeBatch(5, 5)}), options(5));
        QCOMPARE(later.records.batches().size(), size_t(1));
        QCOMPARE(offsets(later.records).front(), int64_t(5));
    }

    void crcMismatchIsCorruptNamingPartitionAndOffset() {
        auto second = makeBatch(3, 3);
        second[second.size() - 2] ^= 0x55;  // inside the last record's value
        const Bytes set = concat({makeBatch(0, 3), second, makeBatch(6, 3)});
        auto parsed = FetchedRecords::parse(set, options());
        QVERIFY(parsed.error);
        QCOMPARE(parsed.error->kind, ErrorKind::Corrupt);
        QVERIFY2(parsed.error->message.find("orders-2") != std::string::npos, parsed.error->message.c_str());
        QVERIFY2(parsed.error->message.find("offset 3") != std::string::npos, parsed.error->message.c_str());
        // What came before the bad batch is still returned; the position stops at it.
        QCOMPARE(offsets(parsed.records), (std::vector<int64_t>{0, 1, 2}));
        QCOMPARE(parsed.nextOffset, int64_t(3));

        // check.crcs=false trusts the broker.
        auto unchecked = options();
        unchecked.checkCrcs = false;
        auto trusted = FetchedRecords::parse(set, unchecked);
        QVERIFY(!trusted.error);
        QCOMPARE(trusted.nextOffset, int64_t(9));
    }

    void abortedTransactionsAreDroppedOrFlagged() {
        // pid 7 aborts 0-1 (marker 2); pid 8 commits 3-4 (marker 5); 6 is not transactional; pid 7
        // then commits 7 (marker 8).
        const Bytes set =
            concat({makeBatch(0, 2, CompressionType::None, 7, true), marker(2, 7, false),
                    makeBatch(3, 2, CompressionType::Snappy, 8, true), marker(5, 8, true), makeBatch(6, 1),
                    makeBatch(7, 1, CompressionType::None, 7, true), marker(8, 7, true)});
        const std::vector<AbortedTransaction> aborted{{7, 0}};

        auto committed = options();
        committed.dropAborted = true;
        committed.abortedTransactions = &aborted;
        auto readCommitted = FetchedRecords::parse(set, committed);
        QVERIFY(!readCommitted.error);
        QCOMPARE(readCommitted.nextOffset, int64_t(9));
        QCOMPARE(offsets(readCommitted.records), (std::vector<int64_t>{3, 4, 6, 7}));
        for (const FetchedRecord& r : readCommitted.records) QVERIFY(!r.aborted && !r.isControl);

        auto flagged = options();
        flagged.abortedTransactions = &aborted;
        auto readUncommitted = FetchedRecords::parse(set, flagged);
        QCOMPARE(offsets(readUncommitted.records), (std::vector<int64_t>{0, 1, 3, 4, 6, 7}));
        std::vector<int64_t> abortedOffsets;
        for (const FetchedRecord& r : readUncommitted.records) {
            if (r.aborted) abortedOffsets.push_back(r.offset);
            QCOMPARE(r.isTransactional, r.offset != 6);
        }
        QCOMPARE(abortedOffsets, (std::vector<int64_t>{0, 1}));

        // Without the list (what read_uncommitted gets from a broker) nothing can be flagged.
        auto unknown = FetchedRecords::parse(set, options());
        for (const FetchedRecord& r : unknown.records) QVERIFY(!r.aborted);
        QCOMPARE(offsets(unknown.records).size(), size_t(6));
        // ... but the markers say it, for a reader that works it out itself.
        std::vector<std::tuple<int64_t, int64_t, bool>> markers;
        for (const TransactionMarker& m : unknown.records.markers())
            markers.emplace_back(m.producerId, m.offset, m.commit);
        QCOMPARE(markers, (std::vector<std::tuple<int64_t, int64_t, bool>>{{7, 2, false}, {8, 5, true}, {7, 8, true}}));
        auto fromThree = options();
        fromThree.fetchOffset = 3;
        QCOMPARE(FetchedRecords::parse(set, fromThree).records.markers().size(), size_t(2));
    }

    void cutOffTailIsDroppedButACutFirstBatchIsReported() {
        const auto whole = makeBatch(0, 3);
        const auto big = makeBatch(3, 50);
        std::vector<uint8_t> cut(big.begin(), big.begin() + ptrdiff_t(big.size() / 2));
        auto parsed = FetchedRecords::parse(concat({whole, cut}), options());
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.nextOffset, int64_t(3));
        QCOMPARE(offsets(parsed.records), (std::vector<int64_t>{0, 1, 2}));

        auto alone = FetchedRecords::parse(concat({cut}), options(3));
        QVERIFY(alone.error);
        QCOMPARE(alone.error->kind, ErrorKind::TooLarge);
        QVERIFY2(alone.error->message.find("orders-2") != std::string::npos, alone.error->message.c_str());
        QCOMPARE(alone.nextOffset, int64_t(3));
    }

    void legacyMessageSetsAreRead() {
        std::vector<std::string> keys{"a", "b", "c"}, values{"1", "2", "3"};
        std::vector<LegacyMessageInput> input;
        for (size_t i = 0; i < keys.size(); ++i)
            input.push_back({1600000000000 + int64_t(i), bytesOf(keys[i]), bytesOf(values[i])});
        LegacyEncodeOptions plain;
        plain.magic = kMagicV1;
        plain.baseOffset = 0;
        LegacyEncodeOptions gzip = plain;
        gzip.compression = CompressionType::Gzip;
        gzip.baseOffset = 3;
        auto first = LegacyMessageSet::encode(input, plain);
        auto second = LegacyMessageSet::encode(input, gzip);
        QVERIFY(first.ok() && second.ok());
        auto parsed = FetchedRecords::parse(concat({*first, *second}), options(1));
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.nextOffset, int64_t(6));
        std::vector<std::string> seen;
        for (const FetchedRecord& r : parsed.records) {
            QCOMPARE(r.magic, kMagicV1);
            seen.push_back(std::to_string(r.offset) + text(r.key) + text(r.value));
            QCOMPARE(r.timestamp, 1600000000000 + (r.offset % 3));
            QCOMPARE(r.codec, r.offset >= 3 ? CompressionType::Gzip : CompressionType::None);
            QCOMPARE(r.valueBytes()->view(), std::string_view(text(r.value)));
        }
        QCOMPARE(seen, (std::vector<std::string>{"1b2", "2c3", "3a1", "4b2", "5c3"}));
    }

    void undecodableRecordsStopTheWalkWithAnError() {
        // A record whose length disagrees with its fields, under a CRC that matches: only
        // decoding finds it.
        auto bad = makeBatch(4, 2);
        bad[batch::kHeaderSize] = 0x02;  // the first record's length varint: 1 byte
        storeBe32(bad.data() + batch::kCrc, crc32c(std::span<const uint8_t>(bad).subspan(batch::kAttributes)));
        auto parsed = FetchedRecords::parse(concat({makeBatch(0, 4), bad}), options());
        QVERIFY(!parsed.error);  // headers and CRCs are fine

        auto cursor = parsed.records.cursor();
        FetchedRecord r;
        int count = 0;
        while (cursor.next(r)) ++count;
        QCOMPARE(count, 4);
        QVERIFY(!cursor.status());
        QCOMPARE(cursor.status().error().kind, ErrorKind::Corrupt);
        QVERIFY2(cursor.status().error().message.find("orders-2: the batch at offset 4") != std::string::npos,
                 cursor.status().error().message.c_str());

        QCOMPARE(offsets(parsed.records).size(), size_t(4));
        QVERIFY(parsed.records.decodeError());
        QVERIFY(!parsed.records.decodeAll().ok());
    }

    void emptyAnswer() {
        auto parsed = FetchedRecords::parse(Bytes(), options(42));
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.nextOffset, int64_t(42));
        QVERIFY(parsed.records.empty());
        QVERIFY(offsets(parsed.records).empty());
        FetchedRecords none;
        QVERIFY(none.empty());
        QVERIFY(offsets(none).empty());
    }
};

QTEST_GUILESS_MAIN(FetchedRecordsTest)
#include "consumer_fetchedrecords_test.moc"
