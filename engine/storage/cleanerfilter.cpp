// CleanerFilter: per-batch retention and rewriting for log compaction.
#include "engine/storage/cleanerfilter.h"

#include "engine/protocol/records/controlrecord.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/storage/cleanerconfig.h"
#include "engine/storage/offsetmap.h"

#include <spdlog/spdlog.h>

namespace partita::storage {

namespace records = protocol::records;

CleanerFilter::CleanerFilter(const OffsetMap& map, const Settings& settings,
                             std::unordered_map<int64_t, int64_t> producerLastOffsets)
    : m_map(map), m_settings(settings), m_producerLastOffsets(std::move(producerLastOffsets)) {}

void CleanerFilter::copy(const records::RecordBatchView& batch, std::vector<uint8_t>& out, CleanStats& stats) {
    auto bytes = batch.span();
    out.insert(out.end(), bytes.begin(), bytes.end());
    ++stats.batchesCopied;
}

void CleanerFilter::noteCopiedTransactionalData(const records::RecordBatchView& batch) {
    if (!batch.isTransactional()) return;
    if (batch.isControl()) {
        m_transactionsWithData.erase(batch.producerId());
    } else if (batch.recordCount() > 0) {
        m_transactionsWithData.insert(batch.producerId());
    }
}

bool CleanerFilter::markerEndsTransaction(const records::RecordBatchView& batch, const records::RecordView& record) {
    if (!record.key) return false;
    auto key = records::decodeControlRecordKey(*record.key);
    if (!key) return false;
    auto type = records::ControlRecordType(key->type);
    if (type != records::ControlRecordType::Commit && type != records::ControlRecordType::Abort) {
        return false;  // other control records (leader change, snapshots) are kept, as Kafka does
    }
    // The marker ends the transaction either way; it may only go if none of its data is left.
    return m_transactionsWithData.erase(batch.producerId()) == 0;
}

Status CleanerFilter::filter(const records::RecordBatchView& batch, bool keepHeader, std::vector<uint8_t>& out,
                             CleanStats& stats, const char* batchLabel) {
    if (batch.baseOffset() >= m_settings.endOffset) {
        noteCopiedTransactionalData(batch);
        copy(batch, out, stats);
        return {};
    }
    if (Status st = batch.validate(); !st) {
        // Never lose data to cleaning: a batch we cannot read goes over as it is.
        spdlog::warn("log cleaner: copying corrupt batch at offset {} ({}) as it is: {}", batch.baseOffset(),
                     batchLabel, st.error().message);
        noteCopiedTransactionalData(batch);
        ++stats.corruptBatchesCopied;
        copy(batch, out, stats);
        return {};
    }
    auto reader = records::RecordReader::open(batch, m_settings.maxUncompressedBatchBytes);
    if (!reader) {
        spdlog::warn("log cleaner: copying batch at offset {} ({}) as it is: {}", batch.baseOffset(), batchLabel,
                     reader.error().message);
        noteCopiedTransactionalData(batch);
        ++stats.corruptBatchesCopied;
        copy(batch, out, stats);
        return {};
    }

    const int64_t now = m_settings.nowMs;
    const bool horizonPassed = batch.hasDeleteHorizon() && batch.deleteHorizon() <= now;
    m_kept.clear();
    int32_t seen = 0;
    bool keptTombstone = false;
    int64_t tombstonesDropped = 0;
    records::RecordView r;
    if (batch.isControl()) {
        bool markerMayGo = false;
        while (reader->next(r)) {
            ++seen;
            if (seen == 1) markerMayGo = markerEndsTransaction(batch, r);
            m_kept.push_back(r);
        }
        if (markerMayGo && horizonPassed && reader->status()) {
            m_kept.clear();
            stats.markersDropped += seen;
        }
    } else {
        while (reader->next(r)) {
            ++seen;
            if (r.key && m_map.get(*r.key) > r.offset) continue;  // superseded by a later record
            if (!r.value) {
                if (horizonPassed) {
                    ++tombstonesDropped;
                    continue;
                }
                keptTombstone = true;
            }
            m_kept.push_back(r);
        }
    }
    if (!reader->status()) {
        spdlog::warn("log cleaner: copying batch at offset {} ({}) as it is: {}", batch.baseOffset(), batchLabel,
                     reader->status().error().message);
        noteCopiedTransactionalData(batch);
        ++stats.corruptBatchesCopied;
        copy(batch, out, stats);
        return {};
    }

    stats.recordsRead += seen;
    stats.recordsKept += int64_t(m_kept.size());
    stats.recordsDropped += seen - int64_t(m_kept.size());
    stats.tombstonesDropped += tombstonesDropped;
    if (batch.isTransactional() && !batch.isControl() && !m_kept.empty()) {
        m_transactionsWithData.insert(batch.producerId());
    }

    std::optional<int64_t> horizon;
    if (batch.hasDeleteHorizon()) {
        horizon = batch.deleteHorizon();
    } else if (keptTombstone || (batch.isControl() && !m_kept.empty())) {
        horizon = now + m_settings.deleteRetentionMs;
    }
    if (!m_kept.empty()) {
        const bool unchanged =
            int32_t(m_kept.size()) == batch.recordCount() && horizon.has_value() == batch.hasDeleteHorizon();
        if (unchanged) {
            copy(batch, out, stats);
            return {};
        }
        if (Status st = rebuild(batch, horizon, out); !st) return st;
        ++stats.batchesRewritten;
        return {};
    }
    auto last = m_producerLastOffsets.find(batch.producerId());
    bool lastOfProducer =
        batch.producerId() >= 0 && last != m_producerLastOffsets.end() && last->second == batch.lastOffset();
    if (!keepHeader && !lastOfProducer) {
        ++stats.batchesDropped;
        return {};
    }
    ++stats.batchesEmptied;
    if (seen == 0) {
        copy(batch, out, stats);  // already an empty header
        --stats.batchesCopied;
        return {};
    }
    return emptyHeader(batch, out);
}

Status CleanerFilter::rebuild(const records::RecordBatchView& batch, std::optional<int64_t> deleteHorizon,
                              std::vector<uint8_t>& out) {
    records::RecordBatchBuilder builder;
    builder.setBaseOffset(batch.baseOffset());
    builder.setPartitionLeaderEpoch(batch.partitionLeaderEpoch());
    builder.setProducer(batch.producerId(), batch.producerEpoch(), batch.baseSequence());
    builder.setTransactional(batch.isTransactional());
    builder.setControl(batch.isControl());
    // The codec's default level: the batch says which codec, not which level it was written with.
    builder.setCompression(batch.compression());
    if (batch.timestampType() == records::TimestampType::LogAppendTime) {
        builder.setLogAppendTime(batch.maxTimestamp());
    }
    if (deleteHorizon) {
        if (Status st = builder.setDeleteHorizon(*deleteHorizon); !st) return st;
    }
    std::vector<records::HeaderView> headers;
    for (const records::RecordView& r : m_kept) {
        headers.clear();
        r.forEachHeader([&](const records::HeaderView& h) { headers.push_back(h); });
        if (Status st = builder.appendWithOffset(r.offset, r.timestamp, r.key, r.value, headers); !st) return st;
    }
    // Keeping LastOffsetDelta keeps the batch's last sequence and next offset as the producer wrote them.
    builder.setLastOffsetDelta(batch.lastOffsetDelta());
    auto built = builder.build();
    if (!built) return built.error();
    out.insert(out.end(), built->begin(), built->end());
    return {};
}

Status CleanerFilter::emptyHeader(const records::RecordBatchView& batch, std::vector<uint8_t>& out) {
    // No records area at all, so uncompressed whatever the batch's codec was.
    records::RecordBatchBuilder builder;
    builder.setBaseOffset(batch.baseOffset());
    builder.setPartitionLeaderEpoch(batch.partitionLeaderEpoch());
    builder.setProducer(batch.producerId(), batch.producerEpoch(), batch.baseSequence());
    builder.setTransactional(batch.isTransactional());
    builder.setControl(batch.isControl());
    const bool logAppendTime = batch.timestampType() == records::TimestampType::LogAppendTime;
    if (logAppendTime) builder.setLogAppendTime(batch.maxTimestamp());
    builder.setLastOffsetDelta(batch.lastOffsetDelta());
    auto built = builder.build();
    if (!built) return built.error();
    if (!logAppendTime) {
        // Keep MaxTimestamp: retention by time looks at it.
        if (Status st = records::setMaxTimestamp(*built, records::TimestampType::CreateTime, batch.maxTimestamp()); !st)
            return st;
    }
    out.insert(out.end(), built->begin(), built->end());
    return {};
}

}  // namespace partita::storage
