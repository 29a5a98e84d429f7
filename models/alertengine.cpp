// AlertEngine: rule evaluation per (rule, series), the alert states, silences and rule files.
#include "models/alertengine.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <unordered_map>

namespace partita::models {

namespace {

constexpr size_t kHistoryLimit = 1000;
constexpr int kMemoLimit = 100000;
constexpr qsizetype kMaxSeriesIds = 1000000;

// A glob with fast paths: "*" matches everything, a pattern without wildcards compares, the rest
// goes through a regular expression whose answers are remembered (the same names come every frame).
class Glob {
public:
    explicit Glob(const QString& pattern) {
        if (pattern == QLatin1String("*")) {
            m_kind = Any;
        } else if (!pattern.contains(QLatin1Char('*')) && !pattern.contains(QLatin1Char('?')) &&
                   !pattern.contains(QLatin1Char('['))) {
            m_kind = Exact;
            m_text = pattern;
        } else {
            m_kind = Regex;
            m_re = QRegularExpression(QRegularExpression::wildcardToRegularExpression(pattern));
        }
    }
    bool any() const { return m_kind == Any; }
    bool match(const QString& name) {
        if (m_kind == Any) return true;
        if (m_kind == Exact) return name == m_text;
        auto it = m_memo.constFind(name);
        if (it != m_memo.constEnd()) return *it;
        if (m_memo.size() > kMemoLimit) m_memo.clear();
        const bool matched = m_re.match(name).hasMatch();
        m_memo.insert(name, matched);
        return matched;
    }

private:
    enum Kind { Any, Exact, Regex } m_kind = Any;
    QString m_text;
    QRegularExpression m_re;
    QHash<QString, bool> m_memo;
};

// The name a subject pattern is matched against (see AlertRule::subjectPattern).
QString subjectName(const QString& subject) {
    if (subject.startsWith(QLatin1String("group:"))) {
        const qsizetype bar = subject.lastIndexOf(QLatin1String("|topic:"));
        return bar < 0 ? subject.mid(6) : subject.mid(6, bar - 6);
    }
    const qsizetype colon = subject.indexOf(QLatin1Char(':'));
    return colon < 0 ? subject : subject.mid(colon + 1);
}

int severityRank(Severity s) {
    return static_cast<int>(s);
}

}  // namespace

QString AlertInstance::key() const {
    return ruleId + series.toString();
}

QString alertStateName(AlertInstance::State state) {
    switch (state) {
        case AlertInstance::State::Pending:
            return QStringLiteral("pending");
        case AlertInstance::State::Firing:
            return QStringLiteral("firing");
        case AlertInstance::State::Resolved:
            return QStringLiteral("resolved");
    }
    return QStringLiteral("pending");
}

struct AlertEngine::Private {
    struct Compiled {
        AlertRule rule;
        Glob cluster;
        Glob subject;
        bool clusterScope = false;
        bool matchesAll = false;  // no pattern to check
        // Whether the rule's patterns match a series, by series id: -1 not asked yet, 0 no, 1 yes.
        std::vector<qint8> matches;
        // Active instances by series id, with the generation of the frame that last saw them.
        struct Entry {
            AlertInstance alert;
            quint64 seen = 0;
        };
        std::unordered_map<int, Entry> instances;
        explicit Compiled(AlertRule r)
            : rule(std::move(r)),
              cluster(rule.clusterPattern),
              subject(rule.subjectPattern),
              clusterScope(rule.scopeKind == QLatin1String("cluster")) {
            matchesAll = cluster.any() && (clusterScope || subject.any());
        }
        bool match(int id, const SeriesKey& series) {
            if (matchesAll) return !clusterScope || series.subject.isEmpty();
            if (size_t(id) >= matches.size()) matches.resize(size_t(id) + 1024, -1);
            qint8& known = matches[size_t(id)];
            if (known < 0) {
                known = cluster.match(series.cluster) &&
                        (clusterScope ? series.subject.isEmpty() : subject.match(subjectName(series.subject)));
            }
            return known;
        }
    };
    std::vector<AlertRule> rules;
    std::vector<std::unique_ptr<Compiled>> compiled;
    std::deque<AlertInstance> history;
    QHash<QString, qint64> silences;  // alert key -> until ms
    quint64 generation = 0;
    // Series interned to small ids (series.toString() -> id), so that the per (rule, series) work of a
    // cycle is integer lookups; every frame carries the same series again.
    QHash<QString, int> ids;

