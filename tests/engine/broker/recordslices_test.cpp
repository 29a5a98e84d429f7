// Tests of RecordSlices: a fetch response cut at its record markers sends exactly the bytes of the copying path.
#include "engine/broker/recordslices.h"
#include "engine/protocol/frame.h"
#include "engine/protocol/messages/fetch.h"
#include "engine/storage/filehandle.h"

#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace partita;
using namespace partita::broker;

namespace {

// What a client receives: the bytes of each part, file regions read back from their file.
std::vector<uint8_t> flatten(const net::ResponseFrame& frame) {
    std::vector<uint8_t> out;
    for (const auto& part : frame.parts) {
        if (part.file.length == 0) {
            out.insert(out.end(), part.bytes.data(), part.bytes.data() + part.bytes.size());
            continue;
        }
        std::vector<uint8_t> buffer(part.file.length);
        if (::pread(part.file.fd, buffer.data(), buffer.size(), off_t(part.file.offset)) != ssize_t(buffer.size())) {
            qFatal("pread");
        }
        out.insert(out.end(), buffer.begin(), buffer.end());
    }
    return out;
}

protocol::FetchResponse responseWith(std::vector<Bytes> records) {
    protocol::FetchResponse response;
    protocol::FetchResponse::FetchableTopicResponse topic;
    topic.topic = "orders";
    for (size_t i = 0; i < records.size(); ++i) {
        protocol::FetchResponse::PartitionData partition;
        partition.partitionIndex = int32_t(i);
        partition.records = records[i];
        topic.partitions.push_back(partition);
    }
    response.responses.push_back(topic);
    return response;
}

}  // namespace

class TestRecordSlices : public QObject {
    Q_OBJECT

private slots:
    void cutFramesCarryTheSameBytesAsCopiedOnes_data() {
        QTest::addColumn<int>("version");
        QTest::newRow("v11 (int32 lengths)") << 11;
        QTest::newRow("v12 (compact lengths)") << 12;
        QTest::newRow("v16") << 16;
    }

    void cutFramesCarryTheSameBytesAsCopiedOnes() {
        QFETCH(int, version);
        QTemporaryDir dir;
        std::string path = dir.path().toStdString() + "/segment.log";
        auto file = storage::FileHandle::open(path, storage::FileHandle::Mode::CreateReadWrite);
        QVERIFY(file);
        std::vector<uint8_t> content(5000);
        for (size_t i = 0; i < content.size(); ++i) content[i] = uint8_t(i * 7);
        QVERIFY(file->writeAt(0, content));
        auto shared = std::make_shared<storage::FileHandle>(std::move(*file));
        // Three partitions: two slices of the file (one over 127 bytes, so its varint takes two bytes).
        storage::FileSlice a(shared, 100, 300), b(shared, 2000, 40);
        Bytes expectedA = Bytes::copyOf(std::span(content).subspan(100, 300));
        Bytes expectedB = Bytes::copyOf(std::span(content).subspan(2000, 40));

        auto copied = protocol::encodeResponse(7, 1, int16_t(version), responseWith({expectedA, Bytes(), expectedB}));
        QVERIFY(copied);
        RecordSlices slices;
        auto marked = responseWith({slices.add(a), Bytes(), slices.add(b)});
        auto encoded = protocol::encodeResponse(7, 1, int16_t(version), marked);
        QVERIFY(encoded);
        auto cut = slices.split(*encoded, marked.isFlexible(int16_t(version)));
        QVERIFY(cut);
        auto sent = flatten(*cut);
        QCOMPARE(sent.size(), copied->size());
        QVERIFY(std::equal(sent.begin(), sent.end(), copied->data()));
    }

    void aMissingMarkerIsRefused() {
        RecordSlices slices;
        QTemporaryDir dir;
        auto file =
            storage::FileHandle::open(dir.path().toStdString() + "/f", storage::FileHandle::Mode::CreateReadWrite);
        auto shared = std::make_shared<storage::FileHandle>(std::move(*file));
        (void)slices.add(storage::FileSlice(shared, 0, 10));
        auto encoded = protocol::encodeResponse(1, 1, 11, responseWith({Bytes::copyOf(std::string_view("not it"))}));
        QVERIFY(!slices.split(*encoded, false));
    }
};

QTEST_APPLESS_MAIN(TestRecordSlices)
#include "recordslices_test.moc"
