// MetricCollector: one round = the session's latest snapshot + fresh end offsets + every group's
// committed offsets and description (engine threads) + Prometheus scrapes (Qt Network), joined
// into one MetricFrame on the GUI thread.
#include "models/metriccollector.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "engine/metrics/prometheustext.h"
#include "models/clustersession.h"
#include "models/metricnames.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QUrl>

#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

namespace partita::models {

namespace {

// Committed offsets are one OffsetFetch per group (Admin has no multi-group call): this many at a
// time keeps 2,000 groups from flooding the coordinators.
constexpr int kMaxGroupFetchesInFlight = 16;
constexpr int kScrapeTimeoutMs = 5000;

int groupStateNumber(const std::string& state) {
    if (state == "Empty") return 1;
    if (state == "Stable") return 2;
    if (state == "PreparingRebalance") return 3;
    if (state == "CompletingRebalance") return 4;
    if (state == "Dead") return 5;
    return 0;
}

QString topicSubject(const QString& topic) {
    return QStringLiteral("topic:") + topic;
}
QString groupSubject(const QString& group) {
    return QStringLiteral("group:") + group;
}
QString brokerSubject(int id) {
    return QStringLiteral("broker:%1").arg(id);
}

// A scrape target: "N=url" names broker N, a bare url is its own subject.
struct Endpoint {
    QUrl url;
    QString subject;
};

Endpoint parseEndpoint(const QString& entry) {
    Endpoint endpoint;
    const qsizetype eq = entry.indexOf(QLatin1Char('='));
    bool isBroker = false;
    int broker = -1;
    if (eq > 0) broker = entry.left(eq).trimmed().toInt(&isBroker);
    if (isBroker) {
        endpoint.url = QUrl(entry.mid(eq + 1).trimmed());
        endpoint.subject = brokerSubject(broker);
    } else {
        endpoint.url = QUrl(entry.trimmed());
        endpoint.subject = QStringLiteral("endpoint:%1:%2").arg(endpoint.url.host()).arg(endpoint.url.port(80));
    }
    return endpoint;
}

}  // namespace

// What the next round needs from this one to compute rates.
struct MetricCollector::Previous {
    qint64 ms = 0;
    std::unordered_map<std::string, qint64> topicEnds;       // topic -> sum of end offsets
    std::unordered_map<std::string, qint64> groupCommitted;  // group -> sum of committed offsets
    quint64 snapshotSequence = 0;
    qint64 snapshotMs = 0;
    std::unordered_map<std::string, qint64> topicBytes;
    // group -> its state number, member count and the rebalances seen in the last hour
    struct GroupActivity {
        int state = 0;
        size_t members = 0;
        std::vector<qint64> rebalances;  // ms
    };
    std::unordered_map<std::string, GroupActivity> groups;
    // subject -> when scraped and counter name -> value, from the Prometheus scrapes
    struct Counters {
        qint64 ms = 0;
        std::map<std::string, double> values;
    };
    std::map<QString, Counters> counters;
};

// One round's state, shared by the engine callbacks (under `mutex`) and, once they are all in,
// by the GUI thread.
struct MetricCollector::Round {
    QString cluster;
    qint64 ms = 0;
    std::shared_ptr<const ClusterSnapshot> snapshot;
    bool lost = false;
    std::set<int> knownBrokers;
    std::shared_ptr<const Previous> previous;
    std::optional<client::Admin> admin;
    CallbackGuard<MetricCollector>::Handle handle;

    std::mutex mutex;
    int pending = 0;
    std::map<client::TopicPartition, qint64> ends;
    std::vector<std::string> groups;
    size_t nextGroup = 0;
    int groupsInFlight = 0;
    std::map<std::string, std::vector<client::CommittedOffset>> committed;
    std::map<std::string, client::ConsumerGroupDescription> described;
    QStringList problems;

