// Reading a fetched record set: a header walk when the answer arrives, records only when iterated.
#include "engine/client/fetchedrecords.h"

#include "engine/protocol/records/byteorder.h"
#include "engine/protocol/records/controlrecord.h"
#include "engine/protocol/records/recordset.h"

#include <algorithm>
#include <mutex>

namespace partita::client {

using namespace protocol::records;

struct FetchedRecords::Shared {
    std::string topic;
    int32_t partition = 0;
    int64_t firstOffset = 0;
    size_t maxUncompressed = 0;
    std::vector<FetchedBatch> batches;
    std::vector<TransactionMarker> markers;
    size_t bytes = 0;

    // The first decoding error an iterator met (iterators cannot return one).
    mutable std::mutex errorMutex;
    mutable std::optional<Error> decodeError;

    std::string where() const { return topic + "-" + std::to_string(partition); }
};

namespace {

// Legacy entries: Offset int64 | Size int32 | CRC uint32 | Magic int8 | Attributes int8.
constexpr size_t kLegacyAttributes = 17;

const std::string& emptyString() {
    static const std::string empty;
    return empty;
}

const std::vector<FetchedBatch>& noBatches() {
    static const std::vector<FetchedBatch> none;
    return none;
}

}  // namespace

// ---- FetchedRecord

std::vector<HeaderView> FetchedRecord::headers() const {
    std::vector<HeaderView> out;
    out.reserve(size_t(headerCount));
    forEachHeader([&](const HeaderView& h) { out.push_back(h); });
    return out;
}

ConsumerRecord FetchedRecord::toOwned() const {
    ConsumerRecord out;
    out.offset = offset;
    out.timestamp = timestamp;
    out.timestampType = timestampType;
    out.key = keyBytes();
    out.value = valueBytes();
    out.headers.reserve(size_t(headerCount));
    forEachHeader([&](const HeaderView& h) {
        out.headers.push_back(RecordHeader{std::string(h.key), share(h.value)});
    });
    out.leaderEpoch = leaderEpoch;
    out.codec = codec;
    out.magic = magic;
    out.isTransactional = isTransactional;
    out.aborted = aborted;
    out.producerId = producerId;
    out.producerEpoch = producerEpoch;
    return out;
}

// ---- FetchedBatch

int64_t FetchedBatch::baseOffset() const {
    return m_magic == kMagicV2 ? m_view.baseOffset() : loadBeI64(m_bytes.data());
}

int64_t FetchedBatch::lastOffset() const {
    return m_magic == kMagicV2 ? m_view.lastOffset() : loadBeI64(m_bytes.data());
}

std::optional<int32_t> FetchedBatch::recordCount() const {
    if (m_magic != kMagicV2) return std::nullopt;
    return m_view.recordCount();
}

CompressionType FetchedBatch::codec() const {
    const int id = m_magic == kMagicV2 ? m_view.codecId() : (m_bytes.data()[kLegacyAttributes] & batch::kCodecMask);
    return compressionTypeFromId(id).value_or(CompressionType::None);
}

TimestampType FetchedBatch::timestampType() const {
    if (m_magic == kMagicV2) return m_view.timestampType();
    if (m_magic == kMagicV1 && (m_bytes.data()[kLegacyAttributes] & batch::kTimestampTypeBit) != 0)
        return TimestampType::LogAppendTime;
    return TimestampType::CreateTime;
}

int64_t FetchedBatch::producerId() const {
    return m_magic == kMagicV2 ? m_view.producerId() : kNoProducerId;
}

int16_t FetchedBatch::producerEpoch() const {
    return m_magic == kMagicV2 ? m_view.producerEpoch() : kNoProducerEpoch;
}

std::optional<int32_t> FetchedBatch::leaderEpoch() const {
    if (m_magic != kMagicV2 || m_view.partitionLeaderEpoch() < 0) return std::nullopt;
    return m_view.partitionLeaderEpoch();
}

// ---- FetchedRecords

const std::string& FetchedRecords::topic() const {
    return m_shared ? m_shared->topic : emptyString();
}

int32_t FetchedRecords::partition() const {
    return m_shared ? m_shared->partition : 0;
}

int64_t FetchedRecords::firstOffset() const {
    return m_shared ? m_shared->firstOffset : 0;
}

const std::vector<FetchedBatch>& FetchedRecords::batches() const {
    return m_shared ? m_shared->batches : noBatches();
}

const std::vector<TransactionMarker>& FetchedRecords::markers() const {
    static const std::vector<TransactionMarker> none;
    return m_shared ? m_shared->markers : none;
}

size_t FetchedRecords::sizeInBytes() const {
    return m_shared ? m_shared->bytes : 0;
}

size_t FetchedRecords::approximateRecordCount() const {
    size_t count = 0;
    for (const FetchedBatch& b : batches()) count += size_t(std::max<int32_t>(b.recordCount().value_or(1), 0));
    return count;
}

FetchedRecords::Cursor FetchedRecords::cursor() const {
    return Cursor(m_shared);
}

FetchedRecords::Iterator FetchedRecords::begin() const {
    return Iterator(cursor(), m_shared);
}

std::optional<Error> FetchedRecords::decodeError() const {
    if (!m_shared) return std::nullopt;
    std::lock_guard lock(m_shared->errorMutex);
    return m_shared->decodeError;
}

Result<std::vector<ConsumerRecord>> FetchedRecords::decodeAll() const {
    std::vector<ConsumerRecord> out;
    out.reserve(approximateRecordCount());
    Cursor c = cursor();
    FetchedRecord record;
    while (c.next(record)) out.push_back(record.toOwned());
    if (!c.status()) return c.status().error();
    return out;
}

FetchedRecords::Parsed FetchedRecords::parse(const Bytes& recordSet, const ParseOptions& options) {
    auto shared = std::make_shared<Shared>();
    shared->topic = options.topic;
    shared->partition = options.partition;
    shared->firstOffset = options.fetchOffset;
    shared->maxUncompressed = options.maxUncompressedBatchBytes;

    Parsed out;
    out.nextOffset = options.fetchOffset;
    const std::string where = shared->where();
    auto corrupt = [&](ErrorKind kind, const std::string& message) {
        out.error = Error{kind == ErrorKind::Malformed ? ErrorKind::Corrupt : kind, where + ": " + message};
    };

    // Transactions known to be aborted, by first offset: a producer's data batches are aborted
    // from that offset until its ABORT marker (Kafka's consumer walks them the same way).
    std::vector<AbortedTransaction> aborted;
    if (options.abortedTransactions != nullptr) aborted = *options.abortedTransactions;
    std::sort(aborted.begin(), aborted.end(),
              [](const AbortedTransaction& a, const AbortedTransaction& b) { return a.firstOffset < b.firstOffset; });
    size_t nextAborted = 0;
    std::vector<int64_t> abortedProducers;
    auto isAbortedProducer = [&](int64_t pid) {
        return std::find(abortedProducers.begin(), abortedProducers.end(), pid) != abortedProducers.end();
    };

    RecordSetReader reader(recordSet);
    for (;;) {
        auto entry = reader.next();
        if (!entry) {
            corrupt(entry.error().kind, "the record set after offset " + std::to_string(out.nextOffset - 1) +
                                            " is malformed: " + entry.error().message);
            break;
        }
        if (!*entry) break;
        RecordSetEntry& e = **entry;

        if (e.magic != kMagicV2) {
            // A legacy entry's offset is its last message's (a wrapper's inner offsets end there).
            const int64_t next = wrappingAdd(e.offset, 1);
            if (e.offset >= options.fetchOffset) {
                FetchedBatch b;
                b.m_bytes = e.bytes;
                b.m_magic = e.magic;
                shared->bytes += b.m_bytes.size();
                shared->batches.push_back(std::move(b));
            }
            out.nextOffset = std::max(out.nextOffset, next);
            continue;
        }

        auto view = RecordBatchView::parse(e.bytes);
        if (!view) {
            corrupt(view.error().kind,
                    "record batch at offset " + std::to_string(e.offset) + " is malformed: " + view.error().message);
            break;
        }
        if (options.checkCrcs) {
            if (Status valid = view->validate(); !valid) {
                corrupt(valid.error().kind, valid.error().message);
                break;
            }
        }

        while (nextAborted < aborted.size() && aborted[nextAborted].firstOffset <= view->lastOffset()) {
            if (!isAbortedProducer(aborted[nextAborted].producerId))
                abortedProducers.push_back(aborted[nextAborted].producerId);
            ++nextAborted;
        }
        const int64_t next = view->nextOffset();
        const bool before = view->lastOffset() < options.fetchOffset;
        out.nextOffset = std::max(out.nextOffset, next);

        if (view->isControl()) {
            if (auto marker = readTxnMarker(*view)) {
                if (!marker->commit) std::erase(abortedProducers, view->producerId());
                if (!before) shared->markers.push_back({view->producerId(), view->baseOffset(), marker->commit});
            }
            continue;
        }
        if (before) continue;
        const bool isAborted = view->isTransactional() && isAbortedProducer(view->producerId());
        if (isAborted && options.dropAborted) continue;

        FetchedBatch b;
        b.m_bytes = view->bytes();
        b.m_view = *view;
        b.m_magic = kMagicV2;
        b.m_aborted = isAborted;
        shared->bytes += b.m_bytes.size();
        shared->batches.push_back(std::move(b));
    }

    if (!out.error && out.nextOffset == options.fetchOffset && reader.truncatedTail()) {
        // Brokers return the first batch whole even over the limits (KIP-74); only an old or
        // unusual broker cuts it, and fetching again would get the same cut-off bytes.
        out.error =
            Error{ErrorKind::TooLarge, where + ": the batch at offset " + std::to_string(options.fetchOffset) +
                                           " is larger than the " + std::to_string(recordSet.size()) +
                                           " bytes the broker returned (max.partition.fetch.bytes is " +
                                           std::to_string(options.partitionLimitBytes) + "); raise the fetch limits"};
    }
    out.records = FetchedRecords(std::move(shared));
    return out;
}

// ---- Cursor

FetchedRecords::Cursor::Cursor(std::shared_ptr<const Shared> shared) : m_shared(std::move(shared)) {}

bool FetchedRecords::Cursor::fail(const FetchedBatch& batch, const Error& error) {
    m_status = Error{
        error.kind == ErrorKind::Malformed || error.kind == ErrorKind::Truncated ? ErrorKind::Corrupt : error.kind,
        m_shared->where() + ": the batch at offset " + std::to_string(batch.baseOffset()) +
            " does not decode: " + error.message};
    m_index = m_shared->batches.size();
    m_inBatch = false;
    m_reader.reset();
    m_legacy.clear();
    return false;
}

bool FetchedRecords::Cursor::openBatch(const FetchedBatch& b) {
    m_magic = b.m_magic;
    m_codec = b.codec();
    m_timestampType = b.timestampType();
    m_transactional = b.isTransactional();
    m_aborted = b.m_aborted;
    m_producerId = b.producerId();
    m_producerEpoch = b.producerEpoch();
    m_leaderEpoch = b.leaderEpoch();
    if (b.m_magic == kMagicV2) {
        auto reader = RecordReader::open(b.m_view, m_shared->maxUncompressed);
        if (!reader) return fail(b, reader.error());
        m_reader.emplace(std::move(*reader));
        m_owner = m_reader->recordsArea().owner();
    } else {
        m_legacy.clear();
        m_legacyIndex = 0;
        if (Status s = LegacyMessageSet::decodeEntry(b.m_bytes, m_shared->maxUncompressed, m_legacy); !s)
            return fail(b, s.error());
    }
    m_inBatch = true;
    return true;
}

bool FetchedRecords::Cursor::next(FetchedRecord& out) {
    if (!m_shared) return false;
    const std::vector<FetchedBatch>& batches = m_shared->batches;
    const int64_t first = m_shared->firstOffset;
    for (;;) {
        if (!m_inBatch) {
            if (m_index >= batches.size()) return false;
            if (!openBatch(batches[m_index])) return false;
        }
        if (m_magic == kMagicV2) {
            RecordView r;
            bool found = false;
            while (m_reader->next(r)) {
                if (r.offset >= first) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                if (!m_reader->status()) return fail(batches[m_index], m_reader->status().error());
                m_reader.reset();
                m_inBatch = false;
                ++m_index;
                continue;
            }
            out.offset = r.offset;
            out.timestamp = r.timestamp;
            out.key = r.key;
            out.value = r.value;
            out.headerCount = r.headerCount;
            out.headerBytes = r.headerBytes;
            if (out.owner != m_owner) out.owner = m_owner;
        } else {
            const LegacyMessage* m = nullptr;
            while (m_legacyIndex < m_legacy.size()) {
                const LegacyMessage& candidate = m_legacy[m_legacyIndex++];
                if (candidate.offset >= first) {
                    m = &candidate;
                    break;
                }
            }
            if (m == nullptr) {
                m_legacy.clear();
                m_inBatch = false;
                ++m_index;
                continue;
            }
            out.offset = m->offset;
            out.timestamp = m->timestamp;
            out.key = m->key ? OptionalBytesView(m->key->span()) : std::nullopt;
            out.value = m->value ? OptionalBytesView(m->value->span()) : std::nullopt;
            out.headerCount = 0;
            out.headerBytes = {};
            const Bytes* holder = m->value ? &*m->value : (m->key ? &*m->key : nullptr);
            out.owner = holder != nullptr ? holder->owner() : nullptr;
            m_timestampType = m->timestampType;
        }
        out.timestampType = m_timestampType;
        out.leaderEpoch = m_leaderEpoch;
        out.codec = m_codec;
        out.magic = m_magic;
        out.isTransactional = m_transactional;
        out.isControl = false;
        out.aborted = m_aborted;
        out.producerId = m_producerId;
        out.producerEpoch = m_producerEpoch;
        return true;
    }
}

// ---- Iterator

FetchedRecords::Iterator::Iterator(Cursor cursor, std::shared_ptr<Shared> shared)
    : m_cursor(std::move(cursor)), m_shared(std::move(shared)), m_done(false) {
    advance();
}

void FetchedRecords::Iterator::advance() {
    if (m_done) return;
    if (m_cursor.next(m_record)) return;
    m_done = true;
    if (!m_cursor.status() && m_shared) {
        std::lock_guard lock(m_shared->errorMutex);
        if (!m_shared->decodeError) m_shared->decodeError = m_cursor.status().error();
    }
}

}  // namespace partita::client
