// partitad's consumer groups with real clients: kcat balanced consumers (one of them SIGKILLed), the group
// scenarios of confluent-kafka-python, kafka-python and kafkajs (peers/*_groups.*), the three clients reading each
// other's groups, and committed offsets across a restart.
#include "engine/protocol/messages/createtopics.h"
#include "engine/protocol/messages/offsetfetch.h"
#include "partitadprocess.h"
#include "rawclient.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

using namespace partita;
using namespace partita::protocol;
using partita::tests::call;
using partita::tests::PartitadProcess;

namespace {

// A scenario script stops itself after 170 s; this is for one that hangs anyway.
constexpr int kScriptTimeoutMs = 180000;
// Generous bounds for a shared machine: waits fail after these, they are not performance targets.
constexpr int kSettleMs = 60000;
constexpr int kKcatSessionTimeoutMs = 6000;

const QStringList kOverrides{"group.initial.rebalance.delay.ms=0", "group.min.session.timeout.ms=1000"};

enum class Peer { Confluent, KafkaPython, Kafkajs };

const char* peerName(Peer peer) {
    switch (peer) {
        case Peer::Confluent:
            return "confluent-kafka-python";
        case Peer::KafkaPython:
            return "kafka-python";
        case Peer::Kafkajs:
            return "kafkajs";
    }
    return "?";
}

QString repositoryRoot() {
    const QString fromEnvironment = qEnvironmentVariable("PARTITA_SOURCE_DIR");
    return fromEnvironment.isEmpty() ? QStringLiteral(PARTITA_SOURCE_DIR_FALLBACK) : fromEnvironment;
}

QString scriptPath(Peer peer) {
    const QString dir = repositoryRoot() + "/tests/engine/broker/peers/";
    switch (peer) {
        case Peer::Confluent:
            return dir + "confluent_groups.py";
        case Peer::KafkaPython:
            return dir + "kafka_python_groups.py";
        case Peer::Kafkajs:
            return dir + "kafkajs_groups.js";
    }
    return {};
}

QString nodeModules() {
    return repositoryRoot() + "/tests/peers/node_modules";
}

// Why a peer client cannot run here (naming what to install), or empty when it can.
QString peerUnavailable(Peer peer) {
    static QMap<Peer, QString> known;
    if (known.contains(peer)) return known[peer];
    QString why;
    if (peer == Peer::Kafkajs) {
        if (QStandardPaths::findExecutable("node").isEmpty())
            why = "node is not installed (Debian package nodejs, see cmake/debian-packages.txt)";
        else if (!QFileInfo::exists(nodeModules() + "/kafkajs/package.json"))
            why = "kafkajs is missing from " + nodeModules() + " (`make deps` runs npm ci there)";
    } else {
        const QString module = peer == Peer::Confluent ? "confluent_kafka" : "kafka";
        const QString package = peer == Peer::Confluent ? "python3-confluent-kafka" : "python3-kafka";
        QProcess probe;
        probe.start("/usr/bin/python3", {"-c", "import " + module});
        const bool imported =
            probe.waitForFinished(20000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
        if (!imported)
            why = QStringLiteral("Debian's /usr/bin/python3 cannot import %1 (Debian package %2, `make deps`): %3")
                      .arg(module, package, QString::fromLocal8Bit(probe.readAllStandardError()).trimmed());
    }
    known[peer] = why;
    return why;
}

#define REQUIRE_PEER(peer)                                                \
    do {                                                                  \
        const QString unavailableWhy = peerUnavailable(peer);             \
        if (!unavailableWhy.isEmpty()) QFAIL(qPrintable(unavailableWhy)); \
    } while (false)

struct ScriptRun {
    QString what;
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject result;  // the RESULT line
    bool ok() const { return exitCode == 0 && !result.isEmpty(); }
    QString report() const {
        return QStringLiteral("%1: exit %2\n--- stdout\n%3\n--- stderr\n%4")
            .arg(what)
            .arg(exitCode)
            .arg(out.right(6000), err.right(8000));
    }
};

ScriptRun runScript(PartitadProcess& broker, Peer peer, const QStringList& arguments) {
    ScriptRun run;
    run.what = QStringLiteral("%1 %2").arg(peerName(peer), arguments.join(' '));
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString program = "/usr/bin/python3";
    if (peer == Peer::Kafkajs) {
        program = QStandardPaths::findExecutable("node");
        environment.insert("NODE_PATH", nodeModules());
        environment.insert("KAFKAJS_NO_PARTITIONER_WARNING", "1");
    }
    process.setProcessEnvironment(environment);
    process.start(program, QStringList{scriptPath(peer), broker.bootstrap()} + arguments);
    const bool finished = process.waitForStarted(20000) && process.waitForFinished(kScriptTimeoutMs);
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    run.exitCode = finished && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    if (!finished) run.err += QStringLiteral("\n(killed after %1 s)").arg(kScriptTimeoutMs / 1000);
    run.err += "\n--- partitad\n" + broker.output().right(3000);
    for (const QString& line : run.out.split('\n'))
        if (line.startsWith("RESULT ")) run.result = QJsonDocument::fromJson(line.mid(7).toUtf8()).object();
    return run;
}

QString json(const QJsonValue& value) {
    if (value.isObject()) return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray()) return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return value.toVariant().toString();
}

QJsonArray ints(std::initializer_list<int> values) {
    QJsonArray out;
    for (int v : values) out.append(v);
    return out;
}

QSet<int> intSet(const QJsonArray& values) {
    QSet<int> out;
    for (const auto& v : values) out.insert(v.toInt());
    return out;
}

bool createTopic(const PartitadProcess& broker, const std::string& name, int partitions) {
    QTcpSocket socket;
    socket.connectToHost("localhost", quint16(broker.port()));
    if (!socket.waitForConnected(10000)) return false;
    CreateTopicsRequest request;
    CreateTopicsRequest::CreatableTopic topic;
    topic.name = name;
    topic.numPartitions = partitions;
    topic.replicationFactor = 1;
    request.topics.push_back(topic);
    request.timeoutMs = 10000;
    auto response = call<CreateTopicsResponse>(socket, request, 7);
    return response->topics.size() == 1 && response->topics[0].errorCode == 0;
}

// The group's committed offsets for the topic (OffsetFetch v8), partition -> offset.
QMap<int, qint64> committedOffsets(const PartitadProcess& broker, const std::string& group, const std::string& topic) {
    QTcpSocket socket;
    socket.connectToHost("localhost", quint16(broker.port()));
    QMap<int, qint64> out;
    if (!socket.waitForConnected(10000)) return out;
    OffsetFetchRequest request;
    OffsetFetchRequest::OffsetFetchRequestGroup g;
    g.groupId = group;
    g.topics = std::nullopt;
    request.groups.push_back(g);
    auto response = call<OffsetFetchResponse>(socket, request, 8);
    for (const auto& fetched : response->groups)
        for (const auto& t : fetched.topics)
            if (t.name == topic)
                for (const auto& p : t.partitions)
                    if (p.errorCode == 0 && p.committedOffset >= 0) out[p.partitionIndex] = p.committedOffset;
    return out;
}

// One `kcat -G` balanced consumer: what it consumed (-f "%p:%o:%s") and what it owns (its rebalance lines).
class KcatMember {
public:
    KcatMember(QString label, const QStringList& arguments) : m_label(std::move(label)) {
        m_process.start(QStandardPaths::findExecutable("kcat"), arguments);
        m_process.waitForStarted(10000);
    }