    // Filled on the engine thread that completes the Kafka part, read on the GUI thread.
    MetricFrame frame;
    std::shared_ptr<Previous> next;
    int scrapesPending = 0;
    bool kafkaDone = false;
    std::map<QString, ::partita::metrics::PrometheusText> scrapes;  // subject -> parsed scrape (GUI thread)
};

MetricCollector::MetricCollector(ClusterSession* session, const QString& clusterId, QObject* parent)
    : QObject(parent), m_session(session), m_cluster(clusterId) {
    m_timer.setInterval(10'000);
    connect(&m_timer, &QTimer::timeout, this, &MetricCollector::collectNow);
}

MetricCollector::~MetricCollector() {
    m_guard.detach();
}

void MetricCollector::setInterval(int ms) {
    m_timer.setInterval(std::max(100, ms));
}

int MetricCollector::interval() const {
    return m_timer.interval();
}

void MetricCollector::setPrometheusEndpoints(const QStringList& urls) {
    m_endpoints = urls;
}

void MetricCollector::start() {
    m_timer.start();
    collectNow();
}

void MetricCollector::stop() {
    m_timer.stop();
}

void MetricCollector::collectNow() {
    // A round never overlaps the previous one: a slow cluster skips ticks instead of piling up.
    if (m_running) return;
    if (!m_session) return;
    auto round = std::make_shared<Round>();
    round->cluster = m_cluster;
    round->ms = QDateTime::currentMSecsSinceEpoch();
    round->snapshot = m_session->snapshot();
    round->lost = m_session->state() == ClusterSession::State::Lost;
    round->previous = m_previous;
    round->admin = m_session->admin();
    round->handle = m_guard.handle();
    if (round->snapshot)
        for (const BrokerInfo& b : round->snapshot->brokers) m_knownBrokers.insert(b.id);
    round->knownBrokers = m_knownBrokers;
    m_running = true;

    // Prometheus scrapes run on Qt Network's own thread; the replies arrive here.
    round->scrapesPending = int(m_endpoints.size());
    for (const QString& entry : m_endpoints) scrape(round, entry);

    if (round->lost || !round->admin || !round->snapshot) {
        if (!round->snapshot && !round->lost) round->problems << tr("No cluster snapshot yet");
        buildFrame(*round);
        round->kafkaDone = true;
        return finishRound(round);
    }
    startKafka(round);
}

void MetricCollector::startKafka(std::shared_ptr<Round> round) {
    std::map<client::TopicPartition, int64_t> latest;
    for (const TopicInfo& t : round->snapshot->topics) {
        if (t.internal) continue;
        for (const PartitionInfo& p : t.partitions)
            if (p.leader >= 0)
                latest.emplace(client::TopicPartition{t.name.toStdString(), p.partition}, client::OffsetSpec::kLatest);
    }
    for (const GroupInfo& g : round->snapshot->groups)
        if (g.protocolType.isEmpty() || g.protocolType == QLatin1String("consumer"))
            round->groups.push_back(g.groupId.toStdString());

    // One count held while the calls start, so a callback that completes at once cannot finish
    // the round early.
    round->pending = 1;

    if (!latest.empty()) {
        {
            std::lock_guard lock(round->mutex);
            ++round->pending;
        }
        round->admin->listOffsets(
            std::move(latest), client::IsolationLevel::ReadUncommitted,
            [round](Result<std::vector<client::ListedOffset>> listed) {
                {
                    std::lock_guard lock(round->mutex);
                    if (!listed.ok()) {
                        round->problems << tr("End offsets: %1").arg(QString::fromStdString(listed.error().message));
                    } else {
                        for (const auto& l : listed.value())
                            if (l.status.ok() && l.offset >= 0) round->ends[l.partition] = l.offset;
                    }
                }
                finishKafka(round);
            });
    }
    if (!round->groups.empty()) {
        {
            std::lock_guard lock(round->mutex);
            ++round->pending;
        }
        round->admin->describeConsumerGroups(
            round->groups, {}, [round](Result<std::vector<client::ConsumerGroupDescription>> described) {
                {
                    std::lock_guard lock(round->mutex);
                    if (!described.ok()) {
                        round->problems << tr("Groups: %1").arg(QString::fromStdString(described.error().message));
                    } else {
                        for (auto& d : described.value())
                            if (d.status.ok()) round->described[d.groupId] = std::move(d);
                    }
                }
                finishKafka(round);
            });
        {
            std::lock_guard lock(round->mutex);
            ++round->pending;  // held by the group offset pump until its last fetch is in
        }
        pumpGroups(round);
    }
    finishKafka(round);
}

void MetricCollector::pumpGroups(std::shared_ptr<Round> round) {
    std::vector<size_t> launch;
    bool allDone = false;
    {
        std::lock_guard lock(round->mutex);
        while (round->groupsInFlight < kMaxGroupFetchesInFlight && round->nextGroup < round->groups.size()) {
            launch.push_back(round->nextGroup++);
            ++round->groupsInFlight;
        }
        allDone = launch.empty() && round->groupsInFlight == 0 && round->nextGroup >= round->groups.size();
    }
    if (allDone) return finishKafka(round);
    // Outside the lock: a callback may run at once, on this thread, and pump again.
    for (size_t i : launch) {
        round->admin->listConsumerGroupOffsets(
            round->groups[i], {}, [round, i](Result<std::vector<client::CommittedOffset>> committed) {
                bool last = false;
                {
                    std::lock_guard lock(round->mutex);
                    if (committed.ok())
                        round->committed[round->groups[i]] = std::move(committed.value());
                    else if (round->problems.size() < 20)
                        round->problems << tr("Offsets of group %1: %2")
                                               .arg(QString::fromStdString(round->groups[i]),
                                                    QString::fromStdString(committed.error().message));
                    --round->groupsInFlight;
                    last = round->groupsInFlight == 0 && round->nextGroup >= round->groups.size();
                }
                if (last) return finishKafka(round);
                pumpGroups(round);
            });
    }
}

void MetricCollector::finishKafka(std::shared_ptr<Round> round) {
    {
        std::lock_guard lock(round->mutex);
        if (--round->pending > 0) return;
    }
    // Every callback is in: nothing else touches the round until the GUI thread gets it.
    buildFrame(*round);
    round->handle.post([round](MetricCollector* self) {
        round->kafkaDone = true;
        self->finishRound(round);
    });
}

void MetricCollector::buildFrame(Round& round) {
    MetricFrame& frame = round.frame;
    frame.cluster = round.cluster;
    frame.ms = round.ms;
    auto next = std::make_shared<Previous>();
    next->ms = round.ms;
    const Previous* prev = round.previous.get();
    const double dt = prev && round.ms > prev->ms ? double(round.ms - prev->ms) / 1000.0 : 0;
    auto add = [&](const char* metric, const QString& subject, double value) {
        frame.values.emplace_back(SeriesKey{round.cluster, QLatin1String(metric), subject}, value);
    };

    const ClusterSnapshot* snap = round.snapshot.get();
    // Brokers: a Lost session means none answers; one known before but missing from the current
    // metadata is down too (Kafka drops a dead broker from the metadata).
    std::set<int> current;
    int up = 0;
    if (snap) {
        for (const BrokerInfo& b : snap->brokers) {
            current.insert(b.id);
            const bool reachable = !round.lost && b.reachable;
            up += reachable ? 1 : 0;
            add(metrics::brokerUp, brokerSubject(b.id), reachable ? 1 : 0);
            if (!round.lost) {
                add(metrics::brokerPartitionsLed, brokerSubject(b.id), b.partitionsLed);
                if (b.logDirBytes >= 0) add(metrics::brokerLogDirBytes, brokerSubject(b.id), double(b.logDirBytes));
                if (b.diskUsedRatio >= 0) add(metrics::brokerDiskUsedRatio, brokerSubject(b.id), b.diskUsedRatio);
            }
        }
    }
    for (int id : round.knownBrokers)
        if (!current.count(id)) add(metrics::brokerUp, brokerSubject(id), 0);
    add(metrics::brokersUp, QString(), up);
    add(metrics::brokersTotal, QString(), double(std::max(current.size(), round.knownBrokers.size())));

    if (snap && !round.lost) {
        add(metrics::activeControllerCount, QString(), snap->controllerId >= 0 ? 1 : 0);
        int partitions = 0, topics = 0, urp = 0, offline = 0;
        const bool freshSnapshot = prev && prev->snapshotSequence != snap->sequence && prev->snapshotMs > 0;
        const qint64 snapMs = snap->takenAt.toMSecsSinceEpoch();
        next->snapshotSequence = snap->sequence;
        next->snapshotMs = snapMs;
        std::unordered_map<std::string, std::vector<qint64>> endsByTopic;  // for the group lag below
        for (const TopicInfo& t : snap->topics) {
            partitions += int(t.partitions.size());
            urp += t.underReplicatedCount();
            offline += t.offlineCount();
            if (t.internal) continue;
            ++topics;
            const std::string name = t.name.toStdString();
            const QString subject = topicSubject(t.name);
            auto& ends = endsByTopic[name];
            qint64 endSum = 0, messages = 0;
            bool anyEnd = false;
            for (const PartitionInfo& p : t.partitions) {
                auto it = round.ends.find({name, p.partition});
                // A partition whose fresh end could not be read falls back to the snapshot's.
                const qint64 end = it != round.ends.end() ? it->second : p.endOffset;
                if (p.partition >= 0) {
                    if (ends.size() <= size_t(p.partition)) ends.resize(size_t(p.partition) + 1, -1);
                    ends[size_t(p.partition)] = end;
                }
                if (end < 0) continue;
                anyEnd = true;
                endSum += end;
                if (p.startOffset >= 0) messages += std::max<qint64>(0, end - p.startOffset);
            }
            add(metrics::topicUnderReplicatedPartitions, subject, t.underReplicatedCount());
            if (anyEnd) {
                add(metrics::topicEndOffsets, subject, double(endSum));
                add(metrics::topicMessages, subject, double(messages));
                next->topicEnds[name] = endSum;
                if (dt > 0)
                    if (auto p = prev->topicEnds.find(name); p != prev->topicEnds.end())
                        add(metrics::topicMessagesInPerSec, subject,
                            std::max<double>(0, double(endSum - p->second) / dt));
            }
            if (const qint64 bytes = t.size(); bytes >= 0) {
                add(metrics::topicBytes, subject, double(bytes));
                next->topicBytes[name] = bytes;
                // Sizes come from the session's refresh: a rate only between two different snapshots.
                if (freshSnapshot && snapMs > prev->snapshotMs)
                    if (auto p = prev->topicBytes.find(name); p != prev->topicBytes.end())
                        add(metrics::topicBytesInPerSec, subject,
                            std::max<double>(0,
                                             double(bytes - p->second) * 1000.0 / double(snapMs - prev->snapshotMs)));
            } else if (prev) {
                if (auto p = prev->topicBytes.find(name); p != prev->topicBytes.end())
                    next->topicBytes[name] = p->second;
            }
        }
        if (!freshSnapshot && prev) {
            next->snapshotSequence = prev->snapshotSequence;
            next->snapshotMs = prev->snapshotMs;
            next->topicBytes = prev->topicBytes;
        }
        add(metrics::partitionsTotal, QString(), partitions);
        add(metrics::topicsTotal, QString(), topics);
        add(metrics::underReplicatedPartitions, QString(), urp);
        add(metrics::offlinePartitions, QString(), offline);
        add(metrics::groupsTotal, QString(), double(snap->groups.size()));

        for (const std::string& group : round.groups) {
            const QString gname = QString::fromStdString(group);
            const QString subject = groupSubject(gname);
            if (auto d = round.described.find(group); d != round.described.end()) {
                const int state = groupStateNumber(d->second.state);
                add(metrics::groupState, subject, state);
                add(metrics::groupMembers, subject, double(d->second.members.size()));
                add(metrics::groupRebalancesPerHour, subject,
                    double(countRebalance(prev, *next, group, state, d->second.members.size(), round.ms)));
            }
            auto c = round.committed.find(group);
            if (c == round.committed.end()) continue;
            qint64 lag = 0, committedSum = 0;
            bool anyLag = false;
            std::map<std::string, qint64> topicLag;
            for (const client::CommittedOffset& co : c->second) {
                if (!co.status.ok() || co.offset < 0) continue;
                committedSum += co.offset;
                qint64 end = -1;
                if (auto e = endsByTopic.find(co.partition.topic); e != endsByTopic.end() &&
                                                                   co.partition.partition >= 0 &&
                                                                   size_t(co.partition.partition) < e->second.size())
                    end = e->second[size_t(co.partition.partition)];
                frame.groupOffsets.push_back(
                    {gname, QString::fromStdString(co.partition.topic), co.partition.partition, co.offset, end});
                if (end < 0) continue;
                // A commit past the end (records deleted, topic re-created) is no lag.
                const qint64 l = std::max<qint64>(0, end - co.offset);
                lag += l;
                topicLag[co.partition.topic] += l;
                anyLag = true;
            }
            if (anyLag) add(metrics::groupLag, subject, double(lag));
            for (const auto& [topic, l] : topicLag)
                add(metrics::groupTopicLag, subject + QLatin1Char('|') + topicSubject(QString::fromStdString(topic)),
                    double(l));
            next->groupCommitted[group] = committedSum;
            if (dt > 0)
                if (auto p = prev->groupCommitted.find(group); p != prev->groupCommitted.end())
                    add(metrics::groupConsumePerSec, subject,
                        std::max<double>(0, double(committedSum - p->second) / dt));
        }
    } else if (prev) {
        // Nothing measured: keep the last counters so rates resume correctly afterwards.
        *next = *prev;
        next->ms = prev->ms;
    }
    if (prev) next->counters = prev->counters;
    round.next = std::move(next);
}

size_t MetricCollector::countRebalance(const Previous* prev, Previous& next, const std::string& group, int state,
                                       size_t members, qint64 ms) {
    // The protocol shows no rebalance counter (DescribeGroups has no generation), so one is counted
    // when a sample finds the group rebalancing after it was not, or its members changed between
    // two stable samples (a rebalance quicker than the sampling interval).
    Previous::GroupActivity activity;
    if (prev)
        if (auto it = prev->groups.find(group); it != prev->groups.end()) activity = it->second;
    const bool rebalancing = state == 3 || state == 4;
    const bool wasRebalancing = activity.state == 3 || activity.state == 4;
    const bool known = activity.state != 0;
    if (known && ((rebalancing && !wasRebalancing) || (!rebalancing && !wasRebalancing && members != activity.members &&
                                                       members > 0 && activity.members > 0)))
        activity.rebalances.push_back(ms);
    std::erase_if(activity.rebalances, [ms](qint64 at) { return at <= ms - 3600 * 1000; });
    activity.state = state;
    activity.members = members;
    const size_t count = activity.rebalances.size();
    next.groups[group] = std::move(activity);
    return count;
}

void MetricCollector::scrape(std::shared_ptr<Round> round, const QString& entry) {
    if (!m_network) m_network = new QNetworkAccessManager(this);
    const Endpoint endpoint = parseEndpoint(entry);
    QNetworkRequest request(endpoint.url);
    request.setTransferTimeout(kScrapeTimeoutMs);
    QNetworkReply* reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, round, reply, endpoint] {
        reply->deleteLater();
        std::lock_guard lock(round->mutex);
        if (reply->error() != QNetworkReply::NoError) {
            round->problems << tr("Prometheus %1: %2").arg(endpoint.url.toString(), reply->errorString());
        } else {
            const QByteArray body = reply->readAll();
            round->scrapes[endpoint.subject] =
                ::partita::metrics::parsePrometheusText(std::string_view(body.constData(), size_t(body.size())));
        }
        --round->scrapesPending;
        QMetaObject::invokeMethod(
            this, [this, round] { finishRound(round); }, Qt::QueuedConnection);
    });
}

