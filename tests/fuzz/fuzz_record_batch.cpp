// fuzz_record_batch: libFuzzer target for record sets and the compression codecs.
//
// Batch and legacy-message iteration, record decoding, bounded decompression, up-conversion
// and the batch builder round trip.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <zlib.h>

#include "engine/protocol/bytes.h"
#include "engine/protocol/records/compression.h"
#include "engine/protocol/records/crc32c.h"
#include "engine/protocol/records/legacymessageset.h"
#include "engine/protocol/records/record.h"
#include "engine/protocol/records/recordbatch.h"
#include "engine/protocol/records/recordbatchbuilder.h"
#include "engine/protocol/records/recordconverter.h"
#include "engine/protocol/records/recordreader.h"
#include "engine/protocol/records/recordset.h"

using namespace partita;
using namespace partita::protocol::records;

namespace {

// Small enough to keep every run fast and far below -rss_limit_mb, large enough that a
// decompression bomb in a 64 KiB input reaches it.
constexpr size_t kMaxUncompressed = size_t{1} << 20;

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_record_batch: invariant broken: %s\n", what.c_str());
    std::abort();
}

Bytes exactCopy(std::span<const uint8_t> data) {
    return Bytes::copyOf(data);
}

bool within(std::span<const uint8_t> inner, const Bytes& outer) {
    return inner.empty() ||
           (inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size());
}

// Every record the reader yields must point into its records area, and its headers must be
// readable both ways with the count it announced.
int32_t readBatch(const RecordBatchView& batch, std::vector<Record>* keep) {
    auto reader = RecordReader::open(batch, kMaxUncompressed);
    if (!reader) return -1;
    RecordView r;
    int32_t count = 0;
    while (reader->next(r)) {
        ++count;
        const Bytes& area = reader->recordsArea();
        if ((r.key && !within(*r.key, area)) || (r.value && !within(*r.value, area)) || !within(r.headerBytes, area) ||
            !within(r.encoded, area))
            fail("a record view points outside its records area");
        int32_t headers = 0;
        r.forEachHeader([&](const HeaderView& h) {
            ++headers;
            if (h.value && !within(*h.value, area)) fail("a header value points outside the records area");
        });
        if (headers != r.headerCount || r.headers().size() != static_cast<size_t>(r.headerCount))
            fail("header count differs from the headers read");
        if (keep) {
            Record owned;
            owned.offset = r.offset;
            owned.timestamp = r.timestamp;
            if (r.key) owned.key = Bytes::copyOf(*r.key);
            if (r.value) owned.value = Bytes::copyOf(*r.value);
            for (const HeaderView& h : r.headers())
                owned.headers.push_back(
                    {std::string(h.key), h.value ? std::optional(Bytes::copyOf(*h.value)) : std::nullopt});
            keep->push_back(std::move(owned));
        }
    }
    if (!reader->status()) return -1;
    if (count != batch.recordCount()) fail("reader finished cleanly with a record count other than the header's");
    return count;
}

// A batch that decodes is rebuilt from its records with the builder; the new batch must be
// valid and give back the same records. The builder may refuse values it never writes (such
// as negative timestamps); that is not a finding.
void rebuild(const RecordBatchView& batch, const std::vector<Record>& records) {
    if (batch.isControl() || records.empty()) return;
    RecordBatchBuilder builder;
    builder.setBaseOffset(batch.baseOffset());
    builder.setProducer(batch.producerId(), batch.producerEpoch(), batch.baseSequence());
    builder.setTransactional(batch.isTransactional());
    for (const Record& r : records) {
        std::vector<HeaderView> headers;
        for (const RecordHeader& h : r.headers)
            headers.push_back({h.key, h.value ? OptionalBytesView(h.value->span()) : std::nullopt});
        OptionalBytesView key = r.key ? OptionalBytesView(r.key->span()) : std::nullopt;
        OptionalBytesView value = r.value ? OptionalBytesView(r.value->span()) : std::nullopt;
        const int64_t timestamp = batch.timestampType() == TimestampType::LogAppendTime ? kNoTimestamp : r.timestamp;
        if (!builder.appendWithOffset(r.offset, timestamp, key, value, headers)) return;
    }
    auto built = builder.build();
    if (!built) return;
    auto view = RecordBatchView::parse(Bytes::fromVector(std::move(built.value())));
    if (!view) fail("a built batch does not parse: " + view.error().message);
    if (Status s = view->validate(); !s) fail("a built batch does not validate: " + s.error().message);
    auto again = view->decodeRecords(kMaxUncompressed);
    if (!again) fail("a built batch does not decode: " + again.error().message);
    if (again->size() != records.size()) fail("a rebuilt batch has a different record count");
    for (size_t i = 0; i < records.size(); ++i) {
        const Record& a = records[i];
        const Record& b = (*again)[i];
        if (a.offset != b.offset || a.key != b.key || a.value != b.value || a.headers.size() != b.headers.size())
            fail("a rebuilt batch holds a different record " + std::to_string(i));
        for (size_t j = 0; j < a.headers.size(); ++j)
            if (a.headers[j].key != b.headers[j].key || a.headers[j].value != b.headers[j].value)
                fail("a rebuilt batch holds a different header");
    }
}

