// FetchedRecords: one partition's records from a Fetch answer, kept as bytes and decoded lazily.
#pragma once

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/legacymessageset.h"
#include "engine/protocol/records/record.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordconstants.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/protocol/result.h"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace partita::client {

// An entry of a Fetch answer's AbortedTransactions list.
struct AbortedTransaction {
    int64_t producerId = -1;
    int64_t firstOffset = 0;
};

// A transaction marker (COMMIT or ABORT control batch) a fetch passed over. Consumers hide
// markers, but a read_uncommitted reader needs them to tell which records were aborted: brokers
// send the AbortedTransactions list only to read_committed fetches.
struct TransactionMarker {
    int64_t producerId = -1;
    int64_t offset = 0;
    bool commit = false;
};

// A record that owns its bytes (they share the fetched or decompressed buffer; nothing is
// copied): for callers that keep records, such as the message browser's model.
struct ConsumerRecord {
    int64_t offset = 0;
    int64_t timestamp = protocol::records::kNoTimestamp;
    protocol::records::TimestampType timestampType = protocol::records::TimestampType::CreateTime;
    std::optional<Bytes> key;
    std::optional<Bytes> value;
    std::vector<protocol::records::RecordHeader> headers;
    std::optional<int32_t> leaderEpoch;
    protocol::records::CompressionType codec = protocol::records::CompressionType::None;
    int8_t magic = protocol::records::kMagicV2;
    bool isTransactional = false;
    bool aborted = false;
    int64_t producerId = protocol::records::kNoProducerId;
    int16_t producerEpoch = protocol::records::kNoProducerEpoch;
};

// One record as a cursor yields it. Key, value and headers are views into a buffer the record
// shares (`owner`), so they stay valid as long as this record object lives, and a cursor that
// refills the same object re-points them without allocating.
struct FetchedRecord {
    int64_t offset = 0;
    int64_t timestamp = protocol::records::kNoTimestamp;
    protocol::records::TimestampType timestampType = protocol::records::TimestampType::CreateTime;
    protocol::records::OptionalBytesView key;
    protocol::records::OptionalBytesView value;
    int32_t headerCount = 0;
    std::span<const uint8_t> headerBytes;  // magic-2 headers as encoded (already checked)
    std::optional<int32_t> leaderEpoch;    // the batch's partition leader epoch, if it has one
    protocol::records::CompressionType codec = protocol::records::CompressionType::None;
    int8_t magic = protocol::records::kMagicV2;
    bool isTransactional = false;
    // Consumers hide control records (transaction markers), so a yielded record never is one;
    // kept for callers that walk FetchedBatch themselves.
    bool isControl = false;
    // The record belongs to a transaction the answer's AbortedTransactions list says was aborted.
    // Brokers send that list only to read_committed fetches (which drop such records), so with
    // read_uncommitted this is false: unknown, not "committed".
    bool aborted = false;
    int64_t producerId = protocol::records::kNoProducerId;
    int16_t producerEpoch = protocol::records::kNoProducerEpoch;
    std::shared_ptr<const void> owner;  // keeps the bytes behind the views alive

    std::vector<protocol::records::HeaderView> headers() const;
    // Calls fn(const HeaderView&) for each header without allocating.
    template <class Fn>
    void forEachHeader(Fn&& fn) const {
        protocol::records::RecordView view;
        view.headerCount = headerCount;
        view.headerBytes = headerBytes;
        view.forEachHeader(std::forward<Fn>(fn));
    }
    // Owning views of the same bytes (no copy).
    std::optional<Bytes> keyBytes() const { return share(key); }
    std::optional<Bytes> valueBytes() const { return share(value); }
    ConsumerRecord toOwned() const;

private:
    std::optional<Bytes> share(const protocol::records::OptionalBytesView& view) const {
        if (!view) return std::nullopt;
        return Bytes(owner, view->data(), view->size());
    }
};

// One entry of a fetched record set: a magic-2 batch, or a legacy (magic 0/1) message that may
// be a compressed wrapper. Its header is read without decoding any record.
class FetchedBatch {
public:
    int8_t magic() const { return m_magic; }
    // The batch's BaseOffset; for a legacy entry its offset (a wrapper's is its last inner offset).
    int64_t baseOffset() const;
    int64_t lastOffset() const;
    // Records the batch says it holds (nullopt for a legacy entry, known only once decoded).
    std::optional<int32_t> recordCount() const;
    protocol::records::CompressionType codec() const;
    protocol::records::TimestampType timestampType() const;
    bool isTransactional() const { return m_magic == protocol::records::kMagicV2 && m_view.isTransactional(); }
    bool isControl() const { return m_magic == protocol::records::kMagicV2 && m_view.isControl(); }
    bool aborted() const { return m_aborted; }
    int64_t producerId() const;
    int16_t producerEpoch() const;
    std::optional<int32_t> leaderEpoch() const;
    const Bytes& bytes() const { return m_bytes; }

private:
    friend class FetchedRecords;
    Bytes m_bytes;
    protocol::records::RecordBatchView m_view;  // magic 2 only
    int8_t m_magic = protocol::records::kMagicV2;
    bool m_aborted = false;
};

