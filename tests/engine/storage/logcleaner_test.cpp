// Tests of log compaction: the offset map, LogCleaner rounds against a model, lags, ratios, markers, threads, crashes.
#include "engine/storage/logcleaner.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/storage/checkpointfile.h"
#include "engine/storage/clock.h"
#include "engine/storage/logsegment.h"
#include "engine/storage/offsetmap.h"
#include "engine/storage/partitionlog.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace partita;
using namespace partita::storage;
namespace records = partita::protocol::records;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kStart = 1'700'000'000'000;
using Value = std::optional<std::string>;
using KeyValue = std::pair<std::string, Value>;

records::OptionalBytesView bytesOf(const Value& text) {
    if (!text) return std::nullopt;
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text->data()), text->size());
}

std::span<const uint8_t> spanOf(const std::string& text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

struct Producer {
    int64_t id = records::kNoProducerId;
    int16_t epoch = records::kNoProducerEpoch;
    int32_t sequence = records::kNoSequence;
    bool transactional = false;
};

std::vector<uint8_t> buildBatch(const std::vector<KeyValue>& kvs, int64_t timestamp,
                                records::CompressionType codec = records::CompressionType::None,
                                const Producer& producer = {}) {
    records::RecordBatchBuilder builder;
    builder.setCompression(codec);
    builder.setProducer(producer.id, producer.epoch, producer.sequence);
    builder.setTransactional(producer.transactional);
    for (const auto& [key, value] : kvs) {
        records::HeaderView header{"h", bytesOf(std::string("hv-") + key)};
        auto st = builder.append(timestamp, bytesOf(key), bytesOf(value), std::span(&header, 1));
        if (!st) qFatal("append: %s", st.error().message.c_str());
    }
    auto built = builder.build();
    if (!built) qFatal("build: %s", built.error().message.c_str());
    return std::move(*built);
}

LogConfig compactConfig() {
    LogConfig config;
    config.compactEnabled = true;
    config.deleteEnabled = false;
    config.segmentBytes = 2048;
    config.indexIntervalBytes = 256;
    config.minCleanableDirtyRatio = 0.0;
    config.deleteRetentionMs = 1000;
    config.fileDeleteDelayMs = 0;
    return config;
}

std::unique_ptr<PartitionLog> openLog(const std::string& dataDir, const LogConfig& config, const Clock& clock,
                                      const std::string& topic = "table") {
    auto log = PartitionLog::open(dataDir, topic, 0, config, LoadState{.cleanShutdown = true}, clock);
    if (!log) qFatal("open: %s", log.error().message.c_str());
    return std::move(*log);
}

int64_t append(PartitionLog& log, std::vector<uint8_t> batch) {
    auto info = log.appendAsLeader(batch, 0);
    if (!info) qFatal("append: %s", info.error().message.c_str());
    log.updateHighWatermark(log.logEndOffset());
    return info->firstOffset;
}

// Closes the active segment so that everything written so far is cleanable.
void sealAll(PartitionLog& log) {
    if (Status st = log.roll(); !st) qFatal("roll: %s", st.error().message.c_str());
    log.updateHighWatermark(log.logEndOffset());
}

struct ReadRecord {
    int64_t offset;
    int64_t timestamp;
    Value key;
    Value value;
    size_t headerCount;
};

struct ReadBatch {
    int64_t baseOffset;
    int64_t lastOffset;
    int32_t recordCount;
    records::CompressionType codec;
    bool control;
    bool transactional;
    bool hasDeleteHorizon;
    int64_t producerId;
    std::vector<ReadRecord> records;
};

// Every batch of the log, fetched from its start as a consumer would.
std::vector<ReadBatch> readBatches(const PartitionLog& log, int64_t maxOffset = INT64_MAX) {
    std::vector<ReadBatch> out;
    int64_t offset = log.logStartOffset();
    const int64_t end = std::min(log.logEndOffset(), maxOffset);
    while (offset < end) {
        auto result = log.read(offset, 1 << 20, end, true);
        if (!result) qFatal("read at %lld: %s", (long long)offset, result.error().message.c_str());
        if (result->records.empty()) break;
        auto bytes = result->records.read();
        if (!bytes) qFatal("read: %s", bytes.error().message.c_str());
        for (size_t at = 0; at < bytes->size();) {
            auto batch = records::RecordBatchView::parse(bytes->slice(at, bytes->size() - at));
            if (!batch) qFatal("parse: %s", batch.error().message.c_str());
            if (!batch->validate()) qFatal("batch at offset %lld fails validation", (long long)batch->baseOffset());
            at += batch->sizeInBytes();
            if (batch->lastOffset() < offset) continue;
            ReadBatch b{batch->baseOffset(),       batch->lastOffset(), batch->recordCount(),
                        batch->compression(),      batch->isControl(),  batch->isTransactional(),
                        batch->hasDeleteHorizon(), batch->producerId(), {}};
            auto reader = records::RecordReader::open(*batch, 64 << 20);
            if (!reader) qFatal("reader: %s", reader.error().message.c_str());
            records::RecordView r;
            while (reader->next(r)) {
                auto text = [](const records::OptionalBytesView& v) -> Value {
                    if (!v) return std::nullopt;
                    return std::string(v->begin(), v->end());
                };
                b.records.push_back({r.offset, r.timestamp, text(r.key), text(r.value), size_t(r.headerCount)});
            }
            if (!reader->status()) qFatal("records: %s", reader->status().error().message.c_str());
            offset = batch->nextOffset();
            out.push_back(std::move(b));
        }
    }
    return out;
}

std::vector<ReadRecord> dataRecords(const std::vector<ReadBatch>& batches) {
    std::vector<ReadRecord> out;
    for (const auto& b : batches) {
        if (b.control) continue;
        out.insert(out.end(), b.records.begin(), b.records.end());
    }
    return out;
}

// How many records each key has in the log.
std::map<std::string, int> keyCounts(const PartitionLog& log) {
    std::map<std::string, int> counts;
    for (const auto& r : dataRecords(readBatches(log))) ++counts[r.key.value_or("<null>")];
    return counts;
}

bool hasDuplicates(const PartitionLog& log) {
    for (const auto& [key, count] : keyCounts(log)) {
        if (count > 1) return true;
    }
    return false;
}

// Offsets strictly increase across batches and records: compaction leaves gaps, never reorders.
void checkOffsetsIncrease(const std::vector<ReadBatch>& batches) {
    int64_t previous = -1;
    for (const auto& b : batches) {
        QVERIFY2(b.baseOffset > previous, qPrintable(QString("batch at %1 after %2").arg(b.baseOffset).arg(previous)));
        int64_t last = previous;
        for (const auto& r : b.records) {
            QVERIFY(r.offset > last);
            QVERIFY(r.offset >= b.baseOffset && r.offset <= b.lastOffset);
            last = r.offset;
        }
        previous = b.lastOffset;
    }
}

Result<CleanStats> cleanOnce(LogCleaner& cleaner, PartitionLog& log) {
    auto stats = cleaner.cleanLog(log);
    if (!stats) qFatal("clean: %s", stats.error().message.c_str());
    return stats;
}

// The simple model: the latest record of each key, and for a tombstone the time of the first
// cleaning that saw it (its batch's delete horizon starts then).
struct ModelEntry {
    int64_t offset;
    int64_t timestamp;
    Value value;
    int64_t firstCleanedAt = -1;
};

class Workload {
public:
    Workload(uint32_t seed, int keySpace) : m_rng(seed), m_keySpace(keySpace) {}

    void appendBatches(PartitionLog& log, const ManualClock& clock, int batches) {
        static constexpr records::CompressionType kCodecs[] = {
            records::CompressionType::None, records::CompressionType::Gzip, records::CompressionType::Snappy,
            records::CompressionType::Lz4, records::CompressionType::Zstd};
        for (int i = 0; i < batches; ++i) {
            int count = 1 + int(m_rng() % 8);
            std::vector<KeyValue> kvs;
            for (int j = 0; j < count; ++j) {
                std::string key = "k" + std::to_string(m_rng() % uint32_t(m_keySpace));
                Value value;
                if (m_rng() % 10 != 0) value = "v" + std::to_string(m_serial++) + std::string(m_rng() % 40, 'x');
                kvs.emplace_back(std::move(key), std::move(value));
            }
            auto codec = kCodecs[m_rng() % 5];
            Producer producer;
            if (m_rng() % 4 == 0) {  // an idempotent producer now and then
                producer.id = 4242;
                producer.epoch = 0;
                producer.sequence = m_sequence;
                m_sequence += count;
            }
            int64_t first = append(log, buildBatch(kvs, clock.nowMs(), codec, producer));
            codecs[first] = codec;
            for (int j = 0; j < count; ++j)
                model[kvs[size_t(j)].first] = {first + j, clock.nowMs(), kvs[size_t(j)].second};
        }
    }

    // What a cleaning at `now` that covers the whole log does to the model.
    void clean(int64_t now, int64_t deleteRetentionMs) {
        for (auto it = model.begin(); it != model.end();) {
            ModelEntry& e = it->second;
            if (!e.value) {
                if (e.firstCleanedAt < 0) {
                    e.firstCleanedAt = now;
                } else if (now >= e.firstCleanedAt + deleteRetentionMs) {
                    it = model.erase(it);
                    continue;
                }
            }
            ++it;
        }
    }

    std::map<std::string, ModelEntry> model;
    std::map<int64_t, records::CompressionType> codecs;  // by base offset, as appended

private:
    std::mt19937 m_rng;
    int m_keySpace;
    int m_serial = 0;
    int32_t m_sequence = 0;
};

void checkAgainstModel(const PartitionLog& log, const Workload& workload) {
    auto batches = readBatches(log);
    checkOffsetsIncrease(batches);
    if (QTest::currentTestFailed()) return;
    std::map<std::string, ReadRecord> seen;
    for (const auto& r : dataRecords(batches)) {
        QVERIFY(r.key.has_value());
        QVERIFY2(seen.emplace(*r.key, r).second, qPrintable(QString("key %1 appears twice").arg(r.key->c_str())));
    }
    for (const auto& [key, expected] : workload.model) {
        auto it = seen.find(key);
        QVERIFY2(it != seen.end(), qPrintable(QString("key %1 is missing").arg(key.c_str())));
        QCOMPARE(it->second.offset, expected.offset);
        QCOMPARE(it->second.value, expected.value);
        QCOMPARE(it->second.timestamp, expected.timestamp);
        QCOMPARE(it->second.headerCount, size_t(1));
    }
    QCOMPARE(seen.size(), workload.model.size());
    // Rewritten batches keep their codec (empty headers have no records to compress).
    for (const auto& b : batches) {
        if (b.control || b.records.empty()) continue;
        auto it = workload.codecs.find(b.baseOffset);
        QVERIFY(it != workload.codecs.end());
        QCOMPARE(int(b.codec), int(it->second));
    }
}

std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

bool anyEndsWith(const std::vector<std::string>& names, const std::string& suffix) {
    for (const auto& n : names) {
        if (n.size() >= suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
    }
    return false;
}

}  // namespace

class TestLogCleaner : public QObject {
    Q_OBJECT

private slots:
    void offsetMapKeepsLatestOffsetWithinItsBudget() {
        OffsetMap map(24 * 1000);  // 1000 slots
        map.reset(1'000'000);      // more keys than the budget: capped
        QCOMPARE(map.slotCount(), size_t(1000));
        QCOMPARE(map.maxEntries(), size_t(900));
        std::string a = "alpha", b = "beta", c = "gamma";
        QCOMPARE(map.get(spanOf(a)), int64_t(-1));
        map.put(spanOf(a), 3);
        map.put(spanOf(b), 4);
        map.put(spanOf(a), 10);
        QCOMPARE(map.get(spanOf(a)), int64_t(10));
        QCOMPARE(map.get(spanOf(b)), int64_t(4));
        QCOMPARE(map.get(spanOf(c)), int64_t(-1));
        QCOMPARE(map.size(), size_t(2));
        QCOMPARE(map.latestOffset(), int64_t(10));
        for (int i = 0; i < 898; ++i) map.put(spanOf("key" + std::to_string(i)), 100 + i);
        QCOMPARE(map.size(), size_t(900));
        QVERIFY(!map.canHold(1));
        for (int i = 0; i < 898; i += 97) QCOMPARE(map.get(spanOf("key" + std::to_string(i))), int64_t(100 + i));
        // A small round sizes the map to its keys, not to the budget.
        map.reset(10);
        QVERIFY(map.slotCount() < 100);
        QCOMPARE(map.size(), size_t(0));
        QCOMPARE(map.get(spanOf(a)), int64_t(-1));
    }

    void randomWorkloadsMatchModelKeyByKey_data() {
        QTest::addColumn<uint32_t>("seed");
        for (uint32_t seed : {1u, 2u, 3u, 4u, 5u, 6u}) QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
    }
    void randomWorkloadsMatchModelKeyByKey() {
        QFETCH(uint32_t, seed);
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        auto log = openLog(dir.path().toStdString(), config, clock);
        LogCleaner cleaner;
        Workload workload(seed, 40);
        for (int round = 0; round < 6; ++round) {
            workload.appendBatches(*log, clock, 40 + int(seed * 7 % 50));
            sealAll(*log);
            clock.advance(400);  // tombstones expire over a few rounds (delete.retention.ms 1000)
            uint64_t before = log->sizeInBytes();
            auto stats = cleanOnce(cleaner, *log);
            QVERIFY(stats->cleaned);
            QCOMPARE(stats->endOffset, log->logEndOffset());
            QVERIFY(log->sizeInBytes() <= before);
            workload.clean(clock.nowMs(), config.deleteRetentionMs);
            checkAgainstModel(*log, workload);
            if (QTest::currentTestFailed()) {
                qWarning("seed %u round %d", seed, round);
                return;
            }
        }
        // Tombstones are gone once delete.retention.ms has passed and a second cleaning ran.
        clock.advance(config.deleteRetentionMs);
        log->updateConfig(config);
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);  // nothing dirty: the clean part is rewritten
        workload.clean(clock.nowMs(), config.deleteRetentionMs);
        checkAgainstModel(*log, workload);
        for (const auto& [key, e] : workload.model) QVERIFY(e.value.has_value());
        // The result survives a restart unchanged.
        QVERIFY(log->close());
        log.reset();
        log = openLog(dir.path().toStdString(), config, clock);
        checkAgainstModel(*log, workload);
    }

    void cleaningKeepsLogAppendTimeAndProducerFields() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        config.logAppendTime = true;
        auto log = openLog(dir.path().toStdString(), config, clock);
        Producer producer{77, 3, 0, false};
        append(*log, buildBatch({{"a", "1"}, {"b", "1"}, {"c", "1"}}, kStart - 5000, records::CompressionType::Zstd,
                                producer));
        clock.advance(10);
        append(*log, buildBatch({{"a", "2"}}, kStart));
        sealAll(*log);
        LogCleaner cleaner;
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        auto batches = readBatches(*log);
        QCOMPARE(batches.size(), size_t(2));
        const ReadBatch& first = batches[0];
        QCOMPARE(first.producerId, int64_t(77));
        QCOMPARE(first.codec, records::CompressionType::Zstd);
        QCOMPARE(first.lastOffset, int64_t(2));  // the batch's offsets and sequences are kept
        QCOMPARE(first.records.size(), size_t(2));
        QCOMPARE(first.records[0].offset, int64_t(1));
        QCOMPARE(first.records[0].timestamp, kStart);  // LogAppendTime as stamped at append
        auto segments = log->segments();
        int timestampType = -1, epoch = -1, sequence = -2;
        (void)segments.front()->forEachBatch([&](const records::RecordBatchView& b) {
            timestampType = int(b.timestampType());
            epoch = b.producerEpoch();
            sequence = b.baseSequence();
            return false;
        });
        QCOMPARE(timestampType, int(records::TimestampType::LogAppendTime));
        QCOMPARE(epoch, 3);
        QCOMPARE(sequence, 0);
    }

    void fullOffsetMapEndsTheRoundAtABatchBoundary() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir.path().toStdString(), compactConfig(), clock);
        for (int pass = 0; pass < 2; ++pass) {
            for (int i = 0; i < 100; ++i) {
                append(*log,
                       buildBatch({{"a" + std::to_string(i), "v"}, {"b" + std::to_string(i), "v"}}, clock.nowMs()));
            }
        }
        sealAll(*log);
        CleanerConfig config;
        config.dedupeBufferSize = 24 * 100;  // 90 keys
        LogCleaner cleaner(config);
        auto first = cleanOnce(cleaner, *log);
        QVERIFY(first->cleaned);
        QVERIFY(first->endOffset < log->logEndOffset());
        QCOMPARE(first->endOffset % 2, int64_t(0));  // whole batches of two records
        QVERIFY(first->mapEntries <= 90);
        QCOMPARE(cleaner.firstDirtyOffset(*log), first->endOffset);
        int rounds = 1;
        while (cleaner.firstDirtyOffset(*log) < log->logEndOffset() && rounds < 20) {
            QVERIFY(cleanOnce(cleaner, *log)->cleaned);
            ++rounds;
        }
        QVERIFY(rounds > 2);
        // Earlier rounds kept what they could not see yet; the last one superseded it.
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        auto counts = keyCounts(*log);
        QCOMPARE(counts.size(), size_t(200));
        QVERIFY(!hasDuplicates(*log));
    }

    void dirtyRatioGatesCleaning() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        config.minCleanableDirtyRatio = 0.5;
        auto log = openLog(dir.path().toStdString(), config, clock);
        LogCleaner cleaner;
        cleaner.addLog(*log);
        auto writeKeys = [&](int from, int to, const std::string& tag) {
            for (int i = from; i < to; ++i) {
                append(*log, buildBatch({{"k" + std::to_string(i), tag + std::string(100, 'x')}}, clock.nowMs()));
            }
        };
        writeKeys(0, 60, "a");
        writeKeys(0, 60, "b");
        sealAll(*log);
        QVERIFY(cleaner.cleanDirtiestLog()->has_value());  // all dirty: ratio 1
        QVERIFY(!hasDuplicates(*log));
        QCOMPARE(cleaner.firstDirtyOffset(*log), log->logEndOffset());

        writeKeys(0, 10, "c");  // a little dirt over a large clean part
        sealAll(*log);
        auto range = cleaner.cleanableRange(*log);
        QVERIFY(range->dirtyRatio() > 0 && range->dirtyRatio() < 0.5);
        QVERIFY(!cleaner.cleanDirtiestLog()->has_value());
        QVERIFY(hasDuplicates(*log));  // below min.cleanable.dirty.ratio nothing was touched

        writeKeys(0, 60, "d");
        writeKeys(0, 60, "e");
        sealAll(*log);
        QVERIFY(cleaner.cleanableRange(*log)->dirtyRatio() >= 0.5);
        auto cleaned = cleaner.cleanDirtiestLog();
        QVERIFY(cleaned && cleaned->has_value());
        QVERIFY(!hasDuplicates(*log));
        for (const auto& r : dataRecords(readBatches(*log))) QCOMPARE(r.value->substr(0, 1), std::string("e"));

        // The first dirty offset survives in cleaner-offset-checkpoint for the next cleaner.
        auto entries = readOffsetCheckpoint(dir.path().toStdString() + "/" + LogCleaner::kCheckpointFile);
        QVERIFY(entries && entries->size() == 1);
        QCOMPARE((*entries)[0].offset, log->logEndOffset());
        LogCleaner restarted;
        QCOMPARE(restarted.firstDirtyOffset(*log), log->logEndOffset());
        cleaner.removeLog(*log);
    }

    void minCompactionLagProtectsRecentSegments() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        config.minCompactionLagMs = 10000;
        auto log = openLog(dir.path().toStdString(), config, clock);
        LogCleaner cleaner;
        auto writeAll = [&](const std::string& tag) {
            for (int i = 0; i < 20; ++i) append(*log, buildBatch({{"k" + std::to_string(i), tag}}, clock.nowMs()));
        };
        writeAll("old1");
        writeAll("old2");
        sealAll(*log);
        clock.advance(5000);
        QVERIFY(!cleanOnce(cleaner, *log)->cleaned);  // nothing is 10 s old yet
        QCOMPARE(keyCounts(*log)["k3"], 2);

        clock.advance(15000);  // the old segments are now past the lag...
        writeAll("new1");      // ...the new ones are not
        writeAll("new2");
        sealAll(*log);
        clock.advance(1000);
        auto stats = cleanOnce(cleaner, *log);
        QVERIFY(stats->cleaned);
        QVERIFY(stats->endOffset <= 40);
        QCOMPARE(keyCounts(*log)["k3"], 3);  // one old (deduplicated) and both recent ones

        clock.advance(10000);
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        QCOMPARE(keyCounts(*log)["k3"], 1);
        for (const auto& r : dataRecords(readBatches(*log))) QCOMPARE(*r.value, std::string("new2"));
    }

    void maxCompactionLagForcesCleaningBelowTheRatio() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        config.minCleanableDirtyRatio = 0.99;
        config.maxCompactionLagMs = 60000;
        auto log = openLog(dir.path().toStdString(), config, clock);
        LogCleaner cleaner;
        cleaner.addLog(*log);
        for (int i = 0; i < 50; ++i) append(*log, buildBatch({{"k" + std::to_string(i), "base"}}, clock.nowMs()));
        sealAll(*log);
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        append(*log, buildBatch({{"k1", "update"}}, clock.nowMs()));
        sealAll(*log);
        QVERIFY(!cleaner.cleanDirtiestLog()->has_value());
        QCOMPARE(keyCounts(*log)["k1"], 2);
        clock.advance(60001);
        QVERIFY(cleaner.cleanableRange(*log)->maxLagExceeded);
        QVERIFY(cleaner.cleanDirtiestLog()->has_value());
        QCOMPARE(keyCounts(*log)["k1"], 1);
        cleaner.removeLog(*log);
    }

    void transactionMarkersStayWhileTheirDataDoes() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        auto log = openLog(dir.path().toStdString(), config, clock);
        Producer txn{9000, 1, 0, true};
        auto marker = [&](int64_t offsetHint) {
            records::EndTxnMarkerBatch m;
            m.commit = true;
            m.producerId = txn.id;
            m.producerEpoch = txn.epoch;
            m.timestamp = clock.nowMs();
            m.baseOffset = offsetHint;
            auto built = records::buildEndTxnMarkerBatch(m);
            if (!built) qFatal("marker: %s", built.error().message.c_str());
            return append(*log, std::move(*built));
        };
        append(*log, buildBatch({{"t1", "x"}, {"t2", "x"}}, clock.nowMs(), records::CompressionType::None, txn));
        int64_t firstMarker = marker(0);
        txn.sequence = 2;
        append(*log, buildBatch({{"t3", "y"}}, clock.nowMs(), records::CompressionType::None, txn));
        int64_t secondMarker = marker(0);
        append(*log, buildBatch({{"t1", "plain"}, {"t2", "plain"}}, clock.nowMs()));
        sealAll(*log);

        auto markers = [&] {
            std::vector<int64_t> offsets;
            for (const auto& b : readBatches(*log)) {
                if (b.control && !b.records.empty()) offsets.push_back(b.baseOffset);
            }
            return offsets;
        };
        LogCleaner cleaner;
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        // The first transaction's data is superseded, but its marker only gets a delete horizon.
        QCOMPARE(markers(), (std::vector<int64_t>{firstMarker, secondMarker}));
        QCOMPARE(keyCounts(*log), (std::map<std::string, int>{{"t1", 1}, {"t2", 1}, {"t3", 1}}));
        for (const auto& b : readBatches(*log)) {
            if (b.control) QVERIFY(b.hasDeleteHorizon);
        }

        clock.advance(config.deleteRetentionMs + 1);
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        // Past the horizon the first marker goes; the second still guards t3.
        QCOMPARE(markers(), (std::vector<int64_t>{secondMarker}));
        QCOMPARE(keyCounts(*log), (std::map<std::string, int>{{"t1", 1}, {"t2", 1}, {"t3", 1}}));
    }

    void lastBatchOfAProducerSurvivesAsAnEmptyHeader() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir.path().toStdString(), compactConfig(), clock);
        Producer idempotent{555, 2, 0, false};
        append(*log, buildBatch({{"a", "1"}, {"b", "1"}}, clock.nowMs(), records::CompressionType::Lz4, idempotent));
        idempotent.sequence = 2;
        append(*log, buildBatch({{"a", "2"}}, clock.nowMs(), records::CompressionType::Lz4, idempotent));
        idempotent.sequence = 3;
        append(*log, buildBatch({{"a", "3"}}, clock.nowMs(), records::CompressionType::Lz4, idempotent));
        append(*log, buildBatch({{"a", "4"}, {"b", "4"}}, clock.nowMs()));
        sealAll(*log);
        LogCleaner cleaner;
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        std::vector<ReadBatch> ofProducer;
        for (auto& b : readBatches(*log)) {
            if (b.producerId == 555) ofProducer.push_back(b);
        }
        // Only the producer's last batch (offset 3) remains, empty, with its offsets as written.
        QCOMPARE(ofProducer.size(), size_t(1));
        QCOMPARE(ofProducer[0].baseOffset, int64_t(3));
        QCOMPARE(ofProducer[0].recordCount, 0);
        QCOMPARE(keyCounts(*log), (std::map<std::string, int>{{"a", 1}, {"b", 1}}));
    }

    void backgroundThreadCleansRegisteredLogsAndStopsPromptly() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto log = openLog(dir.path().toStdString(), compactConfig(), clock);
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 30; ++i) append(*log, buildBatch({{"k" + std::to_string(i), "v"}}, clock.nowMs()));
        }
        sealAll(*log);
        CleanerConfig config;
        config.backoffMs = 60000;  // stop() must not wait for the backoff
        LogCleaner cleaner(config);
        cleaner.start();
        cleaner.addLog(*log);
        QTRY_VERIFY_WITH_TIMEOUT(cleaner.roundsCompleted() >= 1 && cleaner.lastStats().cleaned, 10000);
        QVERIFY(!hasDuplicates(*log));
        auto started = std::chrono::steady_clock::now();
        cleaner.stop();
        auto took = std::chrono::steady_clock::now() - started;
        QVERIFY(took < std::chrono::seconds(2));
        cleaner.removeLog(*log);
    }

    void readsDuringCleaningSeeTheLatestValueOfEveryKey() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        config.segmentBytes = 16 * 1024;
        auto log = openLog(dir.path().toStdString(), config, clock);
        LogCleaner cleaner;
        std::mt19937 rng(7);
        std::map<std::string, std::string> latest;
        int serial = 0;
        for (int phase = 0; phase < 3; ++phase) {
            for (int i = 0; i < 1500; ++i) {
                std::vector<KeyValue> kvs;
                for (int j = 0; j < 4; ++j) {
                    std::string key = "k" + std::to_string(rng() % 300);
                    std::string value = "v" + std::to_string(serial++);
                    latest[key] = value;
                    kvs.emplace_back(key, value);
                }
                append(*log, buildBatch(kvs, clock.nowMs(),
                                        i % 2 ? records::CompressionType::Snappy : records::CompressionType::None));
            }
            sealAll(*log);
            std::atomic<bool> done{false};
            std::atomic<int> passes{0}, mismatches{0};
            const int64_t phaseEnd = log->logEndOffset();
            std::thread reader([&] {
                while (!done.load() || passes.load() == 0) {
                    std::map<std::string, std::string> seen;
                    for (const auto& r : dataRecords(readBatches(*log, phaseEnd))) seen[*r.key] = *r.value;
                    if (seen != latest) mismatches.fetch_add(1);
                    passes.fetch_add(1);
                }
            });
            // Appends go on meanwhile (to the active segment, which the cleaner never touches).
            std::thread writer([&] {
                for (int i = 0; i < 50; ++i) {
                    auto batch = buildBatch({{"other-" + std::to_string(i), "w"}}, clock.nowMs());
                    auto info = log->appendAsLeader(batch, 0);
                    if (!info) mismatches.fetch_add(1000);
                }
            });
            auto stats = cleaner.cleanLog(*log);
            writer.join();
            done.store(true);
            reader.join();
            QVERIFY(stats && stats->cleaned);
            QVERIFY(passes.load() > 0);
            QCOMPARE(mismatches.load(), 0);
            for (int i = 0; i < 50; ++i) latest["other-" + std::to_string(i)] = "w";
            sealAll(*log);
        }
    }

    void leftoverCleanedFilesAreRemovedOnReopen() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        std::string dataDir = dir.path().toStdString();
        auto log = openLog(dataDir, config, clock);
        for (int i = 0; i < 40; ++i)
            append(*log, buildBatch({{"k" + std::to_string(i % 5), "v" + std::to_string(i)}}, clock.nowMs()));
        sealAll(*log);
        auto before = dataRecords(readBatches(*log));
        std::string logDir = log->dir();
        // A crash in the middle of a round: a cleaned segment that was never swapped in.
        {
            auto cleaned = LogSegment::create(logDir, 0, log->segmentOptions(), clock.nowMs(), 0, ".cleaned");
            QVERIFY(cleaned);
            auto batch = buildBatch({{"k0", "half-cleaned"}}, clock.nowMs());
            QVERIFY((*cleaned)->append(batch));
        }
        QVERIFY(log->close());
        log.reset();
        QVERIFY(anyEndsWith(filesIn(logDir), ".cleaned"));
        log = openLog(dataDir, config, clock);
        QVERIFY(!anyEndsWith(filesIn(logDir), ".cleaned"));
        auto after = dataRecords(readBatches(*log));
        QCOMPARE(after.size(), before.size());
        for (size_t i = 0; i < after.size(); ++i) {
            QCOMPARE(after[i].offset, before[i].offset);
            QCOMPARE(after[i].value, before[i].value);
        }
        // And the log still cleans normally.
        LogCleaner cleaner;
        QVERIFY(cleanOnce(cleaner, *log)->cleaned);
        QVERIFY(!hasDuplicates(*log));
    }

    void interruptedSwapIsCompletedOnReopen() {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        LogConfig config = compactConfig();
        std::string cleanedDir = dir.path().toStdString() + "/cleaned";
        std::string crashedDir = dir.path().toStdString() + "/crashed";
        auto log = openLog(cleanedDir, config, clock);
        std::mt19937 rng(3);
        for (int i = 0; i < 200; ++i) {
            append(*log, buildBatch({{"k" + std::to_string(rng() % 15), "v" + std::to_string(i)}}, clock.nowMs()));
        }
        sealAll(*log);
        QVERIFY(log->close());
        fs::copy(cleanedDir, crashedDir, fs::copy_options::recursive);
        log = openLog(cleanedDir, config, clock);
        LogCleaner cleaner;
        QVERIFY(cleanOnce(cleaner, *log)->segmentsWritten >= 2);
        auto expected = dataRecords(readBatches(*log));
        auto segments = log->segments();
        QVERIFY(log->close());
        // The state a crash leaves after the cleaned segments became ".swap" but before the old
        // ones were removed: both on disk side by side.
        std::string crashedLogDir = crashedDir + "/" + PartitionLog::directoryName("table", 0);
        for (size_t i = 0; i + 1 < segments.size(); ++i) {
            for (const char* ext : {".log", ".index", ".timeindex"}) {
                std::string from = LogSegment::filePath(log->dir(), segments[i]->baseOffset(), ext);
                fs::copy_file(from, LogSegment::filePath(crashedLogDir, segments[i]->baseOffset(), ext, ".swap"));
            }
        }
        log.reset();
        auto reopened = openLog(crashedDir, config, clock);
        QVERIFY(!anyEndsWith(filesIn(crashedLogDir), ".swap"));
        auto got = dataRecords(readBatches(*reopened));
        QCOMPARE(got.size(), expected.size());
        for (size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].offset, expected[i].offset);
            QCOMPARE(got[i].key, expected[i].key);
            QCOMPARE(got[i].value, expected[i].value);
        }
        QVERIFY(!hasDuplicates(*reopened));
    }
};

QTEST_GUILESS_MAIN(TestLogCleaner)
#include "logcleaner_test.moc"
