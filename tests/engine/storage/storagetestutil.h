// Helpers for the storage tests: batches built as a producer would, and reading a log back record by record.
#pragma once

#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/storage/partitionlog.h"

#include <QTest>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace storagetest {

namespace records = partita::protocol::records;

// A recent wall-clock time for record timestamps and ManualClocks.
inline constexpr int64_t kStart = 1'700'000'000'000;

inline std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

// One record as the tests model it: offset, timestamp, key and value as text.
struct SimpleRecord {
    int64_t offset;
    int64_t timestamp;
    std::string key;
    std::string value;
};

inline records::OptionalBytesView bytesOf(const std::string& text) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

// A batch of `count` records "key-<n>" / "value-<n>-<padding>", timestamps firstTimestamp + i.
inline std::vector<uint8_t> makeBatch(int count, int64_t firstTimestamp, size_t valueBytes = 16,
                                      records::CompressionType codec = records::CompressionType::None, int tag = 0) {
    records::RecordBatchBuilder builder;
    builder.setCompression(codec);
    for (int i = 0; i < count; ++i) {
        std::string key = "key-" + std::to_string(tag) + "-" + std::to_string(i);
        std::string value = "value-" + std::to_string(tag) + "-" + std::to_string(i) + "-";
        value.resize(std::max(value.size(), valueBytes), 'x');
        auto st = builder.append(firstTimestamp + i, bytesOf(key), bytesOf(value));
        if (!st) qFatal("append: %s", st.error().message.c_str());
    }
    auto built = builder.build();
    if (!built) qFatal("build: %s", built.error().message.c_str());
    return std::move(*built);
}

// appendAsLeader writes offsets into the bytes it is given; tests hand it a batch they no longer need.
inline partita::Result<partita::storage::AppendInfo> leaderAppend(partita::storage::PartitionLog& log,
                                                                  std::vector<uint8_t> batch, int32_t epoch = 0) {
    return log.appendAsLeader(batch, epoch);
}

// Every record in `bytes` (whole batches), CRCs checked.
inline std::vector<SimpleRecord> decodeAll(const partita::Bytes& bytes) {
    std::vector<SimpleRecord> out;
    size_t at = 0;
    while (at < bytes.size()) {
        auto batch = records::RecordBatchView::parse(bytes.slice(at, bytes.size() - at));
        if (!batch) qFatal("parse: %s", batch.error().message.c_str());
        if (!batch->validate()) qFatal("batch at %zu fails validation", at);
        auto reader = records::RecordReader::open(*batch, 64 << 20);
        if (!reader) qFatal("reader: %s", reader.error().message.c_str());
        records::RecordView r;
        while (reader->next(r)) {
            out.push_back({r.offset, r.timestamp, r.key ? std::string(r.key->begin(), r.key->end()) : std::string(),
                           r.value ? std::string(r.value->begin(), r.value->end()) : std::string()});
        }
        at += batch->sizeInBytes();
    }
    return out;
}

// Reads the whole log from its start as a consumer would (fetch after fetch up to maxOffset).
inline std::vector<SimpleRecord> readAll(const partita::storage::PartitionLog& log, int64_t maxOffset = INT64_MAX,
                                         size_t fetchBytes = 64 * 1024) {
    std::vector<SimpleRecord> out;
    int64_t offset = log.logStartOffset();
    for (;;) {
        auto result = log.read(offset, fetchBytes, maxOffset, true);
        if (!result) qFatal("read at %lld: %s", (long long)offset, result.error().message.c_str());
        if (result->records.empty()) break;
        auto bytes = result->records.read();
        if (!bytes) qFatal("read bytes: %s", bytes.error().message.c_str());
        for (auto& r : decodeAll(*bytes)) {
            if (r.offset >= offset) out.push_back(r);
        }
        // The next fetch starts after the last batch, even if compaction left it empty.
        size_t at = 0;
        while (at < bytes->size()) {
            auto b = records::RecordBatchView::parse(bytes->slice(at, bytes->size() - at));
            offset = std::max(offset, b->nextOffset());
            at += b->sizeInBytes();
        }
    }
    return out;
}

}  // namespace storagetest