    int idOf(const SeriesKey& series) {
        const QString text = series.toString();
        auto it = ids.constFind(text);
        if (it != ids.constEnd()) return *it;
        const int id = int(ids.size());
        ids.insert(text, id);
        return id;
    }
    // Too many series came and went: start the numbering again from the active alerts.
    void reintern() {
        ids.clear();
        for (auto& c : compiled) {
            c->matches.clear();
            std::unordered_map<int, Compiled::Entry> renumbered;
            for (auto& [id, entry] : c->instances) {
                const QString text = entry.alert.series.toString();
                auto it = ids.constFind(text);
                const int newId = it != ids.constEnd() ? *it : int(ids.size());
                if (it == ids.constEnd()) ids.insert(text, newId);
                renumbered.emplace(newId, std::move(entry));
            }
            c->instances = std::move(renumbered);
        }
    }

    std::pair<Compiled*, Compiled::Entry*> findEntry(const QString& key) {
        for (auto& c : compiled) {
            if (!key.startsWith(c->rule.id)) continue;
            auto id = ids.constFind(key.mid(c->rule.id.size()));
            if (id == ids.constEnd()) continue;
            auto it = c->instances.find(*id);
            if (it != c->instances.end()) return {c.get(), &it->second};
        }
        return {nullptr, nullptr};
    }
};

AlertEngine::AlertEngine(QObject* parent) : QObject(parent), m_d(std::make_unique<Private>()) {}

AlertEngine::~AlertEngine() = default;

void AlertEngine::setRules(std::vector<AlertRule> rules) {
    std::vector<std::unique_ptr<Private::Compiled>> next;
    for (const AlertRule& rule : rules) {
        auto c = std::make_unique<Private::Compiled>(rule);
        if (rule.enabled) {
            for (auto& old : m_d->compiled) {
                if (old->rule.id != rule.id) continue;
                // Same id: the alerts stay; the next frame re-checks them against the new condition.
                c->instances = std::move(old->instances);
                for (auto& [id, entry] : c->instances) {
                    entry.alert.ruleName = rule.name;
                    entry.alert.severity = rule.severity;
                    entry.alert.threshold = rule.threshold;
                }
                break;
            }
        }
        next.push_back(std::move(c));
    }
    m_d->compiled = std::move(next);
    m_d->rules = std::move(rules);
    emit alertsChanged();
}

const std::vector<AlertRule>& AlertEngine::rules() const {
    return m_d->rules;
}

std::vector<AlertTransition> AlertEngine::evaluate(const MetricFrame& frame) {
    using Entry = Private::Compiled::Entry;
    std::vector<AlertTransition> transitions;
    const quint64 generation = ++m_d->generation;
    const qint64 now = frame.ms;
    bool changed = false;

    // The frame's values by metric, and their series ids.
    QHash<QString, std::vector<int>> byMetric;
    std::vector<int> ids(frame.values.size());
    if (m_d->ids.size() + qsizetype(frame.values.size()) > kMaxSeriesIds) m_d->reintern();
    for (size_t i = 0; i < frame.values.size(); ++i) {
        byMetric[frame.values[i].first.metric].push_back(int(i));
        ids[i] = m_d->idOf(frame.values[i].first);
    }

    auto resolve = [&](Private::Compiled& c, std::unordered_map<int, Entry>::iterator it) {
        AlertInstance& a = it->second.alert;
        if (a.state == AlertInstance::State::Firing) {
            a.state = AlertInstance::State::Resolved;
            a.resolvedAt = now;
            transitions.push_back(
                AlertTransition{a, AlertInstance::State::Firing, AlertInstance::State::Resolved, now});
            m_d->history.push_front(a);
            if (m_d->history.size() > kHistoryLimit) m_d->history.pop_back();
        }
        changed = true;
        return c.instances.erase(it);
    };

    for (auto& cp : m_d->compiled) {
        Private::Compiled& c = *cp;
        if (!c.rule.enabled) continue;
        auto metricIt = byMetric.constFind(c.rule.metric);
        if (metricIt != byMetric.constEnd()) {
            for (int i : *metricIt) {
                const auto& [series, value] = frame.values[size_t(i)];
                const int id = ids[size_t(i)];
                const bool holds = c.rule.holds(value);
                if (!holds) {
                    if (c.instances.empty()) continue;
                    auto it = c.instances.find(id);
                    if (it != c.instances.end()) resolve(c, it);
                    continue;
                }
                if (!c.match(id, series)) continue;
                auto it = c.instances.find(id);
                if (it == c.instances.end()) {
                    AlertInstance a;
                    a.ruleId = c.rule.id;
                    a.ruleName = c.rule.name;
                    a.severity = c.rule.severity;
                    a.series = series;
                    a.value = value;
                    a.threshold = c.rule.threshold;
                    a.pendingSince = now;
                    if (!m_d->silences.isEmpty()) a.silencedUntil = m_d->silences.value(a.key(), 0);
                    it = c.instances.emplace(id, Entry{a, generation}).first;
                    changed = true;
                    if (c.rule.forMs > 0) {
                        transitions.push_back(
                            AlertTransition{a, AlertInstance::State::Pending, AlertInstance::State::Pending, now});
                        continue;
                    }
                }
                AlertInstance& a = it->second.alert;
                it->second.seen = generation;
                if (a.value != value) changed = true;
                a.value = value;
                if (a.state == AlertInstance::State::Pending && now - a.pendingSince >= c.rule.forMs) {
                    a.state = AlertInstance::State::Firing;
                    a.firingSince = now;
                    transitions.push_back(
                        AlertTransition{a, AlertInstance::State::Pending, AlertInstance::State::Firing, now});
                    changed = true;
                }
            }
        }
        // Series of this cluster that the frame no longer carries: their alerts end.
        for (auto it = c.instances.begin(); it != c.instances.end();) {
            if (it->second.seen != generation && it->second.alert.series.cluster == frame.cluster)
                it = resolve(c, it);
            else
                ++it;
        }
    }

    for (const auto& t : transitions) emit transitioned(t);
    if (changed) emit alertsChanged();
    return transitions;
}

std::vector<AlertInstance> AlertEngine::active() const {
    std::vector<AlertInstance> out;
    for (const auto& c : m_d->compiled)
        for (const auto& [id, entry] : c->instances) out.push_back(entry.alert);
    std::sort(out.begin(), out.end(), [](const AlertInstance& a, const AlertInstance& b) {
        const bool af = a.state == AlertInstance::State::Firing, bf = b.state == AlertInstance::State::Firing;
        if (af != bf) return af;
        if (a.severity != b.severity) return severityRank(a.severity) > severityRank(b.severity);
        const qint64 as = af ? a.firingSince : a.pendingSince, bs = bf ? b.firingSince : b.pendingSince;
        if (as != bs) return as < bs;
        return a.key() < b.key();
    });
    return out;
}

const std::deque<AlertInstance>& AlertEngine::history() const {
    return m_d->history;
}

std::optional<AlertInstance> AlertEngine::find(const QString& key) const {
    auto [c, entry] = m_d->findEntry(key);
    if (!entry) return std::nullopt;
    return entry->alert;
}

void AlertEngine::acknowledge(const QString& key) {
    auto [c, entry] = m_d->findEntry(key);
    if (!entry || entry->alert.acknowledged) return;
    entry->alert.acknowledged = true;
    emit alertsChanged();
}

void AlertEngine::silence(const QString& key, qint64 untilMs) {
    m_d->silences.insert(key, untilMs);
    auto [c, entry] = m_d->findEntry(key);
    if (entry) entry->alert.silencedUntil = untilMs;
    emit alertsChanged();
}

bool AlertEngine::exportRules(const QString& path, const std::vector<AlertRule>& rules, QString* error) {
    QJsonArray array;
    for (const AlertRule& r : rules) array.append(r.toJson());
    QJsonObject root;
    root[QStringLiteral("version")] = 1;
    root[QStringLiteral("rules")] = array;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 ||
        !file.commit()) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<std::vector<AlertRule>> AlertEngine::importRules(const QString& path, QString* error) {
    auto fail = [error](const QString& why) -> std::optional<std::vector<AlertRule>> {
        if (error) *error = why;
        return std::nullopt;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return fail(tr("Cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(tr("%1 is not JSON: %2 at offset %3").arg(path, parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject()) return fail(tr("%1 is not an alert rules file").arg(path));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("version")).toInt(-1) != 1)
        return fail(tr("%1: unsupported version (expected 1)").arg(path));
    if (!root.value(QLatin1String("rules")).isArray()) return fail(tr("%1: \"rules\" is not a list").arg(path));
    const QJsonArray array = root.value(QLatin1String("rules")).toArray();
    std::vector<AlertRule> rules;
    QSet<QString> ids;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        const QString label = o.value(QLatin1String("name")).toString(o.value(QLatin1String("id")).toString());
        const QString where = tr("rule %1 (\"%2\")").arg(i + 1).arg(label);
        if (!array.at(i).isObject()) return fail(tr("%1: rule %2 is not an object").arg(path).arg(i + 1));
        QString why;
        auto rule = AlertRule::fromJson(o, &why);
        if (!rule) return fail(tr("%1: %2: %3").arg(path, where, why));
        if (ids.contains(rule->id)) return fail(tr("%1: %2: the id \"%3\" is used twice").arg(path, where, rule->id));
        ids.insert(rule->id);
        rules.push_back(*rule);
    }
    return rules;
}

}  // namespace partita::models
