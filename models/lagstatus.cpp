// LagEvaluator: the Burrow-like lag rules (see lagstatus.h for the rules themselves).
#include "models/lagstatus.h"

#include "models/metricnames.h"

#include <limits>
#include <set>

#include <algorithm>
#include <cmath>
#include <vector>

namespace partita::models {

QString lagStatusName(LagStatus status) {
    switch (status) {
        case LagStatus::Ok:
            return QStringLiteral("OK");
        case LagStatus::Warn:
            return QStringLiteral("WARN");
        case LagStatus::Err:
            return QStringLiteral("ERR");
        case LagStatus::Stop:
            return QStringLiteral("STOP");
        case LagStatus::Stall:
            return QStringLiteral("STALL");
        case LagStatus::Rewind:
            return QStringLiteral("REWIND");
    }
    return QStringLiteral("OK");
}

LagEvaluator::LagEvaluator(int windowSamples) : m_windowSamples(std::max(2, windowSamples)) {}

void LagEvaluator::add(const QString& cluster, const MetricFrame& frame) {
    std::set<Key> seen;
    for (const auto& gp : frame.groupOffsets) {
        Key key{cluster, gp.group, gp.topic, gp.partition};
        seen.insert(key);
        auto& window = m_windows[key];
        window.push_back(LagSample{frame.ms, gp.committed, gp.end});
        while (static_cast<int>(window.size()) > m_windowSamples) window.pop_front();
    }
    // Partitions of this cluster the frame no longer reports are forgotten.
    auto it = m_windows.lower_bound(Key{cluster, QString(), QString(), std::numeric_limits<int>::min()});
    while (it != m_windows.end() && std::get<0>(it->first) == cluster) {
        if (!seen.count(it->first))
            it = m_windows.erase(it);
        else
            ++it;
    }
}

LagVerdict LagEvaluator::evaluate(const std::deque<LagSample>& window) {
    std::vector<LagSample> s;
    s.reserve(window.size());
    for (const auto& sample : window)
        if (sample.committed >= 0 && sample.end >= 0) s.push_back(sample);

    LagVerdict verdict;
    if (s.empty()) return verdict;
    auto lagOf = [](const LagSample& x) { return std::max<qint64>(0, x.end - x.committed); };
    const LagSample& first = s.front();
    const LagSample& last = s.back();
    verdict.lag = lagOf(last);
    const size_t n = s.size();
    if (n < 2) {
        verdict.catchUpSeconds = verdict.lag == 0 ? 0 : -1;
        return verdict;
    }

    const double spanSec = std::max<qint64>(1, last.ms - first.ms) / 1000.0;
    const double consumePerSec = double(last.committed - first.committed) / spanSec;
    const double producePerSec = double(last.end - first.end) / spanSec;
    verdict.consumePerSec = std::max(0.0, consumePerSec);

    // Lag in time: when did the end offset have the newest committed value?
    if (verdict.lag > 0) {
        const qint64 c = last.committed;
        double atMs = -1;
        if (c >= first.end) {
            for (size_t i = 1; i < n; ++i) {
                const LagSample& a = s[i - 1];
                const LagSample& b = s[i];
                if (a.end <= c && c <= b.end) {
                    atMs = b.end == a.end ? double(a.ms)
                                          : a.ms + double(c - a.end) / double(b.end - a.end) * double(b.ms - a.ms);
                    break;
                }
            }
        }
        if (atMs < 0) {
            // Older than the window: extrapolate back at the window's production rate.
            if (producePerSec > 0)
                atMs = first.ms - double(first.end - c) / producePerSec * 1000.0;
            else
                atMs = first.ms;  // no production seen: at least as old as the window
        }
        verdict.lagSeconds = std::max(0.0, (last.ms - atMs) / 1000.0);
        const double net = consumePerSec - producePerSec;
        verdict.catchUpSeconds = net > 0 ? double(verdict.lag) / net : -1;
    } else {
        verdict.catchUpSeconds = 0;
    }

    for (size_t i = 1; i < n; ++i) {
        if (s[i].committed < s[i - 1].committed) {
            verdict.status = LagStatus::Rewind;
            return verdict;
        }
    }
    if (verdict.lag == 0) return verdict;

    if (first.committed == last.committed) {
        verdict.status = last.end > first.end ? LagStatus::Stop : LagStatus::Stall;
        return verdict;
    }
    // Trailing samples with the newest committed offset (the commits moved before them).
    size_t unchanged = 1;
    while (unchanged < n && s[n - 1 - unchanged].committed == last.committed) ++unchanged;
    if (unchanged < n && unchanged >= (n + 1) / 2) {
        verdict.status = LagStatus::Err;
        return verdict;
    }
    bool neverShrinks = true;
    for (size_t i = 1; i < n; ++i) neverShrinks = neverShrinks && lagOf(s[i]) >= lagOf(s[i - 1]);
    if (neverShrinks && lagOf(last) > lagOf(first) && last.committed > first.committed)
        verdict.status = LagStatus::Warn;
    return verdict;
}

LagVerdict LagEvaluator::partition(const QString& cluster, const QString& group, const QString& topic,
                                   int partition) const {
    auto it = m_windows.find(Key{cluster, group, topic, partition});
    if (it == m_windows.end()) return {};
    return evaluate(it->second);
}

LagVerdict LagEvaluator::group(const QString& cluster, const QString& group) const {
    LagVerdict rollup;
    rollup.catchUpSeconds = 0;
    auto it = m_windows.lower_bound(Key{cluster, group, QString(), std::numeric_limits<int>::min()});
    for (; it != m_windows.end() && std::get<0>(it->first) == cluster && std::get<1>(it->first) == group; ++it) {
        const LagVerdict v = evaluate(it->second);
        rollup.status = std::max(rollup.status, v.status);
        rollup.lag += v.lag;
        rollup.lagSeconds = std::max(rollup.lagSeconds, v.lagSeconds);
        rollup.consumePerSec += v.consumePerSec;
        if (rollup.catchUpSeconds >= 0)
            rollup.catchUpSeconds = v.catchUpSeconds < 0 ? -1 : std::max(rollup.catchUpSeconds, v.catchUpSeconds);
    }
    return rollup;
}

QStringList LagEvaluator::groups(const QString& cluster) const {
    QStringList out;
    auto it = m_windows.lower_bound(Key{cluster, QString(), QString(), std::numeric_limits<int>::min()});
    for (; it != m_windows.end() && std::get<0>(it->first) == cluster; ++it)
        if (out.isEmpty() || out.back() != std::get<1>(it->first)) out.append(std::get<1>(it->first));
    return out;
}

void LagEvaluator::annotate(MetricFrame& frame) const {
    for (const QString& g : groups(frame.cluster)) {
        const LagVerdict v = group(frame.cluster, g);
        const QString subject = QStringLiteral("group:") + g;
        frame.values.emplace_back(SeriesKey{frame.cluster, QString::fromLatin1(metrics::groupLagSeconds), subject},
                                  v.lagSeconds);
        frame.values.emplace_back(SeriesKey{frame.cluster, QString::fromLatin1(metrics::groupLagStatus), subject},
                                  double(static_cast<int>(v.status)));
    }
}

}  // namespace partita::models
