// Tests for record sets: splitting by magic, incomplete tails, limits, and legacy-to-v2 conversion.
#include "engine/protocol/records/recordset.h"
#include "engine/protocol/records/legacymessageset.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordconverter.h"

#include "recordstestutil.h"

#include <QTest>

using namespace partita;
using namespace partita::protocol::records;
using namespace recordstest;

Q_DECLARE_METATYPE(partita::protocol::records::CompressionType)

namespace {

constexpr size_t kLimit = 64 << 20;

std::vector<uint8_t> legacySet(int8_t magic, CompressionType codec, int64_t baseOffset,
                               const std::vector<std::string>& values) {
    std::vector<LegacyMessageInput> inputs;
    for (size_t i = 0; i < values.size(); ++i) {
        inputs.push_back({1700000000000 + int64_t(i), std::nullopt, spanOf(values[i])});
    }
    return *LegacyMessageSet::encode(inputs, {.magic = magic, .compression = codec, .baseOffset = baseOffset});
}

std::vector<uint8_t> v2Batch(int64_t baseOffset, const std::vector<std::string>& values) {
    RecordBatchBuilder builder;
    builder.setBaseOffset(baseOffset);
    for (const auto& v : values) (void)builder.append(1700000000000, std::nullopt, spanOf(v));
    return *builder.build();
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace

class TestRecordSet : public QObject {
    Q_OBJECT

private slots:
    void splitsMixedFormats() {
        const auto set = concat({legacySet(0, CompressionType::None, 0, {"a", "b"}),
                                 legacySet(1, CompressionType::Gzip, 2, {"c", "d"}), v2Batch(4, {"e", "f", "g"})});
        QCOMPARE(peekMagic(set), std::optional<int8_t>(0));
        RecordSetReader reader(Bytes::fromVector(set));
        std::vector<std::pair<int64_t, int8_t>> seen;
        for (;;) {
            auto entry = reader.next();
            QVERIFY(entry.ok());
            if (!*entry) break;
            seen.emplace_back((*entry)->offset, (*entry)->magic);
        }
        const std::vector<std::pair<int64_t, int8_t>> expected = {{0, 0}, {1, 0}, {3, 1}, {4, 2}};
        QCOMPARE(seen, expected);
        QVERIFY(!reader.truncatedTail());
        QCOMPARE(reader.position(), set.size());

        auto summary = summarizeRecordSet(Bytes::fromVector(set));
        QVERIFY(summary.ok());
        QCOMPARE(summary->entries, 4);
        QCOMPARE(summary->minMagic, int8_t(0));
        QCOMPARE(summary->maxMagic, int8_t(2));
        QVERIFY(summary->hasLegacy());

        // Magic-2-only readers refuse the legacy entries.
        RecordSetReader batches(Bytes::fromVector(set));
        auto first = batches.nextBatch();
        QVERIFY(!first.ok());
        QCOMPARE(first.error().kind, ErrorKind::Unsupported);
    }

    void readsBatchesBackToBack() {
        const auto set = concat({v2Batch(0, {"a"}), v2Batch(1, {"b", "c"}), v2Batch(3, {"d"})});
        RecordSetReader reader(Bytes::fromVector(set));
        std::vector<int64_t> offsets;
        for (;;) {
            auto batch = reader.nextBatch();
            QVERIFY(batch.ok());
            if (!*batch) break;
            QVERIFY((*batch)->validate());
            offsets.push_back((*batch)->baseOffset());
        }
        QCOMPARE(offsets, (std::vector<int64_t>{0, 1, 3}));
        QCOMPARE(peekMagic(set), std::optional<int8_t>(2));
        QVERIFY(!peekMagic(std::span(set).first(16)));
        auto summary = summarizeRecordSet(Bytes::fromVector(set));
        QVERIFY(!summary->hasLegacy());
    }

    void incompleteTailIsDroppedSilently() {
        const auto whole = concat({v2Batch(0, {"a", "b"}), v2Batch(2, {"c", "d"})});
        const size_t firstSize = v2Batch(0, {"a", "b"}).size();
        for (size_t cut = firstSize; cut < whole.size(); ++cut) {
            RecordSetReader reader(Bytes::copyOf(std::span(whole).first(cut)));
            auto a = reader.nextBatch();
            QVERIFY(a.ok() && *a);
            auto b = reader.nextBatch();
            QVERIFY(b.ok());
            QVERIFY(!*b);
            QCOMPARE(reader.truncatedTail(), cut > firstSize);
        }
        // The same for legacy sets: the cut entry simply is not there.
        const auto legacy = legacySet(1, CompressionType::None, 0, {"x", "y"});
        RecordSetReader reader(Bytes::copyOf(std::span(legacy).first(legacy.size() - 1)));
        QVERIFY(reader.next().ok());
        auto second = reader.next();
        QVERIFY(second.ok() && !*second);
        QVERIFY(reader.truncatedTail());
    }

    void badEntriesAreErrors() {
        auto batch = v2Batch(0, {"a"});
        {
            auto tiny = batch;
            storeBe32(tiny.data() + 8, 13);  // below the smallest legacy message
            RecordSetReader reader(Bytes::fromVector(tiny));
            QCOMPARE(reader.next().error().kind, ErrorKind::Malformed);
        }
        {
            auto shortBatch = batch;
            storeBe32(shortBatch.data() + 8, 30);  // a legacy size, but magic 2 needs 49
            RecordSetReader reader(Bytes::fromVector(shortBatch));
            QCOMPARE(reader.next().error().kind, ErrorKind::Malformed);
        }
        {
            RecordSetReader reader(Bytes::fromVector(batch), batch.size() - 1);
            QCOMPARE(reader.next().error().kind, ErrorKind::TooLarge);
        }
        {
            // A size over the limit is an error even when the bytes are not all there.
            auto huge = batch;
            storeBe32(huge.data() + 8, 0x7fffff00);
            RecordSetReader reader(Bytes::fromVector(huge), 1 << 20);
            QCOMPARE(reader.next().error().kind, ErrorKind::TooLarge);
        }
        {
            auto future = batch;
            future[16] = 3;
            RecordSetReader reader(Bytes::fromVector(future));
            QCOMPARE(reader.next().error().kind, ErrorKind::Unsupported);
        }
        RecordSetReader empty(Bytes{});
        auto none = empty.next();
        QVERIFY(none.ok() && !*none);
        QVERIFY(!empty.truncatedTail());
    }

    void upConvertsLegacySets_data() {
        QTest::addColumn<int>("magic");
        QTest::addColumn<CompressionType>("source");
        QTest::addColumn<CompressionType>("target");
        for (int magic : {0, 1}) {
            for (int id = 0; id <= 3; ++id) {
                QTest::addRow("magic %d %s to none", magic, compressionTypeName(CompressionType(id)))
                    << magic << CompressionType(id) << CompressionType::None;
            }
            QTest::addRow("magic %d gzip to zstd", magic) << magic << CompressionType::Gzip << CompressionType::Zstd;
            QTest::addRow("magic %d lz4 to lz4", magic) << magic << CompressionType::Lz4 << CompressionType::Lz4;
        }
    }

    void upConvertsLegacySets() {
        QFETCH(int, magic);
        QFETCH(CompressionType, source);
        QFETCH(CompressionType, target);
        std::mt19937_64 rng(4);
        std::vector<std::string> values;
        for (int i = 0; i < 50; ++i) values.push_back(jsonPayload(rng, 200));
        const auto set = legacySet(int8_t(magic), source, 1000, values);
        auto converted = upConvertToV2(Bytes::fromVector(set), {.compression = target});
        QVERIFY2(converted.ok(), converted.ok() ? "" : converted.error().message.c_str());

        RecordSetReader reader(Bytes::fromVector(*converted));
        auto batch = reader.nextBatch();
        QVERIFY(batch.ok() && *batch);
        const RecordBatchView& view = **batch;
        QVERIFY(view.validate());
        QCOMPARE(view.compression(), target);
        QCOMPARE(view.baseOffset(), int64_t(1000));
        QCOMPARE(view.recordCount(), 50);
        QCOMPARE(view.timestampType(), TimestampType::CreateTime);
        QCOMPARE(view.producerId(), kNoProducerId);
        auto records = view.decodeRecords(kLimit);
        QVERIFY(records.ok());
        for (size_t i = 0; i < values.size(); ++i) {
            const Record& r = (*records)[i];
            QCOMPARE(r.offset, int64_t(1000 + i));
            QCOMPARE(r.timestamp, magic == 0 ? kNoTimestamp : int64_t(1700000000000 + i));
            QVERIFY(!r.key);
            QCOMPARE(std::string(r.value->view()), values[i]);
        }
        QCOMPARE(view.maxTimestamp(), magic == 0 ? kNoTimestamp : int64_t(1700000000049));
        auto end = reader.nextBatch();
        QVERIFY(end.ok() && !*end);
    }

    void upConversionKeepsBatchesAndGroupsRuns() {
        // legacy, legacy, v2, legacy => batch(legacy x2), the v2 batch as it was, batch(legacy).
        const auto passthrough = v2Batch(4, {"e"});
        const auto set = concat({legacySet(1, CompressionType::None, 0, {"a", "b"}),
                                 legacySet(1, CompressionType::Snappy, 2, {"c", "d"}), passthrough,
                                 legacySet(0, CompressionType::None, 5, {"f"})});
        auto converted = upConvertToV2(Bytes::fromVector(set));
        QVERIFY(converted.ok());
        RecordSetReader reader(Bytes::fromVector(*converted));
        std::vector<std::pair<int64_t, int32_t>> batches;
        std::vector<std::vector<uint8_t>> raw;
        for (;;) {
            auto batch = reader.nextBatch();
            QVERIFY(batch.ok());
            if (!*batch) break;
            QVERIFY((*batch)->validate());
            batches.emplace_back((*batch)->baseOffset(), (*batch)->recordCount());
            raw.emplace_back((*batch)->span().begin(), (*batch)->span().end());
        }
        QCOMPARE(batches, (std::vector<std::pair<int64_t, int32_t>>{{0, 4}, {4, 1}, {5, 1}}));
        QCOMPARE(raw[1], passthrough);
    }

    void upConversionOffsets() {
        // Producers often send every offset as 0: the batch gets consecutive deltas.
        std::vector<uint8_t> zeros;
        for (int i = 0; i < 3; ++i) {
            const auto one = legacySet(0, CompressionType::None, 0, {"v" + std::to_string(i)});
            zeros.insert(zeros.end(), one.begin(), one.end());
        }
        auto converted = upConvertToV2(Bytes::fromVector(zeros));
        QVERIFY(converted.ok());
        auto view = RecordBatchView::parse(Bytes::fromVector(*converted));
        QCOMPARE(view->lastOffsetDelta(), 2);
        QCOMPARE((*view->decodeRecords(kLimit))[2].offset, int64_t(2));

        // Stored data with gaps (compacted) keeps its offsets.
        const auto gapped =
            concat({legacySet(1, CompressionType::None, 10, {"a"}), legacySet(1, CompressionType::None, 15, {"b"})});
        converted = upConvertToV2(Bytes::fromVector(gapped));
        view = RecordBatchView::parse(Bytes::fromVector(*converted));
        QCOMPARE(view->baseOffset(), int64_t(10));
        QCOMPARE(view->lastOffsetDelta(), 5);
        QCOMPARE((*view->decodeRecords(kLimit))[1].offset, int64_t(15));

        // Offsets at the ends of the int64 range fall back to consecutive deltas without overflow.
        const auto extreme = concat({legacySet(1, CompressionType::None, std::numeric_limits<int64_t>::min(), {"a"}),
                                     legacySet(1, CompressionType::None, std::numeric_limits<int64_t>::max(), {"b"})});
        converted = upConvertToV2(Bytes::fromVector(extreme));
        QVERIFY(converted.ok());
        view = RecordBatchView::parse(Bytes::fromVector(*converted));
        QCOMPARE(view->lastOffsetDelta(), 1);

        // Nothing in, nothing out; a corrupt legacy entry is an error.
        QVERIFY(upConvertToV2(Bytes{})->empty());
        auto bad = legacySet(1, CompressionType::None, 0, {"a"});
        bad.back() ^= 1;
        QVERIFY(!upConvertToV2(Bytes::fromVector(bad)).ok());
    }
};

QTEST_APPLESS_MAIN(TestRecordSet)
#include "recordset_test.moc"