    void read() {
        m_out += QString::fromUtf8(m_process.readAllStandardOutput());
        m_err += QString::fromUtf8(m_process.readAllStandardError());
        const qsizetype complete = m_out.lastIndexOf('\n') + 1;
        for (const QString& line : m_out.left(complete).split('\n', Qt::SkipEmptyParts)) {
            const QStringList parts = line.split(':');
            if (parts.size() >= 3) m_consumed.append({parts[0].toInt(), parts[2]});
        }
        m_out = m_out.mid(complete);
        static const QRegularExpression partition(R"(\[(\d+)\])");
        const qsizetype errComplete = m_err.lastIndexOf('\n') + 1;
        for (const QString& line : m_err.left(errComplete).split('\n', Qt::SkipEmptyParts)) {
            m_log << line;
            const bool assigned = line.contains("rebalanced") && line.contains("assigned:");
            const bool revoked = line.contains("rebalanced") && line.contains("revoked:");
            if (!assigned && !revoked) continue;
            QSet<int> parts;
            for (auto it = partition.globalMatch(line.mid(line.indexOf(assigned ? "assigned:" : "revoked:")));
                 it.hasNext();)
                parts.insert(it.next().captured(1).toInt());
            if (assigned)
                m_owned = parts;  // the eager protocol hands over the whole assignment
            else
                m_owned -= parts;
        }
        m_err = m_err.mid(errComplete);
    }

    void kill() {
        read();
        m_process.kill();
        m_process.waitForFinished(10000);
        m_killed = true;
    }
    void stop() {
        m_process.terminate();
        if (!m_process.waitForFinished(20000)) m_process.kill();
        read();
    }

    const QString& label() const { return m_label; }
    const QSet<int>& owned() const { return m_owned; }
    bool killed() const { return m_killed; }
    // (partition, value) of every consumed message, in order.
    const QList<QPair<int, QString>>& consumed() const { return m_consumed; }
    QString log() const {
        return m_label + ":\n  " + m_log.mid(std::max<qsizetype>(0, m_log.size() - 30)).join("\n  ");
    }

private:
    QString m_label;
    QProcess m_process;
    QString m_out, m_err;
    QStringList m_log;
    QSet<int> m_owned;
    QList<QPair<int, QString>> m_consumed;
    bool m_killed = false;
};

QString sorted(const QSet<int>& values) {
    QList<int> list(values.begin(), values.end());
    std::sort(list.begin(), list.end());
    QStringList out;
    for (int v : list) out << QString::number(v);
    return "[" + out.join(",") + "]";
}

QString describeOffsets(const QMap<int, qint64>& offsets) {
    QStringList out;
    for (auto it = offsets.begin(); it != offsets.end(); ++it)
        out << QStringLiteral("%1:%2").arg(it.key()).arg(it.value());
    return "{" + out.join(", ") + "}";
}

bool produceWithKcat(const PartitadProcess& broker, const QString& topic, int partitions, int from, int to) {
    for (int p = 0; p < partitions; ++p) {
        QByteArray input;
        for (int i = from; i < to; ++i)
            if (i % partitions == p) input += "n-" + QByteArray::number(i) + "\n";
        QProcess kcat;
        kcat.start(QStandardPaths::findExecutable("kcat"),
                   {"-b", broker.bootstrap(), "-P", "-t", topic, "-p", QString::number(p), "-X", "acks=all"});
        kcat.waitForStarted(10000);
        kcat.write(input);
        kcat.closeWriteChannel();
        if (!kcat.waitForFinished(45000) || kcat.exitCode() != 0) return false;
    }
    return true;
}

}  // namespace

