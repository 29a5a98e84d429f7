// Tests for CRC-32C: published vectors, extend semantics, and the hardware path against the portable one.
#include "engine/protocol/records/crc32c.h"

#include "recordstestutil.h"

#include <QTest>

#include <numeric>

using namespace partita::protocol::records;
using namespace recordstest;

namespace {

// Bit-at-a-time reference, written straight from the definition (FORMATS.md §1).
uint32_t referenceCrc32c(std::span<const uint8_t> data) {
    uint32_t crc = 0xFFFFFFFFu;
    for (uint8_t b : data) {
        crc ^= b;
        for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0);
    }
    return ~crc;
}

}  // namespace

class TestCrc32c : public QObject {
    Q_OBJECT

private slots:
    void knownVectors_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<uint>("expected");
        QTest::newRow("check string") << QByteArray("123456789") << 0xE3069283u;
        QTest::newRow("empty") << QByteArray() << 0u;
        // RFC 3720 (iSCSI) appendix B.4.
        QTest::newRow("32 zeros") << QByteArray(32, '\0') << 0x8A9136AAu;
        QTest::newRow("32 0xff") << QByteArray(32, '\xff') << 0x62A8AB43u;
        QByteArray up(32, 0), down(32, 0);
        for (int i = 0; i < 32; ++i) {
            up[i] = char(i);
            down[i] = char(31 - i);
        }
        QTest::newRow("incrementing") << up << 0x46DD794Eu;
        QTest::newRow("decrementing") << down << 0x113FDB5Cu;
    }

    void knownVectors() {
        QFETCH(QByteArray, input);
        QFETCH(uint, expected);
        const std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(input.constData()), size_t(input.size()));
        QCOMPARE(crc32c(data), expected);
        QCOMPARE(crc32cPortable(data), expected);
        QCOMPARE(crc32cHardware(data), expected);
    }

    void extendsAcrossSplits() {
        std::mt19937_64 rng(7);
        const auto data = randomBytes(rng, 100000);
        const uint32_t whole = crc32c(data);
        for (size_t split : {size_t(0), size_t(1), size_t(7), size_t(768), size_t(24576), size_t(50001), data.size()}) {
            const std::span<const uint8_t> all(data);
            QCOMPARE(crc32c(all.subspan(split), crc32c(all.first(split))), whole);
            QCOMPARE(crc32cPortable(all.subspan(split), crc32cPortable(all.first(split))), whole);
            QCOMPARE(crc32cHardware(all.subspan(split), crc32cHardware(all.first(split))), whole);
        }
    }

    void hardwareMatchesPortable() {
        if (!crc32cHardwareAvailable()) qInfo("no SSE4.2 on this CPU: the hardware path is the portable one");
        std::mt19937_64 rng(42);
        const auto data = randomBytes(rng, 3 * 8192 * 3 + 4096);
        // Sizes around each kernel boundary (3 x 256 and 3 x 8 KiB streams), plus random ones,
        // at every alignment of the first byte.
        std::vector<size_t> sizes = {0,   1,    7,    8,     9,     15,    16,    767,  768,
                                     769, 1535, 1536, 24575, 24576, 24577, 49152, 65536};
        for (int i = 0; i < 60; ++i) sizes.push_back(size_t(rng() % (data.size() - 16)));
        for (size_t size : sizes) {
            for (size_t align = 0; align < 16; ++align) {
                const auto piece = std::span<const uint8_t>(data).subspan(align, size);
                const uint32_t portable = crc32cPortable(piece);
                QCOMPARE(crc32cHardware(piece), portable);
                QCOMPARE(crc32c(piece, 0x12345678u), crc32cPortable(piece, 0x12345678u));
            }
        }
    }

    void matchesBitwiseReference() {
        std::mt19937_64 rng(3);
        for (size_t size : {size_t(1), size_t(13), size_t(255), size_t(4099), size_t(30000)}) {
            const auto data = randomBytes(rng, size);
            QCOMPARE(crc32c(data), referenceCrc32c(data));
            QCOMPARE(crc32cPortable(data), referenceCrc32c(data));
        }
    }
};

QTEST_APPLESS_MAIN(TestCrc32c)
#include "crc32c_test.moc"
