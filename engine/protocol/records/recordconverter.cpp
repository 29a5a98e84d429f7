// Legacy-to-magic-2 conversion: legacy runs become batches, existing batches pass through.
#include "engine/protocol/records/recordconverter.h"

#include "engine/protocol/records/legacymessageset.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/protocol/records/recordset.h"

#include <limits>

namespace partita::protocol::records {

namespace {

Status appendBatch(const std::vector<LegacyMessage>& messages, const UpConvertOptions& options,
                   std::vector<uint8_t>& out) {
    if (messages.empty()) return Status::success();
    bool keepOffsets = true;
    for (size_t i = 1; i < messages.size() && keepOffsets; ++i) {
        int64_t distance = 0;
        keepOffsets = messages[i].offset > messages[i - 1].offset &&
                      !__builtin_sub_overflow(messages[i].offset, messages[0].offset, &distance) &&
                      distance <= std::numeric_limits<int32_t>::max();
    }
    RecordBatchBuilder builder;
    builder.setBaseOffset(messages[0].offset);
    builder.setCompression(options.compression, options.level);
    auto view = [](const std::optional<Bytes>& b) -> OptionalBytesView {
        if (!b) return std::nullopt;
        return b->span();
    };
    for (const LegacyMessage& m : messages) {
        const int64_t timestamp = m.timestamp < 0 ? kNoTimestamp : m.timestamp;
        Status status = keepOffsets ? builder.appendWithOffset(m.offset, timestamp, view(m.key), view(m.value))
                                    : builder.append(timestamp, view(m.key), view(m.value));
        if (!status) return status;
    }
    auto batch = builder.build();
    if (!batch) return batch.error();
    out.insert(out.end(), batch->begin(), batch->end());
    return Status::success();
}

}  // namespace

Result<std::vector<uint8_t>> upConvertToV2(const Bytes& records, const UpConvertOptions& options) {
    std::vector<uint8_t> out;
    std::vector<LegacyMessage> run;
    RecordSetReader reader(records);
    for (;;) {
        auto entry = reader.next();
        if (!entry) return entry.error();
        if (!*entry || (*entry)->magic == kMagicV2) {
            Status status = appendBatch(run, options, out);
            if (!status) return status.error();
            run.clear();
            if (!*entry) break;
            out.insert(out.end(), (*entry)->bytes.span().begin(), (*entry)->bytes.span().end());
            continue;
        }
        Status status = LegacyMessageSet::decodeEntry((*entry)->bytes, options.maxUncompressed, run);
        if (!status) return status.error();
    }
    return out;
}

Result<std::optional<std::vector<uint8_t>>> recompressBatches(const Bytes& records, CompressionType target,
                                                              std::optional<int> level, size_t maxUncompressed) {
    // First pass: is there anything to do? Most produce requests already match.
    bool needed = false;
    for (size_t at = 0; at < records.size();) {
        auto batch = RecordBatchView::parse(records.slice(at, records.size() - at));
        if (!batch) return batch.error();
        needed |= !batch->isControl() && batch->codecId() != int(target);
        at += batch->sizeInBytes();
    }
    if (!needed) return std::optional<std::vector<uint8_t>>();

    std::vector<uint8_t> out;
    out.reserve(records.size());
    RecordBatchBuilder builder;
    for (size_t at = 0; at < records.size();) {
        auto batch = RecordBatchView::parse(records.slice(at, records.size() - at));
        if (!batch) return batch.error();
        at += batch->sizeInBytes();
        if (batch->isControl() || batch->codecId() == int(target)) {
            out.insert(out.end(), batch->span().begin(), batch->span().end());
            continue;
        }
        if (Status st = batch->validate(); !st) return st.error();
        auto reader = RecordReader::open(*batch, maxUncompressed);
        if (!reader) return reader.error();
        builder.setBaseOffset(batch->baseOffset());
        builder.setPartitionLeaderEpoch(batch->partitionLeaderEpoch());
        builder.setProducer(batch->producerId(), batch->producerEpoch(), batch->baseSequence());
        builder.setTransactional(batch->isTransactional());
        builder.setCompression(target, level);
        if (batch->timestampType() == TimestampType::LogAppendTime) {
            builder.setLogAppendTime(batch->maxTimestamp());
        } else {
            builder.setCreateTime();
        }
        RecordView record;
        while (reader->next(record)) {
            std::vector<HeaderView> headers = record.headers();
            if (Status st =
                    builder.appendWithOffset(record.offset, record.timestamp, record.key, record.value, headers);
                !st) {
                return st.error();
            }
        }
        if (!reader->status()) return reader->status().error();
        builder.setLastOffsetDelta(batch->lastOffsetDelta());
        auto built = builder.build();
        if (!built) return built.error();
        out.insert(out.end(), built->begin(), built->end());
    }
    return std::optional<std::vector<uint8_t>>(std::move(out));
}

Result<std::vector<uint8_t>> downConvertToLegacy(const Bytes& records, int8_t magic, size_t maxUncompressed) {
    std::vector<uint8_t> out;
    std::vector<LegacyMessageInput> run;
    LegacyEncodeOptions options;
    options.magic = magic;
    auto flush = [&]() -> Status {
        if (run.empty()) return {};
        auto encoded = LegacyMessageSet::encode(run, options);
        if (!encoded) return encoded.error();
        out.insert(out.end(), encoded->begin(), encoded->end());
        run.clear();
        return {};
    };
    for (size_t at = 0; at < records.size();) {
        auto batch = RecordBatchView::parse(records.slice(at, records.size() - at));
        if (!batch) return batch.error();
        at += batch->sizeInBytes();
        if (batch->isControl()) continue;
        auto reader = RecordReader::open(*batch, maxUncompressed);
        if (!reader) return reader.error();
        // Views into the reader's buffer: encode each batch's runs before the reader goes.
        RecordView record;
        while (reader->next(record)) {
            if (!run.empty() && record.offset != options.baseOffset + int64_t(run.size())) {
                if (Status st = flush(); !st) return st.error();
            }
            if (run.empty()) options.baseOffset = record.offset;
            run.push_back({record.timestamp, record.key, record.value});
        }
        if (!reader->status()) return reader->status().error();
        if (Status st = flush(); !st) return st.error();
    }
    return out;
}

}  // namespace partita::protocol::records