// Walks the entries: batches are parsed, validated and read; legacy entries decoded. Returns
// whether every magic-2 batch was valid (the converter copies batches unchecked).
bool walk(const Bytes& set, size_t& recordsSeen) {
    RecordSetReader reader(set);
    bool allBatchesValid = true;
    // Each entry takes at least 12 bytes, so this bound is never reached by a correct reader.
    for (size_t guard = 0; guard <= set.size() / 12 + 1; ++guard) {
        auto entry = reader.next();
        if (!entry) return false;
        if (!entry.value()) return allBatchesValid;
        const RecordSetEntry& e = *entry.value();
        if (e.bytes.size() < 12 || !within(e.bytes.span(), set)) fail("an entry outside the record set");
        if (e.magic == kMagicV2) {
            auto batch = RecordBatchView::parse(e.bytes);
            if (!batch || !batch->validate()) {
                allBatchesValid = false;
                continue;
            }
            std::vector<Record> records;
            const int32_t n = readBatch(*batch, &records);
            if (n < 0) {
                allBatchesValid = false;
                continue;
            }
            recordsSeen += static_cast<size_t>(n);
            auto decoded = batch->decodeRecords(kMaxUncompressed);
            if (!decoded || decoded->size() != records.size()) fail("decodeRecords disagrees with RecordReader");
            for (size_t i = 0; i < records.size(); ++i)
                if ((*decoded)[i].key != records[i].key || (*decoded)[i].value != records[i].value)
                    fail("decodeRecords disagrees with RecordReader on record " + std::to_string(i));
            rebuild(*batch, records);
        } else {
            std::vector<LegacyMessage> messages;
            if (LegacyMessageSet::decodeEntry(e.bytes, kMaxUncompressed, messages)) recordsSeen += messages.size();
        }
    }
    fail("the record set reader did not stop");
}

// Up-conversion of a set whose batches are all valid must give batches that validate and
// hold every record the walk saw.
void upConvert(const Bytes& set, bool allBatchesValid, size_t recordsSeen) {
    auto converted = upConvertToV2(set, {CompressionType::None, std::nullopt, kMaxUncompressed});
    if (!converted || !allBatchesValid) return;
    const Bytes out = Bytes::fromVector(std::move(converted.value()));
    RecordSetReader reader(out);
    size_t records = 0;
    for (;;) {
        auto batch = reader.nextBatch();
        if (!batch) fail("up-converted output does not walk: " + batch.error().message);
        if (!batch.value()) break;
        if (Status s = batch.value()->validate(); !s)
            fail("up-converted batch does not validate: " + s.error().message);
        const int32_t n = readBatch(*batch.value(), nullptr);
        if (n < 0) fail("up-converted batch does not read");
        records += static_cast<size_t>(n);
    }
    if (reader.truncatedTail()) fail("up-converted output ends with a partial entry");
    if (records != recordsSeen)
        fail("up-conversion kept " + std::to_string(records) + " of " + std::to_string(recordsSeen) + " records");
}

// Decompression of arbitrary bytes stays within its limit; whatever decompresses must survive
// compress + decompress unchanged. The first byte picks the codec (and lz4's legacy framing).
void codecs(const uint8_t* data, size_t size) {
    if (size < 1) return;
    auto type = compressionTypeFromId(data[0] % 5);
    if (!type || *type == CompressionType::None) return;
    CodecOptions options;
    options.lz4LegacyHeaderChecksum = (data[0] & 0x08) != 0;
    auto plain = decompress(*type, std::span<const uint8_t>(data + 1, size - 1), kMaxUncompressed, options);
    if (!plain) return;
    if (plain->size() > kMaxUncompressed) fail("decompression went past its limit");
    auto packed = compress(*type, *plain, options);
    if (!packed) fail(std::string("cannot compress what ") + compressionTypeName(*type) + " decompressed");
    auto back = decompress(*type, *packed, kMaxUncompressed, options);
    if (!back || *back != *plain) fail(std::string(compressionTypeName(*type)) + " round trip changed the data");
}

void storeBE32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

// The input with the checksum of every top-level entry recomputed (CRC-32C of a batch from its
// attributes on, CRC-32 of a legacy message from its magic on). Almost every mutation breaks
// a checksum, so without this the fuzzer would rarely get past validate() to the records.
std::vector<uint8_t> withFixedChecksums(const uint8_t* data, size_t size) {
    std::vector<uint8_t> out(data, data + size);
    size_t pos = 0;
    while (out.size() - pos >= 17) {
        const uint8_t* p = out.data() + pos;
        const int64_t length =
            static_cast<int32_t>((uint32_t{p[8]} << 24) | (uint32_t{p[9]} << 16) | (uint32_t{p[10]} << 8) | p[11]);
        if (length < 5 || static_cast<size_t>(length) > out.size() - pos - 12) break;
        const size_t end = pos + 12 + static_cast<size_t>(length);
        const int8_t magic = static_cast<int8_t>(p[16]);
        if (magic == kMagicV2 && end - pos >= batch::kHeaderSize) {
            storeBE32(out.data() + pos + batch::kCrc,
                      crc32c(std::span<const uint8_t>(out.data() + pos + batch::kAttributes,
                                                      end - pos - batch::kAttributes)));
        } else if (magic == kMagicV0 || magic == kMagicV1) {
            const uLong crc = ::crc32(0L, out.data() + pos + 16, static_cast<uInt>(end - pos - 16));
            storeBE32(out.data() + pos + 12, static_cast<uint32_t>(crc));
        }
        pos = end;
    }
    return out;
}

void recordSet(const Bytes& set) {
    size_t recordsSeen = 0;
    const bool allBatchesValid = walk(set, recordsSeen);
    auto legacy = LegacyMessageSet::decode(set, kMaxUncompressed);
    (void)legacy;
    upConvert(set, allBatchesValid, recordsSeen);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // As received: checksums must reject what they should, and nothing may crash either way.
    recordSet(exactCopy({data, size}));
    std::vector<uint8_t> fixed = withFixedChecksums(data, size);
    if (!std::equal(fixed.begin(), fixed.end(), data)) recordSet(Bytes::fromVector(std::move(fixed)));
    codecs(data, size);
    return 0;
}