void MetricCollector::addScrapes(Round& round) {
    const Previous* prev = round.previous.get();
    // Cluster-wide from the brokers' own counts (the protocol would need every topic's
    // min.insync.replicas): the sum over the scraped brokers.
    std::optional<double> underMinIsr;
    for (const auto& [subject, text] : round.scrapes)
        if (auto v = text.sum("kafka_server_replicamanager_underminisrpartitioncount"))
            underMinIsr = underMinIsr.value_or(0) + *v;
    if (underMinIsr)
        round.frame.values.emplace_back(
            SeriesKey{round.cluster, QLatin1String(metrics::underMinIsrPartitions), QString()}, *underMinIsr);
    for (const auto& [subject, text] : round.scrapes) {
        auto add = [&](const char* metric, double value) {
            round.frame.values.emplace_back(SeriesKey{round.cluster, QLatin1String(metric), subject}, value);
        };
        auto& counters = round.next->counters[subject];
        counters = {};
        counters.ms = round.ms;
        const Previous::Counters* before = nullptr;
        if (prev)
            if (auto it = prev->counters.find(subject); it != prev->counters.end()) before = &it->second;
        const double dt = before && round.ms > before->ms ? double(round.ms - before->ms) / 1000.0 : 0;
        // A counter's per-second rate since the last scrape; nullopt on the first or after a reset.
        auto rate = [&](const std::string& name, std::optional<double> value) -> std::optional<double> {
            if (!value) return std::nullopt;
            counters.values[name] = *value;
            if (!before || dt <= 0) return std::nullopt;
            auto it = before->values.find(name);
            if (it == before->values.end() || *value < it->second) return std::nullopt;
            return (*value - it->second) / dt;
        };
        // Broker-wide totals are the series without a topic label.
        auto total = [&](std::string_view name) -> std::optional<double> {
            for (const auto& s : text.samples)
                if (s.name == name && s.label("topic").empty()) return s.value;
            return std::nullopt;
        };
        if (auto v = text.sum("kafka_network_requestchannel_requestqueuesize")) add(metrics::requestQueueSize, *v);
        // The JMX exporter reports these as percents in 0..1 already (Kafka's "percent" meters).
        if (auto* s = text.find("kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent"))
            add(metrics::requestHandlerIdleRatio, s->value);
        else if (auto* s1 =
                     text.find("kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_oneminuterate"))
            add(metrics::requestHandlerIdleRatio, s1->value);
        if (auto* s = text.find("kafka_network_socketserver_networkprocessoravgidlepercent"))
            add(metrics::networkProcessorIdleRatio, s->value);
        if (auto r = rate("bytesin", total("kafka_server_brokertopicmetrics_bytesin_total")))
            add(metrics::bytesInPerSec, *r);
        if (auto r = rate("bytesout", total("kafka_server_brokertopicmetrics_bytesout_total")))
            add(metrics::bytesOutPerSec, *r);
        auto requestMs = [&](const char* request) -> std::optional<double> {
            if (auto* s =
                    text.find("kafka_network_requestmetrics_totaltimems", {{"request", request}, {"quantile", "0.99"}}))
                return s->value;
            if (auto* s = text.find("kafka_network_requestmetrics_totaltimems_mean", {{"request", request}}))
                return s->value;
            return std::nullopt;
        };
        if (auto v = requestMs("Produce")) add(metrics::produceRequestMs, *v);
        if (auto v = requestMs("FetchConsumer")) add(metrics::fetchRequestMs, *v);
        const auto failedProduce =
            rate("failedproduce", total("kafka_server_brokertopicmetrics_failedproducerequests_total"));
        const auto failedFetch =
            rate("failedfetch", total("kafka_server_brokertopicmetrics_failedfetchrequests_total"));
        const auto totalProduce =
            rate("totalproduce", total("kafka_server_brokertopicmetrics_totalproducerequests_total"));
        if (failedProduce || failedFetch)
            add(metrics::failedRequestsPerSec, failedProduce.value_or(0) + failedFetch.value_or(0));
        if (failedProduce && totalProduce)
            add(metrics::produceErrorRatio, *totalProduce > 0 ? *failedProduce / *totalProduce : 0);
    }
}

void MetricCollector::finishRound(std::shared_ptr<Round> round) {
    if (!round->kafkaDone || round->scrapesPending > 0) return;
    addScrapes(*round);
    m_previous = round->next;
    m_running = false;
    for (const QString& p : round->problems) emit problem(p);
    emit sampled(round->frame);
}

}  // namespace partita::models