class TestPartitadGroups : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        m_broker = std::make_unique<PartitadProcess>(m_dir.path() + "/broker");
        QVERIFY2(m_broker->start(kOverrides), qPrintable(m_broker->output()));
    }

    void cleanupTestCase() {
        if (m_broker) QCOMPARE(m_broker->stop(), 0);
    }

    // Three kcat balanced consumers share a six-partition topic two partitions each; after their commits one is
    // SIGKILLed, and the other two take its partitions once its session times out, without consuming anything twice.
    void kcatBalancedConsumersShareAndTakeOverPartitions() {
        if (QStandardPaths::findExecutable("kcat").isEmpty()) QFAIL("kcat is not installed (Debian package kcat)");
        const QString topic = "groups-kcat", group = "groups-kcat-group";
        const int partitions = 6;
        QVERIFY(createTopic(*m_broker, topic.toStdString(), partitions));
        const QStringList arguments{"-b",
                                    m_broker->bootstrap(),
                                    "-G",
                                    group,
                                    "-u",
                                    "-f",
                                    "%p:%o:%s\\n",
                                    "-X",
                                    "auto.offset.reset=earliest",
                                    "-X",
                                    QStringLiteral("session.timeout.ms=%1").arg(kKcatSessionTimeoutMs),
                                    "-X",
                                    "heartbeat.interval.ms=1000",
                                    "-X",
                                    "auto.commit.interval.ms=500",
                                    topic};
        std::vector<std::unique_ptr<KcatMember>> members;
        for (const char* label : {"kcat-a", "kcat-b", "kcat-c"})
            members.push_back(std::make_unique<KcatMember>(label, arguments));
        auto logs = [&] {
            QString out;
            for (const auto& m : members)
                out += m->log() +
                       QStringLiteral("\n  owns %1, consumed %2\n").arg(sorted(m->owned())).arg(m->consumed().size());
            return out + "partitad:\n" + m_broker->output().right(2000);
        };
        auto waitUntil = [&](const std::function<bool()>& condition, int timeoutMs) {
            for (QDeadlineTimer deadline(timeoutMs); !deadline.hasExpired(); QTest::qWait(100)) {
                for (const auto& m : members) m->read();
                if (condition()) return true;
            }
            return false;
        };
        auto live = [&] {
            std::vector<KcatMember*> out;
            for (const auto& m : members)
                if (!m->killed()) out.push_back(m.get());
            return out;
        };
        auto balanced = [&](int each) {
            QSet<int> all;
            int total = 0;
            for (KcatMember* m : live()) {
                if (m->owned().size() != each) return false;
                all += m->owned();
                total += int(m->owned().size());
            }
            return total == partitions && all.size() == partitions;
        };
        QVERIFY2(waitUntil([&] { return balanced(2); }, kSettleMs),
                 qPrintable("three members never owned two partitions each\n" + logs()));

        // Messages n-0 .. n-59, ten a partition; each member consumes its own.
        QVERIFY(produceWithKcat(*m_broker, topic, partitions, 0, 60));
        auto consumedValues = [&](bool liveOnly) {
            QStringList out;
            for (const auto& m : members)
                if (!liveOnly || !m->killed())
                    for (const auto& c : m->consumed()) out << c.second;
            return out;
        };
        auto distinct = [&] {
            const QStringList values = consumedValues(false);
            return QSet<QString>(values.begin(), values.end()).size();
        };
        QVERIFY2(waitUntil([&] { return distinct() >= 60; }, kSettleMs),
                 qPrintable("the members did not consume the first 60 messages\n" + logs()));
        // The auto-commits reach the coordinator.
        QMap<int, qint64> committed;
        QVERIFY2(waitUntil(
                     [&] {
                         committed = committedOffsets(*m_broker, group.toStdString(), topic.toStdString());
                         if (committed.size() != partitions) return false;
                         for (qint64 offset : committed)
                             if (offset != 10) return false;
                         return true;
                     },
                     30000),
                 qPrintable(QStringLiteral("committed offsets %1 instead of 10 for each partition\n")
                                .arg(describeOffsets(committed)) +
                            logs()));
        for (const auto& m : members)
            for (const auto& [p, value] : m->consumed())
                QVERIFY2(m->owned().contains(p), qPrintable(QStringLiteral("%1 consumed %2 of partition %3, owns %4")
                                                                .arg(m->label(), value)
                                                                .arg(p)
                                                                .arg(sorted(m->owned()))));

        KcatMember& victim = *members[0];
        const QSet<int> orphaned = victim.owned();
        victim.kill();
        QElapsedTimer takeover;
        takeover.start();
        QVERIFY2(
            waitUntil([&] { return balanced(3); }, kKcatSessionTimeoutMs + kSettleMs),
            qPrintable(QStringLiteral("the two live members never took partitions %1 over\n").arg(sorted(orphaned)) +
                       logs()));
        qInfo("partitions %s of the killed member taken over after %lld ms (session.timeout.ms=%d)",
              qPrintable(sorted(orphaned)), takeover.elapsed(), kKcatSessionTimeoutMs);

        QVERIFY(produceWithKcat(*m_broker, topic, partitions, 60, 120));
        auto liveHasSecondBatch = [&] {
            QSet<QString> values;
            for (const QString& v : consumedValues(true)) values.insert(v);
            for (int i = 60; i < 120; ++i)
                if (!values.contains("n-" + QString::number(i))) return false;
            return true;
        };
        QVERIFY2(waitUntil(liveHasSecondBatch, kSettleMs),
                 qPrintable("the live members did not consume n-60 .. n-119\n" + logs()));
        QTest::qWait(1500);
        for (KcatMember* m : live()) m->read();

        // Every message was consumed; the live members saw none twice, and since the killed member's offsets
        // were committed before it died, nobody did.
        const QStringList everything = consumedValues(false);
        const QStringList byLive = consumedValues(true);
        QSet<QString> unique(everything.begin(), everything.end());
        for (int i = 0; i < 120; ++i)
            QVERIFY2(unique.contains("n-" + QString::number(i)),
                     qPrintable(QStringLiteral("n-%1 was never consumed\n").arg(i) + logs()));
        QSet<QString> liveUnique(byLive.begin(), byLive.end());
        QVERIFY2(liveUnique.size() == byLive.size(),
                 qPrintable(QStringLiteral("live members consumed %1 messages, %2 distinct\n")
                                .arg(byLive.size())
                                .arg(liveUnique.size()) +
                            logs()));
        QVERIFY2(
            unique.size() == everything.size(),
            qPrintable(QStringLiteral("%1 messages consumed, %2 distinct: committed messages were consumed again\n")
                           .arg(everything.size())
                           .arg(unique.size()) +
                       logs()));
        // Each second-batch message went to the live member that owns its partition now.
        for (KcatMember* m : live())
            for (const auto& [p, value] : m->consumed())
                if (value.mid(2).toInt() >= 60)
                    QVERIFY2(m->owned().contains(p),
                             qPrintable(QStringLiteral("%1 consumed %2 of partition %3, owns %4")
                                            .arg(m->label(), value)
                                            .arg(p)
                                            .arg(sorted(m->owned()))));
        for (KcatMember* m : live()) m->stop();
    }

    void confluentSyncCommitAfterEachMessageThenResume() { resumesAfterCommits("sync_commit"); }
    void confluentAsyncCommitWithCallbacksThenResume() { resumesAfterCommits("async_commit"); }
    void confluentBatchCommitThenResume() { resumesAfterCommits("batch_commit"); }

    // group.instance.id: a static member comes back without a rebalance of the other member; a second live
    // consumer with the same instance id fences the first.
    void confluentStaticMembership() {
        REQUIRE_PEER(Peer::Confluent);
        ScriptRun r = runScript(*m_broker, Peer::Confluent, {"static"});
        QVERIFY2(r.ok(), qPrintable(r.report()));
        const QJsonObject& o = r.result;
        const QJsonArray a = o["aPartitions"].toArray();
        QCOMPARE(a.size(), 2);
        QCOMPARE(o["bPartitions"].toArray().size(), 2);
        QVERIFY2((intSet(a) & intSet(o["bPartitions"].toArray())).isEmpty(), qPrintable(r.report()));
        QCOMPARE(o["a2Partitions"].toArray(), a);
        QCOMPARE(o["a3Partitions"].toArray(), a);
        QVERIFY2(o["bEventsAfterRejoin"].toArray().isEmpty(),
                 qPrintable("b was rebalanced when a came back: " + r.report()));
        QVERIFY2(o["bEventsAfterFence"].toArray().isEmpty(),
                 qPrintable("b was rebalanced by the fencing: " + r.report()));
        const QString fatal = o["a2Fatal"].toObject()["str"].toString();
        QVERIFY2(fatal.contains("fenced", Qt::CaseInsensitive), qPrintable(r.report()));
        qInfo("the static member rejoined after %.3f s", o["rejoinSeconds"].toDouble());
    }

    // cooperative-sticky on six partitions: two, then three members; only added partitions are handed over and
    // no member loses a partition it keeps.
    void confluentCooperativeStickyIsIncremental() {
        REQUIRE_PEER(Peer::Confluent);
        ScriptRun r = runScript(*m_broker, Peer::Confluent, {"cooperative"});
        QVERIFY2(r.ok(), qPrintable(r.report()));
        const QJsonObject& o = r.result;
        QCOMPARE(o["partitions"].toInt(), 6);
        const QJsonArray stages = o["stages"].toArray();
        QCOMPARE(stages.size(), 3);
        const QJsonObject two = stages[1].toObject(), three = stages[2].toObject();
        QCOMPARE(two["c1"].toArray().size(), 3);
        QCOMPARE(two["c2"].toArray().size(), 3);
        for (const char* m : {"c1", "c2", "c3"}) QCOMPARE(three[m].toArray().size(), 2);
        QVERIFY(intSet(three["c1"].toArray()).subtract(intSet(two["c1"].toArray())).isEmpty());
        QVERIFY(intSet(three["c2"].toArray()).subtract(intSet(two["c2"].toArray())).isEmpty());
        // Events up to the end of stage three (the closes at the end revoke everything).
        const QJsonObject events = o["events"].toObject();
        auto assigns = [&](const char* member) {
            QList<QSet<int>> out;
            for (const auto& e : events[member].toArray())
                if (e.toArray()[0].toString() == "assign") out << intSet(e.toArray()[1].toArray());
            return out;
        };
        // c1 got everything once and nothing after; c2 its three partitions once; c3 its two once.
        const auto c1 = assigns("c1"), c2 = assigns("c2"), c3 = assigns("c3");
        QVERIFY2(!c1.isEmpty() && c1[0] == QSet<int>({0, 1, 2, 3, 4, 5}), qPrintable(r.report()));
        for (qsizetype i = 1; i < c1.size(); ++i)
            QVERIFY2(c1[i].isEmpty(), qPrintable("c1 was handed partitions again: " + r.report()));
        QSet<int> c2Got, c3Got;
        for (const auto& s : c2) {
            QVERIFY2((c2Got & s).isEmpty(), qPrintable(r.report()));
            c2Got += s;
        }
        for (const auto& s : c3) {
            QVERIFY2((c3Got & s).isEmpty(), qPrintable(r.report()));
            c3Got += s;
        }
        QCOMPARE(c2Got, intSet(two["c2"].toArray()));
        QCOMPARE(c3Got, intSet(three["c3"].toArray()));
        for (const char* m : {"c1", "c2", "c3"}) {
            QVERIFY2(o["readded"].toObject()[m].toArray().isEmpty(), qPrintable(r.report()));
            QCOMPARE(o["assignment"].toObject()[m].toArray(), three[m].toArray());
        }
    }

    // AdminClient.list_groups (ListGroups + DescribeGroups) on a Stable and an Empty group; committed() of both.
    void confluentListGroups() {
        REQUIRE_PEER(Peer::Confluent);
        ScriptRun r = runScript(*m_broker, Peer::Confluent, {"list_groups"});
        QVERIFY2(r.ok(), qPrintable(r.report()));
        const QJsonObject& o = r.result;
        const QString topic = o["topic"].toString(), stable = o["stableGroup"].toString(),
                      empty = o["emptyGroup"].toString();
        const QJsonObject s = o["all"].toObject()[stable].toObject();
        QCOMPARE(s["state"].toString(), QStringLiteral("Stable"));
        QCOMPARE(s["protocolType"].toString(), QStringLiteral("consumer"));
        QCOMPARE(s["protocol"].toString(), QStringLiteral("range"));
        QVERIFY(s["error"].isNull());
        const QJsonArray members = s["members"].toArray();
        QCOMPARE(members.size(), 1);
        const QJsonObject member = members[0].toObject();
        QCOMPARE(member["clientId"].toString(), QStringLiteral("partita-m"));
        QVERIFY2(member["id"].toString().startsWith("partita-m-"), qPrintable(r.report()));
        QVERIFY2(member["clientHost"].toString().contains("127.0.0.1"), qPrintable(r.report()));
        QCOMPARE(member["subscription"].toArray(), QJsonArray({topic}));
        QCOMPARE(member["assignment"].toObject(), QJsonObject({{topic, ints({0, 1})}}));
        const QJsonObject e = o["all"].toObject()[empty].toObject();
        QCOMPARE(e["state"].toString(), QStringLiteral("Empty"));
        QCOMPARE(e["protocolType"].toString(), QStringLiteral("consumer"));
        QCOMPARE(e["protocol"].toString(), QString());
        QVERIFY(e["members"].toArray().isEmpty());
        QCOMPARE(o["one"].toObject(), QJsonObject({{stable, s}}));
        QCOMPARE(o["oneEmpty"].toObject(), QJsonObject({{empty, e}}));
        QVERIFY(o["unknown"].toObject().isEmpty());
        QCOMPARE(o["committedEmpty"].toObject(), QJsonObject({{"0", 2}, {"1", 2}}));
        QCOMPARE(o["committedStable"].toObject(), QJsonObject({{"0", -1001}, {"1", -1001}}));
        QCOMPARE(o["afterClose"].toObject()[stable].toObject()["state"].toString(), QStringLiteral("Empty"));
    }

    void kafkaPythonGroupCommitsRebalanceAndAdmin() {
        REQUIRE_PEER(Peer::KafkaPython);
        ScriptRun r = runScript(*m_broker, Peer::KafkaPython, {"group"});
        QVERIFY2(r.ok(), qPrintable(r.report()));
        const QJsonObject& o = r.result;
        const QString topic = o["topic"].toString(), group = o["group"].toString();
        QCOMPARE(o["partitions"].toInt(), 4);
        QCOMPARE(o["afterCommit"].toObject(), QJsonObject({{"0", 10}, {"1", 10}, {"2", 10}, {"3", 10}}));
        QCOMPARE(o["afterExplicitCommit"].toObject(), QJsonObject({{"0", QJsonArray({12, "kp-meta-0"})},
                                                                   {"1", QJsonArray({12, "kp-meta-1"})},
                                                                   {"2", QJsonArray({10, ""})},
                                                                   {"3", QJsonArray({10, ""})}}));
        // After the rebalance the members restart at the committed offsets: only 10 and 11 of 2 and 3 again.
        QJsonArray again;
        for (int p : {2, 3})
            for (int offset : {10, 11}) again.append(ints({p, offset}));
        QCOMPARE(o["consumedAgain"].toArray(), again);
        const QSet<int> m1 = intSet(o["m1"].toObject()["owned"].toArray()),
                        m2 = intSet(o["m2"].toObject()["owned"].toArray());
        QCOMPARE(m1.size(), 2);
        QCOMPARE(m2.size(), 2);
        QCOMPARE(m1 + m2, QSet<int>({0, 1, 2, 3}));
        QCOMPARE(o["listed"].toArray(), QJsonArray({QJsonArray({group, "consumer"})}));
        const QJsonArray stable = o["describedStable"].toArray();
        QCOMPARE(stable.size(), 1);
        const QJsonObject d = stable[0].toObject();
        QCOMPARE(d["error"].toInt(-1), 0);
        QCOMPARE(d["state"].toString(), QStringLiteral("Stable"));
        QCOMPARE(d["protocolType"].toString(), QStringLiteral("consumer"));
        QCOMPARE(d["protocol"].toString(), QStringLiteral("range"));
        const QJsonArray described = d["members"].toArray();
        QCOMPARE(described.size(), 2);
        QCOMPARE(described[0].toObject()["clientId"].toString(), QStringLiteral("partita-m1"));
        QCOMPARE(intSet(described[0].toObject()["assignment"].toObject()[topic].toArray()), m1);
        QCOMPARE(intSet(described[1].toObject()["assignment"].toObject()[topic].toArray()), m2);
        QCOMPARE(described[1].toObject()["subscription"].toArray(), QJsonArray({topic}));
        const QString t = topic + ":";
        const QJsonObject all{{t + "0", QJsonArray({12, "kp-meta-0"})},
                              {t + "1", QJsonArray({12, "kp-meta-1"})},
                              {t + "2", QJsonArray({10, ""})},
                              {t + "3", QJsonArray({10, ""})}};
        QCOMPARE(o["offsetsAll"].toObject(), all);
        QCOMPARE(o["offsetsNamed"].toObject(), QJsonObject({{t + "0", all[t + "0"]}, {t + "3", all[t + "3"]}}));
        const QJsonObject emptied = o["describedEmpty"].toArray()[0].toObject();
        QCOMPARE(emptied["state"].toString(), QStringLiteral("Empty"));
        QCOMPARE(emptied["protocolType"].toString(), QStringLiteral("consumer"));
        QVERIFY(emptied["members"].toArray().isEmpty());
        QCOMPARE(o["deleted"].toArray(), QJsonArray({QJsonArray({group, "NoError"})}));
        QVERIFY(o["listedAfterDelete"].toArray().isEmpty());
        QVERIFY(o["offsetsAfterDelete"].toObject().isEmpty());
    }

    void kafkajsGroupCommitsRebalanceAndAdmin() {
        REQUIRE_PEER(Peer::Kafkajs);
        ScriptRun r = runScript(*m_broker, Peer::Kafkajs, {"group"});
        QVERIFY2(r.ok(), qPrintable(r.report()));
        const QJsonObject& o = r.result;
        const QString topic = o["topic"].toString(), group = o["groupId"].toString(), t = topic + ":";
        QCOMPARE(o["partitions"].toInt(), 4);
        auto everyPartition = [&](const QString& offset) {
            QJsonObject out;
            for (int p = 0; p < 4; ++p) out[t + QString::number(p)] = offset;
            return out;
        };
        QCOMPARE(o["committedByM1"].toObject(), everyPartition("10"));
        QVERIFY2(o["consumedAgain"].toArray().isEmpty(), qPrintable(r.report()));
        const QSet<int> m1 = intSet(o["owned"].toObject()["m1"].toArray()),
                        m2 = intSet(o["owned"].toObject()["m2"].toArray());
        QCOMPARE(m1.size(), 2);
        QCOMPARE(m2.size(), 2);
        QCOMPARE(m1 + m2, QSet<int>({0, 1, 2, 3}));
        QVERIFY(o["commitErrors"].toArray().isEmpty());
        QCOMPARE(o["listed"].toArray(), QJsonArray({QJsonObject({{"groupId", group}, {"protocolType", "consumer"}})}));
        const QJsonObject d = o["describedStable"].toArray()[0].toObject();
        QCOMPARE(d["errorCode"].toInt(-1), 0);
        QCOMPARE(d["state"].toString(), QStringLiteral("Stable"));
        QCOMPARE(d["protocolType"].toString(), QStringLiteral("consumer"));
        QCOMPARE(d["protocol"].toString(), QStringLiteral("RoundRobinAssigner"));
        QSet<int> describedOwned;
        for (const auto& m : d["members"].toArray()) {
            const QSet<int> parts = intSet(m.toObject()["assignment"].toObject()[topic].toArray());
            QVERIFY2(parts == m1 || parts == m2, qPrintable(r.report()));
            describedOwned += parts;
            QCOMPARE(m.toObject()["subscription"].toArray(), QJsonArray({topic}));
        }
        QCOMPARE(d["members"].toArray().size(), 2);
        QCOMPARE(describedOwned.size(), 4);
        QCOMPARE(o["fetchNamed"].toObject(), everyPartition("12"));
        QCOMPARE(o["fetchAll"].toObject(), everyPartition("12"));
        const QJsonObject nonEmpty = o["deleteNonEmpty"].toObject();
        QVERIFY2(!nonEmpty["ok"].toBool(true) && nonEmpty["groups"].toArray()[0].toObject()["errorCode"].toInt() == 68,
                 qPrintable("DeleteGroups of a group with members: " + json(nonEmpty)));
        QCOMPARE(o["describedEmpty"].toArray()[0].toObject()["state"].toString(), QStringLiteral("Empty"));
        QVERIFY2(o["reset"].toObject()["ok"].toBool(), qPrintable(json(o["reset"])));
        // kafkajs commits the earliest-offset sentinel itself; the broker keeps what was committed.
        QCOMPARE(o["afterReset"].toObject(), everyPartition("-2"));
        QCOMPARE(o["afterResetResolved"].toObject(), everyPartition("0"));
        QVERIFY2(o["set"].toObject()["ok"].toBool(), qPrintable(json(o["set"])));
        QCOMPARE(o["afterSet"].toObject(),
                 QJsonObject({{t + "0", "3"}, {t + "1", "5"}, {t + "2", "0"}, {t + "3", "0"}}));
        QCOMPARE(o["m3Starts"].toObject(), QJsonObject({{"0", 3}, {"1", 5}, {"2", 0}, {"3", 0}}));
        QCOMPARE(o["m3Consumed"].toInt(), 40);
        QCOMPARE(o["deleteEmpty"].toObject()["result"].toArray(),
                 QJsonArray({QJsonObject({{"groupId", group}, {"errorCode", 0}})}));
        QVERIFY(o["listedAfterDelete"].toArray().isEmpty());
        QCOMPARE(o["fetchAfterDelete"].toObject(), everyPartition("-1"));
        QCOMPARE(o["deleteUnknown"].toObject()["groups"].toArray()[0].toObject()["errorCode"].toInt(), 69);
    }

    // A kafka-python, a kafkajs and a confluent group commit on one topic; each client lists, describes and
    // fetches the offsets of all three groups, and all of them see the same.
    void allClientsAgreeOnEachOthersGroups() {
        REQUIRE_PEER(Peer::Confluent);
        REQUIRE_PEER(Peer::KafkaPython);
        REQUIRE_PEER(Peer::Kafkajs);
        const QString topic = "groups-cross-topic";
        const QMap<Peer, QString> groups{{Peer::KafkaPython, "groups-cross-kafka-python"},
                                         {Peer::Kafkajs, "groups-cross-kafkajs"},
                                         {Peer::Confluent, "groups-cross-confluent"}};
        const QMap<Peer, int> counts{{Peer::KafkaPython, 7}, {Peer::Kafkajs, 11}, {Peer::Confluent, 5}};
        ScriptRun produced = runScript(*m_broker, Peer::Confluent, {"produce", topic, "3", "30"});
        QVERIFY2(produced.ok(), qPrintable(produced.report()));
        QMap<QString, QJsonObject> committed;  // group -> {"topic:partition": offset}
        for (Peer peer : {Peer::KafkaPython, Peer::Kafkajs, Peer::Confluent}) {
            ScriptRun r = runScript(*m_broker, peer, {"commit", groups[peer], topic, QString::number(counts[peer])});
            QVERIFY2(r.ok(), qPrintable(r.report()));
            QCOMPARE(r.result["processed"].toArray().size(), counts[peer]);
            QJsonObject offsets;
            int total = 0;
            const QJsonObject c = r.result["committed"].toObject();
            for (auto it = c.begin(); it != c.end(); ++it) {
                offsets[topic + ":" + it.key()] = it.value().toInt();
                total += it.value().toInt();
            }
            QVERIFY2(total == counts[peer],
                     qPrintable(QStringLiteral("%1 processed %2 records from offset 0 and committed %3")
                                    .arg(peerName(peer))
                                    .arg(counts[peer])
                                    .arg(json(c))));
            committed[groups[peer]] = offsets;
        }
        const QJsonObject expectedDescription{
            {"state", "Empty"}, {"protocolType", "consumer"}, {"protocol", ""}, {"members", 0}};
        QStringList views;
        for (Peer peer : {Peer::Confluent, Peer::KafkaPython, Peer::Kafkajs}) {
            ScriptRun r = runScript(*m_broker, peer, QStringList{"groups", topic} + groups.values());
            QVERIFY2(r.ok(), qPrintable(r.report()));
            views << QStringLiteral("%1: %2").arg(peerName(peer), json(r.result));
            for (const QString& g : groups) {
                const QJsonObject listed = r.result["listed"].toObject()[g].toObject();
                QVERIFY2(listed["protocolType"].toString() == "consumer",
                         qPrintable(QStringLiteral("%1 lists %2 as %3").arg(peerName(peer), g, json(listed))));
                if (listed.contains("state")) QCOMPARE(listed["state"].toString(), QStringLiteral("Empty"));
                QVERIFY2(r.result["described"].toObject()[g].toObject() == expectedDescription,
                         qPrintable(QStringLiteral("%1 describes %2 as %3")
                                        .arg(peerName(peer), g, json(r.result["described"].toObject()[g]))));
                QVERIFY2(r.result["offsets"].toObject()[g].toObject() == committed[g],
                         qPrintable(
                             QStringLiteral("%1 fetches %2 for %3, committed %4")
                                 .arg(peerName(peer), json(r.result["offsets"].toObject()[g]), g, json(committed[g]))));
            }
        }
        qInfo("%s", qPrintable(views.join('\n')));
    }

    // Offsets committed with confluent-kafka are there after partitad restarts, for all three clients, and a
    // consumer of the group resumes right after them.
    void committedOffsetsSurviveARestart() {
        REQUIRE_PEER(Peer::Confluent);
        REQUIRE_PEER(Peer::KafkaPython);
        REQUIRE_PEER(Peer::Kafkajs);
        PartitadProcess broker(m_dir.path() + "/restart");
        QVERIFY2(broker.start(kOverrides), qPrintable(broker.output()));
        const QString topic = "groups-restart-topic", group = "groups-restart-group";
        ScriptRun produced = runScript(broker, Peer::Confluent, {"produce", topic, "3", "30"});
        QVERIFY2(produced.ok(), qPrintable(produced.report()));
        ScriptRun committed = runScript(broker, Peer::Confluent, {"commit", group, topic, "17"});
        QVERIFY2(committed.ok(), qPrintable(committed.report()));
        const QJsonObject offsets = committed.result["committed"].toObject();
        int total = 0;
        for (const auto& v : offsets) total += v.toInt();
        QCOMPARE(total, 17);

        QVERIFY2(broker.restart(kOverrides), qPrintable(broker.output()));
        for (Peer peer : {Peer::Confluent, Peer::KafkaPython, Peer::Kafkajs}) {
            ScriptRun r = runScript(broker, peer, {"committed", group, topic});
            QVERIFY2(r.ok(), qPrintable(r.report()));
            QVERIFY2(r.result["committed"].toObject() == offsets,
                     qPrintable(QStringLiteral("after the restart %1 reads %2, committed %3")
                                    .arg(peerName(peer), json(r.result["committed"]), json(offsets))));
        }
        ScriptRun resumed = runScript(broker, Peer::Confluent, {"resume", group, topic});
        QVERIFY2(resumed.ok(), qPrintable(resumed.report()));
        QSet<QString> values;
        for (const auto& m : committed.result["processed"].toArray()) values.insert(m.toArray()[2].toString());
        const QJsonArray rest = resumed.result["consumed"].toArray();
        QCOMPARE(rest.size(), 13);
        for (const auto& m : rest) {
            const QString value = m.toArray()[2].toString();
            QVERIFY2(!values.contains(value),
                     qPrintable(value + " was processed before the restart and consumed again"));
            values.insert(value);
            const QString partition = QString::number(m.toArray()[0].toInt());
            QVERIFY(m.toArray()[1].toInt() >= offsets[partition].toInt(0));
        }
        QCOMPARE(values.size(), 30);
        QCOMPARE(broker.stop(), 0);
    }

