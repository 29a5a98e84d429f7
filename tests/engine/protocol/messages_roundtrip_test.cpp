// Every generated message at every version survives encode -> decode -> encode unchanged,
// with every field the version carries set to a non-default value.
#include <QtTest>

#include "engine/protocol/apiregistry.h"
#include "engine/protocol/reader.h"
#include "engine/protocol/writer.h"
#include "samples/sample_support.h"

using namespace partita;
using namespace partita::protocol;

namespace {

struct Case {
    std::string name;
    int16_t version;
    std::unique_ptr<ApiMessage> (*make)();
};

std::vector<Case> allCases() {
    std::vector<Case> cases;
    for (const ApiInfo& api : allApis()) {
        for (int16_t v = api.minVersion; v <= api.maxVersion; ++v) {
            cases.push_back({std::string(api.name) + "Request", v, api.makeRequest});
            cases.push_back({std::string(api.name) + "Response", v, api.makeResponse});
        }
    }
    for (const DataMessageInfo& data : allDataMessages())
        for (int16_t v = data.minVersion; v <= data.maxVersion; ++v) cases.push_back({data.name, v, data.make});
    return cases;
}

}  // namespace

class MessagesRoundTripTest : public QObject {
    Q_OBJECT

private slots:
    void everyMessageAtEveryVersion() {
        samples::SampleRegistry registry;
        samples::registerAllSamples(registry);
        int checked = 0;
        for (const Case& c : allCases()) {
            const QString what = QString::fromStdString(c.name) + " v" + QString::number(c.version);
            auto original = c.make();
            QCOMPARE(QString(original->messageName()), QString::fromStdString(c.name));
            const samples::SampleFiller* fill = registry.find(c.name);
            QVERIFY2(fill != nullptr, qPrintable("no sample filler for " + what));
            (*fill)(*original, c.version);

            Writer w;
            original->encode(w, c.version);
            QVERIFY2(w.ok(), qPrintable(what + ": " + QString::fromStdString(w.error())));
            const Bytes encoded = w.take();

            auto decoded = c.make();
            Reader r(encoded);
            decoded->decode(r, c.version);
            QVERIFY2(r.ok(), qPrintable(what + ": " + QString::fromStdString(r.error())));
            QVERIFY2(r.remaining() == 0, qPrintable(what + ": bytes left over after decoding"));
            QVERIFY2(decoded->equals(*original), qPrintable(what + ": decoded message differs"));

            Writer again;
            decoded->encode(again, c.version);
            QVERIFY(again.ok());
            QVERIFY2(again.size() == encoded.size() && std::memcmp(again.data(), encoded.data(), encoded.size()) == 0,
                     qPrintable(what + ": re-encoding changed the bytes"));

            // A fresh message is all defaults; it must differ from the filled one, which
            // proves the filler really set something the version carries. Only a version
            // with no fields at all (an empty body, or just an empty tag section) is exempt.
            auto blank = c.make();
            Writer blankWriter;
            blank->encode(blankWriter, c.version);
            QVERIFY(blankWriter.ok());
            if (encoded.size() > 1) QVERIFY2(!blank->equals(*original), qPrintable(what + ": sample equals defaults"));
            ++checked;
        }
        qInfo("round-tripped %d message versions", checked);
        QVERIFY(checked > 600);  // 88 APIs x their versions x 2, plus headers and data
    }

    void everyTruncationIsAnErrorNotACrash() {
        // Cutting an encoded message anywhere must give a decode error, never a crash.
        samples::SampleRegistry registry;
        samples::registerAllSamples(registry);
        for (const ApiInfo& api : allApis()) {
            for (int16_t v : {api.minVersion, api.maxVersion}) {
                auto m = api.makeResponse();
                (*registry.find(m->messageName()))(*m, v);
                Writer w;
                m->encode(w, v);
                const Bytes full = w.take();
                for (size_t cut = 0; cut < full.size(); cut += 1 + full.size() / 64) {
                    auto d = api.makeResponse();
                    Reader r(full.data(), cut);
                    d->decode(r, v);
                    QVERIFY2(!r.ok(), qPrintable(QString(api.name) + " decoded from a cut buffer"));
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(MessagesRoundTripTest)
#include "messages_roundtrip_test.moc"