class FetchedRecords {
public:
    class Cursor;
    class Iterator;

    FetchedRecords() = default;

    const std::string& topic() const;
    int32_t partition() const;
    // Records below this offset (the fetch position, which may fall inside the first batch)
    // are skipped when iterating.
    int64_t firstOffset() const;
    const std::vector<FetchedBatch>& batches() const;
    // The transaction markers at or after firstOffset(), in offset order.
    const std::vector<TransactionMarker>& markers() const;
    bool empty() const { return batches().empty(); }
    size_t sizeInBytes() const;
    // Records the batches hold, from their headers (legacy entries count 1 each); an upper
    // bound of what iterating yields.
    size_t approximateRecordCount() const;

    // Decodes as it goes: a batch is decompressed and parsed when the walk reaches it.
    Cursor cursor() const;
    // Range-for over the records. Iteration stops at a batch that does not decode; then
    // decodeError() says which and where (a Corrupt error naming the partition and offset).
    Iterator begin() const;
    std::default_sentinel_t end() const { return {}; }
    std::optional<Error> decodeError() const;

    // Every record as an owning ConsumerRecord, or the first decoding error.
    Result<std::vector<ConsumerRecord>> decodeAll() const;

    // How a Fetch answer's record set is read.
    struct ParseOptions {
        std::string topic;
        int32_t partition = 0;
        int64_t fetchOffset = 0;
        bool checkCrcs = true;
        // read_committed: drop batches of aborted transactions (they are flagged otherwise).
        bool dropAborted = false;
        // The answer's AbortedTransactions (nullptr or empty: none known).
        const std::vector<AbortedTransaction>* abortedTransactions = nullptr;
        size_t maxUncompressedBatchBytes = size_t(256) * 1024 * 1024;
        // Named in the error when not even the first batch came whole.
        int32_t partitionLimitBytes = 0;
    };
    struct Parsed;
    // Walks the batch headers only: CRCs (check.crcs), control batches and aborted
    // transactions. Nothing is decompressed.
    static Parsed parse(const Bytes& recordSet, const ParseOptions& options);

private:
    struct Shared;
    explicit FetchedRecords(std::shared_ptr<Shared> shared) : m_shared(std::move(shared)) {}
    std::shared_ptr<Shared> m_shared;
};

struct FetchedRecords::Parsed {
    FetchedRecords records;
    // Where the next fetch starts: past every complete batch seen, control and aborted ones
    // included; fetchOffset when nothing complete came back.
    int64_t nextOffset = 0;
    // A batch failed its CRC or the set is malformed (Corrupt, naming partition and offset:
    // the batches before it are kept), or the first batch came cut off (TooLarge).
    std::optional<Error> error;
};

// Walks the records of a FetchedRecords in offset order; keeps the batches alive on its own.
//
//   auto cursor = fetched.cursor();
//   FetchedRecord record;
//   while (cursor.next(record)) { ... }
//   if (!cursor.status()) { ... a Corrupt error naming partition and offset ... }
class FetchedRecords::Cursor {
public:
    Cursor() = default;

    bool next(FetchedRecord& record);
    const Status& status() const { return m_status; }

private:
    friend class FetchedRecords;
    explicit Cursor(std::shared_ptr<const Shared> shared);
    bool openBatch(const FetchedBatch& batch);
    bool fail(const FetchedBatch& batch, const Error& error);

    std::shared_ptr<const Shared> m_shared;
    size_t m_index = 0;
    std::optional<protocol::records::RecordReader> m_reader;
    std::vector<protocol::records::LegacyMessage> m_legacy;
    size_t m_legacyIndex = 0;
    bool m_inBatch = false;
    // Fields of the open batch that every record of it shares.
    std::shared_ptr<const void> m_owner;
    std::optional<int32_t> m_leaderEpoch;
    protocol::records::TimestampType m_timestampType = protocol::records::TimestampType::CreateTime;
    protocol::records::CompressionType m_codec = protocol::records::CompressionType::None;
    int8_t m_magic = protocol::records::kMagicV2;
    bool m_transactional = false;
    bool m_aborted = false;
    int64_t m_producerId = protocol::records::kNoProducerId;
    int16_t m_producerEpoch = protocol::records::kNoProducerEpoch;
    Status m_status;
};

class FetchedRecords::Iterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = FetchedRecord;
    using difference_type = std::ptrdiff_t;
    using pointer = const FetchedRecord*;
    using reference = const FetchedRecord&;

    Iterator() = default;
    const FetchedRecord& operator*() const { return m_record; }
    const FetchedRecord* operator->() const { return &m_record; }
    Iterator& operator++() {
        advance();
        return *this;
    }
    void operator++(int) { advance(); }
    friend bool operator==(const Iterator& it, std::default_sentinel_t) { return it.m_done; }

private:
    friend class FetchedRecords;
    Iterator(Cursor cursor, std::shared_ptr<Shared> shared);
    void advance();

    Cursor m_cursor;
    std::shared_ptr<Shared> m_shared;
    FetchedRecord m_record;
    bool m_done = true;
};

}  // namespace partita::client