private:
    // A first member processes 14 of 30 records committing in the scenario's way, and closes; a second member
    // of the group reads exactly the other 16.
    void resumesAfterCommits(const QString& scenario) {
        REQUIRE_PEER(Peer::Confluent);
        ScriptRun r = runScript(*m_broker, Peer::Confluent, {scenario});
        QVERIFY2(r.ok(), qPrintable(r.report()));
        const QJsonObject& o = r.result;
        QCOMPARE(o["partitions"].toInt(), 3);
        const QJsonArray processed = o["processed"].toArray(), resumed = o["resumed"].toArray();
        QCOMPARE(processed.size(), 14);
        QCOMPARE(resumed.size(), 16);
        QSet<QString> values;
        QMap<QString, int> next;  // partition -> the offset after the last processed record
        for (const auto& m : processed) {
            values.insert(m.toArray()[2].toString());
            const QString p = QString::number(m.toArray()[0].toInt());
            next[p] = std::max(next.value(p, 0), m.toArray()[1].toInt() + 1);
        }
        for (const auto& m : resumed) values.insert(m.toArray()[2].toString());
        QCOMPARE(values.size(), 30);
        for (int i = 0; i < 30; ++i) QVERIFY(values.contains("m-" + QString::number(i)));
        const QJsonObject committed = o["committed"].toObject();
        QCOMPARE(o["position"].toObject(), committed);
        for (int p = 0; p < 3; ++p) {
            const QString key = QString::number(p);
            QCOMPARE(committed[key].toInt(), next.value(key, -1001));
            const int start = std::max(0, committed[key].toInt());
            if (start < 10)
                QCOMPARE(o["resumedFrom"].toObject()[key].toInt(-1), start);
            else
                QVERIFY(!o["resumedFrom"].toObject().contains(key));
        }
        const int calls = o["commitCalls"].toInt();
        if (scenario == "async_commit") {
            const QJsonArray callbacks = o["callbacks"].toArray();
            QCOMPARE(calls, 14);
            QCOMPARE(callbacks.size(), calls);
            for (qsizetype i = 0; i < callbacks.size(); ++i) {
                const QJsonArray c = callbacks[i].toArray();
                QVERIFY2(c[0].isNull(), qPrintable(json(c)));
                const QJsonArray m = processed[i].toArray();
                QCOMPARE(c[1].toArray(), QJsonArray({QJsonArray({m[0], m[1].toInt() + 1, QJsonValue()})}));
            }
        } else {
            const QJsonArray results = o["syncResults"].toArray();
            QCOMPARE(results.size(), calls);
            if (scenario == "sync_commit") {
                QCOMPARE(calls, 14);
                for (qsizetype i = 0; i < results.size(); ++i) {
                    const QJsonArray m = processed[i].toArray();
                    QCOMPARE(results[i].toArray(), QJsonArray({QJsonArray({m[0], m[1].toInt() + 1, QJsonValue()})}));
                }
            } else {
                QVERIFY(calls >= 3);  // batches of at most five
                for (const auto& result : results)
                    for (const auto& tp : result.toArray())
                        QVERIFY2(tp.toArray()[2].isNull(), qPrintable(json(result)));
            }
        }
    }

    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
};

QTEST_GUILESS_MAIN(TestPartitadGroups)
#include "partitad_groups_test.moc"
